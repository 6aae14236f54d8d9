#!/usr/bin/env python3
"""The installed Debian package, used as a person at a desktop would: packaging/test-deb.sh
runs this (as root, after `apt-get install ./dist/vaultapp_*.deb`):

    .venv/bin/python packaging/deb_checks.py SCREENSHOT

In a throwaway HOME, with a private gnome-keyring on a private D-Bus session (the tests'
own tests/support/secret_service.py) and a private X server (Xvfb, smoke_test.xvfb):

  keyring   /usr/bin/vaultapp finds the Secret Service by itself (no PYTHON_KEYRING_BACKEND):
            init puts the root key there; seal, inspect, open, a tampered copy refused
            (smoke_test.seal_and_open, the same round trip the bundle's smoke test runs)
  window    started the way the desktop starts it: the Exec line of
            /usr/share/applications/vaultapp.desktop; it unlocks from the keyring by
            itself
  open      a sealed file "double-clicked": `gio launch vaultapp.desktop FILE` hands it to
            the running window, which opens it (the plain file comes back, same bytes);
            then a screenshot of the window is written to SCREENSHOT (look at it)
  types     the system's MIME database knows .vault files by name and by content
            (xdg-mime query filetype) and the desktop database gives them (and .age files)
            to vaultapp.desktop (xdg-mime query default, gio mime)

Prints every check as "ok"/"FAIL"; exits 1 if any failed. Every process it starts is ended
by its own pid (the window, Xvfb, the Secret Service); a stray vaultapp process that
carries this run's HOME in its environment (a launch that did not hand over) too.
"""

from __future__ import annotations

import os
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "packaging"))

from smoke_test import Report, explain, process, run, seal_and_open, xvfb  # noqa: E402

from tests.support.secret_service import SecretService, SecretServiceError  # noqa: E402

EXE = Path("/usr/bin/vaultapp")
DESKTOP_ENTRY = Path("/usr/share/applications/vaultapp.desktop")
SEALED_TYPE = "application/x-vaultapp-sealed"
AGE_TYPE = "application/x-age-encrypted"
PASSPHRASE = "deb test: a recovery passphrase nobody guesses 4711"
FIELD_CODES = {"%f", "%F", "%u", "%U", "%i", "%c", "%k"}


def exec_argv(entry: Path) -> list[str]:
    """The [Desktop Entry] group's Exec line as argv, field codes dropped (what a desktop
    runs when the menu entry is clicked with no file)."""
    group = ""
    for raw in entry.read_text(encoding="utf-8").splitlines():
        text = raw.strip()
        if text.startswith("["):
            group = text
        elif group == "[Desktop Entry]" and text.startswith("Exec="):
            return [a for a in shlex.split(text[len("Exec="):]) if a not in FIELD_CODES]
    raise SystemExit(f"deb_checks: {entry} has no Exec line")


def wait_for(predicate: Callable[[], bool], seconds: float,
             proc: subprocess.Popen[str] | None = None) -> bool:
    """Until predicate() holds (True), the time is up or `proc` has exited (False)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        if proc is not None and proc.poll() is not None:
            return False
        time.sleep(0.1)
    return bool(predicate())


def stray_processes(home: str) -> list[int]:
    """vaultapp processes started with this run's HOME (so started by this run)."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            exe = os.readlink(f"/proc/{name}/exe")
            environ = Path(f"/proc/{name}/environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if exe == "/opt/vaultapp/vaultapp" and f"HOME={home}".encode() in environ:
            found.append(int(name))
    return found


def check_keyring(rep: Report, env: dict[str, str], work: Path) -> bool:
    r = run([str(EXE), "init", "--passphrase-stdin"], env=env, stdin=PASSPHRASE + "\n",
            cwd=work)
    if not rep.check("keyring: the installed program finds the Secret Service by itself; "
                     "init puts the root key there", r.returncode == 0 and "OS keyring" in
                     r.stdout, explain(r)):
        return False
    r = run([str(EXE), "profile", "create", "deb"], env=env, cwd=work)
    if not rep.check("keyring: unlocks silently (no passphrase, stdin not a terminal)",
                     r.returncode == 0, explain(r)):
        return False
    seal_and_open(rep, EXE, env, work, "keyring")
    return True


def check_window(rep: Report, env: dict[str, str], work: Path, screenshot: Path) -> None:
    for tool in ("Xvfb", "xdotool", "scrot", "gio"):
        if shutil.which(tool) is None:
            rep.check(f"window: {tool} is installed", False, "scripts/install-system-deps")
            return
    argv = exec_argv(DESKTOP_ENTRY)
    rep.check(f"window: the desktop entry's Exec line, field codes dropped, is "
              f"'{shlex.join(argv)}'", argv == ["vaultapp", "gui"], f"{argv}")
    with xvfb("1400x900x24") as display:
        if not rep.check("window: Xvfb starts", bool(display)):
            return
        xenv = {**env, "DISPLAY": display}
        xenv.pop("QT_QPA_PLATFORM", None)  # as on a desktop: Qt picks xcb by itself
        log = (work / "window.log").open("w")
        with process(argv, env=xenv, cwd=work, stdout=log, stderr=subprocess.STDOUT,
                     stdin=subprocess.DEVNULL) as window:
            log.close()
            found: list[str] = []

            def visible() -> bool:
                r = run(["xdotool", "search", "--onlyvisible", "--pid", str(window.pid)],
                        env=xenv, timeout=20)
                found[:] = r.stdout.split()
                return bool(found)

            if not rep.check("window: the Exec line starts the window on X11",
                             wait_for(visible, 60, window), (work / "window.log").read_text()):
                return
            wid = found[-1]
            socket_dir = Path(env["XDG_RUNTIME_DIR"]) / "vaultapp"
            wait_for(lambda: socket_dir.is_dir() and any(socket_dir.iterdir()), 30, window)
            time.sleep(3)  # the keyring unlock and the first paint after it

            # A sealed file double-clicked: the desktop launches the entry with the file.
            data = secrets.token_bytes(150_000)
            plain = work / "double-clicked.txt"
            plain.write_bytes(data)
            r = run([str(EXE), "seal", str(plain)], env=env, cwd=work)
            sealed = plain.with_name(plain.name + ".vault")
            if not rep.check("open: a sealed file to double-click", r.returncode == 0,
                             explain(r)):
                return
            plain.unlink()
            r = run(["gio", "launch", str(DESKTOP_ENTRY), str(sealed)], env=xenv, cwd=work)
            rep.check("open: gio launch vaultapp.desktop FILE", r.returncode == 0, explain(r))
            opened = wait_for(lambda: plain.exists() and plain.read_bytes() == data, 60, window)
            rep.check("open: the running window opened the double-clicked file (same bytes)",
                      opened, (work / "window.log").read_text()[-1500:])
            time.sleep(1)  # the activity row of that open, painted
            geometry = dict(line.split("=", 1) for line in run(
                ["xdotool", "getwindowgeometry", "--shell", wid], env=xenv).stdout.split())
            box = ",".join(geometry[k] for k in ("X", "Y", "WIDTH", "HEIGHT"))
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            r = run(["scrot", "--overwrite", "--autoselect", box, str(screenshot)], env=xenv)
            rep.check(f"window: screenshot {screenshot} ({geometry['WIDTH']}x"
                      f"{geometry['HEIGHT']})", r.returncode == 0 and screenshot.is_file(),
                      explain(r))
            rep.check("window: still running", window.poll() is None,
                      (work / "window.log").read_text()[-1500:])
            window.send_signal(signal.SIGTERM)
            window.wait(timeout=30)
        for pid in stray_processes(env["HOME"]):
            os.kill(pid, signal.SIGTERM)
            rep.check(f"open: no second window was left running (pid {pid} was)", False)


def check_types(rep: Report, env: dict[str, str], work: Path) -> None:
    sealed = next(work.glob("keyring-report.bin.vault"), None)
    if sealed is None:
        rep.check("types: a sealed file to ask about", False)
        return
    renamed = work / "no-extension"
    shutil.copyfile(sealed, renamed)
    for path, how in ((sealed, "by name"), (renamed, "by content")):
        r = run(["xdg-mime", "query", "filetype", str(path)], env=env)
        rep.check(f"types: xdg-mime knows a sealed file {how} ({r.stdout.strip()})",
                  r.stdout.strip() == SEALED_TYPE, explain(r))
    for mime in (SEALED_TYPE, AGE_TYPE):
        r = run(["xdg-mime", "query", "default", mime], env=env)
        rep.check(f"types: xdg-mime query default {mime} is vaultapp.desktop",
                  r.stdout.strip() == "vaultapp.desktop", explain(r))
    r = run(["gio", "mime", SEALED_TYPE], env=env)
    rep.check("types: gio mime names vaultapp.desktop the default for sealed files",
              "Default application for" in r.stdout and "vaultapp.desktop" in
              r.stdout.split("\n")[0], explain(r))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: deb_checks.py SCREENSHOT", file=sys.stderr)
        return 2
    screenshot = Path(argv[0]).resolve()
    rep = Report()
    work = Path(tempfile.mkdtemp(prefix="vaultapp-deb-checks-"))
    service = SecretService()
    try:
        try:
            service.start()
        except SecretServiceError as exc:
            rep.check("keyring: a private Secret Service starts", False, str(exc))
            return 1
        # The service's HOME, runtime folder and bus; no keyring backend chosen for us,
        # no virtualenv on PATH: the installed program as a desktop session would run it.
        env = {k: service.env[k] for k in ("HOME", "XDG_RUNTIME_DIR", "XDG_DATA_HOME",
                                           "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
                                           "DBUS_SESSION_BUS_ADDRESS")}
        env.update(PATH="/usr/bin:/bin", LANG="C.UTF-8", TMPDIR=str(work),
                   QT_QPA_PLATFORM="offscreen")
        if check_keyring(rep, env, work):
            check_window(rep, env, work, screenshot)
        check_types(rep, env, work)
    finally:
        service.stop()
        shutil.rmtree(work, ignore_errors=True)
    if rep.failures:
        print(f"deb_checks: {len(rep.failures)} check(s) FAILED: {', '.join(rep.failures)}")
        return 1
    print("deb_checks: every check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
