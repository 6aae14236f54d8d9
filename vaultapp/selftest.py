"""`vaultapp selftest`: prove this installation works, in a throwaway keybox.

Creates a keybox (passphrase slot only, so no OS keyring is touched), a profile, seals
and opens a random file, checks that a tampered copy is refused, rotates and rewraps,
and, when Qt can start, builds the main window offscreen. Exit 0 only if all is well.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def run_selftest(say: Callable[[str], None]) -> int:
    from vaultapp.core import fileops
    from vaultapp.core.errors import FileIntegrityError
    from vaultapp.core.keybox import Keybox

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="vaultapp-selftest-") as tmp:
        folder = Path(tmp)
        box = Keybox.create(f"sqlite:///{folder / 'keybox.sqlite'}", use_keyring=False,
                            passphrase=secrets.token_urlsafe(16))
        try:
            box.create_profile("selftest")
            say("ok   keybox created, profile and key made")
            plain = folder / "sample.bin"
            data = os.urandom(3 * 65536 + 17)
            plain.write_bytes(data)
            sealed = fileops.seal_file(plain, [box.recipient("selftest")]).output
            assert sealed is not None
            plain.unlink()
            fileops.open_file(sealed, box)
            if plain.read_bytes() != data:
                say("FAIL the opened file differs from the original")
                return 1
            say("ok   seal and open round trip")
            tampered = folder / "tampered.vault"
            blob = bytearray(sealed.read_bytes())
            blob[-100] ^= 1
            tampered.write_bytes(blob)
            try:
                fileops.verify_file(tampered, box)
                say("FAIL a tampered file was accepted")
                return 1
            except FileIntegrityError:
                say("ok   tampered file refused")
            box.rotate("selftest")
            new = box.recipient("selftest")
            fileops.rewrap_file(sealed, box, lambda s: new)
            fileops.verify_file(sealed, box)
            say("ok   rotate and rewrap")
        finally:
            box.close()
    window = _window_check()
    say(window)
    say(f"selftest passed in {time.perf_counter() - started:.2f} s")
    return 0 if not window.startswith("FAIL") else 1


def _window_check() -> str:
    """Build the main window offscreen, if the GUI can be imported here."""
    try:
        from vaultapp.gui.app import offscreen_window_check
    except ImportError as exc:
        return f"skip window check: the GUI cannot be imported ({exc})"
    try:
        return str(offscreen_window_check())
    except Exception as exc:  # report, do not crash: this is a diagnostic
        return f"FAIL window: {type(exc).__name__}: {exc}"
