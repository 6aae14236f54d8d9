"""Boundaries that keep the code easy to change: the import layers of vaultapp, read from
its source with `ast` (function-level imports included, relative imports resolved), and
the fast paths that must stay fast (checked in fresh processes).

The layers (docs/ARCHITECTURE.md): core knows nothing of Qt, the window or the command
line; the format (format, stream, envelope) knows nothing of files, jobs or keyboxes;
file operations know nothing of jobs or keyboxes; jobs know nothing of keyboxes; the
keybox's store and its key-slot providers never reach up to the keybox service; and core
has no import cycle. Imports under `if TYPE_CHECKING:` count, except for cycles (they are
never executed).
"""

from __future__ import annotations

import ast
import functools
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT

KEYBOX = "vaultapp.core.keybox"
SERVICE = f"{KEYBOX}.service"
UI = ("PySide6", "shiboken6", "PyQt4", "PyQt5", "PyQt6", "click", "vaultapp.gui",
      "vaultapp.cli")


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the module (or package) imported
    line: int
    type_checking: bool  # only under `if TYPE_CHECKING:`

    def __str__(self) -> str:
        return f"{self.source}:{self.line} imports {self.target}"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.cache
def sources() -> dict[str, Path]:
    """Every module of the vaultapp package, by name."""
    return {module_name(path): path for path in sorted((ROOT / "vaultapp").rglob("*.py"))}


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """What one import statement imports: `from pkg import sub` names the submodule."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    package = module.split(".") if is_package else module.split(".")[:-1]
    base = package[: len(package) - node.level + 1] if node.level else []
    origin = ".".join([*base, *([node.module] if node.module else [])])
    names = [f"{origin}.{alias.name}" for alias in node.names]
    submodules = [name for name in names if name in sources()]
    return submodules + ([origin] if len(submodules) < len(names) else [])


def type_checking_nodes(tree: ast.AST) -> set[int]:
    """ids of the nodes inside `if TYPE_CHECKING:` (or `typing.TYPE_CHECKING`) blocks."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        test = node.test if isinstance(node, ast.If) else None
        if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
                isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"):
            inside |= {id(child) for stmt in node.body for child in ast.walk(stmt)}
    return inside


@functools.cache
def all_imports() -> tuple[Import, ...]:
    found = []
    for module, path in sources().items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        hidden = type_checking_nodes(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                found += [Import(module, target, node.lineno, id(node) in hidden)
                          for target in targets(node, module, path.name == "__init__.py")]
    return tuple(found)


def imports_from(packages: Iterable[str], forbidden: Iterable[str]) -> list[str]:
    """Imports by modules within `packages` of anything within `forbidden`."""
    packages, forbidden = list(packages), list(forbidden)
    return [str(i) for i in all_imports()
            if any(within(i.source, p) for p in packages)
            and any(within(i.target, f) for f in forbidden)]


def slot_modules() -> list[str]:
    """The key-slot providers: every module of the slots package."""
    package = f"{KEYBOX}.slots"
    return [name for name in sources() if within(name, package)]


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of `graph` as [a, b, ..., a], or None (depth-first, in name order)."""
    done: set[str] = set()
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        if node in path:
            return [*path[path.index(node):], node]
        if node in done:
            return None
        path.append(node)
        for succ in sorted(graph.get(node, ())):
            if cycle := visit(succ):
                return cycle
        path.pop()
        done.add(node)
        return None

    return next((c for node in sorted(graph) if (c := visit(node))), None)


def test_core_source_imports_no_qt() -> None:
    """(a) core never imports Qt, the window or the command line."""
    assert imports_from(["vaultapp.core"], UI) == []


def test_format_knows_nothing_of_files_jobs_or_keyboxes() -> None:
    """(b)"""
    layer = [f"vaultapp.core.{name}" for name in ("format", "stream", "envelope")]
    forbidden = ["vaultapp.core.fileops", "vaultapp.core.jobs", KEYBOX]
    assert imports_from(layer, forbidden) == []


def test_fileops_knows_nothing_of_jobs_or_keyboxes() -> None:
    """(c)"""
    assert imports_from(["vaultapp.core.fileops"], ["vaultapp.core.jobs", KEYBOX]) == []


def test_jobs_know_nothing_of_keyboxes() -> None:
    """(d)"""
    assert imports_from(["vaultapp.core.jobs"], [KEYBOX]) == []


def test_keybox_store_never_imports_the_service() -> None:
    """(e)"""
    assert imports_from([f"{KEYBOX}.store"], [SERVICE]) == []


def test_the_keybox_does_no_file_work() -> None:
    """(h) the keybox owns rules and storage; files are fileops' and jobs' (rewrap's file
    part lives in core/jobs/rewrap.py)."""
    assert imports_from([KEYBOX], ["vaultapp.core.fileops", "vaultapp.core.jobs"]) == []


def test_slot_providers_never_import_the_service() -> None:
    """(f) also not under TYPE_CHECKING: a provider must not need to know the service."""
    assert imports_from(slot_modules(), [SERVICE]) == []


def test_core_has_no_import_cycle() -> None:
    """(g) among vaultapp.core modules, with what runs (TYPE_CHECKING imports excluded)."""
    graph: dict[str, set[str]] = {}
    for i in all_imports():
        if within(i.source, "vaultapp.core") and within(i.target, "vaultapp.core") \
                and not i.type_checking and i.source != i.target:
            graph.setdefault(i.source, set()).add(i.target)
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


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
