"""Core errors say what happened and carry a hint code; each front end words the remedy.

A core message that names a command-line flag or command would send a window user to a
command line they may not have; a window that parsed an error's text would break when
the words change. These tests hold both rules, and that every hint has words on both sides.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from vaultapp.cli_hints import describe as cli_describe
from vaultapp.core.errors import Hint, KeyUnusableError, OutputExistsError, VaultError

VAULTAPP = Path(__file__).resolve().parent.parent / "vaultapp"
CLI_WORDS = re.compile(r"'vaultapp |(^|\s)--[a-z]|(^|\s)-[a-zA-Z]($|[\s,.;)])")


def _strings(path: Path) -> list[tuple[int, str]]:
    """Every string constant of a module that is not a docstring."""
    tree = ast.parse(path.read_text(), str(path))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docstrings]


def test_core_messages_name_no_command_line_flag_or_command() -> None:
    found = [f"{path.relative_to(VAULTAPP)}:{line}: {text!r}"
             for path in sorted((VAULTAPP / "core").rglob("*.py"))
             for line, text in _strings(path) if CLI_WORDS.search(text)]
    assert found == []


def test_window_messages_name_no_command_line_flag_or_command() -> None:
    found = [f"{path.name}:{line}: {text!r}"
             for path in sorted((VAULTAPP / "gui").glob("*.py"))
             for line, text in _strings(path) if CLI_WORDS.search(text)]
    assert found == []


def test_the_window_never_parses_an_error_text() -> None:
    """No `str(exc).split(…)`, `…in str(exc)` or the like in vaultapp/gui."""
    found = []
    for path in sorted((VAULTAPP / "gui").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Attribute) and node.attr in ("split", "partition",
                                                                 "startswith", "index") \
                    and isinstance(node.value, ast.Call) \
                    and isinstance(node.value.func, ast.Name) and node.value.func.id == "str":
                found.append(f"{path.name}:{node.lineno}")
    assert found == []


@pytest.mark.parametrize("hint", [h for h in Hint if h not in (Hint.NONE, Hint.UNLOCK)])
def test_every_hint_has_words_on_the_command_line(hint: Hint) -> None:
    assert cli_describe(VaultError("it failed", hint=hint)) != "it failed"


def test_the_window_words_every_hint_the_core_raises_with_a_button_remedy(qapp: object) -> None:
    from vaultapp.gui.hints import describe

    for hint in (Hint.REPLACE_OUTPUT, Hint.ENABLE_KEY, Hint.CANCEL_DESTRUCTION,
                 Hint.ROTATE_PROFILE, Hint.NO_PROFILE_YET, Hint.CHOOSE_PROFILE,
                 Hint.NO_SECURE_KEYRING, Hint.RESTORE_BACKUP):
        words = describe(VaultError("it failed", hint=hint))
        assert words.startswith("it failed. ") and not CLI_WORDS.search(words), words


def test_errors_carry_their_fields() -> None:
    exists = OutputExistsError(Path("/tmp/x.vault"))
    assert exists.path == Path("/tmp/x.vault") and exists.hint is Hint.REPLACE_OUTPUT
    assert "--force" in cli_describe(exists) and "--force" not in str(exists)
    unusable = KeyUnusableError("key abcd is disabled", hint=Hint.ENABLE_KEY,
                                key_id="abcdef0123456789", state="disabled")
    assert "'vaultapp key enable abcdef01'" in cli_describe(unusable)
    assert unusable.exit_code == 4 and unusable.state == "disabled"
