"""One family of typed errors, each mapped to a command-line exit code.

A core error says what happened, in words that fit any front end, and carries fields
(`path`, `key_id`, `state`) and a `hint` code naming the remedy. The remedy's words
belong to the front end: the command line names a flag or a command
(`vaultapp.cli_hints`), the window names a button (`vaultapp.gui.hints`). Neither ever
parses an error's text. Messages never contain key material, passphrases or plaintext.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Hint(StrEnum):
    """What a person can do about an error; each front end words it in its own terms."""

    NONE = "none"
    REPLACE_OUTPUT = "replace_output"  # an output exists: replace it or write elsewhere
    NAME_OUTPUT = "name_output"  # the stored name is unsafe: give the output a name
    OTHER_FOLDER = "other_folder"  # the output folder cannot take it: choose another
    ENABLE_KEY = "enable_key"  # the key is disabled
    CANCEL_DESTRUCTION = "cancel_destruction"  # the key is pending destruction
    ALREADY_PENDING = "already_pending"  # destruction already scheduled
    KEY_GONE = "key_gone"  # destroyed: nothing to do, files under it are lost
    ROTATE_PROFILE = "rotate_profile"  # the profile has no usable primary key
    NO_KEYBOX = "no_keybox"  # nothing at the keybox location yet
    NOT_A_KEYBOX = "not_a_keybox"  # the location holds something that is not a keybox
    NO_SUCH_PROFILE = "no_such_profile"
    NO_PROFILE_YET = "no_profile_yet"
    CHOOSE_PROFILE = "choose_profile"  # several profiles and none chosen
    NO_SUCH_SLOT = "no_such_slot"
    KEY_ID_FORMAT = "key_id_format"  # not lowercase hex
    AMBIGUOUS_KEY_ID = "ambiguous_key_id"  # a prefix that matches several keys
    NO_SECURE_KEYRING = "no_secure_keyring"  # use a passphrase instead, or start one
    RESTORE_BACKUP = "restore_backup"  # the keybox is damaged
    RETRY = "retry"  # busy or temporarily unavailable
    UNLOCK = "unlock"  # the keybox is locked
    TAMPERED = "tampered"  # changed outside vaultapp: restore a backup if unexpected
    LAST_PORTABLE_SLOT = "last_portable_slot"  # confirm, or add another portable slot first
    PROFILE_HAS_KEYS = "profile_has_keys"  # confirm the loss, or keep the profile
    NO_IDENTITY = "no_identity"  # make one (identity new / My recipient)
    NO_SUCH_IDENTITY = "no_such_identity"
    NO_SUCH_CONTACT = "no_such_contact"


class VaultError(Exception):
    """Base of every error vaultapp reports to a person. Exit code 1 (I/O, conflict)."""

    exit_code = 1

    def __init__(self, message: str, *, hint: Hint = Hint.NONE, path: Path | str | None = None,
                 key_id: str | None = None, state: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.path = None if path is None else Path(path)
        self.key_id = key_id
        self.state = state


class UsageError(VaultError):
    """The command or its arguments are wrong. Exit code 2."""

    exit_code = 2


class OutputExistsError(VaultError):
    """An output file already exists and overwriting it was not asked for. Exit code 1."""

    def __init__(self, path: Path, *, appeared: bool = False, clash: str | None = None) -> None:
        """`clash`: why no flag can make it replace the file (another output of the same
        run has the name, or the file is an input of it)."""
        what = clash or ("appeared while it was being written; nothing was replaced"
                         if appeared else "already exists")
        super().__init__(f"{path} {what}", hint=Hint.NONE if clash else Hint.REPLACE_OUTPUT,
                         path=path)


class FileIntegrityError(VaultError):
    """A sealed file is tampered, truncated, not ours or sealed with a key we lack. Exit code 3.

    Deliberately opaque (as Fernet's InvalidToken): the message never hints at which byte
    or which check failed, so the error cannot serve as an oracle.
    """

    exit_code = 3

    def __init__(self, message: str | None = None, *, path: Path | str | None = None,
                 hint: Hint = Hint.NONE) -> None:
        super().__init__(
            message
            or "the file is tampered, truncated or not sealed with this keybox; nothing was "
            "written", path=path, hint=hint)


class UnknownVersionError(FileIntegrityError):
    """A file that claims a format version this program cannot read. Exit code 3."""

    def __init__(self, version: int) -> None:
        self.version = version
        super().__init__(
            f"the file claims sealed-file format version {version}, which this vaultapp "
            "cannot read; update vaultapp, or check that the file is really a sealed file"
        )


class KeyUnusableError(VaultError):
    """A key of this keybox that cannot be used: a key id prefix the person gave that
    matches no key, a profile without a primary key, or a key that is disabled, pending
    destruction or destroyed. Exit code 4.

    A sealed file that names no key of this keybox is not this error but
    `envelope.NoMatchingKeyError`, an integrity failure (exit code 3).
    """

    exit_code = 4


class LastPortableSlotError(VaultError):
    """Removing this slot would leave only slots that depend on this machine; done only
    when the person confirms. Exit code 1."""

    def __init__(self, message: str) -> None:
        super().__init__(message, hint=Hint.LAST_PORTABLE_SLOT)


class ProfileHasKeysError(VaultError):
    """Deleting this profile would erase keys that still open files; done only when the
    person confirms. Exit code 1."""


@dataclass(frozen=True)
class SlotReason:
    """Why one key slot did not unlock, in parts a front end can word in its own
    language: `slot` names it (label and id), `code` is one of the slot failure codes
    (vaultapp.core.keybox.slots.base.REASONS; "" for a rare case kept in words), `text`
    the English sentence, `values` the details the code comes with."""

    slot: str
    code: str
    text: str
    values: tuple[tuple[str, str | int | float], ...] = ()

    def __str__(self) -> str:
        return f"{self.slot}: {self.text}"


class KeyboxLockedError(VaultError):
    """No key slot could unlock the keybox. Exit code 5. `reasons`: each slot tried and
    why it did not unlock; `failures` the same as "slot: reason" lines."""

    exit_code = 5

    def __init__(self, message: str = "the keybox is locked", *,
                 failures: tuple[str, ...] = (),
                 reasons: tuple[SlotReason, ...] = ()) -> None:
        super().__init__(message, hint=Hint.UNLOCK)
        self.reasons = reasons
        self.failures = failures or tuple(str(r) for r in reasons)


class KeyboxTamperedError(VaultError):
    """The keybox was changed outside vaultapp, rolled back, or is not the keybox this
    machine pinned. Nothing is sealed or opened. Exit code 6."""

    exit_code = 6


class KeyboxUnavailableError(VaultError):
    """The keybox's database could not be used (busy, unreachable, damaged, refused).

    `reason` classifies it: "busy", "unreachable", "denied", "damaged"; the hint says
    whether to retry or restore a backup. Exit code 1.
    """

    def __init__(self, message: str, *, reason: str, hint: Hint) -> None:
        super().__init__(message, hint=hint)
        self.reason = reason


class CancelledError(VaultError):
    """The person cancelled the operation; nothing was written. Exit code 1."""

    def __init__(self, message: str = "cancelled; nothing was written") -> None:
        super().__init__(message)
