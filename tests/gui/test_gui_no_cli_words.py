"""No window message names a command-line command or flag (issue 14, item 9).

The window's words are collected from the source: every string literal passed to
tr()/translate() (and every other string the window's modules hold, and every message
text of the core, whose errors the window shows through hints.describe). A text fails
when it names a command (`vaultapp key …`, `'keybox restore'`) or a flag (`--force`,
`-o`) of the real command line, read from its parser. The status-bar backup reminder and
the window's remedy for every hint are checked as they are shown.
"""

from __future__ import annotations

import argparse
import ast
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.gui.feature_fixtures import keybox_url, shown, window
from vaultapp import cli_hints
from vaultapp.cli import build_parser
from vaultapp.core.errors import Hint, VaultError
from vaultapp.gui import hints
from vaultapp.gui.main_window import MainWindow

FIXTURES = (keybox_url, shown, window)  # pytest finds these fixtures by their names here

ROOT = Path(__file__).resolve().parents[2]
TRANSLATORS = {"tr", "translate", "_tr", "QT_TRANSLATE_NOOP", "QT_TR_NOOP"}


def _commands() -> tuple[set[str], dict[str, set[str]], set[str]]:
    """The command line's top-level commands, each one's sub-commands, and every option."""
    top: set[str] = set()
    subs: dict[str, set[str]] = {}
    options: set[str] = set()

    def walk(parser: argparse.ArgumentParser, command: str | None) -> None:
        for action in parser._actions:
            options.update(action.option_strings)
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    if command is None:
                        top.add(name)
                    else:
                        subs.setdefault(command, set()).add(name)
                    walk(sub, name if command is None else command)

    walk(build_parser(), None)
    return top, subs, options


def cli_words() -> list[re.Pattern[str]]:
    top, subs, options = _commands()
    patterns = [
        re.compile(rf"\bvaultapp\s+(?:{'|'.join(sorted(top))})\b"),
        re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*"),
    ]
    phrases = [f"{command} {sub}" for command, names in subs.items() for sub in names]
    quoted = "|".join(map(re.escape, phrases))
    patterns.append(re.compile(rf"[`'‘“\"](?:{quoted})\b"))
    patterns += [re.compile(rf"(?<![\w-]){re.escape(o)}(?![\w-])")
                 for o in options if not o.startswith("--")]
    return patterns


PATTERNS = cli_words()


def named_cli(text: str) -> list[str]:
    return [m.group() for p in PATTERNS for m in [p.search(text)] if m]


def _docstrings(tree: ast.AST) -> set[int]:
    """String statements: docstrings and attribute docstrings, never shown."""
    return {id(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}


def _texts(node: ast.AST) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        yield "".join(v.value for v in node.values
                      if isinstance(v, ast.Constant) and isinstance(v.value, str))
    elif isinstance(node, ast.BinOp):  # "a" + "b"
        yield from _texts(node.left)
        yield from _texts(node.right)


def translated_strings(folder: Path) -> Iterator[tuple[str, int, str]]:
    """(file, line, text) of every literal passed to a translating call."""
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else \
                func.id if isinstance(func, ast.Name) else ""
            if name in TRANSLATORS:
                for arg in node.args:
                    for text in _texts(arg):
                        yield path.relative_to(ROOT).as_posix(), node.lineno, text


def all_strings(folder: Path) -> Iterator[tuple[str, int, str]]:
    """(file, line, text) of every string in the code that is not a docstring."""
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant | ast.JoinedStr) and id(node) not in skip:
                for text in _texts(node):
                    yield path.relative_to(ROOT).as_posix(), node.lineno, text


def offenders(found: Iterator[tuple[str, int, str]]) -> list[str]:
    return [f"{file}:{line}: {named_cli(text)} in {text!r}"
            for file, line, text in found if named_cli(text)]


# --- the detector itself --------------------------------------------------------------------

def test_the_detector_finds_the_command_lines_own_words() -> None:
    """Every remedy the command line words as a command or flag is caught (so a window
    text copied from it would be)."""
    with_cli = [w for w in cli_hints._WORDS.values() if "vaultapp " in w or " -" in w]
    assert len(with_cli) >= 15
    assert [w for w in with_cli if not named_cli(w)] == []
    assert named_cli("restore it with ‘keybox restore’")
    assert named_cli("use -o to write elsewhere")
    # ... and plain words about the app are not commands.
    for fine in ("vaultapp keeps your keys in an encrypted keybox",
                 "the keybox was changed outside vaultapp", "Open files…", "Key slots…",
                 "e-mail", "a well-known key", "Back up keybox…", "Restore keybox…",
                 "back it up with the database's own tools (such as pg_dump)"):
        assert named_cli(fine) == [], fine


def test_the_collector_sees_translated_strings() -> None:
    texts = [t for _, _, t in translated_strings(ROOT / "vaultapp" / "gui")]
    assert "Select the key and press Enable." in texts  # hints.py, through _tr
    assert "&Audit log…" in texts  # main_window.py, through self.tr
    assert "Profile not deleted" in texts  # profile_dialog.py, through _tr
    assert len(texts) > 300


# --- the window's words ---------------------------------------------------------------------

def test_no_translated_window_string_names_a_command_or_flag() -> None:
    assert offenders(translated_strings(ROOT / "vaultapp" / "gui")) == []


def test_no_other_window_string_names_a_command_or_flag() -> None:
    """Strings the window holds outside tr() (formats, placeholders). Lines for the
    terminal ("vaultapp: ..." on stderr, before any window exists, e.g. when there is no
    display) may name the command line: that is where the person is."""
    found = [(f, n, t) for f, n, t in all_strings(ROOT / "vaultapp" / "gui")
             if not t.startswith("vaultapp: ")]
    assert offenders(iter(found)) == []


def test_no_core_message_names_a_command_or_flag() -> None:
    """Core errors are shown by the window as they are (hints.describe adds the window's
    remedy): their text must fit any front end."""
    assert offenders(all_strings(ROOT / "vaultapp" / "core")) == []


# --- the remedies and the status bar, as shown -------------------------------------------

@pytest.mark.parametrize("hint", [h for h in Hint if h not in hints.WINDOWLESS])
def test_every_hint_has_window_words(hint: Hint) -> None:
    exc = VaultError("something went wrong", hint=hint, key_id="0123456789abcdef")
    words = hints.remedy(exc)
    assert words, f"no window remedy for {hint}"
    assert named_cli(words) == []
    assert hints.describe(exc) == f"something went wrong. {words}"


def test_windowless_hints_show_the_message_alone() -> None:
    for hint in hints.WINDOWLESS:
        exc = VaultError("x", hint=hint)
        assert hints.describe(exc) == "x"


def test_backup_reminder_names_no_command(qtbot: QtBot, window: MainWindow) -> None:
    texts = []
    for last in (None, datetime.now(UTC) - timedelta(days=3),
                 datetime.now(UTC) - timedelta(days=90)):
        window._show_backup_reminder(last)
        texts.append(window.backup_state.text())
    url = window.controller.url
    window.controller.url = "postgresql+psycopg://vault@db.example/keybox"
    try:
        window._show_backup_reminder(None)
        texts.append(window.backup_state.text())
    finally:
        window.controller.url = url
    assert texts[0].startswith("Last backup: never")
    assert "(3 days ago)" in texts[1] and "(90 days ago)" in texts[2]
    assert texts[3].startswith("Team keybox")
    assert [t for t in texts if named_cli(t)] == []
