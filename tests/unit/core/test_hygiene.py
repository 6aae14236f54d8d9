"""Secret hygiene: no core dumps while unlocked, key buffers wiped on lock, owner-only files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE
from vaultapp.core.hygiene import lock_in_memory, unlock_memory
from vaultapp.core.keybox import Keybox


def test_unlock_disables_core_dumps(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kb.sqlite'}"
    Keybox.create(url, use_keyring=False, passphrase=PASSPHRASE).close()
    code = (
        "import resource\n"
        "from vaultapp.core.hygiene import is_dumpable\n"
        "from vaultapp.core.keybox import Keybox\n"
        "before = (resource.getrlimit(resource.RLIMIT_CORE), is_dumpable())\n"
        f"b = Keybox.open({url!r}); b.unlock({PASSPHRASE!r})\n"
        "after = (resource.getrlimit(resource.RLIMIT_CORE), is_dumpable())\n"
        "print(before, after)\n"
        "assert after == ((0, 0), False), after\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result


def test_lock_wipes_key_buffers(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kb.sqlite'}"
    box = Keybox.create(url, use_keyring=False, passphrase=PASSPHRASE)
    box.create_profile("acme")
    recipient = box.recipient("acme")
    root = box._root
    cached = list(box._profile_keys.values())
    assert root is not None and any(root) and cached and any(cached[0])
    assert bytes(cached[0]) == recipient.key
    box.lock()
    assert not box.is_unlocked
    assert bytes(root) == bytes(32) and all(bytes(b) == bytes(32) for b in cached)
    box.close()


def test_keybox_file_and_folder_are_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "fresh" / "home"
    url = f"sqlite:///{folder / 'kb.sqlite'}"
    Keybox.create(url, use_keyring=False, passphrase=PASSPHRASE).close()
    assert oct((folder / "kb.sqlite").stat().st_mode & 0o777) == "0o600"
    assert oct(folder.stat().st_mode & 0o777) == "0o700"


def _locked_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmLck:"):
            return int(line.split()[1])
    raise AssertionError("no VmLck line")


@pytest.mark.skipif(not sys.platform.startswith("linux") or os.geteuid() != 0,
                    reason="needs Linux and root (CAP_IPC_LOCK)")
def test_key_buffer_is_locked_in_memory_and_released() -> None:
    """mlock a key-sized buffer (as root it is permitted): VmLck grows, then shrinks."""
    buf = bytearray(os.urandom(32))
    before = _locked_kib()
    assert lock_in_memory(buf) is True
    assert _locked_kib() > before
    buf[:] = bytes(len(buf))
    unlock_memory(buf)
    assert _locked_kib() == before
    assert lock_in_memory(bytearray()) is False


@pytest.mark.skipif(not sys.platform.startswith("linux") or os.geteuid() != 0,
                    reason="needs Linux and root, to become another user")
def test_lock_in_memory_respects_rlimit_memlock_and_never_raises() -> None:
    """As an unprivileged user with RLIMIT_MEMLOCK 0 the mlock is refused: False, no raise."""
    import pwd
    import resource

    nobody = pwd.getpwnam("nobody")
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: no privilege, no lockable memory
        try:
            os.close(read)
            resource.setrlimit(resource.RLIMIT_MEMLOCK, (0, 0))
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            result = repr(lock_in_memory(bytearray(os.urandom(32))))
        except BaseException as exc:  # reported to the parent
            result = f"raised {exc!r}"
        os.write(write, result.encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        result = pipe.read().decode()
    os.waitpid(pid, 0)
    assert result == "False"
