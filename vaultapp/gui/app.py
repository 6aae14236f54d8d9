"""Start the window: one instance per user and keybox, files handed over as if dropped.

The single-instance socket lives in a folder only this user can enter: the user's
runtime folder `$XDG_RUNTIME_DIR/vaultapp/` (created 0700; not used when it, or
XDG_RUNTIME_DIR, belongs to someone else or is open to others), else `run/` in the data
folder (created 0700). Before a later launch sends anything (the paths of the files it
was given), it checks who listens: on Linux the listener's uid (SO_PEERCRED) must be
ours, else nothing is sent and the launch fails with one clear line. Elsewhere the
private folder is the protection.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket as pysocket
import stat
import struct
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QThreadPool, Signal, Slot
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication

from vaultapp import __version__
from vaultapp.core.errors import VaultError
from vaultapp.core.hygiene import disable_core_dumps
from vaultapp.core.keybox.location import data_folder, resolve_url

from . import i18n
from .collector import collect_on_gui_thread
from .controller import KeyboxController
from .icons import icon
from .main_window import MainWindow
from .worker import emit


def _private(folder: Path, create: bool, strict: bool = True) -> bool:
    """Whether `folder` is a real folder (no link) of ours that others cannot change
    (`strict`: nor enter). Created 0700 first when `create`."""
    if create:
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
    info = folder.lstat()
    others = 0o077 if strict else 0o022
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and \
        not info.st_mode & others


def runtime_folder() -> Path:
    """The private folder of the single-instance socket (see the module's docstring)."""
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg and os.path.isabs(xdg):
        folder = Path(xdg) / "vaultapp"
        with contextlib.suppress(OSError):
            if _private(Path(xdg), create=False, strict=False) and \
                    _private(folder, create=True):
                return folder
    folder = data_folder() / "run"
    folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not _private(folder, create=True):
        raise VaultError(f"the folder {folder} is not private to this user (another owner, "
                         "or open to others); the window was not started", path=folder)
    return folder


def server_name(url: str) -> str:
    """The single-instance socket of this user and keybox: a full path in the private
    runtime folder (a plain name on Windows, where it is a named pipe)."""
    digest = hashlib.sha256(url.encode()).hexdigest()[:16]
    if sys.platform == "win32":
        user = os.environ.get("USERNAME", "")
        return "vaultapp-" + hashlib.sha256(f"{user}\0{url}".encode()).hexdigest()[:16]
    return str(runtime_folder() / f"instance-{digest}")


def peer_uid(socket: QLocalSocket) -> int | None:
    """The uid of the process at the other end of a connected local socket (Linux:
    SO_PEERCRED); None where the platform cannot say."""
    if not hasattr(pysocket, "SO_PEERCRED"):
        return None
    fd = int(socket.socketDescriptor())
    if fd < 0:
        return -1  # connected but no descriptor: cannot be checked, so never trusted
    with pysocket.fromfd(fd, pysocket.AF_UNIX, pysocket.SOCK_STREAM) as sock:  # a dup
        creds = sock.getsockopt(pysocket.SOL_SOCKET, pysocket.SO_PEERCRED,
                                struct.calcsize("3i"))
    return int(struct.unpack("3i", creds)[1])


def _foreign(uid: int | None) -> bool:
    return uid is not None and hasattr(os, "getuid") and uid != os.getuid()


def hand_over(name: str, files: list[Path], timeout_ms: int = 500) -> bool:
    """Give `files` to a running window; True if one took them.

    Raises VaultError, having sent nothing, when the socket is held by another user's
    process."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    uid = peer_uid(socket)
    if _foreign(uid):
        socket.abort()
        who = "an unknown user's" if uid == -1 else f"another user's (uid {uid})"
        raise VaultError(f"{who} process holds the single-instance socket {name}; nothing "
                         "was handed over", path=name)
    payload = json.dumps([str(f.resolve()) for f in files]).encode() + b"\n"
    socket.write(QByteArray(payload))
    socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    return True


class InstanceServer(QObject):
    """Receives files from later launches (file managers' "Open with", double-clicks)."""

    files_received = Signal(list)

    def __init__(self, name: str) -> None:
        super().__init__()
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(name)  # a stale socket left by a crash
        self.server.listen(name)
        self.server.newConnection.connect(self._accept)

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            if _foreign(peer_uid(socket)):  # the folder is private: never expected
                socket.abort()
                socket.deleteLater()
                continue
            buffer = bytearray()

            def read(sock: QLocalSocket = socket, buf: bytearray = buffer) -> None:
                buf.extend(bytes(sock.readAll().data()))
                if buf.endswith(b"\n"):
                    try:
                        files = [Path(p) for p in json.loads(buf.decode())]
                    except (ValueError, TypeError):
                        files = []
                    buf.clear()
                    if files:
                        emit(self.files_received, files)

            socket.readyRead.connect(read)
            socket.disconnected.connect(socket.deleteLater)


class FileOpenEvents(QObject):
    """Turns QFileOpenEvent (macOS double-click, "Open With") into dropped files."""

    files_received = Signal(list)

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # An application-wide filter sees the event for every object it passes through:
        # take it once, as it arrives at the application.
        if (event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent)
                and watched is self.parent()):
            emit(self.files_received, [Path(event.file())])
            return True
        return False


class ScreenLockWatcher(QObject):
    """Emits `screen_locked` on the D-Bus ScreenSaver and logind sleep signals (Linux)."""

    screen_locked = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.connected: list[str] = []
        try:
            from PySide6.QtCore import SLOT
            from PySide6.QtDBus import QDBusConnection
        except ImportError:
            return
        session, system = QDBusConnection.sessionBus(), QDBusConnection.systemBus()
        for bus, service, path, interface, signal, slot in (
            (session, "", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver",
             "ActiveChanged", "on_active(bool)"),
            (session, "", "/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged",
             "on_active(bool)"),
            (system, "org.freedesktop.login1", "/org/freedesktop/login1",
             "org.freedesktop.login1.Manager", "PrepareForSleep", "on_active(bool)"),
        ):
            if bus.isConnected() and bus.connect(  # type: ignore[call-overload]
                    service, path, interface, signal, self, SLOT(slot)):
                self.connected.append(f"{interface}.{signal}")

    @Slot(bool)
    def on_active(self, active: bool) -> None:
        if active:
            emit(self.screen_locked)


def create_window(keybox: str | None, files: list[Path]) -> MainWindow:
    """Build the window for a keybox (the QApplication must exist) and start it."""
    controller = KeyboxController(resolve_url(keybox))
    window = MainWindow(controller)
    window.pending_files.extend(files)
    window.watcher = ScreenLockWatcher()  # type: ignore[attr-defined]
    window.watcher.screen_locked.connect(window.on_screen_locked)  # type: ignore[attr-defined]
    window.start()
    return window


NO_DISPLAY = ("vaultapp: no display to show the window on; use the command line "
              "(vaultapp --help), or set QT_QPA_PLATFORM (e.g. offscreen)")


def no_display() -> bool:
    """Linux without X11 or Wayland, and no platform chosen: Qt would abort (exit 134)
    with its own long message about the xcb plugin."""
    return sys.platform.startswith("linux") and not any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def bring_to_front(window: MainWindow) -> None:
    """A later launch (files handed over, "Open with") shows the window: restored when it
    was minimized, raised and activated."""
    if window.isMinimized():
        window.showNormal()
    window.raise_()
    window.activateWindow()


def run_gui(keybox: str | None, files: list[Path]) -> int:
    """`vaultapp` / `vaultapp gui FILE...`: hand files to a running window, or start one."""
    disable_core_dumps()  # before the window can be given a passphrase
    app = QApplication.instance()
    created = app is None
    if created:
        if no_display():
            print(NO_DISPLAY, file=sys.stderr)
            return 2
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    if created:  # no Qt object is freed by a worker's collection (a test's app: conftest)
        collect_on_gui_thread(app)
    app.setApplicationName("vaultapp")
    app.setOrganizationName("vaultapp")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(icon("app"))
    app.setDesktopFileName("vaultapp")  # Wayland compositors match the desktop entry
    url = resolve_url(keybox)
    name = server_name(url)
    if hand_over(name, files):
        print("vaultapp is already running; the files were handed to its window")
        return 0
    if created:  # a test's own application keeps the language the test chose
        i18n.install(app, i18n.chosen_language(QSettings("vaultapp", "vaultapp")))
    server = InstanceServer(name)
    window = create_window(keybox, files)
    server.files_received.connect(window.handle_files)

    server.files_received.connect(lambda _: bring_to_front(window))
    opener = FileOpenEvents(app)  # macOS Finder sends double-clicked files as events
    opener.files_received.connect(window.handle_files)
    window.show()
    if not created:
        return 0  # the caller (a test) runs the event loop
    code = app.exec()
    # Let running workers finish (a cancelled job cleans up its temporary file) before
    # the interpreter, and the Qt objects they report to, go away.
    QThreadPool.globalInstance().waitForDone(30_000)
    window.controller.close()
    return int(code)


def offscreen_window_check() -> str:
    """For `vaultapp selftest`: build the main window offscreen and render it once."""
    if QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QApplication([])
    else:
        app = QApplication.instance()  # type: ignore[assignment]
    with tempfile.TemporaryDirectory(prefix="vaultapp-selftest-gui-") as tmp:
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(KeyboxController(f"sqlite:///{Path(tmp) / 'none.sqlite'}"), settings)
        window.show()
        app.processEvents()
        image = window.grab()
        names = [n for n in ("dropZone", "profileList", "keyTable", "lockButton")
                 if window.findChild(QObject, n) is not None]
        window.close()
        window.deleteLater()
    if image.isNull() or len(names) != 4:
        return "FAIL the window did not render"
    return f"ok   window built offscreen ({image.width()}x{image.height()})"
