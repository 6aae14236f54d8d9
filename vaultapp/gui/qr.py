"""QR codes of recipients: draw one (segno), read one back from an image file (zxing-cpp).

A recipient is long (a hybrid post-quantum `age1pq1…` is about 1,960 characters), so its
code is large (version 33, 149 modules, at error correction L; segno raises the level when
that costs no size). It is written in lowercase, exactly as `age -r` and the other tools
take it: the QR alphanumeric mode would make a smaller code, but only of uppercase text,
and age 1.1 refuses an uppercase recipient. Reading accepts any image Qt can load (PNG,
JPEG, BMP, GIF, SVG, …; transparency counts as white, as segno's SVGs have no
background); an all-uppercase result is lowercased, as Bech32 allows.

Both are CPU work (segno takes about 0.3 s for a hybrid recipient, decoding a photo
longer): the callers run them on a worker (`worker.run_task`), and only turn the QImage
into a pixmap on the GUI thread. QImage itself may be used on any thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter

BORDER = 4
"""The quiet zone around the code, in modules (the QR standard's minimum)."""

UNREADABLE, NO_CODE, NOT_A_RECIPIENT, SEVERAL, NO_READER = (
    "unreadable", "no-code", "not-a-recipient", "several", "no-reader")


class QrReadError(Exception):
    """Why no recipient came out of an image: one of the codes above (the window words
    it: the dialog that asked knows the file's name)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def qr_image(text: str) -> QImage:
    """The QR code of `text`, one pixel per module with a quiet zone, black on white.
    Scale it with nearest-neighbour sampling (Qt.FastTransformation) to keep it sharp."""
    import segno

    code = segno.make_qr(text, error="L", boost_error=True)
    rows = [bytes(0 if dark else 255 for dark in row)
            for row in code.matrix_iter(scale=1, border=BORDER)]
    size = len(rows)
    stride = (size + 3) // 4 * 4  # QImage rows start on 32-bit boundaries
    data = b"".join(row.ljust(stride, b"\xff") for row in rows)
    return QImage(data, size, size, stride, QImage.Format.Format_Grayscale8).copy()


def save_qr_png(text: str, target: Path, scale: int = 4) -> None:
    """Write the QR code of `text` as a PNG image (`scale` pixels a module) to `target`,
    replacing it (the save dialog asked), complete or not at all (AtomicFile)."""
    import io

    import segno

    from vaultapp.core.atomic import AtomicFile

    data = io.BytesIO()
    segno.make_qr(text, error="L", boost_error=True).save(data, kind="png", scale=scale,
                                                          border=BORDER)
    with AtomicFile(target, force=True) as out:
        out.write(memoryview(data.getvalue()))
        out.commit()


def read_qr_texts(path: Path) -> list[str]:
    """The texts of the QR codes in the image file `path` (maybe none). Raises
    QrReadError(UNREADABLE) when it is not an image Qt can load, QrReadError(NO_READER)
    when the decoder is not installed."""
    image = QImage(str(path))
    if image.isNull():
        raise QrReadError(UNREADABLE)
    try:
        import zxingcpp
    except ImportError:
        raise QrReadError(NO_READER) from None
    if image.hasAlphaChannel():  # transparent is "no ink": white, not black
        flat = QImage(image.size(), QImage.Format.Format_RGB32)
        flat.fill(Qt.GlobalColor.white)
        painter = QPainter(flat)
        painter.drawImage(0, 0, image)
        painter.end()
        image = flat
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = gray.width(), gray.height(), gray.bytesPerLine()
    raw = bytes(gray.constBits())
    tight = raw if stride == width else b"".join(
        raw[y * stride:y * stride + width] for y in range(height))
    pixels = memoryview(tight).cast("B", shape=[height, width])
    only_qr = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    found = zxingcpp.read_barcodes(pixels, formats=only_qr)
    return [code.text for code in found if code.text]


def read_recipient(path: Path) -> str:
    """The one age recipient (`age1…`) held by a QR code in the image file `path`.
    Raises QrReadError: UNREADABLE, NO_READER, NO_CODE (no QR code found), NOT_A_RECIPIENT
    (codes, but none holds a recipient) or SEVERAL (more than one recipient)."""
    texts = read_qr_texts(path)
    if not texts:
        raise QrReadError(NO_CODE)
    recipients = []
    for text in texts:
        text = text.strip()
        if text.isupper():  # Bech32 may be all uppercase: the keybox stores lowercase
            text = text.lower()
        if text.startswith("age1") and text not in recipients:
            recipients.append(text)
    if not recipients:
        raise QrReadError(NOT_A_RECIPIENT)
    if len(recipients) > 1:
        raise QrReadError(SEVERAL)
    return recipients[0]
