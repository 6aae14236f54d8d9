#!/usr/bin/env python3
"""Build vaultapp's bundle and prove the frozen program works: packaging/smoke_test.py

Runs packaging/build.sh, unpacks the tarball it wrote into a throwaway folder (so nothing
can lean on the source tree or the virtualenv) and checks, with a clean environment:

  bundle     the tarball matches its .sha256; migrations, icons, keyring's entry-point
             metadata and the SVG/xcb/wayland/offscreen Qt plugins are inside; the Python
             archive holds keyring's SecretService backend, secretstorage, boto3, psycopg
             and vaultapp's GUI; no unused Qt module (WebEngine, Qml/Quick, 3D, Multimedia,
             ...), no GTK stack and no botocore service model but the five we use; no
             bundled library needs one of the libraries the spec leaves out
  --version  prints "vaultapp <version>"; start-up time is the median of 5 runs
  selftest   exit 0, with the offscreen window check "ok" (not skipped)
  x11        selftest again on a real X server (Xvfb) through Qt's xcb plugin
  passphrase init --no-keyring --passphrase-stdin, profile create, seal, inspect, open
             (bytes and name restored), a tampered copy refused with exit code 3
  keyring    a private Secret Service (gnome-keyring on its own D-Bus): the frozen
             keyring discovers it by itself (init puts the root key there; seal and open
             unlock without a passphrase), so it is not keyring's "fail" backend
  AWS KMS    a moto_server on loopback: slot add-aws-kms, then seal and open unlocked by
             KMS alone (proves boto3 and the trimmed botocore models work frozen)
  window     `vaultapp gui` starts offscreen and listens; a second `vaultapp gui FILE`
             hands FILE over and the window seals it; the frozen CLI opens the result
  desktop    the bundle's install-desktop.sh, in a throwaway HOME, points the menu entry
             at the unpacked bundle; uninstall-desktop.sh removes it

Prints every check as "ok"/"FAIL", then the bundle size and start-up times. Exits 1 if
any check failed. Options: --no-build reuses dist/ (for iterating on the checks only).
Needs the system packages of scripts/install-system-deps and, for the KMS check,
moto[server] in .venv (the `test` extra; .ci/run installs it before this runs).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
BUILD_PYTHON = ROOT / "build" / "venv" / "bin" / "python"
"""packaging/build.sh's own virtualenv: the one with PyInstaller (its archive reader)."""
MOTO_SERVER = ROOT / ".venv" / "bin" / "moto_server"
TIMEOUT = 120
PASSPHRASE = "smoke test passphrase"

QT_MODULES_USED = {"QtCore", "QtGui", "QtWidgets", "QtSvg", "QtNetwork", "QtDBus"}
FORBIDDEN = [  # regular expressions on paths inside the bundle
    r"Qt6?WebEngine", r"Qt6?Qml", r"Qt6?Quick", r"Qt63D|Qt3D", r"Qt6?Multimedia",
    r"Qt6?Pdf", r"Qt6?Designer", r"Qt6?Charts", r"Qt6?DataVisualization",
    r"Qt6?Positioning", r"Qt6?Sql", r"Qt6?Test", r"Qt6?PrintSupport",
    r"(^|/)lib(gtk|gdk)-3\.so", r"(^|/)libqgtk3\.so", r"(^|/)libatk", r"(^|/)libpango",
    r"(^|/)libcairo", r"(^|/)libgdk_pixbuf", r"tkinter|libtk|libtcl",
]
# The libraries packaging/vaultapp.spec leaves out (its DROP_BINARIES, Linux names).
DROPPED_LIBS = re.compile(
    r"^lib(gtk-3|gdk-3|atk-1\.0|atk-bridge-2\.0|atspi|pango-1\.0|pangocairo-1\.0|pangoft2-1\.0|"
    r"cairo|cairo-gobject|gdk_pixbuf-2\.0|epoxy|harfbuzz|fribidi|thai|datrie|pixman-1|"
    r"cloudproviders|tracker-sparql-3\.0|colord|Xcomposite|Xcursor|Xdamage|Xfixes|Xi|"
    r"Xinerama|Xrandr|jpeg|tiff|webp|deflate|jbig|Lerc)\.so")
BASE_SYSTEM = re.compile(r"^(libc|libm|libdl|libpthread|librt|libresolv|libutil|ld-linux)")
BOTOCORE_SERVICES = {"kms", "sts", "sso", "sso-oidc", "signin"}
PYZ_REQUIRED = [
    "keyring.backends.SecretService", "keyring.backends.chainer", "secretstorage", "jeepney",
    "vaultapp.cli", "vaultapp.gui.app", "vaultapp.core.keybox.slots.aws_kms",
    "vaultapp.core.keybox.slots.os_keyring", "vaultapp.core.keybox.slots.passphrase", "alembic.op",
    "alembic.context", "alembic.ddl.sqlite", "sqlalchemy.dialects.sqlite", "boto3",
    "botocore", "psycopg", "platformdirs", "vaultapp.core.keybox.slots.fido2",
    "vaultapp.core.keybox.slots.fido2_keys", "fido2.client", "fido2.hid.linux",
    "vaultapp.core.keybox.slots.recovery_code", "vaultapp.core.keybox.slots.tpm",
]


class Report:
    def __init__(self) -> None:
        self.failures: list[str] = []
        self.facts: list[str] = []

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        if ok:
            print(f"ok   {name}")
        else:
            print(f"FAIL {name}" + (f": {detail}" if detail else ""))
            self.failures.append(name)
        sys.stdout.flush()
        return ok

    def fact(self, text: str) -> None:
        self.facts.append(text)


def run(cmd: list[str], env: dict[str, str] | None = None, stdin: str = "",
        cwd: Path | None = None, timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, env=env, input=stdin, capture_output=True, text=True,
                          cwd=cwd, timeout=timeout)


def explain(r: subprocess.CompletedProcess[str]) -> str:
    out, err = r.stdout.strip()[-800:], r.stderr.strip()[-800:]
    return f"exit {r.returncode}; stdout: {out!r}; stderr: {err!r}"


def version_of_source() -> str:
    text = (ROOT / "vaultapp" / "__init__.py").read_text()
    match = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    if not match:
        raise SystemExit("smoke_test: no __version__ in vaultapp/__init__.py")
    return match.group(1)


def clean_env(base: Path, **extra: str) -> dict[str, str]:
    """A fresh user's environment: nothing from the build's virtualenv, keyring or AWS."""
    home = base / "home"
    tmp = base / "tmp"
    for d in (home, tmp):
        d.mkdir(parents=True, exist_ok=True)
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "TMPDIR": str(tmp),
           "LANG": "C.UTF-8", "XDG_CONFIG_HOME": str(home / ".config"),
           "XDG_DATA_HOME": str(home / ".local/share"), "XDG_CACHE_HOME": str(home / ".cache"),
           "QT_QPA_PLATFORM": "offscreen"}
    env.update(extra)
    return env


@contextlib.contextmanager
def process(cmd: list[str], **kwargs: object) -> Iterator[subprocess.Popen[str]]:
    """A child process that is ended (by its own pid) when the block ends."""
    proc = subprocess.Popen(cmd, text=True, **kwargs)  # type: ignore[call-overload]
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


# --- bundle contents ----------------------------------------------------------------------

def check_bundle(rep: Report, bundle: Path) -> None:
    internal = bundle / "_internal"
    files = [p.relative_to(bundle).as_posix() for p in bundle.rglob("*")
             if p.is_file() or p.is_symlink()]
    need = ["vaultapp", "install-desktop.sh", "uninstall-desktop.sh",
            "share/vaultapp.desktop", "share/vaultapp-mime.xml",
            "share/vaultapp-age-mime.xml", "share/vaultapp.svg",
            "share/application-x-vaultapp-sealed.svg",
            "_internal/vaultapp/migrations/env.py",
            "_internal/vaultapp/migrations/versions/0001_initial.py",
            *(f"_internal/vaultapp/resources/{n}.svg"
              for n in ("app", "sealed-file", "locked", "drop")),
            "_internal/PySide6/Qt/plugins/iconengines/libqsvgicon.so",
            "_internal/PySide6/Qt/plugins/imageformats/libqsvg.so",
            "_internal/PySide6/Qt/plugins/platforms/libqxcb.so",
            "_internal/PySide6/Qt/plugins/platforms/libqwayland.so",
            "_internal/PySide6/Qt/plugins/platforms/libqoffscreen.so",
            "_internal/fido2/public_suffix_list.dat"]
    missing = [n for n in need if not (bundle / n).exists()]
    rep.check("bundle holds the program, migrations, icons, Qt plugins, desktop files",
              not missing, f"missing {missing}")

    entry_points = list(internal.glob("keyring-*.dist-info/entry_points.txt"))
    rep.check("keyring's entry-point metadata is bundled",
              bool(entry_points) and "SecretService" in entry_points[0].read_text(),
              "no keyring-*.dist-info/entry_points.txt naming SecretService")

    bindings = {p.name.split(".")[0] for p in (internal / "PySide6").glob("Qt*.abi3.so")}
    rep.check(f"only the Qt modules we use ({', '.join(sorted(bindings))})",
              bindings == QT_MODULES_USED, f"expected {sorted(QT_MODULES_USED)}")
    bad = sorted({f for f in files for pat in FORBIDDEN if re.search(pat, f)})
    rep.check("no unused Qt module, GTK stack or Tk in the bundle", not bad, f"found {bad[:15]}")
    services = {p.name for p in (internal / "botocore" / "data").iterdir() if p.is_dir()}
    rep.check(f"botocore carries only the models we call ({', '.join(sorted(services))})",
              services == BOTOCORE_SERVICES, f"expected {sorted(BOTOCORE_SERVICES)}")

    probe = ("import sys\nfrom PyInstaller.archive.readers import CArchiveReader\n"
             "pyz = CArchiveReader(sys.argv[1]).open_embedded_archive('PYZ.pyz')\n"
             "print('\\n'.join(sorted(pyz.toc)))\n")
    r = run([str(BUILD_PYTHON), "-c", probe, str(bundle / "vaultapp")])
    modules = set(r.stdout.split())
    absent = [m for m in PYZ_REQUIRED if m not in modules]
    rep.check("the Python archive holds keyring's SecretService backend and "
              f"{len(PYZ_REQUIRED) - 1} other required modules", r.returncode == 0 and not absent,
              f"missing {absent}" if r.returncode == 0 else explain(r))
    rep.check("no test tooling in the Python archive", r.returncode == 0 and
              not {m for m in modules if m.split(".")[0] in {"pytest", "hypothesis", "moto",
                                                            "mypy", "PyInstaller"}},
              "" if r.returncode == 0 else "the archive could not be read")

    # Every bundled shared object: which libraries does it take from outside the bundle
    # (the system's, or none found)? None of them may be one the spec left out.
    libdirs = f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}"
    outside: dict[str, set[str]] = {}
    for so in sorted(internal.rglob("*.so*")):
        if so.is_symlink() or not so.is_file():
            continue
        r = run(["ldd", str(so)], env={"LD_LIBRARY_PATH": libdirs, "PATH": os.environ["PATH"]})
        for line in r.stdout.splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[1] == "=>" and not parts[2].startswith(str(bundle)):
                where = "not found" if parts[2] == "not" else "system"
                if not BASE_SYSTEM.match(parts[0]):
                    outside.setdefault(f"{parts[0]} ({where})", set()).add(so.name)
    needed_dropped = {lib: sorted(users)[:3] for lib, users in outside.items()
                      if DROPPED_LIBS.match(lib)}
    rep.check("no bundled library needs a library the spec left out", not needed_dropped,
              f"{needed_dropped}")
    rep.fact("libraries the target system provides (besides glibc): "
             + ", ".join(sorted(outside)))


# --- the frozen program -------------------------------------------------------------------

def check_version(rep: Report, exe: Path, version: str, base: Path) -> None:
    env = clean_env(base / "version")
    times, outputs = [], set()
    for _ in range(5):
        started = time.perf_counter()
        r = run([str(exe), "--version"], env=env, cwd=base)
        times.append(time.perf_counter() - started)
        outputs.add((r.returncode, r.stdout.strip()))
    rep.check(f"--version prints 'vaultapp {version}'", outputs == {(0, f"vaultapp {version}")},
              f"got {outputs}")
    rep.fact(f"start-up, `vaultapp --version`: median {statistics.median(times):.3f} s of 5 "
             f"({', '.join(f'{t:.3f}' for t in times)})")


def check_selftest(rep: Report, exe: Path, base: Path) -> None:
    env = clean_env(base / "selftest")
    started = time.perf_counter()
    r = run([str(exe), "selftest"], env=env, cwd=base)
    elapsed = time.perf_counter() - started
    print("     | " + "\n     | ".join(r.stdout.strip().splitlines()))
    window = [ln for ln in r.stdout.splitlines() if "window" in ln]
    rep.check("selftest passes", r.returncode == 0, explain(r))
    rep.check("selftest's window check is ok (not skipped)",
              bool(window) and window[0].startswith("ok   window built offscreen"), f"{window}")
    rep.fact(f"`vaultapp selftest` (keybox, seal/open, tamper, rotate, window): {elapsed:.2f} s")


@contextlib.contextmanager
def xvfb(screen: str = "1280x800x24") -> Iterator[str]:
    """A private X server for the block (Xvfb picks a free display and says which): its
    DISPLAY, ":N", or "" if it did not start. Ended by its own pid when the block ends.
    packaging/deb_checks.py uses it too."""
    read_end, write_end = os.pipe()
    with process(["Xvfb", "-displayfd", str(write_end), "-nolisten", "tcp", "-screen", "0",
                  screen], pass_fds=(write_end,), stdout=subprocess.DEVNULL,
                 stderr=subprocess.DEVNULL):
        os.close(write_end)
        display = b""
        while not display.endswith(b"\n"):
            chunk = os.read(read_end, 16)
            if not chunk:
                break
            display += chunk
        os.close(read_end)
        yield f":{display.decode().strip()}" if display.strip().isdigit() else ""


def check_x11(rep: Report, exe: Path, base: Path) -> None:
    """selftest on a real X server (Xvfb) with Qt's xcb platform: the bundled xcb plugin
    and its libraries load, and the window is built there. Qt aborts if xcb cannot load."""
    if shutil.which("Xvfb") is None:
        rep.check("x11: Xvfb is installed", False, "apt-get install xvfb")
        return
    with xvfb() as display:
        if not rep.check("x11: Xvfb starts", bool(display)):
            return
        env = clean_env(base / "x11", DISPLAY=display, QT_QPA_PLATFORM="xcb")
        r = run([str(exe), "selftest"], env=env, cwd=base)
        rep.check("x11: selftest builds the window on X11 (xcb platform plugin)",
                  r.returncode == 0 and "ok   window built" in r.stdout, explain(r))


def seal_and_open(rep: Report, exe: Path, env: dict[str, str], work: Path, label: str) -> None:
    """Seal a random file and open it elsewhere with the frozen CLI; compare bytes."""
    data = secrets.token_bytes(5 * 65536 + 123)
    plain = work / f"{label}-report.bin"
    plain.write_bytes(data)
    r = run([str(exe), "seal", str(plain)], env=env, cwd=work)
    sealed = plain.with_name(plain.name + ".vault")
    if not rep.check(f"{label}: seal", r.returncode == 0 and sealed.exists(), explain(r)):
        return
    r = run([str(exe), "inspect", "--json", str(sealed)], env=env, cwd=work)
    ok = r.returncode == 0 and json.loads(r.stdout or "{}").get("format_version") is not None
    rep.check(f"{label}: inspect --json", ok, explain(r))
    out = work / f"{label}-opened"
    out.mkdir()
    r = run([str(exe), "open", "-o", str(out), str(sealed)], env=env, cwd=work)
    opened = out / plain.name
    rep.check(f"{label}: open restores the name and every byte",
              r.returncode == 0 and opened.exists() and opened.read_bytes() == data, explain(r))
    tampered = work / f"{label}-tampered.vault"
    blob = bytearray(sealed.read_bytes())
    blob[-200] ^= 0x01
    tampered.write_bytes(bytes(blob))
    r = run([str(exe), "verify", str(tampered)], env=env, cwd=work)
    rep.check(f"{label}: a tampered file is refused (exit 3)", r.returncode == 3, explain(r))


def helpers_of(pid: int) -> set[tuple[str, ...]]:
    """The command lines of `pid`'s children that are seal helpers (/proc)."""
    found = set()
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                argv = tuple(a.decode() for a in f.read().split(b"\0") if a)
        except (OSError, ValueError):
            continue
        if ppid == pid and argv[-1:] == ("--seal-helper",):
            found.add(argv)
    return found


def many_small_files(rep: Report, exe: Path, env: dict[str, str], work: Path) -> None:
    """3,000 small files sealed by one command: the frozen program starts itself again as
    the seal helper (core/jobs/helper.py), and every output opens to its input."""
    src, out, back = work / "many", work / "many-sealed", work / "many-opened"
    for folder in (src, out, back):
        folder.mkdir()
    data = {f"f{i:04d}": secrets.token_bytes(i % 900) for i in range(3000)}
    for name, blob in data.items():
        (src / name).write_bytes(blob)
    seen: set[tuple[str, ...]] = set()
    with process([str(exe), "seal", "-o", str(out), str(src)], env=env, cwd=work,
                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as proc:
        while proc.poll() is None:
            seen |= helpers_of(proc.pid)
            time.sleep(0.01)
        stderr = proc.stderr.read() if proc.stderr else ""
    sealed = sorted(os.listdir(out))
    rep.check("many small files: seal of 3,000 files, one .vault each",
              proc.returncode == 0 and sealed == [f"{n}.vault" for n in sorted(data)],
              f"exit {proc.returncode}, {len(sealed)} outputs; {stderr[-500:]}")
    rep.check("many small files: the bundle started itself as the seal helper",
              len(seen) == 1 and all(Path(argv[0]).name == exe.name and len(argv) == 2
                                     for argv in seen), f"helpers seen: {seen}")
    r = run([str(exe), "open", "-o", str(back), str(out)], env=env, cwd=work)
    rep.check("many small files: every output opens to its input", r.returncode == 0 and all(
        (back / n).exists() and (back / n).read_bytes() == b for n, b in data.items()),
        explain(r))


def large_age_file(rep: Report, exe: Path, env: dict[str, str], work: Path) -> None:
    """A 96 MiB file (past spans.MIN_SIZE: the frozen program's two-thread span path,
    core/age/spans.py) shared as an age file and opened again: the bytes come back."""
    r = run([str(exe), "identity", "new", "big-files", "--classic"], env=env, cwd=work)
    shown = run([str(exe), "identity", "show", "big-files"], env=env, cwd=work)
    plain, back = work / "large.bin", work / "large-opened"
    with open(plain, "wb") as f:
        for _ in range(96):
            f.write(secrets.token_bytes(1 << 20))
    for cmd in (["seal", "--to", shown.stdout.strip(), str(plain)],
                ["open", "-o", str(back), str(plain) + ".age"]):
        done = run([str(exe), *cmd], env=env, cwd=work)
        rep.check(f"large age file: {cmd[0]} of 96 MiB", r.returncode == 0 and
                  done.returncode == 0, explain(done))
    rep.check("large age file: opens to its input", back.exists() and
              back.read_bytes() == plain.read_bytes())


def check_passphrase_keybox(rep: Report, exe: Path, base: Path) -> None:
    work = base / "passphrase"
    env = clean_env(work, VAULTAPP_HOME=str(work / "vaultapp-home"))
    r = run([str(exe), "init", "--no-keyring", "--passphrase-stdin"], env=env,
            stdin=PASSPHRASE + "\n", cwd=work)
    if not rep.check("passphrase: init --no-keyring --passphrase-stdin (runs the migrations)",
                     r.returncode == 0, explain(r)):
        return
    env["VAULTAPP_PASSPHRASE"] = PASSPHRASE
    r = run([str(exe), "profile", "create", "smoke"], env=env, cwd=work)
    if rep.check("passphrase: profile create", r.returncode == 0, explain(r)):
        seal_and_open(rep, exe, env, work, "passphrase")
        many_small_files(rep, exe, env, work)
        large_age_file(rep, exe, env, work)


def check_keyring(rep: Report, exe: Path, base: Path) -> None:
    """The frozen keyring must find a running Secret Service on its own."""
    for program in ("dbus-daemon", "gnome-keyring-daemon", "secret-tool"):
        if shutil.which(program) is None:
            rep.check(f"keyring: {program} is installed", False,
                      "apt-get install dbus gnome-keyring libsecret-tools")
            return
    work = base / "keyring"
    runtime = work / "runtime"
    runtime.mkdir(parents=True, mode=0o700)
    env = clean_env(work, XDG_RUNTIME_DIR=str(runtime), VAULTAPP_HOME=str(work / "vh"))
    with process(["dbus-daemon", "--session", "--nofork", "--print-address=1"], env=env,
                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as bus:
        assert bus.stdout is not None
        env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().strip()
        with process(["gnome-keyring-daemon", "--foreground", "--unlock",
                      "--components=secrets"], env=env, stdin=subprocess.PIPE,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as daemon:
            assert daemon.stdin is not None
            daemon.stdin.write("smoke-login-password")
            daemon.stdin.close()
            deadline = time.monotonic() + 20
            while True:  # until the Secret Service stores an item in its default collection
                r = run(["secret-tool", "store", "--label=probe", "service", "vaultapp-probe"],
                        env=env, stdin="probe", timeout=20)
                if r.returncode == 0:
                    run(["secret-tool", "clear", "service", "vaultapp-probe"], env=env)
                    break
                if time.monotonic() > deadline:
                    rep.check("keyring: a private Secret Service starts", False, explain(r))
                    return
                time.sleep(0.2)
            r = run([str(exe), "init", "--passphrase-stdin"], env=env,
                    stdin=PASSPHRASE + "\n", cwd=work)
            if not rep.check("keyring: the frozen app finds the Secret Service "
                             "(not the fail backend); init puts the root key there",
                             r.returncode == 0 and "OS keyring" in r.stdout, explain(r)):
                return
            r = run([str(exe), "slot", "list", "--json"], env=env, cwd=work)
            kinds = sorted(s["kind"] for s in json.loads(r.stdout or "[]"))
            rep.check("keyring: slots are keyring + passphrase",
                      kinds == ["keyring", "passphrase"], f"{kinds}; {explain(r)}")
            r = run(["secret-tool", "search", "--all", "service", "vaultapp"], env=env)
            rep.check("keyring: the root key is an item of the Secret Service",
                      "attribute.service = vaultapp" in r.stdout + r.stderr, explain(r))
            r = run([str(exe), "profile", "create", "smoke"], env=env, cwd=work)
            if rep.check("keyring: unlocks silently (no passphrase, stdin not a terminal)",
                         r.returncode == 0, explain(r)):
                seal_and_open(rep, exe, env, work, "keyring")


def check_kms(rep: Report, exe: Path, base: Path) -> None:
    """boto3 frozen, with botocore's models trimmed: a KMS slot unlocks the keybox alone."""
    if not MOTO_SERVER.exists():
        rep.check("kms: moto_server is installed", False,
                  f"{MOTO_SERVER} is missing: .venv/bin/pip install 'moto[server]' "
                  "(the test extra)")
        return
    work = base / "kms"
    aws = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
           "AWS_CONFIG_FILE": str(work / "no-config"),
           "AWS_SHARED_CREDENTIALS_FILE": str(work / "no-credentials"),
           "AWS_EC2_METADATA_DISABLED": "true"}
    env = clean_env(work, VAULTAPP_HOME=str(work / "vh"), **aws)
    with contextlib.closing(__import__("socket").socket()) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    endpoint = f"http://127.0.0.1:{port}"
    log = (work / "moto.log").open("w")
    with process([str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)], stdout=log,
                 stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL):
        log.close()
        create = ("import boto3, sys, time\n"
                  "c = boto3.client('kms', region_name='eu-west-1', endpoint_url=sys.argv[1])\n"
                  "for _ in range(300):\n"
                  "    try:\n"
                  "        print(c.create_key()['KeyMetadata']['Arn']); break\n"
                  "    except Exception:\n"
                  "        time.sleep(0.1)\n")
        r = run([str(VENV_PYTHON), "-c", create, endpoint], env={**os.environ, **aws})
        arn = r.stdout.strip()
        if not rep.check("kms: a KMS key on a local moto server", arn.startswith("arn:aws:kms:"),
                         explain(r)):
            return
        r = run([str(exe), "init", "--no-keyring", "--passphrase-stdin"], env=env,
                stdin=PASSPHRASE + "\n", cwd=work)
        r2 = run([str(exe), "slot", "add-aws-kms", "--key-id", arn, "--endpoint-url", endpoint],
                 env={**env, "VAULTAPP_PASSPHRASE": PASSPHRASE}, cwd=work)
        if not rep.check("kms: slot add-aws-kms (frozen boto3 calls KMS)",
                         r.returncode == 0 and r2.returncode == 0,
                         explain(r) if r.returncode else explain(r2)):
            return
        r = run([str(exe), "profile", "create", "smoke"], env=env, cwd=work)
        if rep.check("kms: KMS alone unlocks the keybox (no passphrase, no keyring)",
                     r.returncode == 0, explain(r)):
            seal_and_open(rep, exe, env, work, "kms")


def check_window(rep: Report, exe: Path, base: Path) -> None:
    """`vaultapp gui` starts, listens, and seals a file handed over by a second launch."""
    work = base / "window"
    env = clean_env(work, VAULTAPP_HOME=str(work / "vh"))
    r = run([str(exe), "init", "--no-keyring", "--passphrase-stdin"], env=env,
            stdin=PASSPHRASE + "\n", cwd=work)
    env["VAULTAPP_PASSPHRASE"] = PASSPHRASE
    r2 = run([str(exe), "profile", "create", "smoke"], env=env, cwd=work)
    if not rep.check("window: a keybox to open", r.returncode == 0 and r2.returncode == 0,
                     explain(r if r.returncode else r2)):
        return
    log = (work / "gui.log").open("w")
    started = time.perf_counter()
    with process([str(exe), "gui"], env=env, cwd=work, stdout=log, stderr=subprocess.STDOUT,
                 stdin=subprocess.DEVNULL) as gui:
        log.close()
        # The single-instance socket lives in the private runtime folder, else in run/ of
        # the data folder (vaultapp/gui/app.py runtime_folder()).
        folders = [Path(env["VAULTAPP_HOME"]) / "run"]
        if env.get("XDG_RUNTIME_DIR"):
            folders.append(Path(env["XDG_RUNTIME_DIR"]) / "vaultapp")

        def listening() -> bool:
            return any(p.name.startswith("instance-") and p.is_socket()
                       for folder in folders if folder.is_dir() for p in folder.iterdir())

        while not listening():
            if gui.poll() is not None or time.perf_counter() - started > 60:
                rep.check("window: `vaultapp gui` starts and listens", False,
                          (work / "gui.log").read_text()[-1500:])
                return
            time.sleep(0.05)
        rep.check("window: `vaultapp gui` starts and listens", True)
        rep.fact(f"window start-up, `vaultapp gui` until it listens: "
                 f"{time.perf_counter() - started:.2f} s")
        data = secrets.token_bytes(200_000)
        plain = work / "dropped.bin"
        plain.write_bytes(data)
        r = run([str(exe), "gui", str(plain)], env=env, cwd=work, timeout=30)
        rep.check("window: a second launch hands its file to the running window",
                  r.returncode == 0 and "already running" in r.stdout, explain(r))
        sealed = plain.with_name(plain.name + ".vault")
        deadline = time.monotonic() + 60
        while not sealed.exists() and time.monotonic() < deadline and gui.poll() is None:
            time.sleep(0.1)
        time.sleep(0.5)  # the window publishes the file atomically; let it finish its job
        if rep.check("window: the window sealed the handed-over file", sealed.exists(),
                     (work / "gui.log").read_text()[-1500:]):
            out = work / "opened"
            out.mkdir()
            r = run([str(exe), "open", "-o", str(out), str(sealed)], env=env, cwd=work)
            rep.check("window: the CLI opens what the window sealed",
                      r.returncode == 0 and (out / plain.name).read_bytes() == data, explain(r))
        if gui.poll() is not None:
            rep.check("window: still running until told to stop", False,
                      (work / "gui.log").read_text()[-1500:])
        else:
            gui.send_signal(signal.SIGTERM)


def check_desktop_from_bundle(rep: Report, bundle: Path, base: Path) -> None:
    """The bundle's own install-desktop.sh points the menu entry at the bundle."""
    missing = [t for t in ("update-mime-database", "xdg-mime", "desktop-file-validate")
               if shutil.which(t) is None]
    if not rep.check("desktop: the freedesktop tools are installed", not missing,
                     f"missing {missing}: run scripts/install-system-deps"):
        return
    work = base / "desktop"
    env = clean_env(work)
    data = Path(env["XDG_DATA_HOME"])
    r = run([str(bundle / "install-desktop.sh")], env=env, cwd=work)
    entry = data / "applications" / "vaultapp.desktop"
    if not rep.check("desktop: the bundle's install-desktop.sh installs for this user",
                     r.returncode == 0 and entry.exists(), explain(r)):
        return
    execs = {ln for ln in entry.read_text().splitlines() if ln.startswith("Exec=")}
    rep.check("desktop: its Exec lines start the unpacked bundle",
              execs == {f"Exec={bundle / 'vaultapp'} gui %F"}, f"{execs}")
    r = run(["desktop-file-validate", str(entry)], env=env)
    rep.check("desktop: desktop-file-validate accepts the entry", r.returncode == 0, explain(r))
    r = run(["xdg-mime", "query", "default", "application/x-vaultapp-sealed"], env=env)
    rep.check("desktop: vaultapp.desktop opens sealed files",
              r.stdout.strip() == "vaultapp.desktop", explain(r))
    r = run([str(bundle / "uninstall-desktop.sh")], env=env, cwd=work)
    rep.check("desktop: uninstall-desktop.sh removes it",
              r.returncode == 0 and not entry.exists(), explain(r))


# --- main ---------------------------------------------------------------------------------

def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-build", action="store_true",
                        help="reuse dist/ from an earlier packaging/build.sh")
    args = parser.parse_args(argv)
    rep = Report()
    version = version_of_source()
    name = f"vaultapp-{version}-linux-{os.uname().machine}.tar.gz"
    tarball = ROOT / "dist" / name

    if not args.no_build:
        started = time.perf_counter()
        build = subprocess.run([str(ROOT / "packaging" / "build.sh")], timeout=3600)
        if build.returncode != 0:
            print(f"FAIL packaging/build.sh exited with {build.returncode}")
            return 1
        rep.fact(f"build (packaging/build.sh): {time.perf_counter() - started:.0f} s")

    if not rep.check(f"dist/{name} and its .sha256 exist",
                     tarball.exists() and Path(f"{tarball}.sha256").exists()):
        return 1
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    recorded = Path(f"{tarball}.sha256").read_text().split()
    rep.check("the tarball matches its .sha256", recorded == [digest, name], f"{recorded}")

    base = Path(tempfile.mkdtemp(prefix="vaultapp-smoke-"))
    try:
        unpacked = base / "unpacked"
        unpacked.mkdir()
        r = run(["tar", "-xzf", str(tarball), "-C", str(unpacked)])
        bundle = unpacked / "vaultapp"
        exe = bundle / "vaultapp"
        if not rep.check("the tarball unpacks to vaultapp/vaultapp",
                         r.returncode == 0 and os.access(exe, os.X_OK), explain(r)):
            return 1
        size = int(run(["du", "-sb", str(bundle)]).stdout.split()[0])
        rep.fact(f"bundle size: {size / 2**20:.0f} MiB unpacked ({size} bytes, du -sb), "
                 f"tarball {tarball.stat().st_size / 2**20:.0f} MiB")

        check_bundle(rep, bundle)
        check_version(rep, exe, version, base)
        check_selftest(rep, exe, base)
        check_x11(rep, exe, base)
        check_passphrase_keybox(rep, exe, base)
        check_keyring(rep, exe, base)
        check_kms(rep, exe, base)
        check_window(rep, exe, base)
        check_desktop_from_bundle(rep, bundle, base)
    finally:
        shutil.rmtree(base, ignore_errors=True)

    print()
    for fact in rep.facts:
        print(f"     {fact}")
    if rep.failures:
        print(f"\nsmoke test FAILED: {len(rep.failures)} check(s): {', '.join(rep.failures)}")
        return 1
    print("\nsmoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
