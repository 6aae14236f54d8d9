"""Issue 14, the command line's half: a given passphrase is checked, not ignored; one slot
can be tested; the last slot that survives losing this machine is not removed by accident;
one strength rule; slot labels; profile delete; -o's traps; folders; --help's exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, ROOT

SECOND = "an entirely different emergency phrase"


def _slots(cli) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    r = cli("slot", "list", "--json")
    assert r.code == 0, r.err
    slots: list[dict[str, object]] = json.loads(r.out)
    return slots


def _slot_of(cli, kind: str) -> str:  # type: ignore[no-untyped-def]
    return next(str(s["slot_id"]) for s in _slots(cli) if s["kind"] == kind)


# --- a given passphrase is checked against passphrase slots only ---------------------------

def test_a_wrong_passphrase_is_refused_even_when_the_keyring_could_unlock(
        keybox_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: VAULTAPP_PASSPHRASE='totally wrong' keybox check --unlock said 'keybox ok'."""
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", "totally wrong")
    r = keybox_cli("keybox", "check", "--unlock")
    assert r.code == 5, (r.out, r.err)
    assert "keybox ok" not in r.out
    assert "wrong passphrase" in r.err
    assert "OS keyring" not in r.err.split("unlock it:")[-1]  # the keyring was not tried
    r = keybox_cli("key", "list")  # a command without a passphrase: the keyring still works
    assert r.code == 0
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    r = keybox_cli("keybox", "check", "--unlock")
    assert r.code == 0 and "keybox ok" in r.out


def test_check_one_slot_tests_exactly_that_slot(keybox_cli, tmp_path: Path) -> None:
    keyring_slot, passphrase_slot = _slot_of(keybox_cli, "keyring"), \
        _slot_of(keybox_cli, "passphrase")
    r = keybox_cli("keybox", "check", "--unlock", "--slot", passphrase_slot[:6],
                   "--passphrase-stdin", stdin="not it\n")
    assert r.code == 5 and "wrong passphrase" in r.err
    r = keybox_cli("keybox", "check", "--unlock", "--slot", passphrase_slot,
                   "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert r.code == 0 and "recovery passphrase unlocks the keybox" in r.out
    r = keybox_cli("keybox", "check", "--unlock", "--slot", keyring_slot)
    assert r.code == 0 and "OS keyring unlocks the keybox" in r.out
    r = keybox_cli("keybox", "check", "--unlock", "--slot", "ffff")
    assert r.code == 2 and "no single key slot" in r.err
    r = keybox_cli("keybox", "check", "--slot", passphrase_slot)
    assert r.code == 2 and "--unlock" in r.err


def test_core_test_slot_compares_without_changing_anything(memory_keyring) -> None:  # type: ignore[no-untyped-def]
    from vaultapp.core.errors import KeyboxLockedError
    from vaultapp.core.keybox import Keybox

    url = f"sqlite:///{os.environ['VAULTAPP_HOME']}/k.sqlite"
    box = Keybox.create(url, passphrase=PASSPHRASE)
    slot = next(s for s in box.slots() if s.kind == "passphrase")
    marker = box.change_marker()
    assert box.test_slot(slot.slot_id, PASSPHRASE).slot_id == slot.slot_id
    with pytest.raises(KeyboxLockedError, match="wrong passphrase"):
        box.test_slot(slot.slot_id, "nope")
    assert box.change_marker() == marker
    box.close()


# --- slots you cannot lose by accident -------------------------------------------------------

def test_removing_the_last_portable_slot_needs_yes(keybox_cli) -> None:
    passphrase_slot = _slot_of(keybox_cli, "passphrase")
    r = keybox_cli("slot", "remove", passphrase_slot)
    assert r.code == 1
    assert "last key slot that does not depend on this machine" in r.err and "--yes" in r.err
    assert passphrase_slot in [s["slot_id"] for s in _slots(keybox_cli)]
    r = keybox_cli("slot", "remove", passphrase_slot, "--yes")
    assert r.code == 0
    assert [s["kind"] for s in _slots(keybox_cli)] == ["keyring"]


def test_a_second_passphrase_makes_the_first_removable_and_labels_are_unique(
        keybox_cli) -> None:
    r = keybox_cli("slot", "add-passphrase", "--passphrase-stdin", stdin=SECOND + "\n")
    assert r.code == 0, r.err
    labels = [s["label"] for s in _slots(keybox_cli) if s["kind"] == "passphrase"]
    assert labels == ["recovery passphrase", "recovery passphrase 2"]
    first = _slot_of(keybox_cli, "passphrase")
    assert keybox_cli("slot", "remove", first).code == 0
    r = keybox_cli("slot", "add-passphrase", "--passphrase-stdin", "--label", "paper in safe",
                   stdin=PASSPHRASE + "\n")
    assert r.code == 0 and r.out.startswith("added passphrase slot ")
    slot = next(s for s in _slots(keybox_cli) if s["label"] == "paper in safe")
    assert slot["after_lock"] is True and slot["portable"] is True
    r = keybox_cli("slot", "rename", str(slot["slot_id"]), "envelope at the bank")
    assert r.code == 0
    assert "envelope at the bank" in [s["label"] for s in _slots(keybox_cli)]
    keyring = next(s for s in _slots(keybox_cli) if s["kind"] == "keyring")
    assert keyring["after_lock"] is False and keyring["portable"] is False
    r = keybox_cli("slot", "rename", str(slot["slot_id"]), "  ")
    assert r.code == 2
    r = keybox_cli("log", "--json")
    assert "slot.rename" in [e["action"] for e in json.loads(r.out)]


def test_a_renamed_slot_still_unlocks_after_the_pin(keybox_cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    slot = _slot_of(keybox_cli, "passphrase")
    assert keybox_cli("slot", "rename", slot, "kit").code == 0
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    r = keybox_cli("keybox", "check", "--unlock")
    assert r.code == 0, r.err


@pytest.mark.parametrize("weak", ["abc", "password123", "qwertyuiop"])
def test_one_strength_rule_for_every_new_passphrase(cli, memory_keyring, keybox_cli,
                                                    weak: str) -> None:
    """Before: 'abc' was refused on the first-run screen but taken by slot add-passphrase."""
    from vaultapp.core.strength import strength

    r = keybox_cli("slot", "add-passphrase", "--passphrase-stdin", stdin=weak + "\n")
    assert r.code == 2
    assert f"the passphrase is too weak: {strength(weak).summary}" in r.err
    assert len([s for s in _slots(keybox_cli) if s["kind"] == "passphrase"]) == 1


def test_init_applies_the_same_rule(cli, memory_keyring, isolated_home: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli("init", "--passphrase-stdin", stdin="abc\n")
    assert r.code == 2 and "too weak" in r.err
    assert not (isolated_home / "keybox.sqlite").exists()


def test_strength_summary_names_the_problem() -> None:
    from vaultapp.core.strength import MIN_SCORE, strength

    weak, strong = strength("abc"), strength(PASSPHRASE)
    assert not weak.ok and weak.score < MIN_SCORE and weak.summary.startswith("Too weak:")
    assert "abc" in weak.warning or weak.suggestions
    assert strong.ok and strong.summary in ("Good.", "Strong.")
    assert not strength("").ok


# --- profile delete ----------------------------------------------------------------------------

def test_profile_delete_refuses_to_lose_keys_without_yes(keybox_cli, tmp_path: Path) -> None:
    r = keybox_cli("profile", "delete", "acme")
    assert r.code == 1 and "1 key(s) that can open files" in r.err and "--yes" in r.err
    assert "acme" in keybox_cli("profile", "list").out
    r = keybox_cli("profile", "delete", "acme", "--yes")
    assert r.code == 0
    assert keybox_cli("profile", "list").out.strip() == ""
    assert keybox_cli("key", "list", "--json").out.strip() == "[]"
    r = keybox_cli("log", "--json")
    assert json.loads(r.out)[-1]["action"] == "profile.delete"
    r = keybox_cli("keybox", "check")
    assert r.code == 0, r.err


def test_profile_whose_keys_are_destroyed_is_deleted_without_asking(keybox_cli) -> None:
    key_id = json.loads(keybox_cli("key", "list", "--json").out)[0]["key_id"]
    assert keybox_cli("key", "destroy", key_id, "--after", "0", "--yes").code == 0
    r = keybox_cli("profile", "delete", "acme")
    assert r.code == 0, r.err


# --- -o's traps, folders, --help ---------------------------------------------------------------

def test_output_with_a_trailing_slash_makes_a_folder(keybox_cli, tmp_path: Path) -> None:
    """Before: seal -o newdir/ f created a *file* named newdir."""
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("a")
    b.write_text("b")
    out = tmp_path / "newdir"
    r = keybox_cli("seal", "-o", f"{out}/", str(a), str(b))
    assert r.code == 0, r.err
    assert out.is_dir() and sorted(p.name for p in out.iterdir()) == ["a.txt.vault",
                                                                    "b.txt.vault"]
    (tmp_path / "plainfile").write_text("x")
    r = keybox_cli("seal", "-o", f"{tmp_path / 'plainfile'}/", str(a))
    assert r.code == 2 and "not a folder" in r.err


def test_seal_of_a_folder_seals_every_file_under_it(keybox_cli, tmp_path: Path) -> None:
    """Before: seal FOLDER refused, though the window seals folders recursively."""
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "one.txt").write_text("1")
    (tree / "sub" / "two.txt").write_text("2")
    r = keybox_cli("seal", str(tree))
    assert r.code == 0, r.err
    assert (tree / "one.txt.vault").is_file() and (tree / "sub" / "two.txt.vault").is_file()
    (tmp_path / "empty").mkdir()
    r = keybox_cli("seal", str(tmp_path / "empty"))
    assert r.code == 2 and "the folder has no files" in r.err


def test_a_damaged_vault_named_file_is_refused_not_sealed_again(keybox_cli,
                                                                  tmp_path: Path) -> None:
    """A file named .vault whose content is not a sealed file: the window's drop (AUTO)
    opens it and refuses it as the command line does, never making X.vault.vault."""
    from vaultapp.core import jobs

    fake = tmp_path / "report.vault"
    fake.write_bytes(b"just some bytes")
    item = jobs.plan_files([fake], jobs.AUTO, resolver=_NoKeys())
    assert item.items[0].mode == jobs.OPEN and item.items[0].error is not None
    age = tmp_path / "message.bin"
    age.write_bytes(b"age-encryption.org/v1\n-> X25519 abc\n")
    assert jobs.plan_files([age], jobs.AUTO, resolver=_NoKeys()).items[0].mode == jobs.OPEN
    plain = tmp_path / "notes.txt"
    plain.write_text("hello")
    assert jobs.plan_files([plain], jobs.AUTO, resolver=_NoKeys()).items[0].mode == jobs.SEAL


class _NoKeys:
    def resolve(self, profile_id: bytes, key_id: bytes) -> bytes | None:
        return None


def test_expand_paths_says_why_each_given_path_yields_nothing(tmp_path: Path) -> None:
    from vaultapp.core.jobs import Skipped, expand_paths

    (tmp_path / "empty").mkdir()
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "f").write_text("x")
    (tmp_path / "to-folder").symlink_to(tmp_path / "folder")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    (tmp_path / "file").write_text("x")
    (tmp_path / "to-file").symlink_to(tmp_path / "file")
    os.mkfifo(tmp_path / "fifo")
    skipped: list[Skipped] = []
    names = ["missing", "empty", "to-folder", "dangling", "fifo", "to-file", "folder"]
    files = expand_paths([tmp_path / n for n in names], skipped=skipped)
    assert files == [tmp_path / "to-file", tmp_path / "folder" / "f"]
    reasons = {Path(s.path).name: s.reason for s in skipped}
    assert reasons == {
        "missing": "it does not exist",
        "empty": "the folder has no files",
        "to-folder": "it is a link to a folder; links are not followed (drop the folder "
                     "itself)",
        "dangling": "it is a link to nothing",
        "fifo": "it is not a regular file (a FIFO, socket or device)",
    }


def _run(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) \
        -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "vaultapp", *args], input=stdin,
                          capture_output=True, env=env, cwd=ROOT, timeout=120)


def test_output_dash_is_standard_output_both_ways(cli, memory_keyring, tmp_path: Path,
                                                  isolated_home: Path) -> None:
    """Before: open -o - f.vault wrote the plaintext into a file named '-'."""
    env = dict(os.environ, VAULTAPP_HOME=str(isolated_home))
    env.pop("VAULTAPP_PASSPHRASE", None)
    assert _run("init", "--no-keyring", "--passphrase-stdin",
                stdin=PASSPHRASE.encode() + b"\n", env=env).returncode == 0
    env["VAULTAPP_PASSPHRASE"] = PASSPHRASE
    assert _run("profile", "create", "acme", env=env).returncode == 0
    data = os.urandom(200_000)
    src = tmp_path / "data.bin"
    src.write_bytes(data)
    sealed = _run("seal", "-o", "-", str(src), env=env)
    assert sealed.returncode == 0, sealed.stderr
    assert sealed.stdout.startswith(b"\x89VAULT")
    (tmp_path / "data.bin.vault").write_bytes(sealed.stdout)
    opened = _run("open", "-o", "-", str(tmp_path / "data.bin.vault"), env=env)
    assert opened.returncode == 0, opened.stderr
    assert opened.stdout == data
    assert not (ROOT / "-").exists() and not (tmp_path / "-").exists()
    tampered = bytearray(sealed.stdout)
    tampered[-5] ^= 1
    (tmp_path / "bad.vault").write_bytes(bytes(tampered))
    bad = _run("open", "-o", "-", str(tmp_path / "bad.vault"), env=env)
    assert bad.returncode == 3
    assert b"incomplete; discard it" in bad.stderr
    two = _run("open", "-o", "-", str(src), str(src), env=env)
    assert two.returncode == 2 and b"give one FILE" in two.stderr


@pytest.mark.parametrize("command", [[], ["seal"], ["slot", "remove"], ["keybox", "check"]])
def test_every_help_shows_the_exit_codes(cli, command: list[str]) -> None:
    r = cli(*command, "--help")
    assert r.code == 0
    assert "exit codes:" in r.out
    for code in range(7):
        assert f"\n  {code}  " in r.out


def test_gui_makes_paths_absolute_and_names_the_ones_it_could_not_hand_over(
        cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: `vaultapp gui missing.txt` said "handed to its window" and exited 0."""
    from vaultapp.gui import app

    given: list[list[Path]] = []
    monkeypatch.setattr(app, "run_gui", lambda keybox, files: given.append(files) or 0)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "here.txt").write_text("x")
    r = cli("gui", "here.txt", "missing.txt")
    assert r.code == 1
    assert given == [[tmp_path / "here.txt"]]
    assert f"{tmp_path / 'missing.txt'}: no such file or folder; it was not handed" in r.err
    assert cli("gui", "here.txt").code == 0
