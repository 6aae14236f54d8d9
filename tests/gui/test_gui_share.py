"""Sharing files with people from the window, and opening age files in it (issue 15,
items 5 and 6): Share… (File menu, Ctrl+Shift+E, the drop zone's button) encrypts the
chosen files as FILE.age for the ticked contacts and optionally yourself; a dropped age
file opens with the keybox's identities, or with the passphrase it was made with.

The real window offscreen over Alice's keybox on disk; Bob and Carol are keyboxes made
with the core API. What the window writes is opened by Bob's keybox, and what Bob's
side writes (with the core, as age would) is opened by the window.
"""

from __future__ import annotations

import dataclasses
import io
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from tests.gui.a11y import assert_focus_order, missing_accessible_names
from tests.gui.feature_fixtures import WAIT_MS, keybox_url, on_executor, shown, window
from tests.gui.test_gui import drop
from tests.gui.test_gui_people import Person, bob, carol, marks, people, when_modal
from vaultapp.core import age, age_fileops
from vaultapp.core.keybox.models import PersonKey
from vaultapp.gui import dialogs
from vaultapp.gui.activity import Job
from vaultapp.gui.age_passphrase import AgePassphraseDialog
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.share_dialog import ShareChoice, ShareDialog

FOR_SOMEONE_ELSE = ("None of this keybox's identities can open it: it was made for someone "
                    "else; nothing was written")

FIXTURES = (keybox_url, shown, window, bob, carol)  # found by pytest under these names

CONTENT = b"the quarterly figures, for Bob's eyes only\n" * 50


@pytest.fixture
def alice(window: MainWindow, bob: Person, carol: Person) -> MainWindow:
    """Alice's window, with her (post-quantum) identity and Bob and Carol as contacts."""
    on_executor(window, lambda box: box.people.new_identity("alice"))
    on_executor(window, lambda box: box.people.add_contact("Bob", bob.recipient))
    on_executor(window, lambda box: box.people.add_contact("Carol", carol.recipient))
    return window


@pytest.fixture
def report(tmp_path: Path) -> Path:
    folder = tmp_path / "files"
    folder.mkdir()
    path = folder / "report.txt"
    path.write_bytes(CONTENT)
    return path


def choose_files(monkeypatch: pytest.MonkeyPatch, *paths: Path) -> list[str]:
    """The file dialog returns `paths`; returns the titles it was asked with."""
    titles: list[str] = []

    def ask(parent: QWidget, title: str, *args: object) -> tuple[list[str], str]:
        titles.append(title)
        return [str(p) for p in paths], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(ask))
    return titles


def answer_share(monkeypatch: pytest.MonkeyPatch, names: list[str], also_me: bool = False,
                 armor: bool = False) -> list[ShareDialog]:
    """ShareDialog.ask answered through the real dialog: tick `names`, "also me", armor."""
    seen: list[ShareDialog] = []

    def ask(cls: type[ShareDialog], parent: QWidget, files: list[Path],
            identities: list[PersonKey], contacts: list[PersonKey]) -> ShareChoice | None:
        dialog = ShareDialog(parent, files, identities, contacts)
        seen.append(dialog)
        tick(dialog, *names)
        dialog.also_me.setChecked(also_me)
        dialog.armor.setChecked(armor)
        assert dialog.share_button.isEnabled(), dialog.problem.text()
        return dialog.choice()

    monkeypatch.setattr(ShareDialog, "ask", classmethod(ask))
    return seen


def tick(dialog: ShareDialog, *names: str) -> None:
    for row in range(dialog.list.count()):
        item = dialog.list.item(row)
        wanted = item.data(Qt.ItemDataRole.UserRole) in names
        item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)


def finished(qtbot: QtBot, win: MainWindow, count: int) -> list[Job]:
    qtbot.waitUntil(lambda: len(win.activity.jobs) == count
                    and all(j.ok is not None for j in win.activity.jobs), timeout=WAIT_MS)
    return win.activity.jobs


def stanza_types(path: Path) -> tuple[str, ...]:
    return age_fileops.header_facts(path).stanza_types


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- Share… ----------------------------------------------------------------------------

def test_share_with_bob_and_me_then_both_open_it(
        qtbot: QtBot, alice: MainWindow, bob: Person, report: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    titles = choose_files(monkeypatch, report)
    dialogs_seen = answer_share(monkeypatch, ["Bob"], also_me=True)
    alice.share_action.trigger()
    (job,) = finished(qtbot, alice, 1)
    assert titles == ["Share files with people"] and len(dialogs_seen) == 1
    shared = report.with_name("report.txt.age")
    assert job.ok, job.status
    assert job.status == "Shared → report.txt.age"
    assert job.output == shared
    # A standard binary age file with one hybrid stanza for Bob and one for Alice.
    assert shared.read_bytes().startswith(b"age-encryption.org/v1\n")
    assert stanza_types(shared) == ("mlkem768x25519", "mlkem768x25519")
    assert bob.open(shared) == CONTENT
    assert report.read_bytes() == CONTENT  # the input is untouched

    # Alice opens it too (elsewhere, so that report.txt is not taken).
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    moved = Path(shutil.move(shared, inbox / shared.name))
    drop(alice.drop_zone, [moved])
    _, opened = finished(qtbot, alice, 2)
    assert opened.ok and opened.status == "Opened → report.txt", opened.status
    assert (inbox / "report.txt").read_bytes() == CONTENT


def test_share_armored_for_a_classic_contact(
        qtbot: QtBot, alice: MainWindow, carol: Person, report: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    choose_files(monkeypatch, report)
    answer_share(monkeypatch, ["Carol"], armor=True)
    qtbot.mouseClick(alice.drop_zone.share_button, Qt.MouseButton.LeftButton)
    (job,) = finished(qtbot, alice, 1)
    shared = report.with_name("report.txt.age")
    assert job.ok, job.status
    text = shared.read_text("ascii")
    assert text.startswith("-----BEGIN AGE ENCRYPTED FILE-----\n")
    assert text.rstrip().endswith("-----END AGE ENCRYPTED FILE-----")
    assert stanza_types(shared) == ("X25519",)
    assert carol.open(shared) == CONTENT


def test_share_several_files_is_one_row(
        qtbot: QtBot, alice: MainWindow, bob: Person, report: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    second = report.with_name("notes.md")
    second.write_bytes(b"second file\n")
    choose_files(monkeypatch, report, second)
    answer_share(monkeypatch, ["Bob"])
    alice.share_files()
    (job,) = finished(qtbot, alice, 1)
    assert job.ok and job.status == "Shared 2 · 0 failed", job.status
    assert bob.open(report.with_name("report.txt.age")) == CONTENT
    assert bob.open(report.with_name("notes.md.age")) == b"second file\n"


def test_share_writes_into_the_output_folder_of_settings(
        qtbot: QtBot, alice: MainWindow, bob: Person, report: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "outbox"
    out.mkdir()
    alice.settings = dataclasses.replace(alice.settings, output_folder=str(out))
    choose_files(monkeypatch, report)
    answer_share(monkeypatch, ["Bob"])
    alice.share_files()
    (job,) = finished(qtbot, alice, 1)
    assert job.ok, job.status
    assert leftovers(out) == ["report.txt.age"]
    assert not report.with_name("report.txt.age").exists()
    assert bob.open(out / "report.txt.age") == CONTENT


def test_an_existing_age_file_is_asked_about(
        qtbot: QtBot, alice: MainWindow, bob: Person, report: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    taken = report.with_name("report.txt.age")
    taken.write_bytes(b"an older file of the same name\n")
    asked: list[Path] = []
    monkeypatch.setattr(dialogs.ConflictDialog, "ask", classmethod(
        lambda cls, parent, target, count=1: asked.append(target) or
        dialogs.ConflictDialog.REPLACE))
    choose_files(monkeypatch, report)
    answer_share(monkeypatch, ["Bob"])
    alice.share_files()
    (job,) = finished(qtbot, alice, 1)
    assert asked == [taken]
    assert job.ok, job.status
    assert bob.open(taken) == CONTENT


def test_share_shortcut_and_menu_entries(alice: MainWindow) -> None:
    assert alice.share_action.shortcut() == QKeySequence("Ctrl+Shift+E")
    file_menu = alice.menuBar().actions()[0].menu()
    entries = [a.objectName() or a.text() for a in file_menu.actions()]
    assert entries.index("shareAction") == entries.index("&Open files…") + 1
    menus = [a.text() for a in alice.menuBar().actions()]
    assert menus == ["&File", "&Vault", "&Profile", "P&eople", "&Help"]
    people_menu = alice.menuBar().actions()[3].menu()
    assert [a.objectName() for a in people_menu.actions() if a.objectName()] == [
        "peopleAction", "myRecipientAction", "shareAction"]
    button = alice.drop_zone.share_button
    assert button.objectName() == "shareFilesButton" and button.accessibleName()


def test_choosing_no_file_or_cancelling_shares_nothing(
        qtbot: QtBot, alice: MainWindow, report: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    choose_files(monkeypatch)  # the file dialog cancelled
    asked: list[object] = []
    monkeypatch.setattr(ShareDialog, "ask", classmethod(lambda cls, *a: asked.append(a)))
    alice.share_files()
    assert asked == []
    choose_files(monkeypatch, report)
    alice.share_files()  # the share dialog cancelled (ask gives None)
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=WAIT_MS)
    assert alice.activity.jobs == []
    assert leftovers(report.parent) == ["report.txt"]


def test_nobody_to_share_with_says_so_and_opens_people(
        qtbot: QtBot, window: MainWindow, report: Path, shown: list[tuple[str, str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    choose_files(monkeypatch, report)
    monkeypatch.setattr(ShareDialog, "ask", classmethod(
        lambda cls, *a: pytest.fail("the share dialog opened with nobody to share with")))
    window.share_files()
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
    assert shown[0][0] == "information" and "nobody to share with" in shown[0][1]
    assert window.people_dialog.isVisible()
    assert window.activity.jobs == []


def test_the_real_share_dialog_through_ask(qtbot: QtBot, alice: MainWindow, bob: Person,
                                           report: Path) -> None:
    """ask() with the dialog shown (exec), ticked and accepted from the keyboard side."""
    identities, contacts = people(alice)

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, ShareDialog)
        tick(dialog, "Bob")
        dialog.armor.setChecked(True)
        qtbot.mouseClick(dialog.share_button, Qt.MouseButton.LeftButton)

    when_modal("shareDialog", answer)
    choice = ShareDialog.ask(alice, [report], identities, contacts)
    assert choice == ShareChoice((bob.recipient,), ("Bob",), True)

    when_modal("shareDialog", lambda d: d.reject())  # type: ignore[attr-defined]
    assert ShareDialog.ask(alice, [report], identities, contacts) is None


# --- the dialog's refusals -----------------------------------------------------------------

@pytest.fixture
def dialog(qtbot: QtBot, alice: MainWindow, report: Path) -> ShareDialog:
    identities, contacts = people(alice)
    found = ShareDialog(alice, [report], identities, contacts)
    qtbot.addWidget(found)
    found.show()
    return found


def test_nothing_ticked_cannot_be_shared(dialog: ShareDialog) -> None:
    assert not dialog.share_button.isEnabled()
    assert dialog.problem.text() == "Tick at least one person to share with."
    assert dialog.choice().recipients == ()


def test_post_quantum_and_classic_are_never_mixed(dialog: ShareDialog, bob: Person,
                                                  carol: Person) -> None:
    tick(dialog, "Bob", "Carol")
    assert not dialog.share_button.isEnabled()
    text = dialog.problem.text()
    assert "Post-quantum and classic recipients cannot share a file" in text
    assert "would not be safe from a quantum computer" in text and "(Carol)" in text
    dialog._accept_if_valid()  # Enter or a stray click: refused as well
    assert dialog.result() != dialog.DialogCode.Accepted and dialog.isVisible()
    # The core refuses the same mix, for the same reason.
    with pytest.raises(Exception, match="would not be safe from a quantum computer"):
        age.encrypt(io.BytesIO(b"x"), io.BytesIO(), [age.parse_recipient(bob.recipient),
                                                     age.parse_recipient(carol.recipient)])

    tick(dialog, "Carol")  # classic alone is fine
    assert dialog.share_button.isEnabled() and dialog.problem.text() == ""
    dialog.also_me.setChecked(True)  # …but not with my post-quantum identity
    assert not dialog.share_button.isEnabled() and "(Carol)" in dialog.problem.text()
    tick(dialog, "Bob")
    assert dialog.share_button.isEnabled()
    assert dialog.choice().names == ("Bob", "alice")


def test_the_dialog_marks_classic_contacts_and_is_reachable(dialog: ShareDialog) -> None:
    rows = [dialog.list.item(r) for r in range(dialog.list.count())]
    assert [r.text() for r in rows] == ["Bob — post-quantum (hybrid)",
                                        "Carol — classic — not post-quantum"]
    assert marks([r.icon() for r in rows]) == ["blank", "warning"]
    assert "quantum computer" in rows[1].toolTip()
    assert dialog.also_me.text() == "Also &me (“alice”), so that I can open the files too"
    assert missing_accessible_names(dialog) == []
    tick(dialog, "Bob")
    assert_focus_order(dialog, ["shareContacts", "shareAlsoMe", "shareArmor", "shareButton",
                                "QPushButton 'Cancel'"])


def test_without_an_identity_also_me_is_not_offered(qtbot: QtBot, window: MainWindow,
                                                    bob: Person, report: Path) -> None:
    on_executor(window, lambda box: box.people.add_contact("Bob", bob.recipient))
    identities, contacts = people(window)
    found = ShareDialog(window, [report], identities, contacts)
    qtbot.addWidget(found)
    assert not found.also_me.isEnabled()
    assert "no identity yet" in found.also_me.toolTip()


def test_without_contacts_only_me(qtbot: QtBot, window: MainWindow, report: Path) -> None:
    on_executor(window, lambda box: box.people.new_identity())
    identities, contacts = people(window)
    found = ShareDialog(window, [report, report.with_name("b"), report.with_name("c"),
                                 report.with_name("d")], identities, contacts)
    qtbot.addWidget(found)
    found.show()
    assert not found.list.isVisible() and found.no_contacts.isVisible()
    assert "4 files (report.txt, b, c…)" in found.findChild(QWidget, "shareIntro").text()
    found.also_me.setChecked(True)
    assert found.share_button.isEnabled()
    assert missing_accessible_names(found) == []


# --- opening age files -----------------------------------------------------------------

def share_to(recipients: list[str], plain: Path, *, armor: bool = False,
             name: str | None = None) -> Path:
    """An age file made on the other side (the core, as age or rage would)."""
    target = plain.with_name(name or plain.name + ".age")
    with plain.open("rb") as src, target.open("wb") as out:
        age.encrypt(src, out, [age.parse_recipient(r) for r in recipients], armor=armor)
    return target


def alice_recipient(win: MainWindow) -> str:
    (me,), _ = people(win)
    return me.recipient


@pytest.mark.parametrize("armor", [False, True])
def test_a_dropped_age_file_for_me_opens(qtbot: QtBot, alice: MainWindow, report: Path,
                                         tmp_path: Path, armor: bool) -> None:
    made = share_to([alice_recipient(alice)], report, armor=armor)
    report.unlink()
    drop(alice.drop_zone, [made])
    (job,) = finished(qtbot, alice, 1)
    assert job.ok and job.status == "Opened → report.txt", job.status
    assert report.read_bytes() == CONTENT
    assert made.exists()  # the age file stays


def test_an_age_file_by_content_opens_beside_itself(qtbot: QtBot, alice: MainWindow,
                                                    report: Path) -> None:
    made = share_to([alice_recipient(alice)], report, name="message.bin")
    drop(alice.drop_zone, [made])
    (job,) = finished(qtbot, alice, 1)
    assert job.ok and job.status == "Opened → message.bin.opened", job.status
    assert made.with_name("message.bin.opened").read_bytes() == CONTENT


def test_an_age_file_for_someone_else_says_so(qtbot: QtBot, alice: MainWindow, carol: Person,
                                              report: Path) -> None:
    made = share_to([carol.recipient], report)
    report.unlink()
    drop(alice.drop_zone, [made])
    (job,) = finished(qtbot, alice, 1)
    assert not job.ok
    assert job.status == FOR_SOMEONE_ELSE, job.status
    assert leftovers(made.parent) == ["report.txt.age"]  # nothing written


def test_a_tampered_age_file_fails_and_writes_nothing(qtbot: QtBot, alice: MainWindow,
                                                      report: Path) -> None:
    made = share_to([alice_recipient(alice)], report)
    report.unlink()
    data = bytearray(made.read_bytes())
    data[-20] ^= 1  # in the last chunk's payload
    made.write_bytes(bytes(data))
    drop(alice.drop_zone, [made])
    (job,) = finished(qtbot, alice, 1)
    assert not job.ok and job.status == "the age file is tampered or truncated", job.status
    assert leftovers(made.parent) == ["report.txt.age"]


def test_a_damaged_file_named_age_is_refused_never_sealed(qtbot: QtBot, alice: MainWindow,
                                                         report: Path) -> None:
    junk = report.with_name("junk.age")
    junk.write_bytes(b"neither a sealed file nor an age file\n" * 10)
    drop(alice.drop_zone, [junk])
    (job,) = finished(qtbot, alice, 1)
    assert not job.ok, job.status
    assert job.status == "the age file's header is damaged or not in the age format", \
        job.status
    assert leftovers(report.parent) == ["junk.age", "report.txt"]


def test_an_age_file_without_an_identity_of_mine(qtbot: QtBot, window: MainWindow,
                                                 bob: Person, report: Path) -> None:
    made = share_to([bob.recipient], report)
    report.unlink()
    drop(window.drop_zone, [made])
    (job,) = finished(qtbot, window, 1)
    assert not job.ok
    assert job.status == (FOR_SOMEONE_ELSE + ". Open People → My recipient to make your "
                          "identity."), job.status
    assert leftovers(made.parent) == ["report.txt.age"]


def passphrase_file(plain: Path, passphrase: str, name: str | None = None) -> Path:
    target = plain.with_name(name or plain.name + ".age")
    with plain.open("rb") as src, target.open("wb") as out:
        # A low work factor keeps the test fast; the file is a standard scrypt age file.
        age.encrypt(src, out, [age.ScryptRecipient(passphrase, log_n=10)])
    assert age_fileops.header_facts(target).passphrase
    return target


def answer_passphrase(monkeypatch: pytest.MonkeyPatch, answer: str | None) -> list[list[str]]:
    asked: list[list[str]] = []

    def ask(cls: object, parent: QWidget, names: list[str]) -> str | None:
        asked.append(names)
        return answer

    monkeypatch.setattr(AgePassphraseDialog, "ask", classmethod(ask))
    return asked


def test_a_passphrase_age_file_asks_for_it_and_opens(
        qtbot: QtBot, alice: MainWindow, report: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    made = passphrase_file(report, "correct horse battery staple")
    report.unlink()
    asked = answer_passphrase(monkeypatch, "correct horse battery staple")
    drop(alice.drop_zone, [made])
    (job,) = finished(qtbot, alice, 1)
    assert asked == [["report.txt.age"]]
    assert job.ok and job.status == "Opened → report.txt", job.status
    assert report.read_bytes() == CONTENT
    assert job._age_passphrase is None  # not kept once the job is done


def test_a_wrong_passphrase_fails_the_row_and_writes_nothing(
        qtbot: QtBot, alice: MainWindow, report: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    made = passphrase_file(report, "correct horse battery staple")
    report.unlink()
    answer_passphrase(monkeypatch, "wrong horse")
    drop(alice.drop_zone, [made])
    (job,) = finished(qtbot, alice, 1)
    assert not job.ok
    assert job.status == "The passphrase is wrong; nothing was written", job.status
    assert leftovers(made.parent) == ["report.txt.age"]


def test_cancelling_the_passphrase_opens_nothing(
        qtbot: QtBot, alice: MainWindow, report: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    made = passphrase_file(report, "correct horse battery staple")
    report.unlink()
    answer_passphrase(monkeypatch, None)
    drop(alice.drop_zone, [made])
    (job,) = finished(qtbot, alice, 1)
    assert not job.ok and job.status == "Cancelled; nothing was written"
    assert leftovers(made.parent) == ["report.txt.age"]


def test_a_batch_asks_the_passphrase_once(
        qtbot: QtBot, alice: MainWindow, report: Path, bob: Person,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """More than 20 small files are one batch: one question for its passphrase files;
    files for me open with my identity, a file for someone else fails alone."""
    folder = report.parent
    made = [passphrase_file(report, "correct horse battery staple", f"p{n}.age")
            for n in range(21)]
    mine = share_to([alice_recipient(alice)], report, name="mine.age")
    other = share_to([bob.recipient], report, name="other.age")
    report.unlink()
    asked = answer_passphrase(monkeypatch, "correct horse battery staple")
    drop(alice.drop_zone, [*made, mine, other])
    (job,) = finished(qtbot, alice, 1)
    assert len(asked) == 1 and len(asked[0]) == 21
    assert job.status == "Sealed 0 · opened 22 · 1 failed", job.status
    assert f"other.age: {FOR_SOMEONE_ELSE}" in job.messages()
    assert (folder / "p0").read_bytes() == CONTENT and (folder / "mine").read_bytes() == CONTENT
    assert not (folder / "other").exists()


def test_the_passphrase_dialog(qtbot: QtBot) -> None:
    dialog = AgePassphraseDialog(None, ["report.txt.age"])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.field.echoMode() == dialog.field.EchoMode.Password
    assert not dialog.ok_button.isEnabled()
    assert "“report.txt.age” was encrypted with a passphrase" in \
        dialog.findChild(QWidget, "agePassphraseIntro").text()
    assert missing_accessible_names(dialog) == []
    assert_focus_order(dialog, ["agePassphrase", "Cancel: do not open"])  # Open disabled
    dialog.field.setText("secret words")
    assert dialog.ok_button.isEnabled()
    assert_focus_order(dialog, ["agePassphrase", "Open with this passphrase",
                                "Cancel: do not open"])

    def typed(d: QWidget) -> None:
        assert isinstance(d, AgePassphraseDialog)
        qtbot.keyClicks(d.field, "secret words")
        qtbot.keyClick(d.field, Qt.Key.Key_Return)

    when_modal("agePassphraseDialog", typed)
    assert AgePassphraseDialog.ask(None, ["a.age", "b.age"]) == "secret words"
    when_modal("agePassphraseDialog", lambda d: d.reject())  # type: ignore[attr-defined]
    assert AgePassphraseDialog.ask(None, ["a.age"]) is None
    several = AgePassphraseDialog(None, [f"f{n}.age" for n in range(7)])
    qtbot.addWidget(several)
    assert "7 files were encrypted with a passphrase (f0.age, f1.age, f2.age, f3.age, " \
        "f4.age…)" in several.findChild(QWidget, "agePassphraseIntro").text()

