"""Bech32 (BIP 173) as age uses it: no length limit on the data part, all lowercase or all
uppercase, the checksum always computed over the lowercase string.

age's keys: recipients `age1…` (X25519) and `age1pq1…` (ML-KEM-768 + X25519), identities
`AGE-SECRET-KEY-1…` (X25519) and `AGE-SECRET-KEY-PQ-1…` (the hybrid identity's 32-byte
seed). Decoding is strict: mixed case, a bad checksum and non-zero or excess padding bits
are refused, so every key has exactly one spelling per case.
"""

from __future__ import annotations

CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_VALUES = {c: i for i, c in enumerate(CHARSET)}
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


class Bech32Error(ValueError):
    """Not a well-formed Bech32 string; the text says why."""


def _polymod(values: list[int]) -> int:
    chk = 1
    for value in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ value
        for i, gen in enumerate(_GENERATOR):
            if (top >> i) & 1:
                chk ^= gen
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    low = hrp.lower()
    return [ord(c) >> 5 for c in low] + [0] + [ord(c) & 31 for c in low]


def _convert_bits(data: bytes | list[int], from_bits: int, to_bits: int, pad: bool) -> list[int]:
    acc = bits = 0
    out: list[int] = []
    maxv = (1 << to_bits) - 1
    for value in data:
        acc = (acc << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            out.append((acc >> bits) & maxv)
    if pad:
        if bits:
            out.append((acc << (to_bits - bits)) & maxv)
    elif bits >= from_bits:
        raise Bech32Error("illegal zero padding")
    elif (acc << (to_bits - bits)) & maxv:
        raise Bech32Error("non-zero padding")
    return out


def encode(hrp: str, data: bytes) -> str:
    """`hrp` || "1" || data || checksum; uppercase when `hrp` is uppercase."""
    if not hrp or any(not 33 <= ord(c) <= 126 for c in hrp):
        raise Bech32Error("invalid human-readable part")
    if hrp not in (hrp.lower(), hrp.upper()):
        raise Bech32Error("mixed-case human-readable part")
    values = _convert_bits(data, 8, 5, True)
    check = _polymod([*_hrp_expand(hrp), *values, 0, 0, 0, 0, 0, 0]) ^ 1
    checksum = [(check >> 5 * (5 - i)) & 31 for i in range(6)]
    text = hrp.lower() + "1" + "".join(CHARSET[v] for v in values + checksum)
    return text if hrp == hrp.lower() else text.upper()


def decode(text: str) -> tuple[str, bytes]:
    """(human-readable part, data); the part keeps the case of `text`."""
    if text not in (text.lower(), text.upper()):
        raise Bech32Error("mixed case")
    pos = text.rfind("1")
    if pos < 1 or pos + 7 > len(text):
        raise Bech32Error("separator '1' missing or misplaced")
    hrp = text[:pos]
    if any(not 33 <= ord(c) <= 126 for c in hrp):
        raise Bech32Error("invalid character in the human-readable part")
    try:
        values = [_VALUES[c] for c in text[pos + 1 :].lower()]
    except KeyError:
        raise Bech32Error("invalid character in the data part") from None
    if _polymod(_hrp_expand(hrp) + values) != 1:
        raise Bech32Error("invalid checksum")
    return hrp, bytes(_convert_bits(values[:-6], 5, 8, False))
