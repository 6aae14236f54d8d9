"""SVG icons shipped in vaultapp/resources (app, sealed file, locked, drop)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QLabel

RESOURCES = Path(__file__).resolve().parent.parent / "resources"

# What a screen reader says for each icon shown as a picture (translated when shown).
DESCRIPTIONS = {
    "app": QT_TRANSLATE_NOOP("icons", "vaultapp logo"),
    "locked": QT_TRANSLATE_NOOP("icons", "Locked vault"),
    "drop": QT_TRANSLATE_NOOP("icons", "Drop files here"),
    "sealed-file": QT_TRANSLATE_NOOP("icons", "Sealed file"),
}


@cache
def icon(name: str) -> QIcon:
    return QIcon(str(RESOURCES / f"{name}.svg"))


def icon_label(name: str, size: int) -> QLabel:
    """A label showing an icon crisply at the screen's scale (200% included)."""
    label = QLabel()
    pixmap: QPixmap = icon(name).pixmap(size, size)
    label.setPixmap(pixmap)
    label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    label.setAccessibleName(QCoreApplication.translate("icons", str(DESCRIPTIONS.get(name, name))))
    return label
