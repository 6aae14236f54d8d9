"""The command-line contract of docs/ARCHITECTURE.md, beyond the key lifecycle (test_lifecycle.py).

Everything runs in-process through `vaultapp.cli.main` with an in-memory keyring and the
cheap KDF: keybox creation and unlocking, seal/open/verify/inspect/rewrap with their
output rules and exit codes, profiles, key slots, the default profile, files that are
not ours, and secrets hygiene over a whole session.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import sqlite3
import sys
from pathlib import Path

import keyring
import pytest

import vaultapp
from tests.conftest import PASSPHRASE, MemoryKeyring
from vaultapp.core import age
from vaultapp.core.atomic import TEMP_PREFIX

HEX = set("0123456789abcdef")


pytestmark = pytest.mark.usefixtures("no_disk_flush", "cached_argparse_messages")


# --- helpers --------------------------------------------------------------------------

def as_json(result) -> object:  # type: ignore[no-untyped-def]
    assert result.code == 0, result.err
    return json.loads(result.out)


def keybox_path(home: Path) -> Path:
    return home / "keybox.sqlite"


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def temp_leftovers(folder: Path) -> list[str]:
    return [name for name in listing(folder) if name.startswith(TEMP_PREFIX)]


def inspect_json(cli, path: Path) -> dict:  # type: ignore[no-untyped-def]
    facts = as_json(cli("inspect", str(path), "--json"))
    assert isinstance(facts, dict)
    return facts


def primary_key_id(cli, profile: str = "acme") -> str:  # type: ignore[no-untyped-def]
    keys = as_json(cli("key", "list", "--profile", profile, "--json"))
    assert isinstance(keys, list)
    return next(k["key_id"] for k in keys if k["primary"])


def use_fresh_keyring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    """From now on the OS keyring is a new, empty one (another machine or user)."""
    backend = MemoryKeyring()
    monkeypatch.setattr(keyring, "get_keyring", lambda: backend)
    return backend


def init_passphrase_only(cli, passphrase: str = PASSPHRASE) -> None:  # type: ignore[no-untyped-def]
    r = cli("init", "--no-keyring", "--passphrase-stdin", stdin=passphrase + "\n")
    assert r.code == 0, r.err


def flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


# --- version and init ---------------------------------------------------------------------

def test_version(cli) -> None:
    r = cli("--version")
    assert r.code == 0
    assert r.out.strip() == f"vaultapp {vaultapp.__version__}"


def test_init_without_keyring_requires_a_passphrase(cli, memory_keyring,
                                                    isolated_home: Path) -> None:
    r = cli("init", "--no-keyring", stdin="")
    assert r.code == 2
    assert "passphrase" in r.err and "--passphrase-stdin" in r.err
    assert not keybox_path(isolated_home).exists()
    r = cli("init", "--no-keyring", "--passphrase-stdin", stdin="\n")  # an empty line
    assert r.code == 2
    assert not keybox_path(isolated_home).exists()


def test_init_without_keyring_with_passphrase_on_stdin(cli, memory_keyring, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    init_passphrase_only(cli)
    assert memory_keyring.store == {}  # nothing went into the OS keyring
    slots = as_json(cli("slot", "list", "--json"))
    assert [(s["kind"], s["label"]) for s in slots] == [("passphrase", "recovery passphrase")]
    r = cli("profile", "create", "acme")  # needs the passphrase to unlock
    assert r.code == 5
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    assert cli("profile", "create", "acme").code == 0
    plain = write(tmp_path / "a.txt", b"hello")
    assert cli("seal", str(plain)).code == 0
    plain.unlink()
    assert cli("open", str(tmp_path / "a.txt.vault")).code == 0
    assert plain.read_bytes() == b"hello"


def test_init_with_keyring_and_passphrase_on_stdin(cli, memory_keyring,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    r = cli("init", "--passphrase-stdin", stdin="recovery words\n")
    assert r.code == 0, r.err
    slots = as_json(cli("slot", "list", "--json"))
    assert [s["kind"] for s in slots] == ["keyring", "passphrase"]
    assert all(s["slot_id"] in r.out or s["label"] in r.out for s in slots)
    assert len(memory_keyring.store) == 1
    assert cli("profile", "create", "acme").code == 0  # the keyring unlocks
    use_fresh_keyring(monkeypatch)
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", "recovery words")
    assert cli("key", "rotate", "--profile", "acme").code == 0  # so does the passphrase


def test_init_without_a_keyring_suggests_no_keyring(cli, no_keyring,
                                                     isolated_home: Path) -> None:
    r = cli("init", stdin="")
    assert r.code == 1
    assert "--no-keyring" in r.err
    assert "Traceback" not in r.err
    assert not keybox_path(isolated_home).exists()


def test_init_twice_is_refused(keybox_cli, memory_keyring, isolated_home: Path) -> None:
    cli = keybox_cli
    before = (as_json(cli("slot", "list", "--json")), as_json(cli("profile", "list", "--json")),
              dict(memory_keyring.store))
    r = cli("init", stdin="")
    assert r.code == 1
    assert "already exists" in r.err and str(keybox_path(isolated_home)) in r.err
    after = (as_json(cli("slot", "list", "--json")), as_json(cli("profile", "list", "--json")),
             dict(memory_keyring.store))
    assert after == before
    assert cli("key", "rotate", "--profile", "acme").code == 0  # still unlocks


# --- unlocking ------------------------------------------------------------------------

def test_wrong_passphrase_with_only_a_passphrase_slot(cli, memory_keyring, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    init_passphrase_only(cli)
    (slot,) = as_json(cli("slot", "list", "--json"))
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", "not the passphrase")
    plain = write(tmp_path / "a.txt", b"hello")
    for args in (["profile", "create", "acme"], ["seal", str(plain)],
                 ["key", "rotate", "--profile", "x"]):
        r = cli(*args)
        assert r.code == 5, (args, r.err)
        assert slot["slot_id"] in r.err and slot["label"] in r.err
        assert "wrong passphrase" in r.err
        assert "not the passphrase" not in r.err + r.out
    assert not (tmp_path / "a.txt.vault").exists()
    assert as_json(cli("profile", "list", "--json")) == []


def test_keybox_copied_to_another_home_with_empty_keyring_is_locked(
        keybox_cli, tmp_path: Path, isolated_home: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    cli = keybox_cli
    plain = write(tmp_path / "a.txt", b"hello")
    assert cli("seal", str(plain)).code == 0
    other = tmp_path / "other-home"
    other.mkdir()
    for name in ("keybox.sqlite", "keybox.sqlite-wal", "keybox.sqlite-shm"):
        if (isolated_home / name).exists():
            shutil.copy2(isolated_home / name, other / name)
    monkeypatch.setenv("VAULTAPP_HOME", str(other))
    use_fresh_keyring(monkeypatch)
    slots = as_json(cli("slot", "list", "--json"))  # listing needs no unlock
    assert sorted(s["kind"] for s in slots) == ["keyring", "passphrase"]
    out = tmp_path / "out"
    out.mkdir()
    r = cli("open", "-o", str(out), str(tmp_path / "a.txt.vault"))
    assert r.code == 5
    assert str(keybox_path(other)) in r.err
    for s in slots:
        assert s["slot_id"] in r.err
    assert "no key for this keybox" in r.err and "no passphrase" in r.err
    assert listing(out) == []
    # The recovery passphrase still opens the copy.
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    r = cli("open", "-o", str(out), str(tmp_path / "a.txt.vault"))
    assert r.code == 0, r.err
    assert (out / "a.txt").read_bytes() == b"hello"


# --- seal and open: outputs -------------------------------------------------------------

def test_seal_and_open_beside_the_inputs(keybox_cli, tmp_path: Path) -> None:
    cli = keybox_cli
    plain = write(tmp_path / "report.txt", b"first version")
    os.utime(plain, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    r = cli("seal", str(plain))
    assert r.code == 0, r.err
    sealed = tmp_path / "report.txt.vault"
    assert str(sealed) in r.out
    assert plain.read_bytes() == b"first version"  # the input is untouched
    # Opening beside the input would overwrite report.txt: refused without --force.
    plain.write_bytes(b"edited meanwhile")
    r = cli("open", str(sealed))
    assert r.code == 1
    assert "already exists" in r.err and "--force" in r.err
    assert plain.read_bytes() == b"edited meanwhile"
    r = cli("open", "--force", str(sealed))
    assert r.code == 0, r.err
    assert plain.read_bytes() == b"first version"
    assert plain.stat().st_mtime_ns == 1_600_000_000_000_000_000
    assert temp_leftovers(tmp_path) == []


def test_seal_and_open_several_files_into_a_folder(keybox_cli, tmp_path: Path) -> None:
    cli = keybox_cli
    files = [write(tmp_path / "in" / f"file{i}.bin", os.urandom(1000 * i)) for i in range(3)]
    sealed_dir, opened_dir = tmp_path / "sealed", tmp_path / "opened"
    sealed_dir.mkdir()
    opened_dir.mkdir()
    r = cli("seal", "-o", str(sealed_dir), *map(str, files))
    assert r.code == 0, r.err
    assert listing(sealed_dir) == ["file0.bin.vault", "file1.bin.vault", "file2.bin.vault"]
    assert listing(tmp_path / "in") == ["file0.bin", "file1.bin", "file2.bin"]
    # The names are restored from inside the sealed files, whatever they are called now.
    renamed = [p.rename(p.with_name(f"x{i}.vault"))
               for i, p in enumerate(sorted(sealed_dir.iterdir()))]
    r = cli("open", "-o", str(opened_dir), *map(str, renamed))
    assert r.code == 0, r.err
    assert listing(opened_dir) == ["file0.bin", "file1.bin", "file2.bin"]
    for f in files:
        assert (opened_dir / f.name).read_bytes() == f.read_bytes()


@pytest.mark.skipif(sys.platform in ("win32", "darwin"),
                    reason="needs a file system that takes any bytes as a name")
def test_seal_of_a_name_that_is_not_utf8_fails_alone(keybox_cli, tmp_path: Path) -> None:
    """A name that is not UTF-8 cannot be stored: that file fails with exit 2 and the
    others of the same command are still sealed (failures are per file)."""
    from tests.support import procs

    bad = write(tmp_path / "in" / os.fsdecode(b"bad\xff.txt"), b"x")
    good = write(tmp_path / "in" / "good.txt", b"fine")
    # A child process: its stderr escapes what is not UTF-8 (pytest's capture would not).
    env = {**os.environ, "VAULTAPP_PASSPHRASE": PASSPHRASE}
    code, _out, err = procs.finish(procs.start_vaultapp("seal", bad, good, env=env))
    assert code == 2, err
    assert "not valid UTF-8" in err and "Traceback" not in err
    assert listing(tmp_path / "in") == sorted([bad.name, "good.txt", "good.txt.vault"])


def test_output_as_a_file_path(keybox_cli, tmp_path: Path) -> None:
    cli = keybox_cli
    plain = write(tmp_path / "a.txt", b"content")
    target = tmp_path / "custom.bin"
    assert cli("seal", "-o", str(target), str(plain)).code == 0
    assert target.exists() and not (tmp_path / "a.txt.vault").exists()
    back = tmp_path / "back.dat"
    r = cli("open", "-o", str(back), str(target))
    assert r.code == 0, r.err
    assert back.read_bytes() == b"content"


def test_output_file_path_with_several_inputs_is_a_usage_error(keybox_cli,
                                                               tmp_path: Path) -> None:
    cli = keybox_cli
    a, b = write(tmp_path / "a.txt", b"a"), write(tmp_path / "b.txt", b"b")
    for command in ("seal", "open"):
        r = cli(command, "-o", str(tmp_path / "nope"), str(a), str(b))
        assert r.code == 2, (command, r.err)
        assert "-o" in r.err
    assert listing(tmp_path) == ["a.txt", "b.txt", "vaultapp-home"]


def test_existing_output_is_never_replaced_without_force(keybox_cli, tmp_path: Path) -> None:
    cli = keybox_cli
    a, b = write(tmp_path / "a.txt", b"a"), write(tmp_path / "b.txt", b"b")
    precious = write(tmp_path / "a.txt.vault", b"precious, not a sealed file")
    r = cli("seal", str(a), str(b))
    assert r.code == 1
    assert str(precious) in r.err and "already exists" in r.err
    assert precious.read_bytes() == b"precious, not a sealed file"
    assert (tmp_path / "b.txt.vault").exists()  # the other file was still sealed
    assert temp_leftovers(tmp_path) == []
    # -o to an existing file path is refused the same way.
    r = cli("seal", "-o", str(precious), str(a))
    assert r.code == 1
    assert precious.read_bytes() == b"precious, not a sealed file"
    r = cli("seal", "--force", str(a))
    assert r.code == 0, r.err
    assert inspect_json(cli, precious)["format_version"] == 1
    assert cli("open", "-o", str(tmp_path), str(precious)).code == 1  # a.txt exists there
    assert a.read_bytes() == b"a"


def test_missing_input_is_an_error_and_writes_nothing(keybox_cli, tmp_path: Path) -> None:
    r = keybox_cli("seal", str(tmp_path / "missing.txt"))
    assert r.code == 1
    assert "missing.txt" in r.err and "does not exist" in r.err
    assert listing(tmp_path) == ["vaultapp-home"]


# --- integrity ------------------------------------------------------------------------------

def test_tampered_sealed_file_exits_3_and_writes_nothing(keybox_cli, tmp_path: Path) -> None:
    cli = keybox_cli
    plain = write(tmp_path / "in" / "data.bin", os.urandom(200_000))
    assert cli("seal", "-o", str(tmp_path), str(plain)).code == 0
    good = (tmp_path / "data.bin.vault").read_bytes()
    header_size = inspect_json(cli, tmp_path / "data.bin.vault")["header_size"]
    out = tmp_path / "out"
    out.mkdir()
    cases = {
        "payload": lambda p: flip(p, len(good) - 100),
        "wrapped key": lambda p: flip(p, header_size - 40),
        "salt": lambda p: flip(p, 20),
        "header mac": lambda p: flip(p, header_size - 1),
        "truncated": lambda p: p.write_bytes(good[:-17]),
        "appended": lambda p: p.write_bytes(good + b"\0"),
    }
    for name, damage in cases.items():
        victim = tmp_path / f"{name}.vault"
        victim.write_bytes(good)
        damage(victim)
        damaged = victim.read_bytes()
        for args in (["open", "-o", str(out), str(victim)], ["verify", str(victim)]):
            r = cli(*args)
            assert r.code == 3, (name, args, r.err)
            assert "nothing was written" in r.err or "tampered" in r.err
        assert listing(out) == [], name
        assert victim.read_bytes() == damaged  # the input is never touched on failure
    assert temp_leftovers(tmp_path) == [] and temp_leftovers(out) == []


def test_file_that_is_not_sealed_exits_3(keybox_cli, tmp_path: Path) -> None:
    cli = keybox_cli
    out = tmp_path / "out"
    out.mkdir()
    for name, data in (("plain.txt", b"just some text\n" * 10), ("empty.vault", b""),
                       ("short.vault", b"\x89VAULT")):
        path = write(tmp_path / name, data)
        for args in (["open", "-o", str(out), str(path)], ["verify", str(path)],
                     ["inspect", str(path)], ["rewrap", str(path)]):
            r = cli(*args)
            assert r.code == 3, (name, args, r.err)
            assert "not a vaultapp sealed file" in r.err
        assert path.read_bytes() == data
    assert listing(out) == []


def test_unknown_format_version_exits_3_and_names_the_version(keybox_cli,
                                                              tmp_path: Path) -> None:
    cli = keybox_cli
    plain = write(tmp_path / "a.txt", b"content")
    assert cli("seal", str(plain)).code == 0
    data = bytearray((tmp_path / "a.txt.vault").read_bytes())
    out = tmp_path / "out"
    out.mkdir()
    for version in (2, 258):
        data[8:10] = version.to_bytes(2, "big")
        path = write(tmp_path / f"v{version}.vault", bytes(data))
        for args in (["open", "-o", str(out), str(path)], ["verify", str(path)],
                     ["inspect", str(path), "--json"], ["rewrap", str(path)]):
            r = cli(*args)
            assert r.code == 3, (version, args, r.err)
            assert f"version {version}" in r.err
    assert listing(out) == []


def test_file_of_another_keybox_exits_3(keybox_cli, tmp_path: Path) -> None:
    cli = keybox_cli
    other = tmp_path / "other.sqlite"
    assert cli("--keybox", str(other), "init", stdin="").code == 0
    assert cli("--keybox", str(other), "profile", "create", "acme").code == 0  # same name
    plain = write(tmp_path / "a.txt", b"theirs")
    assert cli("--keybox", str(other), "seal", "-o", str(tmp_path / "theirs.vault"),
               str(plain)).code == 0
    out = tmp_path / "out"
    out.mkdir()
    for args in (["open", "-o", str(out), str(tmp_path / "theirs.vault")],
                 ["verify", str(tmp_path / "theirs.vault")]):
        r = cli(*args)
        assert r.code == 3, (args, r.err)
        assert "no key in this keybox" in r.err
    assert listing(out) == []
    r = cli("--keybox", str(other), "open", "-o", str(out), str(tmp_path / "theirs.vault"))
    assert r.code == 0, r.err


# --- inspect, verify, rewrap ----------------------------------------------------------------

def test_inspect_json_needs_no_keybox(keybox_cli, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    cli = keybox_cli
    (profile,) = as_json(cli("profile", "list", "--json"))
    plain = write(tmp_path / "a.txt", os.urandom(70_000))
    assert cli("seal", str(plain)).code == 0
    sealed = tmp_path / "a.txt.vault"
    monkeypatch.setenv("VAULTAPP_HOME", str(tmp_path / "nowhere"))  # no keybox, no keys
    facts = inspect_json(cli, sealed)
    assert facts["format_version"] == 1
    assert facts["chunk_size"] == 65536
    assert facts["stanzas"] == [{"profile_id": profile["profile_id"],
                                 "key_id": profile["primary_key_id"]}]
    assert facts["file_size"] == sealed.stat().st_size
    assert 0 < facts["header_size"] < facts["file_size"]
    text = cli("inspect", str(sealed))
    assert text.code == 0
    assert "format v1" in text.out and profile["primary_key_id"] in text.out
    assert not (tmp_path / "nowhere").exists()


def test_verify_authenticates_and_writes_nothing(keybox_cli, tmp_path: Path) -> None:
    cli = keybox_cli
    plain = write(tmp_path / "in" / "a.txt", os.urandom(100_000))
    assert cli("seal", "-o", str(tmp_path), str(plain)).code == 0
    sealed = tmp_path / "a.txt.vault"
    bad = write(tmp_path / "bad.vault", sealed.read_bytes()[:-1])
    before = listing(tmp_path)
    r = cli("verify", str(sealed))
    assert r.code == 0, r.err
    assert f"ok {sealed}" in r.out and "100000 bytes" in r.out
    r = cli("verify", str(bad), str(sealed))  # every file is checked; the failure decides
    assert r.code == 3
    assert f"ok {sealed}" in r.out and str(bad) in r.err
    assert listing(tmp_path) == before


def test_rewrap_after_rotation(keybox_cli, tmp_path: Path) -> None:
    cli = keybox_cli
    plain = write(tmp_path / "in" / "a.bin", os.urandom(150_000))
    assert cli("seal", "-o", str(tmp_path), str(plain)).code == 0
    sealed = tmp_path / "a.bin.vault"
    old_key = primary_key_id(cli)
    before = sealed.read_bytes()
    header_size = inspect_json(cli, sealed)["header_size"]
    assert cli("key", "rotate", "--profile", "acme").code == 0
    new_key = primary_key_id(cli)
    r = cli("rewrap", str(sealed))
    assert r.code == 0, r.err
    assert old_key[:8] in r.out and new_key[:8] in r.out
    after = sealed.read_bytes()
    facts = inspect_json(cli, sealed)
    assert [s["key_id"] for s in facts["stanzas"]] == [new_key]
    assert facts["header_size"] == header_size and len(after) == len(before)
    assert after[header_size:] == before[header_size:]  # the payload is untouched
    assert after[:header_size] != before[:header_size]
    # It opens without the old key now.
    assert cli("key", "disable", old_key).code == 0
    out = tmp_path / "out"
    out.mkdir()
    r = cli("open", "-o", str(out), str(sealed))
    assert r.code == 0, r.err
    assert (out / "a.bin").read_bytes() == plain.read_bytes()
    r = cli("rewrap", str(sealed))
    assert r.code == 0
    assert "already" in r.out
    assert sealed.read_bytes() == after
    log = as_json(cli("log", "--json"))
    rewraps = [e for e in log if e["action"] == "rewrap"]
    assert [(e["key_id"], e["profile"]) for e in rewraps] == [(new_key, "acme")]
    assert old_key[:8] in rewraps[0]["details"]


# --- profiles ------------------------------------------------------------------------------

def test_profile_list_json_and_rename(keybox_cli, tmp_path: Path) -> None:
    cli = keybox_cli
    assert cli("profile", "create", "beta").code == 0
    profiles = as_json(cli("profile", "list", "--json"))
    assert [p["name"] for p in profiles] == ["acme", "beta"]
    keys = as_json(cli("key", "list", "--json"))
    for p in profiles:
        assert {"name", "profile_id", "primary_key_id"} <= set(p)
        assert len(p["profile_id"]) == 32 and set(p["profile_id"]) <= HEX
        assert p["primary_key_id"] == next(k["key_id"] for k in keys
                                           if k["profile"] == p["name"] and k["primary"])
    text = cli("profile", "list")
    assert text.code == 0 and "acme" in text.out and "beta" in text.out

    plain = write(tmp_path / "a.txt", b"before the rename")
    assert cli("seal", "--profile", "acme", str(plain)).code == 0
    r = cli("profile", "rename", "acme", "acme-corp")
    assert r.code == 0, r.err
    renamed = as_json(cli("profile", "list", "--json"))
    assert [(p["name"], p["profile_id"], p["primary_key_id"]) for p in renamed] == [
        ("acme-corp", profiles[0]["profile_id"], profiles[0]["primary_key_id"]),
        ("beta", profiles[1]["profile_id"], profiles[1]["primary_key_id"])]
    assert cli("key", "list", "--profile", "acme", "--json").code == 2
    assert len(as_json(cli("key", "list", "--profile", "acme-corp", "--json"))) == 1
    assert cli("rewrap", str(tmp_path / "a.txt.vault")).code == 0  # finds the renamed profile
    plain.unlink()
    assert cli("open", str(tmp_path / "a.txt.vault")).code == 0  # old files still open
    assert plain.read_bytes() == b"before the rename"

    r = cli("profile", "rename", "acme-corp", "beta")
    assert r.code == 1 and "beta" in r.err and "already exists" in r.err
    r = cli("profile", "rename", "nobody", "someone")
    assert r.code == 2 and "nobody" in r.err
    r = cli("profile", "create", "beta")
    assert r.code == 1 and "already exists" in r.err
    assert [p["name"] for p in as_json(cli("profile", "list", "--json"))] == [
        "acme-corp", "beta"]


def test_profile_defaults_to_the_only_one(cli, memory_keyring, tmp_path: Path) -> None:
    assert cli("init", stdin="").code == 0
    plain = write(tmp_path / "a.txt", b"x")
    r = cli("seal", str(plain))
    assert r.code == 2 and "profile create" in r.err  # no profile yet
    assert cli("profile", "create", "acme").code == 0
    assert cli("seal", str(plain)).code == 0
    acme = as_json(cli("profile", "list", "--json"))[0]
    assert inspect_json(cli, tmp_path / "a.txt.vault")["stanzas"][0]["profile_id"] == (
        acme["profile_id"])
    assert cli("profile", "create", "beta").code == 0
    r = cli("seal", "--force", str(plain))
    assert r.code == 2
    assert "--profile" in r.err and "2 profiles" in r.err
    assert inspect_json(cli, tmp_path / "a.txt.vault")["stanzas"][0]["profile_id"] == (
        acme["profile_id"])  # nothing was replaced
    assert cli("seal", "--force", "--profile", "beta", str(plain)).code == 0
    assert inspect_json(cli, tmp_path / "a.txt.vault")["stanzas"][0]["profile_id"] != (
        acme["profile_id"])
    r = cli("seal", "--profile", "gamma", "-o", str(tmp_path / "g.vault"), str(plain))
    assert r.code == 2 and "gamma" in r.err
    assert not (tmp_path / "g.vault").exists()


# --- key slots -------------------------------------------------------------------------------

def test_slot_list_add_and_remove(keybox_cli, memory_keyring, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    cli = keybox_cli
    slots = as_json(cli("slot", "list", "--json"))
    assert sorted(s["kind"] for s in slots) == ["keyring", "passphrase"]
    for s in slots:
        assert {"slot_id", "kind", "label"} <= set(s)
        assert s["slot_id"] and set(s["slot_id"]) <= HEX and s["label"]
    keyring_slot = next(s for s in slots if s["kind"] == "keyring")
    first_passphrase = next(s for s in slots if s["kind"] == "passphrase")

    r = cli("slot", "add-passphrase", "--passphrase-stdin", stdin="second secret\n")
    assert r.code == 0, r.err
    slots = as_json(cli("slot", "list", "--json"))
    assert len(slots) == 3
    (second,) = [s for s in slots if s["slot_id"] not in
                 (keyring_slot["slot_id"], first_passphrase["slot_id"])]
    assert second["kind"] == "passphrase" and second["slot_id"] in r.out
    r = cli("slot", "add-passphrase", "--passphrase-stdin", stdin="\n")
    assert r.code == 2 and len(as_json(cli("slot", "list", "--json"))) == 3

    # Any one slot unlocks: with no keyring entry, the second passphrase alone works.
    plain = write(tmp_path / "a.txt", b"x")
    with monkeypatch.context() as m:
        use_fresh_keyring(m)
        m.setenv("VAULTAPP_PASSPHRASE", "second secret")
        r = cli("seal", str(plain))
        assert r.code == 0, r.err

    r = cli("slot", "remove", keyring_slot["slot_id"][:6])  # a unique prefix will do
    assert r.code == 0, r.err
    assert memory_keyring.store == {}  # the keyring entry went with the slot
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    assert cli("slot", "remove", "ffffffffffffffff0").code == 2  # no such slot
    assert cli("slot", "remove", first_passphrase["slot_id"]).code == 0
    assert cli("key", "rotate", "--profile", "acme").code == 5  # that passphrase is gone
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", "second secret")
    r = cli("slot", "remove", second["slot_id"])
    assert r.code == 1
    assert "last key slot" in r.err
    assert [s["slot_id"] for s in as_json(cli("slot", "list", "--json"))] == [
        second["slot_id"]]
    assert cli("key", "rotate", "--profile", "acme").code == 0
    actions = [e["action"] for e in as_json(cli("log", "--json"))]
    assert actions.count("slot.add") == 3 and actions.count("slot.remove") == 2


# --- secrets hygiene ----------------------------------------------------------------------

def forms(secret: bytes) -> dict[str, bytes]:
    """The ways a secret could leak: raw, hex (both cases) and base64 (both alphabets)."""
    return {
        "raw": secret,
        "hex": secret.hex().encode(),
        "HEX": secret.hex().upper().encode(),
        "base64": base64.b64encode(secret).rstrip(b"="),
        "base64url": base64.urlsafe_b64encode(secret).rstrip(b"="),
    }


def test_no_secret_reaches_disk_output_or_log(cli, memory_keyring, tmp_path: Path,
                                              isolated_home: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from vaultapp.core.keybox import Keybox
    from vaultapp.core.keybox.store import resolve_url

    second, wrong = "second passphrase for hygiene", "a wrong passphrase tried once"
    file_passphrase = "the passphrase of one age file"
    age_plaintext = os.urandom(48) + b"shared in an age file, and nowhere else"
    outputs: list[str] = []

    def run(*args: str, stdin: str | None = None, code: int = 0) -> None:
        r = cli(*args, stdin=stdin)
        outputs.extend([r.out, r.err])
        assert r.code == code, (args, r.err)

    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    run("init")
    monkeypatch.delenv("VAULTAPP_PASSPHRASE")
    # Keep a reader open so SQLite keeps its write-ahead log for us to scan as well.
    reader = sqlite3.connect(keybox_path(isolated_home))
    try:
        reader.execute("SELECT count(*) FROM key_slots").fetchone()
        run("profile", "create", "acme")
        run("profile", "create", "beta", "--rotate-every", "30")
        plain = write(tmp_path / "in" / "a.txt", b"plaintext " * 1000)
        run("seal", "--profile", "acme", "-o", str(tmp_path), str(plain))
        run("key", "rotate", "--profile", "acme")
        run("rewrap", str(tmp_path / "a.txt.vault"))
        run("seal", "--profile", "beta", "-o", str(tmp_path / "b.vault"), str(plain))
        run("verify", str(tmp_path / "a.txt.vault"), str(tmp_path / "b.vault"))
        run("open", "-o", str(tmp_path / "out.txt"), str(tmp_path / "a.txt.vault"))
        run("slot", "add-passphrase", "--passphrase-stdin", stdin=second + "\n")
        keys = as_json(cli("key", "list", "--json"))
        older = next(k["key_id"] for k in keys if not k["primary"])
        run("key", "disable", older)
        run("key", "enable", older)
        run("key", "destroy", older, "--after", "7")
        run("key", "cancel-destroy", older)
        run("key", "enable", older)
        run("profile", "rename", "beta", "beta-team")
        # Sharing: two identities, a contact, age files to them and with a passphrase.
        run("identity", "new")
        run("identity", "new", "classic", "--classic")
        run("contact", "add", "bob", age.HybridIdentity.generate().recipient().encode())
        shared_plain = write(tmp_path / "in" / "shared.bin", age_plaintext)
        run("seal", "--to", "me", "--to", "bob", "-o", str(tmp_path / "s.age"),
            str(shared_plain))
        run("seal", "--to", "classic", "--armor", "-o", str(tmp_path / "c.age"),
            str(shared_plain))
        run("seal", "--with-passphrase", "--passphrase-stdin", "-o", str(tmp_path / "p.age"),
            str(shared_plain), stdin=file_passphrase + "\n")
        run("open", "-o", str(tmp_path / "s.out"), str(tmp_path / "s.age"))
        run("open", "-o", str(tmp_path / "c.out"), str(tmp_path / "c.age"))
        run("open", "--passphrase-stdin", "-o", str(tmp_path / "p.out"),
            str(tmp_path / "p.age"), stdin=file_passphrase + "\n")
        run("open", "--passphrase-stdin", "-o", str(tmp_path / "q.out"),
            str(tmp_path / "p.age"), stdin=wrong + "\n", code=3)
        assert {(tmp_path / f"{n}.out").read_bytes() for n in "scp"} == {age_plaintext}
        with monkeypatch.context() as m:
            use_fresh_keyring(m)
            m.setenv("VAULTAPP_PASSPHRASE", wrong)
            run("key", "rotate", "--profile", "acme", code=5)
            m.setenv("VAULTAPP_PASSPHRASE", second)
            run("key", "rotate", "--profile", "acme")
        for args in (["key", "list"], ["key", "list", "--json"], ["profile", "list", "--json"],
                     ["slot", "list", "--json"], ["log"], ["log", "--json"],
                     ["inspect", str(tmp_path / "a.txt.vault"), "--json"],
                     ["identity", "list", "--json"], ["identity", "show"],
                     ["contact", "list"], ["inspect", str(tmp_path / "s.age"), "--json"]):
            run(*args)
        files = {p.name: p.read_bytes() for p in isolated_home.iterdir() if p.is_file()}
        audit_rows = reader.execute("SELECT * FROM audit_log").fetchall()
    finally:
        reader.close()
    assert "keybox.sqlite-wal" in files and len(files["keybox.sqlite-wal"]) > 0

    # The secrets, from the keyring entry and from the keybox itself.
    (stored,) = memory_keyring.store.values()
    root = base64.b64decode(stored)
    box = Keybox.open(resolve_url(None))
    try:
        box.unlock(PASSPHRASE, kinds=("passphrase",))
        assert bytes(box.require_root()) == root
        infos = box.keys()
        enabled = [k for k in infos if k.state == "enabled"]
        profile_keys = {k.key_id: box.resolve(bytes.fromhex(k.profile_id),
                                              bytes.fromhex(k.key_id)) for k in enabled}
        assert box.recipient("acme").key == profile_keys[primary_key_id(cli, "acme")]
        identities = {p.name: box.people.export_identity(p.name)
                      for p in box.people.identities()}
    finally:
        box.close()
    assert sorted(identities) == ["classic", "me"]
    assert len(profile_keys) == 4 and all(len(k or b"") == 32 for k in profile_keys.values())

    secrets: dict[str, bytes] = {}
    for label, value in [("root key", root)] + [(f"profile key {k[:8]}", v or b"")
                                                for k, v in profile_keys.items()]:
        secrets.update({f"{label} ({form})": data for form, data in forms(value).items()})
    for name, text in identities.items():  # the AGE-SECRET-KEY-… line and its seed
        line = text.strip().splitlines()[-1]
        secrets[f"identity {name}"] = line.encode()
        secrets[f"identity {name} (lowercase)"] = line.lower().encode()
        seed = age.parse_identity(line).secret_bytes
        secrets.update({f"identity {name} seed ({form})": data
                        for form, data in forms(seed).items()})
    secrets["age file plaintext"] = age_plaintext
    for label, phrase in (("passphrase", PASSPHRASE), ("second passphrase", second),
                          ("wrong passphrase", wrong), ("age file passphrase", file_passphrase)):
        secrets[label] = phrase.encode("utf-8")
        secrets[label + " (utf-16)"] = phrase.encode("utf-16-le")

    haystacks = {f"file {name}": data for name, data in files.items()}
    haystacks["command output"] = "\n".join(outputs).encode("utf-8")
    haystacks["audit log rows"] = repr(audit_rows).encode("utf-8")
    for p in [*tmp_path.glob("*.vault"), *tmp_path.glob("*.age")]:
        haystacks[f"sealed file {p.name}"] = p.read_bytes()
    assert len([h for h in haystacks if h.endswith(".age")]) == 3
    assert len(haystacks["command output"]) > 1000 and len(audit_rows) > 10
    leaks = [f"{secret} in {where}" for where, data in haystacks.items()
             for secret, value in secrets.items() if value in data]
    assert leaks == []


def test_open_says_when_the_stored_name_differs_from_the_sealed_files_name(  # type: ignore[no-untyped-def]
        keybox_cli, tmp_path: Path) -> None:
    """The sealer chooses the stored name: `invoice.pdf.vault` may open as something else
    beside it. The output line says so."""
    plain = tmp_path / "notes.txt"
    plain.write_bytes(b"n")
    assert keybox_cli("seal", str(plain)).code == 0
    plain.unlink()
    renamed = tmp_path / "invoice.pdf.vault"
    (tmp_path / "notes.txt.vault").rename(renamed)
    r = keybox_cli("open", str(renamed))
    assert r.code == 0, r.err
    assert r.out.strip().endswith(f"-> {tmp_path / 'notes.txt'} (the name stored in the file, "
                                  "not 'invoice.pdf')")
    (tmp_path / "notes.txt").unlink()
    r = keybox_cli("open", "-o", str(tmp_path / "chosen.txt"), str(renamed))
    assert r.code == 0 and "stored in the file" not in r.out  # a name the person chose
