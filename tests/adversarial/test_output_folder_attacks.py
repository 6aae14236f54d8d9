"""The output folder cannot be swapped under a file being written.

The review's finding: the output folder was resolved by path twice (for the temporary
file and for the final link), so renaming a parent folder in between, and planting a
symlink in its place, redirected the plaintext elsewhere on the file system while the
printed path stayed the same. Now the folder is opened once and every step goes through
that descriptor.
"""

from __future__ import annotations

import os
from pathlib import Path

from vaultapp.core import fileops
from vaultapp.core.envelope import Recipient, StaticResolver

KEY = Recipient(bytes(range(16)), bytes(range(16, 32)), bytes(range(32)))


def test_renaming_the_output_folder_mid_open_cannot_redirect_the_plaintext(
        tmp_path: Path) -> None:
    plain = tmp_path / "secret.bin"
    data = os.urandom(6 << 20)
    plain.write_bytes(data)
    sealed = fileops.seal_file(plain, [KEY]).output
    assert sealed is not None
    plain.unlink()
    out = tmp_path / "out"
    out.mkdir()
    attacker = tmp_path / "attacker"
    attacker.mkdir()
    swapped: list[bool] = []

    def swap_folder(done: int) -> None:
        """After the first bytes: out -> out.moved, and out becomes a link to attacker."""
        if not swapped and done > 0:
            out.rename(tmp_path / "out.moved")
            out.symlink_to(attacker, target_is_directory=True)
            swapped.append(True)

    result = fileops.open_file(sealed, StaticResolver([KEY]), output=out,
                               progress=swap_folder)
    assert swapped, "the attack never ran (no progress report while writing)"
    assert list(attacker.iterdir()) == []  # nothing reached the attacker's folder
    landed = tmp_path / "out.moved" / "secret.bin"
    assert landed.read_bytes() == data  # it went where the person chose
    assert result.output == out / "secret.bin"
    assert [p.name for p in (tmp_path / "out.moved").iterdir()] == ["secret.bin"]
