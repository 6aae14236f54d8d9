"""The command line's file commands through vaultapp.core.jobs: the conflict rules of one
run (no two outputs share a name, no output replaces an input), many small files through
the commit queue, and the lines printed in the files' order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.usefixtures("no_disk_flush", "cached_argparse_messages")


def test_force_never_replaces_an_input_of_the_same_run(keybox_cli, tmp_path: Path) -> None:
    cli = keybox_cli
    plain = tmp_path / "a.txt"
    plain.write_bytes(b"new")
    assert cli("seal", str(plain)).code == 0
    sealed = tmp_path / "a.txt.vault"
    before = sealed.read_bytes()
    r = cli("seal", "--force", str(plain), str(sealed))
    assert r.code == 1
    assert f"vaultapp: {plain}: {sealed} is itself one of the files of this run" in r.err
    assert sealed.read_bytes() == before  # still to be read by this run: kept
    assert f"sealed {sealed} -> {sealed}.vault" in r.out  # the other file went on


@pytest.mark.parametrize("force", [False, True])
def test_two_files_of_one_run_never_share_an_output(keybox_cli, tmp_path: Path,
                                                    force: bool) -> None:
    cli = keybox_cli
    out = tmp_path / "out"
    out.mkdir()
    for sub in ("one", "two"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "same.txt").write_bytes(sub.encode())
    args = ["seal", "-o", str(out), str(tmp_path / "one" / "same.txt"),
            str(tmp_path / "two" / "same.txt")]
    r = cli(*(args[:1] + (["--force"] if force else []) + args[1:]))
    assert r.code == 1
    assert "is already the output of another file of this run" in r.err
    assert sorted(p.name for p in out.iterdir()) == ["same.txt.vault"]
    back = tmp_path / "back"
    back.mkdir()
    assert cli("open", "-o", str(back), str(out / "same.txt.vault")).code == 0
    assert (back / "same.txt").read_bytes() == b"one"


def test_many_small_files_print_in_order(keybox_cli, tmp_path: Path) -> None:
    cli = keybox_cli
    files = []
    for i in range(30):
        path = tmp_path / f"f{i:02d}.bin"
        path.write_bytes(os.urandom(64 + i))
        files.append(path)
    missing = tmp_path / "f05-missing.bin"
    r = cli("seal", *map(str, files[:5]), str(missing), *map(str, files[5:]))
    assert r.code == 1 and f"vaultapp: {missing}:" in r.err
    assert r.out.splitlines() == [f"sealed {p} -> {p}.vault" for p in files]
    r = cli("verify", *(f"{p}.vault" for p in files))
    assert r.code == 0
    assert [line.split(" (")[0] for line in r.out.splitlines()] == [
        f"ok {p}.vault" for p in files]
