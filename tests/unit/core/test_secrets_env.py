"""VAULTAPP_PASSPHRASE is read once, leaves the environment, and must be UTF-8."""

from __future__ import annotations

import os

import pytest

from vaultapp.core import secrets_env
from vaultapp.core.errors import UsageError


def test_taken_once_removed_everywhere_and_held(monkeypatch: pytest.MonkeyPatch) -> None:
    """The value leaves os.environ and os.environb on first read, and stays usable."""
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", "pass wörd")
    assert secrets_env.take_env_passphrase() == "pass wörd"
    assert "VAULTAPP_PASSPHRASE" not in os.environ
    assert b"VAULTAPP_PASSPHRASE" not in os.environb
    assert secrets_env.take_env_passphrase() == "pass wörd"
    secrets_env.forget()
    assert secrets_env.take_env_passphrase() is None


def test_scrub_takes_it_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", "x")
    secrets_env.scrub_env_passphrase()
    assert "VAULTAPP_PASSPHRASE" not in os.environ
    assert secrets_env.take_env_passphrase() == "x"
    secrets_env.scrub_env_passphrase()  # a new command with none given: none
    assert secrets_env.take_env_passphrase() is None


def test_not_utf8_is_a_usage_error_without_the_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    """An undecodable value gets exit 2 and a message naming neither byte nor position."""
    monkeypatch.setitem(os.environb, b"VAULTAPP_PASSPHRASE", b"ok\xff\xfe")
    with pytest.raises(UsageError) as info:
        secrets_env.take_env_passphrase()
    message = str(info.value)
    assert info.value.exit_code == 2 and "not valid UTF-8" in message
    assert "xff" not in message and "position" not in message and "2" not in message
    assert b"VAULTAPP_PASSPHRASE" not in os.environb


def test_surrogate_escaped_text_is_refused() -> None:
    with pytest.raises(UsageError):
        secrets_env.utf8_passphrase("\udcff", "the passphrase")
    assert secrets_env.utf8_passphrase(b"caf\xc3\xa9", "x") == "café"
