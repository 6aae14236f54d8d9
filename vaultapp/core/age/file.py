"""Whole age files: encrypt to recipients, decrypt with identities, read a header.

Decryption goes stage by stage, and each stage has its error (`errors.py`): the armor (if
any), the header, the identities (no match), the header MAC, the payload. No byte of
plaintext is written before the MAC verified; after that, each chunk is written once it
authenticated, so the caller writes into a temporary output and discards it on error.
A large payload between two regular files is done on two cores instead (spans.py), into
room reserved in the output. When opening, the room is reserved as soon as the header has
parsed, and allocated meanwhile (atomic.allocate_ahead), before the identities are asked
for, so that allocating overlaps with opening the keybox for them. Sealing does not
allocate ahead: its spans start at once, and their writes would wait for the allocation
(1 GiB on tmpfs, median of 15 rounds: 0.69 s without, 0.91 s with; on disk equal).
"""

from __future__ import annotations

import dataclasses
import hmac
import os
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import BinaryIO, cast

from ..errors import UsageError
from ..stream import Cancel, Progress, Sink
from . import b64, hybrid, scrypt, spans, x25519
from .armor import BEGIN, MAX_WHITESPACE, ArmorReader, ArmorWriter, looks_armored
from .base import FILE_KEY_SIZE, Identity, Recipient
from .errors import AgeHeaderError, AgeMacError, AgeNoMatchError, AgePayloadError
from .header import VERSION_PREFIX, Header, header_mac, parse_header, payload_key
from .payload import NONCE_SIZE, open_stream, seal_stream
from .source import Source

SNIFF_SIZE = MAX_WHITESPACE + len(BEGIN)
"""How many first bytes `is_age` needs to recognise any age file (fewer for most)."""

Identities = Sequence[Identity] | Callable[[], Sequence[Identity]]
"""What decrypt opens a file with: the identities, or a function that returns them (asked
once the header has parsed and room for a large output is being made: opening the keybox
for them then overlaps with that)."""

_CLASSIC = {x25519.TYPE, "ssh-rsa", "ssh-ed25519", "age-encryption.org/p256tag", "piv-p256"}
_POST_QUANTUM = {hybrid.TYPE, scrypt.TYPE, "age-encryption.org/mlkem768p256tag"}


@dataclass(frozen=True)
class AgeFacts:
    """What an age file's header says, and after decryption how much it held."""

    stanza_types: tuple[str, ...]
    armored: bool
    plaintext_size: int | None = None  # known after decryption

    @property
    def post_quantum(self) -> bool | None:
        """False when a stanza is of a classic (quantum-breakable) type, True when all
        known types are post-quantum or a passphrase, None when no type is known."""
        types = set(self.stanza_types)
        if types & _CLASSIC:
            return False
        return True if types & _POST_QUANTUM else None

    @property
    def passphrase(self) -> bool:
        """Encrypted to a passphrase (then it has that one stanza only)."""
        return self.stanza_types == (scrypt.TYPE,)


def is_age(first_bytes: bytes) -> bool:
    """Whether a file that starts with `first_bytes` (its first SNIFF_SIZE bytes, or all
    of a shorter file) is an age file: binary of any version, or armored."""
    return first_bytes.startswith(VERSION_PREFIX) or looks_armored(first_bytes)


def _open(src: BinaryIO, armor: bool | None) -> tuple[Source, bool]:
    """The stream the header and payload are read from, and whether it is armored
    (`armor` None: decided by the content, as age does)."""
    outer = Source(src)
    armored = looks_armored(outer.peek(SNIFF_SIZE)) if armor is None else armor
    return (Source(ArmorReader(outer)), True) if armored else (outer, False)


def _read_header(src: BinaryIO, armor: bool | None) -> tuple[Source, Header, bytes, AgeFacts]:
    source, armored = _open(src, armor)
    header, covered = parse_header(source)
    types = tuple(stanza.type for stanza in header.stanzas)
    if scrypt.TYPE in types and len(types) != 1:
        # age's rule for passphrase files, applied whichever identities are given
        raise AgeHeaderError("an scrypt stanza must be the only one")
    return source, header, covered, AgeFacts(types, armored)


def read_header(src: BinaryIO, *, armor: bool | None = None) -> AgeFacts:
    """Parse the header of an age file (for inspection: no key needed, nothing verified
    but its syntax). Raises AgeHeaderError or AgeArmorError."""
    return _read_header(src, armor)[3]


def decrypt(src: BinaryIO, dst: Sink, identities: Identities, *,
            armor: bool | None = None, progress: Progress | None = None,
            cancel: Cancel | None = None) -> AgeFacts:
    """Decrypt the age file `src` into `dst` with the first of `identities` that opens
    it. Raises an AgeError subclass at the stage that failed: AgeNoMatchError too when
    `identities` is empty (its hint then says to make one), except for a passphrase file,
    which without a passphrase is a UsageError; on AgePayloadError `dst` holds the chunks
    that authenticated."""
    start = _position(src)
    source, header, covered, facts = _read_header(src, armor)
    found = None if facts.armored else _regular_input(src, dst)
    room = None  # a large payload's room in `dst`, reserved before the identities are
    if found is not None:  # asked for (see Identities)
        at = start + source.consumed + NONCE_SIZE
        if spans.wanted(found[1].st_size - at):
            room = _reserve(spans.Layout(False, found[1].st_size - at, at, 0), dst)
    if callable(identities):
        identities = identities()
    if not identities:  # a file for someone else, to a keybox without an identity
        if facts.stanza_types == ("scrypt",):
            raise UsageError("no passphrase to open the file with")
        raise AgeNoMatchError(facts.stanza_types, no_identity=True)
    file_key = None
    for identity in identities:
        file_key = identity.unwrap(header.stanzas)
        if file_key is not None:
            break
    if file_key is None:
        raise AgeNoMatchError(facts.stanza_types)
    if not hmac.compare_digest(header_mac(file_key, covered), header.mac):
        raise AgeMacError("header MAC mismatch")
    nonce = source.read(NONCE_SIZE)
    if len(nonce) != NONCE_SIZE:
        raise AgeHeaderError("payload nonce missing")
    key = payload_key(file_key, nonce)
    if found is not None and room is not None:
        size = _run_spans(*room, key, found[0], dst, progress, cancel)
        if not _same(found[1], os.fstat(found[0])):
            raise AgePayloadError("the file changed while it was being opened")
        return AgeFacts(facts.stanza_types, facts.armored, size)
    size = open_stream(cast(BinaryIO, source), dst, key, progress, cancel)
    return AgeFacts(facts.stanza_types, facts.armored, size)


def _regular_input(src: BinaryIO, dst: Sink) -> tuple[int, os.stat_result] | None:
    """The descriptor of `src` and its status when it is a regular file and `dst` can be
    written at offsets (spans.py), else None (the stream pipeline is used)."""
    if not hasattr(dst, "reserve"):
        return None
    try:
        fd = src.fileno()
        st = os.fstat(fd)
    except (AttributeError, OSError, ValueError):
        return None
    return (fd, st) if stat.S_ISREG(st.st_mode) else None


def _same(before: os.stat_result, after: os.stat_result) -> bool:
    return (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns)


def _reserve(layout: spans.Layout, dst: Sink) -> tuple[spans.Layout, int]:
    """Reserve the room of `layout`'s output in `dst`, an unnamed output, and when opening
    start allocating it: `layout` with its offset there, and the descriptor to write it
    into."""
    out_fd, at = cast(spans.Reservable, dst).reserve(layout.out_size,
                                                     allocate=not layout.sealing)
    return dataclasses.replace(layout, out_at=at), out_fd


def _run_spans(layout: spans.Layout, out_fd: int, key: bytes, fd: int, dst: Sink,
               progress: Progress | None, cancel: Cancel | None) -> int:
    """The payload on two cores into `out_fd` at `layout.out_at`, the room `_reserve`
    made in `dst` (spans.run refuses a payload of impossible size before any span; the
    room is allocated by then, and discarded with the output)."""
    try:
        return spans.run(layout, key, fd, out_fd, progress, cancel)
    except spans.WriteFailed as failed:
        raise cast(spans.Reservable, dst).write_error(failed.error) from None


def _check_recipients(recipients: list[Recipient]) -> None:
    if not recipients:
        raise UsageError("no recipient to encrypt to")
    if any(r.kind == scrypt.TYPE for r in recipients) and len(recipients) > 1:
        raise UsageError("a passphrase file has one passphrase and no other recipient")
    if len({r.post_quantum for r in recipients}) > 1:
        raise UsageError("post-quantum and classic recipients cannot share a file: the file "
                         "would not be safe from a quantum computer")


def encrypt(src: BinaryIO, dst: Sink, recipients: Iterable[Recipient], *, armor: bool = False,
            progress: Progress | None = None, cancel: Cancel | None = None) -> int:
    """Encrypt all of `src` into `dst` as an age file each of `recipients` can open
    (armored when asked); return the plaintext bytes. `dst` is not closed."""
    chosen = list(recipients)
    _check_recipients(chosen)
    file_key = os.urandom(FILE_KEY_SIZE)
    stanzas = tuple(s for r in chosen for s in r.wrap(file_key))
    covered = Header(stanzas, b"").encode_without_mac()
    nonce = os.urandom(NONCE_SIZE)
    head = covered + b" " + b64.encode(header_mac(file_key, covered)) + b"\n" + nonce
    out: Sink = ArmorWriter(dst) if armor else dst
    out.write(memoryview(head))
    key = payload_key(file_key, nonce)
    found = None if armor else _regular_input(src, dst)
    if found is not None:
        fd, st = found
        start = _position(src)
        plain = st.st_size - start
        if spans.wanted(plain):  # the caller checks that the file did not change
            return _run_spans(*_reserve(spans.Layout(True, plain, start, 0), dst), key, fd,
                              dst, progress, cancel)
    size = seal_stream(src, out, key, progress, cancel)
    if isinstance(out, ArmorWriter):
        out.close()
    return size


def _position(src: BinaryIO) -> int:
    try:
        return src.tell()
    except (AttributeError, OSError, ValueError):
        return 0
