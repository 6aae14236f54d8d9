"""A new recovery code, shown once, and its printable recovery sheet.

`RecoveryCodeDialog` appears right after a recovery code slot was stored: the code in
large fixed-width groups, its QR code, the keybox it opens and the date. The code is
kept nowhere else: the dialog holds it until it closes, and closing before the sheet
was saved asks first ("you will not see it again").

`sheet_pdf` draws the sheet (one A4 page: title, keybox id, date, the code as text and
as a QR code, what it is for and how to keep it) with Qt's own QPdfWriter into memory on
the GUI thread — about 0.1 s, and QPdfWriter's fonts want that thread — and the
bytes are written on a worker, complete or not at all (AtomicFile), so a full disk or a
cancelled dialog never leaves half a sheet under its name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QMarginsF, QRect, Qt
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPixmap,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from . import qr
from .sizing import fit_message_title, fit_title
from .worker import alive, run_task

_CONTEXT = "RecoverySheet"


@dataclass(frozen=True)
class NewRecoveryCode:
    """What the sheet shows: the code, the keybox it opens, where and when it was made."""

    code: str
    keybox_id: str
    location: str
    made: datetime
    label: str


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def code_lines(code: str) -> list[str]:
    """The code's groups in two lines of four, as it is read aloud and typed."""
    groups = code.split("-")
    return [" ".join(groups[:4]), " ".join(groups[4:])] if len(groups) > 4 else [code]


def _fixed_font(point_size: float) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(point_size)
    return font


def sheet_pdf(new: NewRecoveryCode) -> bytes:
    """The recovery sheet as a one-page A4 PDF (on the GUI thread: see the module)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(_tr("vaultapp recovery sheet"))
    writer.setCreator("vaultapp")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(20, 20, 20, 20), QPageLayout.Unit.Millimeter))
    writer.setResolution(300)
    painter = QPainter(writer)
    try:
        _draw_sheet(painter, writer.width(), new)
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())


def _draw_sheet(painter: QPainter, width: int, new: NewRecoveryCode) -> None:
    y = 0

    def text(body: str, font: QFont, gap: int = 40,
             flags: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> None:
        nonlocal y
        painter.setFont(font)
        box = painter.boundingRect(QRect(0, y, width, 10_000),
                                   int(flags | Qt.TextFlag.TextWordWrap), body)
        painter.drawText(box, int(flags | Qt.TextFlag.TextWordWrap), body)
        y = box.bottom() + gap

    title = QFont()
    title.setPointSizeF(20)
    title.setBold(True)
    body = QFont()
    body.setPointSizeF(11)
    text(_tr("vaultapp recovery sheet"), title, 60)
    text(_tr("Keybox: {0}").format(new.keybox_id), _fixed_font(11), 10)
    text(_tr("Where: {0}").format(new.location), body, 10)
    text(_tr("Slot: {0}").format(new.label), body, 10)
    text(_tr("Made on: {0:%Y-%m-%d %H:%M}").format(new.made.astimezone()), body, 70)
    text(_tr("Recovery code"), QFont(body.family(), 11, QFont.Weight.Bold), 20)
    text("\n".join(code_lines(new.code)), _fixed_font(22), 60,
         Qt.AlignmentFlag.AlignHCenter)
    image = qr.qr_image(new.code)  # one pixel a module, quiet zone included
    modules = image.width()
    cell = min(width // 2, 900) // modules
    left = (width - cell * modules) // 2
    for row in range(modules):  # squares, not a scaled bitmap: sharp in every viewer
        for col in range(modules):
            if image.pixelColor(col, row).lightness() < 128:
                painter.fillRect(left + col * cell, y + row * cell, cell, cell,
                                 Qt.GlobalColor.black)
    y += cell * modules + 60
    text(_tr("This code unlocks the keybox wherever a passphrase is asked for, on any "
             "computer that has a copy of the keybox. Type it with or without the dashes; "
             "a typo is caught before anything is tried."), body)
    text(_tr("Keep this sheet somewhere safe and away from the computer: whoever holds it "
             "and a copy of the keybox can open every file sealed with it. If it is lost "
             "or seen by someone else, remove this slot and make a new code."), body)


class RecoveryCodeDialog(QDialog):
    """The new code, once: read it, save the sheet, then close."""

    def __init__(self, parent: QWidget | None, new: NewRecoveryCode) -> None:
        super().__init__(parent)
        self.new = new
        self.saved: Path | None = None
        self._confirmed = False
        self.close_box: QMessageBox | None = None
        self.setObjectName("recoveryCodeDialog")
        self.setWindowTitle(self.tr("New recovery code"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        intro = QLabel(self.tr("Write this code down or save the recovery sheet now: it is "
                               "shown once and never again. It unlocks the keybox wherever "
                               "a passphrase is asked for."))
        intro.setWordWrap(True)
        self.code = QLabel("\n".join(code_lines(new.code)))
        self.code.setObjectName("recoveryCode")
        self.code.setFont(_fixed_font(max(14.0, self.font().pointSizeF() * 1.6)))
        self.code.setTextFormat(Qt.TextFormat.PlainText)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setAccessibleName(self.tr("The recovery code"))
        self.code.setAccessibleDescription(" ".join(new.code.split("-")))
        self.qr = QLabel()
        self.qr.setObjectName("recoveryCodeQr")
        self.qr.setAccessibleName(self.tr("The recovery code as a QR code"))
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        image = qr.qr_image(new.code)  # a short text: well under a millisecond
        side = self.fontMetrics().height() * 9
        self.qr.setPixmap(QPixmap.fromImage(image.scaled(
            side, side, Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.FastTransformation)))
        self.about = QLabel(self.tr("Keybox {0} · made on {1:%Y-%m-%d}").format(
            new.keybox_id, new.made.astimezone()))
        self.about.setObjectName("recoveryCodeKeybox")
        self.about.setTextFormat(Qt.TextFormat.PlainText)
        self.about.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("recoveryCodeStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Recovery sheet status"))
        self.save_button = QPushButton(self.tr("&Save recovery sheet (PDF)…"))
        self.save_button.setObjectName("saveRecoverySheet")
        self.save_button.setAccessibleName(self.tr("Save the recovery sheet as a PDF file"))
        self.save_button.setAccessibleDescription(self.tr(
            "A page to print with the keybox id, the date and the code as text and QR code"))
        self.save_button.clicked.connect(self.save_sheet)
        buttons = QDialogButtonBox()
        self.done_button = buttons.addButton(self.tr("&Done"),
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        self.done_button.setObjectName("recoveryCodeDone")
        self.done_button.setAccessibleName(self.tr("Close: the code is not shown again"))
        buttons.accepted.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        for widget in (intro, self.code, self.qr, self.about, self.status):
            layout.addWidget(widget)
        layout.addLayout(row)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
        fit_title(self)
        self.save_button.setFocus()

    def choose_file(self) -> Path | None:
        """Where to save the sheet (the file dialog; a test seam)."""
        name = f"vaultapp-recovery-{self.new.keybox_id[:8]}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the recovery sheet"), name,
                                              self.tr("PDF documents (*.pdf)"))
        return Path(path) if path else None

    def save_sheet(self) -> None:
        path = self.choose_file()
        if path is None:
            return
        data = sheet_pdf(self.new)
        self.save_button.setEnabled(False)

        def write(task: object) -> None:
            from vaultapp.core.atomic import AtomicFile

            with AtomicFile(path, force=True) as out:  # the save dialog asked
                out.write(memoryview(data))
                out.commit()

        def saved(_: object) -> None:
            self.saved = path
            self.save_button.setEnabled(True)
            self.status.setStyleSheet("")
            self.status.setText(self.tr("Saved the recovery sheet to {0}. Print it, then "
                                        "delete the file.").format(path))

        def failed(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            self.status.setText(self.tr("The recovery sheet was not saved: {0}").format(
                getattr(exc, "strerror", None) or exc))

        self.save_task = run_task(write, alive(self, saved), alive(self, failed))

    def _ask_to_close(self, result: int) -> None:
        """Before the code goes for good without a saved sheet: asked, without blocking
        (the question is `close_box`; its answer closes the dialog or keeps it)."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Close without the sheet?"),
                          self.tr("You will not see this recovery code again. Close only if "
                                  "you have written it down."),
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("recoveryCodeCloseQuestion")
        close = box.addButton(self.tr("I wrote it down"), QMessageBox.ButtonRole.AcceptRole)
        close.setObjectName("recoveryCodeWroteItDown")
        back = box.addButton(self.tr("Back to the code"), QMessageBox.ButtonRole.RejectRole)
        back.setObjectName("recoveryCodeBack")
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        fit_message_title(box)

        def answered(_: int) -> None:
            self.close_box = None
            if box.clickedButton() is close:
                self._confirmed = True
                self.done(result)

        box.finished.connect(answered)
        self.close_box = box
        box.open()

    def done(self, result: int) -> None:  # every way out: Done, Escape, the close box
        if self.saved is None and not self._confirmed:
            if getattr(self, "close_box", None) is None:
                self._ask_to_close(result)
            return
        self.code.setText("")  # the code leaves the window with the dialog
        super().done(result)
