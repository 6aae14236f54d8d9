"""The keybox pin: what this machine remembers about a keybox, outside the keybox itself.

Kept in the user's config folder (owner-only), never beside the keybox, so that a sync
client or backup tool that brings back an old keybox file does not bring back its pin.
A pin holds the keybox's id, the fingerprint of its root key (its root-key check value),
the newest generation and audit row this machine has seen, and a digest of every key
slot record this machine has verified. Unlocking refuses (exit 6) a keybox that differs
from its pin; the first unlock on a machine pins it (trust on first use, as SSH does).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .slots import SlotRecord


def pin_folder() -> Path:
    """VAULTAPP_CONFIG_HOME, else the platform's per-user config folder."""
    configured = os.environ.get("VAULTAPP_CONFIG_HOME")
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("vaultapp", appauthor=False))


def slot_digest(record: SlotRecord) -> str:
    """What a slot's use depends on: its id, kind, parameters (KMS key ARN, region,
    endpoint, KDF parameters) and wrapped root key. The label is not in it: a renamed
    slot is still the same slot (the authenticated state covers the label)."""
    h = hashlib.sha256(b"vaultapp/v1/slot-digest")
    for part in (record.slot_id, record.kind, record.params_json):
        data = part.encode("utf-8")
        h.update(len(data).to_bytes(4, "big") + data)
    h.update(record.wrapped_root_key or b"")
    return h.hexdigest()


@dataclass
class Pin:
    location: str
    keybox_id: str
    fingerprint: str
    generation: int = 0
    audit_last_id: int = 0
    slots: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {"location": self.location, "keybox_id": self.keybox_id,
                "fingerprint": self.fingerprint, "generation": self.generation,
                "audit_last_id": self.audit_last_id, "slots": dict(sorted(self.slots.items()))}


def _path(location: str) -> Path:
    name = hashlib.sha256(location.encode("utf-8")).hexdigest()[:32]
    return pin_folder() / "pins" / f"{name}.json"


def load(location: str) -> Pin | None:
    """This machine's pin of the keybox at `location`, or None (never pinned here).

    A pin file that cannot be read is treated as no pin only when it does not exist; a
    damaged one raises ValueError (the caller refuses to unlock rather than re-pin)."""
    path = _path(location)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    data = json.loads(text)
    slots = data.get("slots", {})
    if not isinstance(slots, dict):
        raise ValueError("damaged pin")
    return Pin(str(data["location"]), str(data["keybox_id"]), str(data["fingerprint"]),
               int(data["generation"]), int(data["audit_last_id"]),
               {str(k): str(v) for k, v in slots.items()})


def save(pin: Pin) -> None:
    """Write the pin atomically, owner-only (folder 0700, file 0600)."""
    path = _path(pin.location)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):
        os.chmod(path.parent.parent, 0o700)
        os.chmod(path.parent, 0o700)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, json.dumps(pin.to_json(), indent=1).encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, path)


def forget(location: str) -> None:
    """Remove the pin (`keybox restore` re-pins after the person agreed)."""
    _path(location).unlink(missing_ok=True)
