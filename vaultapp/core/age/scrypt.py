"""The scrypt recipient type: a passphrase.

    -> scrypt <base64 salt, 16 bytes> <log2 of the work factor, decimal, no leading zero>
    <base64 ChaCha20-Poly1305(scrypt(passphrase, label || salt, N, r=8, p=1), file key)>

A passphrase file has exactly one stanza: anyone else able to open it could otherwise
make a file that opens with the passphrase without knowing it. The work factor of a file
to open is capped (as age does, at 2^22 by default: about 15 seconds and 4 GiB), so a
hostile file cannot make us compute for minutes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from ..errors import UsageError
from . import b64
from .base import check_body, unwrap_file_key, wrap_file_key
from .errors import AgeHeaderError, AgeWorkFactorError
from .header import Stanza

TYPE = "scrypt"
LABEL = b"age-encryption.org/v1/scrypt"
SALT_SIZE = 16
DEFAULT_LOG_N = 18  # age's default: about a second
MAX_LOG_N = 22  # age's default cap for opening
_DECIMAL = re.compile(r"[1-9][0-9]*")


def _passphrase_bytes(passphrase: str | bytes) -> bytes:
    data = passphrase.encode("utf-8") if isinstance(passphrase, str) else bytes(passphrase)
    if not data:
        raise UsageError("the passphrase is empty")
    return data


def _wrap_key(passphrase: bytes, salt: bytes, log_n: int) -> bytes:
    return Scrypt(salt=LABEL + salt, length=32, n=1 << log_n, r=8, p=1).derive(passphrase)


class ScryptRecipient:
    """Encrypts to a passphrase with work factor 2^`log_n` (1 to MAX_LOG_N)."""

    kind = "scrypt"
    post_quantum = True  # symmetric: no public key for a quantum computer to attack

    def __init__(self, passphrase: str | bytes, log_n: int = DEFAULT_LOG_N) -> None:
        if not 1 <= log_n <= MAX_LOG_N:
            raise UsageError(f"the scrypt work factor must be 2^1 to 2^{MAX_LOG_N}")
        self._passphrase = _passphrase_bytes(passphrase)
        self.log_n = log_n

    def wrap(self, file_key: bytes) -> list[Stanza]:
        salt = os.urandom(SALT_SIZE)
        key = _wrap_key(self._passphrase, salt, self.log_n)
        args = (b64.encode(salt).decode("ascii"), str(self.log_n))
        return [Stanza(TYPE, args, wrap_file_key(key, file_key))]

    def __repr__(self) -> str:
        return f"ScryptRecipient(log_n={self.log_n})"


class ScryptIdentity:
    """Opens a passphrase file whose work factor is at most 2^`max_log_n`."""

    kind = "scrypt"

    def __init__(self, passphrase: str | bytes, max_log_n: int = MAX_LOG_N) -> None:
        if not 1 <= max_log_n <= 30:
            raise UsageError("the scrypt work factor cap must be 2^1 to 2^30")
        self._passphrase = _passphrase_bytes(passphrase)
        self.max_log_n = max_log_n

    def unwrap(self, stanzas: Sequence[Stanza]) -> bytes | None:
        found = [s for s in stanzas if s.type == TYPE]
        if not found:
            return None
        if len(stanzas) != 1:
            raise AgeHeaderError("an scrypt stanza must be the only one")
        stanza = found[0]
        if len(stanza.args) != 2:
            raise AgeHeaderError("scrypt stanza with a wrong number of arguments")
        salt = b64.decode(stanza.args[0].encode("ascii"))
        if salt is None or len(salt) != SALT_SIZE:
            raise AgeHeaderError("scrypt stanza with a malformed salt")
        if _DECIMAL.fullmatch(stanza.args[1]) is None:
            raise AgeHeaderError("scrypt work factor not in canonical decimal")
        text = stanza.args[1]
        if len(text) > 2 or int(text) > self.max_log_n:
            raise AgeWorkFactorError(text, self.max_log_n)
        log_n = int(text)
        check_body(stanza)
        return unwrap_file_key(_wrap_key(self._passphrase, salt, log_n), stanza.body)

    def __repr__(self) -> str:
        return f"ScryptIdentity(max_log_n={self.max_log_n})"
