"""Key states and the one table of their transitions.

Every question about what a profile key may do is answered here: the service applies
transitions with `transition`, sealing and opening ask `can_seal` / `can_open`, the
window's buttons ask `allowed`, and `keybox check` asks `has_material`. No other module
spells a state as a string.

The lifecycle (as AWS KMS has it): `enabled` opens, and seals when it is the profile's
primary key; `disabled` neither seals nor opens and is reversible; `pending_destruction`
is like disabled until its waiting period ends, and cancelling leaves the key disabled;
`destroyed` has its material erased for good.
"""

from __future__ import annotations

from enum import StrEnum

from ..errors import Hint, KeyUnusableError, VaultError

DEFAULT_DESTROY_AFTER_DAYS = 7


class KeyState(StrEnum):
    """A profile key's state, stored as its lowercase value."""

    ENABLED = "enabled"
    DISABLED = "disabled"
    PENDING_DESTRUCTION = "pending_destruction"
    DESTROYED = "destroyed"

    @property
    def words(self) -> str:
        """The state for a sentence ("is pending destruction")."""
        return self.value.replace("_", " ")


class Change(StrEnum):
    """A lifecycle change a person (or the waiting period) asks for."""

    ENABLE = "enable"
    DISABLE = "disable"
    SCHEDULE_DESTROY = "schedule_destroy"
    DESTROY = "destroy"
    CANCEL_DESTROY = "cancel_destroy"


_E, _D, _P, _X = (KeyState.ENABLED, KeyState.DISABLED, KeyState.PENDING_DESTRUCTION,
                  KeyState.DESTROYED)

TRANSITIONS: dict[tuple[KeyState, Change], KeyState] = {
    (_E, Change.ENABLE): _E,
    (_D, Change.ENABLE): _E,
    (_E, Change.DISABLE): _D,
    (_D, Change.DISABLE): _D,
    (_E, Change.SCHEDULE_DESTROY): _P,
    (_D, Change.SCHEDULE_DESTROY): _P,
    (_E, Change.DESTROY): _X,
    (_D, Change.DESTROY): _X,
    (_P, Change.DESTROY): _X,
    (_P, Change.CANCEL_DESTROY): _D,
}
"""(state, change) -> new state. A pair that is missing is refused."""

_DOING = {Change.ENABLE: "be enabled", Change.DISABLE: "be disabled",
          Change.SCHEDULE_DESTROY: "be scheduled for destruction",
          Change.DESTROY: "be destroyed again", Change.CANCEL_DESTROY: "be brought back"}


def allowed(state: KeyState, change: Change) -> bool:
    """Whether `change` applies to a key in `state` (the window enables buttons by this)."""
    return (state, change) in TRANSITIONS


def useful(state: KeyState, change: Change) -> bool:
    """Whether `change` is allowed and would change something (a button worth offering)."""
    return allowed(state, change) and TRANSITIONS[(state, change)] != state


def can_open(state: KeyState) -> bool:
    return state is KeyState.ENABLED


def can_seal(state: KeyState, primary: bool) -> bool:
    return primary and state is KeyState.ENABLED


def has_material(state: KeyState) -> bool:
    """Whether the key's wrapped material is still stored (all but destroyed keys)."""
    return state is not KeyState.DESTROYED


def unusable(key_id: str, version: int, state: KeyState, doing: str) -> KeyUnusableError:
    """Why a key in `state` cannot `doing` (e.g. "open files"), with the remedy's hint."""
    hint = {KeyState.DISABLED: Hint.ENABLE_KEY,
            KeyState.PENDING_DESTRUCTION: Hint.CANCEL_DESTRUCTION,
            KeyState.DESTROYED: Hint.KEY_GONE}.get(state, Hint.NONE)
    return KeyUnusableError(
        f"key {key_id[:8]} (version {version}) is {state.words} and cannot {doing}",
        hint=hint, key_id=key_id, state=state.value)


def transition(key_id: str, version: int, state: KeyState, change: Change) -> KeyState:
    """The state after `change`, or the error that says why it does not apply."""
    new = TRANSITIONS.get((state, change))
    if new is not None:
        return new
    if change is Change.SCHEDULE_DESTROY and state is KeyState.PENDING_DESTRUCTION:
        raise VaultError(f"key {key_id[:8]} (version {version}) is already pending "
                         "destruction", hint=Hint.ALREADY_PENDING, key_id=key_id,
                         state=state.value)
    if change is Change.CANCEL_DESTROY and state is not KeyState.DESTROYED:
        raise VaultError(f"key {key_id[:8]} (version {version}) is {state.words}, not pending "
                         "destruction: there is no destruction to cancel", key_id=key_id,
                         state=state.value)
    raise unusable(key_id, version, state, _DOING[change])
