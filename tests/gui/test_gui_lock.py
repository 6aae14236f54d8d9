"""Locking the window in the middle of a drop: no file is ever sealed under a zeroed key, and
no key survives the lock.

The window's keybox lives on one serial executor; file jobs hold a KeyLease. A lock revokes
every lease, then zeroes the keybox's keys on the executor. Before the redesign a lock
zeroed the cached key buffers in place while a job could sit between taking a buffer and
copying it, so a drop interrupted by an idle or screen lock could seal files under 32 zero
bytes (and a job finishing later put a key back into the locked keybox's cache).
"""

# ruff: noqa: F811

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from tests.conftest import PASSPHRASE
from vaultapp.core import fileops
from vaultapp.core.keybox import Keybox
from vaultapp.gui.main_window import MainWindow

from .test_gui import (  # noqa: F401  (fixtures, found by pytest under these names)
    WAIT_MS,
    drop,
    keybox_url,
    leftovers,
    no_unexpected_dialogs,
    window,
)
from .test_gui_batch import box, make_files  # noqa: F401

ROUNDS = 50
FILES = 200


def keybox_keys(win: MainWindow) -> tuple[bytearray | None, list[bytearray]]:
    """The window keybox's root key and cached profile keys (read on its executor)."""
    controller = win.controller

    def read() -> tuple[bytearray | None, list[bytearray]]:
        inner: Any = controller._box
        return inner._root, list(inner._profile_keys.values())

    return controller.executor.call(read)


def test_lock_mid_drop_seals_nothing_under_a_zeroed_key_and_keeps_no_key(
        qtbot: QtBot, tmp_path: Path, window: MainWindow, box: Keybox) -> None:
    rng = random.Random(1234)
    check = tmp_path / "check"
    check.mkdir()
    for round_ in range(ROUNDS):
        folder = tmp_path / f"round{round_}"
        originals = make_files(folder, FILES)
        jobs_before = len(window.activity.jobs)
        lock_after = rng.randrange(0, 60)
        drop(window.drop_zone, [folder])
        qtbot.waitUntil(lambda n=jobs_before: len(window.activity.jobs) > n, timeout=WAIT_MS)
        qtbot.waitUntil(lambda f=folder, k=lock_after: len(list(f.glob("*.vault"))) >= k
                        or all(j.ok is not None for j in window.activity.jobs), timeout=WAIT_MS)
        root, handed_out = keybox_keys(window)
        held = [buf for buf in [root, *handed_out] if buf is not None]
        window.controller.lock()
        qtbot.waitUntil(lambda: all(j.ok is not None for j in window.activity.jobs),
                        timeout=WAIT_MS)

        # No key survives: the keybox holds none, every buffer it held is zero, and every
        # job's lease is revoked.
        root_after, cached_after = keybox_keys(window)
        assert root_after is None and cached_after == []
        assert held and all(not any(buf) for buf in held)
        assert all(job.lease.revoked for job in window.activity.jobs[jobs_before:])

        # Every file that was written opens (none was sealed under a zeroed key), and
        # nothing partial is left.
        sealed = sorted(folder.glob("*.vault"))
        for path in sealed:
            opened = fileops.open_file(path, box, output=check, force=True)
            assert opened.output is not None
            assert opened.output.read_bytes() == originals[folder / path.name[:-6]]
        assert leftovers(folder) == []
        assert all(p.read_bytes() == data for p, data in originals.items())

        window._unlock_with(PASSPHRASE)
        qtbot.waitUntil(lambda: window.pages.currentWidget() is window.vault_page
                        and window.key_model.rowCount() == 1, timeout=WAIT_MS)
