"""Fixtures of the integration tests: a real Secret Service for the whole session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.secret_service import SecretService, SecretServiceError


@pytest.fixture(scope="session")
def secret_service() -> Iterator[SecretService]:
    """gnome-keyring-daemon on a private dbus-daemon, with a throwaway HOME
    (tests/support/secret_service.py); its `env` is what a child process needs.

    Fails (never skips) when the programs are missing: .ci/run installs them.
    """
    service = SecretService()
    try:
        service.start()
    except SecretServiceError as error:
        pytest.fail(str(error))
    try:
        yield service
    finally:
        service.stop()
