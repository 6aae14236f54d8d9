"""The keybox: profiles, versioned profile keys, key slots and the audit log."""

from .service import Keybox

__all__ = ["Keybox"]
