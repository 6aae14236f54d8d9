"""The main window: setup, unlock and the vault itself (profiles, keys, drop zone, activity)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
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
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vaultapp.core.errors import KeyboxLockedError, VaultError
from vaultapp.core.jobs import expand_paths, split_small
from vaultapp.core.keybox.models import KeyInfo, ProfileInfo
from vaultapp.core.keybox.states import Change, can_seal, useful

from .activity import BATCH_MIN, REWRAP, ActivityList, Job
from .controller import KeyboxController
from .dialogs import ConfirmDestroyDialog, ProfileNameDialog, Settings, SettingsDialog
from .hints import describe
from .icons import icon, icon_label
from .key_model import KeyRole, KeyTableModel
from .pages import SetupPage, UnlockPage
from .worker import emit, run_task

POLL_MS = 3000
BACKUP_REMINDER_DAYS = 30


class DropZone(QFrame):
    """Drop files or folders here: sealed files are opened, the rest sealed."""

    files_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dropZone")
        self.setAccessibleName(self.tr("Drop zone: drop files to seal or open them"))
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setMinimumHeight(150)
        self.title = QLabel(self.tr("<b>Drop files or folders here</b>"))
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle = QLabel(self.tr("Plain files are sealed with the selected profile; "
                                       "sealed .vault files are opened."))
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle.setWordWrap(True)
        self.seal_button = QPushButton(self.tr("Seal files…"))
        self.open_button = QPushButton(self.tr("Open files…"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.seal_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(icon_label("drop", 40))
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addLayout(buttons)
        self._set_hover(False)

    def _set_hover(self, on: bool) -> None:
        self.setProperty("hover", on)
        self.setStyleSheet(
            "#dropZone { border: 2px dashed palette(mid); border-radius: 10px; }"
            if not on else
            "#dropZone { border: 2px solid palette(highlight); border-radius: 10px; "
            "background: palette(alternate-base); }")

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


class MainWindow(QMainWindow):
    """Stacked pages: setup (first run), unlock, vault."""

    def __init__(self, controller: KeyboxController, settings: QSettings | None = None) -> None:
        super().__init__()
        # Workers hand the GIL over every 1 ms instead of Python's default 5 ms, so the GUI
        # thread waits less for it while files are sealed (measured in benchmarks/app.py).
        sys.setswitchinterval(0.001)
        self.controller = controller
        self.qsettings = settings or QSettings("vaultapp", "vaultapp")
        self.settings = self._load_settings()
        self.setWindowTitle(self.tr("vaultapp"))
        self.setWindowIcon(icon("app"))
        self.setMinimumSize(880, 600)
        self.resize(1100, 740)
        self.pending_files: list[Path] = []
        self.profiles: list[ProfileInfo] = []
        self.all_keys: list[KeyInfo] = []

        self.setup_page = SetupPage(controller.location)
        self.unlock_page = UnlockPage(controller.location)
        self.vault_page = self._build_vault_page()
        self.busy_page = QLabel(self.tr("Opening the keybox…"))
        self.busy_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        for page in (self.busy_page, self.setup_page, self.unlock_page, self.vault_page):
            self.pages.addWidget(page)
        self.setCentralWidget(self.pages)
        self._build_menus()
        self.lock_state = QLabel()
        self.lock_state.setAccessibleName(self.tr("Lock state"))
        self.statusBar().addWidget(self.lock_state)
        self.backup_state = QLabel()
        self.backup_state.setObjectName("backupState")
        self.backup_state.setAccessibleName(self.tr("Last backup"))
        self.statusBar().addWidget(self.backup_state)
        where = QLabel(self.tr("Keybox: {0}").format(controller.location))
        where.setAccessibleName(self.tr("Keybox location"))
        self.statusBar().addPermanentWidget(where)

        self.setup_page.create_requested.connect(self._create_keybox)
        self.unlock_page.unlock_requested.connect(self._unlock_with)
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

    # --- construction ---

    def _build_vault_page(self) -> QWidget:
        self.profile_list = QListWidget()
        self.profile_list.setObjectName("profileList")
        self.profile_list.setAccessibleName(self.tr("Profiles"))
        self.profile_list.currentRowChanged.connect(lambda _: self._show_keys())
        self.new_profile_button = QPushButton(self.tr("New profile…"))
        self.rename_profile_button = QPushButton(self.tr("Rename…"))
        self.new_profile_button.clicked.connect(self._new_profile)
        self.rename_profile_button.clicked.connect(self._rename_profile)
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("<b>Profiles</b>")))
        left.addWidget(self.profile_list, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_profile_button)
        row.addWidget(self.rename_profile_button)
        left.addLayout(row)
        left_box = QWidget()
        left_box.setLayout(left)

        self.drop_zone = DropZone()
        self.drop_zone.files_dropped.connect(self.handle_files)
        self.drop_zone.seal_button.clicked.connect(self._choose_files_to_seal)
        self.drop_zone.open_button.clicked.connect(self._choose_files_to_open)

        self.key_model = KeyTableModel(self)
        self.key_table = QTableView()
        self.key_table.setObjectName("keyTable")
        self.key_table.setAccessibleName(self.tr("Keys of the selected profile"))
        self.key_table.setModel(self.key_model)
        self.key_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.key_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.key_table.verticalHeader().hide()
        self.key_table.setAlternatingRowColors(True)
        # Widths from sample texts, not ResizeToContents: measuring every row of a
        # 10,000-key profile on each refresh would cost far more than a frame.
        header = self.key_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        metrics = self.key_table.fontMetrics()
        samples = ("0123abcd", "Version", "⚠ Pending destruction", "★ Primary",
                   "2026-11-29 23:59", "999 d", "Next rotation", "Files sealed")
        for column, sample in enumerate(samples):
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 28)
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
        self.key_summary.setTextFormat(Qt.TextFormat.PlainText)  # names a stored profile
        keys_row = QHBoxLayout()
        keys_row.addWidget(self.key_summary, 1)
        for b in (self.rotate_button, self.enable_button, self.disable_button,
                  self.destroy_button, self.cancel_destroy_button):
            keys_row.addWidget(b)

        self.activity = ActivityList()
        self.activity.job_finished.connect(lambda _: self.refresh())
        right = QVBoxLayout()
        right.addWidget(self.drop_zone)
        right.addWidget(QLabel(self.tr("<b>Keys</b>")))
        right.addWidget(self.key_table, 2)
        right.addLayout(keys_row)
        right.addWidget(QLabel(self.tr("<b>Activity</b>")))
        right.addWidget(self.activity, 1)
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
        top = QHBoxLayout()
        top.addWidget(icon_label("app", 28))
        top.addWidget(QLabel(self.tr("<b>vaultapp</b>")))
        top.addStretch(1)
        top.addWidget(self.lock_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        QWidget.setTabOrder(self.profile_list, self.new_profile_button)
        QWidget.setTabOrder(self.new_profile_button, self.rename_profile_button)
        QWidget.setTabOrder(self.rename_profile_button, self.drop_zone.seal_button)
        QWidget.setTabOrder(self.drop_zone.seal_button, self.drop_zone.open_button)
        QWidget.setTabOrder(self.drop_zone.open_button, self.key_table)
        QWidget.setTabOrder(self.key_table, self.rotate_button)
        QWidget.setTabOrder(self.rotate_button, self.enable_button)
        QWidget.setTabOrder(self.enable_button, self.disable_button)
        QWidget.setTabOrder(self.disable_button, self.destroy_button)
        QWidget.setTabOrder(self.destroy_button, self.cancel_destroy_button)
        QWidget.setTabOrder(self.cancel_destroy_button, self.activity)
        QWidget.setTabOrder(self.activity, self.lock_button)
        return page

    def _build_menus(self) -> None:
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
        self.lock_action = QAction(self.tr("&Lock"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        vault_menu.addAction(self.lock_action)
        self.slots_action = QAction(self.tr("&Key slots…"), self)
        self.slots_action.triggered.connect(self.show_slots)
        vault_menu.addAction(self.slots_action)

    def show_slots(self) -> None:
        if not self.controller.is_unlocked:
            return
        from .slots_dialog import SlotsDialog

        self.slots_dialog = SlotsDialog(self, self.controller)
        self.slots_dialog.open()

    # --- settings ---

    def _load_settings(self) -> Settings:
        q = self.qsettings
        return Settings(
            auto_lock_minutes=int(str(q.value("auto_lock_minutes", 15))),
            lock_on_screen_lock=str(q.value("lock_on_screen_lock", "true")) == "true",
            remove_originals=str(q.value("remove_originals", "false")) == "true",
            output_folder=str(q.value("output_folder", "")),
            keyring_after_lock=str(q.value("keyring_after_lock", "false")) == "true",
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

    def _unlock_failed(self, exc: BaseException) -> None:
        self.pages.setCurrentWidget(self.unlock_page)
        if isinstance(exc, KeyboxLockedError) and exc.failures:
            text = "\n".join(exc.failures)
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

        def known(count: int) -> None:
            if not self.controller.is_unlocked:
                self.unlock_page.set_mode(after_lock=after_lock, keyring=keyring,
                                          secret_slots=count > 0)

        def unknown(exc: BaseException) -> None:
            if not isinstance(exc, VaultError):  # a bug; a database failure keeps the field
                raise exc

        self.unlock_page.set_mode(after_lock=after_lock, keyring=keyring, secret_slots=True)
        self.controller.secret_slot_count(known, unknown)

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
            self.profile_list.addItem(item)
        names = [p.name for p in profiles]
        row = names.index(current) if current in names else (0 if names else -1)
        self.profile_list.setCurrentRow(row)
        self.profile_list.blockSignals(False)
        self._show_keys()
        if self.pending_files:  # files given before the keybox was unlocked and loaded
            files, self.pending_files = self.pending_files, []
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
        name = ProfileNameDialog.ask(self, self.tr("New profile"))
        if name:
            self._key_change(lambda box: box.create_profile(name),
                             self.tr("Profile {0} created").format(name))

    def _rename_profile(self) -> None:
        old = self.current_profile()
        if old is None:
            return
        new = ProfileNameDialog.ask(self, self.tr("Rename profile"), old)
        if new and new != old:
            self._key_change(lambda box: box.rename_profile(old, new),
                             self.tr("Profile renamed to {0}").format(new))

    # --- files ---

    def handle_files(self, paths: list[Path], mode: str | None = None) -> None:
        """Files dropped, chosen or passed on the command line (folders recursively)."""
        if not self.controller.is_unlocked or not self.profiles:
            self.pending_files.extend(paths)
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

        run_task(lambda t: expand_paths(paths, t.is_cancelled), add_jobs, self._show_error)

    def _choose_files_to_seal(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Seal files"))
        if files:
            self.handle_files([Path(f) for f in files])

    def _choose_files_to_open(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Open sealed files"), "",
            self.tr("Sealed files (*.vault);;All files (*)"))
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
        self.activity.cancel_all()
        self.controller.lock()
        super().closeEvent(event)


def _error_text(exc: BaseException) -> str:
    return describe(exc) if isinstance(exc, VaultError) else str(exc)


def _keyring_status() -> tuple[bool, str]:
    from vaultapp.core.keybox.slots.base import SlotFailure
    from vaultapp.core.keybox.slots.os_keyring import secure_keyring_backend

    try:
        secure_keyring_backend()
    except SlotFailure:
        return False, QCoreApplication.translate("MainWindow", "no secure OS keyring is "
                                                 "available")
    return True, ""
