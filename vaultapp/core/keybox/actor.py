"""Who did it, for the audit log (one place: the service and people.py both ask)."""

from __future__ import annotations

import getpass
import os
import socket


def actor() -> str:
    """Who did it, for the audit log: the OS account (from the uid, never $LOGNAME or
    $USER, which anyone can set) and host."""
    if hasattr(os, "getuid"):
        import pwd

        try:
            user = pwd.getpwuid(os.getuid()).pw_name
        except KeyError:  # a uid without an account entry
            user = str(os.getuid())
    else:  # Windows: the logon name of this process's token
        try:
            user = getpass.getuser()
        except Exception:
            user = "unknown"
    return f"{user}@{socket.gethostname()}"

