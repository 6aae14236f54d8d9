"""Security-key (FIDO2) slots, end to end through python-fido2's real client code.

Each test plugs in-process software authenticators (tests/support/soft_authenticator.py:
there is no /dev/uhid here, so no virtual USB key) into `fido2.device_source`; everything
from `Fido2Client` down — CBOR, ECDH key agreement, PIN/UV auth protocol 2, hmac-secret —
runs for real against them. Every way a security key can fail has a test that checks the
reason the person is given, and that no PIN try or touch is spent where none is needed.
"""

from __future__ import annotations

import base64
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from fido2.ctap2 import ClientPin
from fido2.ctap2.base import Ctap2

from tests.support.soft_authenticator import (
    GET_PIN_TOKEN,
    GET_TOKEN_WITH_PERMISSIONS,
    MAX_PIN_RETRIES,
    SoftAuthenticator,
)
from vaultapp.core.errors import KeyboxLockedError, UsageError, VaultError
from vaultapp.core.keybox import Keybox
from vaultapp.core.keybox.slots import SlotFailure, SlotRecord, provider_for, registry
from vaultapp.core.keybox.slots import fido2 as fido2_slot

PASSPHRASE = "fido2 slot unit passphrase"
PIN = "4321"


@dataclass
class Prompts:
    """A front end's prompts that record what vaultapp asked and answer from `pins`."""

    pins: list[str | None] = field(default_factory=list)
    touched: list[str] = field(default_factory=list)
    asked: list[tuple[str, int | None, bool]] = field(default_factory=list)
    warned: list[str] = field(default_factory=list)
    cancel: threading.Event | None = None

    def touch(self, device: str) -> None:
        self.touched.append(device)

    def ask_pin(self, device: str, retries: int | None, wrong: bool) -> str | None:
        self.asked.append((device, retries, wrong))
        return self.pins.pop(0) if self.pins else None

    def no_pin(self, device: str) -> None:
        self.warned.append(device)


@pytest.fixture
def plugged(monkeypatch: pytest.MonkeyPatch) -> list[SoftAuthenticator]:
    """The security keys connected right now (tests plug and unplug by editing it)."""
    connected: list[SoftAuthenticator] = []
    monkeypatch.setattr(fido2_slot, "device_source", lambda: list(connected))
    return connected


@pytest.fixture
def box(tmp_path: Path) -> Iterator[Keybox]:
    """An unlocked keybox with a passphrase slot only (no keyring)."""
    keybox = Keybox.create(f"sqlite:///{tmp_path}/k.sqlite", use_keyring=False,
                           passphrase=PASSPHRASE)
    yield keybox
    keybox.close()


def add_key(box: Keybox, key: SoftAuthenticator, plugged: list[SoftAuthenticator],
            prompts: Prompts | None = None, label: str | None = None) -> str:
    """Add a slot for `key`, plugged in alone; returns the slot id."""
    plugged[:] = [key]
    info = box.add_slot(fido2_slot.Fido2Request(prompts or Prompts(pins=[PIN])), label)
    plugged.clear()
    return info.slot_id


def record(box: Keybox, slot_id: str) -> SlotRecord:
    return next(r for r in box._slot_records() if r.slot_id == slot_id)


def relock(box: Keybox) -> Keybox:
    box.lock()
    return box


def unlock_with(box: Keybox, prompts: Prompts | None, **kwargs: object) -> str:
    with fido2_slot.prompting(prompts):
        return box.unlock(kinds=("fido2",), **kwargs)  # type: ignore[arg-type]


def locked_reason(box: Keybox, prompts: Prompts | None) -> str:
    with pytest.raises(KeyboxLockedError) as caught:
        unlock_with(relock(box), prompts)
    return str(caught.value)


# --- adding and unlocking ----------------------------------------------------------------

def test_add_without_a_pin_then_unlock_through_it_alone(box: Keybox, plugged, tmp_path) -> None:
    key = SoftAuthenticator("Soft key A")
    prompts = Prompts()
    slot_id = add_key(box, key, plugged, prompts)
    assert prompts.warned == ["Soft key A"] and prompts.asked == []
    assert key.touches == 2  # the credential, then the secret (no hmac-secret-mc)
    params = fido2_slot.stored_params(record(box, slot_id))
    assert params.uv is False and params.rp_id == "vaultapp.keybox"
    assert len(params.salt) == 32 and params.device == "Soft key A"
    passphrase_slot = next(s.slot_id for s in box.slots() if s.kind == "passphrase")
    box.remove_slot(passphrase_slot)  # the security key is portable: allowed
    box.close()

    again = Keybox.open(f"sqlite:///{tmp_path}/k.sqlite")
    plugged.append(key)
    prompts = Prompts()
    with fido2_slot.prompting(prompts):
        assert again.unlock() == "security key"
    assert prompts.touched == ["Soft key A"] and prompts.asked == []
    assert again.is_unlocked
    again.close()


def test_add_with_a_pin_asks_it_once_and_unlock_needs_it(box: Keybox, plugged) -> None:
    key = SoftAuthenticator("Soft key A")
    ClientPin(Ctap2(key)).set_pin(PIN)  # through python-fido2's setPIN, protocol 2
    prompts = Prompts(pins=[PIN])
    slot_id = add_key(box, key, plugged, prompts)
    assert prompts.asked == [("Soft key A", MAX_PIN_RETRIES, False)]  # once for two calls
    assert prompts.warned == [] and key.touches == 2
    assert fido2_slot.stored_params(record(box, slot_id)).uv is True

    plugged.append(key)
    prompts = Prompts(pins=[PIN])
    assert unlock_with(relock(box), prompts) == "security key"
    assert prompts.asked == [("Soft key A", MAX_PIN_RETRIES, False)]
    assert prompts.touched == ["Soft key A"]


def test_the_pin_is_part_of_the_secret(box: Keybox, plugged) -> None:
    """A CTAP 2.1 key derives another secret without user verification: skipping the PIN
    (an edited slot that says uv false) yields nothing, even with the key in hand."""
    key = SoftAuthenticator("Soft key A", pin=PIN)
    slot_id = add_key(box, key, plugged)
    plugged.append(key)
    params = fido2_slot.stored_params(record(box, slot_id))
    with_pin = fido2_slot.derive_secret(params, Prompts(pins=[PIN]))
    without = fido2_slot.derive_secret(replace(params, uv=False), Prompts())
    assert with_pin != without and len(with_pin) == len(without) == 32


def test_a_key_that_returns_the_secret_at_once_is_touched_once(box: Keybox, plugged) -> None:
    key = SoftAuthenticator("Soft key MC", hmac_secret_mc=True)
    add_key(box, key, plugged)
    assert key.touches == 1
    plugged.append(key)
    assert unlock_with(relock(box), Prompts()) == "security key"


def test_two_keys_each_their_own_slot_and_either_unlocks(box: Keybox, plugged) -> None:
    first, spare = SoftAuthenticator("Soft key A"), SoftAuthenticator("Soft key B", pin=PIN)
    add_key(box, first, plugged, label="everyday key")
    add_key(box, spare, plugged, label="spare key")
    assert sorted(s.label for s in box.slots() if s.kind == "fido2") == ["everyday key",
                                                                          "spare key"]
    plugged[:] = [spare]
    assert unlock_with(relock(box), Prompts(pins=[PIN])) == "spare key"
    plugged[:] = [first]
    assert unlock_with(relock(box), Prompts()) == "everyday key"
    plugged[:] = [spare, first]  # both in: the slot tried first finds its own key
    touches = spare.touches
    assert unlock_with(relock(box), Prompts()) == "everyday key"
    assert spare.touches == touches and spare.pin_retries == MAX_PIN_RETRIES


def test_the_same_key_twice_is_refused_before_a_touch(box: Keybox, plugged) -> None:
    """A second slot on the same key is no spare: the key is asked (without a touch)
    whether it holds one of the keybox's credentials, and refused when it does."""
    key = SoftAuthenticator("Soft key A")
    add_key(box, key, plugged, label="everyday key")
    touches, slots = key.touches, len(box.slots())
    plugged[:] = [key]
    with pytest.raises(VaultError, match="Soft key A already unlocks this keybox "
                                         "\\(slot “everyday key”\\)"):
        box.add_slot(fido2_slot.Fido2Request(Prompts()))
    assert key.touches == touches and len(box.slots()) == slots


def test_a_key_that_will_not_say_is_refused_by_its_exclude_list(box: Keybox, plugged,
                                                                monkeypatch) -> None:
    """Keys that do not answer the pre-flight still get the keybox's credentials as the
    request's exclude list, and refuse (after a touch) to make a second one."""
    from vaultapp.core.keybox.slots import fido2_keys

    key = SoftAuthenticator("Soft key A")
    add_key(box, key, plugged)
    slots = len(box.slots())
    monkeypatch.setattr(fido2_keys, "_holds", lambda ctap, target: None)
    plugged[:] = [key]
    with pytest.raises(VaultError, match="already unlocks this keybox"):
        box.add_slot(fido2_slot.Fido2Request(Prompts()))
    assert len(box.slots()) == slots


def test_keyring_and_two_security_keys_each_unlock_alone(memory_keyring, plugged,
                                                         tmp_path) -> None:
    url = f"sqlite:///{tmp_path}/k.sqlite"
    box = Keybox.create(url)  # the OS keyring slot only
    first, second = SoftAuthenticator("Soft key A", pin=PIN), SoftAuthenticator("Soft key B")
    add_key(box, first, plugged)
    add_key(box, second, plugged)
    box.close()
    labels = {}
    for name, keys, keep_keyring in (("keyring", [], True), ("first", [first], False),
                                     ("second", [second], False)):
        kept = dict(memory_keyring.store)
        if not keep_keyring:
            memory_keyring.store.clear()  # the keyring's entry is gone: only the key is left
        plugged[:] = keys
        box = Keybox.open(url)
        with fido2_slot.prompting(Prompts(pins=[PIN])):
            labels[name] = box.unlock()
        box.close()
        memory_keyring.store.update(kept)
    assert labels == {"keyring": "OS keyring", "first": "security key",
                      "second": "security key 2"}


def test_after_a_lock_a_security_key_counts_as_a_secret(memory_keyring, plugged,
                                                        tmp_path) -> None:
    box = Keybox.create(f"sqlite:///{tmp_path}/k.sqlite")
    key = SoftAuthenticator("Soft key A")
    add_key(box, key, plugged)
    info = next(s for s in box.slots() if s.kind == "fido2")
    assert info.secret and info.portable
    plugged.append(key)
    prompts = Prompts()
    with fido2_slot.prompting(prompts):
        assert relock(box).unlock(secrets_only=True) == "security key"  # not the keyring
    assert prompts.touched == ["Soft key A"]
    box.close()


def test_a_given_passphrase_never_wakes_the_key(box: Keybox, plugged) -> None:
    key = SoftAuthenticator("Soft key A")
    add_key(box, key, plugged)
    plugged.append(key)
    touches = key.touches
    assert relock(box).unlock(PASSPHRASE) == "recovery passphrase"
    with pytest.raises(KeyboxLockedError):
        relock(box).unlock("not the passphrase")
    assert key.touches == touches


def test_test_slot_asks_the_key_and_changes_nothing(box: Keybox, plugged) -> None:
    key = SoftAuthenticator("Soft key A", pin=PIN)
    slot_id = add_key(box, key, plugged)
    marker = box.change_marker()
    plugged.append(key)
    with fido2_slot.prompting(Prompts(pins=[PIN])):
        assert box.test_slot(slot_id).slot_id == slot_id
    with fido2_slot.prompting(Prompts()), \
            pytest.raises(KeyboxLockedError, match="no PIN was given"):
        box.test_slot(slot_id)
    assert box.change_marker() == marker


# --- failures while adding -----------------------------------------------------------------

def test_adding_with_no_key_connected_says_so_and_adds_nothing(box: Keybox, plugged) -> None:
    before = [s.slot_id for s in box.slots()]
    with pytest.raises(VaultError, match="cannot add the security key slot: no security key "
                                         "is connected") as caught:
        box.add_slot(fido2_slot.Fido2Request(Prompts()))
    assert caught.value.exit_code == 1
    assert [s.slot_id for s in box.slots()] == before


def test_adding_with_two_keys_connected_asks_to_leave_one(box: Keybox, plugged) -> None:
    plugged[:] = [SoftAuthenticator("A"), SoftAuthenticator("B")]
    with pytest.raises(VaultError, match="2 security keys are connected: leave only the one"):
        box.add_slot(fido2_slot.Fido2Request(Prompts()))
    assert all(k.touches == 0 for k in plugged)


def test_a_key_without_hmac_secret_is_refused(box: Keybox, plugged) -> None:
    plugged.append(SoftAuthenticator("Old key", hmac_secret=False))
    with pytest.raises(VaultError, match="Old key cannot derive secrets"):
        box.add_slot(fido2_slot.Fido2Request(Prompts()))
    assert plugged[0].touches == 0


def test_a_u2f_only_key_is_refused(box: Keybox, plugged) -> None:
    class U2fOnly(SoftAuthenticator):
        @property
        def capabilities(self) -> int:
            return 0

    plugged.append(U2fOnly("U2F key"))
    with pytest.raises(VaultError, match="U2F key is a U2F-only key"):
        box.add_slot(fido2_slot.Fido2Request(Prompts()))


def test_adding_with_a_wrong_pin_then_giving_up(box: Keybox, plugged) -> None:
    key = SoftAuthenticator("Soft key A", pin=PIN)
    plugged.append(key)
    prompts = Prompts(pins=["0000"])
    with pytest.raises(VaultError, match=r"wrong PIN for Soft key A \(7 tries left"):
        box.add_slot(fido2_slot.Fido2Request(prompts))
    assert prompts.asked == [("Soft key A", 8, False), ("Soft key A", 7, True)]
    assert [s.kind for s in box.slots()] == ["passphrase"]


def test_adding_when_the_touch_is_refused(box: Keybox, plugged) -> None:
    key = SoftAuthenticator("Soft key A")
    key.presence = "deny"
    plugged.append(key)
    with pytest.raises(VaultError, match="the touch was refused on Soft key A"):
        box.add_slot(fido2_slot.Fido2Request(Prompts()))


# --- failures while unlocking ----------------------------------------------------------------

def test_no_key_connected(box: Keybox, plugged) -> None:
    add_key(box, SoftAuthenticator("Soft key A"), plugged)
    reason = locked_reason(box, Prompts())
    assert "security key (" in reason and "no security key is connected: plug one in" in reason


def test_a_key_without_the_credential_is_the_wrong_key(box: Keybox, plugged) -> None:
    add_key(box, SoftAuthenticator("Soft key A"), plugged)
    other = SoftAuthenticator("Soft key C", pin=PIN)
    plugged.append(other)
    prompts = Prompts(pins=[PIN])
    reason = locked_reason(box, prompts)
    assert "the connected security key does not hold this slot's credential: another key, " \
           "or a key that was reset (the slot was made with Soft key A)" in reason
    # Found out without a touch and without spending a PIN try on the wrong key.
    assert other.touches == 0 and prompts.asked == [] and other.pin_retries == MAX_PIN_RETRIES
    plugged.append(SoftAuthenticator("Soft key D"))
    assert "none of the 2 connected security keys holds this slot's credential" in \
        locked_reason(box, prompts)


def test_a_key_that_was_reset_no_longer_holds_the_credential(box: Keybox, plugged) -> None:
    key = SoftAuthenticator("Soft key A", pin=PIN)
    add_key(box, key, plugged)
    Ctap2(key).reset()  # authenticatorReset through python-fido2
    assert not key.has_pin
    plugged.append(key)
    assert "does not hold this slot's credential: another key, or a key that was reset" in \
        locked_reason(box, Prompts(pins=[PIN]))


def test_a_wrong_pin_is_asked_again_then_the_right_one_unlocks(box: Keybox, plugged) -> None:
    key = SoftAuthenticator("Soft key A", pin=PIN)
    add_key(box, key, plugged)
    plugged.append(key)
    prompts = Prompts(pins=["0000", PIN])
    assert unlock_with(relock(box), prompts) == "security key"
    assert prompts.asked == [("Soft key A", 8, False), ("Soft key A", 7, True)]
    assert key.pin_retries == MAX_PIN_RETRIES  # a right PIN restores them


def test_a_wrong_pin_then_giving_up(box: Keybox, plugged) -> None:
    key = SoftAuthenticator("Soft key A", pin=PIN)
    add_key(box, key, plugged)
    plugged.append(key)
    reason = locked_reason(box, Prompts(pins=["0000"]))
    assert "wrong PIN for Soft key A (7 tries left before the key blocks it)" in reason


def test_three_wrong_pins_in_a_row_need_a_replug(box: Keybox, plugged) -> None:
    key = SoftAuthenticator("Soft key A", pin=PIN)
    add_key(box, key, plugged)
    plugged.append(key)
    prompts = Prompts(pins=["0000", "1111", "2222"])
    reason = locked_reason(box, prompts)
    assert "too many wrong PINs in a row for Soft key A: unplug it, plug it in again" in reason
    assert len(prompts.asked) == 3 and key.pin_retries == 5
    assert "unplug it" in locked_reason(box, Prompts(pins=[PIN]))  # still, until replugged
    key.power_cycle()
    assert unlock_with(relock(box), Prompts(pins=[PIN])) == "security key"


def test_a_blocked_pin_is_reported_without_asking_again(box: Keybox, plugged) -> None:
    key = SoftAuthenticator("Soft key A", pin=PIN)
    add_key(box, key, plugged)
    plugged.append(key)
    reasons = []
    while key.pin_retries:  # eight wrong PINs, replugging after every three
        reasons.append(locked_reason(box, Prompts(pins=["0000"] * 3)))
        key.power_cycle()
    assert "the PIN of Soft key A is blocked after too many wrong tries" in reasons[-1]
    prompts = Prompts(pins=[PIN])
    reason = locked_reason(box, prompts)
    assert "is blocked" in reason and "a reset erases this slot's credential" in reason
    assert prompts.asked == [] and key.touches == 2  # only the two of adding it


def test_a_pin_needed_but_not_given(box: Keybox, plugged) -> None:
    key = SoftAuthenticator("Soft key A", pin=PIN)
    add_key(box, key, plugged)
    plugged.append(key)
    prompts = Prompts()  # the person closes the PIN prompt
    assert "no PIN was given for Soft key A, which this slot needs" in \
        locked_reason(box, prompts)
    assert len(prompts.asked) == 1 and key.pin_retries == MAX_PIN_RETRIES


def test_without_prompts_no_key_is_contacted(box: Keybox, plugged) -> None:
    """A silent unlock (no front end to ask for a touch) passes over the slot at once."""
    key = SoftAuthenticator("Soft key A")
    add_key(box, key, plugged)
    plugged.append(key)
    commands = len(key.commands)
    started = time.monotonic()
    assert "not tried: nothing here can ask for the touch of a security key" in \
        locked_reason(box, None)
    assert len(key.commands) == commands and time.monotonic() - started < 5
    relock(box).unlock(PASSPHRASE)
    with pytest.raises(VaultError, match="nothing here can ask for the touch"):
        box.add_slot(fido2_slot.Fido2Request())
    assert len(key.commands) == commands


def test_a_too_short_pin_is_never_sent(box: Keybox, plugged) -> None:
    key = SoftAuthenticator("Soft key A", pin=PIN)
    add_key(box, key, plugged)
    plugged.append(key)
    assert "a PIN of Soft key A has at least 4 characters; nothing was sent" in \
        locked_reason(box, Prompts(pins=["12"]))
    assert key.pin_retries == MAX_PIN_RETRIES


def test_a_pin_that_is_not_text_is_a_usage_error(box: Keybox, plugged) -> None:
    key = SoftAuthenticator("Soft key A", pin=PIN)
    add_key(box, key, plugged)
    plugged.append(key)
    with pytest.raises(UsageError, match="PIN is not valid UTF-8 text"):
        unlock_with(relock(box), Prompts(pins=["12\udcff34"]))
    assert key.pin_retries == MAX_PIN_RETRIES


def test_a_touch_refused_on_the_key(box: Keybox, plugged) -> None:
    key = SoftAuthenticator("Soft key A")
    add_key(box, key, plugged)
    key.presence = "deny"
    plugged.append(key)
    assert "the touch was refused on Soft key A" in locked_reason(box, Prompts())


def test_a_key_not_touched_is_given_up_on(box: Keybox, plugged, monkeypatch) -> None:
    key = SoftAuthenticator("Soft key A")
    add_key(box, key, plugged)
    key.presence = "ignore"
    plugged.append(key)
    monkeypatch.setattr(fido2_slot, "TOUCH_TIMEOUT_S", 0.3)
    prompts = Prompts()
    started = time.monotonic()
    reason = locked_reason(box, prompts)
    assert "Soft key A was not touched within 0.3 seconds" in reason
    assert prompts.touched == ["Soft key A"] and time.monotonic() - started < 5


def test_the_keys_own_touch_timeout(box: Keybox, plugged) -> None:
    key = SoftAuthenticator("Soft key A", up_timeout_s=0.2)
    add_key(box, key, plugged)
    key.presence = "ignore"
    plugged.append(key)
    assert "Soft key A was not touched in time" in locked_reason(box, Prompts())


def test_cancel_stops_the_wait_for_a_touch(box: Keybox, plugged) -> None:
    key = SoftAuthenticator("Soft key A")
    add_key(box, key, plugged)
    key.presence = "ignore"
    plugged.append(key)
    cancel = threading.Event()

    class Cancelling(Prompts):
        def touch(self, device: str) -> None:
            super().touch(device)
            threading.Timer(0.1, cancel.set).start()  # the window's Cancel button

    started = time.monotonic()
    assert "cancelled while waiting for Soft key A" in \
        locked_reason(box, Cancelling(cancel=cancel))
    assert time.monotonic() - started < 5


def test_a_key_unplugged_while_waiting(box: Keybox, plugged, monkeypatch) -> None:
    key = SoftAuthenticator("Soft key A")
    add_key(box, key, plugged)
    plugged.append(key)

    def pulled_out(event, keepalive) -> None:  # type: ignore[no-untyped-def]
        key.unplugged = True
        raise OSError(19, "No such device")

    monkeypatch.setattr(key, "_presence", pulled_out)
    assert "Soft key A stopped answering (unplugged?)" in locked_reason(box, Prompts())


def test_a_key_that_answers_with_another_secret(box: Keybox, plugged, monkeypatch) -> None:
    key = SoftAuthenticator("Soft key A")
    add_key(box, key, plugged)
    plugged.append(key)
    monkeypatch.setattr(fido2_slot, "derive_secret", lambda params, prompts: bytes(32))
    assert "answered, but not with this slot's secret" in locked_reason(box, Prompts())


# --- the stored slot ---------------------------------------------------------------------

def _record(**params: object) -> SlotRecord:
    good: dict[str, object] = {
        "credential_id": base64.b64encode(bytes(64)).decode(),
        "salt": base64.b64encode(bytes(32)).decode(), "rp_id": "vaultapp.keybox",
        "uv": True, "device": "k", "extension": "prf"}
    good.update(params)
    return SlotRecord("00" * 8, "fido2", "security key",
                      {k: v for k, v in good.items() if v is not None},  # type: ignore[misc]
                      wrapped_root_key=bytes(48))


@pytest.mark.parametrize("edit", [
    {"rp_id": "example.com"}, {"salt": base64.b64encode(bytes(16)).decode()},
    {"credential_id": "not base64!"}, {"credential_id": ""}, {"uv": "yes"},
    {"extension": "hmac-secret"}, {"salt": None}])
def test_a_damaged_slot_never_reaches_a_key(edit: dict[str, object], plugged) -> None:
    key = SoftAuthenticator("Soft key A")
    plugged.append(key)
    assert fido2_slot.stored_params(_record()).rp_id == "vaultapp.keybox"
    provider = provider_for("fido2")
    assert provider is not None
    with pytest.raises(SlotFailure, match="the security key slot is damaged"):
        provider.unlock("ab" * 16, _record(**edit), None)
    assert key.commands == []


def test_the_provider_says_what_the_slot_is() -> None:
    provider = provider_for("fido2")
    assert provider is not None
    assert (provider.needs_secret, provider.proves_person, provider.portable) == \
        (False, True, True)
    passphrase = provider_for("passphrase")
    assert passphrase is not None and provider.unlock_order < passphrase.unlock_order
    assert registry.kind_available("fido2")


def test_prompts_reach_only_the_block_that_installed_them() -> None:
    prompts = Prompts()
    assert fido2_slot.current_prompts() is None
    with fido2_slot.prompting(prompts):
        assert fido2_slot.current_prompts() is prompts
        seen: list[object] = []
        thread = threading.Thread(target=lambda: seen.append(fido2_slot.current_prompts()))
        thread.start()
        thread.join()
        assert seen == [None]  # another thread (the window's executor) installs its own
    assert fido2_slot.current_prompts() is None


def test_without_python_fido2_it_says_how_to_install_it(box: Keybox, plugged,
                                                        monkeypatch) -> None:
    key = SoftAuthenticator("Soft key A")
    add_key(box, key, plugged)
    plugged.append(key)
    import vaultapp.core.keybox.slots as slots_package

    monkeypatch.delitem(sys.modules, "vaultapp.core.keybox.slots.fido2_keys", raising=False)
    monkeypatch.delattr(slots_package, "fido2_keys", raising=False)
    for name in [m for m in sys.modules if m == "fido2" or m.startswith("fido2.")]:
        monkeypatch.setitem(sys.modules, name, None)  # import fido2 now fails
    reason = locked_reason(box, Prompts())
    assert "security key slots need the optional FIDO2 support (python-fido2)" in reason
    assert "pip install" in reason and "[fido2]" in reason
    assert box.unlock(PASSPHRASE) == "recovery passphrase"
    with pytest.raises(VaultError, match="optional FIDO2 support"):
        box.add_slot(fido2_slot.Fido2Request(Prompts()))


def test_the_secret_is_the_documented_hmac_of_the_salt(box: Keybox, plugged) -> None:
    """docs/KEYBOX.md 4.6, computed independently from the key's CredRandom: secret =
    HMAC-SHA-256(CredRandom, SHA-256("WebAuthn PRF" || 0x00 || salt)), and the root key
    unwraps under it with the slot's context."""
    import hashlib
    import hmac

    from vaultapp.core.keybox.wrapping import context, unwrap

    key = SoftAuthenticator("Soft key A")
    slot_id = add_key(box, key, plugged)
    stored = record(box, slot_id)
    params = fido2_slot.stored_params(stored)
    opened = key._open_credential(params.credential_id, "vaultapp.keybox")
    assert opened is not None
    _, _with_uv, without_uv = opened
    hmac_salt = hashlib.sha256(b"WebAuthn PRF\x00" + params.salt).digest()
    secret = hmac.new(without_uv, hmac_salt, hashlib.sha256).digest()
    assert stored.wrapped_root_key is not None and len(stored.wrapped_root_key) == 48
    root = unwrap(secret, stored.wrapped_root_key,
                  context("root-key-slot", box.keybox_id, slot_id, "fido2"))
    assert root is not None and root == bytes(box.require_root())


def test_the_pin_never_reaches_the_keybox(box: Keybox, plugged, tmp_path) -> None:
    pin = "a-long-pin-8675309"
    key = SoftAuthenticator("Soft key A", pin=pin)
    add_key(box, key, plugged, Prompts(pins=[pin]))
    plugged.append(key)
    assert unlock_with(relock(box), Prompts(pins=[pin])) == "security key"
    box.close()
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert pin.encode() not in path.read_bytes(), path


def test_the_system_path_skips_devices_it_cannot_open(box: Keybox, monkeypatch) -> None:
    """With no test devices, keys come from python-fido2's HID enumeration: a device that
    fails to open is skipped, and /dev/hidraw* nodes this user may not open are named."""
    import fido2.hid

    from vaultapp.core.keybox.slots import fido2_keys

    monkeypatch.setattr(fido2_slot, "device_source", None)
    monkeypatch.setattr(fido2.hid, "list_descriptors", lambda: ["descriptor of a busy key"])

    def busy(descriptor: object) -> object:
        raise OSError(16, "Device or resource busy")

    monkeypatch.setattr(fido2.hid, "open_connection", busy)
    monkeypatch.setattr(fido2_keys.glob, "glob", lambda pattern: ["/dev/hidraw0",
                                                                  "/dev/hidraw1"])
    monkeypatch.setattr(fido2_keys.os, "access", lambda path, mode: path.endswith("1"))
    with pytest.raises(VaultError) as caught:
        box.add_slot(fido2_slot.Fido2Request(Prompts()))
    text = str(caught.value)
    assert "no security key is connected: plug one in" in text
    if sys.platform.startswith("linux"):
        assert "this user may not open 1 HID device(s)" in text and "udev rules" in text


def test_the_windows_path_through_a_stand_in_for_the_webauthn_api(box: Keybox, plugged,
                                                                  monkeypatch) -> None:
    """The Windows branch's own logic (options, the uv flag, the PRF output) with a
    stand-in `WindowsClient` that hands the same requests to python-fido2's Fido2Client
    over a software key, as the Windows dialog would (it asks the PIN itself). This is
    not a test of Windows: that path is untested here (no Windows machine in CI)."""
    import types

    from fido2.client import Fido2Client, UserInteraction
    from fido2.ctap2.extensions import HmacSecretExtension

    key = SoftAuthenticator("Soft key W", pin=PIN)
    calls: list[str] = []

    class WindowsDialog(UserInteraction):
        def request_pin(self, permissions, rp_id):  # type: ignore[no-untyped-def]
            return PIN

    class StandInWindowsClient:
        def __init__(self, collector) -> None:  # type: ignore[no-untyped-def]
            self._client = Fido2Client(key, collector, WindowsDialog(),
                                       extensions=[HmacSecretExtension()])

        @staticmethod
        def is_available() -> bool:
            return True

        def make_credential(self, options, event=None):  # type: ignore[no-untyped-def]
            calls.append(f"make uv={options.authenticator_selection.user_verification}")
            return self._client.make_credential(options, event=event)

        def get_assertion(self, options, event=None):  # type: ignore[no-untyped-def]
            calls.append(f"get uv={options.user_verification} timeout={options.timeout}")
            return self._client.get_assertion(options, event=event)

    windows = types.ModuleType("fido2.client.windows")
    windows.WindowsClient = StandInWindowsClient  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fido2.client.windows", windows)
    from vaultapp.core.keybox.slots import fido2_keys

    monkeypatch.setattr(fido2_keys, "sys", types.SimpleNamespace(platform="win32"))
    monkeypatch.setattr(fido2_slot, "device_source", None)
    prompts = Prompts()
    slot_id = box.add_slot(fido2_slot.Fido2Request(prompts)).slot_id
    assert calls == ["make uv=preferred", "get uv=required timeout=30000"]
    assert fido2_slot.stored_params(record(box, slot_id)).uv is True
    assert prompts.touched == ["the security key", "the security key"]
    assert unlock_with(relock(box), Prompts()) == "security key"
    key.presence = "deny"
    assert "Windows reported that no security key answered" in locked_reason(box, Prompts())


def test_a_ctap_2_0_key_with_a_pin(box: Keybox, plugged) -> None:
    """No pinUvAuthToken: python-fido2 takes the legacy getPinToken; still one PIN, and
    the slot unlocks through it alone."""
    key = SoftAuthenticator("Old FIDO2 key", pin=PIN, ctap21=False)
    add_key(box, key, plugged)
    assert GET_PIN_TOKEN in key.pin_subcommands
    assert GET_TOKEN_WITH_PERMISSIONS not in key.pin_subcommands
    plugged.append(key)
    prompts = Prompts(pins=[PIN])
    assert unlock_with(relock(box), prompts) == "security key"
    assert prompts.asked == [("Old FIDO2 key", MAX_PIN_RETRIES, False)]


# --- the software authenticator itself ---------------------------------------------------

def test_the_software_authenticator_signs_as_a_real_one() -> None:
    """Its attestation (packed, self) and assertions verify with the credential's public
    key through python-fido2's own COSE code, and its CBOR passes the client's
    canonical-encoding check (Ctap2 is strict by default)."""
    import os

    from fido2.client import DefaultClientDataCollector, Fido2Client, UserInteraction
    from fido2.ctap2.extensions import HmacSecretExtension
    from fido2.webauthn import (
        AuthenticatorSelectionCriteria,
        PublicKeyCredentialCreationOptions,
        PublicKeyCredentialDescriptor,
        PublicKeyCredentialParameters,
        PublicKeyCredentialRequestOptions,
        PublicKeyCredentialRpEntity,
        PublicKeyCredentialType,
        PublicKeyCredentialUserEntity,
        UserVerificationRequirement,
    )

    key = SoftAuthenticator("Soft key S")
    no_uv = UserVerificationRequirement.DISCOURAGED
    client = Fido2Client(key, DefaultClientDataCollector("https://example.org"),
                         UserInteraction(), extensions=[HmacSecretExtension()])
    made = client.make_credential(PublicKeyCredentialCreationOptions(
        rp=PublicKeyCredentialRpEntity(name="x", id="example.org"),
        user=PublicKeyCredentialUserEntity(name="u", id=b"user"), challenge=os.urandom(32),
        pub_key_cred_params=[PublicKeyCredentialParameters(
            type=PublicKeyCredentialType.PUBLIC_KEY, alg=-7)],
        authenticator_selection=AuthenticatorSelectionCriteria(user_verification=no_uv)))
    attestation = made.response.attestation_object
    assert attestation.fmt == "packed"
    credential = attestation.auth_data.credential_data
    assert credential is not None
    credential.public_key.verify(attestation.auth_data + made.response.client_data.hash,
                                 attestation.att_stmt["sig"])
    got = client.get_assertion(PublicKeyCredentialRequestOptions(
        challenge=os.urandom(32), rp_id="example.org", user_verification=no_uv,
        allow_credentials=[PublicKeyCredentialDescriptor(
            type=PublicKeyCredentialType.PUBLIC_KEY, id=made.raw_id)])).get_response(0)
    credential.public_key.verify(got.response.authenticator_data
                                 + got.response.client_data.hash, got.response.signature)
    assert got.response.authenticator_data.counter > attestation.auth_data.counter


def test_the_software_authenticator_blocks_its_pin_after_eight_wrong_tries() -> None:
    from fido2.ctap import CtapError

    key = SoftAuthenticator("Soft key S", pin=PIN)
    pin = ClientPin(Ctap2(key))
    codes = []
    for _ in range(MAX_PIN_RETRIES):
        try:
            pin.get_pin_token("0000", ClientPin.PERMISSION.GET_ASSERTION, "example.org")
        except CtapError as exc:
            codes.append(exc.code)
        if key._wrong_in_a_row == 3:
            key.power_cycle()
            pin = ClientPin(Ctap2(key))
    E = CtapError.ERR
    assert codes == [E.PIN_INVALID, E.PIN_INVALID, E.PIN_AUTH_BLOCKED] * 2 + \
        [E.PIN_INVALID, E.PIN_BLOCKED]
    assert pin.get_pin_retries()[0] == 0
    with pytest.raises(CtapError) as blocked:
        pin.get_pin_token(PIN, ClientPin.PERMISSION.GET_ASSERTION, "example.org")
    assert blocked.value.code == E.PIN_BLOCKED  # even the right PIN, until a reset
    Ctap2(key).reset()
    assert not key.has_pin and key.pin_retries == MAX_PIN_RETRIES


def test_each_reason_carries_its_code_for_the_window(box: Keybox, plugged) -> None:
    """Besides its English sentence, each slot's reason has a code and values that the
    window words in its own language (gui/slot_reasons.py)."""
    key = SoftAuthenticator("Soft key A", pin=PIN)
    add_key(box, key, plugged)
    with pytest.raises(KeyboxLockedError) as caught:
        unlock_with(relock(box), Prompts())  # no key connected
    assert [r.code for r in caught.value.reasons] == ["no-key"]
    assert caught.value.failures == tuple(str(r) for r in caught.value.reasons)
    plugged[:] = [key]
    with pytest.raises(KeyboxLockedError) as caught:
        unlock_with(relock(box), Prompts(pins=["9999", None]))  # a wrong PIN, then none
    (reason,) = caught.value.reasons
    assert reason.code == "key-pin-wrong"
    assert dict(reason.values) == {"device": "Soft key A", "retries": MAX_PIN_RETRIES - 1}
    with pytest.raises(KeyboxLockedError) as caught:
        box.unlock(passphrase="not the passphrase at all")
    assert [r.code for r in caught.value.reasons] == ["wrong-passphrase"]
