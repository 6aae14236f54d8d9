"""Key slots: the ways to recover the root key. Any one slot unlocks the keybox.

`base` defines a slot (record, provider, request), `registry` maps each kind to its
provider module: `passphrase`, `recovery_code`, `os_keyring`, `aws_kms`, `tpm`.
Providers never import the keybox service; the service owns adding and removing slots.
"""

from .base import SlotFailure, SlotProvider, SlotRecord, SlotRequest, parse_params
from .passphrase import KdfParams
from .registry import provider_for

__all__ = ["KdfParams", "SlotFailure", "SlotProvider", "SlotRecord", "SlotRequest",
           "parse_params", "provider_for"]
