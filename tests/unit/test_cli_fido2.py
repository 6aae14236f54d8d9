"""`vaultapp slot add-fido2` and unlocking through a security key, from the command line.

The keys are in-process software authenticators (tests/support/soft_authenticator.py; no
/dev/uhid here for a virtual USB key) handed to `fido2.device_source`; python-fido2's
real client talks CTAP2 to them. The terminal is played by monkeypatching `isatty` and
`getpass` where a test needs one.
"""

from __future__ import annotations

import getpass
import json
import sys

import pytest

from tests.support.soft_authenticator import SoftAuthenticator
from vaultapp.core.keybox.slots import fido2 as fido2_slot

PIN = "4321"


@pytest.fixture
def plugged(monkeypatch: pytest.MonkeyPatch) -> list[SoftAuthenticator]:
    connected: list[SoftAuthenticator] = []
    monkeypatch.setattr(fido2_slot, "device_source", lambda: list(connected))
    return connected


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A terminal on stdin whose getpass answers PIN; records each prompt."""
    prompts: list[str] = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)

    def typed(prompt: str = "") -> str:
        prompts.append(prompt)
        return PIN

    monkeypatch.setattr(getpass, "getpass", typed)
    return prompts


def _slots(cli) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    r = cli("slot", "list", "--json")
    assert r.code == 0
    return list(json.loads(r.out))


def test_add_fido2_with_no_key_connected_fails_with_exit_1(keybox_cli, plugged) -> None:  # type: ignore[no-untyped-def]
    r = keybox_cli("slot", "add-fido2")
    assert r.code == 1
    assert "cannot add the security key slot: no security key is connected: plug one in" \
        in r.err
    assert [s["kind"] for s in _slots(keybox_cli)] == ["keyring", "passphrase"]


def test_add_fido2_with_the_pin_on_stdin(keybox_cli, plugged) -> None:  # type: ignore[no-untyped-def]
    key = SoftAuthenticator("Soft key A", pin=PIN)
    plugged.append(key)
    r = keybox_cli("slot", "add-fido2", "--label", "blue key", "--pin-stdin", stdin=PIN + "\n")
    assert r.code == 0, r.err
    slot_id = r.out.strip().rsplit(" ", 1)[-1]
    assert r.out.startswith("added security key slot ")
    assert "Touch your security key (Soft key A)…" in r.err
    assert {"slot_id": slot_id, "kind": "fido2", "label": "blue key"}.items() <= \
        _slots(keybox_cli)[-1].items()
    assert _slots(keybox_cli)[-1]["after_lock"] is True


def test_add_fido2_warns_about_a_key_without_a_pin(keybox_cli, plugged) -> None:  # type: ignore[no-untyped-def]
    plugged.append(SoftAuthenticator("Soft key A"))
    r = keybox_cli("slot", "add-fido2")
    assert r.code == 0, r.err
    assert "note: Soft key A has no PIN set" in r.err


def test_add_fido2_with_a_wrong_pin_on_stdin_is_not_asked_again(keybox_cli, plugged) -> None:  # type: ignore[no-untyped-def]
    key = SoftAuthenticator("Soft key A", pin=PIN)
    plugged.append(key)
    r = keybox_cli("slot", "add-fido2", "--pin-stdin", stdin="0000\n")
    assert r.code == 1
    assert "wrong PIN for Soft key A (7 tries left before the key blocks it)" in r.err
    assert key.pin_retries == 7 and len(_slots(keybox_cli)) == 2


def test_a_pin_needed_without_a_terminal_or_stdin(keybox_cli, plugged) -> None:  # type: ignore[no-untyped-def]
    plugged.append(SoftAuthenticator("Soft key A", pin=PIN))
    r = keybox_cli("slot", "add-fido2")
    assert r.code == 1 and "no PIN was given for Soft key A" in r.err


def test_unlock_through_the_key_alone_asks_its_pin_at_the_terminal(  # type: ignore[no-untyped-def]
        keybox_cli, plugged, memory_keyring, terminal) -> None:
    key = SoftAuthenticator("Soft key A", pin=PIN)
    plugged.append(key)
    assert keybox_cli("slot", "add-fido2").code == 0
    assert terminal == ["PIN of Soft key A (8 tries left): "]
    memory_keyring.store.clear()  # the keyring slot no longer unlocks
    terminal.clear()
    r = keybox_cli("profile", "create", "second")
    assert r.code == 0, r.err
    assert terminal == ["PIN of Soft key A (8 tries left): "]  # no passphrase asked
    assert "Touch your security key (Soft key A)…" in r.err


def test_check_one_security_key_slot(keybox_cli, plugged, terminal) -> None:  # type: ignore[no-untyped-def]
    key = SoftAuthenticator("Soft key A", pin=PIN)
    plugged.append(key)
    assert keybox_cli("slot", "add-fido2", "--label", "blue key").code == 0
    slot_id = str(_slots(keybox_cli)[-1]["slot_id"])
    r = keybox_cli("keybox", "check", "--unlock", "--slot", slot_id)
    assert r.code == 0 and "key slot blue key unlocks the keybox" in r.out
    plugged.clear()
    r = keybox_cli("keybox", "check", "--unlock", "--slot", slot_id)
    assert r.code == 5
    assert f"blue key ({slot_id}): no security key is connected" in r.err


def test_the_wrong_key_is_exit_5_and_names_why(keybox_cli, plugged, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    plugged.append(SoftAuthenticator("Soft key A"))
    assert keybox_cli("slot", "add-fido2").code == 0
    memory_keyring.store.clear()
    plugged[:] = [SoftAuthenticator("Soft key B")]
    r = keybox_cli("profile", "create", "second")
    assert r.code == 5
    assert "the connected security key does not hold this slot's credential" in r.err
    assert "OS keyring" in r.err  # every slot tried is named with its reason


def test_help_says_where_the_pin_comes_from(cli, capsys) -> None:  # type: ignore[no-untyped-def]
    r = cli("slot", "add-fido2", "--help")
    assert r.code == 0
    text = " ".join(r.out.split())
    assert "--pin-stdin" in text and "read the security key's PIN as one line of stdin" in text
    assert "asked at the terminal" in " ".join(cli("slot", "--help").out.split())
