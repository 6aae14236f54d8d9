"""The program's entry point (`cli.run`): a command leaves without the interpreter's
teardown, so what it printed must already be flushed, and its exit code kept."""

from __future__ import annotations

import subprocess
import sys

from vaultapp import __version__


def _vaultapp(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vaultapp", *args], capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)


def test_output_into_a_pipe_arrives_whole() -> None:
    version = _vaultapp("--version")
    assert (version.returncode, version.stdout) == (0, f"vaultapp {__version__}\n")
    helped = _vaultapp("--help")  # many kilobytes, block-buffered into the pipe
    assert helped.returncode == 0 and "selftest" in helped.stdout
    assert helped.stdout.endswith("\n")


def test_the_exit_code_and_the_error_are_kept() -> None:
    wrong = _vaultapp("no-such-command")
    assert wrong.returncode == 2 and "no-such-command" in wrong.stderr


def test_version_loads_no_keybox_crypto_or_error_modules() -> None:
    """`--version` has a 60 ms budget (benchmarks/startup.py measures it): it must not
    import the keybox's database layer, the crypto bindings or the error family."""
    probe = ("import sys\n"
             "from vaultapp.cli import main\n"
             "main(['--version'])\n"
             "heavy = ('sqlalchemy', 'cryptography', 'vaultapp.core.errors',\n"
             "         'vaultapp.core.keybox')\n"
             "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"vaultapp {__version__}", "[]"]


def _probe(code: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_a_command_runs_with_the_raised_collector_threshold() -> None:
    """cli.START_GC_THRESHOLD while the command runs (its imports are most of a small
    command's time), CPython's other thresholds kept."""
    lines = _probe("import gc, vaultapp.cli as cli\n"
                   "print(*gc.get_threshold())\n"
                   "cli.main = lambda: print(*gc.get_threshold()) or 0\n"
                   "cli.run()\n")
    default = lines[0].split()
    assert lines[1].split() == ["50000", *default[1:]]


def test_the_window_starts_with_cpythons_thresholds() -> None:
    """gui/collector.py collects on the GUI thread by the thresholds it finds: the
    window must find CPython's own, not the command line's."""
    lines = _probe("import argparse, gc, vaultapp.cli as cli, vaultapp.gui.app as app\n"
                   "default = gc.get_threshold()\n"
                   "gc.set_threshold(cli.START_GC_THRESHOLD)\n"
                   "app.run_gui = lambda *a: print(gc.get_threshold() == default) or 0\n"
                   "cli.cmd_gui(argparse.Namespace(keybox=None, files=[]))\n")
    assert lines == ["True"]
