"""vaultapp.core.jobs on its own: no keybox, no Qt, real files.

Keys are a StaticResolver and a Recipient made here; the audit log and rewrap are plain
callbacks, so each test sees exactly what the run asked for.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from vaultapp.core import age, age_fileops, fileops, jobs
from vaultapp.core.envelope import Recipient, StaticResolver
from vaultapp.core.errors import FileIntegrityError, OutputExistsError, VaultError

RECIPIENT = Recipient(b"p" * 16, b"k" * 16, os.urandom(32))
RESOLVER = StaticResolver([RECIPIENT])
JOBS = Path(__file__).resolve().parent.parent / "vaultapp" / "core" / "jobs"


class Audit:
    """record_sealed, remembered."""

    def __init__(self) -> None:
        self.calls: list[tuple[bytes, int, str | None]] = []

    def __call__(self, key_id: bytes, files: int, profile: str | None) -> None:
        self.calls.append((key_id, files, profile))


def keys(audit: Audit | None = None) -> jobs.Keys:
    return jobs.Keys(RESOLVER, RECIPIENT, "acme", audit)


def make(folder: Path, count: int, prefix: str = "f") -> dict[Path, bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for i in range(count):
        path = folder / f"{prefix}{i:02d}.txt"
        files[path] = os.urandom(50 + i)
        path.write_bytes(files[path])
    return files


def leftovers(folder: Path) -> list[Path]:
    return list(folder.rglob(".vaultapp-*.tmp"))


def run(paths: list[Path], mode: str = jobs.AUTO, policy: jobs.ConflictPolicy | None = None,
        output: Path | None = None, **kwargs: object) -> tuple[jobs.RunResult,
                                                             list[jobs.FileOutcome]]:
    outcomes: list[jobs.FileOutcome] = []
    plan = jobs.plan_files(paths, mode, RESOLVER, output)
    result = jobs.run_plan(plan, kwargs.pop("keys", None) or keys(),  # type: ignore[arg-type]
                           policy=policy, on_outcome=outcomes.append, **kwargs)  # type: ignore[arg-type]
    return result, outcomes


def opened(sealed: Path) -> bytes:
    out = sealed.parent.parent / "opened-check"
    out.mkdir(exist_ok=True)
    result = fileops.open_file(sealed, RESOLVER, output=out, force=True)
    assert result.output is not None
    return result.output.read_bytes()


# --- the seam -------------------------------------------------------------------------------

def test_jobs_never_import_the_keybox() -> None:
    """The run is handed key material; it must not reach for the keybox itself."""
    for path in JOBS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert "keybox" not in name, f"{path.name} imports {name}"


def test_every_module_is_small_and_says_what_it_is() -> None:
    for path in JOBS.glob("*.py"):
        tree = ast.parse(path.read_text())
        assert ast.get_docstring(tree), path.name
        assert len(path.read_text().splitlines()) <= 300, path.name


# --- inputs and planning ------------------------------------------------------------------

def test_expand_paths_recurses_and_skips_links_fifos_and_temporaries(tmp_path: Path) -> None:
    make(tmp_path / "d" / "sub", 2)
    (tmp_path / "d" / "z.txt").write_bytes(b"z")
    os.mkfifo(tmp_path / "d" / "pipe")
    (tmp_path / "d" / "link").symlink_to(tmp_path / "d" / "z.txt")
    (tmp_path / "d" / "linked-dir").symlink_to(tmp_path / "d" / "sub")
    (tmp_path / "d" / ".vaultapp-0123456789abcdef.tmp").write_bytes(b"t")
    found = jobs.expand_paths([tmp_path / "d", tmp_path / "d" / "z.txt"])
    rel = [p.relative_to(tmp_path).as_posix() for p in found]
    assert rel == ["d/z.txt", "d/sub/f00.txt", "d/sub/f01.txt", "d/z.txt"]


def test_expand_paths_keeps_the_order_of_a_walk(tmp_path: Path) -> None:
    """Each folder's files by name, then its subfolders by name, depth first (as os.walk
    with sorted folders visits them), from the listing's types alone."""
    for rel in ("d/m.txt", "d/b/x", "d/b/a/y", "d/b/z", "d/a/q", "d/c/e/f", "d/A"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x")
    (tmp_path / "d" / "empty").mkdir()
    walked = []
    for folder, dirs, files in os.walk(tmp_path / "d"):
        dirs.sort()
        walked += [Path(folder) / name for name in sorted(files)]
    assert jobs.expand_paths([tmp_path / "d"]) == walked
    assert [p.relative_to(tmp_path / "d").as_posix() for p in walked] == [
        "A", "m.txt", "a/q", "b/x", "b/z", "b/a/y", "c/e/f"]


def test_split_small_by_the_one_limit(tmp_path: Path) -> None:
    small = tmp_path / "small"
    small.write_bytes(b"s")
    big = tmp_path / "big"
    with open(big, "wb") as f:
        f.truncate(jobs.SMALL_FILE_LIMIT + 1)
    missing = tmp_path / "missing"
    assert jobs.split_small([big, small, missing]) == ([small, missing], [big])


def test_auto_plan_opens_sealed_files_and_seals_the_rest(tmp_path: Path) -> None:
    plain = tmp_path / "a.txt"
    plain.write_bytes(b"alpha")
    sealed = fileops.seal_file(plain, [RECIPIENT], output=tmp_path / "renamed.bin").output
    assert sealed is not None
    plan = jobs.plan_files([plain, sealed, tmp_path / "gone"], jobs.AUTO, RESOLVER)
    first, second, third = plan.items
    assert (first.mode, first.target, first.exists) == (jobs.SEAL, f"{plain}.vault", False)
    assert (second.mode, second.target, second.exists) == (jobs.OPEN, str(plain), True)
    assert isinstance(third.error, OSError)
    assert plan.folder == tmp_path.name and [i.path for i in plan.conflicts()] == [str(sealed)]


# --- conflicts ------------------------------------------------------------------------------

def test_free_name_skips_taken_and_claimed_names(tmp_path: Path) -> None:
    (tmp_path / "a.txt.vault").write_bytes(b"")
    (tmp_path / "a.txt (1).vault").write_bytes(b"")
    claimed = {str(tmp_path / "a.txt (2).vault")}
    assert jobs.free_name(tmp_path / "a.txt.vault", claimed) == tmp_path / "a.txt (3).vault"
    assert jobs.free_name(tmp_path / ".hidden") == tmp_path / ".hidden (1)"


@pytest.mark.parametrize("choice", [jobs.KEEP_BOTH, jobs.REPLACE, jobs.SKIP, jobs.FAIL])
def test_existing_outputs_follow_the_policy(tmp_path: Path, choice: str) -> None:
    files = make(tmp_path, 3)
    taken = tmp_path / "f01.txt.vault"
    taken.write_bytes(b"precious")
    result, outcomes = run(list(files), policy=jobs.ConflictPolicy(choice, jobs.KEEP_BOTH))
    numbered = tmp_path / "f01.txt (1).vault"
    status = [o.status for o in outcomes]
    if choice == jobs.KEEP_BOTH:
        assert taken.read_bytes() == b"precious" and opened(numbered) == files[tmp_path / "f01.txt"]
        assert status == [jobs.DONE] * 3
    elif choice == jobs.REPLACE:
        assert opened(taken) == files[tmp_path / "f01.txt"] and not numbered.exists()
    elif choice == jobs.SKIP:
        assert taken.read_bytes() == b"precious" and status[1] == jobs.SKIPPED
        assert result.skipped == 1
    else:
        assert taken.read_bytes() == b"precious" and status[1] == jobs.FAILED
        assert isinstance(outcomes[1].error, OutputExistsError)
        assert "already exists" in str(outcomes[1].error)
    assert result.sealed == (2 if choice in (jobs.SKIP, jobs.FAIL) else 3)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("count", [1, 5])  # alone, and through the CommitQueue
def test_an_output_that_appears_after_the_plan_is_never_replaced(tmp_path: Path,
                                                                 count: int) -> None:
    """The plan found the name free, so the run does not look it up again before
    writing; the final link still refuses it."""
    files = make(tmp_path, count)
    plan = jobs.plan_files(list(files), jobs.SEAL, RESOLVER)
    late = tmp_path / "f00.txt.vault"
    late.write_bytes(b"written by someone else after the plan")
    outcomes: list[jobs.FileOutcome] = []
    result = jobs.run_plan(plan, keys(), on_outcome=outcomes.append)
    assert outcomes[0].status == jobs.FAILED and isinstance(outcomes[0].error, OutputExistsError)
    assert "appeared while it was being written; nothing was replaced" in str(outcomes[0].error)
    assert late.read_bytes() == b"written by someone else after the plan"
    assert result.sealed == count - 1 and leftovers(tmp_path) == []


def test_an_output_never_replaces_an_input_of_the_run(tmp_path: Path) -> None:
    """Sealing a.txt and a.txt.vault with 'replace': a.txt.vault is still to be read."""
    plain = tmp_path / "a.txt"
    plain.write_bytes(b"new")
    other = tmp_path / "other"
    other.write_bytes(b"sealed before")
    victim = tmp_path / "a.txt.vault"
    fileops.seal_file(other, [RECIPIENT], output=victim)
    before = victim.read_bytes()
    # the window's policy keeps both ...
    result, outcomes = run([plain, victim], jobs.SEAL, jobs.ConflictPolicy.asked(jobs.REPLACE))
    assert result.ok and result.sealed == 2
    assert outcomes[0].output == str(tmp_path / "a.txt (1).vault")
    assert opened(tmp_path / "a.txt (1).vault") == b"new"
    assert opened(tmp_path / "a.txt.vault.vault") == before
    # ... the command line's --force refuses that one file
    result, outcomes = run([plain, victim], jobs.SEAL, jobs.ConflictPolicy.command_line(True),
                           output=None)
    assert [o.status for o in outcomes] == [jobs.FAILED, jobs.DONE]  # .vault.vault: replaced
    assert "one of the files of this run" in str(outcomes[0].error)
    assert victim.read_bytes() == before
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("force", [False, True])
def test_two_files_of_one_run_never_get_the_same_output(tmp_path: Path, force: bool) -> None:
    out = tmp_path / "out"
    out.mkdir()
    one = make(tmp_path / "one", 2)
    two = make(tmp_path / "two", 2)
    paths = list(one) + list(two)
    # the window keeps both
    result, _ = run(paths, jobs.SEAL, jobs.ConflictPolicy.asked(jobs.SKIP), output=out)
    assert result.ok and sorted(p.name for p in out.iterdir()) == [
        "f00.txt (1).vault", "f00.txt.vault", "f01.txt (1).vault", "f01.txt.vault"]
    assert opened(out / "f00.txt (1).vault") == two[tmp_path / "two" / "f00.txt"]
    # the command line fails the later file, with --force or not
    for p in out.iterdir():
        p.unlink()
    result, outcomes = run(paths, jobs.SEAL, jobs.ConflictPolicy.command_line(force),
                           output=out)
    assert [o.status for o in outcomes] == [jobs.DONE, jobs.DONE, jobs.FAILED, jobs.FAILED]
    assert isinstance(outcomes[2].error, OutputExistsError)
    assert opened(out / "f00.txt.vault") == one[tmp_path / "one" / "f00.txt"]
    assert leftovers(tmp_path) == []


# --- running --------------------------------------------------------------------------------

@pytest.mark.parametrize("count", [1, 30])
def test_audit_is_recorded_once_per_run_with_the_count(tmp_path: Path, count: int) -> None:
    files = make(tmp_path, count)
    audit = Audit()
    result, outcomes = run(list(files), keys=keys(audit))
    assert audit.calls == [(RECIPIENT.key_id, count, "acme")]
    assert result.sealed == count and len(outcomes) == count
    assert [o.path for o in outcomes] == [str(p) for p in files]  # in the plan's order
    # a run that only opens fetches no key to seal with and records nothing
    for p in files:
        p.unlink()
    audit.calls.clear()
    result, _ = run([Path(f"{p}.vault") for p in files], keys=keys(audit))
    assert result.opened == count and audit.calls == []
    assert all(p.read_bytes() == data for p, data in files.items())


def test_progress_reaches_the_total(tmp_path: Path) -> None:
    files = make(tmp_path / "small", 25)
    seen: list[jobs.Progress] = []
    result, _ = run(list(files), progress=seen.append)
    assert result.sealed == 25
    assert [p.files_done for p in seen if p.phase == jobs.FILES] == list(range(1, 26))
    assert seen[-1] == jobs.Progress(jobs.FILES, 25, 25)
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(3 << 20))
    seen.clear()
    run([big], progress=seen.append)
    bytes_seen = [p.bytes_done for p in seen if p.phase == jobs.FILE]
    assert bytes_seen and bytes_seen[-1] == 3 << 20 and seen[-1].files_done == 1
    assert all(p.bytes_total == 3 << 20 for p in seen if p.phase == jobs.FILE)


def test_cancel_inside_a_large_file_leaves_no_partial_output(tmp_path: Path) -> None:
    big = tmp_path / "big.iso"
    with open(big, "wb") as f:
        f.truncate(256 << 20)  # sparse
    seen: list[jobs.Progress] = []
    audit = Audit()
    result, outcomes = run([big], progress=seen.append, cancel=lambda: len(seen) >= 3,
                           keys=keys(audit))
    assert result.stopped and not result.ok and result.not_done == 1 and outcomes == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.iso"]
    assert audit.calls == [(RECIPIENT.key_id, 0, "acme")]


def test_cancel_between_small_files_keeps_only_complete_outputs(tmp_path: Path) -> None:
    files = make(tmp_path, 40)
    seen: list[jobs.Progress] = []
    audit = Audit()
    result, _ = run(list(files), progress=seen.append, cancel=lambda: len(seen) >= 10,
                    keys=keys(audit))
    outputs = sorted(tmp_path.glob("*.vault"))
    assert result.stopped and result.sealed == len(outputs) == 10 and result.not_done == 30
    for output in outputs:
        assert opened(output) == files[output.with_name(output.name.removesuffix(".vault"))]
    assert audit.calls == [(RECIPIENT.key_id, 10, "acme")]
    assert leftovers(tmp_path) == []


def test_failures_are_reported_in_place_and_the_rest_go_on(tmp_path: Path) -> None:
    files = make(tmp_path, 3)
    bad = tmp_path / "bad.vault"
    good = fileops.seal_file(tmp_path / "f00.txt", [RECIPIENT], output=bad).output
    assert good is not None
    data = bytearray(bad.read_bytes())
    data[-1] ^= 1
    bad.write_bytes(data)
    result, outcomes = run([*files, bad], mode=jobs.VERIFY)
    assert [o.status for o in outcomes] == [jobs.FAILED] * 3 + [jobs.FAILED]
    (tmp_path / "f00.txt").unlink()  # so that opening bad.vault gets to its payload
    result, outcomes = run([bad, tmp_path / "f01.txt"], mode=jobs.AUTO)
    assert [o.status for o in outcomes] == [jobs.FAILED, jobs.DONE]
    assert isinstance(result.first_error(), FileIntegrityError) and result.sealed == 1
    assert not (tmp_path / "f00.txt").exists() and leftovers(tmp_path) == []


def test_a_key_that_cannot_seal_fails_only_the_files_to_seal(tmp_path: Path) -> None:
    files = make(tmp_path, 2)
    sealed = fileops.seal_file(tmp_path / "f00.txt", [RECIPIENT]).output
    assert sealed is not None
    (tmp_path / "f00.txt").unlink()

    def disabled() -> Recipient:
        raise VaultError("the primary key is disabled")

    audit = Audit()
    result, outcomes = run([sealed, tmp_path / "f01.txt"],
                           keys=jobs.Keys(RESOLVER, disabled, "acme", audit))
    assert [o.status for o in outcomes] == [jobs.DONE, jobs.FAILED]
    assert "disabled" in str(outcomes[1].error) and result.opened == 1
    assert (tmp_path / "f00.txt").read_bytes() == files[tmp_path / "f00.txt"]
    assert audit.calls == []  # no key was fetched


@pytest.mark.parametrize("count", [1, 25])
def test_remove_originals_only_after_the_output_verifies(tmp_path: Path, count: int,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    files = make(tmp_path, count)
    damaged = tmp_path / "f00.txt.vault"
    real_verify = fileops.verify_file

    def verify_file(source: Path, *args: object, **kwargs: object) -> fileops.FileResult:
        if source == damaged:
            data = bytearray(source.read_bytes())
            data[-3] ^= 1
            source.write_bytes(data)
        return real_verify(source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fileops, "verify_file", verify_file)
    seen: list[jobs.Progress] = []
    result, _ = run(list(files), remove_originals=True, progress=seen.append)
    assert result.removed == count - 1 and result.sealed == count - 1 and result.failed == 1
    (failure,) = result.failures
    assert failure.original_kept and failure.path == str(tmp_path / "f00.txt")
    assert (tmp_path / "f00.txt").exists()
    assert sum(p.exists() for p in files) == 1
    assert seen[-1] == jobs.Progress(jobs.VERIFYING, count, count)


def test_rewrap_reports_old_and_new_keys(tmp_path: Path) -> None:
    files = make(tmp_path, 2)
    calls: list[Path] = []

    def rewrap(path: Path) -> tuple[bytes, bytes] | None:
        calls.append(path)
        return (b"o" * 16, b"n" * 16) if path.name == "f00.txt" else None

    plan = jobs.plan_files(list(files), jobs.REWRAP)
    outcomes: list[jobs.FileOutcome] = []
    result = jobs.run_plan(plan, jobs.Keys(rewrap=rewrap), on_outcome=outcomes.append)
    assert calls == list(files) and result.rewrapped == 2
    assert (outcomes[0].previous_key_id, outcomes[0].key_id) == (b"o" * 16, b"n" * 16)
    assert outcomes[1].previous_key_id is None


def test_commit_queue_only_for_several_small_files(tmp_path: Path) -> None:
    files = make(tmp_path, 2)
    assert jobs.uses_commit_queue(jobs.plan_files(list(files), jobs.SEAL))
    assert not jobs.uses_commit_queue(jobs.plan_files(list(files)[:1], jobs.SEAL))
    big = tmp_path / "big"
    with open(big, "wb") as f:
        f.truncate(jobs.SMALL_FILE_LIMIT + 1)
    assert not jobs.uses_commit_queue(jobs.plan_files([*files, big], jobs.SEAL))


def test_a_keys_function_can_stop_the_whole_run(tmp_path: Path) -> None:
    """RunStopped from Keys.age_identities ends the run with its error (the command line's
    keybox that cannot be opened, cli.cmd_open) instead of failing file after file; what
    was begun is discarded."""
    me = age.X25519Identity.generate()
    shared = []
    for name in ("a", "b"):
        (tmp_path / name).write_bytes(name.encode() * 100)
        shared.append(age_fileops.share_file(tmp_path / name, [me.recipient()]).output)
    out = tmp_path / "out"
    out.mkdir()
    asked = []

    def no_keybox() -> list[age.Identity]:
        asked.append(1)
        raise jobs.RunStopped(VaultError("there is no keybox"))

    plan = jobs.plan_files(shared, jobs.OPEN, output=out)
    outcomes: list[jobs.FileOutcome] = []
    with pytest.raises(jobs.RunStopped) as stopped:
        jobs.run_plan(plan, jobs.Keys(age_identities=no_keybox), on_outcome=outcomes.append)
    assert str(stopped.value.error) == "there is no keybox"
    assert asked == [1] and outcomes == [] and list(out.iterdir()) == []
