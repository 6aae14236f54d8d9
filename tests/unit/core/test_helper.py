"""The helper process that seals part of a long run of small files (core/jobs/helper.py):
the real process, started as the run starts it, on real files.

HELPER_MIN_FILES is lowered so that a few hundred files start one, and the run's thread
waits at its first file until the helper has been handed a chunk (it would otherwise
finish a few hundred files before the helper has started): every test checks the helper
was handed files, so none passes on the run's thread alone.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from vaultapp.core import fileops, jobs
from vaultapp.core.errors import OutputExistsError, UsageError, VaultError
from vaultapp.core.jobs import helper
from vaultapp.core.jobs.conflicts import Resolver

from .test_jobs import RECIPIENT, RESOLVER, Audit, keys, leftovers

FILES = 400


@pytest.fixture(autouse=True)
def helpers(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[helper.Helper]]:
    """Every Helper a run starts, for the test to look at; started from 100 files on."""
    monkeypatch.setattr(helper, "HELPER_MIN_FILES", 100)
    monkeypatch.setattr(helper, "CHUNK", 16)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})  # two cores
    started: list[helper.Helper] = []
    real = helper.Helper.start.__func__  # type: ignore[attr-defined]

    def start(cls: type[helper.Helper], *args: object) -> helper.Helper | None:
        made: helper.Helper | None = real(cls, *args)
        if made is not None:
            started.append(made)
        return made

    monkeypatch.setattr(helper.Helper, "start", classmethod(start))
    yield started


def files(folder: Path, count: int = FILES) -> dict[Path, bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    for i in range(count):
        path = folder / f"f{i:04d}.txt"
        made[path] = os.urandom(i % 3000)
        path.write_bytes(made[path])
    return made


def waits_for_the_helper(helpers: list[helper.Helper], seen: list[jobs.Progress]
                         ) -> jobs.run.OnProgress:
    """A progress callback that holds the run's thread at its first file until the
    helper it started has been handed files."""
    def progress(p: jobs.Progress) -> None:
        seen.append(p)
        deadline = time.monotonic() + 60
        while helpers and helpers[0].handed == 0 and time.monotonic() < deadline:
            time.sleep(0.005)
    return progress


def run(paths: list[Path], output: Path, helpers: list[helper.Helper], **kwargs: object
        ) -> tuple[jobs.RunResult, list[jobs.FileOutcome], list[jobs.Progress]]:
    outcomes: list[jobs.FileOutcome] = []
    progress: list[jobs.Progress] = []
    plan = jobs.plan_files(jobs.expand_paths(paths), jobs.SEAL, RESOLVER, output)
    result = jobs.run_plan(plan, kwargs.pop("keys", None) or keys(),  # type: ignore[arg-type]
                           on_outcome=outcomes.append,
                           progress=waits_for_the_helper(helpers, progress),
                           **kwargs)  # type: ignore[arg-type]
    return result, outcomes, progress


def opens_to(sealed: Path, plain: bytes, tmp: Path) -> bool:
    result = fileops.open_file(sealed, RESOLVER, output=tmp / "check", force=True)
    assert result.output is not None
    return result.output.read_bytes() == plain


def started_helper(cwd: Path, stderr: int | None = None) -> subprocess.Popen[bytes]:
    """A helper process as a run starts it, handed RECIPIENT, that has asked for files."""
    proc = subprocess.Popen(helper.command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=stderr, cwd=cwd)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(json.dumps({"parent": os.getpid(),
                                 "profile_id": RECIPIENT.profile_id.hex(),
                                 "key_id": RECIPIENT.key_id.hex(),
                                 "key": RECIPIENT.key.hex()}).encode() + b"\n")
    proc.stdin.flush()
    assert json.loads(proc.stdout.readline()) == {"want": True}
    return proc


def test_a_long_run_is_shared_with_a_helper_and_reported_in_the_plans_order(
        tmp_path: Path, helpers: list[helper.Helper]) -> None:
    made = files(tmp_path / "in")
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "check").mkdir()
    audit = Audit()
    result, outcomes, progress = run([tmp_path / "in"], out, helpers, keys=keys(audit))
    assert len(helpers) == 1 and 0 < helpers[0].handed < FILES  # both did some
    assert result.sealed == FILES and not result.failures
    assert [o.path for o in outcomes] == [str(p) for p in sorted(made)]  # the plan's order
    assert all(o.status == jobs.DONE and o.key_id == RECIPIENT.key_id for o in outcomes)
    for o in outcomes:  # every output, whoever sealed it, opens to its input
        assert Path(o.output) == out / (Path(o.path).name + ".vault")
        assert opens_to(Path(o.output), made[Path(o.path)], tmp_path)
    counts = [p.files_done for p in progress if p.phase == jobs.FILES]
    assert counts == sorted(counts) and counts[-1] == FILES
    assert audit.calls == [(RECIPIENT.key_id, FILES, "acme")]  # one record, every file
    assert leftovers(out) == []


def test_names_are_given_in_the_plans_order_whoever_seals_the_file(
        tmp_path: Path, helpers: list[helper.Helper]) -> None:
    """Two folders with the same names into one output folder: the window's rule keeps
    both, each later one gets the next free name, exactly as without a helper."""
    files(tmp_path / "a", 200)
    files(tmp_path / "b", 200)
    out = tmp_path / "out"
    out.mkdir()
    policy = jobs.ConflictPolicy(jobs.SKIP, jobs.KEEP_BOTH)
    result, outcomes, _ = run([tmp_path / "a", tmp_path / "b"], out, helpers, policy=policy)
    assert helpers[0].handed > 0 and result.sealed == 400
    by_input = {o.path: Path(o.output).name for o in outcomes}
    for i in range(200):
        assert by_input[str(tmp_path / "a" / f"f{i:04d}.txt")] == f"f{i:04d}.txt.vault"
        assert by_input[str(tmp_path / "b" / f"f{i:04d}.txt")] == f"f{i:04d}.txt (1).vault"
    assert len(os.listdir(out)) == 400


def test_the_command_lines_rule_fails_the_second_of_two_files_with_one_name(
        tmp_path: Path, helpers: list[helper.Helper]) -> None:
    files(tmp_path / "a", 150)
    files(tmp_path / "b", 150)
    out = tmp_path / "out"
    out.mkdir()
    result, outcomes, _ = run([tmp_path / "a", tmp_path / "b"], out, helpers,
                              policy=jobs.ConflictPolicy.command_line(force=False))
    assert helpers[0].handed > 0
    assert result.sealed == 150 and len(result.failures) == 150
    for o in outcomes[150:]:
        assert isinstance(o.error, OutputExistsError)
        assert "already the output of another file of this run" in str(o.error)


def test_a_file_that_fails_in_the_helper_fails_with_the_same_error(
        tmp_path: Path, helpers: list[helper.Helper]) -> None:
    """An output name that is already taken, decided by the helper's own look-up."""
    files(tmp_path / "in")
    out = tmp_path / "out"
    out.mkdir()
    taken = {i for i in range(0, FILES, 7)}
    for i in taken:
        (out / f"f{i:04d}.txt.vault").write_bytes(b"mine")
    result, outcomes, _ = run([tmp_path / "in"], out, helpers)
    assert helpers[0].handed > 0
    failed = {int(Path(o.path).stem[1:]) for o in outcomes if o.status == jobs.FAILED}
    assert failed == taken and result.sealed == FILES - len(taken)
    for o in outcomes:
        if o.status == jobs.FAILED:
            assert type(o.error) is OutputExistsError and o.error.exit_code == 1
            assert o.error.path == out / (Path(o.path).name + ".vault")
            assert str(o.error).endswith("already exists")
    assert all((out / f"f{i:04d}.txt.vault").read_bytes() == b"mine" for i in taken)


def test_errors_cross_as_the_same_class_with_the_same_words_and_fields() -> None:
    for exc in (OutputExistsError(Path("/x/y.vault")), UsageError("bad name"),
                fileops.UnsafeNameError("..")):
        back = helper._error(helper._error_fields(exc))
        nearest = next(c for c in type(exc).__mro__ if c.__module__ == "vaultapp.core.errors")
        assert type(back) is nearest and str(back) == str(exc)
        assert (back.hint, back.path, back.exit_code) == (exc.hint, exc.path, exc.exit_code)
    back = helper._error(helper._error_fields(OSError(28, "No space left on device")))
    assert type(back) is VaultError and "No space left" in str(back)


def test_cancel_stops_both_and_keeps_only_whole_outputs(
        tmp_path: Path, helpers: list[helper.Helper]) -> None:
    made = files(tmp_path / "in", 600)
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "check").mkdir()
    seen: list[jobs.FileOutcome] = []
    stop = threading.Event()
    wait = waits_for_the_helper(helpers, [])

    def progress(p: jobs.Progress) -> None:
        wait(p)
        if p.files_done >= 50:
            stop.set()

    plan = jobs.plan_files(jobs.expand_paths([tmp_path / "in"]), jobs.SEAL, RESOLVER, out)
    result = jobs.run_plan(plan, keys(), on_outcome=seen.append, cancel=stop.is_set,
                           progress=progress)
    assert result.stopped and 50 <= result.sealed < 600, result
    assert helpers[0].handed > 0
    names = set(os.listdir(out))
    assert len(names) == result.sealed == len({o.output for o in seen if o.ok})
    for o in seen:  # what was reported is there and whole; nothing else is
        assert opens_to(Path(o.output), made[Path(o.path)], tmp_path)
    assert leftovers(out) == []


def test_a_helper_that_stops_part_way_fails_only_the_files_it_did_not_report(
        tmp_path: Path, helpers: list[helper.Helper], monkeypatch: pytest.MonkeyPatch
        ) -> None:
    """A stand-in helper that takes one chunk and exits without a word: those files fail,
    saying so; the run's thread seals every other file."""
    script = ("import sys, json; sys.stdin.readline(); print(json.dumps({'want': 1}), "
              "flush=True); sys.stdin.readline()")
    monkeypatch.setattr(helper, "command", lambda: [sys.executable, "-c", script])
    files(tmp_path / "in")
    out = tmp_path / "out"
    out.mkdir()
    result, outcomes, _ = run([tmp_path / "in"], out, helpers)
    assert helpers[0].handed == helper.CHUNK
    failed = [o for o in outcomes if o.status == jobs.FAILED]
    assert len(failed) == helper.CHUNK and result.sealed == FILES - helper.CHUNK
    assert all(str(o.error) == helper.STOPPED for o in failed)
    assert not any((out / (Path(o.path).name + ".vault")).exists() for o in failed)


def test_a_helper_that_cannot_start_leaves_every_file_to_the_run(
        tmp_path: Path, helpers: list[helper.Helper], monkeypatch: pytest.MonkeyPatch
        ) -> None:
    monkeypatch.setattr(helper, "command", lambda: [str(tmp_path / "no-such-program")])
    files(tmp_path / "in")
    out = tmp_path / "out"
    out.mkdir()
    result, _, _ = run([tmp_path / "in"], out, helpers)
    assert helpers == [] and result.sealed == FILES and not result.failures


@pytest.mark.parametrize("count, cores, started", [(99, 2, False), (100, 2, True),
                                                   (100, 1, False)])
def test_a_helper_starts_only_for_a_long_run_on_two_cores(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int, cores: int,
        started: bool) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cores)))
    files(tmp_path / "in", count)
    plan = jobs.plan_files(jobs.expand_paths([tmp_path / "in"]), jobs.SEAL, RESOLVER,
                           tmp_path)
    assert helper.wanted(plan.items) is started


def test_the_cursor_sets_aside_what_the_helper_cannot_seal(tmp_path: Path) -> None:
    made = files(tmp_path / "in", 6)
    out = tmp_path / "out"
    out.mkdir()
    (out / "f0001.txt.vault").write_bytes(b"taken")  # planned as existing: SKIP
    plan = jobs.plan_files(sorted(made), jobs.SEAL, RESOLVER, out)
    cursor = helper.Cursor(plan.items, Resolver(jobs.ConflictPolicy(jobs.SKIP), []), out)
    assert [i for i, _ in cursor.chunk(3)] == [0, 2, 3]  # 1 is skipped: not the helper's
    first = cursor.next_own()
    assert first is not None and first[0] == 1 and first[1] is not None
    assert first[1].target is None  # skip
    cursor.close()
    assert cursor.next_own() is None and cursor.chunk(3) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/PID/limits is Linux's")
def test_the_helper_writes_no_core_file_and_ends_with_no_more_work(tmp_path: Path) -> None:
    """It holds a profile key: RLIMIT_CORE 0 from its first line on, as the command line.
    Handed nothing, it reports nothing, writes nothing and exits 0."""
    proc = started_helper(tmp_path)
    assert proc.stdin is not None and proc.stdout is not None
    limits = Path(f"/proc/{proc.pid}/limits").read_text()
    core = next(line for line in limits.splitlines() if line.startswith("Max core file size"))
    assert core.split()[4:6] == ["0", "0"], core
    proc.stdin.write(b"[]\n")
    proc.stdin.close()
    assert proc.stdout.read() == b"" and proc.wait(timeout=60) == 0
    assert os.listdir(tmp_path) == []


def test_a_stop_ends_the_helper_at_its_next_file_and_every_file_is_accounted_for(
        tmp_path: Path) -> None:
    """The run's halt(): the helper seals no file after it reads the stop; each file of
    its chunk is reported once, settled (whole, under its name) or unstarted (absent)."""
    made = files(tmp_path / "in", 200)
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "check").mkdir()
    proc = started_helper(tmp_path)
    assert proc.stdin is not None and proc.stdout is not None
    paths = sorted(made)
    chunk = [[i, str(p), str(out), str(out / (p.name + ".vault")), False]
             for i, p in enumerate(paths)]
    proc.stdin.write(json.dumps(chunk).encode() + b"\n" + json.dumps({"stop": True}).encode()
                     + b"\n")
    proc.stdin.flush()
    settled: list[int] = []
    unstarted: list[int] = []
    for line in proc.stdout:
        message = json.loads(line)
        settled += [r["i"] for r in message.get("settled", ())]
        unstarted += message.get("unstarted", [])
    assert proc.wait(timeout=60) == 0
    assert sorted(settled + unstarted) == list(range(200)) and unstarted
    assert sorted(os.listdir(out)) == sorted(paths[i].name + ".vault" for i in settled)
    for i in settled:
        assert opens_to(out / (paths[i].name + ".vault"), made[paths[i]], tmp_path)


def test_a_stop_while_the_helper_waits_for_files_ends_it(tmp_path: Path) -> None:
    """Also: Ctrl-C (SIGINT to the process group) is the run's to handle, not the
    helper's: it neither dies of it nor prints a traceback."""
    proc = started_helper(tmp_path, stderr=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    proc.send_signal(signal.SIGINT)
    proc.stdin.write(b'{"stop": true}\n')
    proc.stdin.flush()
    assert proc.stdout.read() == b"" and proc.wait(timeout=60) == 0
    assert proc.stderr.read() == b""
