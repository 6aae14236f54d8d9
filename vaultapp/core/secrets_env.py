"""The passphrase given in the environment (VAULTAPP_PASSPHRASE), read in one place.

The first read takes the variable out of the process's environment — `os.environ` and
`os.environb` and, through them, the C library's `environ` (unsetenv) — so no child
process (a keyring helper, a shell of the file manager, a crash reporter) ever inherits
it. The value is kept here for the rest of the process: the command line reads it for a
new keybox or an unlock, the window's unlock reads it too, and all get the same value.

A value that is not UTF-8 text is refused with a usage error that says where it came
from, never which bytes it held.
"""

from __future__ import annotations

import os

NAME = "VAULTAPP_PASSPHRASE"

_held: bytes | None = None
"""The raw value taken out of the environment (None: none was given)."""


def _pop_raw() -> bytes | None:
    """Remove the variable from every view of the environment; return its raw bytes."""
    raw: bytes | None = None
    if os.supports_bytes_environ:
        raw = os.environb.pop(NAME.encode(), None)
    value = os.environ.pop(NAME, None)  # os.environ.pop calls unsetenv
    if raw is None and value is not None:
        raw = os.fsencode(value)  # Windows, or a value set through os.environ only
    return raw


def scrub_env_passphrase() -> None:
    """Take the variable out of the environment now, unread (the command line does this
    first thing, before anything else runs). A later `take_env_passphrase` returns it."""
    global _held
    _held = _pop_raw()


def take_env_passphrase() -> str | None:
    """The passphrase from VAULTAPP_PASSPHRASE ('' counts as none), removed from the
    environment on first read and held for the rest of the process.

    Raises UsageError when the value is not UTF-8 text.
    """
    global _held
    raw = _pop_raw()
    if raw is not None:  # set (again) since the last read: it replaces the held value
        _held = raw
    if not _held:
        return None
    return utf8_passphrase(_held, "the passphrase in the environment variable " + NAME)


def forget() -> None:
    """Drop the held value (tests, and a process that is done with it)."""
    global _held
    _held = None


def utf8_passphrase(value: bytes | str, source: str) -> str:
    """`value` as text; UsageError naming `source` (never the bytes) if it is not UTF-8.

    A str may carry undecodable bytes as lone surrogates (surrogateescape): refused too.
    """
    try:
        if isinstance(value, bytes):
            return value.decode("utf-8")
        value.encode("utf-8")
    except UnicodeError:
        from .errors import UsageError  # here: `vaultapp --version` imports this module

        raise UsageError(f"{source} is not valid UTF-8 text; use a passphrase of "
                         "UTF-8 characters") from None
    return value
