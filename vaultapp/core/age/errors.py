"""The age errors: one class per stage at which a file is refused, and one for a
recipient or identity string that is not one.

Every refusal of a file is a `FileIntegrityError` (exit code 3) and says at which stage it
failed, in the words of the age test vectors: header, header MAC, payload, armor, or no
identity matched. Like the sealed-file errors they never say which byte or which check
failed; `reason` keeps that for logs and tests, and the front ends never print it.
A malformed recipient string is a `UsageError` (exit code 2) that names it.
"""

from __future__ import annotations

from ..errors import FileIntegrityError, Hint, UsageError
from ..text import printable


class AgeError(FileIntegrityError):
    """An age file refused at some stage. Exit code 3."""

    default_message = "the age file is damaged or not an age file"

    def __init__(self, reason: str = "", message: str | None = None) -> None:
        super().__init__(message or self.default_message)
        self.reason = reason


class AgeHeaderError(AgeError):
    """The header does not parse, or a stanza addressed to one of our identities is
    malformed (the age test vectors' "header failure")."""

    default_message = "the age file's header is damaged or not in the age format"


class AgeVersionError(AgeHeaderError):
    """The file starts like an age file of a version other than v1."""

    def __init__(self, version: str) -> None:
        self.version = version
        shown = printable(version[:40]) + ("…" if len(version) > 40 else "")
        super().__init__(
            "unknown version",
            f"the file claims age format version {shown!r}, which this vaultapp cannot read")


class AgeWorkFactorError(AgeHeaderError):
    """A passphrase file whose scrypt work factor is above the cap: opening it would take
    too long (or is a way to make us spin)."""

    def __init__(self, log_n: str, cap: int) -> None:
        self.log_n = log_n
        self.cap = cap
        shown = log_n if len(log_n) <= 6 else log_n[:6] + "…"
        super().__init__(
            "scrypt work factor above the cap",
            f"the file's passphrase work factor (2^{shown}) is above the limit of 2^{cap}: "
            "opening it would take too long")


class AgeMacError(AgeError):
    """A file key was unwrapped but the header MAC does not match: the header was changed
    ("HMAC failure")."""

    default_message = "the age file's header was changed after it was written"


class AgePayloadError(AgeError):
    """The payload does not decrypt all the way to its end: tampered, truncated or
    extended ("payload failure")."""

    default_message = "the age file is tampered or truncated"


class AgeArmorError(AgeError):
    """The ASCII armor (PEM) around an age file is not the strict encoding age writes
    ("armor failure")."""

    default_message = "the armored age file is damaged: its text encoding is not valid"


NO_MATCH_MESSAGE = "none of this keybox's identities can open it"
WRONG_PASSPHRASE_MESSAGE = "the passphrase is wrong"


class AgeNoMatchError(AgeError):
    """No identity (or passphrase) given can unwrap any stanza of the header ("no match").

    `stanza_types` are the file's stanza types, so a front end can tell a passphrase file
    (`scrypt`) from a file for someone else without parsing the message; for a passphrase
    file the message says the passphrase is wrong. `no_identity`: the keybox has no
    identity at all, and the hint says how to make one."""

    default_message = NO_MATCH_MESSAGE

    def __init__(self, stanza_types: tuple[str, ...] = (), *, no_identity: bool = False) \
            -> None:
        passphrase = stanza_types == ("scrypt",)
        super().__init__("no identity matched",
                         WRONG_PASSPHRASE_MESSAGE if passphrase else None)
        self.stanza_types = stanza_types
        if no_identity and not passphrase:
            self.hint = Hint.NO_IDENTITY


class AgeRecipientError(UsageError):
    """A recipient string that is not an age recipient this vaultapp can encrypt to.
    Exit code 2; the message names the string (it is public)."""

    def __init__(self, text: str, why: str) -> None:
        self.recipient = text
        shown = printable(text[:60]) + ("…" if len(text) > 60 else "")
        super().__init__(f"{shown!r} is not a valid age recipient: {why}")


class AgeIdentityError(UsageError):
    """A string that is not an age identity. Exit code 2. The message never repeats the
    string: it may be a secret key."""

    def __init__(self, why: str) -> None:
        self.why = why
        super().__init__(f"the text is not an age identity: {why}")
