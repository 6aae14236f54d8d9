"""The window's words for what to do about an error: the same hint codes the command line
words as flags (vaultapp/cli_hints.py), worded here as the window's own buttons and menus.
The window never parses an error's text."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from vaultapp.core.errors import Hint, VaultError


def _tr(text: str) -> str:
    return QCoreApplication.translate("hints", text)


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
        Hint.NO_SUCH_PROFILE: _tr("Choose a profile from the list."),
        Hint.NO_PROFILE_YET: _tr("Create a profile with New profile."),
        Hint.CHOOSE_PROFILE: _tr("Select the profile to seal for in the list."),
        Hint.NO_SECURE_KEYRING: _tr("Untick “Keep the root key in the OS keyring” and set a "
                                    "recovery passphrase, or start a keyring such as "
                                    "gnome-keyring."),
        Hint.RESTORE_BACKUP: _tr("Restore the keybox from a backup."),
        Hint.RETRY: _tr("Try again in a moment."),
        Hint.TAMPERED: _tr("If you did not expect this, restore the keybox from a backup."),
        Hint.LAST_PORTABLE_SLOT: _tr("Add another passphrase or AWS KMS slot first, or "
                                     "confirm the removal."),
        Hint.PROFILE_HAS_KEYS: _tr("Keep the profile, or confirm that its keys may be "
                                   "lost."),
    }.get(exc.hint, "")
    return words


def describe(exc: VaultError) -> str:
    """The error's message and the window's remedy, for a dialog or a row."""
    advice = remedy(exc)
    return f"{exc}. {advice}" if advice else str(exc)
