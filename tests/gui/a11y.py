"""Keyboard and screen-reader checks for any window or dialog, for tests.

Three functions, used by the window's tests and reusable for every dialog:

- `focus_chain(root)`: the widgets Tab visits inside `root`, in order.
- `assert_focus_order(root, expected)`: that order is `expected` (as a cycle).
- `missing_accessible_names(root)`: the visible interactive widgets a screen reader
  would announce without a name.

Widgets are named by their objectName, else their accessibleName, else
"ClassName 'text'" (a button's text), else their class name, so that a test can write
the order it expects in the window contract's words ("profileList", "keyTable", …).

What counts as a *name* (the choice `missing_accessible_names` makes): the name Qt's
accessibility layer gives the widget, `QAccessible.queryAccessibleInterface(w)
.text(QAccessible.Text.Name)`. That is the widget's `accessibleName` when one is set;
otherwise Qt derives it from the widget's own visible text (a button's, check box's or
radio button's text, mnemonic "&" removed) or from a QLabel whose buddy is the widget
(QFormLayout.addRow(label, field) sets the buddy) or the title of the QGroupBox around
it. A line edit, spin box, combo box or item view with none of these has no name: a
screen reader would say "edit text" and nothing else. Internal parts of compound widgets
(a spin box's or combo box's line edit, an item view's headers, scroll bars and corner
button) are not checked: they are not Tab stops of their own.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QSlider,
    QTextEdit,
    QWidget,
)

__all__ = ["assert_focus_order", "focus_chain", "missing_accessible_names", "widget_name"]

INTERACTIVE = (QAbstractButton, QLineEdit, QAbstractSpinBox, QComboBox, QAbstractItemView,
               QSlider, QPlainTextEdit, QTextEdit)
"""Widget classes that must have a name; so must any other widget that takes Tab focus."""


def widget_name(widget: QWidget) -> str:
    """How this module names a widget: objectName, accessibleName, class and text."""
    if widget.objectName() and not widget.objectName().startswith("qt_"):
        return widget.objectName()
    if widget.accessibleName():
        return widget.accessibleName()
    text = widget.text() if isinstance(widget, QAbstractButton) else ""
    kind = type(widget).__name__
    return f"{kind} {text.replace('&', '')!r}" if text else kind


def _tab_stop(widget: QWidget, root: QWidget) -> bool:
    """Whether Tab can move the focus to `widget` now (Qt's own test, as in
    QWidget::focusNextPrevChild: Tab focus, visible, enabled, no focus proxy)."""
    return (bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
            and widget.isVisibleTo(root.window()) and widget.isEnabled()
            and widget.focusProxy() is None
            and (widget is root or root.isAncestorOf(widget)))


def focus_chain(root: QWidget) -> list[str]:
    """The names (see widget_name) of the widgets Tab visits inside `root`, in order:
    the window's focus chain (QWidget.nextInFocusChain) walked once around from `root`,
    keeping the Tab stops that are `root` or inside it.

    Focus policies are read as they are now: once a radio button of an exclusive group
    has had the focus, Qt takes Tab focus from the group's other buttons (arrow keys move
    between them), so the chain then holds one button of the group, as Tab does."""
    names: list[str] = []
    visited: list[QWidget] = []  # held, so that no wrapper's id() is reused while walking
    seen: set[int] = set()
    widget = root.nextInFocusChain()
    while widget is not None and id(widget) not in seen and widget is not root:
        visited.append(widget)
        seen.add(id(widget))
        if _tab_stop(widget, root):
            names.append(widget_name(widget))
        widget = widget.nextInFocusChain()
    if _tab_stop(root, root):
        names.append(widget_name(root))
    return names


def assert_focus_order(root: QWidget, expected: Sequence[str]) -> None:
    """Tab visits exactly `expected` inside `root`, in that order. Tab cycles, so the
    chain is compared as a cycle starting at expected[0]."""
    chain = focus_chain(root)
    expected = list(expected)
    assert expected, "no expected order given"
    if expected[0] in chain:
        start = chain.index(expected[0])
        chain = chain[start:] + chain[:start]
    assert chain == expected, f"Tab order\n  is       {chain}\n  expected {expected}"


def _internal(widget: QWidget) -> bool:
    """A part of a compound widget, not a control of its own."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractSpinBox | QComboBox):
            return True
        if isinstance(parent, QAbstractItemView) and widget is not parent.viewport():
            return True  # headers, the corner button, an open editor
        parent = parent.parentWidget()
    return isinstance(widget, QHeaderView)


def accessible_name(widget: QWidget) -> str:
    """The name a screen reader announces for `widget` (see the module's docstring)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    name = interface.text(QAccessible.Text.Name) if interface is not None else ""
    return (name or widget.accessibleName()).strip()


def missing_accessible_names(root: QWidget) -> list[str]:
    """Every visible interactive widget in `root` (buttons, line edits, spin and combo
    boxes, check and radio buttons, item views, sliders, text edits, and any other widget
    that takes Tab focus) that has no accessible name, as "name (ClassName)"."""
    missing: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root.window()) or _internal(widget):
            continue
        takes_tab = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        if not (isinstance(widget, INTERACTIVE) or (takes_tab and widget is not root)):
            continue
        if not accessible_name(widget):
            missing.append(f"{widget_name(widget)} ({type(widget).__name__})")
    return missing
