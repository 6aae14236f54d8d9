"""Sharing with people from the command line: identities, contacts, `seal --to`,
`seal --with-passphrase`, `open` and `inspect` of age files, with two real keyboxes
(Alice's and Bob's) on disk. The age format itself is tested in tests/unit/core/age/ and
against the real `age` binary and typage in tests/integration/test_age_interop.py."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE

FILE_PASSPHRASE = "a long passphrase for one shared file"


@pytest.fixture
def two(cli, memory_keyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Alice's and Bob's keyboxes (keyring + passphrase), each with a default identity."""
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    boxes = {who: ["--keybox", str(tmp_path / f"{who}.sqlite")] for who in ("alice", "bob")}
    for kb in boxes.values():
        assert cli(*kb, "init").code == 0
    monkeypatch.delenv("VAULTAPP_PASSPHRASE")
    for kb in boxes.values():
        r = cli(*kb, "identity", "new")
        assert r.code == 0, r.err

    def run(who: str, *args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
        return cli(*boxes[who], *args, stdin=stdin)

    return run


def recipient(two, who: str) -> str:  # type: ignore[no-untyped-def]
    r = two(who, "identity", "show")
    assert r.code == 0, r.err
    return str(r.out.strip())


def test_identities_are_post_quantum_unless_classic(two) -> None:  # type: ignore[no-untyped-def]
    listed = json.loads(two("alice", "identity", "list", "--json").out)
    assert [(i["name"], i["kind"]) for i in listed] == [("me", "hybrid")]
    assert listed[0]["recipient"].startswith("age1pq1")
    assert recipient(two, "alice") == listed[0]["recipient"]  # alone on stdout
    r = two("alice", "identity", "new", "old-friends", "--classic")
    assert r.code == 0
    shown = two("alice", "identity", "show", "old-friends").out.strip()
    assert shown.startswith("age1") and not shown.startswith("age1pq1")
    assert two("alice", "identity", "show", "nobody").code == 2
    lines = two("alice", "identity", "list").out.splitlines()  # name, kind, recipient
    assert lines == [f"me\thybrid\t{listed[0]['recipient']}", f"old-friends\tx25519\t{shown}"]


def test_share_with_a_contact_and_open_it_there(two, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = two("alice", "contact", "add", "bob", recipient(two, "bob"))
    assert r.code == 0, r.err
    listed = json.loads(two("alice", "contact", "list", "--json").out)
    assert [(c["name"], c["kind"]) for c in listed] == [("bob", "hybrid")]
    plain = tmp_path / "plan.txt"
    data = os.urandom(70_000)
    plain.write_bytes(data)
    r = two("alice", "seal", "--to", "bob", str(plain))
    assert r.code == 0, r.err
    shared = tmp_path / "plan.txt.age"
    assert shared.read_bytes().startswith(b"age-encryption.org/v1\n-> mlkem768x25519 ")
    facts = json.loads(two("alice", "inspect", str(shared), "--json").out)
    assert facts["format"] == "age" and facts["post_quantum"] is True
    assert facts["stanzas"] == [{"type": "mlkem768x25519"}]
    said = two("alice", "inspect", str(shared)).out.splitlines()
    assert said == [f"{shared}: age file, 1 stanza(s); post-quantum (every recipient is "
                    "hybrid, or a passphrase)", "  mlkem768x25519"]
    plain.unlink()
    r = two("alice", "open", str(shared))  # Alice is not a recipient
    assert r.code == 3 and "none of this keybox's identities can open it" in r.err
    assert not plain.exists()
    r = two("bob", "open", str(shared))
    assert r.code == 0, r.err
    assert plain.read_bytes() == data


def test_a_keybox_without_an_identity_cannot_open_a_file_for_someone_else(
        cli, memory_keyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """As a file for another identity: exit 3, the same words, nothing written; the hint
    says how to make an identity."""
    from vaultapp.core import age, age_fileops

    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    assert cli("init").code == 0
    monkeypatch.delenv("VAULTAPP_PASSPHRASE")
    plain = tmp_path / "for-bob.txt"
    plain.write_text("not for this keybox\n")
    shared = age_fileops.share_file(plain, [age.HybridIdentity.generate().recipient()]).output
    plain.unlink()
    r = cli("open", str(shared))
    assert r.code == 3, r.err
    assert "none of this keybox's identities can open it; make one with 'vaultapp " \
           "identity new'" in r.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["for-bob.txt.age", "vaultapp-home"]


def test_contacts_are_renamed_and_removed(two, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bob = recipient(two, "bob")
    assert two("alice", "contact", "add", "bob", bob).code == 0
    r = two("alice", "contact", "rename", "bob", "robert")
    assert r.code == 0 and "renamed contact bob to robert" in r.out, r.out
    assert two("alice", "contact", "list").out == f"robert\thybrid\t{bob}\n"
    plain = tmp_path / "x.txt"
    plain.write_text("x")
    assert two("alice", "seal", "--to", "robert", str(plain)).code == 0
    r = two("alice", "contact", "remove", "robert")
    assert r.code == 0 and "removed contact robert" in r.out
    assert json.loads(two("alice", "contact", "list", "--json").out) == []
    r = two("alice", "contact", "remove", "robert")
    assert r.code == 2 and "see 'vaultapp contact list'" in r.err, r.err
    r = two("alice", "seal", "--to", "robert", "--force", str(plain))
    assert r.code == 2 and "'robert' is neither a contact" in r.err
    log = [e["action"] for e in json.loads(two("alice", "log", "--json").out)]
    assert {"contact.rename", "contact.remove"} <= set(log), log


def test_share_with_yourself_too_and_armored(two, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plain = tmp_path / "note.txt"
    plain.write_text("for both of us\n")
    r = two("alice", "seal", "--to", recipient(two, "bob"), "--to", "me", "--armor",
            str(plain))
    assert r.code == 0, r.err
    shared = tmp_path / "note.txt.age"
    assert shared.read_text().startswith("-----BEGIN AGE ENCRYPTED FILE-----")
    plain.unlink()
    for who in ("alice", "bob"):
        assert two(who, "open", str(shared)).code == 0
        assert plain.read_text() == "for both of us\n"
        plain.unlink()


def test_bad_recipients_and_mixed_kinds_are_usage_errors(two, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plain = tmp_path / "x.txt"
    plain.write_text("x")
    r = two("alice", "seal", "--to", "age1notarecipient", str(plain))
    assert r.code == 2 and "age1notarecipient" in r.err
    r = two("alice", "contact", "add", "eve", "ssh-ed25519 AAAA")
    assert r.code == 2 and "'ssh-ed25519 AAAA' is not a valid age recipient" in r.err
    r = two("alice", "seal", "--to", "stranger", str(plain))
    assert r.code == 2 and "'stranger' is neither a contact" in r.err
    assert two("alice", "identity", "new", "classic", "--classic").code == 0
    r = two("alice", "seal", "--to", "me", "--to", "classic", str(plain))
    assert r.code == 2 and "post-quantum and classic" in r.err
    assert not (tmp_path / "x.txt.age").exists()


def test_a_tampered_age_file_is_refused_and_nothing_written(two, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plain = tmp_path / "t.bin"
    plain.write_bytes(os.urandom(200_000))
    assert two("bob", "seal", "--to", "me", str(plain)).code == 0
    shared = tmp_path / "t.bin.age"
    raw = bytearray(shared.read_bytes())
    raw[-100] ^= 1
    shared.write_bytes(bytes(raw))
    plain.unlink()
    r = two("bob", "open", str(shared))
    assert r.code == 3
    assert not plain.exists() and [p.name for p in tmp_path.iterdir()
                                   if p.name.startswith(".vaultapp")] == []


def test_passphrase_files_round_trip_without_a_keybox(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plain = tmp_path / "letter.txt"
    plain.write_text("dear reader\n")
    r = cli("seal", "--with-passphrase", "--passphrase-stdin", str(plain),
            stdin="short\n")
    assert r.code == 2 and "too weak" in r.err
    r = cli("seal", "--with-passphrase", "--passphrase-stdin", str(plain),
            stdin=FILE_PASSPHRASE + "\n")
    assert r.code == 0, r.err
    shared = tmp_path / "letter.txt.age"
    assert b"-> scrypt " in shared.read_bytes()
    plain.unlink()
    r = cli("open", "--passphrase-stdin", str(shared), stdin="wrong passphrase\n")
    assert r.code == 3 and not plain.exists()
    assert "the passphrase is wrong" in r.err and "identities" not in r.err
    r = cli("open", "--passphrase-stdin", str(shared), stdin=FILE_PASSPHRASE + "\n")
    assert r.code == 0, r.err
    assert plain.read_text() == "dear reader\n"


def test_identity_export_asks_and_is_owner_only_and_imports(two, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "alice.key"
    r = two("alice", "identity", "export", "me", "-o", str(out))
    assert r.code == 2 and "--yes" in r.err and not out.exists()
    r = two("alice", "identity", "export", "me", "-o", str(out), "--yes")
    assert r.code == 0, r.err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_text().splitlines()[-1].startswith("AGE-SECRET-KEY-PQ-1")
    r = two("bob", "identity", "import", str(out), "--name", "alice's")
    assert r.code == 0, r.err
    assert two("bob", "identity", "show", "alice's").out.strip() == recipient(two, "alice")
    assert two("bob", "identity", "import", str(out)).code == 1  # already there
    log = json.loads(two("alice", "log", "--json").out)
    assert "identity.export" in [e["action"] for e in log]


def test_the_age_binary_opens_what_we_share_with_an_exported_classic_identity(
        two, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Debian's age (1.1) knows X25519, not the hybrid type: a classic identity."""
    assert two("alice", "identity", "new", "classic", "--classic").code == 0
    key = tmp_path / "classic.key"
    assert two("alice", "identity", "export", "classic", "-o", str(key), "--yes").code == 0
    plain = tmp_path / "for-age.txt"
    plain.write_text("read me with age\n")
    assert two("alice", "seal", "--to", "classic", str(plain)).code == 0
    done = subprocess.run(["age", "-d", "-i", str(key), str(tmp_path / "for-age.txt.age")],
                          capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == b"read me with age\n"
    facts = json.loads(two("alice", "inspect", str(tmp_path / "for-age.txt.age"),
                           "--json").out)
    assert facts["post_quantum"] is False and facts["stanzas"] == [{"type": "X25519"}]
    said = two("alice", "inspect", str(tmp_path / "for-age.txt.age")).out.splitlines()
    assert said == [f"{tmp_path / 'for-age.txt.age'}: age file, 1 stanza(s); not post-quantum "
                    "(a classic X25519 recipient: a future quantum computer could open it)",
                    "  X25519"]


@pytest.mark.parametrize("keybox", ["missing", "locked"])
def test_a_keybox_that_cannot_be_opened_fails_an_age_open_once(cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                               keybox: str) -> None:
    """With only age files the keybox is opened when the first one asks for identities
    (cmd_open); one that cannot be opened still fails the command with its own error,
    said once, and nothing is written."""
    from vaultapp.core import age, age_fileops

    kb = tmp_path / "box.sqlite"
    if keybox == "locked":  # a passphrase slot only, and no passphrase to be had
        assert cli("--keybox", str(kb), "init", "--no-keyring", "--passphrase-stdin",
                   stdin=PASSPHRASE + "\n").code == 0
    me = age.X25519Identity.generate()
    shared = []
    for name in ("a", "b"):
        (tmp_path / name).write_bytes(b"x" * 1000)
        shared.append(str(age_fileops.share_file(tmp_path / name, [me.recipient()]).output))
    out = tmp_path / "out"
    out.mkdir()
    r = cli("--keybox", str(kb), "open", "-o", str(out), *shared, stdin="")
    expected = "there is no keybox" if keybox == "missing" else "locked"
    assert (r.code, r.out) == (1 if keybox == "missing" else 5, ""), r.err
    assert r.err.count(expected) == 1 and r.err.count("vaultapp: error:") == 1, r.err
    assert list(out.iterdir()) == []


def test_the_keybox_opens_while_a_large_output_is_allocated(  # type: ignore[no-untyped-def]
        two, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`open` of age files only: the output's room is being allocated before the keybox
    is opened for the identities (the two overlap: benchmarks/README.md), once for all."""
    from vaultapp.core import age, age_fileops, atomic, helpers
    from vaultapp.core.age import spans
    from vaultapp.core.keybox import Keybox

    monkeypatch.setattr(spans, "MIN_SIZE", 0)  # small files take the large-file path
    monkeypatch.setattr(helpers, "spare_core", lambda: True)
    me = age.parse_recipient(recipient(two, "alice"))
    data = os.urandom(3 << 20)
    shared = []
    for name in ("a", "b"):
        (tmp_path / name).write_bytes(data)
        shared.append(str(age_fileops.share_file(tmp_path / name, [me]).output))
    events: list[str] = []
    allocate, open_box = atomic.allocate_ahead, Keybox.open.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(atomic, "allocate_ahead",
                        lambda *a: events.append("allocate") or allocate(*a))
    monkeypatch.setattr(Keybox, "open", classmethod(
        lambda cls, *a, **k: events.append("keybox") or open_box(cls, *a, **k)))
    out = tmp_path / "out"
    out.mkdir()
    r = two("alice", "open", "-o", str(out), *shared)
    assert r.code == 0, r.err
    assert events == ["allocate", "keybox", "allocate"]
    assert (out / "a").read_bytes() == data and (out / "b").read_bytes() == data
