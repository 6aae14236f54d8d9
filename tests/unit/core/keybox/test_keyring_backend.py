"""Which keyring backend a keyring slot asks directly (os_keyring._recorded_backend).

Unlock asks the backend recorded in the slot, skipping keyring's probe of every
installed backend, only when nothing would choose another and only for keyring's own
secure backends. Everything else goes through keyring.get_keyring() as before.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from vaultapp.core.keybox.slots import SlotRecord
from vaultapp.core.keybox.slots import os_keyring as slots


def record(backend: object) -> SlotRecord:
    return SlotRecord("s1", "keyring", "OS keyring", {"backend": backend})


@pytest.mark.parametrize("name", [
    None, 42, "", "os.system", "tests.conftest.MemoryKeyring",
    "keyring.backends.null.Keyring", "keyring.backends.fail.Keyring",
    "keyrings.alt.file.PlaintextKeyring", "keyring.backends.nonexistent.Keyring",
    "keyring.backends.SecretService.NoSuchClass",
])
def test_unknown_foreign_or_insecure_backends_are_never_loaded_directly(
        name: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    assert slots._recorded_backend(record(name)) is None


def test_a_backend_that_is_not_usable_here_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    from keyring.backends import SecretService

    class Unusable(SecretService.Keyring):  # type: ignore[misc]
        priority = 0

    monkeypatch.setattr(SecretService, "Keyring", Unusable)
    assert slots._recorded_backend(record("keyring.backends.SecretService.Keyring")) is None


def test_keyring_configuration_that_chooses_another_backend_wins(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from keyring.backends import SecretService

    class Usable(SecretService.Keyring):  # type: ignore[misc]
        priority = 5  # as if a Secret Service were running here

    monkeypatch.setattr(SecretService, "Keyring", Usable)
    name = "keyring.backends.SecretService.Keyring"
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.kwallet.DBusKeyring")
    assert slots._recorded_backend(record(name)) is None
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", name)
    assert isinstance(slots._recorded_backend(record(name)), Usable)
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # keyring's config root on Linux
    assert isinstance(slots._recorded_backend(record(name)), Usable)
    (tmp_path / "python_keyring").mkdir()
    (tmp_path / "python_keyring" / "keyringrc.cfg").write_text(
        "[backend]\ndefault-keyring=keyring.backends.fail.Keyring\n")
    assert slots._recorded_backend(record(name)) is None


def test_keyring_configuration_is_read_without_importing_keyring(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = slots.SECRET_SERVICE
    for var in ("PYTHON_KEYRING_BACKEND", "KEYRING_PROPERTY_SCHEME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert not slots._keyring_configured_elsewhere(name)
    monkeypatch.setenv("KEYRING_PROPERTY_SCHEME", "KeePassXC")  # other item attributes
    assert slots._keyring_configured_elsewhere(name)
    monkeypatch.delenv("KEYRING_PROPERTY_SCHEME")
    (tmp_path / "python_keyring").mkdir()
    (tmp_path / "python_keyring" / "keyringrc.cfg").write_text("[backend]\n")
    assert slots._keyring_configured_elsewhere(name)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", name)  # the variable wins over the file
    assert not slots._keyring_configured_elsewhere(name)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.kwallet.DBusKeyring")
    assert slots._keyring_configured_elsewhere(name)
