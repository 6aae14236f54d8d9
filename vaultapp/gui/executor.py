"""The one serial executor that owns the window's keybox, and the key leases file jobs get.

Every keybox call of the window runs on one thread, in order (as Electrum's TaskThread
serialises a wallet's calls), so no two calls ever race on the keybox's cached keys. File
jobs run elsewhere and never touch the keybox: they hold a `KeyLease`, whose every call
(the primary key for sealing, a key for opening, the audit row) is carried out on the
executor and returns an immutable copy. Locking revokes every lease first, then zeroes
the keybox's keys on the executor: a job either got a whole key before the lock, or gets
KeyboxLockedError after it; it can never see a zeroed or half-erased key, and it never
puts a key back into a locked keybox's cache.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QRunnable, QThreadPool

from vaultapp.core.envelope import Recipient
from vaultapp.core.errors import KeyboxLockedError
from vaultapp.core.format import Stanza
from vaultapp.core.jobs.rewrap import rewrap_in_place

from .worker import Task, run_task

if TYPE_CHECKING:
    from vaultapp.core import age
    from vaultapp.core.keybox.service import Keybox

T = TypeVar("T")


class SerialExecutor:
    """One thread that runs submitted functions one at a time, in submission order."""

    def __init__(self) -> None:
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(1)
        self.pool.setExpiryTimeout(-1)  # keep the one thread: its identity is checked
        self._thread: int | None = None

    def submit(self, func: Callable[[Task], Any], on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None) -> Task:
        """Run `func(task)` on the executor; callbacks come back on the GUI thread."""
        def marked(task: Task) -> Any:
            self._thread = threading.get_ident()
            return func(task)

        return run_task(marked, on_done, on_error, pool=self.pool)

    def on_executor(self) -> bool:
        return self._thread == threading.get_ident()

    def call(self, func: Callable[[], T]) -> T:
        """Run `func` on the executor and wait for its result (from a worker thread; the
        GUI thread must never wait)."""
        if self.on_executor():
            return func()
        call = _Call(self, func)
        self.pool.start(call)
        call.done.wait()
        if call.error is not None:
            raise call.error
        result: T = call.result
        return result

    def wait(self, timeout_ms: int = 30_000) -> bool:
        return self.pool.waitForDone(timeout_ms)


class _Call(QRunnable):
    """One synchronous call: runs on the executor, its outcome read by the caller."""

    def __init__(self, executor: SerialExecutor, func: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the caller reads the outcome after it ran
        self.executor, self.func = executor, func
        self.done = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        self.executor._thread = threading.get_ident()
        try:
            self.result = self.func()
        except BaseException as exc:  # handed to the waiting thread
            self.error = exc
        finally:
            self.done.set()


class KeyLease:
    """What one file job may ask of the keybox, each answer an immutable copy made on the
    executor. Revoked by a lock: every call after it raises KeyboxLockedError."""

    def __init__(self, executor: SerialExecutor, keybox: Callable[[], Keybox]) -> None:
        self._executor = executor
        self._keybox = keybox
        self._revoked = threading.Event()

    def revoke(self) -> None:
        self._revoked.set()

    @property
    def revoked(self) -> bool:
        return self._revoked.is_set()

    def _run(self, func: Callable[[Keybox], T]) -> T:
        def guarded() -> T:
            # Checked on the executor, where lock() also runs: nothing slips in between.
            if self._revoked.is_set():
                raise KeyboxLockedError("the keybox was locked; unlock it to go on")
            return func(self._keybox())

        return self._executor.call(guarded)

    def default_profile(self, name: str | None) -> str:
        return self._run(lambda box: box.default_profile(name))

    def recipient(self, profile: str) -> Recipient:
        return self._run(lambda box: box.recipient(profile))

    def resolve(self, profile_id: bytes, key_id: bytes) -> bytes | None:
        """KeyResolver for opening and verifying files."""
        return self._run(lambda box: box.resolve(profile_id, key_id))

    def record_sealed(self, key_id: bytes, files: int, profile: str | None = None) -> None:
        self._run(lambda box: box.record_sealed(key_id, files, profile))

    def rewrap_target(self, stanza: Stanza) -> Recipient | None:
        return self._run(lambda box: box.rewrap_target(stanza))

    def record_rewrapped(self, old_key: bytes, new_key: bytes, profile_id: bytes) -> None:
        self._run(lambda box: box.record_rewrapped(old_key, new_key, profile_id))

    def rewrap_file(self, path: Path) -> tuple[bytes, bytes] | None:
        """Rewrap on the job's thread; only the keybox's part runs on the executor."""
        return rewrap_in_place(path, self)

    def age_identities(self) -> list[age.Identity]:
        """The keybox's identities, for opening age files: unwrapped on the executor, as
        the keys for sealed files are; after a lock, KeyboxLockedError."""
        return self._run(lambda box: list(box.people.age_identities()))


class Leases:
    """The leases handed out and not yet collected, so a lock can revoke them all."""

    def __init__(self) -> None:
        self._live: weakref.WeakSet[KeyLease] = weakref.WeakSet()

    def add(self, lease: KeyLease) -> KeyLease:
        self._live.add(lease)
        return lease

    def revoke_all(self) -> None:
        for lease in list(self._live):
            lease.revoke()
