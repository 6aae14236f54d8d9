"""Fixtures of the unit tests: no keyring at all, and the command line on an initialised
keybox, with the speed-ups its many in-process commands need."""

from __future__ import annotations

import argparse
import functools
import os

import pytest

from tests.conftest import PASSPHRASE


@pytest.fixture
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backends import fail

    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())


@pytest.fixture
def keybox_cli(cli, memory_keyring, monkeypatch):  # type: ignore[no-untyped-def]
    """An initialised keybox (keyring + passphrase slots) with profile 'acme'."""
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    assert cli("init").code == 0
    monkeypatch.delenv("VAULTAPP_PASSPHRASE")
    assert cli("profile", "create", "acme").code == 0
    return cli


@pytest.fixture
def no_disk_flush(monkeypatch: pytest.MonkeyPatch) -> None:
    """Durability is not under test here, and one fsync can take 100 ms on a busy disk:
    keybox transactions skip SQLite's flushes and file outputs skip os.fsync."""
    from vaultapp.core.keybox import store as db

    connect = db._on_sqlite_connect

    def connect_without_flush(dbapi_connection, record):  # type: ignore[no-untyped-def]
        dbapi_connection.execute("PRAGMA synchronous = OFF")  # also while turning on WAL
        connect(dbapi_connection, record)
        dbapi_connection.execute("PRAGMA synchronous = OFF")

    monkeypatch.setattr(db, "_on_sqlite_connect", connect_without_flush)
    monkeypatch.setattr(os, "fsync", lambda fd: None)


@pytest.fixture
def cached_argparse_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each in-process command builds the whole parser, and argparse looks every help
    string up in gettext's catalogs (~15 ms a command). The answers never change within a
    test, so remember them."""
    monkeypatch.setattr(argparse, "_", functools.cache(argparse._))
