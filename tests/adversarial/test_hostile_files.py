"""Hostile sealed files and a hostile keybox: refused quickly, in bounded memory, writing nothing.

The files come from tests/support/hostile_writer.py, written from docs/FORMAT.md with
`cryptography` only. They *authenticate* under a profile key the reader holds (genuine
wrapped file key, header MAC and metadata tag; `test_hostile_files_are_authentic` checks
this through vaultapp itself), so what is tested here is the reader's later defences:
bounds, the metadata parser, the STREAM rules and the file-name checks.

Every file is opened twice, through `fileops.open_file(path, resolver, output=folder)` and
through the command line (`vaultapp open -o folder FILE`, exit code 3), each within 2 s,
and the whole test folder (output folder, its parent, the input) is compared before and
after: nothing is created, changed or left behind. The worst cases also run in a fresh
process that reports its peak RSS growth (resource.getrusage), which must stay < 64 MiB.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.support import hostile_writer as hw
from vaultapp.core import envelope, fileops
from vaultapp.core import format as fmt
from vaultapp.core.atomic import TEMP_PREFIX
from vaultapp.core.envelope import Recipient, StaticResolver
from vaultapp.core.errors import (
    FileIntegrityError,
    KeyboxLockedError,
    KeyboxTamperedError,
    UnknownVersionError,
)
from vaultapp.core.fileops import UnsafeNameError
from vaultapp.core.keybox import Keybox, pin
from vaultapp.core.keybox.slots import KdfParams

PASSPHRASE = "hostile test passphrase"
FAST_KDF = KdfParams(8192, 1, 1)
TIME_LIMIT = 2.0
RSS_LIMIT_MIB = 64
PLAIN = b"hostile payload\n"

# --- the hostile files -------------------------------------------------------------------

EARLY = "early"  # refused before any output exists: no temporary file is even created
PAYLOAD = "payload"  # refused while the payload streams into a temporary file


@dataclass(frozen=True)
class Case:
    """One hostile file: writer arguments, where it is refused, and by what."""

    id: str
    make: Callable[[hw.ProfileKey, Path], bytes]
    stage: str = EARLY
    error: type[FileIntegrityError] = FileIntegrityError
    # True when header and metadata are in bounds, so vaultapp can authenticate them.
    in_bounds_header: bool = True
    notes: dict[str, Any] = field(default_factory=dict)


def _named(name: bytes | str, **kw: Any) -> Callable[[hw.ProfileKey, Path], bytes]:
    return lambda key, _root: hw.sealed_file(key, name=name, plaintext=PLAIN, **kw)


def _file(**kw: Any) -> Callable[[hw.ProfileKey, Path], bytes]:
    return lambda key, _root: hw.sealed_file(key, plaintext=PLAIN, **kw)


UNSAFE_NAMES: dict[str, str] = {
    "dot": ".",
    "dotdot": "..",
    "parent-escape": "../escape.txt",
    "etc-passwd-relative": "../../etc/passwd",
    "etc-passwd-absolute": "/etc/passwd",
    "slash": "a/b.txt",
    "slash-dotdot": "sub/../../escape.txt",
    "trailing-slash": "dir/",
    "backslash": "a\\b.txt",
    "backslash-dotdot": "..\\..\\escape.txt",
    "drive-letter": "C:evil.txt",
    "nul-inside": "nul\x00byte.txt",
    "nul-only": "\x00",
    "bell": "bell\x07.txt",
    "ansi-escape": "red\x1b[31m.txt",
    "newline": "line\nbreak.txt",
    "carriage-return": "fake\rname.txt",
    "tab": "tab\t.txt",
    "delete": "del\x7f.txt",
    "c1-next-line": "next\x85line.txt",
    "rtl-override": "invoice\u202eFDP.exe",
    "rtl-override-start": "\u202egpj.exe",
    "zero-width-space": "zero\u200bwidth.txt",
    "byte-order-mark": "\ufeffbom.txt",
    "line-separator": "line\u2028sep.txt",
    "paragraph-separator": "para\u2029sep.txt",
    "windows-CON": "CON",
    "windows-con-lower": "con",
    "windows-nul-txt": "nul.txt",
    "windows-COM1": "COM1",
    "windows-LPT9-log": "LPT9.log",
    "windows-PRN": "PRN",
    "windows-AUX-tar-gz": "AUX.tar.gz",
    "windows-com-superscript": "COM¹.txt",
    "windows-CONIN": "CONIN$",
    "windows-con-space-ext": "con .txt",
    "trailing-dot": "report.",
    "trailing-space": "report ",
    "star": "star*.txt",
    "question": "why?.txt",
    "quote": 'say"hi".txt',
    "angle": "<tag>.txt",
    "pipe": "a|b.txt",
    "dotfile": ".bashrc",
    "dotfile-profile": ".profile",
    "dotfile-dots": "...",
}

CASES: list[Case] = [
    Case(f"name-{key}", _named(name), error=UnsafeNameError) for key, name in UNSAFE_NAMES.items()
]
CASES += [
    # An absolute name pointing at a sentinel inside the test folder: had it been used,
    # the snapshot would show the file.
    Case("name-absolute-into-test-folder",
         lambda key, root: hw.sealed_file(key, name=str(root / "planted.txt"), plaintext=PLAIN),
         error=UnsafeNameError),
    # Names that are not UTF-8 at all, refused by the metadata parser.
    Case("name-invalid-utf8", _named(b"\xff\xfe.txt")),
    Case("name-overlong-utf8-dotdot", _named(b"\xc0\xae\xc0\xae")),
    Case("name-utf8-surrogate", _named(b"\xed\xa0\x80.txt")),
    Case("name-truncated-utf8", _named(b"abc\xe2\x80")),
    # Empty and over-long names: the metadata block claims them honestly...
    Case("name-empty", _named(b""), in_bounds_header=False),
    Case("name-256-bytes", _named("n" * 256), in_bounds_header=False),
    Case("name-256-bytes-multibyte", _named("é" * 128), in_bounds_header=False),
    Case("name-1000-bytes", _named("../" * 333 + "x"), in_bounds_header=False),
    Case("name-65535-bytes", _named(b"A" * 65535), in_bounds_header=False),
    # ...or lies about them inside an in-bounds block.
    Case("name-length-says-256", _named(b"short.txt", name_length=256)),
    Case("name-length-says-65535", _named(b"short.txt", name_length=65535)),
    Case("name-length-says-0", _named(b"short.txt", name_length=0)),
    Case("name-length-too-short", _named(b"../escape.txt", name_length=2)),
    Case("metadata-bytes-after-name", _named("ok.txt", meta_trailer=b"/../x")),
    # Sizes the metadata claims.
    Case("size-2^62-tiny-payload", _file(size=1 << 62), stage=PAYLOAD),
    Case("size-2^62-largest-chunks", _file(size=1 << 62, chunk_log2=24), stage=PAYLOAD),
    Case("size-2^63-minus-1", _file(size=(1 << 63) - 1), stage=PAYLOAD),
    Case("size-2^63", _file(size=1 << 63)),
    Case("size-2^64-minus-1", _file(size=(1 << 64) - 1)),
    Case("size-too-small", _file(size=len(PLAIN) - 1), stage=PAYLOAD),
    Case("size-zero-with-payload", _file(size=0), stage=PAYLOAD),
    # Stanza counts.
    Case("stanzas-255-count-and-stanzas",
         lambda key, _root: hw.sealed_file(key, plaintext=PLAIN, extra_keys=[key] * 254),
         in_bounds_header=False),
    Case("stanzas-33", lambda key, _root: hw.sealed_file(key, plaintext=PLAIN,
                                                         extra_keys=[key] * 32),
         in_bounds_header=False),
    Case("stanzas-count-255-one-stanza", _file(count=255), in_bounds_header=False),
    Case("stanzas-count-0", _file(count=0), in_bounds_header=False),
    # Chunk-size exponents.
    Case("chunk-exponent-0", _file(chunk_log2=0), in_bounds_header=False),
    Case("chunk-exponent-11", _file(chunk_log2=11), in_bounds_header=False),
    Case("chunk-exponent-25", _file(chunk_log2=25), in_bounds_header=False),
    Case("chunk-exponent-63", _file(chunk_log2=63), in_bounds_header=False),
    Case("chunk-exponent-255", _file(chunk_log2=255), in_bounds_header=False),
    Case("chunk-size-differs-from-header",
         lambda key, _root: hw.sealed_file(key, plaintext=os.urandom(3 * 4096 + 7),
                                           chunk_log2=12, payload_chunk_log2=13),
         stage=PAYLOAD),
    # Metadata lengths.
    Case("metadata-length-2^32-1", _file(meta_length=(1 << 32) - 1), in_bounds_header=False),
    Case("metadata-length-2^31", _file(meta_length=1 << 31), in_bounds_header=False),
    Case("metadata-length-0", _file(meta_length=0), in_bounds_header=False),
    Case("metadata-length-34", _file(meta_length=34), in_bounds_header=False),
    Case("metadata-length-290", _file(meta_length=290), in_bounds_header=False),
    Case("metadata-length-289-short-block", _file(meta_length=289), in_bounds_header=False),
    # Versions: the message names the version claimed.
    Case("version-0", _file(version=0), error=UnknownVersionError, in_bounds_header=False,
         notes={"version": 0}),
    Case("version-2", _file(version=2), error=UnknownVersionError, in_bounds_header=False,
         notes={"version": 2}),
    Case("version-65535", _file(version=0xFFFF), error=UnknownVersionError,
         in_bounds_header=False, notes={"version": 65535}),
]
CASE_IDS = [c.id for c in CASES]
assert len(set(CASE_IDS)) == len(CASE_IDS)


def key_of(recipient: Recipient) -> hw.ProfileKey:
    return hw.ProfileKey(recipient.profile_id, recipient.key_id, recipient.key)


# --- the keybox and the snapshot -----------------------------------------------------------

@dataclass(frozen=True)
class Vault:
    path: Path
    key: hw.ProfileKey

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"

    @property
    def resolver(self) -> StaticResolver:
        k = self.key
        return StaticResolver([Recipient(k.profile_id, k.key_id, k.key)])


def make_keybox(folder: Path) -> Vault:
    """A passphrase-only SQLite keybox with profile 'acme'; returns its path and key."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "keybox.sqlite"
    box = Keybox.create(f"sqlite:///{path}", use_keyring=False, passphrase=PASSPHRASE,
                        kdf=FAST_KDF)
    try:
        box.create_profile("acme")
        key = key_of(box.recipient("acme"))
    finally:
        box.close()
    return Vault(path, key)


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Vault:
    return make_keybox(tmp_path_factory.mktemp("hostile-keybox"))


def snapshot(root: Path, *, folder_times: bool) -> dict[str, tuple[object, ...]]:
    """Every entry under `root`: kind, mode, and for files size, mtime and SHA-256.

    With `folder_times`, folders' modification times too: they change when anything is
    created in them, even a temporary file removed again.
    """
    entries: dict[str, tuple[object, ...]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath, name)
            st = p.lstat()
            rel = str(p.relative_to(root))
            if p.is_symlink() or not p.is_file():
                entries[rel] = ("dir", st.st_mode, st.st_mtime_ns if folder_times else None)
            else:
                digest = hashlib.sha256(p.read_bytes()).hexdigest()
                entries[rel] = ("file", st.st_mode, st.st_size, st.st_mtime_ns, digest)
    if folder_times:
        entries["."] = ("root", root.stat().st_mtime_ns)
    return entries


def temp_leftovers(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.startswith(TEMP_PREFIX)]


def etc_passwd() -> tuple[int, str]:
    p = Path("/etc/passwd")
    return p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest()


@dataclass
class Scene:
    """tmp/work/{hostile.vault, out/}, plus tmp/etc/ so `../../etc/passwd` has a target."""

    root: Path
    sealed: Path
    out: Path


def scene(tmp_path: Path, case: Case, key: hw.ProfileKey) -> Scene:
    root = tmp_path / "scene"
    work = root / "work"
    out = work / "out"
    out.mkdir(parents=True)
    (root / "etc").mkdir()
    sealed = work / "hostile.vault"
    sealed.write_bytes(case.make(key, root))
    return Scene(root, sealed, out)


def assert_printable(text: str) -> None:
    """No control or format character reaches the terminal (newlines between lines aside)."""
    bad = [c for c in text if c != "\n" and unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")]
    assert bad == [], f"raw control/format characters in the message: {bad!r}"


def check_error(case: Case, message: str) -> None:
    if case.error is UnsafeNameError:
        assert "unsafe file name" in message and "nothing was written" in message
    elif case.error is UnknownVersionError:
        assert f"version {case.notes['version']}" in message
    else:
        assert "tampered, truncated or not sealed with this keybox" in message
        assert "nothing was written" in message
    assert_printable(message)


# --- the tests -----------------------------------------------------------------------------

def test_writer_makes_files_that_both_readers_open(vault: Vault, tmp_path: Path) -> None:
    """Control: with no hostile field, the writer's files open in vaultapp and in the
    independent reader, restoring name, content and mtime."""
    from tests.support import independent_reader

    for log2, plain in ((12, b""), (12, PLAIN), (12, os.urandom(3 * 4096)), (16, b"x" * 70001)):
        data = hw.sealed_file(vault.key, name="fine.txt", plaintext=plain, chunk_log2=log2)
        k = vault.key
        assert independent_reader.open_sealed(data, [(k.profile_id, k.key_id, k.key)]) == (
            "fine.txt", len(plain), hw.DEFAULT_MTIME_NS, plain)
        src = tmp_path / f"control-{log2}-{len(plain)}.vault"
        src.write_bytes(data)
        out = tmp_path / f"out-{log2}-{len(plain)}"
        out.mkdir()
        result = fileops.open_file(src, vault.resolver, output=out)
        assert result.output == out / "fine.txt"
        assert result.output.read_bytes() == plain
        assert result.output.stat().st_mtime_ns == hw.DEFAULT_MTIME_NS


@pytest.mark.parametrize("case", [c for c in CASES if c.in_bounds_header], ids=lambda c: c.id)
def test_hostile_files_are_authentic(case: Case, vault: Vault, tmp_path: Path) -> None:
    """The hostile content sits behind genuine cryptography: vaultapp unwraps the file key
    and accepts the header MAC, and the metadata block decrypts under MK (docs/FORMAT.md),
    so a refusal comes from the checks after the MAC, not from the MAC."""
    data = case.make(vault.key, tmp_path)
    header = fmt.read_header(io.BytesIO(data))
    # rewrap_header unwraps with the first known stanza and checks the header MAC first.
    assert envelope.rewrap_header(header, vault.resolver, lambda s: None) == header
    length = int.from_bytes(data[header.size : header.size + 4], "big")
    assert fmt.MIN_META_CIPHERTEXT <= length <= fmt.MAX_META_CIPHERTEXT
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    mk = hw.hkdf(hw.DEFAULT_FILE_KEY, header.salt, hw.LABEL_METADATA)
    AESGCM(mk).decrypt(hw.ZERO_NONCE, data[header.size + 4 : header.size + 4 + length], None)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_open_file_refuses_and_writes_nothing(case: Case, vault: Vault, tmp_path: Path) -> None:
    s = scene(tmp_path, case, vault.key)
    early = case.stage == EARLY
    before, passwd = snapshot(s.root, folder_times=early), etc_passwd()
    started = time.monotonic()
    with pytest.raises(FileIntegrityError) as info:
        fileops.open_file(s.sealed, vault.resolver, output=s.out)
    elapsed = time.monotonic() - started
    assert isinstance(info.value, case.error)
    check_error(case, str(info.value))
    assert elapsed < TIME_LIMIT, f"took {elapsed:.2f} s"
    assert snapshot(s.root, folder_times=early) == before
    assert temp_leftovers(s.root) == []
    assert etc_passwd() == passwd


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_cli_open_refuses_with_exit_3_and_writes_nothing(
    case: Case, vault: Vault, tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = scene(tmp_path, case, vault.key)
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    early = case.stage == EARLY
    before, passwd = snapshot(s.root, folder_times=early), etc_passwd()
    started = time.monotonic()
    result = cli("--keybox", str(vault.path), "open", "-o", str(s.out), str(s.sealed))
    elapsed = time.monotonic() - started
    assert result.code == 3, result.err
    assert result.out == ""
    assert result.err.startswith(f"vaultapp: {s.sealed}: ")
    check_error(case, result.err.removeprefix(f"vaultapp: {s.sealed}: "))
    assert elapsed < TIME_LIMIT, f"took {elapsed:.2f} s"
    assert snapshot(s.root, folder_times=early) == before
    assert temp_leftovers(s.root) == []
    assert etc_passwd() == passwd


@pytest.mark.parametrize("name", ["../escape.txt", "CON", "invoice\u202eFDP.exe", "a\\b.txt",
                                  ".bashrc"])
def test_unsafe_name_opens_to_an_explicit_output_path(
    name: str, vault: Vault, tmp_path: Path
) -> None:
    """docs/FORMAT.md section 5: such a file can still be opened to an explicit path, and
    the stored name is then not used at all."""
    src = tmp_path / "in.vault"
    src.write_bytes(hw.sealed_file(vault.key, name=name, plaintext=PLAIN))
    target = tmp_path / "chosen.bin"
    result = fileops.open_file(src, vault.resolver, output=target)
    assert result.output == target and target.read_bytes() == PLAIN
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chosen.bin", "in.vault"]


def test_cli_refuses_a_stored_dotfile_name_but_opens_it_under_a_chosen_name(
    vault: Vault, tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stored name starting with "." (here ".bashrc") is refused like the other unsafe
    names: `open` exits 3 and writes nothing beside the file; `open -o other.txt` opens
    it under the chosen name (docs/FORMAT.md, section 5)."""
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    folder = tmp_path / "in"
    folder.mkdir()
    sealed = folder / "profile.vault"
    sealed.write_bytes(hw.sealed_file(vault.key, name=".bashrc", plaintext=PLAIN))
    monkeypatch.chdir(folder)
    r = cli("--keybox", str(vault.path), "open", str(sealed))
    assert r.code == 3, r.err
    assert "unsafe file name" in r.err and "nothing was written" in r.err
    assert sorted(p.name for p in folder.iterdir()) == ["profile.vault"]
    r = cli("--keybox", str(vault.path), "open", "-o", "other.txt", str(sealed))
    assert r.code == 0, r.err
    assert sorted(p.name for p in folder.iterdir()) == ["other.txt", "profile.vault"]
    assert (folder / "other.txt").read_bytes() == PLAIN
    assert (folder / "other.txt").stat().st_mtime_ns == hw.DEFAULT_MTIME_NS
    # verify writes nothing, so it does not apply the name rules: the file is authentic.
    assert cli("--keybox", str(vault.path), "verify", str(sealed)).code == 0


def test_reader_reads_no_more_than_the_largest_header(vault: Vault) -> None:
    """A header claiming 255 stanzas (all present, all genuine) is refused after reading at
    most the 12 fixed bytes; none of the 20 KiB of stanzas is read."""

    class Counting(io.BytesIO):
        def __init__(self, data: bytes) -> None:
            super().__init__(data)
            self.asked = 0

        def read(self, n: int | None = -1, /) -> bytes:
            self.asked += n if n is not None and n >= 0 else 1 << 62
            return super().read(n)

    data = hw.sealed_file(vault.key, plaintext=PLAIN, extra_keys=[vault.key] * 254)
    assert data[11] == 255 and len(data) > 20_000
    src = Counting(data)
    with pytest.raises(FileIntegrityError):
        envelope.open_envelope(src, vault.resolver)
    assert src.asked <= fmt.MAX_HEADER_SIZE


# --- memory, measured in a fresh process -------------------------------------------------

MEMORY_PROBE = r"""
import json, os, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from tests.support import hostile_writer as hw
from vaultapp.core import fileops
from vaultapp.core.envelope import Recipient, StaticResolver
from vaultapp.core.errors import VaultError
from vaultapp.core.keybox import Keybox, pin

job = json.loads(sys.argv[2])

def peak_kib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

def attempt(fn):
    try:
        fn()
    except VaultError as exc:
        return type(exc).__name__
    return "accepted"

if job["kind"] == "file":
    k = job["key"]
    key = hw.ProfileKey(*(bytes.fromhex(k[n]) for n in ("profile_id", "key_id", "key")))
    resolver = StaticResolver([Recipient(key.profile_id, key.key_id, key.key)])
    out = Path(job["out"])
    # Warm up on a benign file: imports, threads and the usual buffers are in place.
    benign = Path(job["scratch"], "benign.vault")
    with open(benign, "wb") as f:
        f.write(hw.sealed_file(key, name="benign.txt", plaintext=os.urandom(200_000)))
    fileops.open_file(benign, resolver, output=Path(job["scratch"]))
    before = peak_kib()
    started = time.monotonic()
    outcome = attempt(lambda: fileops.open_file(Path(job["path"]), resolver, output=out))
else:
    box = Keybox.open(job["url"])  # imports, migrations and the slot rows are loaded
    before = peak_kib()
    started = time.monotonic()
    outcome = attempt(lambda: box.unlock(job["passphrase"]))
elapsed = time.monotonic() - started
print(json.dumps({"outcome": outcome, "growth_kib": peak_kib() - before, "seconds": elapsed}))
"""


def probe_memory(job: dict[str, Any]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(ROOT), json.dumps(job)],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


WORST_FILES = [
    "size-2^62-tiny-payload",
    "size-2^62-largest-chunks",
    "size-2^64-minus-1",
    "metadata-length-2^32-1",
    "stanzas-255-count-and-stanzas",
    "chunk-exponent-255",
    "name-65535-bytes",
    "name-length-says-65535",
]


@pytest.mark.parametrize("case_id", WORST_FILES)
def test_worst_files_refused_in_bounded_memory(case_id: str, vault: Vault,
                                               tmp_path: Path) -> None:
    case = next(c for c in CASES if c.id == case_id)
    s = scene(tmp_path, case, vault.key)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    before = snapshot(s.root, folder_times=case.stage == EARLY)
    k = vault.key
    result = probe_memory({
        "kind": "file", "path": str(s.sealed), "out": str(s.out), "scratch": str(scratch),
        "key": {"profile_id": k.profile_id.hex(), "key_id": k.key_id.hex(), "key": k.key.hex()},
    })
    assert result["outcome"] == case.error.__name__
    assert result["growth_kib"] < RSS_LIMIT_MIB * 1024, result
    assert result["seconds"] < TIME_LIMIT, result
    assert snapshot(s.root, folder_times=case.stage == EARLY) == before


# --- a hostile keybox: absurd Argon2 parameters in the passphrase slot ------------------

ABSURD_KDF = {
    "memory-2^40-KiB-and-10^9-passes": {"memory_kib": 1 << 40, "iterations": 10**9},
    "memory-2^40-KiB": {"memory_kib": 1 << 40},
    "passes-10^9": {"iterations": 10**9},
    "lanes-2^24": {"lanes": 1 << 24},
    "memory-just-over-the-bound": {"memory_kib": KdfParams.MAX_MEMORY_KIB + 1},
    "memory-negative": {"memory_kib": -1},
    "lanes-0": {"lanes": 0},
}


def hostile_keybox(folder: Path, patch: dict[str, Any]) -> Vault:
    """A keybox that unlocks with PASSPHRASE, then has its slot's KDF parameters edited,
    met by a machine that never unlocked it before (no pin: the slot is tried, so the
    KDF bounds are what stops it; with a pin the edited slot is not used at all, see
    test_an_edited_kdf_slot_is_never_used_where_it_was_verified)."""
    vault = make_keybox(folder)
    box = Keybox.open(vault.url)
    assert box.unlock(PASSPHRASE) == "recovery passphrase"  # control: it did unlock
    box.close()
    with sqlite3.connect(vault.path) as db:
        (params,) = db.execute(
            "SELECT params FROM key_slots WHERE kind = 'passphrase'").fetchone()
        edited = {**json.loads(params), **patch}
        db.execute("UPDATE key_slots SET params = ? WHERE kind = 'passphrase'",
                   (json.dumps(edited),))
    db.close()
    pin.forget(str(vault.path))
    return vault


def test_an_edited_kdf_slot_is_never_used_where_it_was_verified(tmp_path: Path) -> None:
    """The same edit on the machine that made the keybox: refused before any KDF runs."""
    vault = make_keybox(tmp_path / "kb")
    box = Keybox.open(vault.url)
    box.unlock(PASSPHRASE)
    box.close()
    with sqlite3.connect(vault.path) as db:
        (params,) = db.execute("SELECT params FROM key_slots WHERE kind = 'passphrase'"
                               ).fetchone()
        db.execute("UPDATE key_slots SET params = ? WHERE kind = 'passphrase'",
                   (json.dumps({**json.loads(params), "memory_kib": 1 << 40}),))
    db.close()
    box = Keybox.open(vault.url)
    started = time.monotonic()
    with pytest.raises(KeyboxTamperedError, match="differs from the one this machine "
                       "verified") as info:
        box.unlock(PASSPHRASE)
    box.close()
    assert info.value.exit_code == 6
    assert time.monotonic() - started < 0.5


@pytest.mark.parametrize("patch", ABSURD_KDF.values(), ids=ABSURD_KDF.keys())
def test_absurd_kdf_parameters_fail_fast_with_a_clear_message(
    patch: dict[str, Any], tmp_path: Path
) -> None:
    vault = hostile_keybox(tmp_path / "kb", patch)
    box = Keybox.open(vault.url)
    started = time.monotonic()
    with pytest.raises(KeyboxLockedError) as info:
        box.unlock(PASSPHRASE)
    elapsed = time.monotonic() - started
    box.close()
    message = str(info.value)
    assert "locked" in message and "out-of-bounds key-derivation parameters" in message
    assert "tampered" in message
    assert elapsed < TIME_LIMIT, f"took {elapsed:.2f} s"


def test_cli_with_absurd_kdf_exits_5_quickly_and_writes_nothing(
    tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = hostile_keybox(tmp_path / "kb", ABSURD_KDF["memory-2^40-KiB-and-10^9-passes"])
    case = Case("fine", _named("fine.txt"))
    s = scene(tmp_path, case, vault.key)  # a genuine file under the keybox's own key
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    before = snapshot(s.root, folder_times=True)
    started = time.monotonic()
    result = cli("--keybox", str(vault.path), "open", "-o", str(s.out), str(s.sealed))
    elapsed = time.monotonic() - started
    assert result.code == 5, result.err
    assert "no key slot could unlock it" in result.err
    assert "out-of-bounds key-derivation parameters (1099511627776 KiB, 1000000000 passes" \
        in result.err
    assert elapsed < TIME_LIMIT, f"took {elapsed:.2f} s"
    assert snapshot(s.root, folder_times=True) == before
    assert temp_leftovers(s.root) == []


def test_absurd_kdf_unlock_in_bounded_memory(tmp_path: Path) -> None:
    vault = hostile_keybox(tmp_path / "kb", ABSURD_KDF["memory-2^40-KiB-and-10^9-passes"])
    result = probe_memory({"kind": "keybox", "url": vault.url, "passphrase": PASSPHRASE})
    assert result["outcome"] == "KeyboxLockedError"
    assert result["growth_kib"] < RSS_LIMIT_MIB * 1024, result
    assert result["seconds"] < TIME_LIMIT, result
