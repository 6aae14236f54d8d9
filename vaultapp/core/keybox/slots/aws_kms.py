"""AWS KMS key slots: the root key wrapped by a KMS key in one region.

One slot per KMS key and region, so a keybox with slots in two regions (plus a
passphrase) survives a region outage. KMS is called once per unlock, never per file.
Credentials come from the standard AWS chain (environment, profile, SSO); vaultapp never
stores them. boto3 is an optional extra: without it these slots say how to install it.

`keyring-kms` is the OS keyring holding a KMS ciphertext of the root key: the keyring
alone reveals nothing, and the keybox file alone reveals nothing either.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from . import os_keyring
from .base import SlotFailure, SlotParams, SlotRecord, new_slot_id
from .registry import install_hint

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
            "AWS KMS slots need the optional AWS support (boto3): " + install_hint("aws-kms")
        ) from None
    config = Config(connect_timeout=CONNECT_TIMEOUT_S, read_timeout=READ_TIMEOUT_S,
                    retries={"total_max_attempts": MAX_ATTEMPTS, "mode": "standard"})
    return boto3.client("kms", region_name=region, endpoint_url=endpoint(endpoint_url),
                        config=config)


def endpoint(stored: str | None) -> str | None:
    """The KMS endpoint to call: AWS_ENDPOINT_URL_KMS in this machine's environment wins
    over the one stored in the slot (a keybox is data anyone with write access may edit);
    it must be https, or http on a loopback host only."""
    chosen = os.environ.get("AWS_ENDPOINT_URL_KMS") or stored
    if chosen is None:
        return None
    url = urlsplit(chosen)
    host = (url.hostname or "").lower()
    loopback = host == "localhost" or host.startswith("127.") or host == "::1"
    if url.scheme != "https" and not (url.scheme == "http" and loopback):
        raise SlotFailure(f"the KMS endpoint {_short_url(chosen)} is not https (plain http "
                          "is allowed on this machine's loopback only); it was not contacted")
    return chosen


def _short_url(url: str) -> str:
    return url if len(url) <= 80 else url[:77] + "..."


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
        return "no AWS region given (the slot names none and AWS_REGION is not set)"
    if isinstance(exc, BotoCoreError):
        return f"KMS call failed ({type(exc).__name__})"
    return f"KMS call failed ({type(exc).__name__})"


def _encryption_context(keybox_id: str, slot_id: str) -> dict[str, str]:
    return {"vaultapp:keybox": keybox_id, "vaultapp:slot": slot_id}


def _call(params: SlotParams, operation: str, **kwargs: Any) -> dict[str, Any]:
    """One KMS call for a slot; every failure becomes a SlotFailure with a clear reason."""
    region, stored, arn = (params.get(k) for k in ("region", "endpoint_url", "key_arn"))
    if not isinstance(arn, str):
        raise SlotFailure("the KMS slot is damaged")
    try:
        client = _client(region if isinstance(region, str) else None,
                         stored if isinstance(stored, str) else None)
        response: dict[str, Any] = getattr(client, operation)(KeyId=arn, **kwargs)
    except SlotFailure:
        raise
    except Exception as exc:
        raise SlotFailure(_reason(exc)) from None
    return response


def kms_encrypt(params: SlotParams, keybox_id: str, slot_id: str, secret: bytes) -> bytes:
    response = _call(params, "encrypt", Plaintext=secret,
                     EncryptionContext=_encryption_context(keybox_id, slot_id))
    return bytes(response["CiphertextBlob"])


def kms_decrypt(params: SlotParams, keybox_id: str, slot_id: str, blob: bytes) -> bytes:
    response = _call(params, "decrypt", CiphertextBlob=blob,
                     EncryptionContext=_encryption_context(keybox_id, slot_id))
    return bytes(response["Plaintext"])


def _params(key_arn: str, region: str | None, endpoint_url: str | None) -> SlotParams:
    if region is None and key_arn.startswith("arn:aws:kms:"):
        region = key_arn.split(":")[3]  # arn:aws:kms:REGION:ACCOUNT:key/ID
    return {"key_arn": key_arn, "region": region, "endpoint_url": endpoint_url}


@dataclass(frozen=True)
class AwsKmsRequest:
    """A new slot wrapped by a KMS key (`keyring`: the OS keyring keeps the KMS ciphertext,
    so neither the keyring nor the keybox alone reveals the root key)."""

    key_arn: str
    region: str | None = None
    endpoint_url: str | None = None
    keyring: bool = False

    noun = "KMS"

    @property
    def kind(self) -> str:
        return "keyring-kms" if self.keyring else "aws-kms"

    def create(self, keybox_id: str, root_key: bytes,
               existing: Sequence[SlotRecord] = ()) -> SlotRecord:
        endpoint(self.endpoint_url)  # refuse a plain-http endpoint before storing it
        params = _params(self.key_arn, self.region, self.endpoint_url)
        where = params["region"] or ("" if self.keyring else "default region")
        label = f"OS keyring wrapped by AWS KMS {where}".strip() if self.keyring \
            else f"AWS KMS {where}"
        record = SlotRecord(new_slot_id(), self.kind, label, params)
        blob = kms_encrypt(params, keybox_id, record.slot_id, root_key)
        if self.keyring:
            os_keyring.store(keybox_id, record.slot_id, blob)
        else:
            record.wrapped_root_key = blob
        return record


class AwsKmsProvider:
    """The root key encrypted by a KMS key; the ciphertext is stored in the keybox."""

    kind = "aws-kms"
    unlock_order = 2
    needs_secret = False
    proves_person = False
    portable = True

    def unlock(self, keybox_id: str, record: SlotRecord, secret: str | None) -> bytes:
        if record.wrapped_root_key is None:
            raise SlotFailure("the KMS slot is damaged")
        return kms_decrypt(record.params, keybox_id, record.slot_id, record.wrapped_root_key)

    def forget(self, keybox_id: str, record: SlotRecord) -> None:
        """Nothing outside the keybox (the KMS key is the person's own)."""


class KeyringKmsProvider:
    """The OS keyring holds a KMS ciphertext of the root key; KMS unwraps it at unlock."""

    kind = "keyring-kms"
    unlock_order = 1
    needs_secret = False
    proves_person = False
    portable = False  # the keyring entry lives on this machine

    def unlock(self, keybox_id: str, record: SlotRecord, secret: str | None) -> bytes:
        blob = os_keyring.load(keybox_id, record, missing="no entry for this keybox")
        return kms_decrypt(record.params, keybox_id, record.slot_id, blob)

    def forget(self, keybox_id: str, record: SlotRecord) -> None:
        os_keyring.erase(keybox_id, record)


def check_kms_key(key_arn: str, region: str | None, endpoint_url: str | None) -> str:
    """Check that the key is reachable and usable (the window's "Test connection")."""
    params = _params(key_arn, region, endpoint_url)
    try:
        region_name = params["region"]
        client = _client(region_name if isinstance(region_name, str) else None, endpoint_url)
        meta = client.describe_key(KeyId=key_arn)["KeyMetadata"]
    except SlotFailure:
        raise
    except Exception as exc:
        raise SlotFailure(_reason(exc)) from None
    state = meta.get("KeyState", "Unknown")
    if state != "Enabled":
        raise SlotFailure(f"the KMS key is {state}")
    return f"reachable; key {meta.get('KeyId', key_arn)} is enabled"
