"""The base64 of age headers: RFC 4648 standard alphabet, no `=` padding, canonical only
(the unused low bits of the last character are zero), no line breaks. One spelling per
value is what makes a parsed header re-encode to the very bytes its MAC covers."""

from __future__ import annotations

import binascii
import re

_ALPHABET = re.compile(rb"[A-Za-z0-9+/]*")


def encode(data: bytes) -> bytes:
    """Unpadded base64 of `data`."""
    return binascii.b2a_base64(data, newline=False).rstrip(b"=")


def decode(text: bytes) -> bytes | None:
    """The bytes `text` encodes, or None when it is not canonical unpadded base64."""
    if len(text) % 4 == 1 or _ALPHABET.fullmatch(text) is None:
        return None
    data = binascii.a2b_base64(text + b"=" * (-len(text) % 4), strict_mode=True)
    return data if encode(data) == text else None
