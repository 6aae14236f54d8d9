"""A team keybox on a real PostgreSQL server (tests/support/pg.py starts one per test session).

Every keybox operation through the command line with `--keybox URL`; two users' processes
(separate VAULTAPP_HOME, one shared passphrase slot) sealing and opening each other's
files; four processes rotating at once; the audit log's append-only trigger; the Alembic
migration on PostgreSQL; the roles a team uses (a schema owner and members); and the
errors a person sees when the server is down or a lock is held too long.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from tests.support import pg
from tests.support.procs import CHILD_TIMEOUT_S, finish, start, start_vaultapp
from vaultapp.core.keybox import Keybox, integrity, service
from vaultapp.core.keybox import store as db
from vaultapp.core.keybox.schema import HEAD_REVISION, KeyboxMeta
from vaultapp.core.keybox.slots import KdfParams

pytestmark = pytest.mark.integration

postgres_server = pg.postgres_server
pg_database = pg.pg_database

PASSPHRASE = "team keybox passphrase"
FAST_KDF = KdfParams(8192, 1, 1)  # stored in the slot, so child processes unlock fast


def _dsn(url: str) -> str:
    return pg.psycopg_dsn(url)


def _child_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("VAULTAPP_KEYBOX", "VAULTAPP_PASSPHRASE")}
    return {**env, "VAULTAPP_HOME": str(home), **extra}


def _team_keybox(url: str, *profiles: str) -> None:
    box = Keybox.create(url, use_keyring=False, passphrase=PASSPHRASE, kdf=FAST_KDF)
    try:
        for name in profiles:
            box.create_profile(name)
    finally:
        box.close()


def _keys(cli, url: str, profile: str | None = None) -> list[dict]:  # type: ignore[no-untyped-def]
    r = cli("--keybox", url, "key", "list", "--json",
            *(["--profile", profile] if profile else []))
    assert r.code == 0, r.err
    return json.loads(r.out)


# --- every operation through the command line -----------------------------------------------

def test_every_keybox_operation_on_postgresql(cli, pg_database: str, tmp_path: Path,  # type: ignore[no-untyped-def]
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    url = pg_database
    kb = ("--keybox", url)
    r = cli(*kb, "init", "--no-keyring", "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert r.code == 0, r.err
    assert f"at {url}" in r.out
    assert cli(*kb, "init", "--no-keyring", "--passphrase-stdin",
               stdin=PASSPHRASE + "\n").code == 1  # never over an existing keybox
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)

    # profiles
    assert cli(*kb, "profile", "create", "acme").code == 0
    assert cli(*kb, "profile", "create", "beta", "--rotate-every", "30").code == 0
    assert cli(*kb, "profile", "create", "acme").code == 1  # unique names
    assert cli(*kb, "profile", "rename", "beta", "globex").code == 0
    r = cli(*kb, "profile", "list", "--json")
    profiles = {p["name"]: p for p in json.loads(r.out)}
    assert set(profiles) == {"acme", "globex"}
    assert all(p["primary_key_id"] for p in profiles.values())

    # seal, open, verify, inspect
    plain = tmp_path / "ledger.csv"
    content = b"id,amount\n1,100\n" * 1000
    plain.write_bytes(content)
    r = cli(*kb, "seal", "--profile", "acme", str(plain))
    assert r.code == 0, r.err
    sealed_v1 = tmp_path / "ledger.csv.vault"
    old_copy = tmp_path / "ledger-old.vault"
    old_copy.write_bytes(sealed_v1.read_bytes())
    plain.unlink()
    assert cli(*kb, "open", str(sealed_v1)).code == 0
    assert plain.read_bytes() == content
    assert cli(*kb, "verify", str(sealed_v1)).code == 0
    r = cli("inspect", "--json", str(sealed_v1))
    v1 = profiles["acme"]["primary_key_id"]
    assert json.loads(r.out)["stanzas"][0]["key_id"] == v1

    # rotate: v2 becomes primary, v1 still opens
    r = cli(*kb, "key", "rotate", "--profile", "acme")
    assert r.code == 0, r.err
    keys = _keys(cli, url, "acme")
    assert [(k["version"], k["primary"], k["state"]) for k in keys] == \
        [(1, False, "enabled"), (2, True, "enabled")]
    v2 = keys[1]["key_id"]
    assert cli(*kb, "open", "--force", str(sealed_v1)).code == 0
    # rewrap to the new primary
    assert cli(*kb, "rewrap", str(sealed_v1)).code == 0
    assert json.loads(cli("inspect", "--json", str(sealed_v1)).out)["stanzas"][0]["key_id"] \
        == v2

    # disable / enable (by prefix)
    assert cli(*kb, "key", "disable", v1[:8]).code == 0
    assert _keys(cli, url, "acme")[0]["state"] == "disabled"
    r = cli(*kb, "open", "--force", str(old_copy))
    assert r.code == 4 and "disabled" in r.err
    assert cli(*kb, "key", "enable", v1[:8]).code == 0
    assert cli(*kb, "open", "--force", str(old_copy)).code == 0

    # scheduled destruction, cancel, destroy at once
    assert cli(*kb, "key", "destroy", v1, "--after", "7").code == 0
    k1 = _keys(cli, url, "acme")[0]
    assert k1["state"] == "pending_destruction"
    assert cli(*kb, "key", "cancel-destroy", v1).code == 0
    assert _keys(cli, url, "acme")[0]["state"] == "disabled"
    assert cli(*kb, "key", "destroy", v1, "--after", "0", "--yes").code == 0
    assert _keys(cli, url, "acme")[0]["state"] == "destroyed"
    r = cli(*kb, "open", "--force", str(old_copy))
    assert r.code == 4 and "destroyed" in r.err
    assert cli(*kb, "open", "--force", str(sealed_v1)).code == 0  # rewrapped: still opens

    # slots
    r = cli(*kb, "slot", "add-passphrase", "--passphrase-stdin", stdin="second phrase\n")
    assert r.code == 0, r.err
    slots = json.loads(cli(*kb, "slot", "list", "--json").out)
    assert [s["kind"] for s in slots] == ["passphrase", "passphrase"]
    assert cli(*kb, "slot", "remove", slots[0]["slot_id"]).code == 0
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", "second phrase")
    assert cli(*kb, "key", "rotate", "--profile", "globex").code == 0
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    r = cli(*kb, "key", "rotate", "--profile", "globex")
    assert r.code == 5 and "wrong passphrase" in r.err

    # the audit log
    r = cli(*kb, "log", "--json")
    assert r.code == 0, r.err
    log = json.loads(r.out)
    actions = Counter(e["action"] for e in log)
    for action in ("keybox.create", "slot.add", "profile.create", "profile.rename",
                   "key.rotate", "key.disable", "key.enable", "key.schedule_destroy",
                   "key.cancel_destroy", "key.destroy", "seal", "rewrap", "slot.remove"):
        assert actions[action] >= 1, (action, actions)
    assert actions["key.rotate"] == 2 and actions["profile.create"] == 2
    assert all(e["at"].endswith("Z") for e in log)
    at = [datetime.fromisoformat(e["at"].replace("Z", "+00:00")) for e in log]
    assert at == sorted(at)
    assert abs(at[-1] - datetime.now(UTC)) < timedelta(minutes=5)  # stored as UTC


def test_work_due_at_unlock_runs_on_postgresql(cli, pg_database: str,  # type: ignore[no-untyped-def]
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Overdue rotation and ended waiting periods compare timestamps read back from
    PostgreSQL with now: both happen at the next unlock."""
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    kb = ("--keybox", pg_database)
    long_ago = datetime.now(UTC) - timedelta(days=31)
    with pytest.MonkeyPatch.context() as clock:  # made 31 days ago (edits would be tampering)
        clock.setattr(service, "utcnow", lambda: long_ago)
        _team_keybox(pg_database, "acme")
        assert cli(*kb, "profile", "set-rotation", "acme", "30").code == 0
        assert cli(*kb, "key", "rotate", "--profile", "acme").code == 0
        v1 = _keys(cli, pg_database)[0]["key_id"]
        assert cli(*kb, "key", "destroy", v1, "--after", "3").code == 0
    assert cli(*kb, "key", "rotate", "--profile", "acme").code == 0  # unlock runs due work
    keys = _keys(cli, pg_database)
    assert [(k["version"], k["state"], k["primary"]) for k in keys] == [
        (1, "destroyed", False), (2, "enabled", False), (3, "enabled", False),
        (4, "enabled", True)]
    actions = [(e["action"], e["actor"]) for e in json.loads(cli(*kb, "log", "--json").out)]
    assert ("key.rotate", "vaultapp (automatic)") in actions
    assert any(a == "key.destroy" for a, _ in actions)


# --- a team: two users' processes ----------------------------------------------------------------

def test_two_users_seal_and_open_each_others_files(pg_database: str, tmp_path: Path) -> None:
    _team_keybox(pg_database, "team")
    users = {}
    for name in ("alice", "bob"):
        home = tmp_path / f"home-{name}"
        work = tmp_path / f"work-{name}"
        work.mkdir()
        (work / f"{name}.txt").write_bytes(f"{name}'s numbers\n".encode() * 500)
        users[name] = (_child_env(home, VAULTAPP_PASSPHRASE=PASSPHRASE), work)

    observer = Keybox.open(pg_database)
    marker = observer.change_marker()
    # Both seal at the same time, each in their own process and data folder.
    procs = [start_vaultapp("--keybox", pg_database, "seal", work / f"{name}.txt", env=env)
             for name, (env, work) in users.items()]
    for proc in procs:
        code, _out, err = finish(proc)
        assert code == 0, err
    assert observer.change_marker() != marker  # what the window's 3 s poll looks at

    # Each opens the other's file (again both at once).
    pairs = (("alice", "bob"), ("bob", "alice"))
    procs = [start_vaultapp("--keybox", pg_database, "open", "-o", users[me][1],
                            users[other][1] / f"{other}.txt.vault", env=users[me][0])
             for me, other in pairs]
    for proc in procs:
        code, _out, err = finish(proc)
        assert code == 0, err
    for me, other in pairs:
        assert (users[me][1] / f"{other}.txt").read_bytes() == \
            (users[other][1] / f"{other}.txt").read_bytes()
    assert not (tmp_path / "home-alice" / "keybox.sqlite").exists()  # nothing local

    seals = [e for e in observer.audit_log() if e.action == "seal"]
    observer.close()
    assert len(seals) == 2 and all(e.files == 1 for e in seals)


def test_a_members_commit_between_the_checks_reads_is_not_called_tampering(
        pg_database: str) -> None:
    """The unlock check reads the state, then the audit log's newest row. Another member
    committing a seal in between (PostgreSQL's READ COMMITTED would show it to the second
    read) must not look like rows added outside vaultapp: a read session is one snapshot."""
    _team_keybox(pg_database, "team")
    reader, writer = Keybox.open(pg_database), Keybox.open(pg_database)
    try:
        reader.unlock(PASSPHRASE)
        writer.unlock(PASSPHRASE)
        keys = reader._keys
        assert keys is not None
        with reader._store.session() as s:
            meta = s.get(KeyboxMeta, 1)
            assert meta is not None
            writer.record_event("test.event", "a member's write")  # commits halfway
            integrity.verify(s, meta, keys, (0, 0))
        reader.verify_all()  # and a fresh check sees the new row, correctly linked
    finally:
        reader.close()
        writer.close()


# --- four processes rotating at once --------------------------------------------------------------

ROTATE_CHILD = r"""
import os, random, sys, time
from pathlib import Path
from vaultapp.core.keybox import Keybox

url, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ready, go = Path(sys.argv[4]), Path(sys.argv[5])
profiles = sys.argv[6:]
rng = random.Random(seed)
box = Keybox.open(url)
box.unlock(os.environ["VAULTAPP_PASSPHRASE"])
ready.touch()
deadline = time.monotonic() + 60
while not go.exists():
    if time.monotonic() > deadline:
        sys.exit("never got the go signal")
    time.sleep(0.002)
for i in range(count):
    profile = profiles[(i + seed) % len(profiles)]
    k = box.rotate(profile)
    print(profile, k.key_id, k.version, flush=True)
    time.sleep(rng.uniform(0, 0.02))
box.close()
"""


def test_concurrent_rotations_leave_one_primary_and_contiguous_versions(
        pg_database: str, tmp_path: Path) -> None:
    profiles = ("north", "south")
    _team_keybox(pg_database, *profiles)
    script = tmp_path / "rotate_child.py"
    script.write_text(ROTATE_CHILD)
    go = tmp_path / "go"
    count, workers = 8, 4
    env = _child_env(tmp_path / "home", VAULTAPP_PASSPHRASE=PASSPHRASE)
    procs, readies = [], []
    for i in range(workers):
        ready = tmp_path / f"ready-{i}"
        readies.append(ready)
        procs.append(start([sys.executable, str(script), pg_database, str(count), str(i),
                            str(ready), str(go), *profiles], env))
    deadline = time.monotonic() + CHILD_TIMEOUT_S
    while not all(r.exists() for r in readies):
        if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
            for p in procs:
                p.kill()
            pytest.fail("the rotating children did not all start: "
                        + " ".join(p.communicate()[1] for p in procs))
        time.sleep(0.01)
    go.touch()
    printed: list[tuple[str, str, int]] = []
    for proc in procs:
        code, out, err = finish(proc)
        assert code == 0, err
        assert "Traceback" not in err
        printed += [(p, k, int(v)) for p, k, v in (line.split() for line in out.splitlines())]
    assert len(printed) == count * workers

    with psycopg.connect(_dsn(pg_database)) as conn:
        rows = conn.execute(
            "SELECT p.name, k.key_id, k.version, k.is_primary FROM profile_keys k "
            "JOIN profiles p USING (profile_id) ORDER BY p.name, k.version").fetchall()
    for name in profiles:
        mine = [r for r in rows if r[0] == name]
        rotations = sum(1 for p, _, _ in printed if p == name)
        assert [r[2] for r in mine] == list(range(1, rotations + 2))  # contiguous, unique
        primaries = [r for r in mine if r[3]]
        assert len(primaries) == 1 and primaries[0][2] == rotations + 1
        reported = sorted(v for p, _, v in printed if p == name)
        assert reported == list(range(2, rotations + 2))  # each process saw its own version
    assert {k for _, k, _ in printed} <= {r[1] for r in rows}
    box = Keybox.open(pg_database)
    assert sum(1 for e in box.audit_log() if e.action == "key.rotate") == count * workers
    box.close()


# --- the audit log and the migration ------------------------------------------------------------

def test_audit_log_is_append_only_on_postgresql(pg_database: str) -> None:
    _team_keybox(pg_database, "acme")
    with psycopg.connect(_dsn(pg_database), autocommit=True) as conn:
        before = conn.execute("SELECT count(*) FROM audit_log").fetchone()
        for statement in ("UPDATE audit_log SET details = 'rewritten history'",
                          "DELETE FROM audit_log",
                          "DELETE FROM audit_log WHERE action = 'keybox.create'",
                          "TRUNCATE audit_log"):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                conn.execute(statement)
        assert conn.execute("SELECT count(*) FROM audit_log").fetchone() == before
        conn.execute("INSERT INTO audit_log (at, actor, action, files, details) "
                     "VALUES (now(), 'dba', 'note', 0, 'appending is fine')")
        assert conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before[0] + 1


def test_migration_runs_on_postgresql(pg_database: str) -> None:
    engine = db.make_engine(pg_database)
    try:
        assert db.current_revision(engine) is None
        db.migrate(engine)
        assert db.current_revision(engine) == HEAD_REVISION
        db.migrate(engine)  # at head: nothing to do
    finally:
        engine.dispose()
    with psycopg.connect(_dsn(pg_database)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == \
            [(HEAD_REVISION,)]
        tables = {r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        assert tables == {"alembic_version", "keybox_meta", "key_slots", "profiles",
                          "profile_keys", "audit_log", "key_secrets", "identities", "contacts"}
        index = conn.execute("SELECT indexdef FROM pg_indexes WHERE indexname = "
                             "'uq_one_primary_per_profile'").fetchone()
        assert index is not None and "UNIQUE" in index[0] and "WHERE is_primary" in index[0]
        triggers = {r[0] for r in conn.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass "
            "AND NOT tgisinternal")}
        assert "audit_log_append_only" in triggers
        types = dict(conn.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'profile_keys'").fetchall())
        assert types["wrapped_key"] == "bytea" and types["is_primary"] == "boolean"
        assert types["created_at"] == "timestamp without time zone"  # naive UTC

    # A keybox created on it works, and the database refuses a second primary itself.
    box = Keybox.create(pg_database, use_keyring=False, passphrase=PASSPHRASE, kdf=FAST_KDF)
    try:
        box.create_profile("acme")
        profile_id = box.profile("acme").profile_id
    finally:
        box.close()
    with psycopg.connect(_dsn(pg_database)) as conn, pytest.raises(psycopg.errors.UniqueViolation):
        conn.execute(
            "INSERT INTO profile_keys (key_id, profile_id, version, state, is_primary, "
            "created_at, state_changed_at) VALUES (%s, %s, 2, 'enabled', true, now(), now())",
            ("f" * 32, profile_id))


# --- backups with pg_dump ---------------------------------------------------------------------

def test_pg_dump_backup_restores_a_keybox_that_stays_protected(  # type: ignore[no-untyped-def]
        cli, pg_database: str, postgres_server: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy.engine import make_url

    _team_keybox(pg_database, "acme")
    box = Keybox.open(pg_database)
    box.unlock(PASSPHRASE)
    root_hex = bytes(box.require_root()).hex()
    box.close()
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    plain = tmp_path / "plan.txt"
    plain.write_bytes(b"the plan, backed up\n")
    assert cli("--keybox", pg_database, "seal", str(plain)).code == 0
    plain.unlink()

    url = make_url(pg_database)
    server = ["-h", str(url.host), "-p", str(url.port), "-U", str(url.username)]
    bindir = pg.find_pg_bin()
    dump = tmp_path / "keybox.sql"
    subprocess.run([str(bindir / "pg_dump"), *server, "--no-owner", "-f", str(dump),
                    str(url.database)], check=True, timeout=60, capture_output=True)
    text = dump.read_text()
    assert "audit_log_append_only" in text and "uq_one_primary_per_profile" in text
    assert root_hex not in text and PASSPHRASE not in text  # only wrapped keys in it

    with psycopg.connect(_dsn(postgres_server), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{url.database}_restored"')
    restored = pg_database + "_restored"
    subprocess.run([str(bindir / "psql"), *server, "-q", "-v", "ON_ERROR_STOP=1", "-f",
                    str(dump), f"{url.database}_restored"], check=True, timeout=60,
                   capture_output=True)
    monkeypatch.delenv("VAULTAPP_PASSPHRASE")
    r = cli("--keybox", restored, "open", str(plain) + ".vault")
    assert r.code == 5  # the copy is as locked as the original
    assert not plain.exists()
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    r = cli("--keybox", restored, "open", str(plain) + ".vault")
    assert r.code == 0, r.err
    assert plain.read_bytes() == b"the plan, backed up\n"
    with psycopg.connect(_dsn(restored), autocommit=True) as conn, \
            pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        conn.execute("DELETE FROM audit_log")


# --- roles: a schema owner and members ---------------------------------------------------------

MEMBER_GRANTS = """
GRANT CONNECT ON DATABASE {database} TO {member};
GRANT USAGE ON SCHEMA public TO {member};
GRANT SELECT ON alembic_version TO {member};
GRANT SELECT, INSERT, UPDATE ON keybox_meta, key_slots, profiles, profile_keys TO {member};
GRANT SELECT, INSERT, DELETE ON key_secrets TO {member};
GRANT DELETE ON key_slots TO {member};
GRANT SELECT, INSERT, UPDATE, DELETE ON identities, contacts TO {member};
GRANT SELECT, INSERT ON audit_log TO {member};
GRANT USAGE ON SEQUENCE audit_log_id_seq TO {member};
"""


def test_schema_owner_and_member_roles(cli, pg_database: str, tmp_path: Path,  # type: ignore[no-untyped-def]
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The grants docs/DISASTER-RECOVERY.md gives members are enough for everyday work,
    and no more: members cannot rewrite the audit log, switch its trigger off or drop
    tables. The schema owner creates the keybox (and runs migrations)."""
    database = pg_database.rsplit("/", 1)[1]
    suffix = database.rsplit("_", 1)[1]
    owner, member = f"keybox_owner_{suffix}", f"member_{suffix}"
    with psycopg.connect(_dsn(pg_database), autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {owner} LOGIN")
        conn.execute(f"CREATE ROLE {member} LOGIN")
        conn.execute(f'ALTER DATABASE "{database}" OWNER TO {owner}')
    owner_url = pg_database.replace("://vault@", f"://{owner}@")
    member_url = pg_database.replace("://vault@", f"://{member}@")

    _team_keybox(owner_url, "team")  # the owner creates the schema
    with psycopg.connect(_dsn(owner_url), autocommit=True) as conn:
        conn.execute(MEMBER_GRANTS.format(database=f'"{database}"', member=member))

    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    kb = ("--keybox", member_url)
    plain = tmp_path / "minutes.txt"
    plain.write_bytes(b"the meeting decided nothing\n")
    for args in (("profile", "create", "ops"), ("key", "rotate", "--profile", "team"),
                 ("seal", "--profile", "team", str(plain)),
                 ("open", "--force", str(plain) + ".vault")):
        r = cli(*kb, *args)
        assert r.code == 0, (args, r.err)
    v1 = _keys(cli, member_url, "team")[0]["key_id"]
    for args in (("key", "disable", v1), ("key", "enable", v1),
                 ("key", "destroy", v1, "--after", "0", "--yes"), ("log",)):
        r = cli(*kb, *args)
        assert r.code == 0, (args, r.err)
    r = cli(*kb, "slot", "add-passphrase", "--passphrase-stdin", stdin="member phrase\n")
    assert r.code == 0, r.err
    assert cli(*kb, "slot", "remove", r.out.split()[-1]).code == 0
    assert plain.read_bytes() == b"the meeting decided nothing\n"

    with psycopg.connect(_dsn(member_url), autocommit=True) as conn:
        for statement in ("UPDATE audit_log SET details = 'x'", "DELETE FROM audit_log",
                          "TRUNCATE audit_log", "ALTER TABLE audit_log DISABLE TRIGGER ALL",
                          "DROP TABLE profile_keys", "DELETE FROM profile_keys",
                          "UPDATE alembic_version SET version_num = 'x'"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)

    # What a member sees when the owner forgot a grant: what happened and what to do.
    with psycopg.connect(_dsn(owner_url), autocommit=True) as conn:
        conn.execute(f"REVOKE UPDATE ON profile_keys FROM {member}")
    r = cli(*kb, "key", "rotate", "--profile", "team")
    assert r.code == 1
    assert "may not do this" in r.err and "DISASTER-RECOVERY.md" in r.err
    assert "damaged" not in r.err


# --- what a person sees when the server is away or busy -------------------------------------

def test_unreachable_server_is_reported_as_such(cli) -> None:  # type: ignore[no-untyped-def]
    url = f"postgresql+psycopg://vault:s3cret@127.0.0.1:{pg.free_port()}/postgres"
    started = time.monotonic()
    for args in (("init", "--no-keyring", "--passphrase-stdin"), ("key", "list")):
        r = cli("--keybox", url, *args, stdin="x\n")
        assert r.code == 1
        assert "cannot reach the keybox database" in r.err
        assert "check that the server is running" in r.err
        assert "s3cret" not in r.err and "damaged" not in r.err
    assert time.monotonic() - started < 15


def test_a_lock_held_too_long_is_reported_not_waited_on_forever(  # type: ignore[no-untyped-def]
        cli, pg_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands wait for each other (the concurrency test); a lock held longer than the
    busy timeout (30 s in the product, 1 s here) ends in a clear error, not a hang."""
    _team_keybox(pg_database, "acme")
    monkeypatch.setattr(db, "BUSY_TIMEOUT_S", 1)
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    with psycopg.connect(_dsn(pg_database)) as holder:
        holder.execute("SELECT * FROM profiles WHERE name = 'acme' FOR UPDATE")
        started = time.monotonic()
        r = cli("--keybox", pg_database, "key", "rotate", "--profile", "acme")
        waited = time.monotonic() - started
        holder.rollback()
    assert r.code == 1
    assert "stayed busy for 1 s" in r.err
    assert 1 <= waited < 10
    assert cli("--keybox", pg_database, "key", "rotate", "--profile", "acme").code == 0


def test_missing_server_binaries_fail_the_fixture_not_skip_it(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(pg, "PREFERRED_BIN", str(tmp_path / "no-postgresql"))
    monkeypatch.setattr(pg.glob, "glob", lambda pattern: [])
    monkeypatch.setattr(pg.shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception, match=r"PostgreSQL server binaries \(initdb, "
                       r"pg_ctl\) were not found.*install-system-deps"):
        pg.find_pg_bin()
