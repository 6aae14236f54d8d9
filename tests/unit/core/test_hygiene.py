"""Secret hygiene: no core dumps while unlocked, key buffers wiped on lock, owner-only files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import PASSPHRASE
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
