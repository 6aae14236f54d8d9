"""The key table: a QAbstractTableModel over keybox rows (core KeyInfo objects).

Rows are fetched lazily (canFetchMore/fetchMore), so a profile with 10,000 keys shows
its first screen at once and scrolls smoothly. KeyRole returns the KeyInfo itself.
Numbers are shown with the locale's digit grouping (numbers.count).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from vaultapp.core.keybox.models import KeyInfo
from vaultapp.core.keybox.states import KeyState

from .numbers import count

KeyRole = Qt.ItemDataRole.UserRole + 1
BATCH = 200

STATE_COLOURS = {
    KeyState.ENABLED: "#2e7d32",
    KeyState.DISABLED: "#9e6a00",
    KeyState.PENDING_DESTRUCTION: "#c62828",
    KeyState.DESTROYED: "#616161",
}
STATE_TEXT = {  # translated where shown (QT_TRANSLATE_NOOP: found by pyside6-lupdate;
    # str() for mypy, which types its result as object)
    KeyState.ENABLED: str(QT_TRANSLATE_NOOP("KeyTableModel", "● Enabled")),
    KeyState.DISABLED: str(QT_TRANSLATE_NOOP("KeyTableModel", "◐ Disabled")),
    KeyState.PENDING_DESTRUCTION: str(QT_TRANSLATE_NOOP("KeyTableModel",
                                                        "⚠ Pending destruction")),
    KeyState.DESTROYED: str(QT_TRANSLATE_NOOP("KeyTableModel", "✕ Destroyed")),
}

Index = QModelIndex | QPersistentModelIndex


def _age(created: datetime, now: datetime) -> str:
    days = (now - created).days
    if days >= 1:
        return QCoreApplication.translate("KeyTableModel", "{0} d").format(count(days))
    hours = int((now - created).total_seconds() // 3600)
    if hours:
        return QCoreApplication.translate("KeyTableModel", "{0} h").format(count(hours))
    return QCoreApplication.translate("KeyTableModel", "new")


class KeyTableModel(QAbstractTableModel):
    COLUMNS = (str(QT_TRANSLATE_NOOP("KeyTableModel", "Key")),
               str(QT_TRANSLATE_NOOP("KeyTableModel", "Version")),
               str(QT_TRANSLATE_NOOP("KeyTableModel", "State")),
               str(QT_TRANSLATE_NOOP("KeyTableModel", "Primary")),
               str(QT_TRANSLATE_NOOP("KeyTableModel", "Created")),
               str(QT_TRANSLATE_NOOP("KeyTableModel", "Age")),
               str(QT_TRANSLATE_NOOP("KeyTableModel", "Next rotation")),
               str(QT_TRANSLATE_NOOP("KeyTableModel", "Files sealed")))
    """Column titles (translated in headerData)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[KeyInfo] = []
        self._shown = 0

    def set_keys(self, keys: list[KeyInfo]) -> None:
        """Replace the rows (newest version first)."""
        self.beginResetModel()
        self._all = sorted(keys, key=lambda k: (k.profile, -k.version))
        self._shown = min(BATCH, len(self._all))
        self.endResetModel()

    def key_at(self, row: int) -> KeyInfo | None:
        return self._all[row] if 0 <= row < self._shown else None

    def total(self) -> int:
        return len(self._all)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._shown < len(self._all)

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        more = min(BATCH, len(self._all) - self._shown)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.COLUMNS[section]) if 0 <= section < len(self.COLUMNS) else None
        return None

    def sample_texts(self) -> tuple[str, ...]:
        """A wide value of each column, to size the columns from (measuring every row of
        a 10,000-key profile would cost far more than a frame)."""
        return ("0123abcd", count(999), self.tr(STATE_TEXT[KeyState.PENDING_DESTRUCTION]),
                self.tr("★ Primary"), "2026-11-29 23:59",
                QCoreApplication.translate("KeyTableModel", "{0} d").format(count(999)),
                "2026-11-29", count(999_999))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._shown:
            return None
        key = self._all[index.row()]
        col = index.column()
        if role == KeyRole:
            return key
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(key, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 0:
                return key.key_id
            if col == 2 and key.destroy_after is not None:
                return self.tr("Destroyed after {0:%Y-%m-%d %H:%M} UTC").format(key.destroy_after)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and col == 2:
            return QBrush(QColor(STATE_COLOURS.get(key.state, "#000000")))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.tr("{0}: {1}").format(self.tr(self.COLUMNS[col]),
                                             self._display(key, col))
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (1, 7):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, key: KeyInfo, col: int) -> str:
        now = datetime.now(UTC)
        if col == 0:
            return key.short_id
        if col == 1:
            return count(key.version)
        if col == 2:
            return self.tr(STATE_TEXT.get(key.state, key.state))
        if col == 3:
            return self.tr("★ Primary") if key.primary else ""
        if col == 4:
            return f"{key.created_at.astimezone():%Y-%m-%d %H:%M}"
        if col == 5:
            return _age(key.created_at, now)
        if col == 6:
            nxt = key.next_rotation
            return f"{nxt.astimezone():%Y-%m-%d}" if nxt else "—"
        if col == 7:
            return count(key.files_sealed)
        return ""
