"""The window's words for what to do about an error: the same hint codes the command line
words as flags (vaultapp/cli_hints.py), worded here as the window's own buttons and menus.
The window never parses an error's text, and never names a command-line command or flag
(tests/gui/test_gui_no_cli_words.py).

Hints with no words here have nothing to press in the window: NAME_OUTPUT (the window
does not name the output of an opened file), KEY_ID_FORMAT and AMBIGUOUS_KEY_ID (the
window never takes a typed key id). WINDOWLESS lists them; a test fails when a new hint
has neither words nor a place in that list."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from vaultapp.core.errors import Hint, VaultError


def _tr(text: str) -> str:
    return QCoreApplication.translate("hints", text)


WINDOWLESS = frozenset({Hint.NONE, Hint.NAME_OUTPUT, Hint.KEY_ID_FORMAT,
                        Hint.AMBIGUOUS_KEY_ID})
"""Hints that have no remedy in the window (see the module's docstring)."""


def remedy(exc: VaultError) -> str:
    """What the person can do about `exc`, in the window's terms ('' if nothing)."""
    words = {
        Hint.REPLACE_OUTPUT: _tr("Choose Replace or Keep both when asked, or another output "
                                 "folder in Settings."),
        Hint.OTHER_FOLDER: _tr("Choose another output folder in Settings."),
        Hint.ENABLE_KEY: _tr("Select the key and press Enable."),
        Hint.CANCEL_DESTRUCTION: _tr("Select the key and press Cancel destruction, then "
                                     "Enable."),
        Hint.ALREADY_PENDING: _tr("Cancel the destruction first, or wait for it."),
        Hint.KEY_GONE: _tr("Its material is erased; files sealed only under it cannot be "
                           "opened."),
        Hint.ROTATE_PROFILE: _tr("Press Rotate to give the profile a new primary key."),
        Hint.NO_KEYBOX: _tr("Create a keybox on the first-run screen."),
        Hint.NOT_A_KEYBOX: _tr("Move that file out of the way to create a new keybox in its "
                               "place, or put a keybox backup there."),
        Hint.NO_SUCH_SLOT: _tr("Close and reopen Key slots to see the slots as they are "
                               "now."),
        Hint.UNLOCK: _tr("Unlock the vault, then try again."),
        Hint.NO_SUCH_PROFILE: _tr("Choose a profile from the list."),
        Hint.NO_PROFILE_YET: _tr("Create a profile with New profile."),
        Hint.CHOOSE_PROFILE: _tr("Select the profile to seal for in the list."),
        Hint.NO_SECURE_KEYRING: _tr("Untick “Keep the root key in the OS keyring” and set a "
                                    "recovery passphrase, or start a keyring such as "
                                    "gnome-keyring."),
        Hint.RESTORE_BACKUP: _tr("Restore the keybox from a backup (Vault menu, Restore "
                                 "keybox…)."),
        Hint.RETRY: _tr("Try again in a moment."),
        Hint.TAMPERED: _tr("If you did not expect this, restore the keybox from a backup "
                           "(Vault menu, Restore keybox…)."),
        Hint.LAST_PORTABLE_SLOT: _tr("Add another passphrase or AWS KMS slot first, or "
                                     "confirm the removal."),
        Hint.PROFILE_HAS_KEYS: _tr("Keep the profile, or confirm that its keys may be "
                                   "lost."),
        Hint.NO_IDENTITY: _tr("Open People → My recipient to make your identity."),
        Hint.NO_SUCH_IDENTITY: _tr("Choose one of your identities in People."),
        Hint.NO_SUCH_CONTACT: _tr("Add the person on the People page first."),
    }.get(exc.hint, "")
    return words


def describe(exc: VaultError) -> str:
    """The error's message and the window's remedy, for a dialog or a row."""
    advice = remedy(exc)
    return f"{exc}. {advice}" if advice else str(exc)
