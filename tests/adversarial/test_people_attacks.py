"""Someone who can write the keybox's database but holds no key slot tries to redirect
what a person shares: swap a contact's recipient for their own, or plant an identity.
The authenticated state covers identities and contacts: the next unlock refuses (exit 6)
and nothing is encrypted to the attacker."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE
from vaultapp.core import age

ATTACKER = age.HybridIdentity.generate().recipient().encode()


@pytest.fixture
def alice(cli, memory_keyring, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    assert cli("init").code == 0
    monkeypatch.delenv("VAULTAPP_PASSPHRASE")
    assert cli("identity", "new").code == 0
    bob = age.HybridIdentity.generate().recipient().encode()
    assert cli("contact", "add", "bob", bob).code == 0
    return cli


def sql(home: Path, statement: str) -> None:
    done = subprocess.run(["sqlite3", str(home / "keybox.sqlite"), statement],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr


def test_a_swapped_contact_recipient_is_refused_and_nothing_is_shared(
        alice, isolated_home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sql(isolated_home, f"UPDATE contacts SET recipient = '{ATTACKER}' WHERE name = 'bob'")
    plain = tmp_path / "secret.txt"
    plain.write_text("for bob only")
    r = alice("seal", "--to", "bob", str(plain))
    assert r.code == 6, r.err
    assert "identities and contacts" in r.err
    assert not (tmp_path / "secret.txt.age").exists()


def test_a_planted_identity_is_refused(alice, isolated_home: Path) -> None:  # type: ignore[no-untyped-def]
    sql(isolated_home, "INSERT INTO identities (identity_id, name, kind, recipient, "
                       "wrapped_secret, created_at) VALUES ('00', 'x', 'hybrid', "
                       f"'{ATTACKER}', x'00', '2026-01-01 00:00:00.000000')")
    r = alice("contact", "add", "carol", ATTACKER)
    assert r.code == 6


def test_deleting_every_contact_is_found_too(alice, isolated_home: Path) -> None:  # type: ignore[no-untyped-def]
    """The section is left out only for a keybox that never had one: emptying both tables
    still changes the state's MAC."""
    sql(isolated_home, "DELETE FROM contacts; DELETE FROM identities")
    r = alice("identity", "new", "again")
    assert r.code == 6


@pytest.mark.parametrize("command", [("identity", "show"), ("identity", "list"),
                                     ("identity", "list", "--json")])
def test_a_swapped_identity_recipient_is_never_printed(
        alice, isolated_home: Path, command: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    """`$(vaultapp identity show)` is what a person hands out: with the attacker's
    recipient in the row it would have everyone share with the attacker."""
    sql(isolated_home, f"UPDATE identities SET recipient = '{ATTACKER}'")
    r = alice(*command)
    assert r.code == 6, r.err
    assert r.out == "" and ATTACKER not in r.err


@pytest.mark.parametrize("command", [("contact", "list"), ("contact", "list", "--json")])
def test_a_swapped_contact_recipient_is_never_listed(
        alice, isolated_home: Path, command: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    sql(isolated_home, f"UPDATE contacts SET recipient = '{ATTACKER}' WHERE name = 'bob'")
    r = alice(*command)
    assert r.code == 6, r.err
    assert r.out == "" and ATTACKER not in r.err
