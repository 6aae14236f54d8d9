"""The registry of key-slot kinds: one line per kind, each provider loaded on first use
(so unlocking through the keyring never imports the KMS code, nor boto3)."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path

from .base import SlotProvider

_PROVIDERS: dict[str, tuple[str, str]] = {
    "keyring": ("os_keyring", "KeyringProvider"),
    "keyring-kms": ("aws_kms", "KeyringKmsProvider"),
    "aws-kms": ("aws_kms", "AwsKmsProvider"),
    "passphrase": ("passphrase", "PassphraseProvider"),
    "recovery-code": ("recovery_code", "RecoveryCodeProvider"),
    "tpm": ("tpm", "TpmProvider"),
    "fido2": ("fido2", "Fido2Provider"),
}
"""kind -> (module in this package, provider class)."""

_EXTRAS: dict[str, tuple[str, str]] = {
    "keyring-kms": ("aws", "boto3"),
    "aws-kms": ("aws", "boto3"),
    "tpm": ("tpm", "tpm2_pytss"),
    "fido2": ("fido2", "fido2"),
}
"""kind -> (the optional extra it needs, the module that extra brings)."""


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


def kind_available(kind: str) -> bool:
    """Whether slots of `kind` can be made and used here: its optional extra (boto3 for
    AWS KMS) is importable. Looked up without importing it."""
    kind = kind.replace("_", "-")
    extra = _EXTRAS.get(kind)
    if extra is None:
        return kind in _PROVIDERS
    return importlib.util.find_spec(extra[1]) is not None


def install_hint(kind: str) -> str:
    """How to add the optional extra that `kind` needs to this installation: the
    packaged build carries every extra; a source checkout (scripts/run) installs into
    its own virtualenv; otherwise pip, with the interpreter that runs vaultapp."""
    extra = _EXTRAS.get(kind.replace("_", "-"), ("", ""))[0]
    if not extra:
        return ""
    if getattr(sys, "frozen", False):
        return "this build was made without it; install the full vaultapp package"
    checkout = Path(__file__).resolve().parents[4]
    python = Path(sys.executable)
    if (checkout / "pyproject.toml").is_file() and (checkout / "scripts" / "run").is_file():
        return f"{python} -m pip install -e '{checkout}[{extra}]'"
    return f"{python} -m pip install 'vaultapp[{extra}]'"
