"""Help → About vaultapp: version, keybox location, licence, the versions it runs on, and
where the user guide is."""

from __future__ import annotations

import platform
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from vaultapp import __version__

from .icons import icon_label
from .sizing import fit_title, reading_width

LICENCE = "MIT"
"""The licence pyproject.toml declares (`license = { text = "MIT" }`); a test keeps them
the same."""


def user_guide() -> Path | None:
    """docs/USER-GUIDE.md beside the package when vaultapp runs from its source tree."""
    guide = Path(__file__).resolve().parents[2] / "docs" / "USER-GUIDE.md"
    return guide if guide.is_file() else None


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None, location: str) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About vaultapp"))
        title = QLabel(self.tr("<h2>vaultapp {0}</h2>").format(__version__))
        title.setObjectName("aboutTitle")
        summary = QLabel(self.tr("A desktop vault for envelope encryption: files are sealed "
                                 "under versioned profile keys kept in an encrypted keybox."))
        summary.setWordWrap(True)

        def value(text: str, name: str) -> QLabel:
            label = QLabel(text)
            label.setObjectName(name)
            label.setTextFormat(Qt.TextFormat.PlainText)  # a location may hold any text
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            return label

        self.version = value(__version__, "aboutVersion")
        self.location = value(location, "aboutKeybox")
        self.licence = value(LICENCE, "aboutLicence")
        self.qt = value(self.tr("Qt {0}, PySide6 {1}").format(qVersion(), PySide6.__version__),
                        "aboutQt")
        self.python = value(f"{platform.python_implementation()} {platform.python_version()}",
                            "aboutPython")
        guide = user_guide()
        if guide is not None:
            url = QUrl.fromLocalFile(str(guide)).toString()
            self.docs = QLabel(self.tr('<a href="{0}">The user guide</a> ({1})')
                               .format(url, _html(str(guide))))
            self.docs.setTextFormat(Qt.TextFormat.RichText)
            self.docs.setOpenExternalLinks(True)
            self.docs.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
            self.docs.setAccessibleName(self.tr("Open the user guide"))
        else:
            self.docs = QLabel(self.tr("The user guide, USER-GUIDE.md, is in the docs folder "
                                       "of vaultapp's source."))
        self.docs.setObjectName("aboutDocs")
        self.docs.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Version:"), self.version)
        form.addRow(self.tr("Keybox:"), self.location)
        form.addRow(self.tr("Licence:"), self.licence)
        form.addRow(self.tr("Toolkit:"), self.qt)
        form.addRow(self.tr("Python:"), self.python)
        form.addRow(self.tr("Documentation:"), self.docs)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close"))
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        top = QVBoxLayout(self)
        top.addWidget(icon_label("app", 48))
        top.addWidget(title)
        top.addWidget(summary)
        top.addLayout(form)
        top.addWidget(buttons)
        self.setMinimumWidth(reading_width(self, 55))
        fit_title(self)
        close.setFocus()

    @classmethod
    def show_for(cls, parent: QWidget | None, location: str) -> AboutDialog:
        dialog = cls(parent, location)
        dialog.open()
        return dialog


def _html(text: str) -> str:
    from html import escape

    return escape(text)
