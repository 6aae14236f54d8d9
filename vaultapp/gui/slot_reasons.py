"""Why a key slot did not unlock, in the window's language.

The core says it in English (`SlotFailure`'s message, which the command line prints) and
also as a code with its values (`SlotReason`, codes in
vaultapp.core.keybox.slots.base.REASONS). Here each code gets its sentence through tr();
a reason without a code (a rare case the core keeps in words) is shown as the core wrote
it. tests/gui/test_gui_slot_reasons.py checks that every code has a sentence here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QCoreApplication

from vaultapp.core.errors import SlotReason


def _tr(text: str) -> str:
    return QCoreApplication.translate("SlotReasons", text)


def _tries(known: str, unknown: str, values: dict[str, object]) -> str:
    """`known` (with {retries}) when the tries left are known, else `unknown`."""
    retries = values.get("retries", -1)
    return (known if isinstance(retries, int) and retries >= 0 else unknown).format(**values)


def _not_touched(values: dict[str, object]) -> str:
    seconds = values.get("seconds", -1)
    if isinstance(seconds, int | float) and seconds > 0:
        return _tr("{device} was not touched within {seconds:g} seconds").format(**values)
    return _tr("{device} was not touched in time").format(**values)


# Each text is a literal inside _tr() (so pyside6-lupdate finds it), looked up when a
# reason is worded: after the window's language was installed.
WORDS: dict[str, Callable[[dict[str, object]], str]] = {
    "damaged": lambda v: _tr("the slot is damaged"),
    "added-since": lambda v: _tr("added since this computer last unlocked; it is used once "
                                 "another slot has unlocked the keybox here"),
    "unknown-kind": lambda v: _tr("a kind of slot this version of vaultapp does not know"),
    "no-passphrase": lambda v: _tr("no passphrase was given"),
    "no-pin": lambda v: _tr("no PIN was given"),
    "wrong-passphrase": lambda v: _tr("wrong passphrase"),
    "wrong-recovery-code": lambda v: _tr("wrong recovery code (a valid code, but not this "
                                         "slot's)"),
    "keyring-missing": lambda v: _tr("the system keyring has no entry for this keybox"),
    "keyring-no-answer": lambda v: _tr("the system keyring did not answer"),
    "no-key": lambda v: _tr("no security key is connected: plug one in"),
    "not-this-key": lambda v: _tr("the connected security key does not hold this slot's "
                                  "credential: another key, or one that was reset"),
    "key-pin-wrong": lambda v: _tries(
        _tr("wrong PIN for {device} ({retries} tries left before the key blocks it)"),
        _tr("wrong PIN for {device}"), v),
    "key-pin-blocked": lambda v: _tr(
        "the PIN of {device} is blocked after too many wrong tries; only a reset unblocks "
        "the key, and a reset erases this slot's credential: unlock with another slot"
    ).format(**v),
    "key-pin-replug": lambda v: _tr("too many wrong PINs in a row for {device}: unplug it, "
                                    "plug it in again and retry").format(**v),
    "key-not-touched": _not_touched,
    "key-cancelled": lambda v: _tr("cancelled while waiting for {device}").format(**v),
    "key-touch-refused": lambda v: _tr("the touch was refused on {device}").format(**v),
    "key-unplugged": lambda v: _tr("{device} stopped answering (unplugged?)").format(**v),
    "key-not-asked": lambda v: _tr("not tried: nothing asked for the touch of a security "
                                   "key"),
    "key-already-added": lambda v: _tr("{device} already unlocks this keybox: a second slot "
                                       "on the same key is no spare; add a different key"
                                       ).format(**v),
    "tpm-unreachable": lambda v: _tr("this computer's TPM is not reachable"),
    "tpm-wrong-pin": lambda v: _tries(
        _tr("wrong PIN ({retries} tries left before the TPM locks PINs out)"),
        _tr("wrong PIN"), v),
    "tpm-locked-out": lambda v: _tr("the TPM refuses PINs for now after too many wrong "
                                    "ones (dictionary attack protection)"),
    "tpm-cleared": lambda v: _tr("the TPM was cleared: the sealed key is gone (or this is "
                                 "another computer's TPM)"),
}


def reason_words(reason: SlotReason) -> str:
    """The reason in the window's language (the core's English when it has no code)."""
    word = WORDS.get(reason.code)
    if word is None:
        return reason.text
    try:
        return word(dict(reason.values))
    except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder
        return reason.text


def reason_lines(reasons: Iterable[SlotReason]) -> list[str]:
    """"slot: why" for each slot tried, in the window's language."""
    return [QCoreApplication.translate("SlotReasons", "{0}: {1}").format(
        reason.slot, reason_words(reason)) for reason in reasons]
