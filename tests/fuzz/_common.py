"""What both fuzz harnesses share: the keys the reader holds (docs/FORMAT.md vectors).

Imports no vaultapp module itself, so the harness decides what gets instrumented.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "support"))  # hostile_writer
import hostile_writer as hw  # not instrumented: only the reader is under test

# The vectors' key A (usable) and key B (held but disabled: resolving it raises
# KeyUnusableError, as a keybox does for a disabled or destroyed key).
USABLE = hw.VECTOR_KEY
UNUSABLE = hw.ProfileKey(bytes(range(0xC0, 0xD0)), bytes(range(0xD0, 0xE0)),
                         bytes(range(0x80, 0xA0)))


def make_resolver(envelope, errors):  # type: ignore[no-untyped-def]
    """A StaticResolver holding USABLE that reports UNUSABLE as not usable."""

    class Resolver(envelope.StaticResolver):
        def resolve(self, profile_id: bytes, key_id: bytes) -> bytes | None:
            if (profile_id, key_id) == (UNUSABLE.profile_id, UNUSABLE.key_id):
                raise errors.KeyUnusableError("key disabled (fuzz harness)")
            return super().resolve(profile_id, key_id)

    return Resolver([envelope.Recipient(USABLE.profile_id, USABLE.key_id, USABLE.key)])


def libfuzzer_argv(script: str) -> list[str]:
    """sys.argv with argv[0] made a command line that runs this harness again.

    libFuzzer starts child processes for -merge=1, -fork and -jobs through the shell with
    argv[0] as the command; a script is not executable by itself, so argv[0] becomes
    "<this python> <script>".
    """
    return [shlex.join([sys.executable, str(Path(script).resolve())]), *sys.argv[1:]]
