"""The TPM 2.0 key slot against a real TPM simulator: Debian's swtpm, started per test on
free loopback ports with its state in the test's temporary folder and ended by pid
(tests/support/swtpm.py). vaultapp reaches it the standard way, through TPM2TOOLS_TCTI
(or TCTI), and talks to it with tpm2-pytss; tpm2-tools reads the simulator's state
(leftover handles, the dictionary-attack counter) and clears it as a person would.

Covered: adding and unlocking through the TPM alone (the OS keyring's entry gone), with a
PIN right and wrong, the PIN locked out, a TPM that was cleared or replaced, a TPM that
cannot be reached, the TCTI configuration, and a keybox with keyring + TPM + recovery code
that unlocks through each of them alone. Fails (never skips) when swtpm is missing:
scripts/install-system-deps installs it.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import os
import re
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from tests.conftest import PASSPHRASE, MemoryKeyring
from tests.support.swtpm import Swtpm, SwtpmError, found_by_vaultapp
from tests.support.terminal import run_on_a_terminal
from vaultapp.core.errors import KeyboxLockedError, VaultError
from vaultapp.core.keybox import Keybox
from vaultapp.core.keybox.slots import registry
from vaultapp.core.keybox.slots import tpm as tpm_slots
from vaultapp.core.keybox.slots.base import SlotFailure, SlotRecord, slot_context
from vaultapp.core.keybox.slots.recovery_code import RecoveryCodeRequest
from vaultapp.core.keybox.slots.tpm import TpmRequest
from vaultapp.core.keybox.store import resolve_url
from vaultapp.core.keybox.wrapping import unwrap

PIN = "2468"
PIN_PROMPT = "PIN of key slot"


@pytest.fixture
def swtpm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Swtpm]:
    """A fresh simulated TPM that vaultapp finds through TPM2TOOLS_TCTI."""
    try:
        with found_by_vaultapp(Swtpm(tmp_path / "tpm-state"), monkeypatch) as sim:
            yield sim
    except SwtpmError as error:
        pytest.fail(str(error))


def fresh_keyring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    """From now on the OS keyring is a new, empty one: its entry for the keybox is gone."""
    backend = MemoryKeyring()
    monkeypatch.setattr(keyring, "get_keyring", lambda: backend)
    return backend


@pytest.fixture
def box(memory_keyring: MemoryKeyring, swtpm: Swtpm) -> Iterator[Keybox]:
    """A keybox with a keyring and a passphrase slot, unlocked."""
    created = Keybox.create(resolve_url(None), use_keyring=True, passphrase=PASSPHRASE)
    try:
        yield created
    finally:
        created.close()


def reopen(box: Keybox) -> Keybox:
    box.close()
    return Keybox.open(resolve_url(None))


def init_cli(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    assert cli("init").code == 0
    assert cli("profile", "create", "acme").code == 0
    monkeypatch.delenv("VAULTAPP_PASSPHRASE")


def added_id(result, what: str) -> str:  # type: ignore[no-untyped-def]
    assert result.code == 0, result.err
    last = result.out.strip().splitlines()[-1]
    match = re.fullmatch(rf"added {what} slot ([0-9a-f]{{16}})", last)
    assert match, result.out
    return match.group(1)


def slot_json(cli, slot_id: str) -> dict:  # type: ignore[no-untyped-def]
    (entry,) = [s for s in json.loads(cli("slot", "list", "--json").out)
                if s["slot_id"] == slot_id]
    return entry


# --- adding and unlocking ------------------------------------------------------------------

def test_add_and_unlock_through_the_tpm_alone(cli, memory_keyring, swtpm: Swtpm,
                                              tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    init_cli(cli, monkeypatch)
    slot_id = added_id(cli("slot", "add-tpm"), "TPM")
    entry = slot_json(cli, slot_id)
    assert entry["kind"] == "tpm" and entry["label"] == "TPM"
    assert entry["after_lock"] is False and entry["portable"] is False
    stored = json.loads(next(r for r in _slot_rows() if r[0] == slot_id)[1])
    assert set(stored) == {"pin", "primary", "private", "public"} and stored["pin"] == 0

    fresh_keyring(monkeypatch)  # only the TPM can unlock now (no passphrase is given)
    plain = tmp_path / "a.txt"
    plain.write_bytes(b"sealed while the TPM unlocked the keybox")
    r = cli("seal", str(plain))
    assert r.code == 0, r.err
    r = cli("open", "-o", str(tmp_path / "back.txt"), str(tmp_path / "a.txt.vault"))
    assert r.code == 0, r.err
    assert (tmp_path / "back.txt").read_bytes() == plain.read_bytes()
    r = cli("keybox", "check", "--unlock", "--slot", slot_id[:5])
    assert r.code == 0 and "key slot TPM unlocks the keybox" in r.out
    assert swtpm.transient_handles() == []  # every object and session was flushed

    swtpm.restart()  # a reboot: the same TPM, the same seed
    monkeypatch.setenv("TPM2TOOLS_TCTI", swtpm.tcti)
    r = cli("key", "rotate", "--profile", "acme")
    assert r.code == 0, r.err


def _slot_rows() -> list[tuple[str, str]]:
    path = resolve_url(None).removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        return list(db.execute("SELECT slot_id, params FROM key_slots"))


def test_a_pin_right_and_wrong(cli, memory_keyring, swtpm: Swtpm,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    init_cli(cli, monkeypatch)
    slot_id = added_id(cli("slot", "add-tpm", "--pin-stdin", "--label", "this laptop",
                           stdin=PIN + "\n"), "TPM")
    entry = slot_json(cli, slot_id)
    assert entry["label"] == "this laptop" and entry["after_lock"] is True
    fresh_keyring(monkeypatch)

    r = cli("keybox", "check", "--unlock", "--slot", slot_id, "--passphrase-stdin",
            stdin=PIN + "\n")
    assert r.code == 0, r.err
    r = cli("keybox", "check", "--unlock", "--slot", slot_id, "--passphrase-stdin",
            stdin="1357\n")
    assert r.code == 5
    assert f"this laptop ({slot_id}): wrong PIN (2 tries left before the TPM locks PINs " \
           "out)" in r.err
    assert swtpm.lockout_counter() == 1
    # No terminal, no PIN: the slot is skipped, saying so, and nothing counts against it.
    r = cli("key", "rotate", "--profile", "acme")
    assert r.code == 5 and f"this laptop ({slot_id}): no PIN given" in r.err
    assert swtpm.lockout_counter() == 1
    assert swtpm.transient_handles() == []


def test_a_given_passphrase_is_never_tried_as_the_pin(box: Keybox, swtpm: Swtpm,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    info = box.add_slot(TpmRequest(PIN))
    assert info.secret and not info.portable
    box = reopen(box)
    fresh_keyring(monkeypatch)
    with pytest.raises(KeyboxLockedError) as caught:
        box.unlock("not the passphrase")  # tried against the passphrase slot only
    assert not any(info.slot_id in f for f in caught.value.failures)
    assert swtpm.lockout_counter() == 0
    with pytest.raises(KeyboxLockedError) as caught:
        box.unlock(PIN)  # the PIN given as a passphrase does not reach the TPM either
    assert swtpm.lockout_counter() == 0
    asked: list[tuple[str, list[str]]] = []

    def ask_pin(name: str, failures: list[str]) -> str:
        asked.append((name, failures))
        return PIN

    assert box.unlock(ask_pin=ask_pin) == "TPM with PIN"
    assert asked == [(f"TPM with PIN ({info.slot_id})",
                      [f"OS keyring ({_kind_id(box, 'keyring')}): the OS keyring has no "
                       "key for this keybox (another machine or user?)"])]
    box.close()


def _kind_id(box: Keybox, kind: str) -> str:
    return next(s.slot_id for s in box.slots() if s.kind == kind)


def test_the_pin_locks_out_after_the_tpms_limit(box: Keybox, swtpm: Swtpm) -> None:
    info = box.add_slot(TpmRequest(PIN))
    box = reopen(box)
    reasons = []
    for _ in range(5):
        with pytest.raises(KeyboxLockedError) as caught:
            box.unlock(kinds=("tpm",), ask_pin=lambda name, failures: "0000")
        reasons.append(caught.value.failures[0])
    # swtpm allows 3 failures (TPM2_PT_MAX_AUTH_FAIL), then refuses every PIN.
    assert reasons[0].endswith("wrong PIN (2 tries left before the TPM locks PINs out)")
    assert reasons[1].endswith("wrong PIN (1 try left before the TPM locks PINs out)")
    assert reasons[2].endswith("wrong PIN (the TPM now locks PINs out: dictionary attack "
                               "protection)")
    interval = swtpm.tools("tpm2_getcap", "properties-variable")
    seconds = int(re.search(r"TPM2_PT_LOCKOUT_INTERVAL:\s*(\S+)", interval).group(1), 0)
    for reason in reasons[3:]:
        assert reason.endswith("PIN locked out (dictionary attack protection): the TPM "
                               f"refuses PINs for now; it forgives one failure every "
                               f"{seconds} s")
    with pytest.raises(KeyboxLockedError, match=r"PIN locked out \(dictionary attack "
                                                r"protection\)"):
        box.unlock(kinds=("tpm",), ask_pin=lambda name, failures: PIN)  # even the right one
    assert box.unlock(PASSPHRASE) == "recovery passphrase"  # another slot still works
    with pytest.raises(KeyboxLockedError, match="PIN locked out"):
        box.test_slot(info.slot_id, PIN)
    assert swtpm.transient_handles() == []
    box.close()


def test_after_a_lock_only_a_tpm_with_a_pin_counts(box: Keybox, swtpm: Swtpm) -> None:
    plain = box.add_slot(TpmRequest())
    with_pin = box.add_slot(TpmRequest(PIN))
    assert (plain.secret, with_pin.secret) == (False, True)
    box.lock()
    with pytest.raises(KeyboxLockedError) as caught:
        box.unlock(secrets_only=True, ask_pin=lambda name, failures: None)
    tried = " ".join(caught.value.failures)
    assert f"({with_pin.slot_id}): no PIN given" in tried
    assert plain.slot_id not in tried  # the silent TPM is not a secret after a lock
    assert box.unlock(secrets_only=True, ask_pin=lambda name, failures: PIN) == "TPM with PIN"
    box.lock()
    assert box.unlock() == "OS keyring"  # before a lock, silent slots are fine
    box.lock()
    with pytest.raises(KeyboxLockedError):
        box.unlock(kinds=("tpm",), secrets_only=True)  # no PIN asked: nothing proves a person
    box.lock()
    assert box.unlock(kinds=("tpm",)) == "TPM"  # the silent one, before any lock


def test_test_slot_with_and_without_the_pin(box: Keybox, swtpm: Swtpm) -> None:
    plain = box.add_slot(TpmRequest())
    with_pin = box.add_slot(TpmRequest(PIN))
    assert box.test_slot(plain.slot_id).slot_id == plain.slot_id
    assert box.test_slot(with_pin.slot_id, PIN).slot_id == with_pin.slot_id
    with pytest.raises(KeyboxLockedError, match="no PIN was given"):
        box.test_slot(with_pin.slot_id)
    with pytest.raises(KeyboxLockedError, match="wrong PIN"):
        box.test_slot(with_pin.slot_id, "9999")


# --- what goes wrong -----------------------------------------------------------------------

def test_a_cleared_tpm_says_the_sealed_key_is_gone(cli, memory_keyring, swtpm: Swtpm,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    init_cli(cli, monkeypatch)
    tpm_id = added_id(cli("slot", "add-tpm"), "TPM")
    swtpm.clear()
    fresh_keyring(monkeypatch)
    r = cli("key", "rotate", "--profile", "acme")
    assert r.code == 5
    assert f"TPM ({tpm_id}): the TPM was cleared: the sealed key is gone" in r.err
    assert swtpm.transient_handles() == []
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)  # the portable slot still works
    assert cli("key", "rotate", "--profile", "acme").code == 0


def test_another_tpm_cannot_unseal_it(box: Keybox, swtpm: Swtpm,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh simulator state: a new TPM (a replaced motherboard, another machine)."""
    info = box.add_slot(TpmRequest(PIN))
    box = reopen(box)
    swtpm.restart(fresh=True)
    monkeypatch.setenv("TPM2TOOLS_TCTI", swtpm.tcti)
    with pytest.raises(KeyboxLockedError,
                       match=rf"\({info.slot_id}\): the TPM was cleared: the sealed key is "
                             "gone"):
        box.unlock(kinds=("tpm",), ask_pin=lambda name, failures: PIN)
    box.close()


def test_an_unreachable_tpm(cli, memory_keyring, swtpm: Swtpm,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    init_cli(cli, monkeypatch)
    tpm_id = added_id(cli("slot", "add-tpm"), "TPM")
    tcti = swtpm.tcti
    swtpm.stop()
    fresh_keyring(monkeypatch)
    r = cli("key", "rotate", "--profile", "acme")
    assert r.code == 5
    assert f"TPM ({tpm_id}): TPM not reachable (TCTI {tcti})" in r.err
    before = json.loads(cli("slot", "list", "--json").out)
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    r = cli("slot", "add-tpm")
    assert r.code == 1
    assert f"cannot add the TPM slot: TPM not reachable (TCTI {tcti})" in r.err
    assert json.loads(cli("slot", "list", "--json").out) == before


def test_the_tcti_configuration(swtpm: Swtpm, box: Keybox,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    info = box.add_slot(TpmRequest())
    box = reopen(box)
    monkeypatch.delenv("TPM2TOOLS_TCTI")
    monkeypatch.setenv("TCTI", swtpm.tcti)  # the second standard variable
    assert tpm_slots.tcti_config() == swtpm.tcti
    assert box.unlock(kinds=("tpm",)) == "TPM"
    box = reopen(box)
    monkeypatch.setenv("TPM2TOOLS_TCTI", "swtpm:host=127.0.0.1,port=1")  # it wins over TCTI
    with pytest.raises(KeyboxLockedError,
                       match=re.escape(f"TPM ({info.slot_id}): TPM not reachable (TCTI "
                                       "swtpm:host=127.0.0.1,port=1)")):
        box.unlock(kinds=("tpm",))
    monkeypatch.delenv("TPM2TOOLS_TCTI")
    monkeypatch.delenv("TCTI")
    assert tpm_slots.tcti_config() == "device:/dev/tpmrm0"
    if not Path("/dev/tpmrm0").exists():  # this machine has no TPM of its own
        with pytest.raises(KeyboxLockedError,
                           match=re.escape("TPM not reachable (TCTI device:/dev/tpmrm0)")):
            box.unlock(kinds=("tpm",))
    box.close()


def test_pin_rules(cli, memory_keyring, swtpm: Swtpm,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    init_cli(cli, monkeypatch)
    before = json.loads(cli("slot", "list", "--json").out)
    r = cli("slot", "add-tpm", "--pin-stdin", stdin="123\n")
    assert r.code == 2 and "a TPM PIN needs at least 4 characters" in r.err
    r = cli("slot", "add-tpm", "--pin", stdin="")  # stdin is not a terminal
    assert r.code == 2 and "--pin-stdin" in r.err
    assert json.loads(cli("slot", "list", "--json").out) == before
    assert swtpm.transient_handles() == []


def test_a_damaged_slot_says_so(swtpm: Swtpm) -> None:
    provider = tpm_slots.TpmProvider()
    good = {"pin": 0, "primary": tpm_slots.PRIMARY_TEMPLATE, "public": "AAAA",
            "private": "AAAA"}
    for params in ({**good, "public": "not base64!"}, {**good, "primary": "rsa2048"},
                   {**good, "private": ""}):
        record = SlotRecord("00", "tpm", "TPM", params, b"x" * 48)
        with pytest.raises(SlotFailure, match="the TPM slot is damaged"):
            provider.unlock("k", record, None)
    record = SlotRecord("00", "tpm", "TPM", good, b"x" * 48)  # blobs that do not parse
    with pytest.raises(SlotFailure, match="the TPM slot is damaged"):
        provider.unlock("k", record, None)
    assert swtpm.transient_handles() == []


def test_without_tpm2_pytss_it_says_how_to_install_it(box: Keybox,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    assert registry.kind_available("tpm")
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "tpm2_pytss" else
                        real_find_spec(name, *a))
    assert not registry.kind_available("tpm")
    monkeypatch.setitem(sys.modules, "tpm2_pytss", None)  # import fails
    with pytest.raises(VaultError, match=r"cannot add the TPM slot: TPM slots need the "
                                         r"optional TPM support \(tpm2-pytss.*\[tpm\]"):
        box.add_slot(TpmRequest())


# --- keyring + TPM + recovery code, each alone -------------------------------------------

def test_keyring_tpm_and_recovery_code_each_unlock_alone(box: Keybox, swtpm: Swtpm,
                                                         memory_keyring: MemoryKeyring,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    tpm_info = box.add_slot(TpmRequest())
    request = RecoveryCodeRequest()
    code_info = box.add_slot(request)
    box.remove_slot(_kind_id(box, "passphrase"))  # the code is still portable
    assert sorted(s.kind for s in box.slots()) == ["keyring", "recovery-code", "tpm"]
    with pytest.raises(VaultError, match="last key slot that does not depend on this "
                                         "machine"):
        box.remove_slot(code_info.slot_id)  # keyring and TPM both live here

    box = reopen(box)
    assert box.unlock() == "OS keyring"  # all there: the first in order

    box = reopen(box)
    fresh_keyring(monkeypatch)  # the keyring's entry is gone
    assert box.unlock() == "TPM"

    box = reopen(box)
    swtpm.stop()  # and the TPM is gone
    with pytest.raises(KeyboxLockedError) as caught:
        box.unlock()
    assert any("TPM not reachable" in f for f in caught.value.failures)
    assert box.unlock(request.code) == "recovery code"

    box = reopen(box)
    swtpm.start()
    monkeypatch.setenv("TPM2TOOLS_TCTI", swtpm.tcti)
    monkeypatch.setattr(keyring, "get_keyring", lambda: memory_keyring)  # back again
    for slot_id, secret, label in ((_kind_id(box, "keyring"), None, "OS keyring"),
                                   (tpm_info.slot_id, None, "TPM"),
                                   (code_info.slot_id, request.code, "recovery code")):
        assert box.unlock(secret, slot_id=slot_id) == label
        box = reopen(box)
    box.close()
    assert os.environ["TPM2TOOLS_TCTI"] == swtpm.tcti


# --- the PIN typed at a terminal ------------------------------------------------------------

def test_the_pin_is_asked_at_the_terminal(box: Keybox, swtpm: Swtpm) -> None:
    info = box.add_slot(TpmRequest(PIN))
    box.close()
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "TSS2_LOG": "all+NONE"}
    env.pop("VAULTAPP_PASSPHRASE", None)
    check = ["keybox", "check", "--unlock", "--slot", info.slot_id]

    code, screen = run_on_a_terminal(check, [(PIN_PROMPT, PIN)], env)
    assert code == 0, screen
    assert f"PIN of key slot TPM with PIN ({info.slot_id}) (empty to skip): " in screen
    assert PIN not in screen  # not echoed
    assert "key slot TPM with PIN unlocks the keybox" in screen

    code, screen = run_on_a_terminal(check, [(PIN_PROMPT, "1111")], env)
    assert code == 5 and "wrong PIN (2 tries left" in screen

    code, screen = run_on_a_terminal(check, [(PIN_PROMPT, "")], env)
    assert code == 5 and f"TPM with PIN ({info.slot_id}): no PIN given" in screen
    assert swtpm.lockout_counter() == 1  # skipping cost no try


def test_tpm2_tools_alone_recovers_the_slot_key(box: Keybox, swtpm: Swtpm,
                                                tmp_path: Path) -> None:
    """docs/KEYBOX.md § 4.8 as written: the stored blobs, tpm2-tools' commands and the
    PIN's auth value give the slot key, which unwraps the root key."""
    info = box.add_slot(TpmRequest(PIN))
    root = bytes(box.require_root())
    keybox_id = box.keybox_id
    box.close()
    with sqlite3.connect(resolve_url(None).removeprefix("sqlite:///")) as db:
        params, wrapped = db.execute("SELECT params, wrapped_root_key FROM key_slots "
                                     "WHERE slot_id = ?", (info.slot_id,)).fetchone()
    stored = json.loads(params)
    work = tmp_path / "by-hand"
    work.mkdir()
    (work / "seal.pub").write_bytes(base64.b64decode(stored["public"]))
    (work / "seal.priv").write_bytes(base64.b64decode(stored["private"]))
    auth = hashlib.sha256(b"vaultapp/v1/tpm-pin\x00" + PIN.encode()).digest()
    for command in (["tpm2_createprimary", "-C", "o", "-g", "sha256", "-G",
                     "ecc256:aes128cfb", "-c", f"{work}/primary.ctx"],
                    ["tpm2_flushcontext", "-t"],  # swtpm has no resource manager
                    ["tpm2_load", "-C", f"{work}/primary.ctx", "-u", f"{work}/seal.pub",
                     "-r", f"{work}/seal.priv", "-c", f"{work}/seal.ctx"],
                    ["tpm2_flushcontext", "-t"],
                    ["tpm2_unseal", "-c", f"{work}/seal.ctx", "-p", f"hex:{auth.hex()}",
                     "-o", f"{work}/slot.key"]):
        swtpm.tools(*command)
    slot_key = (work / "slot.key").read_bytes()
    record = SlotRecord(info.slot_id, "tpm", info.label)
    assert unwrap(slot_key, wrapped, slot_context(keybox_id, record)) == root


def test_an_owner_password_or_a_disabled_owner_hierarchy(cli, memory_keyring, swtpm: Swtpm,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Not a wrong PIN: the owner hierarchy, where the primary key is made, is closed."""
    init_cli(cli, monkeypatch)
    tpm_id = added_id(cli("slot", "add-tpm"), "TPM")
    fresh_keyring(monkeypatch)
    swtpm.tools("tpm2_changeauth", "-c", "o", "owner-password")
    r = cli("key", "rotate", "--profile", "acme")
    assert r.code == 5
    assert f"TPM ({tpm_id}): the TPM's owner hierarchy has a password, which vaultapp does " \
           "not use" in r.err
    assert "wrong PIN" not in r.err
    swtpm.tools("tpm2_changeauth", "-c", "o", "-p", "owner-password")  # back to none
    swtpm.tools("tpm2_hierarchycontrol", "-C", "p", "shEnable", "clear")
    r = cli("key", "rotate", "--profile", "acme")
    assert r.code == 5 and f"TPM ({tpm_id}): the TPM's owner hierarchy is disabled" in r.err
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    r = cli("slot", "add-tpm")
    assert r.code == 1
    assert "cannot add the TPM slot: the TPM's owner hierarchy is disabled" in r.err
    assert swtpm.transient_handles() == []


def test_a_slot_key_that_does_not_open_the_wrapped_root_key(swtpm: Swtpm) -> None:
    record = TpmRequest().create("keybox", bytes(32))
    provider = tpm_slots.TpmProvider()
    assert provider.unlock("keybox", record, None) == bytes(32)
    with pytest.raises(SlotFailure, match=r"the key the TPM unsealed does not open this slot"):
        provider.unlock("another keybox", record, None)  # the context binds the keybox
    assert not provider.proves_person_for(record) and not provider.needs_pin(record)
    with_pin = TpmRequest(PIN).create("keybox", bytes(32))
    assert provider.proves_person_for(with_pin) and provider.needs_pin(with_pin)
    with pytest.raises(SlotFailure, match="no PIN was given"):
        provider.unlock("keybox", with_pin, None)
    with pytest.raises(VaultError, match="not valid UTF-8"):
        tpm_slots.pin_auth("\udcff")


def test_a_tpm_that_refuses_commands(box: Keybox, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A TPM that was never started up answers every command with a failure code: any
    response code without a reason of its own is shown as the TPM's own words."""
    unstarted = Swtpm(tmp_path / "unstarted-state", startup=False)
    unstarted.start()
    try:
        monkeypatch.setenv("TPM2TOOLS_TCTI", unstarted.tcti)
        with pytest.raises(VaultError, match=r"cannot add the TPM slot: the TPM refused "
                                             r"\(tpm:error\(2\.0\): .+\)"):
            box.add_slot(TpmRequest())
    finally:
        unstarted.stop()
    assert [s.kind for s in box.slots()] == ["keyring", "passphrase"]


class _KeyPrompts:
    """A front end's security-key prompts (slots/fido2.py): answers `pin` when asked."""

    cancel = None

    def __init__(self, pin: str | None) -> None:
        self.pin = pin
        self.touched: list[str] = []

    def touch(self, device: str) -> None:
        self.touched.append(device)

    def ask_pin(self, device: str, retries: int | None, wrong: bool) -> str | None:
        return self.pin

    def no_pin(self, device: str) -> None:
        """A key without a PIN: nothing to tell in a test."""


def test_keyring_two_security_keys_tpm_and_recovery_code_each_unlock_alone(
        box: Keybox, swtpm: Swtpm, memory_keyring: MemoryKeyring,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 16's goal: one keybox with a keyring slot, two FIDO2 slots (software
    authenticators: tests/support/soft_authenticator.py), a TPM slot with a PIN and a
    recovery code, each of which unlocks it with every other one gone."""
    from tests.support.soft_authenticator import SoftAuthenticator
    from vaultapp.core.keybox.slots import fido2 as fido2_slot

    connected: list[SoftAuthenticator] = []
    monkeypatch.setattr(fido2_slot, "device_source", lambda: list(connected))
    keys = [SoftAuthenticator("Soft key A", pin="1111"),
            SoftAuthenticator("Soft key B", pin="2222")]
    key_slots = []
    for key, key_pin in zip(keys, ("1111", "2222"), strict=True):
        connected[:] = [key]
        key_slots.append(box.add_slot(fido2_slot.Fido2Request(_KeyPrompts(key_pin))))
    connected.clear()
    tpm_info = box.add_slot(TpmRequest(PIN))
    request = RecoveryCodeRequest()
    box.add_slot(request)
    box.remove_slot(_kind_id(box, "passphrase"))
    assert sorted(s.kind for s in box.slots()) == [
        "fido2", "fido2", "keyring", "recovery-code", "tpm"]
    tcti = swtpm.tcti

    def unlock_alone(*, keyring_there: bool, tpm_there: bool, plugged: list[SoftAuthenticator],
                     key_pin: str | None = None, secret: str | None = None) -> str:
        nonlocal box
        box = reopen(box)
        if keyring_there:
            monkeypatch.setattr(keyring, "get_keyring", lambda: memory_keyring)
        else:
            fresh_keyring(monkeypatch)
        monkeypatch.setenv("TPM2TOOLS_TCTI", tcti if tpm_there else
                           "swtpm:host=127.0.0.1,port=1")
        connected[:] = plugged
        with fido2_slot.prompting(_KeyPrompts(key_pin)):
            return box.unlock(secret, ask_pin=(lambda name, failures: PIN) if tpm_there
                              else None)

    assert unlock_alone(keyring_there=True, tpm_there=False, plugged=[]) == "OS keyring"
    for key, key_pin, info in zip(keys, ("1111", "2222"), key_slots, strict=True):
        assert unlock_alone(keyring_there=False, tpm_there=False, plugged=[key],
                            key_pin=key_pin) == info.label
    assert unlock_alone(keyring_there=False, tpm_there=True, plugged=[]) == tpm_info.label
    assert unlock_alone(keyring_there=False, tpm_there=False, plugged=[],
                        secret=request.code) == "recovery code"
    with pytest.raises(KeyboxLockedError) as caught:  # and with all of them gone: locked
        unlock_alone(keyring_there=False, tpm_there=False, plugged=[])
    assert len(caught.value.failures) == 5
    box.close()
