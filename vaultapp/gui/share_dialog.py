"""Share…: whom to encrypt the chosen files for, as standard age files (FILE.age).

Tick one or more contacts and, if you like, yourself ("also me": your default identity,
so that you can open the files too), and choose ASCII armor for text that survives
email or chat. Post-quantum and classic recipients are never mixed in one file (the
core refuses: such a file would be only as safe as its classic recipient, so not safe
from a quantum computer); the dialog says so before anything runs, and Share stays
disabled until the choice is one the core takes.

The dialog is handed the keybox's identities and contacts (read on the executor by the
caller) and touches nothing; the window then runs a SHARE job in the activity list.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vaultapp.core.keybox.models import PersonKey

from .contact_dialogs import classic_warning, kind_icon, kind_words
from .numbers import count
from .pages import WEAK

SHOWN_FILES = 3


@dataclass(frozen=True)
class ShareChoice:
    """The recipients to encrypt to (age1…, age1pq1…), the names they were chosen by,
    and whether to write ASCII armor."""

    recipients: tuple[str, ...]
    names: tuple[str, ...]
    armor: bool


class ShareDialog(QDialog):
    """Contacts to tick, "also me", ASCII armor; Share once the choice can be made."""

    def __init__(self, parent: QWidget | None, files: list[Path],
                 identities: list[PersonKey], contacts: list[PersonKey]) -> None:
        super().__init__(parent)
        self.setObjectName("shareDialog")
        self.setWindowTitle(self.tr("Share with people"))
        self.setMinimumWidth(520)
        self.me = identities[0] if identities else None
        self.contacts = list(contacts)
        names = ", ".join(f.name for f in files[:SHOWN_FILES]) + (
            "…" if len(files) > SHOWN_FILES else "")
        if len(files) == 1:
            text = self.tr("Encrypt “{0}” as an age file that only the people you tick can "
                           "open, with vaultapp, age, rage or typage.").format(names)
        else:
            text = self.tr("Encrypt {0} files ({1}) as age files that only the people you "
                           "tick can open, with vaultapp, age, rage or typage.").format(
                               count(len(files)), names)
        intro = QLabel(text)
        intro.setObjectName("shareIntro")
        intro.setTextFormat(Qt.TextFormat.PlainText)  # file names are not markup
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("shareContacts")
        self.list.setAccessibleName(self.tr("Contacts to share with"))
        self.list.setAccessibleDescription(self.tr(
            "Tick each person who may open the files; Space ticks the current one"))
        for person in self.contacts:
            item = QListWidgetItem(self.tr("{0} — {1}").format(person.name,
                                                               kind_words(person)))
            item.setData(Qt.ItemDataRole.UserRole, person.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setIcon(kind_icon(self, person))
            if not person.post_quantum:
                item.setToolTip(classic_warning())
            else:
                item.setToolTip(person.recipient)
            self.list.addItem(item)
        if self.contacts:
            self.list.setCurrentRow(0)
        self.no_contacts = QLabel(self.tr("You have no contacts yet: add the people you "
                                          "share with in People (People menu)."))
        self.no_contacts.setObjectName("shareNoContacts")
        self.no_contacts.setWordWrap(True)
        self.also_me = QCheckBox()
        self.also_me.setObjectName("shareAlsoMe")
        if self.me is not None:
            self.also_me.setText(self.tr("Also &me (“{0}”), so that I can open the files "
                                         "too").format(self.me.name))
        else:
            self.also_me.setText(self.tr("Also &me"))
            self.also_me.setEnabled(False)
            self.also_me.setToolTip(self.tr("You have no identity yet: make it in People, "
                                            "My recipient."))
        self.also_me.setAccessibleName(self.tr("Also encrypt for me"))
        self.armor = QCheckBox(self.tr("ASCII &armor (text that survives email and chat)"))
        self.armor.setObjectName("shareArmor")
        self.armor.setAccessibleDescription(self.tr(
            "Writes the age file as text, about a third larger; every age program reads both"))
        self.problem = QLabel()
        self.problem.setObjectName("shareProblem")
        self.problem.setAccessibleName(self.tr("Why the files cannot be shared yet"))
        self.problem.setTextFormat(Qt.TextFormat.PlainText)  # names contacts
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.share_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.share_button.setText(self.tr("Share"))
        self.share_button.setObjectName("shareButton")
        self.share_button.setAccessibleName(self.tr("Share the files"))
        self.buttons.accepted.connect(self._accept_if_valid)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.no_contacts)
        layout.addWidget(self.also_me)
        layout.addWidget(self.armor)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.list.setVisible(bool(self.contacts))
        self.no_contacts.setVisible(not self.contacts)
        self.list.itemChanged.connect(lambda _: self._update())
        self.also_me.toggled.connect(lambda _: self._update())
        QWidget.setTabOrder(self.list, self.also_me)
        QWidget.setTabOrder(self.also_me, self.armor)
        QWidget.setTabOrder(self.armor, self.buttons)
        (self.list if self.contacts else self.also_me).setFocus()
        self._update()

    def chosen(self) -> list[PersonKey]:
        """The ticked contacts, then me if ticked."""
        ticked = {self.list.item(row).data(Qt.ItemDataRole.UserRole)
                  for row in range(self.list.count())
                  if self.list.item(row).checkState() == Qt.CheckState.Checked}
        people = [p for p in self.contacts if p.name in ticked]
        if self.me is not None and self.also_me.isChecked():
            people.append(self.me)
        return people

    def problem_text(self) -> str:
        """Why the current choice cannot be shared ("" when it can)."""
        people = self.chosen()
        if not people:
            return self.tr("Tick at least one person to share with.")
        if len({p.post_quantum for p in people}) > 1:
            classic = ", ".join(p.name for p in people if not p.post_quantum)
            return self.tr("Post-quantum and classic recipients cannot share a file: the "
                           "file would not be safe from a quantum computer. Share with the "
                           "classic ones ({0}) separately, or ask them for a post-quantum "
                           "recipient.").format(classic)
        return ""

    def _update(self) -> None:
        problem = self.problem_text()
        # "Tick at least one" is not an error while nothing was ticked yet: grey, not red
        self.problem.setStyleSheet(f"color: {WEAK};" if problem and self.chosen() else "")
        self.problem.setText(problem)
        self.share_button.setEnabled(not problem)

    def choice(self) -> ShareChoice:
        people = self.chosen()
        return ShareChoice(tuple(p.recipient for p in people), tuple(p.name for p in people),
                           self.armor.isChecked())

    def _accept_if_valid(self) -> None:
        if not self.problem_text():
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, files: list[Path], identities: list[PersonKey],
            contacts: list[PersonKey]) -> ShareChoice | None:
        """What to share with, or None when cancelled."""
        dialog = cls(parent, files, identities, contacts)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted and not dialog.problem_text():
                return dialog.choice()
            return None
        finally:
            dialog.deleteLater()
