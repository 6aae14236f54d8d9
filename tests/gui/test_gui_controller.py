"""KeyboxController.replace_keybox: the one way to swap the keybox under the window (a
restore). A real keybox on disk, the in-memory keyring, the controller's own executor."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.conftest import PASSPHRASE
from vaultapp.core.errors import KeyboxLockedError, VaultError
from vaultapp.core.keybox import Keybox
from vaultapp.gui.controller import KeyboxController, Replaced

WAIT_MS = 15_000


@pytest.fixture
def url(tmp_path: Path, memory_keyring: object) -> str:
    url = f"sqlite:///{tmp_path / 'keybox.sqlite'}"
    box = Keybox.create(url, use_keyring=True, passphrase=PASSPHRASE)
    box.create_profile("acme")
    box.close()
    return url


@pytest.fixture
def controller(qtbot: QtBot, url: str) -> KeyboxController:
    controller = KeyboxController(url)
    with qtbot.waitSignal(controller.unlocked, timeout=WAIT_MS):
        controller.unlock_silently(lambda exc: None)
    yield controller
    controller.close()


def replace(qtbot: QtBot, controller: KeyboxController, func: object, *, unlock: bool,
            after_unlock: object = None) -> Replaced[object]:
    """replace_keybox, waited for; fails on an error."""
    outcome: list[Replaced[object]] = []

    def failed(exc: BaseException) -> None:
        raise AssertionError(f"replace_keybox failed: {exc!r}")

    controller.replace_keybox(func, unlock=unlock, on_done=outcome.append,  # type: ignore[arg-type]
                              on_error=failed, after_unlock=after_unlock)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: bool(outcome), timeout=WAIT_MS)
    return outcome[0]


def profiles(qtbot: QtBot, controller: KeyboxController) -> list[str]:
    names: list[str] = []
    controller.run(lambda t: [p.name for p in controller.keybox().profiles()], names.extend)
    qtbot.waitUntil(lambda: bool(names), timeout=WAIT_MS)
    return names


def test_left_locked_when_not_asked_to_unlock(qtbot: QtBot, controller: KeyboxController,
                                              tmp_path: Path) -> None:
    """Like a lock: leases revoked at once, the old keybox closed on the executor before
    the replacement runs, the new one not unlocked (nor is `unlocked` announced)."""
    lease = controller.lease()
    seen: list[tuple[bool, bool]] = []
    announced: list[str] = []
    controller.unlocked.connect(announced.append)
    old = controller.executor.call(controller.keybox)

    def swap() -> str:
        seen.append((controller.executor.on_executor(), old.is_unlocked))
        return "swapped"

    done = replace(qtbot, controller, swap, unlock=False)
    assert lease.revoked and not controller.is_unlocked
    assert seen == [(True, False)]  # on the executor, the old keybox already closed
    assert done == Replaced("swapped", None, None) and announced == []
    with pytest.raises(KeyboxLockedError):
        controller.executor.call(controller.keybox)


def test_unlocks_silently_when_asked_and_runs_after_unlock(
        qtbot: QtBot, controller: KeyboxController, url: str, tmp_path: Path) -> None:
    """The file is replaced by another keybox (same keyring); it is opened and unlocked
    as at start, `after_unlock` runs on it, and `unlocked` is announced."""
    other_url = f"sqlite:///{tmp_path / 'other.sqlite'}"
    other = Keybox.create(other_url, use_keyring=True, passphrase=PASSPHRASE)
    other.create_profile("globex")
    other.close()
    target = Path(url.removeprefix("sqlite:///"))
    calls: list[tuple[str, bool]] = []

    def swap() -> Path:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copy(tmp_path / "other.sqlite", target)
        from vaultapp.core.keybox import pin
        from vaultapp.core.keybox.location import describe_location

        pin.forget(describe_location(url))  # the new keybox is another one: a restore does so
        return target

    def after(box: Keybox, result: Path) -> None:
        calls.append((str(result), threading.current_thread() is threading.main_thread()))

    with qtbot.waitSignal(controller.unlocked, timeout=WAIT_MS) as unlocked:
        done = replace(qtbot, controller, swap, unlock=True, after_unlock=after)
    assert done.label is not None and done.problem is None and done.result == target
    assert unlocked.args == [done.label] and controller.is_unlocked
    assert calls == [(str(target), False)]  # on the executor, with the unlocked keybox
    assert profiles(qtbot, controller) == ["globex"]


def test_a_keybox_that_needs_a_secret_stays_locked(qtbot: QtBot, controller: KeyboxController,
                                                   memory_keyring: object) -> None:
    """No keyring entry any more: the silent unlock cannot, so it is left to the unlock
    page (no problem reported, no `unlocked`)."""
    memory_keyring.store.clear()  # type: ignore[attr-defined]
    announced: list[str] = []
    controller.unlocked.connect(announced.append)
    done = replace(qtbot, controller, lambda: None, unlock=True)
    assert done == Replaced(None, None, None)
    assert announced == [] and not controller.is_unlocked


def test_a_keybox_that_does_not_open_is_reported(qtbot: QtBot, controller: KeyboxController,
                                                 url: str) -> None:
    target = Path(url.removeprefix("sqlite:///"))

    def ruin() -> None:
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        target.write_bytes(b"not a keybox at all" * 100)

    done = replace(qtbot, controller, ruin, unlock=True)
    assert done.label is None and isinstance(done.problem, VaultError)
    assert not controller.is_unlocked


def test_an_after_unlock_failure_locks_again(qtbot: QtBot, controller: KeyboxController) -> None:
    def refuse(box: Keybox, result: object) -> None:
        raise VaultError("the audit row could not be written")

    announced: list[str] = []
    controller.unlocked.connect(announced.append)
    done = replace(qtbot, controller, lambda: None, unlock=True, after_unlock=refuse)
    assert done.label is None and str(done.problem) == "the audit row could not be written"
    assert announced == [] and not controller.is_unlocked
    with pytest.raises(KeyboxLockedError):
        controller.executor.call(controller.keybox)  # its keys left memory


def test_a_failed_replacement_goes_to_on_error_and_opens_anew(
        qtbot: QtBot, controller: KeyboxController) -> None:
    errors: list[BaseException] = []

    def broken() -> None:
        raise VaultError("disk full")

    controller.replace_keybox(broken, unlock=True, on_done=lambda r: None,
                              on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_MS)
    assert str(errors[0]) == "disk full" and not controller.is_unlocked
    with qtbot.waitSignal(controller.unlocked, timeout=WAIT_MS):  # the next unlock opens it
        controller.unlock_silently(lambda exc: None)
    assert profiles(qtbot, controller) == ["acme"]
