"""The window's handle on one keybox. Every keybox call runs on a worker.

The controller owns the core `Keybox` and turns its blocking calls into `run_task` jobs
whose results come back as callbacks on the GUI thread.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from vaultapp.core.errors import KeyboxLockedError
from vaultapp.core.keybox.location import describe_location

from .worker import Task, emit, run_task

if TYPE_CHECKING:
    from vaultapp.core.keybox.service import Keybox


def _keybox_class() -> type[Keybox]:
    """The keybox service, imported on a worker: SQLAlchemy loads after the first paint."""
    from vaultapp.core.keybox.service import Keybox

    return Keybox


class KeyboxController(QObject):
    locked = Signal()
    unlocked = Signal(str)
    changed = Signal()

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self._box: Keybox | None = None
        self.location = describe_location(url)
        self.last_marker: tuple[int, int] | None = None

    # --- state ---

    def keybox(self) -> Keybox:
        """The unlocked keybox (worker side); raises KeyboxLockedError when locked."""
        box = self._box
        if box is None or not box.is_unlocked:
            raise KeyboxLockedError("the keybox is locked; unlock it first")
        return box

    @property
    def is_unlocked(self) -> bool:
        return self._box is not None and self._box.is_unlocked

    def lock(self) -> None:
        """Drop all key material at once (a fast in-memory operation) and say so."""
        if self._box is not None:
            self._box.lock()
        emit(self.locked)

    def close(self) -> None:
        if self._box is not None:
            self._box.close()
            self._box = None

    # --- worker jobs ---

    def run(self, func: Callable[[Task], Any], on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None) -> Task:
        return run_task(func, on_done, on_error)

    def check_exists(self, on_done: Callable[[bool], None],
                     on_error: Callable[[BaseException], None]) -> Task:
        return run_task(lambda t: _keybox_class().exists(self.url), on_done, on_error)

    def _opened(self) -> Keybox:
        if self._box is None:
            self._box = _keybox_class().open(self.url)
        return self._box

    def try_unlock(self, passphrase: str | None, on_error: Callable[[BaseException], None]) \
            -> Task:
        """Unlock through the keyring/KMS slots, then the passphrase if one is given."""
        def work(task: Task) -> str:
            box = self._opened()
            label: str = box.unlock(passphrase or os.environ.get("VAULTAPP_PASSPHRASE"))
            return label

        return run_task(work, lambda label: emit(self.unlocked, label), on_error)

    def create(self, use_keyring: bool, passphrase: str | None, profile: str,
               on_error: Callable[[BaseException], None]) -> Task:
        def work(task: Task) -> str:
            box = _keybox_class().create(self.url, use_keyring=use_keyring, passphrase=passphrase)
            if profile:
                box.create_profile(profile)
            self._box = box
            return "new keybox"

        return run_task(work, lambda label: emit(self.unlocked, label), on_error)

    def load(self, on_done: Callable[[tuple[list[Any], list[Any], Any]], None],
             on_error: Callable[[BaseException], None]) -> Task:
        """Profiles and keys, for the window."""
        def work(task: Task) -> tuple[list[Any], list[Any], Any]:
            box = self.keybox()
            self.last_marker = box.change_marker()
            return box.profiles(), box.keys(), box.last_backup_at()

        return run_task(work, on_done, on_error)

    def poll_changes(self, on_changed: Callable[[], None]) -> Task | None:
        """Ask (on a worker) whether another process changed the keybox."""
        if not self.is_unlocked:
            return None

        def work(task: Task) -> bool:
            marker = self.keybox().change_marker()
            changed = self.last_marker is not None and marker != self.last_marker
            return changed

        return run_task(work, lambda changed: on_changed() if changed else None,
                        lambda exc: None)

    def change(self, func: Callable[[Keybox], Any], on_done: Callable[[Any], None],
               on_error: Callable[[BaseException], None]) -> Task:
        """Run a keybox change on a worker, then announce `changed`."""
        def done(result: Any) -> None:
            on_done(result)
            emit(self.changed)

        return run_task(lambda t: func(self.keybox()), done, on_error)
