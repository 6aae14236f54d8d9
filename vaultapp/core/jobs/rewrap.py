"""Rewrapping one sealed file in place to its profile's current primary key.

The keybox decides which key a stanza should move to (its rule) and records the change
(its audit log); this module does the file work between the two, so the keybox service
never touches files and a job never touches the keybox: it is handed a `Rewrapper`
(the keybox itself on the command line, a key lease in the window).
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from .. import fileops
from ..envelope import Recipient
from ..format import Stanza


class Rewrapper(Protocol):
    """What rewrapping needs of a keybox."""

    def resolve(self, profile_id: bytes, key_id: bytes) -> bytes | None: ...

    def rewrap_target(self, stanza: Stanza) -> Recipient | None:
        """The key `stanza` should move to, or None to leave it as it is."""
        ...

    def record_rewrapped(self, old_key: bytes, new_key: bytes, profile_id: bytes) -> None: ...


def rewrap_in_place(path: Path, keys: Rewrapper) -> tuple[bytes, bytes] | None:
    """Rewrap `path`; (old key id, new key id), or None when it already uses the current
    primary key. The payload is never touched (fileops.rewrap_file)."""
    old, new = fileops.rewrap_file(path, keys, keys.rewrap_target)
    for before, after in zip(old.stanzas, new.stanzas, strict=True):
        if before.key_id != after.key_id:
            keys.record_rewrapped(before.key_id, after.key_id, after.profile_id)
            return before.key_id, after.key_id
    return None
