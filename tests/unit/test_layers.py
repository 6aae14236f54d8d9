"""Boundaries that keep the code easy to change: core has no Qt, the fast paths stay fast."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "vaultapp" / "core"
FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "click", "vaultapp.gui")


def test_core_source_imports_no_qt() -> None:
    for path in CORE.rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(FORBIDDEN), f"{path}: imports {name}"


def test_importing_all_of_core_loads_no_qt() -> None:
    code = (
        "import sys, pkgutil, importlib, vaultapp.core as c\n"
        "for m in pkgutil.walk_packages(c.__path__, 'vaultapp.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result


def test_version_and_inspect_import_no_qt_sqlalchemy_or_boto3(tmp_path: Path) -> None:
    from vaultapp.core import fileops
    from vaultapp.core.envelope import Recipient

    plain = tmp_path / "x.txt"
    plain.write_bytes(b"x")
    sealed = fileops.seal_file(plain, [Recipient(bytes(16), bytes(16), bytes(32))]).output
    for args in (["--version"], ["inspect", str(sealed), "--json"]):
        code = (
            "import sys\nfrom vaultapp.cli import main\n"
            f"rc = main({args!r})\n"
            "heavy = [m for m in ('PySide6', 'sqlalchemy', 'boto3', 'alembic', 'keyring')"
            " if m in sys.modules]\n"
            "print('HEAVY', heavy)\nsys.exit(rc or (1 if heavy else 0))\n"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == 0 and "HEAVY []" in result.stdout, result
