"""An in-process software FIDO2 authenticator behind python-fido2's `CtapDevice` interface.

Why in-process: these machines have no `/dev/uhid` (and no USB/IP), so a virtual USB HID
security key the real `CtapHidDevice` could open is not possible. This authenticator is
the next best thing: it sits exactly where the HID transport would, receives the CTAP2
command byte and CBOR that python-fido2's real client code sends (`Fido2Client`, `Ctap2`,
`ClientPin`, `HmacSecretExtension`), and answers as a CTAP 2.1 authenticator does. Every
piece of the exchange therefore runs for real: CBOR in both directions (python-fido2
refuses non-canonical CBOR), ECDH P-256 key agreement and PIN/UV auth protocol 2 (HKDF,
AES-256-CBC, HMAC-SHA-256), PIN tokens with permissions, the hmac-secret extension with
encrypted salts, ES256 signatures. Its own cryptography is written here against the
CTAP 2.1 specification with `cryptography`, not borrowed from python-fido2, so a mistake
on either side shows up as a failed exchange.

What it implements (CTAP 2.1, section numbers of the spec):
- authenticatorGetInfo (6.4): versions, extensions (`hmac-secret`, optionally
  `hmac-secret-mc`), options `rk: false`, `up`, `clientPin` (absent when built without
  PIN support), `pinUvAuthToken`, PIN protocol 2 only.
- authenticatorMakeCredential (6.1): ES256 credentials that are not resident: the
  credential id is the credential's private key and its two hmac-secret CredRandoms
  sealed (AES-256-GCM) under this authenticator's master secret, so `reset()` (a new
  master secret) makes every credential id unknown, as on a real key.
- authenticatorGetAssertion (6.2): allowList lookup, `up: false` pre-flight, user
  presence, PIN/UV auth param checks, hmac-secret with CredRandomWithUV or
  CredRandomWithoutUV (so a secret made with the PIN differs from one without).
- authenticatorClientPIN (6.5): getPINRetries, getKeyAgreement, setPIN,
  getPinToken, getPinUvAuthTokenUsingPinWithPermissions. Eight wrong PINs block the PIN
  for good (PIN_BLOCKED); three wrong in a row need a power cycle (PIN_AUTH_BLOCKED,
  `power_cycle()`).
- authenticatorReset (6.6) and authenticatorSelection (6.9).

User presence is a setting: `presence = "touch"` (touched at once), `"deny"` (the
person declines: OPERATION_DENIED) or `"ignore"` (never touched: the authenticator waits,
sending UPNEEDED keep-alives, until the platform cancels (KEEPALIVE_CANCEL) or its own
`up_timeout_s` passes (USER_ACTION_TIMEOUT)). `touches` counts presence checks.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
import time
from collections.abc import Callable, Iterator, Mapping
from threading import Event
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from fido2 import cbor
from fido2.ctap import STATUS, CtapDevice, CtapError
from fido2.hid import CAPABILITY, CTAPHID

ERR = CtapError.ERR

# CTAP2 command bytes (6.), clientPIN subcommands (6.5.5) and permissions (6.5.5.7).
MAKE_CREDENTIAL, GET_ASSERTION, GET_INFO, CLIENT_PIN, RESET, SELECTION = (
    0x01, 0x02, 0x04, 0x06, 0x07, 0x0B)
GET_PIN_RETRIES, GET_KEY_AGREEMENT, SET_PIN, GET_PIN_TOKEN, GET_TOKEN_WITH_PERMISSIONS = (
    0x01, 0x02, 0x03, 0x05, 0x09)
PERM_MC, PERM_GA = 0x01, 0x02
FLAG_UP, FLAG_UV, FLAG_AT, FLAG_ED = 0x01, 0x04, 0x40, 0x80
MAX_PIN_RETRIES = 8
ES256 = -7


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _hmac(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).digest()


def _cose(public: ec.EllipticCurvePublicKey, alg: int) -> dict[int, Any]:
    numbers = public.public_numbers()
    return {1: 2, 3: alg, -1: 1, -2: numbers.x.to_bytes(32, "big"),
            -3: numbers.y.to_bytes(32, "big")}


class _Protocol2:
    """PIN/UV auth protocol 2 (6.5.7), the authenticator's side."""

    VERSION = 2

    def __init__(self) -> None:
        self.regenerate()

    def regenerate(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())

    def public_cose(self) -> dict[int, Any]:
        return _cose(self.key.public_key(), -25)  # ECDH-ES+HKDF-256, as the spec says

    def shared_secret(self, peer: Mapping[int, Any]) -> bytes:
        """ecdh(peerCoseKey): HMAC key (32) || AES key (32), from HKDF-SHA-256 of Z."""
        if not isinstance(peer, Mapping) or peer.get(1) != 2 or peer.get(-1) != 1:
            raise CtapError(ERR.INVALID_PARAMETER)
        try:
            point = ec.EllipticCurvePublicNumbers(
                int.from_bytes(peer[-2], "big"), int.from_bytes(peer[-3], "big"),
                ec.SECP256R1()).public_key()
        except (KeyError, TypeError, ValueError):
            raise CtapError(ERR.INVALID_PARAMETER) from None
        z = self.key.exchange(ec.ECDH(), point)

        def hkdf(info: bytes) -> bytes:
            return HKDF(hashes.SHA256(), 32, salt=bytes(32), info=info).derive(z)

        return hkdf(b"CTAP2 HMAC key") + hkdf(b"CTAP2 AES key")

    @staticmethod
    def encrypt(shared: bytes, plaintext: bytes) -> bytes:
        iv = os.urandom(16)
        enc = Cipher(algorithms.AES(shared[32:]), modes.CBC(iv)).encryptor()
        return iv + enc.update(plaintext) + enc.finalize()

    @staticmethod
    def decrypt(shared: bytes, data: bytes) -> bytes:
        if len(data) < 32 or len(data) % 16:
            raise CtapError(ERR.INVALID_PARAMETER)
        dec = Cipher(algorithms.AES(shared[32:]), modes.CBC(data[:16])).decryptor()
        return dec.update(data[16:]) + dec.finalize()

    @staticmethod
    def verify(key: bytes, message: bytes, signature: bytes) -> bool:
        """`key` is a shared secret (its HMAC half) or a 32-byte PIN token."""
        return hmac.compare_digest(_hmac(key[:32], message), bytes(signature))


class SoftAuthenticator(CtapDevice):
    """One software security key. `pin`: set a PIN at once; `client_pin=False`: a key
    that has no PIN support at all; `hmac_secret=False`: a key without the extension;
    `hmac_secret_mc=True`: it also returns the secret at makeCredential (CTAP 2.2);
    `ctap21=False`: a CTAP 2.0 key (no pinUvAuthToken: the client then takes the legacy
    getPinToken, whose token carries no permissions)."""

    def __init__(self, name: str = "Soft FIDO2 key", *, pin: str | None = None,
                 client_pin: bool = True, hmac_secret: bool = True,
                 hmac_secret_mc: bool = False, ctap21: bool = True,
                 up_timeout_s: float = 30.0) -> None:
        self.product_name = name
        self.aaguid = os.urandom(16)
        self.client_pin_supported = client_pin
        self.hmac_secret = hmac_secret
        self.hmac_secret_mc = hmac_secret_mc
        self.ctap21 = ctap21
        self.up_timeout_s = up_timeout_s
        self.presence = "touch"
        self.touches = 0
        self.commands: list[int] = []
        self.pin_subcommands: list[int] = []
        self.unplugged = False
        self.sign_count = 0
        self._master = os.urandom(32)
        self._pin_hash: bytes | None = None
        self.pin_retries = MAX_PIN_RETRIES
        self._wrong_in_a_row = 0
        self._protocol = _Protocol2()
        self._token = os.urandom(32)
        self._token_permissions = 0
        self._token_rp: str | None = None
        if pin is not None:
            self.set_pin(pin)

    def __repr__(self) -> str:
        return f"SoftAuthenticator({self.product_name!r})"

    # --- what a test does to the key -------------------------------------------------

    def set_pin(self, pin: str) -> None:
        """Set the PIN directly (the CTAP setPIN path is tested through python-fido2)."""
        assert self.client_pin_supported
        self._pin_hash = _sha256(pin.encode())[:16]
        self.pin_retries = MAX_PIN_RETRIES

    @property
    def has_pin(self) -> bool:
        return self._pin_hash is not None

    def reset(self) -> None:
        """What authenticatorReset does: every credential and the PIN are gone."""
        self._master = os.urandom(32)
        self._pin_hash = None
        self.pin_retries = MAX_PIN_RETRIES
        self._wrong_in_a_row = 0
        self._new_token()

    def power_cycle(self) -> None:
        """Unplugged and plugged in again: new key agreement key and token."""
        self._wrong_in_a_row = 0
        self._protocol.regenerate()
        self._new_token()

    # --- CtapDevice ------------------------------------------------------------------

    @property
    def capabilities(self) -> int:
        return int(CAPABILITY.CBOR | CAPABILITY.NMSG)

    @classmethod
    def list_devices(cls) -> Iterator[SoftAuthenticator]:
        return iter(())  # never found on a bus: tests hand devices to vaultapp themselves

    def call(self, cmd: int, data: bytes = b"", event: Event | None = None,
             on_keepalive: Callable[[STATUS], None] | None = None) -> bytes:
        if self.unplugged:
            raise OSError(5, "Input/output error")
        if cmd != CTAPHID.CBOR or not data:
            raise CtapError(ERR.INVALID_COMMAND)
        command, body = data[0], data[1:]
        self.commands.append(command)
        try:
            request = cbor.decode(body) if body else {}
            if not isinstance(request, dict):
                raise CtapError(ERR.INVALID_CBOR)
            handler = {MAKE_CREDENTIAL: self._make_credential,
                       GET_ASSERTION: self._get_assertion, GET_INFO: self._get_info,
                       CLIENT_PIN: self._client_pin, RESET: self._reset,
                       SELECTION: self._selection}.get(command)
            if handler is None:
                raise CtapError(ERR.INVALID_COMMAND)
            response = handler(request, event or Event(), on_keepalive)
        except CtapError as exc:
            return bytes([exc.code])
        except (TypeError, KeyError, ValueError, AttributeError):  # a field of the wrong type
            return bytes([ERR.CBOR_UNEXPECTED_TYPE])
        return b"\x00" + (cbor.encode(response) if response else b"")

    # --- commands --------------------------------------------------------------------

    def _get_info(self, request: dict[int, Any], event: Event, keepalive: Any) -> dict[int, Any]:
        extensions = (["hmac-secret"] + (["hmac-secret-mc"] if self.hmac_secret_mc else [])
                      if self.hmac_secret else [])
        options: dict[str, bool] = {"rk": False, "up": True, "plat": False}
        if self.ctap21:
            options["pinUvAuthToken"] = True
        if self.client_pin_supported:
            options["clientPin"] = self.has_pin
        versions = ["FIDO_2_0", "FIDO_2_1"] if self.ctap21 else ["FIDO_2_0"]
        return {1: versions, 2: extensions, 3: self.aaguid, 4: options,
                5: 1200, 6: [2], 7: 8, 8: 128, 9: ["usb"],
                10: [{"alg": ES256, "type": "public-key"}]}

    def _make_credential(self, request: dict[int, Any], event: Event,
                         keepalive: Any) -> dict[int, Any]:
        try:
            client_data_hash, rp, user, params = (request[k] for k in (1, 2, 3, 4))
            rp_id = str(rp["id"])
            user_id = bytes(user["id"])
        except (KeyError, TypeError):
            raise CtapError(ERR.MISSING_PARAMETER) from None
        if len(user_id) > 64:
            raise CtapError(ERR.INVALID_LENGTH)
        if not any(p.get("alg") == ES256 and p.get("type") == "public-key" for p in params):
            raise CtapError(ERR.UNSUPPORTED_ALGORITHM)
        options = request.get(7) or {}
        if options.get("rk"):
            raise CtapError(ERR.UNSUPPORTED_OPTION)
        if options.get("uv"):
            raise CtapError(ERR.INVALID_OPTION)  # no built-in user verification
        uv = self._check_auth(request.get(8), request.get(9), client_data_hash, rp_id, PERM_MC)
        if not uv and self.has_pin:
            raise CtapError(ERR.PUAT_REQUIRED)  # makeCredUvNotRqd is not set
        for excluded in request.get(5) or []:
            if self._open_credential(excluded.get("id", b""), rp_id) is not None:
                self._presence(event, keepalive)
                raise CtapError(ERR.CREDENTIAL_EXCLUDED)
        extensions_in = request.get(6) or {}
        self._presence(event, keepalive)
        key = ec.generate_private_key(ec.SECP256R1())
        with_uv, without_uv = os.urandom(32), os.urandom(32)
        secret = key.private_numbers().private_value.to_bytes(32, "big")
        nonce = os.urandom(12)
        rp_hash = _sha256(rp_id.encode())
        credential_id = nonce + AESGCM(self._master).encrypt(
            nonce, secret + with_uv + without_uv, rp_hash)
        extensions_out: dict[str, Any] = {}
        if extensions_in.get("hmac-secret") is True and self.hmac_secret:
            extensions_out["hmac-secret"] = True
            if "hmac-secret-mc" in extensions_in and self.hmac_secret_mc:
                extensions_out["hmac-secret-mc"] = self._hmac_secret_output(
                    extensions_in["hmac-secret-mc"], with_uv if uv else without_uv)
        flags = FLAG_UP | FLAG_AT | (FLAG_UV if uv else 0) | (FLAG_ED if extensions_out else 0)
        self.sign_count += 1
        attested = (self.aaguid + struct.pack(">H", len(credential_id)) + credential_id
                    + cbor.encode(_cose(key.public_key(), ES256)))
        auth_data = (rp_hash + struct.pack(">BI", flags, self.sign_count) + attested
                     + (cbor.encode(extensions_out) if extensions_out else b""))
        signature = key.sign(auth_data + client_data_hash, ec.ECDSA(hashes.SHA256()))
        return {1: "packed", 2: auth_data, 3: {"alg": ES256, "sig": signature}}

    def _get_assertion(self, request: dict[int, Any], event: Event,
                       keepalive: Any) -> dict[int, Any]:
        try:
            rp_id, client_data_hash = str(request[1]), bytes(request[2])
        except (KeyError, TypeError):
            raise CtapError(ERR.MISSING_PARAMETER) from None
        options = request.get(5) or {}
        up = options.get("up", True)
        if options.get("uv"):
            raise CtapError(ERR.INVALID_OPTION)
        uv = self._check_auth(request.get(6), request.get(7), client_data_hash, rp_id, PERM_GA)
        found = None
        for descriptor in request.get(3) or []:
            opened = self._open_credential(bytes(descriptor.get("id", b"")), rp_id)
            if opened is not None:
                found = (bytes(descriptor["id"]), *opened)
                break
        if found is None:
            raise CtapError(ERR.NO_CREDENTIALS)  # non-resident only: an allowList is needed
        credential_id, key, with_uv, without_uv = found
        extensions_out: dict[str, Any] = {}
        hmac_in = (request.get(4) or {}).get("hmac-secret")
        if hmac_in is not None and self.hmac_secret:
            extensions_out["hmac-secret"] = self._hmac_secret_output(
                hmac_in, with_uv if uv else without_uv)
        if up:
            self._presence(event, keepalive)
        flags = (FLAG_UP if up else 0) | (FLAG_UV if uv else 0) | \
            (FLAG_ED if extensions_out else 0)
        self.sign_count += 1
        auth_data = (_sha256(rp_id.encode()) + struct.pack(">BI", flags, self.sign_count)
                     + (cbor.encode(extensions_out) if extensions_out else b""))
        signature = key.sign(auth_data + client_data_hash, ec.ECDSA(hashes.SHA256()))
        return {1: {"id": credential_id, "type": "public-key"}, 2: auth_data, 3: signature}

    def _client_pin(self, request: dict[int, Any], event: Event,
                    keepalive: Any) -> dict[int, Any]:
        if not self.client_pin_supported:
            raise CtapError(ERR.INVALID_COMMAND)
        if request.get(1) != _Protocol2.VERSION:
            raise CtapError(ERR.INVALID_PARAMETER)
        sub = request.get(2)
        self.pin_subcommands.append(sub)
        if sub == GET_PIN_RETRIES:
            return {3: self.pin_retries, 4: False}
        if sub == GET_KEY_AGREEMENT:
            return {1: self._protocol.public_cose()}
        if sub == SET_PIN:
            return self._set_pin(request)
        if sub == GET_PIN_TOKEN or (sub == GET_TOKEN_WITH_PERMISSIONS and self.ctap21):
            return self._pin_token(request, sub)
        raise CtapError(ERR.INVALID_SUBCOMMAND)

    def _set_pin(self, request: dict[int, Any]) -> dict[int, Any]:
        if self.has_pin:
            raise CtapError(ERR.NOT_ALLOWED)
        peer, auth, new_pin_enc = request.get(3), request.get(4), request.get(5)
        if peer is None or auth is None or new_pin_enc is None:
            raise CtapError(ERR.MISSING_PARAMETER)
        shared = self._protocol.shared_secret(peer)
        if not self._protocol.verify(shared, new_pin_enc, auth):
            raise CtapError(ERR.PIN_AUTH_INVALID)
        padded = self._protocol.decrypt(shared, new_pin_enc)
        if len(padded) < 64:
            raise CtapError(ERR.PIN_POLICY_VIOLATION)
        pin = padded.rstrip(b"\x00")
        if len(pin.decode("utf-8", "replace")) < 4:
            raise CtapError(ERR.PIN_POLICY_VIOLATION)
        self._pin_hash = _sha256(pin)[:16]
        self.pin_retries = MAX_PIN_RETRIES
        return {}

    def _pin_token(self, request: dict[int, Any], sub: int) -> dict[int, Any]:
        if not self.has_pin:
            raise CtapError(ERR.PIN_NOT_SET)
        peer, pin_hash_enc = request.get(3), request.get(6)
        if peer is None or pin_hash_enc is None:
            raise CtapError(ERR.MISSING_PARAMETER)
        permissions = request.get(9)
        if sub == GET_TOKEN_WITH_PERMISSIONS:
            if not permissions:
                raise CtapError(ERR.MISSING_PARAMETER)
        else:
            permissions = PERM_MC | PERM_GA
        if self.pin_retries == 0:
            raise CtapError(ERR.PIN_BLOCKED)
        if self._wrong_in_a_row >= 3:
            raise CtapError(ERR.PIN_AUTH_BLOCKED)
        shared = self._protocol.shared_secret(peer)
        self.pin_retries -= 1  # decremented first, restored on a right PIN (6.5.5.5)
        given = self._protocol.decrypt(shared, pin_hash_enc)[:16]
        assert self._pin_hash is not None
        if not hmac.compare_digest(given, self._pin_hash):
            self._protocol.regenerate()
            self._wrong_in_a_row += 1
            if self.pin_retries == 0:
                raise CtapError(ERR.PIN_BLOCKED)
            if self._wrong_in_a_row >= 3:
                raise CtapError(ERR.PIN_AUTH_BLOCKED)
            raise CtapError(ERR.PIN_INVALID)
        self.pin_retries = MAX_PIN_RETRIES
        self._wrong_in_a_row = 0
        self._new_token()
        self._token_permissions = int(permissions)
        self._token_rp = request.get(10)
        return {2: self._protocol.encrypt(shared, self._token)}

    def _reset(self, request: dict[int, Any], event: Event, keepalive: Any) -> dict[int, Any]:
        self._presence(event, keepalive)
        self.reset()
        return {}

    def _selection(self, request: dict[int, Any], event: Event,
                   keepalive: Any) -> dict[int, Any]:
        self._presence(event, keepalive)
        return {}

    # --- internals -------------------------------------------------------------------

    def _new_token(self) -> None:
        self._token = os.urandom(32)
        self._token_permissions = 0
        self._token_rp = None

    def _check_auth(self, param: bytes | None, protocol: int | None, client_data_hash: bytes,
                    rp_id: str, permission: int) -> bool:
        """Whether the request carries a valid pinUvAuthParam (the user was verified)."""
        if param is None:
            return False
        if protocol != _Protocol2.VERSION:
            raise CtapError(ERR.INVALID_PARAMETER if protocol is not None
                            else ERR.MISSING_PARAMETER)
        if not self.has_pin:
            raise CtapError(ERR.PIN_NOT_SET)
        if not self._protocol.verify(self._token, client_data_hash, param):
            raise CtapError(ERR.PIN_AUTH_INVALID)
        if not self._token_permissions & permission or \
                (self._token_rp is not None and self._token_rp != rp_id):
            raise CtapError(ERR.PIN_AUTH_INVALID)
        self._token_rp = rp_id
        return True

    def _open_credential(self, credential_id: bytes,
                         rp_id: str) -> tuple[ec.EllipticCurvePrivateKey, bytes, bytes] | None:
        if len(credential_id) < 12 + 96 + 16:
            return None
        try:
            plain = AESGCM(self._master).decrypt(credential_id[:12], credential_id[12:],
                                                 _sha256(rp_id.encode()))
        except InvalidTag:
            return None
        key = ec.derive_private_key(int.from_bytes(plain[:32], "big"), ec.SECP256R1())
        return key, plain[32:64], plain[64:96]

    def _hmac_secret_output(self, given: Any, cred_random: bytes) -> bytes:
        """The hmac-secret extension (12.5): decrypt the salts with the shared secret,
        check their MAC, return HMAC(CredRandom, salt) encrypted for the platform."""
        try:
            peer, salt_enc, salt_auth = given[1], bytes(given[2]), bytes(given[3])
        except (KeyError, TypeError):
            raise CtapError(ERR.MISSING_PARAMETER) from None
        if given.get(4, 1) != _Protocol2.VERSION:
            raise CtapError(ERR.INVALID_PARAMETER)
        shared = self._protocol.shared_secret(peer)
        if not self._protocol.verify(shared, salt_enc, salt_auth):
            raise CtapError(ERR.INVALID_PARAMETER)
        salts = self._protocol.decrypt(shared, salt_enc)
        if len(salts) not in (32, 64):
            raise CtapError(ERR.INVALID_LENGTH)
        output = b"".join(_hmac(cred_random, salts[i:i + 32]) for i in range(0, len(salts), 32))
        return self._protocol.encrypt(shared, output)

    def _presence(self, event: Event, keepalive: Callable[[STATUS], None] | None) -> None:
        """Wait for the person's touch, as the presence setting says."""
        if keepalive is not None:
            keepalive(STATUS.UPNEEDED)
        self.touches += 1
        if self.presence == "touch":
            return
        if self.presence == "deny":
            raise CtapError(ERR.OPERATION_DENIED)
        deadline = time.monotonic() + self.up_timeout_s
        while time.monotonic() < deadline:
            if event.is_set():
                raise CtapError(ERR.KEEPALIVE_CANCEL)
            time.sleep(0.01)
        raise CtapError(ERR.USER_ACTION_TIMEOUT)
