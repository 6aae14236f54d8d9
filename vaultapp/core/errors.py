"""One family of typed errors, each mapped to a command-line exit code.

Every message says what happened and what to do next. Messages never contain key
material, passphrases or plaintext.
"""

from __future__ import annotations


class VaultError(Exception):
    """Base of every error vaultapp reports to a person. Exit code 1 (I/O, conflict)."""

    exit_code = 1


class UsageError(VaultError):
    """The command or its arguments are wrong. Exit code 2."""

    exit_code = 2


class OutputExistsError(VaultError):
    """An output file already exists and overwriting it was not asked for. Exit code 1."""


class IntegrityError(VaultError):
    """A sealed file is tampered, truncated, not ours or sealed with a key we lack. Exit code 3.

    Deliberately opaque (as Fernet's InvalidToken): the message never hints at which byte
    or which check failed, so the error cannot serve as an oracle.
    """

    exit_code = 3

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or "the file is tampered, truncated or not sealed with this keybox; nothing was written"
        )


class UnknownVersionError(IntegrityError):
    """A file that claims a format version this program cannot read. Exit code 3."""

    def __init__(self, version: int) -> None:
        self.version = version
        super().__init__(
            f"the file claims sealed-file format version {version}, which this vaultapp "
            "cannot read; update vaultapp, or check that the file is really a sealed file"
        )


class KeyUnusableError(VaultError):
    """A profile key is unknown, disabled, pending destruction or destroyed. Exit code 4."""

    exit_code = 4


class KeyboxLockedError(VaultError):
    """No key slot could unlock the keybox. Exit code 5."""

    exit_code = 5


class CancelledError(VaultError):
    """The person cancelled the operation; nothing was written. Exit code 1."""

    def __init__(self, message: str = "cancelled; nothing was written") -> None:
        super().__init__(message)
