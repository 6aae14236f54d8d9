"""The TPM 2.0 slot: a random slot key sealed to this machine's TPM, optionally behind a
PIN; the root key is wrapped under that slot key in the keybox.

Without a PIN it unlocks silently, like the OS keyring, and so does not count after a
lock; with a PIN it does (the PIN is asked for this slot alone, never filled in from a
typed passphrase: each wrong PIN counts toward the TPM's dictionary-attack lockout). The
key does not survive the loss of this machine or a TPM clear.

The TPM is reached through the standard TCTI configuration: TPM2TOOLS_TCTI, then TCTI
(e.g. `swtpm:host=127.0.0.1,port=2321`), else the kernel's resource manager
`device:/dev/tpmrm0`. The calls go through tpm2-pytss (an optional extra built against
the system's libtss2; docs/KEYBOX.md § 4.8 says why it and not the tpm2-tools commands),
imported on first use only.

Every object is sealed under a primary key the TPM derives again each time from its
owner seed and a fixed template (ECC P-256 storage key), so nothing persistent is
created in the TPM; clearing the TPM changes the seed and the sealed object no longer
loads. Commands run in an HMAC session salted with that primary key, with parameter
encryption: the slot key and the PIN's auth value never cross the bus in the clear.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ...errors import UsageError
from ..wrapping import unwrap, wrap
from .base import SlotFailure, SlotRecord, new_slot_id, slot_context
from .registry import install_hint

KIND = "tpm"
DEFAULT_TCTI = "device:/dev/tpmrm0"
PRIMARY_TEMPLATE = "ecc256:aes128cfb"
"""The primary (storage) key: tpm2-tools' default attributes for a primary key
(fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|decrypt), SHA-256."""
MIN_PIN_LENGTH = 4
PIN_CONTEXT = b"vaultapp/v1/tpm-pin\x00"


def tcti_config() -> str:
    """Where the TPM is: TPM2TOOLS_TCTI, then TCTI, else the kernel's resource manager."""
    for name in ("TPM2TOOLS_TCTI", "TCTI"):
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return DEFAULT_TCTI


def tpm_configured() -> bool:
    """Whether a TPM is to be expected here, without contacting it: a TCTI is configured,
    or the kernel's resource manager exists (what the window asks before offering one)."""
    return tcti_config() != DEFAULT_TCTI or os.path.exists(DEFAULT_TCTI.partition(":")[2])


def pin_auth(pin: str) -> bytes:
    """The TPM auth value of a PIN (32 bytes, the size of the object's SHA-256 name)."""
    try:
        data = pin.encode("utf-8")
    except UnicodeError:
        raise UsageError("the PIN is not valid UTF-8 text") from None
    return hashlib.sha256(PIN_CONTEXT + data).digest()


def check_new_pin(pin: str) -> None:
    """The rule for a new PIN: at least 4 characters (the TPM's lockout, not the PIN's
    length, is what stops guessing)."""
    if len(pin) < MIN_PIN_LENGTH:
        raise UsageError(f"a TPM PIN needs at least {MIN_PIN_LENGTH} characters")


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."


class _Tpm:
    """One connection to the TPM with its primary key and salted session; every handle
    it made is flushed when it closes (swtpm and /dev/tpm0 have no resource manager)."""

    def __init__(self, config: str) -> None:
        self.config = config
        try:
            from tpm2_pytss import ESAPI, TSS2_Exception
            from tpm2_pytss import constants as c
            from tpm2_pytss import types as t
        except ImportError:
            raise SlotFailure("TPM slots need the optional TPM support (tpm2-pytss, built "
                              "against the system's libtss2): " + install_hint(KIND)) from None
        self.c, self.t, self.error = c, t, TSS2_Exception
        os.environ.setdefault("TSS2_LOG", "all+NONE")  # the TSS would log failures to stderr
        self.handles: list[Any] = []
        try:
            self.esys = ESAPI(config)
        except TSS2_Exception:
            raise self.unreachable() from None
        try:
            public = t.TPM2B_PUBLIC.parse(
                PRIMARY_TEMPLATE,
                objectAttributes=c.TPMA_OBJECT.DEFAULT_TPM2_TOOLS_CREATEPRIMARY_ATTRS)
            self.primary = self.call(self.esys.create_primary, t.TPM2B_SENSITIVE_CREATE(),
                                     public, c.ESYS_TR.RH_OWNER)[0]
            self.handles.append(self.primary)
            symmetric = t.TPMT_SYM_DEF(algorithm=c.TPM2_ALG.AES,
                                       keyBits=t.TPMU_SYM_KEY_BITS(aes=128),
                                       mode=t.TPMU_SYM_MODE(aes=c.TPM2_ALG.CFB))
            self.session = self.call(self.esys.start_auth_session, self.primary,
                                     c.ESYS_TR.NONE, c.TPM2_SE.HMAC, symmetric,
                                     c.TPM2_ALG.SHA256)
            self.handles.append(self.session)
            self.esys.trsess_set_attributes(
                self.session, c.TPMA_SESSION.CONTINUESESSION | c.TPMA_SESSION.DECRYPT
                | c.TPMA_SESSION.ENCRYPT)
        except BaseException:
            self.close()
            raise

    def unreachable(self) -> SlotFailure:
        return SlotFailure(f"TPM not reachable (TCTI {_short(self.config)})", "tpm-unreachable")

    def call(self, function: Any, *args: Any, pin: bool = False, **kwargs: Any) -> Any:
        """One TPM command; a failure becomes a SlotFailure saying what happened. `pin`:
        the command is authorised by the slot's PIN (Unseal), so an authorisation
        failure is a wrong PIN; elsewhere it is the owner hierarchy's password."""
        try:
            return function(*args, **kwargs)
        except self.error as exc:
            raise self.failure(exc, pin) from None

    def failure(self, exc: Any, pin: bool = False) -> SlotFailure:
        rc, error = int(exc.rc), exc.error
        layer = rc & 0xFF0000
        if layer == 0x0A0000:  # TSS2_TCTI_RC_LAYER: the transport
            return self.unreachable()
        rcs = self.c.TPM2_RC
        if layer == 0 and error in (rcs.AUTH_FAIL, rcs.BAD_AUTH):
            if pin:
                return SlotFailure(f"wrong PIN{self._tries_left()}", "tpm-wrong-pin",
                                   retries=self._retries())
            return SlotFailure("the TPM's owner hierarchy has a password, which vaultapp "
                               "does not use; its key cannot be made there")
        if layer == 0 and error == rcs.LOCKOUT:
            return SlotFailure("PIN locked out (dictionary attack protection): the TPM "
                               f"refuses PINs for now{self._recovery()}", "tpm-locked-out")
        if layer == 0 and error == rcs.INTEGRITY:
            return SlotFailure("the TPM was cleared: the sealed key is gone (or this is "
                               "another machine's TPM)", "tpm-cleared")
        if layer == 0 and error == rcs.HIERARCHY:
            return SlotFailure("the TPM's owner hierarchy is disabled")
        return SlotFailure(f"the TPM refused ({_short(str(exc))})")

    def _property(self, name: str) -> int | None:
        prop = getattr(self.c.TPM2_PT, name)
        with contextlib.suppress(Exception):
            _, data = self.esys.get_capability(self.c.TPM2_CAP.TPM_PROPERTIES, prop, 1)
            for item in data.data.tpmProperties:
                if int(item.property) == int(prop):
                    return int(item.value)
        return None

    def _retries(self) -> int:
        """PIN tries left before the TPM locks PINs out; -1 when it does not say."""
        counter, limit = self._property("LOCKOUT_COUNTER"), self._property("MAX_AUTH_FAIL")
        if counter is None or limit is None or limit == 0:
            return -1
        return max(0, limit - counter)

    def _tries_left(self) -> str:
        left = self._retries()
        if left < 0:
            return ""
        if left == 0:
            return " (the TPM now locks PINs out: dictionary attack protection)"
        return f" ({left} {'try' if left == 1 else 'tries'} left before the TPM locks PINs out)"

    def _recovery(self) -> str:
        interval = self._property("LOCKOUT_INTERVAL")
        return f"; it forgives one failure every {interval} s" if interval else ""

    def seal(self, secret: bytes, auth: bytes) -> tuple[bytes, bytes]:
        """(TPM2B_PUBLIC, TPM2B_PRIVATE) of a new sealed object holding `secret`."""
        c, t = self.c, self.t
        attributes = c.TPMA_OBJECT.FIXEDTPM | c.TPMA_OBJECT.FIXEDPARENT | \
            c.TPMA_OBJECT.USERWITHAUTH
        if not auth:
            attributes |= c.TPMA_OBJECT.NODA
        public = t.TPM2B_PUBLIC(t.TPMT_PUBLIC(
            type=c.TPM2_ALG.KEYEDHASH, nameAlg=c.TPM2_ALG.SHA256, objectAttributes=attributes,
            parameters=t.TPMU_PUBLIC_PARMS(keyedHashDetail=t.TPMS_KEYEDHASH_PARMS(
                scheme=t.TPMT_KEYEDHASH_SCHEME(scheme=c.TPM2_ALG.NULL)))))
        sensitive = t.TPM2B_SENSITIVE_CREATE(t.TPMS_SENSITIVE_CREATE(
            userAuth=t.TPM2B_AUTH(auth), data=t.TPM2B_SENSITIVE_DATA(secret)))
        private, made, *_ = self.call(self.esys.create, self.primary, sensitive, public,
                                      session1=self.session)
        return bytes(made.marshal()), bytes(private.marshal())

    def unseal(self, public: bytes, private: bytes, auth: bytes) -> bytes:
        """The secret sealed in (public, private), authorised with `auth`."""
        t = self.t
        try:
            pub, used_pub = t.TPM2B_PUBLIC.unmarshal(public)
            priv, used_priv = t.TPM2B_PRIVATE.unmarshal(private)
        except Exception:
            raise SlotFailure("the TPM slot is damaged", "damaged") from None
        if (used_pub, used_priv) != (len(public), len(private)):
            raise SlotFailure("the TPM slot is damaged", "damaged")
        handle = self.call(self.esys.load, self.primary, priv, pub, session1=self.session)
        self.handles.append(handle)
        self.esys.tr_set_auth(handle, auth)
        return bytes(self.call(self.esys.unseal, handle, session1=self.session, pin=True))

    def close(self) -> None:
        esys = getattr(self, "esys", None)
        if esys is None:
            return
        for handle in reversed(self.handles):
            with contextlib.suppress(Exception):
                esys.flush_context(handle)
        self.handles.clear()
        with contextlib.suppress(Exception):
            esys.close()
        self.esys = None


@contextlib.contextmanager
def _connected() -> Iterator[_Tpm]:
    tpm = _Tpm(tcti_config())
    try:
        yield tpm
    finally:
        tpm.close()


@dataclass(frozen=True)
class TpmRequest:
    """A new TPM slot; with `pin`, unlocking it asks for that PIN."""

    pin: str | None = field(default=None, repr=False)
    kind: str = KIND
    noun: str = "TPM"

    def create(self, keybox_id: str, root_key: bytes,
               existing: Sequence[SlotRecord] = ()) -> SlotRecord:
        if self.pin is not None:
            check_new_pin(self.pin)
        auth = pin_auth(self.pin) if self.pin is not None else b""
        slot_key = os.urandom(32)
        with _connected() as tpm:
            public, private = tpm.seal(slot_key, auth)
        record = SlotRecord(
            new_slot_id(), KIND, "TPM with PIN" if self.pin is not None else "TPM",
            {"primary": PRIMARY_TEMPLATE, "pin": int(self.pin is not None),
             "public": base64.b64encode(public).decode(),
             "private": base64.b64encode(private).decode()})
        record.wrapped_root_key = wrap(slot_key, root_key, slot_context(keybox_id, record))
        return record


def _has_pin(record: SlotRecord) -> bool:
    return record.params.get("pin") not in (None, 0, False)


def _blobs(record: SlotRecord) -> tuple[bytes, bytes]:
    try:
        public = base64.b64decode(record.text("public") or "", validate=True)
        private = base64.b64decode(record.text("private") or "", validate=True)
    except ValueError:
        raise SlotFailure("the TPM slot is damaged", "damaged") from None
    if record.text("primary") != PRIMARY_TEMPLATE or not public or not private or \
            record.wrapped_root_key is None:
        raise SlotFailure("the TPM slot is damaged", "damaged")
    return public, private


class TpmProvider:
    kind = KIND
    unlock_order = 1  # local and silent (without a PIN): before the network (KMS, 2)
    needs_secret = False  # a passphrase is never tried as its PIN (needs_pin)
    proves_person = False  # for the kind; a slot with a PIN does (proves_person_for)
    portable = False

    def proves_person_for(self, record: SlotRecord) -> bool:
        return _has_pin(record)

    def needs_pin(self, record: SlotRecord) -> bool:
        return _has_pin(record)

    def unlock(self, keybox_id: str, record: SlotRecord, secret: str | None) -> bytes:
        public, private = _blobs(record)
        if _has_pin(record) and not secret:
            raise SlotFailure("no PIN was given", "no-pin")
        auth = pin_auth(secret) if _has_pin(record) and secret else b""
        with _connected() as tpm:
            slot_key = tpm.unseal(public, private, auth)
        assert record.wrapped_root_key is not None
        root = unwrap(slot_key, record.wrapped_root_key, slot_context(keybox_id, record))
        if root is None:
            raise SlotFailure("the key the TPM unsealed does not open this slot (damaged)")
        return root

    def forget(self, keybox_id: str, record: SlotRecord) -> None:
        """Nothing to remove: the sealed object lives in the keybox, not in the TPM."""
