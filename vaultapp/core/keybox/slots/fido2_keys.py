"""Talking to security keys for the `fido2` slot, through python-fido2's client.

Two ways to a key. Everywhere but Windows: the keys on USB HID (`CtapHidDevice`), or the
devices a test hands over (`fido2.device_source`), each driven by python-fido2's
`Fido2Client` (CTAP2, PIN/UV auth protocol 2, the hmac-secret extension behind PRF).
On Windows (10 1903 and later) programs that are not elevated may not open a security
key directly, so the Windows WebAuthn API is the path: python-fido2's `WindowsClient`,
whose own dialog asks for the touch and the PIN. That path is written as the library
documents it but is UNTESTED here (no Windows machine in CI); docs/KEYBOX.md says so.

Every failure becomes a SlotFailure whose message says what happened, in words for any
front end: no key connected, a key without this slot's credential (another key, or one
that was reset), the PIN wrong / blocked / needing a replug, no touch in time, refused.
"""

from __future__ import annotations

import glob
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from fido2.client import (
    ClientError,
    DefaultClientDataCollector,
    Fido2Client,
    PinRequiredError,
    UserInteraction,
)
from fido2.ctap import CtapDevice, CtapError
from fido2.ctap2.base import Ctap2
from fido2.ctap2.extensions import HmacSecretExtension
from fido2.ctap2.pin import ClientPin
from fido2.webauthn import (
    AttestationConveyancePreference,
    AuthenticatorData,
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialCreationOptions,
    PublicKeyCredentialDescriptor,
    PublicKeyCredentialParameters,
    PublicKeyCredentialRequestOptions,
    PublicKeyCredentialRpEntity,
    PublicKeyCredentialType,
    PublicKeyCredentialUserEntity,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from ...errors import UsageError
from .base import SlotFailure

if TYPE_CHECKING:  # the slot module imports this one, never the other way round
    from .fido2 import Fido2Params, SecurityKeyPrompts

try:
    from fido2.hid import ConnectionFailure as _ConnectionFailure
except Exception:  # no HID backend for this platform: no HID connection can fail either
    _ConnectionFailure = OSError  # type: ignore[misc,assignment]

ERR = CtapError.ERR
PIN_ATTEMPTS = 3
"""Wrong PINs asked again within one unlock (a key needs a replug after three in a row)."""
_ALGORITHMS = (-7, -8)  # ES256, EdDSA: the signature is never checked, any key type does
_T = TypeVar("_T")


@dataclass(frozen=True)
class Access:
    """How to reach keys and the person (fido2.py fills it in from its settings)."""

    prompts: SecurityKeyPrompts | None
    devices: Callable[[], Sequence[Any]] | None
    """The connected keys (tests); None: the system's."""
    timeout_s: float
    rp_id: str


class _Target(NamedTuple):
    """The credential to ask for, and how."""

    rp_id: str
    credential_id: bytes
    salt: bytes
    uv: bool
    device: str


@dataclass(frozen=True)
class Enrolled:
    """A credential made for a new slot, and the secret it derived from the slot's salt."""

    credential_id: bytes
    uv: bool
    device: str
    secret: bytes


class _Collector(DefaultClientDataCollector):
    """Client data for vaultapp's own relying party (a desktop program has no web origin
    to check it against, so only that one relying party is accepted)."""

    def __init__(self, rp_id: str) -> None:
        super().__init__(f"https://{rp_id}", verify=lambda given, origin: given == rp_id)


class _Wait(threading.Event):
    """The cancel signal handed to python-fido2: set once the wait has lasted longer than
    `timeout_s` since the person last did something, or the front end cancelled."""

    def __init__(self, access: Access) -> None:
        super().__init__()
        self._outer = access.prompts.cancel if access.prompts is not None else None
        self.timeout_s = access.timeout_s
        self.restart()

    def restart(self) -> None:
        self._end = time.monotonic() + self.timeout_s

    @property
    def cancelled(self) -> bool:
        return self._outer is not None and self._outer.is_set()

    @property
    def expired(self) -> bool:
        return time.monotonic() >= self._end

    def is_set(self) -> bool:
        return super().is_set() or self.cancelled or self.expired


class _Interaction(UserInteraction):
    """python-fido2's callbacks, passed on to the front end's prompts."""

    def __init__(self, prompts: SecurityKeyPrompts | None, device: str, wait: _Wait,
                 retries: int | None, wrong: bool, remembered: dict[str, str],
                 min_length: int) -> None:
        self._prompts, self._device, self._wait = prompts, device, wait
        self._retries, self._wrong, self._remembered = retries, wrong, remembered
        self._min_length = max(4, min_length)
        self.pin_given = False

    def prompt_up(self) -> None:
        self._wait.restart()
        if self._prompts is not None:
            self._prompts.touch(self._device)

    def request_pin(self, permissions: ClientPin.PERMISSION, rp_id: str | None) -> str | None:
        pin = self._remembered.get("pin")
        if pin is None and self._prompts is not None:
            pin = self._prompts.ask_pin(self._device, self._retries, self._wrong)
        self._wait.restart()
        if not pin:
            return None
        try:
            pin.encode("utf-8")
        except UnicodeError:
            raise UsageError("the security key PIN is not valid UTF-8 text") from None
        if len(pin) < self._min_length:  # never sent: a short PIN would cost a retry
            raise SlotFailure(f"a PIN of {self._device} has at least {self._min_length} "
                              "characters; nothing was sent to the key")
        self.pin_given = True
        self._remembered["pin"] = pin  # for the second call of the same enrolment
        return pin

    def request_uv(self, permissions: ClientPin.PERMISSION, rp_id: str | None) -> bool:
        return True  # the key's own fingerprint reader (or PIN pad) asks the person


# --- finding keys ----------------------------------------------------------------------

def _connected(access: Access) -> list[CtapDevice]:
    if access.devices is not None:
        return list(access.devices())
    try:
        from fido2.hid import CtapHidDevice, list_descriptors, open_connection
    except Exception:  # python-fido2 has no HID backend for this platform
        return []
    found: list[CtapDevice] = []
    for descriptor in list_descriptors():  # type: ignore[no-untyped-call]
        try:
            connection = open_connection(descriptor)  # type: ignore[no-untyped-call]
            found.append(CtapHidDevice(descriptor, connection))
        except Exception:  # busy, unplugged while opening, not a FIDO device after all
            continue
    return found


def _no_key(access: Access) -> SlotFailure:
    text = "no security key is connected: plug one in"
    if access.devices is None and sys.platform.startswith("linux"):
        closed = [p for p in glob.glob("/dev/hidraw*") if not os.access(p, os.R_OK | os.W_OK)]
        if closed:
            text += (f" (this user may not open {len(closed)} HID device(s); the FIDO/U2F "
                     "udev rules of the distribution grant access to security keys)")
    return SlotFailure(text, "no-key")


def _name(device: CtapDevice) -> str:
    name = getattr(device, "product_name", None)
    return str(name)[:80] if name else "the security key"


def _ctap2(device: CtapDevice, name: str) -> Ctap2:
    try:
        return Ctap2(device)
    except ValueError:
        raise SlotFailure(f"{name} is a U2F-only key: it cannot derive secrets (FIDO2 with "
                          "hmac-secret is needed)") from None
    except (CtapError, OSError) as exc:
        raise SlotFailure(f"{name} did not answer ({_short(exc)})") from None


def _close(devices: Sequence[CtapDevice]) -> None:
    for device in devices:
        try:
            device.close()
        except Exception:  # already gone
            continue


def _short(exc: BaseException) -> str:
    if isinstance(exc, CtapError):
        return f"CTAP error {getattr(exc.code, 'name', exc.code)}"
    return type(exc).__name__


# --- the two operations ------------------------------------------------------------------

def enroll(keybox_id: str, salt: bytes, access: Access,
           taken: Sequence[tuple[bytes, str]] = ()) -> Enrolled:
    """Make this keybox's credential on the one connected key and derive the slot's
    secret from `salt` (one touch when the key returns it at once, else two). `taken`:
    (credential id, slot label) of the keybox's security-key slots; a key holding one
    of them is refused before it is touched (CTAP's `up: false` pre-flight), and the
    credentials also go in the request's exclude list for keys that will not say."""
    if _windows(access):
        return _windows_enroll(keybox_id, salt, access, taken)
    prompts = access.prompts
    devices = _connected(access)
    try:
        if not devices:
            raise _no_key(access)
        if len(devices) > 1:
            raise SlotFailure(f"{len(devices)} security keys are connected: leave only the "
                              "one to add plugged in")
        device, name = devices[0], _name(devices[0])
        ctap = _ctap2(device, name)
        if HmacSecretExtension.NAME not in ctap.info.extensions:
            raise SlotFailure(f"{name} cannot derive secrets (it lacks the hmac-secret "
                              "extension)")
        for credential_id, label in taken:
            if _holds(ctap, _Target(access.rp_id, credential_id, b"", False, name)):
                raise SlotFailure(_already_added(name, label), "key-already-added",
                                  device=name)
        verified = any(ctap.info.options.get(k) for k in ("clientPin", "uv", "bioEnroll"))
        if not verified and prompts is not None:
            prompts.no_pin(name)
        options = _creation_options(access.rp_id, keybox_id, salt,
                                    UserVerificationRequirement.REQUIRED if verified
                                    else UserVerificationRequirement.DISCOURAGED, taken)
        remembered: dict[str, str] = {}
        made = _with_pin(lambda client, wait: client.make_credential(options, event=wait),
                         device, name, ctap, access, remembered, needs_pin=verified)
        auth_data = made.response.attestation_object.auth_data
        prf = made.client_extension_results.prf
        if prf is None or not prf.enabled:
            raise SlotFailure(f"{name} did not enable the hmac-secret extension")
        target = _Target(access.rp_id, made.raw_id, salt,
                         bool(auth_data.flags & AuthenticatorData.FLAG.UV), name)
        secret = prf.results.first if prf.results is not None else None
        if secret is None:  # the key has no hmac-secret-mc: ask it once more
            secret = _secret(device, name, ctap, target, access, remembered)
        return Enrolled(target.credential_id, target.uv, name, bytes(secret))
    finally:
        _close(devices)


def derive(params: Fido2Params, access: Access) -> bytes:
    """The slot's secret from whichever connected key holds its credential."""
    target = _Target(params.rp_id, params.credential_id, params.salt, params.uv,
                     params.device)
    if _windows(access):
        return _windows_derive(target, access)
    devices = _connected(access)
    try:
        if not devices:
            raise _no_key(access)
        holders: list[tuple[CtapDevice, str, Ctap2]] = []
        reasons: list[str] = []
        for device in devices:
            name = _name(device)
            try:
                ctap = _ctap2(device, name)
                if _holds(ctap, target) is not False:
                    holders.append((device, name, ctap))
            except SlotFailure as exc:
                reasons.append(str(exc))
        if not holders:
            if reasons:
                raise SlotFailure("; ".join(reasons))
            raise SlotFailure(_not_this_key(target, len(devices)), "not-this-key")
        failure = SlotFailure("")
        for device, name, ctap in holders:
            try:
                return _secret(device, name, ctap, target, access, {})
            except SlotFailure as exc:
                failure = exc
        raise failure
    finally:
        _close(devices)


def _already_added(name: str, label: str | None) -> str:
    which = f" (slot “{label}”)" if label else ""
    return (f"{name} already unlocks this keybox{which}: a second slot on the same key is "
            "no spare; add a different key")


def _not_this_key(target: _Target, count: int) -> str:
    which = "the connected security key does not hold" if count == 1 else \
        f"none of the {count} connected security keys holds"
    return (f"{which} this slot's credential: another key, or a key that was reset (the "
            f"slot was made with {target.device})")


def _holds(ctap: Ctap2, target: _Target) -> bool | None:
    """Whether the key holds the credential, asked without a touch or a PIN (CTAP's
    `up: false` pre-flight); None when the key will not say (then it is simply asked)."""
    try:
        ctap.get_assertion(target.rp_id, bytes(32),
                           [{"type": "public-key", "id": target.credential_id}],
                           options={"up": False})
    except CtapError as exc:
        return False if exc.code == ERR.NO_CREDENTIALS else None
    except OSError:
        return None
    return True


def _secret(device: CtapDevice, name: str, ctap: Ctap2, target: _Target, access: Access,
            remembered: dict[str, str]) -> bytes:
    options = _request_options(target)
    selection = _with_pin(lambda client, wait: client.get_assertion(options, event=wait),
                          device, name, ctap, access, remembered, needs_pin=target.uv)
    prf = selection.get_response(0).client_extension_results.prf
    if prf is None or prf.results is None:
        raise SlotFailure(f"{name} answered without the slot's secret (hmac-secret)")
    return bytes(prf.results.first)


def _with_pin(call: Callable[[Fido2Client, _Wait], _T], device: CtapDevice, name: str,
              ctap: Ctap2, access: Access, remembered: dict[str, str], *,
              needs_pin: bool) -> _T:
    """Run one client call, asking the PIN again after a wrong one (up to PIN_ATTEMPTS)."""
    retries = _retries(ctap) if needs_pin else None
    if retries == 0:
        raise _blocked(name)
    wrong = False
    for _attempt in range(PIN_ATTEMPTS):
        wait = _Wait(access)
        interaction = _Interaction(access.prompts, name, wait, retries, wrong, remembered,
                                   ctap.info.min_pin_length)
        client = Fido2Client(device, _Collector(access.rp_id), interaction,
                             extensions=[HmacSecretExtension()])  # type: ignore[no-untyped-call]
        try:
            return call(client, wait)
        except PinRequiredError:
            raise (_wrong_pin(name, retries) if wrong else SlotFailure(
                f"no PIN was given for {name}, which this slot needs", "no-pin")) from None
        except ClientError as exc:
            code = exc.cause.code if isinstance(exc.cause, CtapError) else None
            if code != ERR.PIN_INVALID:
                raise _reason(exc, code, name, wait, needs_pin) from None
            remembered.clear()
            wrong, retries = True, _retries(ctap)
            if retries == 0:
                raise _blocked(name) from None
        except CtapError as exc:
            raise _reason(None, exc.code, name, wait, needs_pin) from None
        except (OSError, _ConnectionFailure):
            raise SlotFailure(f"{name} stopped answering (unplugged?)", "key-unplugged",
                          device=name) from None
    raise _wrong_pin(name, retries)


def _retries(ctap: Ctap2) -> int | None:
    try:
        if not ctap.get_info().options.get("clientPin"):
            return None
        return int(ClientPin(ctap).get_pin_retries()[0])
    except (CtapError, OSError, ValueError):
        return None


def _wrong_pin(name: str, retries: int | None) -> SlotFailure:
    left = "" if retries is None else f" ({retries} tries left before the key blocks it)"
    return SlotFailure(f"wrong PIN for {name}{left}", "key-pin-wrong", device=name,
                       retries=-1 if retries is None else retries)


def _blocked(name: str) -> SlotFailure:
    return SlotFailure(f"the PIN of {name} is blocked after too many wrong tries; only a "
                       "reset unblocks the key, and a reset erases this slot's credential: "
                       "unlock with another slot", "key-pin-blocked", device=name)


def _reason(exc: ClientError | None, code: Any, name: str, wait: _Wait,
            needs_pin: bool) -> SlotFailure:
    """A person-readable reason for a failed call (never key material)."""
    if code == ERR.PIN_BLOCKED:
        return _blocked(name)
    if code == ERR.PIN_AUTH_BLOCKED:
        return SlotFailure(f"too many wrong PINs in a row for {name}: unplug it, plug it in "
                           "again and retry", "key-pin-replug", device=name)
    if code == ERR.NO_CREDENTIALS:
        return SlotFailure(f"{name} does not hold this slot's credential: another key, or "
                           "it was reset", "not-this-key")
    if code == ERR.CREDENTIAL_EXCLUDED:
        return SlotFailure(_already_added(name, None), "key-already-added", device=name)
    if code == ERR.OPERATION_DENIED:
        return SlotFailure(f"the touch was refused on {name}", "key-touch-refused",
                           device=name)
    if code in (ERR.UV_BLOCKED, ERR.UV_INVALID):
        return SlotFailure(f"the built-in user verification of {name} failed")
    timed_out = code in (ERR.KEEPALIVE_CANCEL, ERR.ACTION_TIMEOUT, ERR.USER_ACTION_TIMEOUT) or (
        exc is not None and exc.code == ClientError.ERR.TIMEOUT)
    if timed_out:
        if wait.cancelled:
            return SlotFailure(f"cancelled while waiting for {name}", "key-cancelled",
                               device=name)
        if wait.expired:
            return SlotFailure(f"{name} was not touched within {wait.timeout_s:g} seconds",
                               "key-not-touched", device=name, seconds=wait.timeout_s)
        return SlotFailure(f"{name} was not touched in time", "key-not-touched", device=name,
                           seconds=-1)
    if exc is not None and exc.code == ClientError.ERR.CONFIGURATION_UNSUPPORTED:
        if needs_pin:
            return SlotFailure(f"this slot needs the PIN of {name}, but the key has none set "
                               "(was it reset?)")
        return SlotFailure(f"{name} cannot do what this slot needs ({exc.cause})")
    if code is not None:
        return SlotFailure(f"{name} refused (CTAP error {getattr(code, 'name', code)})")
    return SlotFailure(f"{name} failed ({exc!r})")


def _request_options(target: _Target, timeout_ms: int | None = None
                     ) -> PublicKeyCredentialRequestOptions:
    return PublicKeyCredentialRequestOptions(
        challenge=os.urandom(32), rp_id=target.rp_id, timeout=timeout_ms,
        allow_credentials=[PublicKeyCredentialDescriptor(
            type=PublicKeyCredentialType.PUBLIC_KEY, id=target.credential_id)],
        user_verification=UserVerificationRequirement.REQUIRED if target.uv
        else UserVerificationRequirement.DISCOURAGED,
        extensions={"prf": {"eval": {"first": target.salt}}})


def _creation_options(rp_id: str, keybox_id: str, salt: bytes,
                      uv: UserVerificationRequirement,
                      taken: Sequence[tuple[bytes, str]] = ()
                      ) -> PublicKeyCredentialCreationOptions:
    return PublicKeyCredentialCreationOptions(
        rp=PublicKeyCredentialRpEntity(name="vaultapp", id=rp_id),
        user=PublicKeyCredentialUserEntity(name=f"keybox {keybox_id[:8]}",
                                           id=bytes.fromhex(keybox_id),
                                           display_name=f"keybox {keybox_id[:8]} (vaultapp)"),
        challenge=os.urandom(32),
        pub_key_cred_params=[PublicKeyCredentialParameters(
            type=PublicKeyCredentialType.PUBLIC_KEY, alg=alg) for alg in _ALGORITHMS],
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED, user_verification=uv),
        attestation=AttestationConveyancePreference.NONE,
        exclude_credentials=[PublicKeyCredentialDescriptor(
            type=PublicKeyCredentialType.PUBLIC_KEY, id=credential_id)
            for credential_id, _label in taken] or None,
        extensions={"prf": {"eval": {"first": salt}}})


# --- Windows: the WebAuthn API (untested here) ---------------------------------------------

def _windows(access: Access) -> bool:
    """Whether keys are reached through the Windows WebAuthn API (Windows 10 1903+)."""
    if sys.platform != "win32" or access.devices is not None:
        return False
    from fido2.client.windows import WindowsClient

    return bool(WindowsClient.is_available())


def _windows_client(access: Access) -> Any:
    from fido2.client.windows import WindowsClient

    return WindowsClient(_Collector(access.rp_id))


def _windows_reason(exc: ClientError) -> str:
    return ("Windows reported that no security key answered: cancelled, not touched in "
            "time, a wrong PIN, or a key that holds none of this slot's credentials "
            f"({exc.cause or exc.code.name})")


def _windows_enroll(keybox_id: str, salt: bytes, access: Access,
                    taken: Sequence[tuple[bytes, str]]) -> Enrolled:
    """Windows asks for the key, its PIN (when it has one) and the touch in its own dialog;
    PREFERRED user verification lets the flag in the answer say whether it was used."""
    prompts = access.prompts
    options = _creation_options(access.rp_id, keybox_id, salt,
                                UserVerificationRequirement.PREFERRED, taken)
    if prompts is not None:
        prompts.touch("the security key")
    try:
        made = _windows_client(access).make_credential(
            options, event=prompts.cancel if prompts is not None else None)
    except ClientError as exc:
        raise SlotFailure(_windows_reason(exc)) from None
    prf = made.client_extension_results.prf
    if prf is None or not prf.enabled:
        raise SlotFailure("the security key did not enable the hmac-secret extension")
    uv = bool(made.response.attestation_object.auth_data.flags & AuthenticatorData.FLAG.UV)
    target = _Target(access.rp_id, made.raw_id, salt, uv, "the security key")
    secret = prf.results.first if prf.results is not None else _windows_derive(target, access)
    return Enrolled(target.credential_id, uv, target.device, bytes(secret))


def _windows_derive(target: _Target, access: Access) -> bytes:
    prompts = access.prompts
    if prompts is not None:
        prompts.touch(target.device)
    try:
        selection = _windows_client(access).get_assertion(
            _request_options(target, int(access.timeout_s * 1000)),
            event=prompts.cancel if prompts is not None else None)
    except ClientError as exc:
        raise SlotFailure(_windows_reason(exc)) from None
    prf = selection.get_response(0).client_extension_results.prf
    if prf is None or prf.results is None:
        raise SlotFailure("the security key answered without the slot's secret")
    return bytes(prf.results.first)
