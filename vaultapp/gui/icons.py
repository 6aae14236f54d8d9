"""SVG icons shipped in vaultapp/resources (app, sealed file, locked, drop)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QLabel

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


@cache
def icon(name: str) -> QIcon:
    return QIcon(str(RESOURCES / f"{name}.svg"))


def icon_label(name: str, size: int) -> QLabel:
    """A label showing an icon crisply at the screen's scale (200% included)."""
    label = QLabel()
    pixmap: QPixmap = icon(name).pixmap(size, size)
    label.setPixmap(pixmap)
    label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    label.setAccessibleName(name)
    return label
