"""Where a keybox lives: URL resolution, a printable location, and how failures to reach it
read. Imports no SQLAlchemy, so the window can paint before the database layer has loaded."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import Hint, KeyboxUnavailableError

KEYBOX_FILE = "keybox.sqlite"
BUSY_TIMEOUT_S = 30


def data_folder() -> Path:
    """VAULTAPP_HOME, else the platform's per-user data folder."""
    home = os.environ.get("VAULTAPP_HOME")
    if home:
        return Path(home).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("vaultapp", appauthor=False))


def resolve_url(keybox: str | None) -> str:
    """--keybox, else VAULTAPP_KEYBOX, else the SQLite file in the data folder."""
    value = keybox or os.environ.get("VAULTAPP_KEYBOX")
    if value and "://" in value:
        return value
    path = Path(value).expanduser() if value else data_folder() / KEYBOX_FILE
    return f"sqlite:///{path.resolve()}"


def sqlite_path(url: str) -> Path | None:
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///") :])
    return None


def describe_location(url: str) -> str:
    """The keybox's location for people: a path, or the URL without its password."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def busy_error(where: str) -> KeyboxUnavailableError:
    return KeyboxUnavailableError(f"the keybox at {where} stayed busy for {BUSY_TIMEOUT_S} s",
                                  reason="busy", hint=Hint.RETRY)


def unreadable_error(where: str, what: str) -> KeyboxUnavailableError:
    return KeyboxUnavailableError(
        f"the keybox at {where} cannot be read ({what}); it may be damaged or not a keybox",
        reason="damaged", hint=Hint.RESTORE_BACKUP)
