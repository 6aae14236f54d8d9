"""The keybox: profiles, versioned profile keys, key slots and the audit log.

`Keybox` is imported on first use, so that importing a light submodule (models,
location) does not load SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .service import Keybox

__all__ = ["Keybox"]


def __getattr__(name: str) -> Any:
    if name == "Keybox":
        from .service import Keybox

        return Keybox
    raise AttributeError(name)
