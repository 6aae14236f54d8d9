"""Texts the window translates through a variable (`self.tr(NAMES[i])`), which
pyside6-lupdate cannot see: listed here, in the context the call uses, so that they are in
the catalogue.

Better still is QT_TRANSLATE_NOOP where the text is defined; when a module does that,
its line here goes. tests/gui/test_gui_translation.py fails on a line whose text is no
longer written anywhere else under vaultapp/gui.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

WORDS = (
    # key_model.py: KeyTableModel.COLUMNS, shown through self.tr(self.COLUMNS[section])
    QT_TRANSLATE_NOOP("KeyTableModel", "Key"),
    QT_TRANSLATE_NOOP("KeyTableModel", "Version"),
    QT_TRANSLATE_NOOP("KeyTableModel", "State"),
    QT_TRANSLATE_NOOP("KeyTableModel", "Primary"),
    QT_TRANSLATE_NOOP("KeyTableModel", "Created"),
    QT_TRANSLATE_NOOP("KeyTableModel", "Age"),
    QT_TRANSLATE_NOOP("KeyTableModel", "Next rotation"),
    QT_TRANSLATE_NOOP("KeyTableModel", "Files sealed"),
    # key_model.py: STATE_TEXT, shown through self.tr(STATE_TEXT[...])
    QT_TRANSLATE_NOOP("KeyTableModel", "● Enabled"),
    QT_TRANSLATE_NOOP("KeyTableModel", "◐ Disabled"),
    QT_TRANSLATE_NOOP("KeyTableModel", "⚠ Pending destruction"),
    QT_TRANSLATE_NOOP("KeyTableModel", "✕ Destroyed"),
    # slots_dialog.py: PassphraseDialog's accessible names, through dialog.tr(name)
    QT_TRANSLATE_NOOP("PassphraseDialog", "New passphrase"),
    QT_TRANSLATE_NOOP("PassphraseDialog", "Repeat the passphrase"),
)
