"""packaging/make_manpage.py: vaultapp(1) follows the argument parser and is clean roff."""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT
from vaultapp.cli import build_parser


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_manpage",
                                                  ROOT / "packaging" / "make_manpage.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _leaf_commands(parser: argparse.ArgumentParser, path: str) -> list[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return [leaf for name, sub in action.choices.items()
                    for leaf in _leaf_commands(sub, f"{path} {name}")]
    return [path]


def test_every_command_and_option_has_its_place(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764598791")  # 2025-12-01
    page = _generator().manpage()
    assert page.startswith('.TH VAULTAPP 1 "2025-12-01" "vaultapp ')
    leaves = _leaf_commands(build_parser(), "vaultapp")
    assert len(leaves) > 30
    for leaf in leaves:
        assert f'.SS "{leaf.replace("-", chr(92) + "-")}"' in page, leaf
    for option in ("--passphrase-stdin", "--wrap-with-aws-kms", "--rotate-every"):
        assert "\\fB" + option.replace("-", "\\-") + "\\fR" in page, option
    for code in range(7):  # EXIT STATUS from the parser's epilog
        assert f".TP\n\\fB{code}\\fR\n" in page
    assert page.isascii()


def test_the_page_is_the_same_for_the_same_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764598791")
    generator = _generator()
    assert generator.manpage() == generator.manpage()


def test_man_reads_it_without_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if shutil.which("man") is None:
        pytest.fail("man is missing: scripts/install-system-deps installs man-db")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764598791")
    page = tmp_path / "vaultapp.1"
    page.write_text(_generator().manpage(), encoding="ascii")
    done = subprocess.run(["man", "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z", str(page)],
                          capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8", "MANWIDTH": "80"})
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    text = subprocess.run(["man", "-l", str(page)], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8", "MANWIDTH": "100",
                               "MANPAGER": "cat"}).stdout
    assert "vaultapp keybox check" in text and "EXIT STATUS" in text
