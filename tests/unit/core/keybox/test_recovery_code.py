"""The recovery code slot: the code's shape and check characters, its normalisation, the
typo caught before any key is derived, and the slot end to end through the keybox service
and the command line (shown once; accepted wherever a passphrase is: typed, on stdin with
--passphrase-stdin, in VAULTAPP_PASSPHRASE; `keybox check --unlock --slot`)."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import keyring
import pytest

from tests.conftest import PASSPHRASE, MemoryKeyring
from vaultapp.core.errors import KeyboxLockedError
from vaultapp.core.keybox import Keybox
from vaultapp.core.keybox.slots import passphrase as passphrase_slots
from vaultapp.core.keybox.slots import recovery_code as rc
from vaultapp.core.keybox.slots.base import SlotFailure, SlotRecord
from vaultapp.core.keybox.store import resolve_url

CODE_SHAPE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){7}$")


def fixed_code(seed: int) -> str:
    return rc.format_code(random.Random(seed).randbytes(rc.DATA_BYTES))


# --- the code itself ---------------------------------------------------------------------

def test_a_new_code_is_160_random_bits_in_8_groups_of_5(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []
    real = rc.secrets.token_bytes

    def token_bytes(n: int) -> bytes:
        asked.append(n)
        return real(n)

    monkeypatch.setattr(rc.secrets, "token_bytes", token_bytes)
    codes = {rc.new_code() for _ in range(200)}
    assert asked == [20] * 200 and rc.ENTROPY_BITS == 160 >= 128
    assert len(codes) == 200
    for code in codes:
        assert CODE_SHAPE.match(code), code
        assert not set(code) & set("ILOU")
    data = bytes(range(20))
    assert rc.parse(rc.format_code(data)) == data
    for seed in range(50):
        payload = random.Random(seed).randbytes(20)
        assert rc.parse(rc.format_code(payload)) == payload


def test_every_single_typo_is_caught_and_named_by_its_group() -> None:
    for seed in range(3):
        code = fixed_code(seed)
        chars = list(code)
        for pos, ch in enumerate(chars):
            if ch == "-":
                continue
            group = code[:pos].count("-") + 1
            for other in rc.ALPHABET:
                if other == ch:
                    continue
                typed = "".join([*chars[:pos], other, *chars[pos + 1:]])
                with pytest.raises(rc.NotARecoveryCode,
                                   match=f"^not a valid recovery code: group {group} has a "
                                         "typo$"):
                    rc.parse(typed)


def test_every_swap_within_a_group_and_of_two_groups_is_caught() -> None:
    for seed in range(20):
        groups = fixed_code(seed).split("-")
        for g, group in enumerate(groups):
            for i in range(5):
                for j in range(i + 1, 5):
                    if group[i] == group[j]:
                        continue
                    swapped = list(group)
                    swapped[i], swapped[j] = swapped[j], swapped[i]
                    typed = "-".join([*groups[:g], "".join(swapped), *groups[g + 1:]])
                    with pytest.raises(rc.NotARecoveryCode, match=f"group {g + 1} has a typo"):
                        rc.parse(typed)
        for a in range(8):
            for b in range(a + 1, 8):
                order = list(groups)
                order[a], order[b] = order[b], order[a]
                with pytest.raises(rc.NotARecoveryCode,
                                   match=f"groups {a + 1} and {b + 1} have a typo"):
                    rc.parse("-".join(order))


def test_case_spaces_dashes_and_look_alikes_do_not_matter() -> None:
    data = random.Random(7).randbytes(20)
    code = rc.format_code(data)
    plain = code.replace("-", "")
    variants = [
        code.lower(),
        code.replace("-", " "),
        "  " + code.replace("-", " - ") + "\n",
        plain,
        plain.lower(),
        "\t".join(code.split("-")),
        code.replace("0", "o").replace("1", "l"),
        code.replace("0", "O").replace("1", "I"),
    ]
    for typed in variants:
        assert rc.parse(typed) == data, typed
        assert rc.problem(typed) is None


@pytest.mark.parametrize(("typed", "message"), [
    (PASSPHRASE, "^not a recovery code$"),
    ("Tr0ub4dor&3 is my passphrase", "^not a recovery code$"),
    ("", "^not a recovery code$"),
    ("-- --", "^not a recovery code$"),
    ("ÄBCDE-" * 7 + "ABCDE", "^not a recovery code$"),
    ("ABCDE-" * 6 + "ABCDE", "it has 7 groups; a recovery code has 8 groups of 5"),
    ("ABCDE" * 7 + "ABCD", "it has 39 characters; a recovery code has 40"),
    ("ABCDE-ABCD-" + "ABCDE-" * 5 + "ABCDE", "group 2 has 4 characters, not 5"),
])
def test_text_that_is_not_a_code(typed: str, message: str) -> None:
    with pytest.raises(rc.NotARecoveryCode, match=message):
        rc.parse(typed)
    assert rc.problem(typed) is not None


def test_u_is_not_in_the_alphabet() -> None:
    code = fixed_code(3)
    typed = "U" + code[1:]
    with pytest.raises(rc.NotARecoveryCode, match="group 1 has a typo"):
        rc.parse(typed)


# --- the slot through the keybox service --------------------------------------------------

@pytest.fixture
def box(memory_keyring: MemoryKeyring) -> Keybox:
    """A keybox with a keyring slot and a passphrase slot, unlocked."""
    created = Keybox.create(resolve_url(None), use_keyring=True, passphrase=PASSPHRASE)
    yield created
    created.close()


def add_code(box: Keybox, code: str | None = None) -> tuple[str, str]:
    request = rc.RecoveryCodeRequest(code) if code else rc.RecoveryCodeRequest()
    info = box.add_slot(request)
    assert info.kind == "recovery-code" and info.label.startswith("recovery code")
    assert info.secret and info.portable
    return info.slot_id, request.code


def reopen(box: Keybox) -> Keybox:
    box.close()
    return Keybox.open(resolve_url(None))


def fresh_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = MemoryKeyring()
    monkeypatch.setattr(keyring, "get_keyring", lambda: backend)


def test_the_code_alone_unlocks(box: Keybox, monkeypatch: pytest.MonkeyPatch) -> None:
    _, code = add_code(box)
    passphrase_slot = next(s for s in box.slots() if s.kind == "passphrase")
    box.remove_slot(passphrase_slot.slot_id)  # the code is portable: no confirmation
    box = reopen(box)
    fresh_keyring(monkeypatch)  # the keyring entry is gone
    with pytest.raises(KeyboxLockedError, match="OS keyring"):
        box.unlock()
    assert box.unlock(code.lower().replace("-", " ")) == "recovery code"
    box.close()


def test_after_a_lock_the_code_counts_as_a_secret(box: Keybox) -> None:
    _, code = add_code(box)
    box.lock()
    assert box.unlock(code, secrets_only=True) == "recovery code"
    box.lock()
    with pytest.raises(KeyboxLockedError):
        box.unlock(secrets_only=True)  # no secret given: neither slot is tried silently


def test_a_typo_is_refused_before_any_key_is_derived(box: Keybox,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _, code = add_code(box)
    passphrase_slot = next(s for s in box.slots() if s.kind == "passphrase")
    box.remove_slot(passphrase_slot.slot_id)
    box = reopen(box)
    derived: list[str] = []
    monkeypatch.setattr(rc, "_kdf", lambda *a: derived.append("recovery") or bytes(32))
    monkeypatch.setattr(passphrase_slots, "_kdf", lambda *a: derived.append("passphrase")
                        or bytes(32))
    groups = code.split("-")
    groups[2] = groups[2][:4] + next(c for c in rc.ALPHABET if c != groups[2][4])
    with pytest.raises(KeyboxLockedError,
                       match=r"recovery code \([0-9a-f]+\): not a valid recovery code: "
                             "group 3 has a typo"):
        box.unlock("-".join(groups))
    assert derived == []
    box.close()


def test_a_typo_with_a_passphrase_slot_too(box: Keybox, monkeypatch: pytest.MonkeyPatch) -> None:
    """The passphrase slot still tries the text (it could be a passphrase), but the code's
    own KDF never runs, and the failure names the group."""
    _, code = add_code(box)
    box = reopen(box)
    calls: list[bytes] = []
    real = rc._kdf
    monkeypatch.setattr(rc, "_kdf", lambda data, salt: calls.append(data) or real(data, salt))
    typo = code[:-1] + next(c for c in rc.ALPHABET if c != code[-1])
    with pytest.raises(KeyboxLockedError) as caught:
        box.unlock(typo)
    assert calls == []
    assert any("group 8 has a typo" in f for f in caught.value.failures)
    assert any("wrong passphrase" in f for f in caught.value.failures)
    assert box.unlock(code) == "recovery code"
    assert len(calls) == 1
    box.close()


def test_a_valid_code_of_another_slot_is_a_wrong_code(box: Keybox) -> None:
    _, code = add_code(box)
    other = fixed_code(99)
    assert other != code
    box = reopen(box)
    with pytest.raises(KeyboxLockedError, match="wrong recovery code"):
        box.unlock(other, kinds=("recovery-code",))
    box.close()


def test_a_passphrase_is_not_a_code_and_costs_it_nothing(box: Keybox,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    add_code(box)
    box = reopen(box)
    monkeypatch.setattr(rc, "_kdf", lambda *a: pytest.fail("the code's KDF ran"))
    assert box.unlock(PASSPHRASE) == "recovery passphrase"
    box.close()


def test_one_typed_answer_is_tried_against_the_code_and_the_passphrase(
        box: Keybox, monkeypatch: pytest.MonkeyPatch) -> None:
    """Asked once (not once per slot), whichever of the two the person types."""
    _, code = add_code(box)
    for answer, label in ((PASSPHRASE, "recovery passphrase"), (code, "recovery code")):
        box = reopen(box)
        fresh_keyring(monkeypatch)
        asked: list[list[str]] = []

        def ask(failures: list[str], answer: str = answer,
                asked: list[list[str]] = asked) -> str:
            asked.append(failures)
            return answer

        assert box.unlock(None, ask) == label
        assert len(asked) == 1
        assert any("OS keyring" in f for f in asked[0])
    box = reopen(box)
    asked.clear()
    with pytest.raises(KeyboxLockedError) as caught:
        box.unlock(None, lambda failures: asked.append(failures))  # gives up: None
    assert len(asked) == 1
    assert sum("no passphrase given" in f for f in caught.value.failures) == 2
    box.close()


def test_test_slot_checks_the_code(box: Keybox) -> None:
    slot_id, code = add_code(box)
    assert box.test_slot(slot_id, code.lower()).slot_id == slot_id
    with pytest.raises(KeyboxLockedError, match="group 1 has a typo"):
        box.test_slot(slot_id, "Z" + code[1:] if code[0] != "Z" else "Y" + code[1:])
    with pytest.raises(KeyboxLockedError, match="no passphrase was given"):
        box.test_slot(slot_id)


def test_a_damaged_slot_says_so() -> None:
    provider = rc.RecoveryCodeProvider()
    code = fixed_code(5)
    record = SlotRecord("00", "recovery-code", "recovery code",
                        {"kdf": "hkdf-sha256", "salt": "not base64!"}, b"x" * 48)
    with pytest.raises(SlotFailure, match="the recovery code slot is damaged"):
        provider.unlock("k", record, code)
    record.params = {"kdf": "argon2id", "salt": "AAAAAAAAAAAAAAAAAAAAAA=="}
    with pytest.raises(SlotFailure, match="the recovery code slot is damaged"):
        provider.unlock("k", record, code)
    record.params = {"kdf": "hkdf-sha256", "salt": "AAAAAAAAAAAAAAAAAAAAAA=="}
    record.wrapped_root_key = None
    with pytest.raises(SlotFailure, match="the recovery code slot is damaged"):
        provider.unlock("k", record, code)
    with pytest.raises(SlotFailure, match="no recovery code was given"):
        provider.unlock("k", record, None)


def test_a_request_with_a_malformed_code_makes_no_slot(box: Keybox) -> None:
    before = len(box.slots())
    with pytest.raises(SlotFailure):
        rc.RecoveryCodeRequest("not a code").create(box.keybox_id, bytes(32))
    assert len(box.slots()) == before


# --- the command line ---------------------------------------------------------------------

def added_code(result) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    assert result.code == 0, result.err
    codes = re.findall(r"^    ([0-9A-Z]{5}(?:-[0-9A-Z]{5}){7})$", result.out, re.M)
    assert len(codes) == 1, result.out
    slot_id = result.out.strip().splitlines()[-1].split()[-1]
    assert result.out.strip().splitlines()[-1] == f"added recovery code slot {slot_id}"
    return slot_id, codes[0]


def test_cli_shows_the_code_once(keybox_cli, isolated_home: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    cli = keybox_cli
    r = cli("slot", "add-recovery-code")
    slot_id, code = added_code(r)
    assert CODE_SHAPE.match(code)
    assert "Write this down" in r.out and "shown once" in r.out
    assert code not in r.err
    normalised = code.replace("-", "")
    later = [cli("slot", "list"), cli("slot", "list", "--json"), cli("log"),
             cli("log", "--json"), cli("keybox", "check")]
    for result in later:
        assert result.code == 0, result.err
        text = result.out + result.err
        assert code not in text and normalised not in text
        assert code.split("-")[0] not in text
    entries = json.loads(cli("slot", "list", "--json").out)
    (entry,) = [e for e in entries if e["slot_id"] == slot_id]
    assert entry["kind"] == "recovery-code" and entry["after_lock"] and entry["portable"]
    stored = b"".join(p.read_bytes() for p in isolated_home.rglob("*") if p.is_file())
    assert code.encode() not in stored and normalised.encode() not in stored
    # Each slot has its own code.
    _, second = added_code(cli("slot", "add-recovery-code", "--label", "safe deposit box"))
    assert second != code
    labels = [e["label"] for e in json.loads(cli("slot", "list", "--json").out)]
    assert "safe deposit box" in labels


def test_cli_accepts_the_code_where_a_passphrase_goes(keybox_cli, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    cli = keybox_cli
    slot_id, code = added_code(cli("slot", "add-recovery-code"))
    fresh_keyring(monkeypatch)

    r = cli("keybox", "check", "--unlock", "--slot", slot_id[:6], "--passphrase-stdin",
            stdin=code.lower() + "\n")
    assert r.code == 0, r.err
    assert "key slot recovery code unlocks the keybox" in r.out

    monkeypatch.setenv("VAULTAPP_PASSPHRASE", code.replace("-", " ").lower())
    plain = tmp_path / "a.txt"
    plain.write_bytes(b"sealed through the recovery code")
    r = cli("seal", str(plain))
    assert r.code == 0, r.err
    r = cli("open", "-o", str(tmp_path / "back.txt"), str(tmp_path / "a.txt.vault"))
    assert r.code == 0, r.err
    assert (tmp_path / "back.txt").read_bytes() == b"sealed through the recovery code"

    groups = code.split("-")
    groups[4] = next(c for c in rc.ALPHABET if c != groups[4][0]) + groups[4][1:]
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", "-".join(groups))
    r = cli("key", "rotate", "--profile", "acme")
    assert r.code == 5
    assert "not a valid recovery code: group 5 has a typo" in r.err
    assert "-".join(groups) not in r.err

    monkeypatch.delenv("VAULTAPP_PASSPHRASE")
    r = cli("keybox", "check", "--unlock", "--slot", slot_id, "--passphrase-stdin",
            stdin=PASSPHRASE + "\n")
    assert r.code == 5 and "not a recovery code" in r.err


def test_cli_removal_keeps_a_portable_slot(keybox_cli) -> None:  # type: ignore[no-untyped-def]
    """With a recovery code, the passphrase is not the last slot that survives the loss
    of this machine; the code then is, and its removal needs confirmation."""
    cli = keybox_cli
    slot_id, _ = added_code(cli("slot", "add-recovery-code"))
    slots = json.loads(cli("slot", "list", "--json").out)
    passphrase_id = next(s["slot_id"] for s in slots if s["kind"] == "passphrase")
    assert cli("slot", "remove", passphrase_id).code == 0
    r = cli("slot", "remove", slot_id)
    assert r.code == 1 and "last key slot that does not depend on this machine" in r.err
    assert slot_id in [s["slot_id"] for s in json.loads(cli("slot", "list", "--json").out)]
