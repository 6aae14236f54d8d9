"""The quick SQLite reader answers exactly as the full keybox service does.

`QuickKeybox` (stdlib sqlite3) serves the file commands and `key list` so that they
start without SQLAlchemy. These tests build keyboxes through the service, then ask both
readers the same questions: key listings with every state, unlocking, sealing keys,
resolving keys for opening, refusals and their words, and the audit rows it writes.
They also check every case in which it must hand over to the service instead.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from vaultapp.core.errors import KeyboxLockedError, KeyUnusableError, UsageError, VaultError
from vaultapp.core.keybox import quick
from vaultapp.core.keybox.quick import QuickKeybox
from vaultapp.core.keybox.service import Keybox
from vaultapp.core.keybox.timefmt import utcnow

PASSPHRASE = "correct horse"


@pytest.fixture
def url(tmp_path: Path, no_keyring: None) -> str:
    """A keybox with profiles 'acme' (keys in every state) and 'zeta', built by the service."""
    url = f"sqlite:///{tmp_path / 'keybox.sqlite'}"
    box = Keybox.create(url, use_keyring=False, passphrase=PASSPHRASE)
    try:
        box.create_profile("acme")
        k1 = box.keys("acme")[0].key_id
        box.record_sealed(bytes.fromhex(k1), 3, "acme")
        box.rotate("acme")
        k2 = box.keys("acme")[1].key_id
        box.rotate("acme")
        k3 = box.keys("acme")[2].key_id
        box.rotate("acme")
        box.disable(k1)
        box.schedule_destroy(k2, days=7)
        box.schedule_destroy(k3, days=0)
        box.create_profile("zeta", rotation_days=30)
        zeta = box.keys("zeta")[0].key_id
        box.record_sealed(bytes.fromhex(zeta), 2, "zeta")
    finally:
        box.close()
    return url


def open_quick(url: str, unlocking: bool = True) -> QuickKeybox:
    box = QuickKeybox.open(url, unlocking=unlocking)
    assert box is not None
    return box


def both(url: str) -> tuple[Keybox, QuickKeybox]:
    return Keybox.open(url), open_quick(url)


def error_text(call) -> tuple[type[BaseException], str]:  # type: ignore[no-untyped-def]
    with pytest.raises(VaultError) as info:
        call()
    return type(info.value), str(info.value)


def test_key_listing_is_the_same_for_every_state_and_profile(url: str) -> None:
    full, fast = both(url)
    try:
        states = {k.state for k in full.keys(None)}
        assert states == {"enabled", "disabled", "pending_destruction", "destroyed"}
        assert fast.keys() == full.keys()
        for name in ("acme", "zeta"):
            assert fast.keys(name) == full.keys(name)
        assert [k.files_sealed for k in fast.keys("acme")] == [3, 0, 0, 0]
        assert error_text(lambda: fast.keys("nope")) == error_text(lambda: full.keys("nope"))
    finally:
        full.close()
        fast.close()


def test_unlock_recipient_and_resolve_match_the_service(url: str) -> None:
    full, fast = both(url)
    try:
        assert fast.unlock(PASSPHRASE) == full.unlock(PASSPHRASE) == "recovery passphrase"
        for name in ("acme", "zeta"):
            assert fast.recipient(name) == full.recipient(name)
        assert fast.default_profile("acme") == "acme"
        assert error_text(lambda: fast.default_profile(None)) == \
            error_text(lambda: full.default_profile(None))
        for k in full.keys(None):
            pid, kid = bytes.fromhex(k.profile_id), bytes.fromhex(k.key_id)
            if k.state == "enabled":
                assert fast.resolve(pid, kid) == full.resolve(pid, kid)
                assert len(fast.resolve(pid, kid) or b"") == 32
            else:
                assert error_text(lambda: fast.resolve(pid, kid)) == \
                    error_text(lambda: full.resolve(pid, kid))  # noqa: B023
            assert fast.resolve(bytes(16), kid) is None  # another profile's id: not ours
        assert fast.resolve(bytes(16), bytes(16)) is None
        assert error_text(lambda: fast.recipient("nope")) == \
            error_text(lambda: full.recipient("nope"))
    finally:
        full.close()
        fast.close()


def test_a_disabled_primary_refuses_to_seal_in_the_same_words(url: str) -> None:
    full = Keybox.open(url)
    full.unlock(PASSPHRASE)
    full.disable(full.profile("zeta").primary_key_id or "")
    fast = open_quick(url)
    fast.unlock(PASSPHRASE)
    try:
        kind, text = error_text(lambda: fast.recipient("zeta"))
        assert kind is KeyUnusableError and "disabled" in text
        assert (kind, text) == error_text(lambda: full.recipient("zeta"))
    finally:
        full.close()
        fast.close()


def test_a_wrong_passphrase_fails_in_the_same_words(url: str) -> None:
    full, fast = both(url)
    try:
        kind, text = error_text(lambda: fast.unlock("wrong"))
        assert kind is KeyboxLockedError and "recovery passphrase" in text
        assert (kind, text) == error_text(lambda: full.unlock("wrong"))
        assert not fast.is_unlocked
        with pytest.raises(KeyboxLockedError):
            fast.recipient("acme")
    finally:
        full.close()
        fast.close()


def test_recorded_seals_read_back_through_the_service(url: str) -> None:
    fast = open_quick(url)
    fast.unlock(PASSPHRASE)
    target = fast.recipient("zeta")
    before = utcnow()
    fast.record_sealed(target.key_id, 5, "zeta")
    fast.record_sealed(target.key_id, 0, "zeta")  # nothing sealed: no row
    fast.close()
    full = Keybox.open(url)
    try:
        last = full.audit_log()[-1]
        assert (last.action, last.profile, last.key_id, last.files) == \
            ("seal", "zeta", target.key_id.hex(), 5)
        assert last.details == "5 file(s) sealed" and "@" in last.actor
        assert before - timedelta(seconds=1) <= last.at <= utcnow()
        assert full.keys("zeta")[0].files_sealed == 7
    finally:
        full.close()


def test_resolving_from_many_threads_shares_one_connection_safely(url: str) -> None:
    fast = open_quick(url)
    fast.unlock(PASSPHRASE)
    key = next(k for k in fast.keys("zeta"))
    pid, kid = bytes.fromhex(key.profile_id), bytes.fromhex(key.key_id)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(200):
                fast._resolved.clear()  # force a database read every time
                assert fast.resolve(pid, kid) is not None
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    fast.close()
    assert errors == []


def test_a_busy_keybox_is_reported_not_hung(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quick, "BUSY_TIMEOUT_S", 0.2)
    fast = open_quick(url)
    fast.unlock(PASSPHRASE)
    target = fast.recipient("zeta")
    holder = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        _, text = error_text(lambda: fast.record_sealed(target.key_id, 1, "zeta"))
        assert "stayed busy" in text
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    fast.record_sealed(target.key_id, 1, "zeta")  # the connection is usable again
    fast.close()


# --- when the full service takes over -----------------------------------------------------

def test_not_a_sqlite_file_or_not_a_keybox_goes_to_the_service(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not a database at all" * 100)
    plain_db = tmp_path / "plain.sqlite"
    sqlite3.connect(plain_db).execute("CREATE TABLE t (x)").connection.commit()
    for url in ("postgresql+psycopg://u@localhost/db", f"sqlite:///{tmp_path / 'missing'}",
                f"sqlite:///{empty}", f"sqlite:///{garbage}", f"sqlite:///{plain_db}",
                f"sqlite:///{tmp_path}"):
        assert QuickKeybox.open(url, unlocking=False) is None, url
    assert garbage.read_bytes() == b"not a database at all" * 100  # nothing written


def test_an_older_schema_goes_to_the_service_which_migrates_it(url: str) -> None:
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0000'")
    assert QuickKeybox.open(url, unlocking=False) is None


def test_due_destruction_goes_to_the_service_only_when_unlocking(url: str) -> None:
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE profile_keys SET destroy_after = '2000-01-01 00:00:00.000000' "
                     "WHERE state = 'pending_destruction'")
    assert QuickKeybox.open(url, unlocking=True) is None
    listing = open_quick(url, unlocking=False)  # key list does not unlock: it may read
    listing.close()


def test_overdue_rotation_goes_to_the_service_when_unlocking(url: str) -> None:
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE profile_keys SET created_at = '2000-01-01 00:00:00.000000' "
                     "WHERE is_primary AND profile_id = "
                     "(SELECT profile_id FROM profiles WHERE name = 'zeta')")
    assert QuickKeybox.open(url, unlocking=True) is None
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE profiles SET rotation_days = NULL")
    box = open_quick(url)
    box.close()


# --- the command line uses it, and stays free of SQLAlchemy ---------------------------------

def test_seal_open_and_key_list_run_without_sqlalchemy(url: str, tmp_path: Path) -> None:
    plain = tmp_path / "note.txt"
    plain.write_bytes(b"quick and small\n")
    out = tmp_path / "out"
    out.mkdir()
    keybox = url.removeprefix("sqlite:///")
    steps = [["seal", "--profile", "zeta", str(plain)], ["open", str(plain) + ".vault", "-o",
             str(out)], ["verify", str(plain) + ".vault"], ["key", "list", "--profile", "acme"]]
    for args in steps:
        code = (
            "import sys\nfrom vaultapp.cli import main\n"
            f"rc = main(['--keybox', {keybox!r}, *{args!r}])\n"
            "heavy = [m for m in ('sqlalchemy', 'alembic', 'PySide6', 'boto3') "
            "if m in sys.modules]\n"
            "print('HEAVY', heavy)\nsys.exit(rc or (1 if heavy else 0))\n"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                timeout=60, env={**os.environ, "VAULTAPP_PASSPHRASE": PASSPHRASE})
        assert result.returncode == 0 and "HEAVY []" in result.stdout, result
    assert (out / "note.txt").read_bytes() == b"quick and small\n"


def test_a_refused_seal_through_the_quick_path_keeps_the_exit_code(  # type: ignore[no-untyped-def]
        url: str, cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    plain = tmp_path / "a.txt"
    plain.write_bytes(b"a")
    keybox = url.removeprefix("sqlite:///")
    assert cli("--keybox", keybox, "seal", str(plain)).code == 2  # two profiles: choose one
    assert not (tmp_path / "a.txt.vault").exists()
    with pytest.raises(UsageError):
        open_quick(url).default_profile(None)
