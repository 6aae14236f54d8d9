"""Safe file operations on real files: atomic outputs, names, conflicts, failures."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from vaultapp.core import fileops
from vaultapp.core.atomic import TEMP_PREFIX
from vaultapp.core.envelope import Recipient, StaticResolver
from vaultapp.core.errors import (
    CancelledError,
    FileIntegrityError,
    OutputExistsError,
    UsageError,
    VaultError,
)

KEY = Recipient(os.urandom(16), os.urandom(16), os.urandom(32))
RESOLVER = StaticResolver([KEY])


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX)]


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    p = tmp_path / "report.pdf"
    p.write_bytes(os.urandom(300_000))
    os.utime(p, ns=(1_600_000_000_000_000_000, 1_600_000_000_123_456_789))
    return p


def test_seal_then_open_restores_name_content_and_mtime(plain: Path, tmp_path: Path) -> None:
    original = plain.read_bytes()
    sealed = fileops.seal_file(plain, [KEY]).output
    assert sealed == tmp_path / "report.pdf.vault"
    assert oct(sealed.stat().st_mode & 0o777) == "0o600"
    assert plain.read_bytes() == original  # input untouched
    renamed = sealed.rename(tmp_path / "anything.vault")
    out = tmp_path / "out"
    out.mkdir()
    result = fileops.open_file(renamed, RESOLVER, output=out)
    assert result.output == out / "report.pdf"
    assert result.output.read_bytes() == original
    assert result.output.stat().st_mtime_ns == 1_600_000_000_123_456_789
    assert leftovers(tmp_path) == [] and leftovers(out) == []


def test_output_option_as_file_path(plain: Path, tmp_path: Path) -> None:
    target = tmp_path / "custom.bin"
    fileops.seal_file(plain, [KEY], output=target)
    opened = fileops.open_file(target, RESOLVER, output=tmp_path / "back.pdf")
    assert opened.output == tmp_path / "back.pdf"
    assert opened.output.read_bytes() == plain.read_bytes()


def test_existing_output_is_never_overwritten_without_force(plain: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.pdf.vault"
    target.write_bytes(b"precious")
    with pytest.raises(OutputExistsError, match="already exists") as refused:
        fileops.seal_file(plain, [KEY])
    # The core names the remedy by code; the command line words it as its flag.
    from vaultapp.cli_hints import describe
    from vaultapp.core.errors import Hint

    assert refused.value.hint is Hint.REPLACE_OUTPUT and refused.value.path == target
    assert "--force" in describe(refused.value)
    assert target.read_bytes() == b"precious"
    fileops.seal_file(plain, [KEY], force=True)
    assert target.read_bytes() != b"precious"
    with pytest.raises(OutputExistsError):
        fileops.open_file(target, RESOLVER)  # report.pdf exists beside it
    assert leftovers(tmp_path) == []


def test_symlink_at_output_name_is_never_followed(plain: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep me")
    (tmp_path / "report.pdf.vault").symlink_to(victim)
    with pytest.raises(OutputExistsError):
        fileops.seal_file(plain, [KEY])
    fileops.seal_file(plain, [KEY], force=True)  # replaces the link itself
    assert victim.read_bytes() == b"keep me"
    assert not (tmp_path / "report.pdf.vault").is_symlink()
    # Opening: a link planted at the restored name is not followed either.
    original = plain.read_bytes()
    plain.unlink()
    plain.symlink_to(victim)
    with pytest.raises(OutputExistsError):
        fileops.open_file(tmp_path / "report.pdf.vault", RESOLVER)
    assert victim.read_bytes() == b"keep me"
    fileops.open_file(tmp_path / "report.pdf.vault", RESOLVER, force=True)
    assert victim.read_bytes() == b"keep me"
    assert not plain.is_symlink() and plain.read_bytes() == original
    assert leftovers(tmp_path) == []


def test_tampered_file_leaves_nothing(plain: Path, tmp_path: Path) -> None:
    sealed = fileops.seal_file(plain, [KEY]).output
    data = bytearray(sealed.read_bytes())
    data[-70_000] ^= 1
    sealed.write_bytes(data)
    plain.unlink()
    with pytest.raises(FileIntegrityError):
        fileops.open_file(sealed, RESOLVER)
    assert not plain.exists()
    assert sealed.read_bytes() == data
    assert leftovers(tmp_path) == []


def test_cancel_mid_file_leaves_nothing(tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(5 << 20))
    calls = iter(range(100))
    with pytest.raises(CancelledError):
        fileops.seal_file(big, [KEY], cancel=lambda: next(calls) >= 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.bin"]


@pytest.mark.parametrize(
    "name",
    ["..", ".", "a/b", "../x", "/etc/passwd", "a\\b", "nul\x00x", "tab\tname", "CON",
     "con.txt", "LPT1.log", "aux", "trailing.", "trailing ", "c:evil", "bell\x07",
     "rtl\u202eexe.txt", ".bashrc", ".ssh", ".x", "...", ". ", ".con", "Con.txt",
     "cOn", "CON.tar.gz", "con .txt", "con  .tar.gz", "COM0", "com¹", "LPT².x", "conin$",
     "CONOUT$.log", "name\u00a0.", "trailing\u3000 ", "x" * 256, "é" * 128, ""],
)
def test_unsafe_stored_names_are_rejected(name: str) -> None:
    with pytest.raises(fileops.UnsafeNameError):
        fileops.safe_name(name)


@pytest.mark.parametrize(
    "name",
    ["report.pdf", "résumé 履歴書.txt", "a..b", "x" * 255, "é" * 127 + "x", "console.txt",
     "con_x", "xcon", "com10", "lpt", " con", "con1", "CON-notes.txt", "report .txt",
     "name\u00a0", "trailing\u3000", "dots.in.the.middle", "e\u0301.txt", "\u00e9.txt"],
)
def test_plain_names_are_accepted(name: str) -> None:
    """Returned exactly as stored, never Unicode-normalised (a decomposed e + U+0301 stays
    decomposed)."""
    assert fileops.safe_name(name) == name


@pytest.mark.skipif(sys.platform in ("win32", "darwin"),
                    reason="needs a file system that takes any bytes as a name")
def test_seal_refuses_a_name_that_is_not_utf8_and_writes_nothing(tmp_path: Path) -> None:
    """The stored name is UTF-8 (docs/FORMAT.md, section 5): a POSIX name that is not
    (Python's surrogate escapes) is a clear usage error, not a UnicodeEncodeError."""
    source = tmp_path / os.fsdecode(b"bad\xff.txt")
    source.write_bytes(b"content")
    with pytest.raises(UsageError, match="not valid UTF-8"):
        fileops.seal_file(source, [KEY])
    assert os.listdir(tmp_path) == [os.fsdecode(b"bad\xff.txt")]


def test_missing_input_and_folder_input(tmp_path: Path) -> None:
    with pytest.raises(VaultError, match="does not exist"):
        fileops.seal_file(tmp_path / "nope", [KEY])
    with pytest.raises(VaultError, match=r"not a regular file|folder"):
        fileops.seal_file(tmp_path, [KEY])


def test_permission_denied_is_clear_and_leaves_nothing(plain: Path) -> None:
    """A real EACCES: the child drops to an unprivileged user after its imports."""
    base = Path(tempfile.mkdtemp())
    os.chmod(base, 0o755)
    out = base / "locked"
    out.mkdir(mode=0o755)
    plain = Path(shutil.copy(plain, base / "report.pdf"))
    os.chmod(plain, 0o644)
    code = f"""
import os
from pathlib import Path
from vaultapp.core import fileops
from vaultapp.core.envelope import Recipient
from vaultapp.core.errors import VaultError
if os.geteuid() == 0:
    os.setgid(65534); os.setuid(65534)
else:
    os.chmod({str(out)!r}, 0o500)
try:
    fileops.seal_file(Path({str(plain)!r}), [Recipient(bytes(16), bytes(16), bytes(32))],
                      output=Path({str(out)!r}))
except VaultError as e:
    print("ERR", e)
"""
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert "ERR cannot write" in res.stdout and "permission denied" in res.stdout, res
    assert list(out.iterdir()) == []
    shutil.rmtree(base)


def test_file_size_limit_gives_clear_error_and_no_partial(tmp_path: Path) -> None:
    """A real kernel error (EFBIG from RLIMIT_FSIZE) in a child process."""
    src = tmp_path / "in.bin"
    src.write_bytes(os.urandom(3 << 20))
    code = f"""
import resource, signal, os, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))
from pathlib import Path
from vaultapp.core import fileops
from vaultapp.core.envelope import Recipient
from vaultapp.core.errors import VaultError
k = Recipient(bytes(16), bytes(16), bytes(32))
try:
    fileops.seal_file(Path({str(src)!r}), [k])
except VaultError as e:
    print("ERR", e)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert "ERR cannot write" in out.stdout and "too large" in out.stdout, out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.bin"]


def test_input_changing_while_sealed_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "growing.log"
    src.write_bytes(os.urandom(4 << 20))
    grown = False

    def progress(done: int) -> None:
        nonlocal grown
        if not grown:
            with open(src, "ab") as f:
                f.write(b"more")
            grown = True

    with pytest.raises(VaultError, match="changed while it was being sealed"):
        fileops.seal_file(src, [KEY], progress=progress)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["growing.log"]


def test_rewrap_in_place_keeps_payload(plain: Path, tmp_path: Path) -> None:
    sealed = fileops.seal_file(plain, [KEY]).output
    before = sealed.read_bytes()
    new = Recipient(KEY.profile_id, os.urandom(16), os.urandom(32))
    old_h, _new_h = fileops.rewrap_file(sealed, RESOLVER, lambda s: new)
    after = sealed.read_bytes()
    assert len(after) == len(before) and after[old_h.size :] == before[old_h.size :]
    plain.unlink()
    fileops.open_file(sealed, StaticResolver([new]))
    assert plain.exists()


def test_keyboard_interrupt_removes_temp(plain: Path, tmp_path: Path) -> None:
    def boom(done: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fileops.seal_file(plain, [KEY], progress=boom)
    assert leftovers(tmp_path) == [] and not (tmp_path / "report.pdf.vault").exists()


def test_inspect_reads_header_without_key(plain: Path) -> None:
    sealed = fileops.seal_file(plain, [KEY]).output
    header = fileops.inspect_file(sealed)
    assert header.stanzas[0].key_id == KEY.key_id and header.chunk_size == 65536
