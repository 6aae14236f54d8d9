"""The registry of key-slot kinds: one line per kind, each provider loaded on first use
(so unlocking through the keyring never imports the KMS code, nor boto3)."""

from __future__ import annotations

import importlib

from .base import SlotProvider

_PROVIDERS: dict[str, tuple[str, str]] = {
    "keyring": ("os_keyring", "KeyringProvider"),
    "keyring-kms": ("aws_kms", "KeyringKmsProvider"),
    "aws-kms": ("aws_kms", "AwsKmsProvider"),
    "passphrase": ("passphrase", "PassphraseProvider"),
}
"""kind -> (module in this package, provider class)."""


def kinds() -> tuple[str, ...]:
    return tuple(_PROVIDERS)


def provider_for(kind: str) -> SlotProvider | None:
    """The provider of a slot kind, or None for a kind this vaultapp does not know."""
    entry = _PROVIDERS.get(kind)
    if entry is None:
        return None
    module = importlib.import_module(f"{__package__}.{entry[0]}")
    provider: SlotProvider = getattr(module, entry[1])()
    return provider
