"""The audit-log viewer: every key, slot and profile change, newest first.

The log may hold a million rows, so the model reads it a page at a time
(`Keybox.audit_page`, on the controller's executor) as the view scrolls, and a filter
(profile, key, action) is a new query, never a scan of rows already shown. Above the
table stands the result of checking the log's hash chain (`Keybox.verify_all`), which
runs on the executor too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vaultapp.core.errors import VaultError
from vaultapp.core.keybox.models import AuditEntry
from vaultapp.core.text import printable

from .controller import KeyboxController
from .hints import describe
from .sizing import fit_title
from .worker import Task, emit

PAGE = 500
"""Rows read per query: a screenful many times over, small enough to arrive at once."""

FILTER_DELAY_MS = 300
"""Typing in a filter field waits this long for the next key before it queries."""

Index = QModelIndex | QPersistentModelIndex
Run = Callable[..., Task]
"""`controller.run`: (function of the task, on_done, on_error) -> Task, on the executor."""


@dataclass(frozen=True)
class LogFilter:
    """Which rows to show: None (or "") means any."""

    profile: str | None = None
    key_id: str | None = None
    action: str | None = None


def _tr(text: str) -> str:
    return QCoreApplication.translate("auditlog", text)


def action_words() -> dict[str, str]:
    """Every audit action the core writes, in words (the code itself for unknown ones)."""
    return {
        "keybox.create": _tr("Keybox created"),
        "keybox.authenticate": _tr("Keybox authenticated"),
        "keybox.backup": _tr("Keybox backed up"),
        "keybox.restore": _tr("Keybox restored"),
        "profile.create": _tr("Profile created"),
        "profile.rename": _tr("Profile renamed"),
        "profile.rotation": _tr("Rotation period set"),
        "profile.delete": _tr("Profile deleted"),
        "key.rotate": _tr("Key rotated"),
        "key.enable": _tr("Key enabled"),
        "key.disable": _tr("Key disabled"),
        "key.schedule_destroy": _tr("Key destruction scheduled"),
        "key.cancel_destroy": _tr("Key destruction cancelled"),
        "key.destroy": _tr("Key destroyed"),
        "seal": _tr("Files sealed"),
        "rewrap": _tr("File rewrapped"),
        "slot.add": _tr("Key slot added"),
        "slot.rename": _tr("Key slot renamed"),
        "slot.remove": _tr("Key slot removed"),
    }


class AuditLogModel(QAbstractTableModel):
    """The audit log as a table, fetched lazily in pages of PAGE rows.

    `run` submits work to the keybox's executor (`KeyboxController.run`); `fetch(offset,
    limit, log_filter)` is called there and returns one page of AuditEntry rows.
    """

    COLUMNS = ("Time", "Actor", "Action", "Profile", "Key", "Details")
    EntryRole = Qt.ItemDataRole.UserRole + 1

    page_loaded = Signal(int)  # the number of rows now shown
    failed = Signal(object)  # the exception of a page that could not be read

    def __init__(self, run: Run, fetch: Callable[[int, int, LogFilter], list[AuditEntry]],
                 parent: Any = None) -> None:
        super().__init__(parent)
        self._run = run
        self._fetch = fetch
        self._rows: list[AuditEntry] = []
        self._filter = LogFilter()
        self._generation = 0  # a page asked for before the last filter change is dropped
        self._pending = False
        self._exhausted = False
        self._words = action_words()

    # --- fetching ---

    def set_filter(self, log_filter: LogFilter) -> None:
        """Show only the rows `log_filter` matches (a new query from the newest row)."""
        self.beginResetModel()
        self._filter = log_filter
        self._rows = []
        self._generation += 1
        self._pending = False
        self._exhausted = False
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def log_filter(self) -> LogFilter:
        return self._filter

    def loading(self) -> bool:
        return self._pending

    def exhausted(self) -> bool:
        return self._exhausted

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._exhausted and not self._pending

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid() or self._exhausted or self._pending:
            return
        self._pending = True
        generation, offset, log_filter = self._generation, len(self._rows), self._filter
        fetch = self._fetch
        self._run(lambda task: fetch(offset, PAGE, log_filter),
                  lambda page: self._arrived(generation, page),
                  lambda exc: self._failed(generation, exc))

    def _arrived(self, generation: int, page: list[AuditEntry]) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        self._pending = False
        if page:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()
        if len(page) < PAGE:
            self._exhausted = True
        emit(self.page_loaded, len(self._rows))

    def _failed(self, generation: int, exc: BaseException) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        self._pending = False
        self._exhausted = True  # no retry loop: the view would ask again at once
        emit(self.failed, exc)

    # --- the table ---

    def entry(self, row: int) -> AuditEntry | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.COLUMNS):
            return self.column_title(section)
        return None

    def column_title(self, section: int) -> str:
        return (self.tr("Time"), self.tr("Actor"), self.tr("Action"), self.tr("Profile"),
                self.tr("Key"), self.tr("Details"))[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.entry(index.row()) if index.isValid() else None
        if entry is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(entry, col)
        if role == self.EntryRole:
            return entry
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 0:
                return self.tr("{0} UTC").format(f"{entry.at:%Y-%m-%d %H:%M:%S}")
            if col == 2:
                return entry.action
            if col == 4 and entry.key_id:
                return entry.key_id
            if col == 5:
                return self.text(entry, col)
            return None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.column_title(col)}: {self.text(entry, col)}"
        return None

    def text(self, entry: AuditEntry, col: int, *, full_key: bool = False) -> str:
        """What column `col` shows of `entry` (stored text with its controls escaped)."""
        if col == 0:
            return f"{entry.at.astimezone():%Y-%m-%d %H:%M:%S}"
        if col == 1:
            return printable(entry.actor)
        if col == 2:
            return self._words.get(entry.action, printable(entry.action))
        if col == 3:
            return printable(entry.profile or "")
        if col == 4:
            key = entry.key_id or ""
            return printable(key if full_key else key[:8])
        if col == 5:
            return printable(entry.details)
        return ""

    def rows_as_text(self, rows: list[int]) -> str:
        """The rows, tab-separated with a heading line, for the clipboard."""
        lines = ["\t".join(self.column_title(c) for c in range(len(self.COLUMNS)))]
        for row in sorted(rows):
            entry = self.entry(row)
            if entry is not None:
                lines.append("\t".join(self.text(entry, c, full_key=True)
                                       for c in range(len(self.COLUMNS))))
        return "\n".join(lines) + "\n"


class AuditLogDialog(QDialog):
    """The audit log with filters, the chain's check result and Copy."""

    def __init__(self, parent: QWidget | None, controller: KeyboxController,
                 profiles: list[str] | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("auditLogDialog")
        self.setWindowTitle(self.tr("Audit log"))

        self.chain_state = QLabel(self.tr("Checking the log's chain…"))
        self.chain_state.setObjectName("chainState")
        self.chain_state.setWordWrap(True)
        self.chain_state.setTextFormat(Qt.TextFormat.PlainText)  # may quote stored text
        self.chain_state.setAccessibleName(self.tr("Audit log check"))

        self.profile_filter = QComboBox()
        self.profile_filter.setObjectName("profileFilter")
        self.profile_filter.setEditable(True)
        self.profile_filter.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.profile_filter.addItem("")
        for name in profiles or []:
            self.profile_filter.addItem(name)
        line = self.profile_filter.lineEdit()
        assert line is not None
        line.setPlaceholderText(self.tr("All profiles"))
        self.profile_filter.setAccessibleName(self.tr("Show only this profile"))
        self.profile_filter.setAccessibleDescription(self.tr(
            "Choose or type a profile name; empty shows every profile"))
        self.key_filter = QLineEdit()
        self.key_filter.setObjectName("keyFilter")
        self.key_filter.setPlaceholderText(self.tr("All keys (or the first digits of a key id)"))
        self.key_filter.setAccessibleName(self.tr("Show only this key"))
        self.key_filter.setAccessibleDescription(self.tr(
            "A key id or its first digits; empty shows every key"))
        self.action_filter = QComboBox()
        self.action_filter.setObjectName("actionFilter")
        self.action_filter.addItem(self.tr("All actions"), None)
        for code, words in sorted(action_words().items(), key=lambda item: item[1]):
            self.action_filter.addItem(words, code)
        self.action_filter.setAccessibleName(self.tr("Show only this action"))
        self.clear_button = QPushButton(self.tr("C&lear filters"))
        self.clear_button.setAccessibleName(self.tr("Clear filters"))
        self.clear_button.setAutoDefault(False)
        self.clear_button.clicked.connect(self.clear_filters)

        filters = QFormLayout()
        filters.addRow(self.tr("&Profile:"), self.profile_filter)
        filters.addRow(self.tr("&Key:"), self.key_filter)
        action_row = QHBoxLayout()
        action_row.addWidget(self.action_filter, 1)
        action_row.addWidget(self.clear_button)
        action_label = QLabel(self.tr("&Action:"))
        action_label.setBuddy(self.action_filter)  # a row of two: the label needs its buddy
        filters.addRow(action_label, action_row)

        self.model = AuditLogModel(controller.run, self._fetch_page, self)
        self.table = QTableView()
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Audit log entries, newest first"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # one Tab stop; arrows move inside
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)  # whole rows are selected: no bold titles
        metrics = self.table.fontMetrics()
        # The widest text of each column in the chosen language (the action's words are
        # translated), and never narrower than its title.
        widest_action = max(action_words().values(), key=metrics.horizontalAdvance)
        for column, sample in enumerate(("2026-11-29 23:59:59", "someone@host",
                                         widest_action, "Profile name", "0123abcd")):
            header.resizeSection(column, max(metrics.horizontalAdvance(sample) + 24,
                                             header.sectionSizeHint(column)))
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._preferred_width = sum(header.sectionSize(c) for c in range(5)) \
            + metrics.horizontalAdvance("x" * 30)
        self.table.setMinimumWidth(metrics.horizontalAdvance("x" * 40))

        self.copy_action = QAction(self.tr("&Copy"), self.table)
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.copy_action.triggered.connect(self.copy_selected)
        self.table.addAction(self.copy_action)

        self.count = QLabel()
        self.count.setObjectName("auditCount")
        self.count.setAccessibleName(self.tr("Entries shown"))
        self.copy_button = QPushButton(self.tr("&Copy selected rows"))
        self.copy_button.setObjectName("copyRowsButton")
        self.copy_button.setAccessibleName(self.tr("Copy selected rows"))
        self.copy_button.setAutoDefault(False)
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self.copy_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close"))
        close.setAutoDefault(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.copy_button)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(self.chain_state)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        QWidget.setTabOrder(self.profile_filter, self.key_filter)
        QWidget.setTabOrder(self.key_filter, self.action_filter)
        QWidget.setTabOrder(self.action_filter, self.clear_button)
        QWidget.setTabOrder(self.clear_button, self.table)
        QWidget.setTabOrder(self.table, self.copy_button)
        QWidget.setTabOrder(self.copy_button, close)

        self.filter_timer = QTimer(self)
        self.filter_timer.setSingleShot(True)
        self.filter_timer.setInterval(FILTER_DELAY_MS)
        self.filter_timer.timeout.connect(self.apply_filters)
        self.profile_filter.editTextChanged.connect(lambda _: self.filter_timer.start())
        self.key_filter.textChanged.connect(lambda _: self.filter_timer.start())
        self.action_filter.currentIndexChanged.connect(lambda _: self.apply_filters())
        self.model.page_loaded.connect(self._show_count)
        self.model.failed.connect(self._page_failed)
        selection = self.table.selectionModel()
        selection.selectionChanged.connect(
            lambda *_: self.copy_button.setEnabled(selection.hasSelection()))

        controller.locked.connect(self.reject)  # a lock closes what the vault showed
        self.apply_filters()
        self.check_chain()
        self._fit_to_screen()
        fit_title(self)
        self.profile_filter.setFocus()

    def _fit_to_screen(self) -> None:
        """Wide enough for every column and 20 rows, but never more than 90 % of the
        screen it opens on (a long log scrolls; the columns can be narrowed)."""
        screen = (self.parentWidget() or self).screen().availableGeometry()
        rows = self.table.verticalHeader().defaultSectionSize() * 20
        hint = self.sizeHint()
        width = max(hint.width(), self._preferred_width + 40)
        height = max(hint.height(), rows)
        self.resize(min(width, int(screen.width() * 0.9)),
                    min(height, int(screen.height() * 0.9)))

    # --- work on the executor ---

    def _fetch_page(self, offset: int, limit: int, log_filter: LogFilter) -> list[AuditEntry]:
        return self.controller.keybox().audit_page(offset, limit, log_filter.profile,
                                                   log_filter.key_id, log_filter.action)

    def check_chain(self) -> None:
        """Walk the whole chain on the executor (after the first page was asked for)."""
        self.chain_state.setText(self.tr("Checking the log's chain…"))
        self.controller.run(lambda task: self.controller.keybox().verify_all(),
                            self._chain_checked, self._chain_failed)

    def _chain_checked(self, outcome: tuple[int, int | None]) -> None:
        if not shiboken6.isValid(self):
            return
        checked, broken = outcome
        if broken is None:
            self.chain_state.setText(self.tr("✓ The log's chain is intact: {0} entries.")
                                     .format(_number(checked)))
            self.chain_state.setStyleSheet("color: #2e7d32;")
        else:
            self.chain_state.setText(self.tr(
                "⚠ The log's chain breaks at entry {0} (after {1} intact entries): entries "
                "were edited, inserted or removed outside vaultapp. If you did not expect "
                "this, restore the keybox from a backup.").format(broken, _number(checked)))
            self.chain_state.setStyleSheet("color: #c62828;")

    def _chain_failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        if not isinstance(exc, VaultError):
            raise exc
        self.chain_state.setText(self.tr("⚠ The log could not be checked: {0}")
                                 .format(describe(exc)))
        self.chain_state.setStyleSheet("color: #c62828;")

    # --- filters, count, copy ---

    def current_filter(self) -> LogFilter:
        profile = self.profile_filter.currentText().strip() or None
        key = self.key_filter.text().strip() or None
        action = self.action_filter.currentData()
        return LogFilter(profile, key, action if isinstance(action, str) else None)

    def apply_filters(self) -> None:
        self.filter_timer.stop()
        wanted = self.current_filter()
        if wanted != self.model.log_filter() or (self.model.rowCount() == 0
                                                 and not self.model.loading()):
            self.count.setText(self.tr("Loading…"))
            self.model.set_filter(wanted)

    def clear_filters(self) -> None:
        for widget in (self.profile_filter, self.key_filter, self.action_filter):
            widget.blockSignals(True)
        self.profile_filter.setEditText("")
        self.key_filter.clear()
        self.action_filter.setCurrentIndex(0)
        for widget in (self.profile_filter, self.key_filter, self.action_filter):
            widget.blockSignals(False)
        self.apply_filters()

    def _show_count(self, shown: int) -> None:
        if self.model.exhausted():
            text = self.tr("{0} entries").format(_number(shown)) if shown else \
                self.tr("No entries match these filters.")
        else:
            text = self.tr("{0} newest entries shown; scroll down for more").format(
                _number(shown))
        self.count.setText(text)

    def _page_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, VaultError):
            raise exc
        self.count.setText(self.tr("The log could not be read: {0}").format(describe(exc)))

    def copy_selected(self) -> None:
        rows = [index.row() for index in self.table.selectionModel().selectedRows()]
        if rows:
            clipboard = QApplication.clipboard()
            clipboard.setText(self.model.rows_as_text(rows))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter in a filter field applies it now (it does not close the dialog)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
                self.key_filter.hasFocus() or self.profile_filter.hasFocus()):
            self.apply_filters()
            return
        super().keyPressEvent(event)


def _number(n: int) -> str:
    """A count with the locale's digit grouping."""
    return QLocale().toString(n)
