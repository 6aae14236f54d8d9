"""Argon2id parameters: a floor when a slot is created, a bound when it is read."""

from __future__ import annotations

import pytest

from vaultapp.core.errors import UsageError
from vaultapp.core.keybox.slots import KdfParams, SlotFailure
from vaultapp.core.keybox.slots import passphrase as slots


def test_bound_on_read_is_four_times_the_default_cost() -> None:
    """A slot asking for more than 4x the default memory or cost is refused unread."""
    default = KdfParams()
    assert 4 * default.memory_kib * default.iterations == KdfParams.MAX_COST
    KdfParams(4 * default.memory_kib, default.iterations, 4).check()  # exactly 4x: read
    KdfParams(default.memory_kib, 4 * default.iterations, 4).check()
    for hostile in (KdfParams(4 * default.memory_kib + 1, 1, 4),  # memory
                    KdfParams(4 * default.memory_kib, default.iterations + 1, 4),  # cost
                    KdfParams(default.memory_kib, 4 * default.iterations + 1, 4),
                    KdfParams(1024 * 1024, 16, 16)):  # the old bound's worst
        with pytest.raises(SlotFailure, match="out-of-bounds key-derivation parameters"):
            hostile.check()


def test_new_passphrase_slot_below_the_kdf_floor_is_refused(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Creating a slot cheaper than 19 MiB x 2 passes is refused (the product defaults)."""
    monkeypatch.setattr(slots, "DEFAULT_KDF", KdfParams())  # undo the tests' cheap default
    monkeypatch.setattr(slots, "KDF_FLOOR", slots.PRODUCT_KDF_FLOOR)  # and floor
    for cheap in (KdfParams(8192, 1, 1), KdfParams(19 * 1024 - 1, 2, 1),
                  KdfParams(19 * 1024, 1, 1)):
        with pytest.raises(UsageError, match="below the floor"):
            slots.PassphraseRequest("a passphrase", cheap).create("0" * 32, bytes(32))
    with pytest.raises(UsageError, match="out-of-bounds"):
        slots.PassphraseRequest("a passphrase", KdfParams(1 << 30, 2, 1)).create("0" * 32,
                                                                                 bytes(32))
    record = slots.PassphraseRequest("a passphrase", slots.PRODUCT_KDF_FLOOR).create("0" * 32,
                                                                            bytes(32))
    assert record.params["memory_kib"] == 19 * 1024 and record.params["iterations"] == 2


def test_tests_lower_the_floor_with_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """tests/conftest.py's cheap DEFAULT_KDF lowers the floor with it (scripts such as
    tests/support/soak.py lower only the default)."""
    monkeypatch.setattr(slots, "KDF_FLOOR", slots.PRODUCT_KDF_FLOOR)
    assert KdfParams(8192, 1, 1) == slots.DEFAULT_KDF  # the fast_kdf fixture
    slots.PassphraseRequest("a passphrase").create("0" * 32, bytes(32))
