"""People in the window (issue 15, item 5): contacts, My recipient, making an identity,
adding a contact by pasting or from a QR code image, renaming, removing.

The real window offscreen over Alice's keybox on disk; Bob and Carol are keyboxes made
with the core API, whose recipients Alice adds. Every keybox call of the dialogs runs on
the window's executor; the tests read the keybox back there too.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import segno
import zxingcpp
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QIcon, QImage, QPainter
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QStyle, QWidget
from pytestqt.qtbot import QtBot

from tests.gui.a11y import assert_focus_order, missing_accessible_names
from tests.gui.feature_fixtures import WAIT_MS, keybox_url, on_executor, shown, window
from vaultapp.core.errors import KeyboxLockedError
from vaultapp.core.keybox import Keybox
from vaultapp.core.keybox.models import PersonKey
from vaultapp.gui import people_dialog, qr
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.people_dialog import (
    AddContactDialog,
    ConfirmRemoveContact,
    ContactNameDialog,
    PeopleDialog,
    classic_warning,
)

FIXTURES = (keybox_url, shown, window)  # pytest finds these fixtures by their names here


class Person:
    """Someone else's keybox, made with the core API: their recipient, and a way to
    open what is shared with them."""

    def __init__(self, folder: Path, name: str, classic: bool = False) -> None:
        url = f"sqlite:///{folder / f'{name}.sqlite'}"
        self.box = Keybox.create(url, use_keyring=False, passphrase=f"{name} keybox pass")
        self.identity = self.box.people.new_identity(name, classic=classic)
        self.recipient = self.identity.recipient

    def open(self, path: Path) -> bytes:
        import io

        from vaultapp.core import age

        out = io.BytesIO()
        with path.open("rb") as src:
            age.decrypt(src, out, self.box.people.age_identities())
        return out.getvalue()


@pytest.fixture
def bob(tmp_path: Path) -> Person:
    person = Person(tmp_path, "bob")
    yield person
    person.box.close()


@pytest.fixture
def carol(tmp_path: Path) -> Person:
    """A classic (X25519) recipient."""
    person = Person(tmp_path, "carol", classic=True)
    yield person
    person.box.close()


def people(win: MainWindow) -> tuple[list[PersonKey], list[PersonKey]]:
    """Alice's identities and contacts, read on the window's executor."""
    found = on_executor(win, lambda box: (box.people.identities(), box.people.contacts()))
    assert isinstance(found, tuple)
    return found


def open_people(qtbot: QtBot, win: MainWindow, contacts: int = 0) -> PeopleDialog:
    win.people_action.trigger()
    dialog = win.people_dialog
    qtbot.waitUntil(lambda: dialog.have_identity.isVisible() or dialog.no_identity.isVisible(),
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == contacts, timeout=WAIT_MS)
    return dialog


def when_modal(name: str, act: Callable[[QWidget], None]) -> list[QWidget]:
    """Run `act` on the modal dialog called `name` once it is shown (a nested loop)."""
    seen: list[QWidget] = []

    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None and modal.objectName() == name:
            seen.append(modal)
            act(modal)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return seen


def decode(image: QImage) -> list[str]:
    """The QR codes in `image`, read by zxing-cpp as the Add dialog reads a file."""
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    w, h, stride = gray.width(), gray.height(), gray.bytesPerLine()
    raw = bytes(gray.constBits())
    tight = b"".join(raw[y * stride:y * stride + w] for y in range(h))
    return [c.text for c in zxingcpp.read_barcodes(memoryview(tight).cast("B", shape=[h, w]))]


def marks(icons: list[QIcon]) -> list[str]:
    """Each icon as "warning" (drawn), "blank" (all transparent, a warning's size, so that
    the texts beside it line up with a warned one's) or "none"."""
    warning = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
    size = QApplication.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
    found = []
    for icon in icons:
        image = icon.pixmap(size).toImage()
        if icon.isNull():
            found.append("none")
        elif image.size() == warning.pixmap(size).size() and all(
                image.pixelColor(x, y).alpha() == 0
                for x in range(image.width()) for y in range(image.height())):
            found.append("blank")
        else:
            found.append("warning")
    return found


def table_rows(dialog: PeopleDialog) -> list[tuple[str, str]]:
    return [(dialog.table.item(r, 0).text(), dialog.table.item(r, 1).text())
            for r in range(dialog.table.rowCount())]


# --- the contacts list ---------------------------------------------------------------------

def test_contacts_show_their_kind_and_classic_ones_are_marked(
        qtbot: QtBot, window: MainWindow, bob: Person, carol: Person) -> None:
    on_executor(window, lambda box: box.people.add_contact("Bob", bob.recipient))
    on_executor(window, lambda box: box.people.add_contact("Carol", carol.recipient))
    dialog = open_people(qtbot, window, contacts=2)
    assert table_rows(dialog) == [("Bob", "post-quantum (hybrid)"),
                                  ("Carol", "classic — not post-quantum")]
    bob_kind, carol_kind = dialog.table.item(0, 1), dialog.table.item(1, 1)
    assert marks([bob_kind.icon(), carol_kind.icon()]) == ["blank", "warning"]
    assert not bob_kind.toolTip()
    assert carol_kind.toolTip() == classic_warning()
    assert "quantum computer" in carol_kind.toolTip()
    # The recipient column shows a shortened recipient; its tooltip the whole one.
    assert dialog.table.item(0, 2).toolTip() == bob.recipient
    assert dialog.table.item(1, 2).text() == carol.recipient  # short enough to show whole
    assert missing_accessible_names(dialog) == []
    # No identity yet: "Make my identity" instead of My recipient.
    assert dialog.no_identity.isVisible() and not dialog.have_identity.isVisible()
    assert_focus_order(dialog, ["classicIdentity", "makeIdentityButton", "contactTable",
                                "addContactButton", "renameContactButton",
                                "removeContactButton", "QPushButton 'Close'"])


def test_people_needs_the_unlocked_keybox(qtbot: QtBot, window: MainWindow) -> None:
    assert window.people_action.isEnabled() and window.share_action.isEnabled()
    window.lock()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.unlock_page,
                    timeout=WAIT_MS)
    for action in (window.people_action, window.my_recipient_action, window.share_action):
        assert not action.isEnabled(), action.text()
    window.show_people()  # a stray call while locked opens nothing
    assert getattr(window, "people_dialog", None) is None


def test_a_lease_gives_the_identities_until_the_lock(qtbot: QtBot, window: MainWindow) -> None:
    on_executor(window, lambda box: box.people.new_identity())
    lease = window.controller.lease()
    (identity,) = lease.age_identities()
    (me,), _ = people(window)
    assert identity.recipient().encode() == me.recipient
    window.lock()
    with pytest.raises(KeyboxLockedError):
        lease.age_identities()


# --- My recipient -----------------------------------------------------------------------

def test_make_my_identity_post_quantum_then_copy_and_scan_its_qr_code(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    dialog = open_people(qtbot, window)
    assert not dialog.classic.isChecked()  # post-quantum unless asked otherwise
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.have_identity.isVisible(), timeout=WAIT_MS)
    (me,), _ = people(window)
    assert me.kind == "hybrid" and me.recipient.startswith("age1pq1")
    assert dialog.my_recipient.toPlainText() == me.recipient
    assert dialog.my_recipient.isReadOnly()
    assert "post-quantum" in dialog.my_kind.text()
    assert dialog.status.text() == f"Made your post-quantum identity “{me.name}”."

    # The QR code drawn in the dialog holds the recipient, as a phone would read it.
    qtbot.waitUntil(lambda: dialog.qr_text == me.recipient, timeout=WAIT_MS)
    pixmap = dialog.qr_label.pixmap()
    # Whole pixels a module (2 for the 157 modules of a hybrid recipient), within the box.
    assert not pixmap.isNull() and pixmap.width() == 2 * 157 <= people_dialog.QR_PIXELS
    assert decode(pixmap.toImage()) == [me.recipient]

    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == me.recipient
    assert dialog.status.text() == "Your recipient is on the clipboard."
    assert missing_accessible_names(dialog) == []
    assert_focus_order(dialog, ["myRecipient", "copyRecipientButton", "saveQrButton",
                                "contactTable", "addContactButton", "QPushButton 'Close'"])

    # Saved as a picture, it is what the Add dialog reads back.
    target = tmp_path / "alice.png"
    dialog.choose_qr_file = lambda: target  # type: ignore[method-assign]
    qtbot.mouseClick(dialog.save_qr_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Saved"), timeout=WAIT_MS)
    assert dialog.status.text() == f"Saved the QR code of your recipient to {target}."
    assert qr.read_recipient(target) == me.recipient


def test_saving_the_qr_code_where_it_cannot_be_written_says_why(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    on_executor(window, lambda box: box.people.new_identity())
    dialog = open_people(qtbot, window)
    dialog.choose_qr_file = lambda: tmp_path / "missing" / "me.png"  # type: ignore[method-assign]
    dialog.save_qr()
    qtbot.waitUntil(lambda: "cannot write" in dialog.status.text(), timeout=WAIT_MS)
    assert dialog.save_qr_button.isEnabled()
    assert not (tmp_path / "missing").exists()
    dialog.choose_qr_file = lambda: None  # type: ignore[method-assign]
    dialog.status.clear()
    dialog.save_qr()  # the save dialog cancelled: nothing happens
    assert dialog.status.text() == ""


def test_make_a_classic_identity_when_asked(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_people(qtbot, window)
    dialog.classic.setChecked(True)
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.have_identity.isVisible(), timeout=WAIT_MS)
    (me,), _ = people(window)
    assert me.kind == "x25519" and me.recipient.startswith("age1") \
        and not me.recipient.startswith("age1pq1")
    assert "not post-quantum" in dialog.my_kind.text()
    assert dialog.my_recipient.toPlainText() == me.recipient
    qtbot.waitUntil(lambda: dialog.qr_text == me.recipient, timeout=WAIT_MS)
    assert decode(dialog.qr_label.pixmap().toImage()) == [me.recipient]


def test_my_recipient_menu_entry_puts_the_focus_there(qtbot: QtBot, window: MainWindow) -> None:
    on_executor(window, lambda box: box.people.new_identity())
    window.my_recipient_action.trigger()
    dialog = window.people_dialog
    qtbot.waitUntil(lambda: dialog.have_identity.isVisible(), timeout=WAIT_MS)
    dialog.show_my_recipient()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.my_recipient, timeout=WAIT_MS)


def test_making_an_identity_that_fails_says_why(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_people(qtbot, window)
    on_executor(window, lambda box: box.lock())  # the keybox's keys go under the dialog
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.status.text()), timeout=WAIT_MS)
    assert "locked" in dialog.status.text()
    assert dialog.make_button.isEnabled()  # it may be tried again
    box = window.controller._box  # identities are listed while locked, too
    assert box is not None
    assert window.controller.executor.call(lambda: box.people.identities()) == []


def test_locking_closes_people(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_people(qtbot, window)
    assert dialog.isVisible()
    window.lock()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)


# --- adding a contact -------------------------------------------------------------------

def add_dialog(qtbot: QtBot, window: MainWindow) -> AddContactDialog:
    dialog = AddContactDialog(window, window.controller)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_add_a_contact_by_pasting_their_recipient(qtbot: QtBot, window: MainWindow,
                                                  bob: Person) -> None:
    dialog = open_people(qtbot, window)

    def fill(add: QWidget) -> None:
        assert isinstance(add, AddContactDialog)
        assert not add.ok_button.isEnabled()  # nothing typed yet
        assert missing_accessible_names(add) == []
        assert_focus_order(add, ["contactName", "contactRecipient", "readQrButton",
                                 "QPushButton 'Cancel'"])  # Add is disabled: no Tab stop
        add.name.setText("Bob")
        # As a mail client breaks it: line breaks and spaces are not part of it.
        r = bob.recipient
        add.recipient.setPlainText(f"  {r[:70]}\n{r[70:900]} \n{r[900:]}\n")
        assert add.ok_button.isEnabled()
        qtbot.mouseClick(add.ok_button, Qt.MouseButton.LeftButton)

    seen = when_modal("addContactDialog", fill)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert seen
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=WAIT_MS)
    assert table_rows(dialog) == [("Bob", "post-quantum (hybrid)")]
    assert dialog.status.text() == "Added Bob."
    _, (contact,) = people(window)
    assert (contact.name, contact.recipient, contact.kind) == ("Bob", bob.recipient, "hybrid")


def test_adding_a_classic_contact_says_it_is_not_post_quantum(
        qtbot: QtBot, window: MainWindow, carol: Person) -> None:
    dialog = open_people(qtbot, window)

    def fill(add: QWidget) -> None:
        assert isinstance(add, AddContactDialog)
        add.name.setText("Carol")
        add.recipient.setPlainText(carol.recipient.upper())  # Bech32 may be uppercase
        add.submit()

    when_modal("addContactDialog", fill)
    dialog.add_contact()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=WAIT_MS)
    assert dialog.status.text() == "Added Carol (classic — not post-quantum)."
    _, (contact,) = people(window)
    assert contact.recipient == carol.recipient and contact.kind == "x25519"


def test_cancelling_add_adds_nothing(qtbot: QtBot, window: MainWindow, bob: Person) -> None:
    dialog = open_people(qtbot, window)

    def cancel(add: QWidget) -> None:
        assert isinstance(add, AddContactDialog)
        add.name.setText("Bob")
        add.recipient.setPlainText(bob.recipient)
        add.reject()

    when_modal("addContactDialog", cancel)
    dialog.add_contact()
    assert people(window)[1] == []
    assert dialog.status.text() == ""


@pytest.mark.parametrize(("recipient", "words"), [
    ("age1notarecipient", "is not a valid age recipient"),
    ("AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSV2K3M",
     "is not a valid age recipient"),
    ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB", "SSH keys are not supported"),
])
def test_a_malformed_recipient_is_refused_in_the_dialog(
        qtbot: QtBot, window: MainWindow, recipient: str, words: str) -> None:
    add = add_dialog(qtbot, window)
    add.name.setText("Mallory")
    add.recipient.setPlainText(recipient)
    qtbot.mouseClick(add.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(add.problem.text()), timeout=WAIT_MS)
    assert words in add.problem.text()
    assert add.isVisible() and add.added is None  # stays open to be corrected
    assert add.ok_button.isEnabled()
    assert people(window)[1] == []


def test_a_name_already_taken_is_refused_in_the_dialog(
        qtbot: QtBot, window: MainWindow, bob: Person, carol: Person) -> None:
    on_executor(window, lambda box: box.people.add_contact("Bob", bob.recipient))
    add = add_dialog(qtbot, window)
    add.name.setText("Bob")
    add.recipient.setPlainText(carol.recipient)
    add.submit()
    qtbot.waitUntil(lambda: bool(add.problem.text()), timeout=WAIT_MS)
    assert "a contact named 'Bob' already exists" in add.problem.text()
    _, (contact,) = people(window)
    assert contact.recipient == bob.recipient  # unchanged


def write_qr(path: Path, *texts: str, scale: int = 4) -> Path:
    """A PNG (or, by suffix, SVG) with the QR code of each text side by side, by segno."""
    if len(texts) == 1:
        segno.make_qr(texts[0]).save(str(path), scale=scale)
        return path
    images = [QImage() for _ in texts]
    for n, text in enumerate(texts):
        part = path.with_name(f"part{n}.png")
        segno.make_qr(text).save(str(part), scale=scale)
        images[n] = QImage(str(part))
    width = sum(i.width() for i in images)
    height = max(i.height() for i in images)
    canvas = QImage(width, height, QImage.Format.Format_RGB32)
    canvas.fill(Qt.GlobalColor.white)
    painter = QPainter(canvas)
    x = 0
    for image in images:
        painter.drawImage(x, 0, image)
        x += image.width()
    painter.end()
    assert canvas.save(str(path))
    return path


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_add_a_contact_from_a_qr_code_image(qtbot: QtBot, window: MainWindow, bob: Person,
                                            tmp_path: Path, suffix: str) -> None:
    image = write_qr(tmp_path / f"bob{suffix}", bob.recipient)
    add = add_dialog(qtbot, window)
    add.choose_image = lambda: image  # type: ignore[method-assign]
    qtbot.mouseClick(add.read_qr_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: add.recipient.toPlainText() == bob.recipient, timeout=WAIT_MS)
    assert add.problem.text() == ""
    assert add.read_qr_button.isEnabled()
    add.name.setText("Bob")
    add.submit()
    qtbot.waitUntil(lambda: add.added is not None, timeout=WAIT_MS)
    _, (contact,) = people(window)
    assert contact.recipient == bob.recipient


def test_the_qr_code_round_trip_through_a_file(tmp_path: Path, bob: Person,
                                               carol: Person) -> None:
    """What My recipient draws (qr.qr_image), saved as a picture, is what Add reads."""
    for person in (bob, carol):
        image = qr.qr_image(person.recipient)
        path = tmp_path / f"{person.identity.name}.png"
        assert image.scaled(image.width() * 3, image.height() * 3).save(str(path))
        assert qr.read_recipient(path) == person.recipient
    # Written by segno in uppercase (QR alphanumeric mode): read back in lowercase.
    upper = write_qr(tmp_path / "upper.png", carol.recipient.upper())
    assert qr.read_recipient(upper) == carol.recipient


@pytest.mark.parametrize(("content", "words"), [
    ("text", "is not an image this program can read"),
    ("blank", "No QR code was found in"),
    ("url", "does not hold an age recipient"),
    ("two", "shows the QR codes of several recipients"),
])
def test_a_qr_image_without_one_recipient_says_why(
        qtbot: QtBot, window: MainWindow, bob: Person, carol: Person, tmp_path: Path,
        content: str, words: str) -> None:
    path = tmp_path / "picture.png"
    if content == "text":
        path.write_text("not an image\n")
    elif content == "blank":
        blank = QImage(200, 200, QImage.Format.Format_RGB32)
        blank.fill(Qt.GlobalColor.white)
        assert blank.save(str(path))
    elif content == "url":
        write_qr(path, "https://example.org/not-a-recipient")
    else:
        write_qr(path, bob.recipient, carol.recipient)
    add = add_dialog(qtbot, window)
    add.recipient.setPlainText("typed before")
    add.choose_image = lambda: path  # type: ignore[method-assign]
    add.read_qr()
    qtbot.waitUntil(lambda: words in add.problem.text(), timeout=WAIT_MS)
    assert "picture.png" in add.problem.text()
    assert add.recipient.toPlainText() == "typed before"  # left as it was
    assert add.read_qr_button.isEnabled()


def test_choosing_no_qr_image_changes_nothing(qtbot: QtBot, window: MainWindow,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(
        lambda parent, title, *a: (asked.append(title), ("", ""))[1]))
    add = add_dialog(qtbot, window)
    add.read_qr()
    assert asked == ["Read a QR code image"]
    assert add.problem.text() == "" and add.recipient.toPlainText() == ""


# --- rename and remove --------------------------------------------------------------------

def test_rename_a_contact(qtbot: QtBot, window: MainWindow, bob: Person, carol: Person,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    on_executor(window, lambda box: box.people.add_contact("Bob", bob.recipient))
    on_executor(window, lambda box: box.people.add_contact("Carol", carol.recipient))
    dialog = open_people(qtbot, window, contacts=2)
    dialog.table.selectRow(0)
    monkeypatch.setattr(ContactNameDialog, "ask", classmethod(lambda cls, p, current: "Robert"))
    qtbot.mouseClick(dialog.rename_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ("Robert", "post-quantum (hybrid)") in table_rows(dialog),
                    timeout=WAIT_MS)
    assert dialog.status.text() == "Renamed Bob to Robert."
    assert sorted(p.name for p in people(window)[1]) == ["Carol", "Robert"]

    # To a name another contact has: refused, with the keybox's words; nothing changes.
    row = [n for n, _ in table_rows(dialog)].index("Robert")
    dialog.table.selectRow(row)
    monkeypatch.setattr(ContactNameDialog, "ask", classmethod(lambda cls, p, current: "Carol"))
    dialog.rename_contact()
    qtbot.waitUntil(lambda: "already exists" in dialog.status.text(), timeout=WAIT_MS)
    assert sorted(p.name for p in people(window)[1]) == ["Carol", "Robert"]


def test_the_rename_dialog_returns_only_a_new_name(qtbot: QtBot) -> None:
    dialog = ContactNameDialog.build(None, "Bob")
    qtbot.addWidget(dialog)
    assert dialog.textValue() == "Bob" and dialog.labelText() == "New name:"
    for typed, expected in (("  Robert ", "Robert"), ("Bob", None), ("  ", None)):
        def answer(d: QWidget, typed: str = typed) -> None:
            d.setTextValue(typed)  # type: ignore[attr-defined]
            d.accept()  # type: ignore[attr-defined]

        when_modal("contactNameDialog", answer)
        assert ContactNameDialog.ask(None, "Bob") == expected


def test_remove_asks_first(qtbot: QtBot, window: MainWindow, bob: Person,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    on_executor(window, lambda box: box.people.add_contact("Bob", bob.recipient))
    dialog = open_people(qtbot, window, contacts=1)
    asked: list[str] = []

    def answer(value: bool) -> Callable[..., bool]:
        def ask(cls: object, parent: QWidget, person: PersonKey) -> bool:
            asked.append(person.name)
            return value
        return ask

    monkeypatch.setattr(ConfirmRemoveContact, "ask", classmethod(answer(False)))
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert asked == ["Bob"]
    assert [p.name for p in people(window)[1]] == ["Bob"]  # kept

    monkeypatch.setattr(ConfirmRemoveContact, "ask", classmethod(answer(True)))
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0, timeout=WAIT_MS)
    assert asked == ["Bob", "Bob"]
    assert people(window)[1] == []
    assert dialog.status.text() == "Removed Bob."
    assert not dialog.remove_button.isEnabled() and not dialog.rename_button.isEnabled()


def test_the_remove_question_keeps_by_default(qtbot: QtBot, bob: Person) -> None:
    from datetime import UTC, datetime

    person = PersonKey("Bob", bob.recipient, "hybrid", datetime.now(UTC))
    box, remove = ConfirmRemoveContact.build(None, person)
    qtbot.addWidget(box)
    assert box.text() == "Remove the contact “Bob”?"
    assert box.defaultButton() is not remove and box.escapeButton() is not remove
    assert box.icon() == QMessageBox.Icon.Question
    assert box.defaultButton().objectName() == "keepContactButton"
    for name, expected in (("removeContactConfirm", True), ("keepContactButton", False)):
        when_modal("confirmRemoveContact",
                   lambda b, name=name: b.findChild(QPushButton, name).click())
        assert ConfirmRemoveContact.ask(None, person) is expected


def test_only_public_text_is_put_on_the_clipboard() -> None:
    """docs/SECURITY.md: the window writes to the clipboard in two places only, and both
    hold public text: My recipient's Copy (above) and the audit log's Copy
    (test_gui_log.py::test_copy_selected_rows). A new place must be added here, and to
    SECURITY.md, on purpose."""
    package = Path(people_dialog.__file__).resolve().parents[1]
    writers = sorted(str(p.relative_to(package)) for p in package.rglob("*.py")
                     if "clipboard()" in p.read_text(encoding="utf-8"))
    assert writers == ["gui/log_dialog.py", "gui/people_dialog.py"]
