"""Write vaultapp's shell completions (bash, zsh, fish) from its argument parser.

    python packaging/make_completions.py OUT_DIR

Writes OUT_DIR/vaultapp.bash, OUT_DIR/_vaultapp (zsh) and OUT_DIR/vaultapp.fish, which
packaging/build-deb.sh installs where each shell looks for a package's completions.

The parser (vaultapp.cli.build_parser) is the one source: a new command or option is
completed as soon as it exists. shtab (the `deb` extra; a build-time tool, never bundled)
writes all three shells from it; shtab 1.13 writes fish too, so no completion is written
by hand here. What shtab cannot know is which arguments name files: arguments whose
metavar says so (FILE, OUT, FROM, URL|PATH) complete file names, the rest nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILE_METAVARS = {"FILE", "OUT", "FROM", "URL|PATH"}
OUTPUTS = {"bash": "vaultapp.bash", "zsh": "_vaultapp", "fish": "vaultapp.fish"}


def mark_file_arguments(parser: argparse.ArgumentParser, files: object) -> None:
    """Give every argument that names a file shtab's file completion, in every subparser."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):  # aliases: each parser once
                mark_file_arguments(sub, files)
        elif action.metavar in FILE_METAVARS:
            action.complete = files  # type: ignore[attr-defined]  # shtab reads it


def completions() -> dict[str, str]:
    import shtab

    sys.path.insert(0, str(ROOT))
    from vaultapp.cli import build_parser

    parser = build_parser()
    mark_file_arguments(parser, shtab.FILE)
    return {shell: shtab.complete(parser, shell=shell) for shell in OUTPUTS}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: make_completions.py OUT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    for shell, text in completions().items():
        (out / OUTPUTS[shell]).write_text(text if text.endswith("\n") else text + "\n",
                                          encoding="utf-8")
    print(f"make_completions: wrote {', '.join(OUTPUTS.values())} to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
