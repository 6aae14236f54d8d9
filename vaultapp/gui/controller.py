"""The window's handle on one keybox. Every keybox call runs on its serial executor.

The controller owns the core `Keybox` and runs each of its calls on one executor thread
(executor.py), in order; results come back as callbacks on the GUI thread. File jobs get
a `KeyLease` instead of the keybox, so locking can take every key back at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Signal

from vaultapp.core.errors import KeyboxLockedError, VaultError
from vaultapp.core.keybox.location import describe_location
from vaultapp.core.secrets_env import take_env_passphrase

from .executor import KeyLease, Leases, SerialExecutor
from .worker import Task, emit

if TYPE_CHECKING:
    from vaultapp.core.keybox.service import Keybox

    from .security_key import WindowPrompts


T = TypeVar("T")


@dataclass(frozen=True)
class Replaced(Generic[T]):
    """What `KeyboxController.replace_keybox` did."""

    result: T
    """What the replacing function returned (a restore: where the old keybox was kept)."""
    label: str | None
    """The slot that unlocked the new keybox; None: it stays locked (not asked to unlock,
    or only a typed secret can)."""
    problem: VaultError | None = None
    """Why the new keybox did not unlock, when it was asked to and the reason is not
    merely that a secret must be typed (it is damaged, or not a keybox)."""


@dataclass(frozen=True)
class UnlockWays:
    """What the unlock page may offer for this keybox (read while it is locked)."""

    secret: int = 0
    """Slots that prove a person is here (they may unlock after a lock)."""
    typed: int = 0
    """Slots that take a typed secret: passphrase, recovery code."""
    security_key: bool = False
    """A security-key (FIDO2) slot."""
    tpm_pin: bool = False
    """A TPM slot with a PIN."""


def _keybox_class() -> type[Keybox]:
    """The keybox service, imported on the executor: SQLAlchemy loads after the first paint."""
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
        self._unlocked = False  # what the GUI thread knows; the executor holds the truth
        self._locked_once = False  # a lock since start: unlocking then asks for a secret
        self.location = describe_location(url)
        self.last_marker: tuple[int, int] | None = None
        self.executor = SerialExecutor()
        self._leases = Leases()

    # --- state ---

    def keybox(self) -> Keybox:
        """The unlocked keybox, on the executor only; raises KeyboxLockedError when locked."""
        if not self.executor.on_executor():
            raise RuntimeError("the keybox is used on its executor only")
        box = self._box
        if box is None or not box.is_unlocked:
            raise KeyboxLockedError("the keybox is locked; unlock it first")
        return box

    @property
    def is_unlocked(self) -> bool:
        return self._unlocked

    def lease(self) -> KeyLease:
        """Key access for one file job (any thread), revoked by the next lock."""
        return self._leases.add(KeyLease(self.executor, self.keybox))

    def lock(self) -> None:
        """Take every key back: leases first (no job can start another file's key), then
        the keybox's own keys, zeroed on the executor after the calls queued before."""
        self._leases.revoke_all()
        self._unlocked = False
        self._locked_once = True
        box = self._box
        if box is not None:
            self.executor.submit(lambda t: box.lock())
        emit(self.locked)

    def close(self) -> None:
        self._leases.revoke_all()
        self._unlocked = False
        box, self._box = self._box, None
        if box is not None:
            self.executor.submit(lambda t: box.close())
        self.executor.wait()

    # --- executor jobs ---

    def run(self, func: Callable[[Task], Any], on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None) -> Task:
        return self.executor.submit(func, on_done, on_error)

    def check_exists(self, on_done: Callable[[bool], None],
                     on_error: Callable[[BaseException], None]) -> Task:
        return self.run(lambda t: _keybox_class().exists(self.url), on_done, on_error)

    def _opened(self) -> Keybox:
        if self._box is None:
            self._box = _keybox_class().open(self.url)
        return self._box

    def _announce_unlocked(self, label: str) -> None:
        self._unlocked = True
        emit(self.unlocked, label)

    @property
    def locked_once(self) -> bool:
        """Whether the keybox was locked (explicitly, idle or screen lock) since start."""
        return self._locked_once

    def unlock_silently(self, on_error: Callable[[BaseException], None], *,
                        keyring_after_lock: bool = False) -> Task:
        """Unlock through the slots that need no typed secret (OS keyring, then KMS).

        Before the first lock the desktop session has proved the person: the keyring
        unlocks silently (or VAULTAPP_PASSPHRASE, when the environment gives one, through
        the passphrase slots only). After a lock this is refused with KeyboxLockedError
        while the keybox has a secret slot, unless `keyring_after_lock` (the person's
        setting); a keybox without any secret slot is still let in, or it could never be
        unlocked again in this window.
        """
        after_lock = self._locked_once

        def work(task: Task) -> str:
            box = self._opened()
            if not after_lock:
                env = take_env_passphrase()
                if env is not None:
                    return box.unlock(passphrase=env)
            elif not keyring_after_lock and any(s.secret for s in box.slots()):
                raise KeyboxLockedError(QCoreApplication.translate(
                    "KeyboxController", "After a lock the vault is unlocked with a passphrase, "
                    "not the system keyring alone."))
            label: str = box.unlock()
            return label

        return self.run(work, self._announce_unlocked, on_error)

    def unlock_with_passphrase(self, passphrase: str,
                               on_error: Callable[[BaseException], None]) -> Task:
        """Unlock with a typed passphrase: tried against the secret slots only, so a wrong
        one is refused even when the keyring could unlock."""
        after_lock = self._locked_once

        def work(task: Task) -> str:
            label: str = self._opened().unlock(passphrase=passphrase, secrets_only=after_lock)
            return label

        return self.run(work, self._announce_unlocked, on_error)

    def unlock_with_device(self, kind: str, prompts: WindowPrompts,
                           on_finished: Callable[[], None],
                           on_error: Callable[[BaseException], None]) -> Task:
        """Unlock through the slots of `kind` ("fido2": a security key; "tpm": this
        computer's TPM), the person reached through `prompts` (touch, PIN). After a lock
        only those that prove a person is here count (a TPM slot without a PIN does not).
        `on_finished` runs on the GUI thread first, however it ended."""
        after_lock = self._locked_once

        def work(task: Task) -> str:
            from vaultapp.core.keybox.slots.fido2 import prompting

            with prompting(prompts):
                label: str = self._opened().unlock(kinds=(kind,), secrets_only=after_lock,
                                                   ask_pin=prompts.ask_tpm_pin)
            return label

        def done(label: str) -> None:
            on_finished()
            self._announce_unlocked(label)

        def failed(exc: BaseException) -> None:
            on_finished()
            on_error(exc)

        return self.run(work, done, failed)

    def unlock_ways(self, on_done: Callable[[UnlockWays], None],
                    on_error: Callable[[BaseException], None]) -> Task:
        """Which ways of unlocking this keybox has (read while locked, on the executor)."""
        def work(task: Task) -> UnlockWays:
            from vaultapp.core.keybox.slots.registry import provider_for

            slots = self._opened().slots()
            typed = 0
            for s in slots:
                provider = provider_for(s.kind)
                typed += provider is not None and bool(provider.needs_secret)
            return UnlockWays(secret=sum(1 for s in slots if s.secret), typed=typed,
                              security_key=any(s.kind == "fido2" for s in slots),
                              tpm_pin=any(s.kind == "tpm" and s.secret for s in slots))

        return self.run(work, on_done, on_error)

    def replace_keybox(self, replace: Callable[[], T], *, unlock: bool,
                       on_done: Callable[[Replaced[T]], None],
                       on_error: Callable[[BaseException], None],
                       after_unlock: Callable[[Keybox, T], None] | None = None) -> Task:
        """Put another keybox at this controller's location (a restore), the one way
        to swap the keybox under the window.

        On the GUI thread, as a lock does, every key lease is revoked and the window is
        no longer unlocked; no `locked` is announced (the caller shows what it wants
        meanwhile). On the executor, after the calls queued before: the open keybox is
        closed (its last connection folds the write-ahead log into its file), then
        `replace()` runs (it may replace the file and the pin). Only when `unlock` (the
        window was unlocked when the person asked) is the keybox now at the location
        opened and unlocked as at start: VAULTAPP_PASSPHRASE, else the slots that need
        no typed secret; `after_unlock(box, result)` then runs on it (the restore's
        audit row). Otherwise it is left locked, for the unlock page and its rules: a
        replacement is never a way around a lock.

        Back on the GUI thread `unlocked` is announced when it unlocked, then `on_done`
        gets the `Replaced`. A `replace()` that fails goes to `on_error` and leaves no
        keybox open: the next unlock opens whatever is at the location then.
        """
        self._leases.revoke_all()
        self._unlocked = False

        def work(task: Task) -> Replaced[T]:
            old, self._box = self._box, None
            if old is not None:
                old.close()
            result = replace()
            if not unlock:
                return Replaced(result, None)
            try:
                box = self._opened()
                label: str = box.unlock(take_env_passphrase())
            except KeyboxLockedError:
                return Replaced(result, None)
            except VaultError as exc:
                return Replaced(result, None, exc)
            if after_unlock is not None:
                try:
                    after_unlock(box, result)
                except VaultError as exc:
                    box.lock()  # the window will not show it unlocked: keys leave memory
                    return Replaced(result, None, exc)
            return Replaced(result, label)

        def done(replaced: Replaced[T]) -> None:
            if replaced.label is not None:
                self._announce_unlocked(replaced.label)
            on_done(replaced)

        return self.run(work, done, on_error)

    def secret_slot_count(self, on_done: Callable[[int], None],
                          on_error: Callable[[BaseException], None]) -> Task:
        """How many slots prove a person after a lock (passphrase, …); read while locked."""
        return self.run(lambda t: sum(1 for s in self._opened().slots() if s.secret),
                        on_done, on_error)

    def create(self, use_keyring: bool, passphrase: str | None, profile: str,
               on_error: Callable[[BaseException], None]) -> Task:
        def work(task: Task) -> str:
            box = _keybox_class().create(self.url, use_keyring=use_keyring, passphrase=passphrase)
            if profile:
                box.create_profile(profile)
            self._box = box
            return "new keybox"

        return self.run(work, self._announce_unlocked, on_error)

    def load(self, on_done: Callable[[tuple[list[Any], list[Any], Any]], None],
             on_error: Callable[[BaseException], None]) -> Task:
        """Profiles and keys, for the window."""
        def work(task: Task) -> tuple[list[Any], list[Any], Any]:
            box = self.keybox()
            self.last_marker = box.change_marker()
            return box.profiles(), box.keys(), box.last_backup_at()

        return self.run(work, on_done, on_error)

    def poll_changes(self, on_changed: Callable[[], None]) -> Task | None:
        """Ask (on the executor) whether another process changed the keybox."""
        if not self.is_unlocked:
            return None

        def work(task: Task) -> bool:
            marker = self.keybox().change_marker()
            return self.last_marker is not None and marker != self.last_marker

        return self.run(work, lambda changed: on_changed() if changed else None,
                        lambda exc: None)

    def change(self, func: Callable[[Keybox], Any], on_done: Callable[[Any], None],
               on_error: Callable[[BaseException], None]) -> Task:
        """Run a keybox change on the executor, then announce `changed`."""
        def done(result: Any) -> None:
            on_done(result)
            emit(self.changed)

        return self.run(lambda t: func(self.keybox()), done, on_error)
