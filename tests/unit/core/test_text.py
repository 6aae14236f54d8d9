"""Stored text printed by the command line: controls become visible escapes."""

from __future__ import annotations

import pytest

from vaultapp.core.text import printable, printable_lines


@pytest.mark.parametrize(("raw", "shown"), [
    ("\x1b[2J", "\\x1b[2J"),
    ("a\u202eb", "a\\u202eb"),
    ("\x00\x07\x08\t\n\r\x7f", "\\x00\\x07\\x08\\x09\\x0a\\x0d\\x7f"),
    ("\x85\x9b", "\\x85\\x9b"),  # C1: NEL and CSI
    ("\u200e\u200f\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069",
     "\\u200e\\u200f\\u202a\\u202b\\u202c\\u202d\\u2066\\u2067\\u2068\\u2069"),
    ("\u2028\u2029", "\\u2028\\u2029"),
])
def test_controls_become_visible_escapes(raw: str, shown: str) -> None:
    """A name with ESC, C1, DEL, bidi controls prints as escapes, never raw."""
    assert printable(raw) == shown


def test_ordinary_text_is_kept() -> None:
    for text in ("acme", "Société Générale", "客户 ✓", "שלום", "a b\\x1b", "🙂"):
        assert printable(text) == text


def test_lines_stay_lines() -> None:
    assert printable_lines("one\x1b]0;x\x07\n  two\u202e") == "one\\x1b]0;x\\x07\n  two\\u202e"
