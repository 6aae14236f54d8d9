"""A team keybox on PostgreSQL, recovered from its `pg_dump` by the independent reader.

The reader (tests/support/keybox_recovery_reader.py, written from docs/KEYBOX.md alone)
parses the dump's COPY blocks — bytea as `\\x…`, NULL as `\\N`, booleans `t`/`f`, and
timestamps with PostgreSQL's short fractions, normalised as KEYBOX.md 5.2 says — and
recovers the key material the product hands out, opens every file the product sealed,
and refuses a dump whose rows were edited.
"""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.adversarial.test_keybox_recovery import check_recovered
from tests.support import keybox_recovery_reader as reader
from tests.support import pg
from tests.support.keybox_scenario import build

pytestmark = pytest.mark.integration

postgres_server = pg.postgres_server
pg_database = pg.pg_database

PASSPHRASE = "team keybox passphrase"
# Fractions PostgreSQL prints shortened: none, one digit, two, four, all six.
FRACTIONS = (0, 500000, 60000, 123400, 123456)


@pytest.fixture
def short_fraction_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The keybox's clock ticks one second a call, each time with one of FRACTIONS."""
    from vaultapp.core.keybox import service

    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    calls = iter(range(1_000_000))

    def utcnow() -> datetime:
        n = next(calls)
        return start + timedelta(seconds=n, microseconds=FRACTIONS[n % len(FRACTIONS)])

    monkeypatch.setattr(service, "utcnow", utcnow)


def pg_dump(url: str, out: Path) -> str:
    u = make_url(url)
    subprocess.run([str(pg.find_pg_bin() / "pg_dump"), "-h", str(u.host), "-p", str(u.port),
                    "-U", str(u.username), "--no-owner", "-f", str(out), str(u.database)],
                   check=True, timeout=60, capture_output=True)
    return out.read_text("utf-8")


def test_the_reader_recovers_a_team_keybox_from_its_pg_dump(  # type: ignore[no-untyped-def]
        cli, pg_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        short_fraction_clock: None) -> None:
    kb = ("--keybox", pg_database)
    r = cli(*kb, "init", "--no-keyring", "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert r.code == 0, r.err
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    scenario = build(cli, kb, tmp_path / "files", PASSPHRASE)

    dump = pg_dump(pg_database, tmp_path / "keybox.sql")
    # the dump shows what the doc says a reader must normalise
    times = [line.split("\t")[6] for line in
             dump.split("COPY public.profile_keys")[1].split("\n\\.")[0].splitlines()[1:]]
    assert any("." not in t for t in times) or any(len(t.split(".")[1]) < 6 for t in times)
    box = reader.recover_pg_dump(dump, PASSPHRASE)
    check_recovered(box, scenario)

    with pytest.raises(reader.WrongPassphrase):
        reader.recover_pg_dump(dump, PASSPHRASE + "!")

    # an edited dump: the disabled key's state line changed to enabled
    disabled = next(k for k, s in scenario.states.items() if s == "disabled")
    lines = dump.split("\n")
    at = next(i for i, line in enumerate(lines)
              if line.startswith(disabled + "\t") and "\tdisabled\t" in line)
    lines[at] = lines[at].replace("\tdisabled\t", "\tenabled\t")
    with pytest.raises(reader.Tampered):
        reader.recover_pg_dump("\n".join(lines), PASSPHRASE)


def test_the_reader_reads_a_dump_whose_keybox_the_product_still_unlocks(  # type: ignore[no-untyped-def]
        cli, pg_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        short_fraction_clock: None) -> None:
    """A fresh team keybox: no profile yet (empty sections), then one profile."""
    kb = ("--keybox", pg_database)
    assert cli(*kb, "init", "--no-keyring", "--passphrase-stdin",
               stdin=PASSPHRASE + "\n").code == 0
    empty = reader.recover_pg_dump(pg_dump(pg_database, tmp_path / "a.sql"), PASSPHRASE)
    assert empty.keys == {} and empty.generation == 1
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    assert cli(*kb, "profile", "create", "acme").code == 0
    one = reader.recover_pg_dump(pg_dump(pg_database, tmp_path / "b.sql"), PASSPHRASE)
    assert one.keybox_id == empty.keybox_id and one.generation == 2
    assert [k.profile for k in one.keys.values()] == ["acme"]
