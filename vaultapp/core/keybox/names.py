"""The one rule for names a person gives things in the keybox (profiles, slot labels,
identities, contacts), and how a default name is made unique."""

from __future__ import annotations

from ..errors import UsageError

MAX_NAME = 200


def check_name(name: str, what: str = "a name", limit: int = MAX_NAME) -> str:
    """`name` without surrounding space; a usage error unless it is 1 to `limit`
    printable characters (no control characters: names are printed on terminals)."""
    name = name.strip()
    if not name or len(name) > limit or any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise UsageError(f"{what} must be 1 to {limit} printable characters")
    return name


def unique(name: str, taken: set[str]) -> str:
    """`name`, or `name 2`, `name 3`, … when another one already has it."""
    if name not in taken:
        return name
    n = 2
    while f"{name} {n}" in taken:
        n += 1
    return f"{name} {n}"
