"""The main window: setup, unlock and the vault itself (profiles, keys, drop zone, activity)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QObject,
    QRect,
    QSettings,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
    QPainter,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vaultapp.core.errors import KeyboxLockedError, VaultError
from vaultapp.core.jobs import Skipped, expand_paths, split_small
from vaultapp.core.keybox.models import KeyInfo, ProfileInfo
from vaultapp.core.keybox.states import Change, can_seal, useful

from . import i18n
from .activity import BATCH_MIN, REWRAP, ActivityList, Job
from .controller import KeyboxController, UnlockWays
from .dialogs import ConfirmDestroyDialog, ProfileNameDialog, Settings, SettingsDialog
from .hints import describe
from .icons import icon, icon_label
from .key_model import KeyRole, KeyTableModel
from .numbers import count
from .pages import SetupPage, UnlockPage
from .security_key import WindowPrompts
from .sizing import fit_message_title
from .slot_reasons import reason_lines
from .worker import emit, run_task

POLL_MS = 3000
BACKUP_REMINDER_DAYS = 30
PREFERRED_SIZE = QSize(1100, 740)
FIRST_START_SHARE = 0.85


class DropZone(QFrame):
    """Drop files or folders here: sealed files are opened, the rest sealed.

    One row (icon, what to do, the two buttons), so that the window fits a small screen.
    From the keyboard, Enter or Space on the zone chooses files, as dropping them would.
    """

    files_dropped = Signal(list)
    activated = Signal()
    MIN_HEIGHT = 80

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dropZone")
        self.setAccessibleName(self.tr("Drop zone: drop files to seal or open them"))
        self.setAccessibleDescription(self.tr("Press Enter to choose files"))
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumHeight(self.MIN_HEIGHT)
        self.title = QLabel(self.tr("<b>Drop files or folders here</b>"))
        self.subtitle = QLabel(self.tr("Plain files are sealed with the selected profile; "
                                       "sealed .vault files and .age files are opened."))
        self.subtitle.setWordWrap(True)
        self.seal_button = QPushButton(self.tr("Seal files…"))
        self.seal_button.setObjectName("sealFilesButton")
        self.seal_button.setAccessibleName(self.tr("Seal files"))
        self.open_button = QPushButton(self.tr("Open files…"))
        self.open_button.setObjectName("openFilesButton")
        self.open_button.setAccessibleName(self.tr("Open files"))
        self.share_button = QPushButton(self.tr("Share…"))
        self.share_button.setObjectName("shareFilesButton")
        self.share_button.setAccessibleName(self.tr("Share files with people"))
        self.share_button.setToolTip(self.tr("Encrypt files as age files for contacts "
                                             "(Ctrl+Shift+E)"))
        words = QVBoxLayout()
        words.addStretch(1)
        words.addWidget(self.title)
        words.addWidget(self.subtitle)
        words.addStretch(1)
        buttons = QVBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.seal_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.share_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addWidget(icon_label("drop", 40))
        layout.addLayout(words, 1)
        layout.addLayout(buttons)
        self._set_hover(False)

    def keyPressEvent(self, event: Any) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            emit(self.activated)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: Any) -> None:
        self._set_hover(self.property("hover") is True, focused=True)
        super().focusInEvent(event)

    def focusOutEvent(self, event: Any) -> None:
        self._set_hover(self.property("hover") is True, focused=False)
        super().focusOutEvent(event)

    def _set_hover(self, on: bool, focused: bool | None = None) -> None:
        """Solid and highlighted while files are dragged over it; a highlighted dashed
        border while it has the keyboard focus (else nothing would show where it is)."""
        self.setProperty("hover", on)
        focused = self.hasFocus() if focused is None else focused
        colour = "palette(highlight)" if on or focused else "palette(mid)"
        self.setStyleSheet(
            f"#dropZone {{ border: 2px {'solid' if on else 'dashed'} {colour}; "
            "border-radius: 10px; "
            f"{'background: palette(alternate-base); ' if on else ''}}}")

    @staticmethod
    def _local_paths(event: QDragEnterEvent | QDropEvent) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._local_paths(event):
            event.acceptProposedAction()
            self._set_hover(True)
        else:
            event.ignore()

    def dragLeaveEvent(self, event: Any) -> None:
        self._set_hover(False)

    def dropEvent(self, event: QDropEvent) -> None:
        self._set_hover(False)
        paths = self._local_paths(event)
        if paths:
            event.acceptProposedAction()
            emit(self.files_dropped, paths)


class ElidedLabel(QLabel):
    """A one-line label that shortens its text with "…" when narrow, instead of cutting
    it off; the whole text is its tooltip (and what screen readers read)."""

    def __init__(self, text: str = "", parent: QWidget | None = None,
                 mode: Qt.TextElideMode = Qt.TextElideMode.ElideMiddle) -> None:
        super().__init__(parent)
        self.mode = mode
        self.setText(text)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def shown_text(self) -> str:
        """The text as painted at the current width."""
        return self.fontMetrics().elidedText(self.text(), self.mode, self.contentsRect().width())

    def minimumSizeHint(self) -> QSize:
        full = super().minimumSizeHint()
        return QSize(min(full.width(), self.fontMetrics().horizontalAdvance("…") * 8),
                     full.height())

    def paintEvent(self, event: Any) -> None:
        painter = QPainter(self)
        self.style().drawItemText(painter, self.contentsRect(), int(self.alignment()),
                                  self.palette(), self.isEnabled(), self.shown_text(),
                                  self.foregroundRole())


class Pages(QStackedWidget):
    """The window's pages, one shown at a time. Its minimum size is the shown page's, not
    the largest page's: the vault page fits a small screen even though the first-run page
    needs more height (a window on that page grows to it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(lambda _: self.updateGeometry())

    def add_page(self, page: QWidget) -> None:
        self.addWidget(page)
        page.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A page's layout changed (a label got longer text, a button appeared): the
        # window's layout must ask this stack's minimum again (Qt caches it otherwise).
        if event.type() == QEvent.Type.LayoutRequest and watched is self.currentWidget():
            self.updateGeometry()
        return False

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.minimumSizeHint().expandedTo(page.minimumSize()) if page is not None \
            else super().minimumSizeHint()


class MainWindow(QMainWindow):
    """Stacked pages: setup (first run), unlock, vault."""

    def __init__(self, controller: KeyboxController, settings: QSettings | None = None) -> None:
        super().__init__()
        # Workers hand the GIL over every 1 ms instead of Python's default 5 ms, so the GUI
        # thread waits less for it while files are sealed (measured by the earlier
        # benchmarks/app.py).
        sys.setswitchinterval(0.001)
        self.controller = controller
        self.qsettings = settings or QSettings("vaultapp", "vaultapp")
        self.settings = self._load_settings()
        self.setWindowTitle(self.tr("vaultapp"))
        self.setWindowIcon(icon("app"))
        # No fixed size: the layouts give the minimum (it fits a 1400x900 screen at 150 %,
        # 933x600 logical), _restore_geometry the size (tests/gui/test_gui_layout.py).
        self.setAcceptDrops(True)  # files dropped while locked wait for the unlock
        self.pending_files: list[Path] = []
        self.profiles: list[ProfileInfo] = []
        self.all_keys: list[KeyInfo] = []
        self._select_profile: str | None = None  # to select once the profiles are loaded

        self.setup_page = SetupPage(controller.location)
        self.unlock_page = UnlockPage(controller.location)
        self.vault_page = self._build_vault_page()
        self.busy_page = QLabel(self.tr("Opening the keybox…"))
        self.busy_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = Pages()
        for page in (self.busy_page, self.setup_page, self.unlock_page, self.vault_page):
            self.pages.add_page(page)
        self.setCentralWidget(self.pages)
        self._build_menus()
        self.lock_state = QLabel()
        self.lock_state.setAccessibleName(self.tr("Lock state"))
        self.statusBar().addWidget(self.lock_state)
        self.backup_state = ElidedLabel(mode=Qt.TextElideMode.ElideRight)
        self.backup_state.setObjectName("backupState")
        self.backup_state.setAccessibleName(self.tr("Last backup"))
        self.statusBar().addWidget(self.backup_state)
        self.pending_notice = QLabel()
        self.pending_notice.setObjectName("pendingFiles")
        self.pending_notice.setAccessibleName(self.tr("Files waiting for the unlock"))
        self.pending_notice.hide()
        self.statusBar().addPermanentWidget(self.pending_notice)
        self.where = ElidedLabel(self.tr("Keybox: {0}").format(controller.location))
        self.where.setObjectName("keyboxLocation")
        self.where.setAccessibleName(self.tr("Keybox location"))
        self.statusBar().addPermanentWidget(self.where)
        # Lock sits at the status bar's end, the last Tab stop: no row of its own above
        # the drop zone, so the window fits a small screen.
        self.statusBar().addPermanentWidget(self.lock_button)
        self.lock_button.setVisible(False)  # shown with the vault page (_page_shown)
        self.activity.notice.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.pages.currentChanged.connect(self._page_shown)
        for first, second in zip(self._tab_chain, self._tab_chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

        self.setup_page.create_requested.connect(self._create_keybox)
        self.unlock_page.unlock_requested.connect(self._unlock_with)
        self.unlock_page.device_unlock_requested.connect(self._unlock_with_device)
        self._prompts: WindowPrompts | None = None
        self.unlock_page.retry_button.clicked.connect(lambda: self._unlock_with(""))
        controller.unlocked.connect(self._on_unlocked)
        controller.locked.connect(self._on_locked)
        controller.changed.connect(self.refresh)

        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self._idle_lock)
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(
            lambda: self.controller.poll_changes(self.refresh))
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._set_lock_text(False)
        self._restore_geometry()

    # --- construction ---

    def _build_vault_page(self) -> QWidget:
        self.profile_list = QListWidget()
        self.profile_list.setObjectName("profileList")
        self.profile_list.setAccessibleName(self.tr("Profiles"))
        self.profile_list.setAccessibleDescription(self.tr(
            "New files are sealed with the selected profile's primary key"))
        self.profile_list.setTabKeyNavigation(False)  # one Tab stop; arrows move inside
        self.profile_list.currentRowChanged.connect(lambda _: self._show_keys())
        self.new_profile_button = QPushButton(self.tr("New profile…"))
        self.new_profile_button.setObjectName("newProfileButton")
        self.new_profile_button.setAccessibleName(self.tr("New profile"))
        self.rename_profile_button = QPushButton(self.tr("Rename…"))
        self.rename_profile_button.setObjectName("renameProfileButton")
        self.rename_profile_button.setAccessibleName(self.tr("Rename profile"))
        self.new_profile_button.clicked.connect(self._new_profile)
        self.rename_profile_button.clicked.connect(self._rename_profile)
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("<b>Profiles</b>")))
        left.addWidget(self.profile_list, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_profile_button)
        row.addWidget(self.rename_profile_button)
        left.addLayout(row)
        left.setContentsMargins(0, 0, 6, 0)  # the page's layout has the outer margins
        left_box = QWidget()
        left_box.setLayout(left)

        self.drop_zone = DropZone()
        self.drop_zone.files_dropped.connect(self.handle_files)
        self.drop_zone.seal_button.clicked.connect(self._choose_files_to_seal)
        self.drop_zone.open_button.clicked.connect(self._choose_files_to_open)
        self.drop_zone.activated.connect(self._choose_files_to_seal)
        self.drop_zone.share_button.clicked.connect(self.share_files)

        self.key_model = KeyTableModel(self)
        self.key_table = QTableView()
        self.key_table.setObjectName("keyTable")
        self.key_table.setAccessibleName(self.tr("Keys of the selected profile"))
        self.key_table.setModel(self.key_model)
        self.key_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.key_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # One Tab stop: Tab leaves the table, the arrow keys move between its rows.
        self.key_table.setTabKeyNavigation(False)
        self.key_table.verticalHeader().hide()
        self.key_table.setAlternatingRowColors(True)
        # Widths from sample texts, not ResizeToContents: measuring every row of a
        # 10,000-key profile on each refresh would cost far more than a frame. A column is
        # never narrower than its title as the header draws it, in the chosen language
        # (sectionSizeHint: the header's font, margins and frame). Whole rows are
        # selected, so the titles are not made bold on a selection (bold would not fit).
        # The last column stretches, so the columns fill the table's width.
        header = self.key_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        metrics = self.key_table.fontMetrics()
        for column, sample in enumerate(self.key_model.sample_texts()):
            header.resizeSection(column, max(metrics.horizontalAdvance(sample) + 28,
                                             header.sectionSizeHint(column)))
        self.key_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        def button(name: str, text: str, tip: str, handler: Any) -> QPushButton:
            b = QPushButton(text)
            b.setObjectName(name)
            b.setAccessibleName(text.replace("…", "").replace("&", ""))
            b.setToolTip(tip)
            b.clicked.connect(handler)
            return b

        self.rotate_button = button("rotateKeyButton", self.tr("&Rotate"),
                                    self.tr("Make a new primary key; older keys still open "
                                            "their files"), self._rotate)
        self.enable_button = button("enableKeyButton", self.tr("&Enable"),
                                    self.tr("Let this key open files again"), self._enable)
        self.disable_button = button("disableKeyButton", self.tr("&Disable"),
                                     self.tr("Stop this key from sealing and opening"),
                                     self._disable)
        self.destroy_button = button("destroyKeyButton", self.tr("Destroy…"),
                                     self.tr("Erase this key (after a waiting period)"),
                                     self._destroy)
        self.cancel_destroy_button = button("cancelDestroyButton",
                                            self.tr("Cancel destruction"),
                                            self.tr("Keep this key (it stays disabled)"),
                                            self._cancel_destroy)
        self.key_summary = QLabel()
        self.key_summary.setObjectName("keySummary")
        self.key_summary.setTextFormat(Qt.TextFormat.PlainText)  # names a stored profile
        self.key_summary.setWordWrap(True)  # "… cannot seal …" is long: wrap, never cut
        # Room for two lines at any width: the window's minimum height does not follow a
        # wrapped label's height, so at the minimum a second line would push the activity
        # list out of the window.
        self.key_summary.setMinimumHeight(2 * self.key_summary.fontMetrics().lineSpacing())
        self.key_summary.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # The summary beside the heading (the width of the table, not what the buttons
        # leave), the buttons in a row of their own under the table.
        keys_heading = QHBoxLayout()
        keys_heading.addWidget(QLabel(self.tr("<b>Keys</b>")), 0, Qt.AlignmentFlag.AlignTop)
        keys_heading.addSpacing(12)
        keys_heading.addWidget(self.key_summary, 1)
        keys_row = QHBoxLayout()
        for b in (self.rotate_button, self.enable_button, self.disable_button,
                  self.destroy_button, self.cancel_destroy_button):
            keys_row.addWidget(b)
        keys_row.addStretch(1)

        self.activity = ActivityList()
        self.activity.job_finished.connect(lambda _: self.refresh())
        right = QVBoxLayout()
        right.addWidget(self.drop_zone)
        right.addLayout(keys_heading)
        right.addWidget(self.key_table, 2)
        right.addLayout(keys_row)
        right.addWidget(QLabel(self.tr("<b>Activity</b>")))
        right.addWidget(self.activity, 1)
        right.setContentsMargins(6, 0, 0, 0)
        right_box = QWidget()
        right_box.setLayout(right)

        split = QSplitter()
        split.addWidget(left_box)
        split.addWidget(right_box)
        split.setStretchFactor(1, 1)
        split.setSizes([220, 880])
        self.lock_button = QPushButton(icon("locked"), self.tr("&Lock"))
        self.lock_button.setObjectName("lockButton")
        self.lock_button.setAccessibleName(self.tr("Lock the vault"))
        self.lock_button.setToolTip(self.tr("Lock now: keys leave memory (Ctrl+L)"))
        self.lock_button.clicked.connect(self.lock)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(split, 1)
        # Tab follows the reading order: profiles (left), then the drop zone, the keys and
        # the activity (right), then Lock at the end of the status bar.
        chain = (self.profile_list, self.new_profile_button, self.rename_profile_button,
                 self.drop_zone, self.drop_zone.seal_button, self.drop_zone.open_button,
                 self.drop_zone.share_button, self.key_table, self.rotate_button,
                 self.enable_button, self.disable_button, self.destroy_button,
                 self.cancel_destroy_button, self.activity, self.lock_button)
        self._tab_chain = chain  # set once the lock button is in the status bar
        return page

    def _build_menus(self) -> None:
        """File, Vault, Profile and Help: every keybox action of the command line."""
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.seal_action = QAction(self.tr("&Seal files…"), self)
        self.seal_action.setShortcut(QKeySequence("Ctrl+E"))
        self.seal_action.triggered.connect(self._choose_files_to_seal)
        self.open_action = QAction(self.tr("&Open files…"), self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self._choose_files_to_open)
        self.rewrap_action = QAction(self.tr("&Rewrap sealed files to the current key…"), self)
        self.rewrap_action.triggered.connect(self._choose_files_to_rewrap)
        settings_action = QAction(self.tr("Se&ttings…"), self)
        settings_action.triggered.connect(self._edit_settings)
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        for a in (self.seal_action, self.open_action, self.rewrap_action):
            file_menu.addAction(a)
        file_menu.addSeparator()
        file_menu.addAction(settings_action)
        file_menu.addAction(quit_action)

        vault_menu = self.menuBar().addMenu(self.tr("&Vault"))
        vault_menu.setToolTipsVisible(True)  # a disabled entry says why
        self.lock_action = QAction(self.tr("&Lock"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        vault_menu.addAction(self.lock_action)
        self.slots_action = QAction(self.tr("&Key slots…"), self)
        self.slots_action.triggered.connect(self.show_slots)
        vault_menu.addAction(self.slots_action)
        self.audit_log_action = QAction(self.tr("&Audit log…"), self)
        self.audit_log_action.setObjectName("auditLogAction")
        self.audit_log_action.triggered.connect(self.show_audit_log)
        vault_menu.addAction(self.audit_log_action)
        vault_menu.addSeparator()
        self.backup_action = QAction(self.tr("&Back up keybox…"), self)
        self.backup_action.setObjectName("backupAction")
        self.backup_action.triggered.connect(self.backup_keybox)
        self.restore_action = QAction(self.tr("&Restore keybox…"), self)
        self.restore_action.setObjectName("restoreAction")
        self.restore_action.triggered.connect(self.restore_keybox)
        self.check_action = QAction(self.tr("&Check keybox"), self)
        self.check_action.setObjectName("checkAction")
        self.check_action.triggered.connect(self.check_keybox)
        for a in (self.backup_action, self.restore_action, self.check_action):
            vault_menu.addAction(a)

        profile_menu = self.menuBar().addMenu(self.tr("&Profile"))
        self.new_profile_action = QAction(self.tr("&New profile…"), self)
        self.new_profile_action.triggered.connect(self._new_profile)
        self.rename_profile_action = QAction(self.tr("&Rename profile…"), self)
        self.rename_profile_action.triggered.connect(self._rename_profile)
        self.rotation_action = QAction(self.tr("Rotation &period…"), self)
        self.rotation_action.setObjectName("rotationAction")
        self.rotation_action.triggered.connect(self.set_rotation_period)
        self.delete_profile_action = QAction(self.tr("&Delete profile…"), self)
        self.delete_profile_action.setObjectName("deleteProfileAction")
        self.delete_profile_action.triggered.connect(self.delete_profile)
        for a in (self.new_profile_action, self.rename_profile_action, self.rotation_action):
            profile_menu.addAction(a)
        profile_menu.addSeparator()
        profile_menu.addAction(self.delete_profile_action)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.about_action = QAction(self.tr("&About vaultapp"), self)
        self.about_action.setObjectName("aboutAction")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)

        # Restore and check also work locked, or before a keybox exists (restore on a new
        # machine); the rest needs the unlocked keybox.
        self._keybox_actions: tuple[QAction, ...] = (
            self.slots_action, self.audit_log_action, self.backup_action,
            self.new_profile_action, self.rename_profile_action, self.rotation_action,
            self.delete_profile_action)
        self._build_people_menus(file_menu, help_menu)  # appends to _keybox_actions
        self.controller.unlocked.connect(lambda _: self._update_keybox_actions())
        self.controller.locked.connect(self._update_keybox_actions)
        self._update_keybox_actions()

    def show_slots(self) -> None:
        if not self.controller.is_unlocked:
            return
        from .slots_dialog import SlotsDialog

        self.slots_dialog = SlotsDialog(self, self.controller)
        self.slots_dialog.open()

    # --- pages, focus and geometry ---

    def _page_shown(self, index: int) -> None:
        """The vault page starts with the focus on the profiles (Tab goes on from there);
        Lock is offered only while it is shown; another page says which files wait."""
        vault = self.pages.widget(index) is self.vault_page
        self.lock_button.setVisible(vault)
        if vault:
            self.profile_list.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.pending_files:  # given at start-up (vaultapp gui FILE…), before unlock
            self._show_pending()

    def _restore_geometry(self) -> None:
        """The size and place of the last session (QSettings "geometry"), kept on the
        screen it is on; on the first start a size that fits the screen, centred on it."""
        saved = self.qsettings.value("geometry")
        if isinstance(saved, QByteArray | bytes) and saved and \
                self.restoreGeometry(QByteArray(saved)):
            screen = QGuiApplication.screenAt(self.geometry().center()) or self.screen()
            self.setGeometry(fit_to_screen(self.geometry(), screen.availableGeometry()))
            return
        available = self.screen().availableGeometry()
        bars = QSize(0, self.menuBar().sizeHint().height() + self.statusBar().sizeHint().height())
        vault = self.vault_page.minimumSizeHint() + bars  # the page it will mostly show
        size = first_size(available, self.minimumSizeHint().expandedTo(vault))
        self.resize(size)
        self.move(available.x() + (available.width() - size.width()) // 2,
                  available.y() + (available.height() - size.height()) // 2)

    # --- settings ---

    def _load_settings(self) -> Settings:
        q = self.qsettings
        return Settings(
            auto_lock_minutes=int(str(q.value("auto_lock_minutes", 15))),
            lock_on_screen_lock=str(q.value("lock_on_screen_lock", "true")) == "true",
            remove_originals=str(q.value("remove_originals", "false")) == "true",
            output_folder=str(q.value("output_folder", "")),
            keyring_after_lock=str(q.value("keyring_after_lock", "false")) == "true",
            language=str(q.value(i18n.SETTING, "") or ""),
        )

    def _edit_settings(self) -> None:
        new = SettingsDialog.ask(self, self.settings)
        if new is None:
            return
        self.settings = new
        self.qsettings.setValue("auto_lock_minutes", new.auto_lock_minutes)
        self.qsettings.setValue("lock_on_screen_lock", "true" if new.lock_on_screen_lock
                                else "false")
        self.qsettings.setValue("remove_originals", "true" if new.remove_originals else "false")
        self.qsettings.setValue("output_folder", new.output_folder)
        self.qsettings.setValue("keyring_after_lock", "true" if new.keyring_after_lock
                                else "false")
        self.qsettings.setValue(i18n.SETTING, new.language)
        self._restart_idle_timer()
        if self.pages.currentWidget() is self.unlock_page:
            self._ask_secret_slots()  # the keyring button follows the new setting

    # --- start-up, unlock, lock ---

    def start(self) -> None:
        """Find the keybox (worker), then show setup, or unlock silently, or ask."""
        self.pages.setCurrentWidget(self.busy_page)

        def exists(found: bool) -> None:
            if found:
                self._unlock_with("")
            else:
                self.pages.setCurrentWidget(self.setup_page)
                run_task(lambda t: _keyring_status(), self._keyring_status, self._show_error)

        self.controller.check_exists(exists, self._show_error)

    def _keyring_status(self, status: tuple[bool, str]) -> None:
        self.setup_page.set_keyring_available(*status)

    def _create_keybox(self, use_keyring: bool, passphrase: str, profile: str) -> None:
        self.controller.create(use_keyring, passphrase or None, profile,
                               lambda exc: self.setup_page.show_error(_error_text(exc)))

    def _unlock_with(self, passphrase: str) -> None:
        """A typed passphrase is tried against the secret slots only; "" (the start, or
        "Try the keyring again") asks the silent slots, which after a lock the controller
        allows only with the setting "Unlock with the system keyring after a lock" or
        when the keybox has no secret slot (UnlockPage says why)."""
        self.unlock_page.set_busy()
        if passphrase:
            self.controller.unlock_with_passphrase(passphrase, self._unlock_failed)
        else:
            self.controller.unlock_silently(
                self._unlock_failed, keyring_after_lock=self.settings.keyring_after_lock)

    def _unlock_with_device(self, kind: str) -> None:
        """"Use security key" / "Use this computer's TPM": the executor unlocks through
        those slots, reaching the person through WindowPrompts (touch, PIN)."""
        self.unlock_page.set_busy()
        prompts = self._prompts = WindowPrompts(self)

        def finished() -> None:
            prompts.finish()
            prompts.deleteLater()
            if self._prompts is prompts:
                self._prompts = None

        self.controller.unlock_with_device(kind, prompts, finished, self._unlock_failed)

    def _unlock_failed(self, exc: BaseException) -> None:
        self.pages.setCurrentWidget(self.unlock_page)
        if isinstance(exc, KeyboxLockedError) and exc.failures:
            text = "\n".join(reason_lines(exc.reasons) or exc.failures)
            self.unlock_page.set_failures(self.tr("Tried:\n{0}").format(text))
        else:
            self.unlock_page.set_failures(_error_text(exc))
        self._ask_secret_slots()

    def _ask_secret_slots(self) -> None:
        """Set the unlock page for this keybox: whether it has a secret slot (asked on the
        executor) and whether the keyring may unlock (never after a lock, unless the
        setting allows it or no secret slot exists)."""
        after_lock = self.controller.locked_once
        keyring = not after_lock or self.settings.keyring_after_lock

        def known(ways: UnlockWays) -> None:
            if not self.controller.is_unlocked:
                self.unlock_page.set_mode(after_lock=after_lock, keyring=keyring,
                                          secret_slots=ways.secret > 0,
                                          typed=ways.typed > 0,
                                          security_key=ways.security_key,
                                          tpm_pin=ways.tpm_pin)

        def unknown(exc: BaseException) -> None:
            if not isinstance(exc, VaultError):  # a bug; a database failure keeps the field
                raise exc

        self.unlock_page.set_mode(after_lock=after_lock, keyring=keyring, secret_slots=True)
        self.controller.unlock_ways(known, unknown)

    def _on_unlocked(self, label: str) -> None:
        self.unlock_page.clear()
        self.pages.setCurrentWidget(self.vault_page)
        self._set_lock_text(True, label)
        self.refresh()
        self.poll_timer.start()
        self._restart_idle_timer()

    def lock(self) -> None:
        self.activity.cancel_all()
        self.controller.lock()

    def _on_locked(self) -> None:
        self.poll_timer.stop()
        self.idle_timer.stop()
        self.key_model.set_keys([])
        self.profile_list.clear()
        self._set_lock_text(False)
        if self.pages.currentWidget() is self.unlock_page:
            return  # a late "locked" from a job: leave what the person is typing alone
        self.pages.setCurrentWidget(self.unlock_page)
        self.unlock_page.set_failures(self.tr("Locked. Keys were removed from memory."))
        self._ask_secret_slots()

    def _idle_lock(self) -> None:
        if self.controller.is_unlocked and not self.activity.busy():
            self.lock()
        elif self.controller.is_unlocked:
            self._restart_idle_timer()

    def _restart_idle_timer(self) -> None:
        minutes = self.settings.auto_lock_minutes
        if minutes > 0 and self.controller.is_unlocked:
            self.idle_timer.start(minutes * 60_000)
        else:
            self.idle_timer.stop()

    def on_screen_locked(self) -> None:
        """Called by the platform watcher when the screen locks or the machine sleeps."""
        if self.settings.lock_on_screen_lock and self.controller.is_unlocked:
            self.lock()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress,
                            QEvent.Type.Wheel) and self.idle_timer.isActive():
            self._restart_idle_timer()
        return False

    def _set_lock_text(self, unlocked: bool, how: str = "") -> None:
        if unlocked:
            self.lock_state.setText(self.tr("Unlocked ({0})").format(how))
        else:
            self.lock_state.setText(self.tr("Locked"))

    # --- data ---

    def refresh(self) -> None:
        if not self.controller.is_unlocked:
            return
        self.controller.load(self._loaded, self._show_error)

    def _loaded(self, data: tuple[list[ProfileInfo], list[KeyInfo], datetime | None]) -> None:
        profiles, keys, last_backup = data
        self._show_backup_reminder(last_backup)
        current = self.current_profile()
        self.profiles, self.all_keys = profiles, keys
        self.profile_list.blockSignals(True)
        self.profile_list.clear()
        for p in profiles:
            item = QListWidgetItem(p.name)
            item.setData(Qt.ItemDataRole.UserRole, p.name)
            item.setToolTip(self.profile_tooltip(p))
            self.profile_list.addItem(item)
        names = [p.name for p in profiles]
        wanted, self._select_profile = self._select_profile, None  # one just made or renamed
        if wanted in names:
            current = wanted
        row = names.index(current) if current in names else (0 if names else -1)
        self.profile_list.setCurrentRow(row)
        self.profile_list.blockSignals(False)
        self._show_keys()
        if self.pending_files:  # files given before the keybox was unlocked and loaded
            files, self.pending_files = self.pending_files, []
            self._show_pending()
            self.handle_files(files)

    def _show_backup_reminder(self, last_backup: datetime | None) -> None:
        """A gentle reminder in the status bar when the keybox was never or long not saved."""
        if not self.controller.url.startswith("sqlite"):
            text = self.tr("Team keybox: back it up with pg_dump")
            warn = False
        elif last_backup is None:
            text = self.tr("Last backup: never — back up the keybox to a safe place")
            warn = True
        else:
            days = (datetime.now(UTC) - last_backup).days
            text = self.tr("Last backup: {0:%Y-%m-%d} ({1} days ago)").format(
                last_backup.astimezone(), days)
            warn = days > BACKUP_REMINDER_DAYS
        self.backup_state.setText(text)
        self.backup_state.setStyleSheet("color: #9e6a00;" if warn else "")

    def current_profile(self) -> str | None:
        item = self.profile_list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _show_keys(self) -> None:
        profile = self.current_profile()
        selected = self.selected_key()
        keys = [k for k in self.all_keys if k.profile == profile]
        self.key_model.set_keys(keys)
        if selected is not None:
            for row in range(self.key_model.rowCount()):
                key = self.key_model.key_at(row)
                if key is not None and key.key_id == selected.key_id:
                    self.key_table.selectRow(row)
        primary = next((k for k in keys if k.primary), None)
        if profile is None:
            self.key_summary.setText(self.tr("Create a profile to start sealing."))
        elif primary is None or not can_seal(primary.state, primary.primary):
            self.key_summary.setText(self.tr("⚠ {0} cannot seal: its primary key is not "
                                             "enabled. Enable or rotate it.").format(profile))
        else:
            self.key_summary.setText(self.tr("{0} seals with key {1} (version {2}).")
                                     .format(profile, primary.short_id, primary.version))
        self._update_buttons()

    def selected_key(self) -> KeyInfo | None:
        rows = self.key_table.selectionModel().selectedRows()
        if not rows:
            return None
        key = self.key_model.data(rows[0], KeyRole)
        return key if isinstance(key, KeyInfo) else None

    def _update_buttons(self) -> None:
        key = self.selected_key()

        def offers(change: Change) -> bool:
            return key is not None and useful(key.state, change)

        self.rotate_button.setEnabled(self.current_profile() is not None)
        self.enable_button.setEnabled(offers(Change.ENABLE))
        self.disable_button.setEnabled(offers(Change.DISABLE))
        self.destroy_button.setEnabled(offers(Change.DESTROY))
        self.cancel_destroy_button.setEnabled(offers(Change.CANCEL_DESTROY))

    # --- key and profile actions ---

    def _key_change(self, func: Any, done_text: str) -> None:
        self.controller.change(func, lambda _: self.statusBar().showMessage(done_text, 5000),
                               self._show_error)

    def _rotate(self) -> None:
        profile = self.current_profile()
        if profile:
            self._key_change(lambda box: box.rotate(profile),
                             self.tr("Rotated {0}: new primary key").format(profile))

    def _enable(self) -> None:
        key = self.selected_key()
        if key:
            self._key_change(lambda box: box.enable(key.key_id),
                             self.tr("Key {0} enabled").format(key.short_id))

    def _disable(self) -> None:
        key = self.selected_key()
        if key:
            self._key_change(lambda box: box.disable(key.key_id),
                             self.tr("Key {0} disabled").format(key.short_id))

    def _destroy(self) -> None:
        key = self.selected_key()
        if key is None:
            return
        choice = ConfirmDestroyDialog.ask(self, key)
        if choice is None:
            return
        self._key_change(lambda box: box.schedule_destroy(key.key_id, choice.after_days),
                         self.tr("Key {0} destroyed").format(key.short_id)
                         if choice.after_days == 0 else
                         self.tr("Key {0} will be destroyed in {1} days")
                         .format(key.short_id, choice.after_days))

    def _cancel_destroy(self) -> None:
        key = self.selected_key()
        if key:
            self._key_change(lambda box: box.cancel_destroy(key.key_id),
                             self.tr("Destruction of {0} cancelled; the key is disabled")
                             .format(key.short_id))

    def _new_profile(self) -> None:
        """A new profile becomes the selected one: the next drop seals under it."""
        name = ProfileNameDialog.ask(self, self.tr("New profile"))
        if name:
            self._profile_change(lambda box: box.create_profile(name), name,
                                 self.tr("Profile {0} created").format(name))

    def _rename_profile(self) -> None:
        old = self.current_profile()
        if old is None:
            return
        new = ProfileNameDialog.ask(self, self.tr("Rename profile"), old)
        if new and new != old:
            self._profile_change(lambda box: box.rename_profile(old, new), new,
                                 self.tr("Profile renamed to {0}").format(new))

    def _profile_change(self, func: Any, select: str, done_text: str) -> None:
        """Run a profile change; once it is done, the profile named `select` is selected
        (the refresh that follows the change selects it)."""
        def done(_: object) -> None:
            self._select_profile = select
            self.statusBar().showMessage(done_text, 5000)

        self.controller.change(func, done, self._show_error)

    # --- files ---

    def handle_files(self, paths: list[Path], mode: str | None = None) -> None:
        """Files dropped, chosen or passed on the command line (folders recursively).
        While the keybox is locked (or not loaded yet) they wait, and the status bar says
        how many."""
        if not self.controller.is_unlocked or not self.profiles:
            self.pending_files.extend(paths)
            self._show_pending()
            return

        output_folder = Path(self.settings.output_folder) if self.settings.output_folder \
            else None

        def add_jobs(files: list[Path]) -> None:
            """A job per file, except that more than BATCH_MIN small files (at most
            BATCH_MAX_FILE_SIZE each; stat'ed on a worker) go into one batch job, with one
            row; larger files of the same drop keep a job each. Rewrap stays per file."""
            profile = self.current_profile()
            remove_originals = self.settings.remove_originals

            def add(some: list[Path]) -> None:
                self.activity.add_job(Job(
                    some, self.controller, profile, remove_originals=remove_originals,
                    mode=mode, output_folder=output_folder))

            def batch_or_files(split: tuple[list[Path], list[Path]]) -> None:
                small, large = split
                if len(small) <= BATCH_MIN:
                    for f in files:
                        add([f])
                    return
                add(small)
                for f in large:
                    add([f])

            if mode == REWRAP or len(files) <= BATCH_MIN:
                for f in files:
                    add([f])
            else:
                run_task(lambda t: split_small(files), batch_or_files, self._show_error)

        skipped: list[Skipped] = []

        def expanded(files: list[Path]) -> None:
            for item in skipped:  # a row each: nothing given vanishes without a word
                self.activity.add_job(Job([item.path], self.controller, None,
                                          refused=skipped_words(item.why)))
            add_jobs(files)

        run_task(lambda t: expand_paths(paths, t.is_cancelled, skipped), expanded,
                 self._show_error)

    def _show_pending(self) -> None:
        """'Waiting for unlock: N files' while dropped files wait for the keybox."""
        n = len(self.pending_files)
        if n == 1:
            text = self.tr("Waiting for unlock: 1 file")
        else:
            text = self.tr("Waiting for unlock: {0} files").format(count(n))
        self.pending_notice.setText(text)
        self.pending_notice.setVisible(n > 0)
        if n:
            self.statusBar().showMessage(self.tr("The files will be sealed or opened once "
                                                 "the keybox is unlocked."), 10000)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Files may be dropped on the window while it is locked (not on the vault page,
        where the drop zone takes them): they wait for the unlock."""
        if self.pages.currentWidget() is not self.vault_page and \
                DropZone._local_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = DropZone._local_paths(event)
        if paths and self.pages.currentWidget() is not self.vault_page:
            event.acceptProposedAction()
            self.handle_files(paths)
        else:
            event.ignore()

    def _choose_files_to_seal(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Seal files"))
        if files:
            self.handle_files([Path(f) for f in files])

    def _choose_files_to_open(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Open sealed files"), "",
            self.tr("Sealed and age files (*.vault *.age);;All files (*)"))
        if files:
            self.handle_files([Path(f) for f in files])

    def _choose_files_to_rewrap(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Rewrap sealed files"), "", self.tr("Sealed files (*.vault)"))
        if files:
            self.handle_files([Path(f) for f in files], mode=REWRAP)

    # --- errors ---

    def _show_error(self, exc: BaseException) -> None:
        """User-facing errors plainly; anything else is a bug and is re-raised."""
        if isinstance(exc, KeyboxLockedError) and not self.controller.is_unlocked:
            self._on_locked()
            return
        if isinstance(exc, VaultError):
            text = describe(exc)
            self.statusBar().showMessage(text, 10000)
            QMessageBox.warning(self, self.tr("vaultapp"), text)
            return
        raise exc

    def closeEvent(self, event: Any) -> None:
        """Closing (or Quit, Ctrl+Q) while a job runs asks first; No keeps everything
        running. The size and place are remembered for the next start."""
        if self.activity.busy() and not QuitQuestion.ask(self, self._running_jobs()):
            event.ignore()
            return
        self.qsettings.setValue("geometry", self.saveGeometry())
        self.activity.cancel_all()
        if self._prompts is not None:
            self._prompts.close()  # an executor waiting for a PIN is answered at once
        self.controller.lock()
        super().closeEvent(event)

    # --- the menus' keybox, profile and help actions (dialogs in their own modules) ---

    def _update_keybox_actions(self) -> None:
        """Actions that need the unlocked keybox; backup and restore not on a team keybox."""
        from .maintenance_dialog import is_team_keybox, team_reason

        unlocked = self.controller.is_unlocked
        for action in self._keybox_actions:
            action.setEnabled(unlocked)
        if is_team_keybox(self.controller.url):
            for action in (self.backup_action, self.restore_action):
                action.setEnabled(False)
                action.setToolTip(team_reason())
                action.setStatusTip(team_reason())

    def _maintenance(self) -> Any:
        from .maintenance_dialog import Maintenance

        if getattr(self, "_maintenance_actions", None) is None:
            self._maintenance_actions = Maintenance(self)
        return self._maintenance_actions

    def show_audit_log(self) -> None:
        if not self.controller.is_unlocked:
            return
        from .log_dialog import AuditLogDialog

        self.audit_log_dialog = AuditLogDialog(self, self.controller,
                                               [p.name for p in self.profiles])
        self.audit_log_dialog.open()

    def backup_keybox(self) -> None:
        self._maintenance().backup()

    def restore_keybox(self) -> None:
        self._maintenance().restore()

    def check_keybox(self) -> None:
        self._maintenance().check()

    def delete_profile(self) -> None:
        from .profile_dialog import delete_profile

        delete_profile(self)

    def set_rotation_period(self) -> None:
        from .profile_dialog import set_rotation_period

        set_rotation_period(self)

    def profile_tooltip(self, profile: ProfileInfo) -> str:
        from .profile_dialog import rotation_words

        return rotation_words(profile)

    def show_about(self) -> None:
        from .about_dialog import AboutDialog

        self.about_dialog = AboutDialog.show_for(self, self.controller.location)

    def _running_jobs(self) -> int:
        return sum(1 for job in self.activity.jobs if job.ok is None)

    # --- sharing with people (people_dialog.py, share_dialog.py) ---

    def _build_people_menus(self, file_menu: Any, help_menu: Any) -> None:
        """File → Share… (Ctrl+Shift+E, after Open), and a People menu before Help."""
        self.share_action = QAction(self.tr("S&hare with people…"), self)
        self.share_action.setObjectName("shareAction")
        self.share_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.share_action.triggered.connect(self.share_files)
        file_menu.insertAction(self.rewrap_action, self.share_action)
        people_menu = QMenu(self.tr("P&eople"), self)
        self.menuBar().insertMenu(help_menu.menuAction(), people_menu)
        self.people_action = QAction(self.tr("&People…"), self)
        self.people_action.setObjectName("peopleAction")
        self.people_action.triggered.connect(self.show_people)
        self.my_recipient_action = QAction(self.tr("&My recipient…"), self)
        self.my_recipient_action.setObjectName("myRecipientAction")
        self.my_recipient_action.triggered.connect(lambda: self.show_people(mine=True))
        people_menu.addAction(self.people_action)
        people_menu.addAction(self.my_recipient_action)
        people_menu.addSeparator()
        people_menu.addAction(self.share_action)
        self._keybox_actions = (*self._keybox_actions, self.share_action, self.people_action,
                                self.my_recipient_action)

    def show_people(self, mine: bool = False) -> None:
        if not self.controller.is_unlocked:
            return
        from .people_dialog import PeopleDialog

        self.people_dialog = PeopleDialog(self, self.controller)
        self.people_dialog.open()
        if mine:
            self.people_dialog.show_my_recipient()

    def share_files(self) -> None:
        """Choose files, then whom to share them with; a SHARE job writes FILE.age."""
        if not self.controller.is_unlocked:
            return
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Share files with people"))
        if files:
            self.share_paths([Path(f) for f in files])

    def share_paths(self, paths: list[Path]) -> None:
        """Ask whom to share `paths` with (the people read on the executor), then run."""
        def read(task: object) -> tuple[list[Any], list[Any]]:
            people = self.controller.keybox().people
            return people.identities(), people.contacts()

        self.controller.run(read, lambda found: self._ask_share(paths, *found),
                            self._show_error)

    def _ask_share(self, paths: list[Path], identities: list[Any],
                   contacts: list[Any]) -> None:
        from .job import SHARE
        from .share_dialog import ShareDialog

        if not identities and not contacts:
            QMessageBox.information(self, self.tr("Share with people"), self.tr(
                "There is nobody to share with yet. Add the people you share with as "
                "contacts, from the recipient they give you."))
            self.show_people()
            return
        choice = ShareDialog.ask(self, paths, identities, contacts)
        if choice is None:
            return
        output_folder = Path(self.settings.output_folder) if self.settings.output_folder \
            else None
        self.activity.add_job(Job(paths, self.controller, None, mode=SHARE,
                                  output_folder=output_folder, share_with=choice.recipients,
                                  armor=choice.armor))


class QuitQuestion:
    """Quit while jobs run? True to quit (cancelling them), False to keep running."""

    @classmethod
    def ask(cls, parent: QWidget, jobs: int) -> bool:
        box, quit_button = cls.build(parent, jobs)
        box.exec()
        return box.clickedButton() is quit_button

    @staticmethod
    def build(parent: QWidget, jobs: int) -> tuple[QMessageBox, QPushButton]:
        """The question, not yet shown, and its Quit button."""
        translate = QCoreApplication.translate
        box = QMessageBox(parent)
        box.setObjectName("quitQuestion")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(translate("QuitQuestion", "Quit vaultapp?"))
        if jobs <= 1:
            box.setText(translate("QuitQuestion", "A job is still running. Quit and cancel it?"))
        else:
            box.setText(translate("QuitQuestion", "{0} jobs are still running. Quit and "
                                  "cancel them?").format(count(jobs)))
        box.setInformativeText(translate(
            "QuitQuestion", "Files already done are kept; a file not finished is left as it "
            "was, with no partial output."))
        quit_button = box.addButton(translate("QuitQuestion", "Quit"),
                                    QMessageBox.ButtonRole.AcceptRole)
        quit_button.setObjectName("quitButton")
        stay = box.addButton(translate("QuitQuestion", "Keep running"),
                             QMessageBox.ButtonRole.RejectRole)
        stay.setObjectName("keepRunningButton")
        box.setDefaultButton(stay)
        box.setEscapeButton(stay)
        fit_message_title(box)
        return box, quit_button


def first_size(available: QRect, minimum: QSize) -> QSize:
    """The window's size on its first start: the size it was designed at (1100x740), but
    at most 85 % of the screen's available area, at least the layout's minimum, and never
    larger than the screen."""
    width = min(PREFERRED_SIZE.width(), int(available.width() * FIRST_START_SHARE))
    height = min(PREFERRED_SIZE.height(), int(available.height() * FIRST_START_SHARE))
    return QSize(min(max(width, minimum.width()), available.width()),
                 min(max(height, minimum.height()), available.height()))


def fit_to_screen(rect: QRect, available: QRect) -> QRect:
    """`rect` moved (and shrunk if need be) so that it lies within `available`: a saved
    geometry from a larger screen, or from one no longer connected."""
    width = min(rect.width(), available.width())
    height = min(rect.height(), available.height())
    x = min(max(rect.x(), available.left()), available.left() + available.width() - width)
    y = min(max(rect.y(), available.top()), available.top() + available.height() - height)
    return QRect(x, y, width, height)


def skipped_words(why: str) -> str:
    """The window's words for why a given path yielded no file (core/jobs/inputs.py)."""
    from vaultapp.core.jobs import inputs

    translate = QCoreApplication.translate
    return {
        inputs.MISSING: translate("Skipped", "Not found: it does not exist"),
        inputs.UNREADABLE: translate("Skipped", "Not done: it cannot be read"),
        inputs.EMPTY_FOLDER: translate("Skipped", "Nothing to do: the folder has no files"),
        inputs.FOLDER_UNREADABLE: translate("Skipped", "Not done: the folder cannot be read "
                                            "(permission denied)"),
        inputs.LINK_TO_FOLDER: translate("Skipped", "Not done: a link to a folder; links are "
                                         "not followed (drop the folder itself)"),
        inputs.DANGLING_LINK: translate("Skipped", "Not done: a link to nothing"),
        inputs.LINK_TO_SPECIAL: translate("Skipped", "Not done: a link to something that is "
                                          "not a file"),
        inputs.NOT_REGULAR: translate("Skipped", "Not done: not a regular file (a FIFO, "
                                      "socket or device)"),
    }.get(why, translate("Skipped", "Not done"))


def _error_text(exc: BaseException) -> str:
    return describe(exc) if isinstance(exc, VaultError) else str(exc)


def _keyring_status() -> tuple[bool, str]:
    """Whether a secure system keyring is there, and if not the keyring library's own
    words on what it found (the first-run page shows them as a tooltip)."""
    from vaultapp.core.keybox.slots.base import SlotFailure
    from vaultapp.core.keybox.slots.os_keyring import secure_keyring_backend

    try:
        secure_keyring_backend()
    except SlotFailure as exc:
        return False, str(exc)
    return True, ""
