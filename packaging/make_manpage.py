"""Write vaultapp's manual page, vaultapp(1), from its argument parser.

    python packaging/make_manpage.py OUT_FILE        (plain roff; build-deb.sh gzips it)

The parser (vaultapp.cli.build_parser) is the one source of the commands, their options,
help texts and the exit codes, so the page cannot drift from `vaultapp --help`. What the
parser does not hold (the environment variables, the files, where to read more) is
written here, in the words of docs/USER-GUIDE.md.

Our own small generator rather than argparse-manpage: this parser nests two levels of
subcommands (`vaultapp slot add-passphrase`), and the page should give each command its
own section with its usage line and options, plus EXIT STATUS from the parser's epilog;
that is ~150 lines here against a generic tool's layout and one more build dependency.
The date is SOURCE_DATE_EPOCH's (the commit's), so two builds write the same page.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ENVIRONMENT = [
    ("VAULTAPP_KEYBOX", "The keybox to use when \\-\\-keybox is not given: a file or a "
     "database URL."),
    ("VAULTAPP_HOME", "The data folder (default: ~/.local/share/vaultapp), where the "
     "default keybox, keybox.sqlite, lives."),
    ("VAULTAPP_CONFIG_HOME", "The folder of this machine's keybox pins (default: "
     "~/.config/vaultapp)."),
    ("VAULTAPP_PASSPHRASE", "Unlocks through a passphrase slot without a prompt; init and "
     "slot add\\-passphrase read a new passphrase from it. vaultapp removes it from its "
     "environment as it starts, so programs it starts never see it."),
    ("QT_QPA_PLATFORM", "Qt's platform for the window (xcb, wayland; offscreen for no "
     "screen). Without a display, commands other than gui work as usual."),
]
FILES = [
    ("~/.local/share/vaultapp/keybox.sqlite", "The default keybox (owner\\-only). Back it "
     "up with vaultapp keybox backup."),
    ("~/.config/vaultapp/pins/", "What this machine remembers about each keybox it has "
     "unlocked (its id, root\\-key fingerprint, newest generation), so that a copied, "
     "rolled\\-back or swapped keybox is refused (exit status 6)."),
    ("~/.config/vaultapp/vaultapp.conf", "The window's settings."),
    ("/opt/vaultapp/", "The program (a self\\-contained bundle); /usr/bin/vaultapp starts it."),
]


def roff(text: str) -> str:
    """Text made safe for roff: backslashes, hyphens (as \\-, the minus of options), and
    every character beyond ASCII as a groff Unicode escape."""
    out = []
    for ch in text.replace("\\", "\\e").replace("-", "\\-"):
        out.append(ch if ord(ch) < 128 else f"\\[u{ord(ch):04X}]")
    return "".join(out)


def line(text: str) -> str:
    """One text line; a leading dot or quote would be read as a request."""
    return "\\&" + text if text[:1] in (".", "'") else text


def usage(parser: argparse.ArgumentParser) -> str:
    text = parser.format_usage().strip()
    return " ".join(text.removeprefix("usage:").split())


def help_text(parser: argparse.ArgumentParser, action: argparse.Action) -> str:
    formatter = parser._get_formatter()
    return " ".join(formatter._expand_help(action).split()) if action.help else ""


def option_items(parser: argparse.ArgumentParser, top: bool = False) -> list[str]:
    """The options and positional arguments of one parser, as tagged paragraphs. --help is
    listed once, for the program; a positional argument without a help text only in the
    usage line."""
    lines: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) or action.help == argparse.SUPPRESS:
            continue
        if isinstance(action, argparse._HelpAction) and not top:
            continue
        if not action.option_strings and not action.help:
            continue
        if action.option_strings:
            metavar = ""
            if action.nargs != 0:
                metavar = " \\fI" + roff(str(action.metavar or action.dest.upper())) + "\\fR"
            names = ", ".join(f"\\fB{roff(o)}\\fR" for o in action.option_strings)
            head = names + metavar
        else:
            head = "\\fI" + roff(str(action.metavar or action.dest)) + "\\fR"
        lines += [".TP", head]
        if action.help:
            lines.append(line(roff(help_text(parser, action))))
    return lines


def subcommands(parser: argparse.ArgumentParser) -> list[tuple[str, str, argparse.ArgumentParser]]:
    """(name, help, parser) of each subcommand, in the parser's order."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            return [(name, helps.get(name, ""), sub) for name, sub in action.choices.items()]
    return []


def command_sections(parser: argparse.ArgumentParser, path: str) -> list[str]:
    lines: list[str] = []
    for name, text, sub in subcommands(parser):
        full = f"{path} {name}".strip()
        children = subcommands(sub)
        lines += [f'.SS "{roff(full)}"', line(roff(text[:1].upper() + text[1:]) + "."
                                               if text else "")]
        if not children:
            lines += [".PP", "\\fBUsage:\\fR " + roff(usage(sub)), *option_items(sub)]
        else:
            lines += [".PP", "Actions: " + ", ".join(f"\\fB{roff(n)}\\fR"
                                                    for n, _, _ in children) + "."]
        lines += command_sections(sub, full) if children else []
    return [ln for ln in lines if ln != ""]


def exit_status(epilog: str) -> list[str]:
    lines = [".SH \"EXIT STATUS\""]
    entries: list[tuple[str, str]] = []
    for raw in epilog.splitlines():
        match = re.match(r"^\s+(\d+)\s+(.*)$", raw)
        if match:
            entries.append((match.group(1), match.group(2)))
        elif entries and raw.startswith("  "):
            code, text = entries[-1]
            entries[-1] = (code, f"{text} {raw.strip()}")
    for code, text in entries:
        lines += [".TP", f"\\fB{code}\\fR", line(roff(text[:1].upper() + text[1:]) + ".")]
    return lines


def manpage() -> str:
    """The page (roff text). argparse wraps usage lines at COLUMNS: unwrapped here (roff
    fills them), and COLUMNS is as it was afterwards."""
    columns = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "10000"
    try:
        return _manpage()
    finally:
        if columns is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = columns


def _manpage() -> str:
    sys.path.insert(0, str(ROOT))
    from vaultapp import __version__
    from vaultapp.cli import EXIT_CODES, build_parser

    parser = build_parser()
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    date = time.strftime("%Y-%m-%d", time.gmtime(epoch)) if epoch else "vaultapp"
    description = parser.description or ""
    lines = [
        f'.TH VAULTAPP 1 "{date}" "vaultapp {__version__}" "User Commands"',
        ".nh",  # option names are never hyphenated
        ".ad l",
        ".SH NAME",
        "vaultapp \\- seal and open files under keys kept in an encrypted keybox",
        ".SH SYNOPSIS",
        ".B vaultapp",
        "[\\fB\\-\\-keybox\\fR \\fIURL|PATH\\fR] [\\fICOMMAND\\fR [\\fIARGUMENTS\\fR]]",
        ".br",
        ".B vaultapp \\-\\-version",
        ".SH DESCRIPTION",
        line(roff(description)),
        ".PP",
        "Every command prints its own help with \\fB\\-\\-help\\fR "
        "(\\fBvaultapp seal \\-\\-help\\fR).",
        ".SH OPTIONS", *option_items(parser, top=True),
        ".SH COMMANDS", *command_sections(parser, "vaultapp"),
        *exit_status(EXIT_CODES),
        ".SH ENVIRONMENT",
    ]
    for name, text in ENVIRONMENT:
        lines += [".TP", f"\\fB{name}\\fR", text]
    lines.append(".SH FILES")
    for name, text in FILES:
        lines += [".TP", f"\\fI{roff(name)}\\fR", text]
    lines += [".SH \"SEE ALSO\"",
              "The user guide, docs/USER\\-GUIDE.md in the source, describes the window and "
              "every command; /usr/share/doc/vaultapp/ holds the licence and changes."]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: make_manpage.py OUT_FILE", file=sys.stderr)
        return 2
    Path(argv[0]).write_text(manpage(), encoding="ascii")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
