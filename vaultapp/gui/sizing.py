"""Sizes taken from the content, in the chosen language: a comfortable width for wrapped
text, and a dialog at least as wide as its title (a window manager cuts a longer title,
and German titles are long). Everything is capped at 90 % of the screen the widget is on.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QMessageBox,
    QSizePolicy,
    QSpacerItem,
    QWidget,
)

TITLE_BAR_EXTRA = 160
"""What a title bar needs beside its text: the window's icon and its buttons (close,
maximise, minimise), and the padding around them, at the font's scale."""

SCREEN_SHARE = 0.9


def _screen_width(widget: QWidget) -> int:
    return widget.screen().availableGeometry().width()


def reading_width(widget: QWidget, chars: int = 60) -> int:
    """A comfortable width for wrapped text: about `chars` characters of the widget's
    font, but never more than 90 % of the screen it is on."""
    return min(widget.fontMetrics().averageCharWidth() * chars,
               int(_screen_width(widget) * SCREEN_SHARE))


def title_font() -> QFont:
    """The font title bars commonly use: the application's, bold (GNOME, KDE, Windows)."""
    font = QFont(QApplication.font())
    font.setBold(True)
    return font


def title_width(widget: QWidget) -> int:
    """The width `widget`'s window title needs in a title bar (capped by the screen)."""
    text = widget.windowTitle().replace("[*]", "")
    needed = QFontMetrics(title_font()).horizontalAdvance(text) + TITLE_BAR_EXTRA
    return min(needed, int(_screen_width(widget) * SCREEN_SHARE))


def fit_title(dialog: QWidget) -> None:
    """Make `dialog` at least as wide as its title needs (call once its title is set,
    its layout filled and its own minimum width, if any, chosen). An explicit minimum
    replaces the layout's own, so it is never set below that."""
    layout_minimum = dialog.minimumSizeHint().width()
    dialog.setMinimumWidth(max(dialog.minimumWidth(), layout_minimum, title_width(dialog)))


def fit_message_title(box: QMessageBox) -> None:
    """The same for a message box, which fixes its own size when shown (wide enough for
    its title by Qt's guess, a plain font and 50 pixels): a row of the title's width
    under its grid holds it open."""
    layout = box.layout()
    if not isinstance(layout, QGridLayout):
        return
    margins = layout.contentsMargins()
    width = title_width(box) - margins.left() - margins.right()
    spacer = QSpacerItem(width, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
    layout.addItem(spacer, layout.rowCount(), 0, 1, layout.columnCount())
