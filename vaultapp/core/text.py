"""Stored text made safe to print on a terminal.

Names, labels and audit details come from the keybox, which another person or program
may have written: printed raw, an escape sequence could clear the screen, rewrite earlier
lines or retitle the terminal, and a bidi control could make a name read backwards.
`printable` replaces every such character with a visible escape; everything else
(letters of any script, emoji, spaces) is kept as it is.
"""

from __future__ import annotations

import re

_BIDI = "\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with C0 and C1 controls, DEL, line and paragraph separators and Unicode
    bidi controls replaced by visible escapes (`\\x1b`, `\\u202e`); a backslash is kept,
    so an escape is visible, never re-interpreted."""
    return _UNSAFE.sub(_escape, text)


def printable_lines(text: str) -> str:
    """`printable` for each line of a message of several lines (the newlines stay)."""
    return "\n".join(printable(line) for line in text.split("\n"))
