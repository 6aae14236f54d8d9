"""A large age file's payload on two cores (vaultapp/core/age/spans.py), on real files with
two threads: the bytes are exactly what the stream pipeline and `age` make and read,
whichever thread did which span, and every failure leaves no output.

MIN_SIZE is lowered so that small files take the span path. The calling thread slowed by
a few milliseconds a span (the second thread runs at full speed) makes sure the second
thread does part of it.
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from vaultapp.core import age, age_fileops, atomic, helpers
from vaultapp.core.age import spans
from vaultapp.core.age.payload import CHUNK, SEALED_CHUNK
from vaultapp.core.errors import CancelledError, VaultError

SPAN_BYTES = spans.SPAN * CHUNK
SIZES = [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, SPAN_BYTES, SPAN_BYTES + 1, 3 * SPAN_BYTES + 17]


@pytest.fixture(autouse=True)
def every_size_takes_spans(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spans, "MIN_SIZE", 0)
    monkeypatch.setattr(helpers, "spare_core", lambda: True)


@pytest.fixture
def me() -> age.X25519Identity:
    return age.X25519Identity.generate()


SECOND = "vaultapp-age-span"  # the second thread's name


def second_thread() -> bool:
    return threading.current_thread().name == SECOND


def second_alive() -> bool:
    return any(t.name == SECOND for t in threading.enumerate())


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, bool]]:
    """The spans the second thread finished, and whether each opened."""
    record: list[tuple[int, bool]] = []
    finish = spans._Pool.finish

    def finish_and_note(pool: spans._Pool, span: int, ok: bool) -> None:
        if second_thread():
            record.append((span, ok))
        finish(pool, span, ok)

    monkeypatch.setattr(spans._Pool, "finish", finish_and_note)
    return record


def slow_caller(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """The calling thread takes `seconds` longer a span; the second runs at full speed."""
    do = spans._Worker.do

    def slow(worker: spans._Worker, span: int) -> bool:
        if not second_thread():
            time.sleep(seconds)
        return do(worker, span)

    monkeypatch.setattr(spans._Worker, "do", slow)


def seal(tmp_path: Path, data: bytes, me: age.X25519Identity, name: str = "plain") -> Path:
    src = tmp_path / name
    src.write_bytes(data)
    return age_fileops.share_file(src, [me.recipient()]).output or Path()


def files_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


@pytest.mark.parametrize("size", SIZES)
def test_span_path_is_byte_for_byte_the_stream_format(tmp_path: Path, me: age.X25519Identity,
                                                       size: int) -> None:
    data = os.urandom(size)
    sealed = seal(tmp_path, data, me)
    # the stream pipeline (reading from memory) opens what the spans sealed, and back
    out = io.BytesIO()
    age.decrypt(io.BytesIO(sealed.read_bytes()), out, [me])  # type: ignore[arg-type]
    assert out.getvalue() == data
    assert sealed.stat().st_size == len(sealed.read_bytes())
    opened = age_fileops.open_age_file(sealed, [me], output=tmp_path / "opened")
    assert opened.size == size and (tmp_path / "opened").read_bytes() == data


@pytest.fixture
def age_binary() -> str:
    path = shutil.which("age")
    if path is None:
        pytest.skip("age is not installed (scripts/install-system-deps installs it)")
    return path


@pytest.mark.parametrize("size", [0, CHUNK, SPAN_BYTES + 1, 5 * SPAN_BYTES + 3])
def test_age_binary_reads_ours_and_we_read_its(tmp_path: Path, me: age.X25519Identity,
                                              age_binary: str, size: int) -> None:
    data = os.urandom(size)
    key_file = tmp_path / "key.txt"
    key_file.write_text(me.encode() + "\n")
    sealed = seal(tmp_path, data, me)
    subprocess.run([age_binary, "-d", "-i", str(key_file), "-o", str(tmp_path / "by-age"),
                    str(sealed)], check=True, timeout=60)
    assert (tmp_path / "by-age").read_bytes() == data if size else True
    (tmp_path / "theirs.age").unlink(missing_ok=True)
    subprocess.run([age_binary, "-r", me.recipient().encode(), "-o", str(tmp_path / "theirs.age"),
                    str(tmp_path / "plain")], check=True, timeout=60)
    age_fileops.open_age_file(tmp_path / "theirs.age", [me], output=tmp_path / "ours")
    assert (tmp_path / "ours").read_bytes() == data


def test_the_second_thread_does_part_of_the_work_in_this_process(
        tmp_path: Path, me: age.X25519Identity, seen: list[tuple[int, bool]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    def no_process(*args: object, **kwargs: object) -> None:
        raise AssertionError("the payload key must not leave this process")

    monkeypatch.setattr(subprocess, "Popen", no_process)
    slow_caller(monkeypatch, 0.02)
    data = os.urandom(40 * SPAN_BYTES + 5)
    sealed = seal(tmp_path, data, me)
    sealing_spans = len(seen)
    age_fileops.open_age_file(sealed, [me], output=tmp_path / "opened")
    assert (tmp_path / "opened").read_bytes() == data
    assert sealing_spans > 0 and len(seen) > sealing_spans
    assert all(ok for _, ok in seen)
    assert not second_alive()


def test_the_output_is_being_allocated_before_the_identities_are_asked_for(
        tmp_path: Path, me: age.X25519Identity, monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening reserves the output's room and starts allocating it as soon as the header
    has parsed; the identities (the keybox, on the command line) are asked for after, so
    that the two overlap. Sealing does not allocate ahead: it has nothing to overlap the
    allocation with, and the writes would wait for it (benchmarks/README.md)."""
    events: list[tuple[str, int]] = []
    allocate = atomic.allocate_ahead

    def noted(fd: int, offset: int, length: int) -> threading.Thread | None:
        events.append(("allocate", length))
        return allocate(fd, offset, length)

    monkeypatch.setattr(atomic, "allocate_ahead", noted)
    data = os.urandom(3 * SPAN_BYTES + 17)
    sealed = seal(tmp_path, data, me)
    assert events == []

    def identities() -> list[age.Identity]:
        events.append(("identities", 0))
        return [me]

    events.clear()
    age_fileops.open_age_file(sealed, identities, output=tmp_path / "opened")
    assert events == [("allocate", len(data)), ("identities", 0)]
    assert (tmp_path / "opened").read_bytes() == data


def test_identities_that_cannot_be_had_leave_nothing(tmp_path: Path,
                                                     me: age.X25519Identity) -> None:
    sealed = seal(tmp_path, os.urandom(3 * SPAN_BYTES), me)
    before = files_in(tmp_path)

    def keybox_locked() -> list[age.Identity]:
        raise VaultError("the keybox is locked")

    with pytest.raises(VaultError, match="locked"):
        age_fileops.open_age_file(sealed, keybox_locked, output=tmp_path / "opened")
    assert files_in(tmp_path) == before


def test_a_chunk_that_does_not_authenticate_leaves_nothing(
        tmp_path: Path, me: age.X25519Identity, seen: list[tuple[int, bool]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    sealed = seal(tmp_path, os.urandom(40 * SPAN_BYTES), me)
    raw = bytearray(sealed.read_bytes())
    raw[-5 * SEALED_CHUNK] ^= 1  # a chunk of the last span: the second thread's, below
    sealed.write_bytes(raw)
    before = files_in(tmp_path)
    # A quarter second a span: the second thread takes the last spans even on a busy
    # two-core CI machine (at 0.05 s it once did not: ci19, 2026-12-03).
    slow_caller(monkeypatch, 0.25)
    with pytest.raises(age.AgePayloadError) as refused:
        age_fileops.open_age_file(sealed, [me], output=tmp_path / "opened")
    assert "do not authenticate" in refused.value.reason
    assert files_in(tmp_path) == before
    assert any(not ok for _, ok in seen)  # the second thread found it
    assert not second_alive()


def test_a_tampered_span_found_by_this_process(tmp_path: Path, me: age.X25519Identity) -> None:
    sealed = seal(tmp_path, os.urandom(3 * SPAN_BYTES), me)
    raw = bytearray(sealed.read_bytes())
    raw[len(raw) // 2] ^= 0x80
    sealed.write_bytes(raw)
    before = files_in(tmp_path)
    with pytest.raises(age.AgePayloadError):
        age_fileops.open_age_file(sealed, [me], output=tmp_path / "opened")
    assert files_in(tmp_path) == before


@pytest.mark.parametrize(("cut", "why"), [
    (1, "do not authenticate"),  # into the final chunk (116 bytes: 100 + its tag)
    (100, "empty final chunk"),  # to a bare tag
    (105, "shorter than its tag"),
    (116, "do not authenticate"),  # the final chunk gone: a full middle chunk ends it
])
def test_a_truncated_file_is_refused(tmp_path: Path, me: age.X25519Identity, cut: int,
                                     why: str) -> None:
    sealed = seal(tmp_path, os.urandom(2 * SPAN_BYTES + 100), me)
    sealed.write_bytes(sealed.read_bytes()[:-cut])
    with pytest.raises(age.AgePayloadError) as refused:
        age_fileops.open_age_file(sealed, [me], output=tmp_path / "opened")
    assert why in refused.value.reason
    assert not (tmp_path / "opened").exists()


def test_data_after_the_final_chunk_is_refused(tmp_path: Path, me: age.X25519Identity) -> None:
    sealed = seal(tmp_path, os.urandom(2 * SPAN_BYTES), me)
    with open(sealed, "ab") as f:
        f.write(os.urandom(SEALED_CHUNK))
    with pytest.raises(age.AgePayloadError):
        age_fileops.open_age_file(sealed, [me], output=tmp_path / "opened")
    assert not (tmp_path / "opened").exists()


@pytest.mark.parametrize("fails", ["_pwrite_all", "_pread_full"])
def test_an_error_of_the_second_thread_ends_the_run_and_leaves_nothing(
        tmp_path: Path, me: age.X25519Identity, monkeypatch: pytest.MonkeyPatch,
        fails: str) -> None:
    src = tmp_path / "plain"
    src.write_bytes(os.urandom(30 * SPAN_BYTES))
    real = getattr(spans, fails)

    def fail_on_the_second(fd: int, view: memoryview, at: int) -> object:
        if second_thread():
            raise OSError(errno.EIO, "Input/output error")
        return real(fd, view, at)

    monkeypatch.setattr(spans, fails, fail_on_the_second)
    slow_caller(monkeypatch, 0.01)
    with pytest.raises(VaultError) as failed:
        age_fileops.share_file(src, [me.recipient()])
    doing = "write" if fails == "_pwrite_all" else "read"
    assert f"cannot {doing}" in str(failed.value), str(failed.value)
    assert files_in(tmp_path) == {"plain"}
    assert not second_alive()


def test_cancel_leaves_nothing_and_ends_the_second_thread(
        tmp_path: Path, me: age.X25519Identity, monkeypatch: pytest.MonkeyPatch) -> None:
    slow_caller(monkeypatch, 0.01)
    src = tmp_path / "plain"
    src.write_bytes(os.urandom(30 * SPAN_BYTES))
    calls = iter(range(1000))
    with pytest.raises(CancelledError):
        age_fileops.share_file(src, [me.recipient()], cancel=lambda: next(calls) >= 5)
    assert files_in(tmp_path) == {"plain"}
    assert not second_alive()


def test_a_source_that_changes_while_sealed_is_refused(
        tmp_path: Path, me: age.X25519Identity, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "plain"
    src.write_bytes(os.urandom(4 * SPAN_BYTES))
    do = spans._Worker.do

    def grow_then_do(worker: spans._Worker, span: int) -> bool:
        if span == 1:
            with open(src, "ab") as f:
                f.write(b"more")
        return do(worker, span)

    monkeypatch.setattr(spans._Worker, "do", grow_then_do)
    with pytest.raises(VaultError, match="changed while it was being encrypted"):
        age_fileops.share_file(src, [me.recipient()])
    assert files_in(tmp_path) == {"plain"}


def test_a_source_that_shrinks_while_sealed_is_refused(
        tmp_path: Path, me: age.X25519Identity, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "plain"
    src.write_bytes(os.urandom(4 * SPAN_BYTES))
    do = spans._Worker.do

    def shrink_then_do(worker: spans._Worker, span: int) -> bool:
        if span == 1:
            os.truncate(src, SPAN_BYTES + 10)
        return do(worker, span)

    monkeypatch.setattr(spans._Worker, "do", shrink_then_do)
    with pytest.raises(VaultError, match="changed while it was being encrypted"):
        age_fileops.share_file(src, [me.recipient()])
    assert files_in(tmp_path) == {"plain"}


def test_an_armored_file_and_a_stream_keep_the_stream_pipeline(
        tmp_path: Path, me: age.X25519Identity, seen: list[tuple[int, bool]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    started = []
    monkeypatch.setattr(spans, "_Second", lambda *args: started.append(args))
    data = os.urandom(2 * SPAN_BYTES)
    src = tmp_path / "plain"
    src.write_bytes(data)
    armored = age_fileops.share_file(src, [me.recipient()], armor=True).output
    assert armored is not None
    age_fileops.open_age_file(armored, [me], output=tmp_path / "opened")
    assert (tmp_path / "opened").read_bytes() == data
    assert started == [] and seen == []


def test_small_files_and_one_core_keep_the_stream_pipeline(monkeypatch: pytest.MonkeyPatch) \
        -> None:
    monkeypatch.setattr(spans, "MIN_SIZE", 64 << 20)
    assert not spans.wanted((64 << 20) - 1) and spans.wanted(64 << 20)
    monkeypatch.setattr(helpers, "spare_core", lambda: False)
    assert not spans.wanted(1 << 30)


def test_a_failed_write_says_so_and_leaves_nothing(tmp_path: Path, me: age.X25519Identity,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "plain"
    src.write_bytes(os.urandom(3 * SPAN_BYTES))

    def disk_full(fd: int, view: memoryview, at: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(spans, "_pwrite_all", disk_full)
    with pytest.raises(VaultError) as failed:
        age_fileops.share_file(src, [me.recipient()])
    assert "cannot write" in str(failed.value) and "plain.age" in str(failed.value)
    assert "disk is full" in str(failed.value)
    assert files_in(tmp_path) == {"plain"}
