"""Whole age files through the public API: every recipient type both ways, armored and
binary, the sizes around chunk boundaries, the facts a header gives, and each refusal
with what it leaves written."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import BinaryIO, cast

import pytest

from vaultapp.core.age import (
    NO_MATCH_MESSAGE,
    SNIFF_SIZE,
    AgeError,
    AgeHeaderError,
    AgeMacError,
    AgeNoMatchError,
    AgePayloadError,
    AgeWorkFactorError,
    HybridIdentity,
    Identity,
    Recipient,
    ScryptIdentity,
    ScryptRecipient,
    X25519Identity,
    b64,
    decrypt,
    encrypt,
    is_age,
    read_header,
)
from vaultapp.core.age.payload import CHUNK, SEALED_CHUNK
from vaultapp.core.errors import CancelledError, UsageError

SIZES = [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 16 * CHUNK, 16 * CHUNK + 1, 3 * 16 * CHUNK + 5]
FAST = 2  # scrypt work factor for tests


def _in(data: bytes) -> BinaryIO:
    return cast(BinaryIO, io.BytesIO(data))


def seal(data: bytes, recipients: list[Recipient], armor: bool = False) -> bytes:
    out = io.BytesIO()
    assert encrypt(_in(data), out, recipients, armor=armor) == len(data)
    return out.getvalue()


def unseal(sealed: bytes, identities: list[Identity]) -> bytes:
    out = io.BytesIO()
    facts = decrypt(_in(sealed), out, identities)
    assert facts.plaintext_size == len(out.getvalue())
    return out.getvalue()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("armor", [False, True])
def test_round_trip_every_kind(size: int, armor: bool) -> None:
    data = os.urandom(size)
    for identity, recipient in [
        (x := X25519Identity.generate(), x.recipient()),
        (h := HybridIdentity.generate(), h.recipient()),
        (ScryptIdentity("pass"), ScryptRecipient("pass", log_n=FAST)),
    ]:
        sealed = seal(data, [recipient], armor)
        assert unseal(sealed, [identity]) == data
        assert read_header(_in(sealed)).armored is armor


def test_stanza_type_follows_the_recipient() -> None:
    cases = [
        (X25519Identity.generate().recipient(), ("X25519",), False),
        (HybridIdentity.generate().recipient(), ("mlkem768x25519",), True),
        (ScryptRecipient("pass", log_n=FAST), ("scrypt",), True),
    ]
    for recipient, types, post_quantum in cases:
        facts = read_header(_in(seal(b"x", [recipient])))
        assert facts.stanza_types == types
        assert facts.post_quantum is post_quantum
        assert facts.plaintext_size is None
        assert facts.passphrase is (types == ("scrypt",))


def test_several_recipients_each_open_it() -> None:
    people = [X25519Identity.generate() for _ in range(3)]
    sealed = seal(b"to all", [p.recipient() for p in people])
    assert read_header(_in(sealed)).stanza_types == ("X25519",) * 3
    for person in people:
        assert unseal(sealed, [person]) == b"to all"
    pq = [HybridIdentity.generate() for _ in range(2)]
    sealed = seal(b"pq", [p.recipient() for p in pq])
    assert unseal(sealed, [X25519Identity.generate(), pq[1]]) == b"pq"


def test_post_quantum_facts_for_unknown_and_mixed_types() -> None:
    from vaultapp.core.age.file import AgeFacts

    assert AgeFacts(("X25519", "mlkem768x25519"), False).post_quantum is False
    assert AgeFacts(("example.com/enigma",), False).post_quantum is None
    assert AgeFacts(("mlkem768x25519", "example.com/enigma"), False).post_quantum is True


@pytest.mark.parametrize(("recipients", "why"), [
    ([], "no recipient"),
    ([ScryptRecipient("a", log_n=FAST), ScryptRecipient("b", log_n=FAST)], "one passphrase"),
    ([ScryptRecipient("a", log_n=FAST), X25519Identity.generate().recipient()],
     "one passphrase"),
    ([HybridIdentity.generate().recipient(), X25519Identity.generate().recipient()],
     "quantum"),
])
def test_encrypt_refuses_bad_recipient_sets(recipients: list[Recipient], why: str) -> None:
    out = io.BytesIO()
    with pytest.raises(UsageError, match=why):
        encrypt(_in(b"x"), out, recipients)
    assert out.getvalue() == b""


def test_scrypt_parameters_are_checked() -> None:
    with pytest.raises(UsageError, match="empty"):
        ScryptRecipient("")
    with pytest.raises(UsageError, match="empty"):
        ScryptIdentity(b"")
    with pytest.raises(UsageError, match="work factor"):
        ScryptRecipient("a", log_n=23)
    with pytest.raises(UsageError, match="work factor"):
        ScryptRecipient("a", log_n=0)
    with pytest.raises(UsageError, match="cap"):
        ScryptIdentity("a", max_log_n=31)


def test_scrypt_work_factor_cap_refuses_before_any_work() -> None:
    sealed = seal(b"x", [ScryptRecipient("pass", log_n=12)])
    with pytest.raises(AgeWorkFactorError) as refused:
        unseal(sealed, [ScryptIdentity("pass", max_log_n=11)])
    assert "2^12" in refused.value.message and "2^11" in refused.value.message
    assert unseal(sealed, [ScryptIdentity("pass", max_log_n=12)]) == b"x"
    assert ScryptIdentity("p").max_log_n == 22  # age's default cap


def test_wrong_passphrase_is_no_match() -> None:
    sealed = seal(b"x", [ScryptRecipient("right", log_n=FAST)])
    with pytest.raises(AgeNoMatchError) as refused:
        unseal(sealed, [ScryptIdentity("wrong")])
    assert refused.value.stanza_types == ("scrypt",)
    assert unseal(sealed, [ScryptIdentity("wrong"), ScryptIdentity("right")]) == b"x"


def test_file_for_someone_else_says_so_and_writes_nothing() -> None:
    sealed = seal(b"secret", [X25519Identity.generate().recipient(),
                              X25519Identity.generate().recipient()])
    out = io.BytesIO()
    with pytest.raises(AgeNoMatchError) as refused:
        decrypt(_in(sealed), out, [X25519Identity.generate(), ScryptIdentity("p")])
    assert str(refused.value) == NO_MATCH_MESSAGE == "none of this keybox's identities can open it"
    assert refused.value.exit_code == 3
    assert refused.value.stanza_types == ("X25519", "X25519")
    assert out.getvalue() == b""


def test_no_identity_is_no_match_and_says_how_to_make_one() -> None:
    """A keybox without an identity: the file is for someone else (exit 3), as for one
    whose identities do not match; only the hint differs."""
    from vaultapp.core.errors import Hint

    sealed = seal(b"x", [X25519Identity.generate().recipient()])
    with pytest.raises(AgeNoMatchError) as refused:
        decrypt(_in(sealed), io.BytesIO(), [])
    assert str(refused.value) == NO_MATCH_MESSAGE and refused.value.exit_code == 3
    assert refused.value.hint is Hint.NO_IDENTITY
    with pytest.raises(AgeNoMatchError) as other:
        decrypt(_in(sealed), io.BytesIO(), [X25519Identity.generate()])
    assert other.value.hint is Hint.NONE


def test_a_passphrase_file_says_the_passphrase_is_wrong_or_missing() -> None:
    sealed = seal(b"x", [ScryptRecipient("pass", log_n=FAST)])
    with pytest.raises(AgeNoMatchError, match=r"^the passphrase is wrong$") as refused:
        decrypt(_in(sealed), io.BytesIO(), [ScryptIdentity("other")])
    assert refused.value.exit_code == 3
    with pytest.raises(UsageError, match="no passphrase"):  # the caller gave none
        decrypt(_in(sealed), io.BytesIO(), [])


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :]


def test_tampering_is_refused_at_its_stage() -> None:
    me = X25519Identity.generate()
    data = os.urandom(3 * CHUNK)
    sealed = seal(data, [me.recipient()])
    header_end = sealed.index(b"\n---") + 1
    mac_line_end = sealed.index(b"\n", header_end) + 1
    cases: list[tuple[bytes, type[AgeError], int]] = [
        (sealed[:header_end] + b"--- " + b64.encode(bytes(32)) + sealed[mac_line_end - 1 :],
         AgeMacError, 0),  # another (well-formed) MAC
        (sealed.replace(sealed[32:75], b"AAAA", 1), AgeHeaderError, 0),  # a 3-byte share
        (_flip(sealed, mac_line_end + 3), AgePayloadError, 0),  # the payload nonce
        (_flip(sealed, mac_line_end + 16 + SEALED_CHUNK + 9), AgePayloadError, CHUNK),
        (sealed[: mac_line_end + 16 + 2 * SEALED_CHUNK], AgePayloadError, 2 * CHUNK),
        (sealed + b"x", AgePayloadError, 3 * CHUNK),  # the final chunk, then the error
        (sealed[:mac_line_end + 10], AgeHeaderError, 0),
    ]
    for bad, stage, released in cases:
        out = io.BytesIO()
        with pytest.raises(AgeError) as refused:
            decrypt(_in(bad), out, [me])
        assert isinstance(refused.value, stage), (stage, refused.value.reason)
        assert out.getvalue() == data[:released]


def test_a_changed_header_line_is_an_hmac_failure() -> None:
    me = X25519Identity.generate()
    other = X25519Identity.generate().recipient()
    sealed = seal(b"x", [me.recipient(), other])
    lines = sealed.split(b"\n")
    swapped = b"\n".join([lines[0], lines[3], lines[4], lines[1], lines[2], *lines[5:]])
    with pytest.raises(AgeMacError):
        unseal(swapped, [me])


def test_payload_failure_in_a_later_batch_releases_the_chunks_before_it() -> None:
    """A file of several 1 MiB batches (the writer thread's path): the chunks before the
    bad one are written, none after."""
    me = HybridIdentity.generate()
    data = os.urandom(40 * CHUNK + 100)
    sealed = seal(data, [me.recipient()])
    payload = sealed.index(b"\n", sealed.index(b"\n---") + 1) + 1 + 16
    bad = _flip(sealed, payload + 37 * SEALED_CHUNK + 5)
    out = io.BytesIO()
    with pytest.raises(AgePayloadError):
        decrypt(_in(bad), out, [me])
    assert out.getvalue() == data[: 37 * CHUNK]


def test_progress_and_cancel() -> None:
    me = X25519Identity.generate()
    data = os.urandom(40 * CHUNK)
    seen: list[int] = []
    out = io.BytesIO()
    encrypt(_in(data), out, [me.recipient()], progress=seen.append)
    assert seen[-1] == len(data) and seen == sorted(seen)
    seen.clear()
    decrypt(_in(out.getvalue()), io.BytesIO(), [me], progress=seen.append)
    assert seen[-1] == len(data)
    with pytest.raises(CancelledError):
        encrypt(_in(data), io.BytesIO(), [me.recipient()], cancel=lambda: True)
    with pytest.raises(CancelledError):
        decrypt(_in(out.getvalue()), io.BytesIO(), [me], cancel=lambda: True)


def test_armor_is_detected_or_forced() -> None:
    me = X25519Identity.generate()
    armored = seal(b"text", [me.recipient()], armor=True)
    assert armored.startswith(b"-----BEGIN AGE ENCRYPTED FILE-----\n")
    assert armored.endswith(b"-----END AGE ENCRYPTED FILE-----\n")
    assert unseal(b"\r\n  \r\n" + armored.replace(b"\n", b"\r\n"), [me]) == b"text"
    binary = seal(b"text", [me.recipient()])
    with pytest.raises(AgeError):
        decrypt(_in(binary), io.BytesIO(), [me], armor=True)
    with pytest.raises(AgeHeaderError):
        decrypt(_in(armored), io.BytesIO(), [me], armor=False)


def test_is_age() -> None:
    me = X25519Identity.generate()
    assert is_age(seal(b"", [me.recipient()])[:SNIFF_SIZE])
    assert is_age(seal(b"", [me.recipient()], armor=True)[:SNIFF_SIZE])
    assert is_age(b"age-encryption.org/v2\n")  # then refused, naming the version
    assert not is_age(b"\x89VAULT\r\n")
    assert not is_age(b"")
    assert not is_age(b"age-encr")


def test_read_header_of_damaged_files() -> None:
    with pytest.raises(AgeHeaderError):
        read_header(_in(b"not age"))
    me = X25519Identity.generate()
    sealed = seal(b"x", [ScryptRecipient("p", log_n=FAST)])
    lines = sealed.split(b"\n")
    two = b"\n".join([lines[0], lines[1], lines[2], *lines[1:]])
    with pytest.raises(AgeHeaderError) as refused:
        read_header(_in(two))
    assert refused.value.reason == "an scrypt stanza must be the only one"
    assert read_header(_in(seal(b"x", [me.recipient()]))).stanza_types == ("X25519",)


def test_an_added_stanza_is_an_hmac_failure() -> None:
    """The MAC covers every stanza, also those of types nobody here knows."""
    me = X25519Identity.generate()
    sealed = seal(b"grease", [me.recipient()])
    grease = b"-> example.com/enigma x y\n" + b"A" * 64 + b"\nAAAA\n"
    mixed = sealed[: sealed.index(b"\n") + 1] + grease + sealed[sealed.index(b"\n") + 1 :]
    assert read_header(_in(mixed)).stanza_types == ("example.com/enigma", "X25519")
    with pytest.raises(AgeMacError):
        unseal(mixed, [me])


def test_non_seekable_source() -> None:
    """A pipe: the header parser's over-read is handed to the payload reader."""
    me = HybridIdentity.generate()
    data = os.urandom(20 * CHUNK + 3)
    sealed = seal(data, [me.recipient()])
    read_fd, write_fd = os.pipe()
    import threading

    def feed() -> None:
        with os.fdopen(write_fd, "wb") as w:
            w.write(sealed)

    feeder = threading.Thread(target=feed)
    feeder.start()
    out = io.BytesIO()
    with os.fdopen(read_fd, "rb", buffering=0) as r:
        decrypt(cast(BinaryIO, r), out, [me])
    feeder.join()
    assert out.getvalue() == data


def test_scrypt_identity_refuses_company_on_its_own() -> None:
    """The file layer refuses a passphrase stanza with others; the identity does too when
    called directly (another caller of `unwrap`)."""
    from vaultapp.core.age.header import Stanza

    stanzas = [*ScryptRecipient("p", log_n=FAST).wrap(bytes(16)), Stanza("X25519", ("a",), b"")]
    with pytest.raises(AgeHeaderError):
        ScryptIdentity("p").unwrap(stanzas)
    assert ScryptIdentity("p").unwrap(stanzas[:1]) == bytes(16)


def test_reprs_show_no_secret() -> None:
    x, h = X25519Identity.generate(), HybridIdentity.generate()
    shown = " ".join(repr(o) for o in (x, h, x.recipient(), h.recipient(),
                                       ScryptRecipient("hunter2", log_n=FAST),
                                       ScryptIdentity("hunter2")))
    assert x.encode() not in shown and h.encode() not in shown and "hunter2" not in shown
    assert x.recipient().encode() in shown and "log_n=2" in shown and "max_log_n=22" in shown


def test_small_file_progress_and_cancel() -> None:
    me = X25519Identity.generate()
    seen: list[int] = []
    sealed = io.BytesIO()
    encrypt(_in(b"small"), sealed, [me.recipient()], progress=seen.append)
    assert seen == [5]
    out = io.BytesIO()
    with pytest.raises(CancelledError):
        decrypt(_in(sealed.getvalue()), out, [me], cancel=lambda: True)
    assert out.getvalue() == b""


class _FullDisk(io.BytesIO):
    def __init__(self, room: int) -> None:
        super().__init__()
        self._room = room

    def write(self, data: object) -> int:
        view = memoryview(cast(bytes, data))
        if self.tell() + len(view) > self._room:
            raise OSError(28, "No space left on device")
        return super().write(view)


@pytest.mark.parametrize("size", [100, 40 * CHUNK])
def test_write_errors_reach_the_caller(size: int) -> None:
    me = X25519Identity.generate()
    data = os.urandom(size)
    with pytest.raises(OSError, match="No space"):
        encrypt(_in(data), _FullDisk(size // 2), [me.recipient()])
    with pytest.raises(OSError, match="No space"):
        decrypt(_in(seal(data, [me.recipient()])), _FullDisk(size // 2), [me])


class _Zeros(io.RawIOBase):
    """`size` zero bytes, made as they are read."""

    def __init__(self, size: int) -> None:
        self._left = size

    def readable(self) -> bool:
        return True

    def readinto(self, view: memoryview) -> int:  # type: ignore[override]
        n = min(len(view), self._left)
        view[:n] = bytes(n)
        self._left -= n
        return n


class _Discard:
    def __init__(self) -> None:
        self.size = 0

    def write(self, data: memoryview) -> int:
        self.size += len(data)
        return len(data)


def _peaks(tmp_path: Path, size: int, armor: bool) -> tuple[int, int]:
    """Peak Python allocations of encrypting `size` bytes into a file, and of decrypting
    it into a sink that keeps nothing."""
    import tracemalloc

    me = HybridIdentity.generate()
    sealed = tmp_path / f"{size}.age"
    tracemalloc.start()
    try:
        with sealed.open("wb") as out:
            encrypt(cast(BinaryIO, _Zeros(size)), out, [me.recipient()], armor=armor)
        _, peak_encrypt = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        sink = _Discard()
        with sealed.open("rb") as src:
            decrypt(src, sink, [me])
        _, peak_decrypt = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sink.size == size
    return peak_encrypt, peak_decrypt


@pytest.mark.parametrize("armor", [False, True])
def test_memory_stays_flat(tmp_path: Path, armor: bool) -> None:
    """Python allocations peak at the same few MiB for 4 MiB and 32 MiB, both ways: the
    batches (1 MiB, a few in flight) are reused, nothing grows with the file."""
    small = _peaks(tmp_path, 4 << 20, armor)
    large = _peaks(tmp_path, 32 << 20, armor)
    for little, big in zip(small, large, strict=True):
        assert big < little + (1 << 20), (small, large)
        assert big < 20 << 20, (small, large)
