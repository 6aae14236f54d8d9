"""Bech32 and the age key strings: the specification's examples, round trips, and every
way a recipient or identity string is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from vaultapp.core.age import (
    AgeIdentityError,
    AgeRecipientError,
    HybridIdentity,
    HybridRecipient,
    X25519Identity,
    X25519Recipient,
    bech32,
    parse_identity,
    parse_identity_file,
    parse_recipient,
)
from vaultapp.core.errors import UsageError

SPEC = [line for line in (Path(__file__).parent / "spec_keys.txt").read_text().splitlines()
        if not line.startswith("#")]


def test_spec_examples_derive_their_recipients() -> None:
    """The hybrid seed expands (SHAKE256 → ML-KEM-768 seed, X25519 scalar) to exactly the
    specification's 1,959-character recipient; the X25519 one likewise."""
    hybrid_secret, hybrid_public, classic_secret, classic_public = SPEC
    hybrid = parse_identity(hybrid_secret)
    assert isinstance(hybrid, HybridIdentity)
    assert hybrid.recipient().encode() == hybrid_public
    assert hybrid.encode() == hybrid_secret
    classic = parse_identity(classic_secret)
    assert isinstance(classic, X25519Identity)
    assert classic.recipient().encode() == classic_public
    assert classic.encode() == classic_secret
    assert parse_recipient(hybrid_public) == hybrid.recipient()
    assert parse_recipient(classic_public) == classic.recipient()


@pytest.mark.parametrize("kind", [X25519Identity, HybridIdentity])
def test_generated_keys_round_trip(kind: type[X25519Identity] | type[HybridIdentity]) -> None:
    identity = kind.generate()
    assert len(identity.secret_bytes) == 32
    again = parse_identity(identity.encode())
    assert type(again) is kind
    assert again.secret_bytes == identity.secret_bytes
    recipient = identity.recipient()
    assert parse_recipient(recipient.encode()) == recipient
    assert kind(identity.secret_bytes).recipient() == recipient  # plain bytes-backed
    assert identity.encode().startswith(("AGE-SECRET-KEY-1", "AGE-SECRET-KEY-PQ-1"))
    assert recipient.encode().startswith("age1pq1" if kind is HybridIdentity else "age1")
    assert identity.encode() not in repr(identity)
    assert hash(recipient) == hash(parse_recipient(recipient.encode()))


def test_kinds_and_post_quantum_flags() -> None:
    assert X25519Identity.generate().recipient().post_quantum is False
    assert HybridIdentity.generate().recipient().post_quantum is True
    assert X25519Identity.kind == X25519Recipient.kind == "x25519"
    assert HybridIdentity.kind == HybridRecipient.kind == "hybrid"


def test_whitespace_around_a_pasted_key_is_ignored() -> None:
    recipient = X25519Identity.generate().recipient()
    assert parse_recipient(f"  {recipient.encode()}\n") == recipient


def _flip_last(text: str) -> str:
    return text[:-1] + ("q" if text[-1] != "q" else "p")


def _recipient_cases() -> list[tuple[str, str]]:
    x = X25519Identity.generate().recipient().encode()
    pq = HybridIdentity.generate().recipient().encode()
    return [
        (x.upper(), "expected age1"),  # recipients are lowercase (age's rule)
        (x[:10] + x[10:].upper(), "mixed case"),
        (_flip_last(x), "invalid checksum"),
        (x.replace("age1", "age1b", 1), "invalid"),
        ("age1", "separator"),
        ("age1qqqqqqb", "invalid character"),
        (bech32.encode("age", bytes(31)), "32 bytes"),
        (bech32.encode("age", bytes(32)), "low-order point"),
        (bech32.encode("age", b"\x01" + bytes(31)), "low-order point"),
        (bech32.encode("age1pq", bytes(100)), "1216 bytes"),
        (bech32.encode("age1pq", b"\xff" * 1216), "ML-KEM-768 key is not valid"),
        (bech32.encode("age1pq", HybridIdentity.generate().recipient().public_bytes[:1184]
                       + bytes(32)), "X25519 key is a low-order point"),
        (pq[:-40] + _flip_last(pq[-40:]), "invalid checksum"),
        (bech32.encode("age1tag", bytes(33)), "tagged"),
        (bech32.encode("age1yubikey", bytes(33)), "plugin"),
        ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI", "SSH"),
        ("bob@example.com", "Bech32"),
        ("", "Bech32"),
    ]


@pytest.mark.parametrize(("text", "why"), _recipient_cases())
def test_malformed_recipient_is_a_usage_error_naming_it(text: str, why: str) -> None:
    with pytest.raises(AgeRecipientError) as refused:
        parse_recipient(text)
    error = refused.value
    assert isinstance(error, UsageError)
    assert error.exit_code == 2
    assert why in error.message
    assert error.recipient == text.strip()
    assert text.strip()[:30] in error.message


def test_recipient_message_shortens_a_long_string_and_escapes_controls() -> None:
    long = "age1" + "q" * 500
    with pytest.raises(AgeRecipientError) as refused:
        parse_recipient(long)
    assert len(refused.value.message) < 200
    with pytest.raises(AgeRecipientError) as refused:
        parse_recipient("age1\x1b[2Jq")
    assert "\x1b" not in refused.value.message


def _identity_cases() -> list[tuple[str, str]]:
    x = X25519Identity.generate().encode()
    pq = HybridIdentity.generate().encode()
    return [
        (x.lower(), "expected AGE-SECRET-KEY"),
        (_flip_last(x.lower()).upper(), "invalid checksum"),
        (_flip_last(pq.lower()).upper(), "invalid checksum"),
        (bech32.encode("AGE-SECRET-KEY-", bytes(16)), "32 bytes"),
        (bech32.encode("AGE-SECRET-KEY-PQ-", bytes(64)), "32-byte seed"),
        (bech32.encode("AGE-PLUGIN-YUBIKEY-", bytes(8)), "plugin"),
        (X25519Identity.generate().recipient().encode(), "expected AGE-SECRET-KEY"),
        ("hunter2", "Bech32"),
    ]


@pytest.mark.parametrize(("text", "why"), _identity_cases())
def test_malformed_identity_is_refused_without_repeating_it(text: str, why: str) -> None:
    with pytest.raises(AgeIdentityError) as refused:
        parse_identity(text)
    assert refused.value.exit_code == 2
    assert why in refused.value.message
    assert text not in refused.value.message
    assert text.upper() not in refused.value.message


def test_identity_file_as_age_keygen_writes_it() -> None:
    first, second = X25519Identity.generate(), HybridIdentity.generate()
    text = (f"# created: 2026-01-01T00:00:00Z\n# public key: {first.recipient().encode()}\n"
            f"{first.encode()}\n\n  # another\n{second.encode()}\n")
    found = parse_identity_file(text)
    assert [i.secret_bytes for i in found] == [first.secret_bytes, second.secret_bytes]


@pytest.mark.parametrize(("text", "why"), [
    ("# only a comment\n\n", "no identity"),
    (f"{X25519Identity.generate().encode()}\nnot a key\n", "line 2"),
])
def test_identity_file_refusals(text: str, why: str) -> None:
    with pytest.raises(AgeIdentityError) as refused:
        parse_identity_file(text)
    assert why in refused.value.message


@pytest.mark.parametrize("data", [b"", b"\x00", bytes(range(256)), b"\xff" * 1216])
def test_bech32_round_trip_without_length_limit(data: bytes) -> None:
    for hrp in ("age", "AGE-SECRET-KEY-"):
        text = bech32.encode(hrp, data)
        assert bech32.decode(text) == (hrp, data)
        assert text == (text.upper() if hrp.isupper() else text.lower())


@pytest.mark.parametrize(("text", "why"), [
    ("age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq", "checksum"),
    ("a\x7fb1qqqqqqq", "human-readable"),
    ("1qqqqqqq", "separator"),
    ("age1qqqqq", "separator"),
    ("age1qqqqqqqqbqqq", "data part"),
])
def test_bech32_decode_refusals(text: str, why: str) -> None:
    with pytest.raises(bech32.Bech32Error, match=why):
        bech32.decode(text)


def test_bech32_refuses_non_canonical_padding() -> None:
    """Excess or non-zero padding bits would give one key two spellings."""
    good = bech32.encode("age", b"\x01")  # 8 bits -> 2 groups, 2 padding bits
    values = [bech32.CHARSET.index(c) for c in good[4:-6]]
    for bad in ([*values, 0], [values[0], values[1] | 1]):
        data = "".join(bech32.CHARSET[v] for v in bad)
        check = bech32._polymod([*bech32._hrp_expand("age"), *bad, 0, 0, 0, 0, 0, 0]) ^ 1
        text = "age1" + data + "".join(bech32.CHARSET[(check >> 5 * (5 - i)) & 31]
                                       for i in range(6))
        with pytest.raises(bech32.Bech32Error, match="padding"):
            bech32.decode(text)


@pytest.mark.parametrize("hrp", ["", "Age", "a b"])
def test_bech32_encode_refuses_a_bad_prefix(hrp: str) -> None:
    with pytest.raises(bech32.Bech32Error):
        bech32.encode(hrp, b"x")


def test_key_objects_refuse_wrong_sizes() -> None:
    for make in (X25519Identity, HybridIdentity, X25519Recipient, HybridRecipient):
        with pytest.raises(ValueError):
            make(bytes(31))
