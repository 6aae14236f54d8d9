"""The command line's words for what to do about an error (core errors carry a hint code,
never a flag's name; the window words the same codes as buttons in gui/hints.py)."""

from __future__ import annotations

from vaultapp.core.errors import Hint, VaultError

_WORDS: dict[Hint, str] = {
    Hint.REPLACE_OUTPUT: "use --force to replace it, or -o to write elsewhere",
    Hint.NAME_OUTPUT: "give the output a file name with -o to open it anyway",
    Hint.OTHER_FOLDER: "choose another folder with -o",
    Hint.ENABLE_KEY: "enable it with 'vaultapp key enable {key}'",
    Hint.CANCEL_DESTRUCTION: "cancel the destruction with 'vaultapp key cancel-destroy {key}', "
                             "then enable it",
    Hint.ALREADY_PENDING: "cancel it with 'vaultapp key cancel-destroy {key}', or destroy it "
                          "at once with --after 0",
    Hint.KEY_GONE: "its material is erased; files sealed only under it cannot be opened",
    Hint.ROTATE_PROFILE: "rotate it with 'vaultapp key rotate --profile NAME'",
    Hint.NO_KEYBOX: "create one with 'vaultapp init' (or point --keybox / VAULTAPP_KEYBOX at "
                    "an existing one)",
    Hint.NOT_A_KEYBOX: "run 'vaultapp init', or point --keybox at a keybox",
    Hint.NO_SUCH_PROFILE: "see 'vaultapp profile list'",
    Hint.NO_PROFILE_YET: "create one with 'vaultapp profile create'",
    Hint.CHOOSE_PROFILE: "choose one with --profile",
    Hint.NO_SUCH_SLOT: "see 'vaultapp slot list'",
    Hint.KEY_ID_FORMAT: "give a key id as 'vaultapp key list' prints it",
    Hint.AMBIGUOUS_KEY_ID: "give more digits",
    Hint.NO_SECURE_KEYRING: "start a Secret Service such as gnome-keyring, or rely on a "
                            "passphrase slot ('vaultapp slot add-passphrase'; a new keybox: "
                            "'vaultapp init --no-keyring')",
    Hint.LAST_PORTABLE_SLOT: "add another passphrase or KMS slot first, or give --yes to "
                             "remove it anyway",
    Hint.NO_IDENTITY: "make one with 'vaultapp identity new'",
    Hint.NO_SUCH_IDENTITY: "see 'vaultapp identity list'",
    Hint.NO_SUCH_CONTACT: "see 'vaultapp contact list', or give a recipient (age1… or "
                          "age1pq1…)",
    Hint.PROFILE_HAS_KEYS: "destroy or keep its keys, or give --yes to delete it anyway",
    Hint.RESTORE_BACKUP: "restore it from a backup with 'vaultapp keybox restore FROM'",
    Hint.RETRY: "try again",
    Hint.TAMPERED: "if you did not expect this, restore a backup with 'vaultapp keybox "
                   "restore FROM' (it asks, then re-pins)",
}


def remedy(exc: VaultError) -> str:
    """What the person can do about `exc`, in the command line's terms ('' if nothing)."""
    words = _WORDS.get(exc.hint, "")
    return words.format(key=(exc.key_id or "KEY_ID")[:8])


def describe(exc: VaultError) -> str:
    """The error's message with its remedy, as the command line prints it."""
    advice = remedy(exc)
    return f"{exc}; {advice}" if advice else str(exc)
