"""AWS KMS key slots: the root key wrapped by a KMS key in one region.

One slot per KMS key and region, so a keybox with slots in two regions (plus a
passphrase) survives a region outage. KMS is called once per unlock, never per file.
Credentials come from the standard AWS chain (environment, profile, SSO); vaultapp never
stores them. boto3 is an optional extra: without it these slots say how to install it.

`keyring-kms` is the OS keyring holding a KMS ciphertext of the root key: the keyring
alone reveals nothing, and the keybox file alone reveals nothing either.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import VaultError
from .slots import (
    KEYRING_SERVICE,
    SlotFailure,
    SlotRecord,
    _keyring_user,
    new_slot_id,
    secure_keyring_backend,
)

if TYPE_CHECKING:
    from .models import SlotInfo
    from .service import Keybox

CONNECT_TIMEOUT_S = 3
READ_TIMEOUT_S = 5
MAX_ATTEMPTS = 2  # in all, the first try included (botocore's total_max_attempts)

_REASONS = {
    "DisabledException": "the KMS key is disabled",
    "KMSInvalidStateException": "the KMS key is pending deletion or otherwise not usable",
    "AccessDeniedException": "access denied by KMS (check the credentials and key policy)",
    "NotFoundException": "the KMS key does not exist in this region",
    "InvalidCiphertextException": "KMS refused the stored ciphertext (tampered, or another "
    "key's)",
    "IncorrectKeyException": "the stored ciphertext belongs to another KMS key",
    "ThrottlingException": "KMS is throttling requests; try again in a moment",
    "KMSInternalException": "KMS had an internal error; try again in a moment",
    "UnrecognizedClientException": "KMS does not recognise these AWS credentials",
    "InvalidKeyUsageException": "the KMS key cannot encrypt and decrypt",
}


def _client(region: str | None, endpoint_url: str | None) -> Any:
    try:
        import boto3
        from botocore.config import Config
    except ImportError:
        raise SlotFailure(
            "AWS KMS slots need boto3: pip install 'vaultapp[aws]'"
        ) from None
    config = Config(connect_timeout=CONNECT_TIMEOUT_S, read_timeout=READ_TIMEOUT_S,
                    retries={"total_max_attempts": MAX_ATTEMPTS, "mode": "standard"})
    return boto3.client("kms", region_name=region, endpoint_url=endpoint_url, config=config)


def _reason(exc: Exception) -> str:
    """A person-readable reason for a KMS failure (never the request or key material)."""
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        ConnectTimeoutError,
        EndpointConnectionError,
        NoCredentialsError,
        NoRegionError,
        ReadTimeoutError,
    )

    if isinstance(exc, ClientError):
        code = str(exc.response.get("Error", {}).get("Code", ""))
        return _REASONS.get(code, f"KMS refused ({code or 'unknown error'})")
    if isinstance(exc, EndpointConnectionError | ConnectTimeoutError):
        return "KMS is unreachable (network or region outage)"
    if isinstance(exc, ReadTimeoutError):
        return "KMS did not answer in time"
    if isinstance(exc, NoCredentialsError):
        return "no AWS credentials found (environment, profile or SSO)"
    if isinstance(exc, NoRegionError):
        return "no AWS region given (use --region or AWS_REGION)"
    if isinstance(exc, BotoCoreError):
        return f"KMS call failed ({type(exc).__name__})"
    return f"KMS call failed ({type(exc).__name__})"


def _encryption_context(keybox_id: str, slot_id: str) -> dict[str, str]:
    return {"vaultapp:keybox": keybox_id, "vaultapp:slot": slot_id}


def _call(params: dict[str, Any], operation: str, **kwargs: Any) -> dict[str, Any]:
    """One KMS call for a slot; every failure becomes a SlotFailure with a clear reason."""
    try:
        client = _client(params.get("region"), params.get("endpoint_url"))
        response: dict[str, Any] = getattr(client, operation)(KeyId=params["key_arn"],
                                                              **kwargs)
    except SlotFailure:
        raise
    except Exception as exc:
        raise SlotFailure(_reason(exc)) from None
    return response


def kms_encrypt(params: dict[str, Any], keybox_id: str, slot_id: str, secret: bytes) -> bytes:
    response = _call(params, "encrypt", Plaintext=secret,
                     EncryptionContext=_encryption_context(keybox_id, slot_id))
    return bytes(response["CiphertextBlob"])


def kms_decrypt(params: dict[str, Any], keybox_id: str, slot_id: str, blob: bytes) -> bytes:
    response = _call(params, "decrypt", CiphertextBlob=blob,
                     EncryptionContext=_encryption_context(keybox_id, slot_id))
    return bytes(response["Plaintext"])


def _params(key_arn: str, region: str | None, endpoint_url: str | None) -> dict[str, Any]:
    if region is None and key_arn.startswith("arn:aws:kms:"):
        region = key_arn.split(":")[3]  # arn:aws:kms:REGION:ACCOUNT:key/ID
    return {"key_arn": key_arn, "region": region, "endpoint_url": endpoint_url}


class AwsKmsSlot:
    """The root key encrypted by a KMS key; the ciphertext is stored in the keybox."""

    kind: ClassVar[str] = "aws-kms"

    @staticmethod
    def create(keybox_id: str, root_key: bytes | bytearray, key_arn: str,
               region: str | None = None, endpoint_url: str | None = None) -> SlotRecord:
        params = _params(key_arn, region, endpoint_url)
        record = SlotRecord(new_slot_id(), "aws-kms",
                            f"AWS KMS {params['region'] or 'default region'}", params)
        record.wrapped_root_key = kms_encrypt(params, keybox_id, record.slot_id, bytes(root_key))
        return record

    @staticmethod
    def unlock(keybox_id: str, record: SlotRecord, passphrase: str | None = None) -> bytes:
        if record.wrapped_root_key is None:
            raise SlotFailure("the KMS slot is damaged")
        return kms_decrypt(record.params, keybox_id, record.slot_id, record.wrapped_root_key)


class KeyringKmsSlot:
    """The OS keyring holds a KMS ciphertext of the root key; KMS unwraps it at unlock."""

    kind: ClassVar[str] = "keyring-kms"

    @staticmethod
    def create(keybox_id: str, root_key: bytes | bytearray, key_arn: str,
               region: str | None = None, endpoint_url: str | None = None) -> SlotRecord:
        backend = secure_keyring_backend()
        params = _params(key_arn, region, endpoint_url)
        record = SlotRecord(new_slot_id(), "keyring-kms",
                            f"OS keyring wrapped by AWS KMS {params['region'] or ''}".strip(),
                            params)
        blob = kms_encrypt(params, keybox_id, record.slot_id, bytes(root_key))
        backend.set_password(KEYRING_SERVICE, _keyring_user(keybox_id, record.slot_id),
                             base64.b64encode(blob).decode())
        return record

    @staticmethod
    def unlock(keybox_id: str, record: SlotRecord, passphrase: str | None = None) -> bytes:
        backend = secure_keyring_backend()
        try:
            stored = backend.get_password(KEYRING_SERVICE,
                                          _keyring_user(keybox_id, record.slot_id))
        except Exception as exc:
            raise SlotFailure(f"the OS keyring did not answer ({type(exc).__name__})") from None
        if stored is None:
            raise SlotFailure("the OS keyring has no entry for this keybox")
        try:
            blob = base64.b64decode(stored, validate=True)
        except ValueError:
            raise SlotFailure("the OS keyring entry is damaged") from None
        return kms_decrypt(record.params, keybox_id, record.slot_id, blob)

    @staticmethod
    def forget(keybox_id: str, record: SlotRecord) -> None:
        from .slots import KeyringSlot

        KeyringSlot.forget(keybox_id, record)


def add_kms_slot(box: Keybox, key_arn: str, *, region: str | None = None,
                 endpoint_url: str | None = None, keyring: bool = False) -> SlotInfo:
    """Add an AWS KMS slot (or a keyring slot wrapped by KMS) to an unlocked keybox."""
    root = box.require_root()
    cls = KeyringKmsSlot if keyring else AwsKmsSlot
    try:
        record = cls.create(box.keybox_id, root, key_arn, region, endpoint_url)
    except SlotFailure as exc:
        raise VaultError(f"cannot add the KMS slot: {exc}") from None
    return box.add_slot(record)


def test_kms_connection(key_arn: str, region: str | None, endpoint_url: str | None) -> str:
    """Check that the key is reachable and usable (the window's "Test connection")."""
    params = _params(key_arn, region, endpoint_url)
    try:
        client = _client(params["region"], endpoint_url)
        meta = client.describe_key(KeyId=key_arn)["KeyMetadata"]
    except SlotFailure:
        raise
    except Exception as exc:
        raise SlotFailure(_reason(exc)) from None
    state = meta.get("KeyState", "Unknown")
    if state != "Enabled":
        raise SlotFailure(f"the KMS key is {state}")
    return f"reachable; key {meta.get('KeyId', key_arn)} is enabled"
