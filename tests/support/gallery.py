"""Every page and dialog of the window, built for real (offscreen) one at a time and handed
to a visitor: tests/gui/test_gui_translation.py reads the texts of each, and
scripts/screenshots.py photographs each.

Dialogs are found, not listed: every class of a vaultapp.gui module that is a QDialog or
has an `ask()` classmethod. One with `ask()` is shown through it (the dialog it opens is
caught while modal, visited, then rejected); any other is made and shown. Arguments come
from `Gallery.provide` by parameter name or annotation, so a dialog added later is shown
without editing this file; a parameter it cannot provide fails with its name.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import os
import pkgutil
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QThreadPool, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLineEdit,
    QListWidget,
    QTableView,
    QWidget,
)

PASSPHRASE = "correct horse battery staple"
PROFILES = ("Acme", "Globex")  # stored names: data, the same in every language
FILE_NAME = "quarterly-report.pdf"
STRANGER_FILE = "from-a-stranger.txt"  # shared with someone else, dropped here
ME = "Sam"  # this keybox's identity, post-quantum
CLASSIC_CONTACT = "Alice"  # a contact with the age spec's example (classic) recipient
CLASSIC_RECIPIENT = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"
HYBRID_CONTACT = "Bob"  # a post-quantum contact
PEOPLE = (ME, CLASSIC_CONTACT, HYBRID_CONTACT)  # stored names: data, as PROFILES

Visit = Callable[[str, QWidget], None]


def wait_until(predicate: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        QCoreApplication.processEvents()
        if time.monotonic() > deadline:
            raise TimeoutError(f"gallery: {what} did not happen in {timeout:.0f} s")
        time.sleep(0.01)


def idle(*pools: QThreadPool) -> bool:
    return all(pool.activeThreadCount() == 0 for pool in (QThreadPool.globalInstance(), *pools))


def settle(*pools: QThreadPool, timeout: float = 20.0) -> None:
    """Until no worker runs (keybox calls, file jobs) and the callbacks were delivered."""
    quiet = 0
    deadline = time.monotonic() + timeout
    while quiet < 10 and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        quiet = quiet + 1 if idle(*pools) else 0
        time.sleep(0.01)


def kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def dialog_classes() -> list[type]:
    """Classes of vaultapp.gui modules that are dialogs or have ask() (sorted by name)."""
    import vaultapp.gui as package

    found: dict[str, type] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for name, obj in vars(module).items():
            if (inspect.isclass(obj) and obj.__module__ == module.__name__
                    and not name.startswith("_") and not inspect.isabstract(obj)
                    and (issubclass(obj, QDialog) or callable(getattr(obj, "ask", None)))):
                found[f"{module.__name__}.{name}"] = obj
    return [found[k] for k in sorted(found, key=lambda k: k.rsplit(".", 1)[1])]


def _new_recovery_code(box: Any) -> Any:
    """A recovery code as the Key slots dialog shows it (not stored: a picture only)."""
    from datetime import UTC, datetime

    from vaultapp.core.keybox.slots.recovery_code import new_code
    from vaultapp.gui.recovery_sheet import NewRecoveryCode

    return NewRecoveryCode(new_code(), box.keybox_id, box.location, datetime.now(UTC),
                           "recovery code")


def _person() -> Any:
    """A contact to show (ConfirmRemoveContact): the age spec's example recipient."""
    from datetime import UTC, datetime

    from vaultapp.core.keybox.models import PersonKey

    return PersonKey(CLASSIC_CONTACT, CLASSIC_RECIPIENT, "x25519",
                     datetime(2026, 1, 5, tzinfo=UTC))


def _hybrid(seed: int) -> Any:
    """A post-quantum identity from a fixed seed, so that the pictures stay the same."""
    from vaultapp.core.age.hybrid import HybridIdentity

    return HybridIdentity(bytes([seed]) * 32)


def _hybrid_person(name: str, seed: int) -> Any:
    from datetime import UTC, datetime

    from vaultapp.core.keybox.models import PersonKey

    return PersonKey(name, _hybrid(seed).recipient().encode(), "hybrid",
                     datetime(2026, 1, 5, tzinfo=UTC))


class Gallery:
    """Builds the window's pages and dialogs in `folder` (fresh, empty) for `visit`."""

    def __init__(self, folder: Path, visit: Visit, progress_shot: bool = False) -> None:
        self.folder = folder
        self.visit = visit
        self.progress_shot = progress_shot  # sealing in progress (a 3 GB sparse file)
        self.visited: list[str] = []
        self.window: Any = None

    def shoot(self, name: str, widget: QWidget) -> None:
        self.visited.append(name)
        self.visit(name, widget)

    # --- the window ------------------------------------------------------------------

    def new_window(self, name: str) -> Any:
        from vaultapp.gui.controller import KeyboxController
        from vaultapp.gui.main_window import MainWindow

        url = f"sqlite:///{self.folder / f'{name}.sqlite'}"
        settings = QSettings(str(self.folder / f"{name}.ini"), QSettings.Format.IniFormat)
        window = MainWindow(KeyboxController(url), settings)
        window.resize(1100, 740)
        window.show()
        return window

    def pools(self) -> tuple[QThreadPool, ...]:
        return () if self.window is None else (self.window.controller.executor.pool,)

    def run(self) -> list[str]:
        os.environ.pop("VAULTAPP_PASSPHRASE", None)  # the unlock page must ask
        first = self.new_window("first-run")
        first.start()
        wait_until(lambda: first.pages.currentWidget() is first.setup_page, "the first-run page")
        settle(first.controller.executor.pool)
        self.shoot("first-run", first)
        self.close(first)

        url = self.make_keybox()
        self.window = window = self.new_window("keybox")
        assert window.controller.url == url
        window.start()
        self.shoot("opening", window)
        wait_until(lambda: window.pages.currentWidget() is window.unlock_page, "the unlock page")
        settle(*self.pools())
        self.shoot("unlock", window)
        self.unlock(window)
        self.arrange(window)
        self.shoot("unlocked", window)
        if self.progress_shot:
            self.sealing(window)
        for cls in dialog_classes():
            self.show_dialog(cls)
        self.people(window)
        window.lock()
        wait_until(lambda: window.pages.currentWidget() is window.unlock_page, "the lock")
        settle(*self.pools())
        self.shoot("locked", window)
        # The same page for a keybox with a security-key slot (no key is needed to show it).
        window.unlock_page.set_mode(after_lock=True, keyring=False, secret_slots=True,
                                    typed=True, security_key=True)
        settle(*self.pools())
        self.shoot("locked-security-key", window)
        self.close(window)
        self.window = None
        return self.visited

    def make_keybox(self) -> str:
        """A keybox with a passphrase slot only (the window asks for it): two profiles, the
        first with three keys, its oldest disabled."""
        from vaultapp.core.keybox import Keybox

        url = f"sqlite:///{self.folder / 'keybox.sqlite'}"
        box = Keybox.create(url, use_keyring=False, passphrase=PASSPHRASE)
        box.create_profile(PROFILES[0])
        box.rotate(PROFILES[0])
        box.rotate(PROFILES[0])
        box.create_profile(PROFILES[1])
        box.disable(box.keys(PROFILES[0])[0].key_id)
        box.close()
        return url

    def unlock(self, window: Any) -> None:
        """Type the passphrase into the unlock page's secret field and press Enter."""
        fields = [f for f in window.unlock_page.findChildren(QLineEdit)
                  if f.isVisible() and f.echoMode() == QLineEdit.EchoMode.Password]
        assert fields, "the unlock page has no passphrase field"
        fields[0].setFocus()
        fields[0].setText(PASSPHRASE)
        QTest.keyClick(fields[0], Qt.Key.Key_Return)
        profiles = window.findChild(QListWidget, "profileList")
        wait_until(lambda: window.pages.currentWidget() is window.vault_page
                   and profiles.count() == len(PROFILES), "the unlock")
        profiles.setCurrentItem(profiles.findItems(PROFILES[0], Qt.MatchFlag.MatchExactly)[0])
        wait_until(lambda: window.key_model.rowCount() == 3, "the keys of the first profile")

    def arrange(self, window: Any) -> None:
        """The vault page with a key selected and one sealed file in the activity list."""
        table = window.findChild(QTableView, "keyTable")
        table.selectRow(1)
        plain = self.folder / FILE_NAME
        plain.write_bytes(os.urandom(300_000))
        window.handle_files([plain])
        wait_until(lambda: window.activity.model().rowCount() == 1
                   and not window.activity.busy(), "the sealed file")
        settle(*self.pools())

    def sealing(self, window: Any) -> None:
        from vaultapp.gui.activity import ProgressRole

        big = self.folder / "holiday-video.mp4"
        with open(big, "wb") as f:
            f.truncate(3 << 30)  # sparse: seals slowly enough to be caught in progress
        window.handle_files([big])
        model = window.activity.model()

        def progressing() -> bool:
            value = model.index(model.rowCount() - 1, 0).data(ProgressRole) \
                if model.rowCount() == 2 else None
            return isinstance(value, float) and value > 0.03

        wait_until(progressing, "the sealing progress")
        self.shoot("sealing", window)
        window.activity.cancel_all()
        wait_until(lambda: not window.activity.busy(), "the cancel")
        settle(*self.pools())

    def people(self, window: Any) -> None:
        """The People dialog once the keybox has an identity (My recipient, its QR code)
        and two contacts, the classic one selected (the dialog pass showed it empty)."""
        from vaultapp.gui.people_dialog import PeopleDialog

        def fill(box: Any) -> None:
            box.people.import_identity(_hybrid(1).encode(), ME)
            box.people.add_contact(CLASSIC_CONTACT, CLASSIC_RECIPIENT)
            box.people.add_contact(HYBRID_CONTACT, _hybrid(2).recipient().encode())

        controller = window.controller
        controller.executor.call(lambda: fill(controller.keybox()))
        dialog = PeopleDialog(window, controller)
        dialog.show()
        wait_until(lambda: dialog.qr_text != "" and dialog.table.rowCount() == 2,
                   "the People dialog's recipient and contacts")
        dialog.table.selectRow(0)
        settle(*self.pools())
        self.shoot("people-dialog-filled", dialog)
        dialog.reject()
        dialog.deleteLater()
        settle(*self.pools())
        self.shared(window)

    def shared(self, window: Any) -> None:
        """The activity list once the file was shared with Bob, and an age file made for
        someone else was dropped: its row says that none of the identities opens it."""
        from vaultapp.core import age, age_fileops
        from vaultapp.gui.activity import Job
        from vaultapp.gui.job import SHARE

        plain = self.folder / FILE_NAME
        bob = _hybrid(2).recipient().encode()
        model = window.activity.model()
        rows = model.rowCount()
        window.activity.add_job(Job([plain], window.controller, None, mode=SHARE,
                                    share_with=(bob,), armor=False))
        wait_until(lambda: model.rowCount() == rows + 1 and not window.activity.busy(),
                   "the share")
        stranger = self.folder / STRANGER_FILE
        stranger.write_bytes(os.urandom(2000))
        other = age_fileops.share_file(stranger, [age.HybridIdentity.generate().recipient()])
        stranger.unlink()
        window.handle_files([other.output])
        wait_until(lambda: model.rowCount() == rows + 2 and not window.activity.busy(),
                   "the age file for someone else")
        settle(*self.pools())
        self.shoot("shared", window)

    def close(self, window: Any) -> None:
        window.activity.cancel_all()
        window.close()
        window.controller.close()
        window.deleteLater()
        settle()

    # --- dialogs ---------------------------------------------------------------------

    def show_dialog(self, cls: type) -> None:
        ask = getattr(cls, "ask", None)
        func = ask if callable(ask) else cls
        for variant, kwargs in self.arguments(cls, func):
            name = kebab(cls.__name__) + (f"-{variant}" if variant else "")
            if callable(ask):
                self.catch_modal(name, lambda kw=kwargs: ask(**kw))
            else:
                dialog = cls(**kwargs)
                dialog.show()
                settle(*self.pools())
                self.shoot(name, dialog)
                dialog.reject()
                dialog.deleteLater()
            settle(*self.pools())

    def catch_modal(self, name: str, call: Callable[[], Any]) -> None:
        """Run `call` (an ask(), which blocks in exec()); visit each modal dialog it opens
        once it is shown and its keybox calls are done, then reject it."""
        seen: list[QWidget] = []
        since: dict[int, float] = {}

        def poll() -> None:
            widget = QApplication.activeModalWidget()
            if widget is None or any(widget is w for w in seen) or not widget.isVisible():
                return
            first = since.setdefault(id(widget), time.monotonic())
            waited = time.monotonic() - first
            if waited < 0.3 or (not idle(*self.pools()) and waited < 15):
                return
            seen.append(widget)
            self.shoot(name if len(seen) == 1 else f"{name}-{len(seen)}", widget)
            if isinstance(widget, QDialog):
                widget.done(QDialog.DialogCode.Rejected)
            else:
                widget.close()

        timer = QTimer()
        timer.setInterval(50)
        timer.timeout.connect(poll)
        timer.start()
        try:
            call()
        finally:
            timer.stop()
        if not seen:
            raise AssertionError(f"gallery: {name}: ask() showed no modal dialog")

    def arguments(self, cls: type, func: Callable[..., Any]) -> list[tuple[str, dict[str, Any]]]:
        """The calls to make: (variant, keyword arguments); one variant per alternative of
        the parameter that has several (a conflict about one file, and about many)."""
        fixed: dict[str, Any] = {}
        varied: list[tuple[str, Any]] = [("", None)]
        varied_name = ""
        for param in inspect.signature(func).parameters.values():
            if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
                continue
            options = self.provide(param.name, str(param.annotation), func)
            if options is None:
                if param.default is not param.empty:
                    continue
                raise LookupError(f"gallery: {cls.__name__}: no value for the parameter "
                                  f"{param.name!r} ({param.annotation}); add one to "
                                  "Gallery.provide in tests/support/gallery.py")
            if len(options) > 1 and not varied_name:
                varied_name, varied = param.name, options
            else:
                fixed[param.name] = options[0][1]
        if not varied_name:
            return [("", fixed)]
        return [(label, {**fixed, varied_name: value}) for label, value in varied]

    def provide(self, name: str, annotation: str, func: Callable[..., Any]) \
            -> list[tuple[str, Any]] | None:
        """Values for one parameter: [(variant label, value), ...], or None."""
        window = self.window
        controller = window.controller

        def on_executor(call: Callable[[Any], Any]) -> Any:
            return controller.executor.call(lambda: call(controller.keybox()))

        tr = QCoreApplication.translate
        by_name: dict[str, Callable[[], list[tuple[str, Any]]]] = {
            "parent": lambda: [("", window)],
            "controller": lambda: [("", controller)],
            "count": lambda: [("", 1), ("many", 12)],
            "target": lambda: [("", self.folder / f"{FILE_NAME}.vault")],
            "title": lambda: [("", tr("MainWindow", "New profile"))],
            "summary": lambda: [("", tr("Job", "{0} of {1} files failed:").format(2, 7))],
            "messages": lambda: [("", [tr("Job", "Cannot read {0}: {1}").format(
                self.folder / name, os.strerror(13)) for name in ("a.txt", "b.txt")])],
        }
        by_type: dict[str, Callable[[], list[tuple[str, Any]]]] = {
            "KeyboxController": lambda: [("", controller)],
            "KeyInfo": lambda: [("", on_executor(lambda box: box.keys(PROFILES[0])[0]))],
            "SlotInfo": lambda: [("", on_executor(lambda box: box.slots()[0]))],
            "NewRecoveryCode": lambda: [("", on_executor(_new_recovery_code))],
            "ProfileInfo": lambda: [("", on_executor(lambda box: box.profiles()[0]))],
            "QWidget": lambda: [("", window)],
            "Path": lambda: [("", self.folder / FILE_NAME)],
        }
        if name in by_name:
            return by_name[name]()
        if re.match(r"PersonKey\b", annotation.strip()):  # one contact, not a list of them
            return [("", _person())]
        listed = re.match(r"list\[(\w+)\]", annotation.strip())
        if listed and listed.group(1) == "Path":  # the files of a share
            return [("", [self.folder / FILE_NAME])]
        if listed and listed.group(1) == "PersonKey" and name == "identities":
            return [("", [_hybrid_person(ME, 1)])]
        if listed and listed.group(1) == "PersonKey":  # contacts: a classic one and a hybrid
            return [("", [_person(), _hybrid_person(HYBRID_CONTACT, 2)])]
        for type_name, make in by_type.items():
            if re.search(rf"\b{type_name}\b", annotation):
                return make()
        value = self.dataclass_default(annotation, func)
        if value is not None:
            return [("", value)]
        if name == "profile":
            return [("", PROFILES[0])]
        # plain types: a neutral value (a dialog that needs a better one gets a name above)
        base = annotation.split("|")[0].strip()
        plain: dict[str, Any] = {"str": PROFILES[0], "int": 1, "float": 0.0, "bool": False,
                                 "list": [], "tuple": (), "dict": {}, "set": set()}
        if base.split("[")[0] in plain:
            return [("", plain[base.split("[")[0]])]
        if re.search(r"\bNone\b", annotation):
            return [("", None)]
        return None

    @staticmethod
    def dataclass_default(annotation: str, func: Callable[..., Any]) -> Any:
        """A dataclass argument whose fields all have defaults (Settings): its default."""
        module = inspect.getmodule(func)
        kind = getattr(module, annotation.split("|")[0].strip(), None) if module else None
        if not (inspect.isclass(kind) and dataclasses.is_dataclass(kind)):
            return None
        fields = dataclasses.fields(kind)
        if any(f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
               for f in fields):
            return None
        return kind()
