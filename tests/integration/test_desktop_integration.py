"""Per-user Linux desktop integration: packaging/install-desktop.sh and uninstall-desktop.sh.

Everything runs in a throwaway HOME / XDG_DATA_HOME / XDG_CONFIG_HOME with the real
freedesktop tools: desktop-file-validate checks the installed entry, xdg-mime (the generic
path, through File::MimeInfo) and gio (the GLib path file managers use) recognise a real
sealed file and a real age file by name and by magic, name vaultapp.desktop as their
default application, and gio launches the entry's Exec line with the file. Uninstalling
leaves no trace. For age files, an application that is already their default keeps them,
and a system that already defines their type keeps its definition. Missing tools fail
the tests (scripts/install-system-deps installs them); they never skip.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.integration

INSTALL = ROOT / "packaging" / "install-desktop.sh"
UNINSTALL = ROOT / "packaging" / "uninstall-desktop.sh"
MIME = "application/x-vaultapp-sealed"
AGE = "application/x-age-encrypted"
TOOLS = {
    "desktop-file-validate": "desktop-file-utils",
    "update-desktop-database": "desktop-file-utils",
    "update-mime-database": "shared-mime-info",
    "xdg-mime": "xdg-utils",
    "mimetype": "libfile-mimeinfo-perl",
    "file": "file",
    "gio": "libglib2.0-bin",
}
TIMEOUT = 60


@pytest.fixture(scope="module", autouse=True)
def tools() -> None:
    missing = [f"{tool} ({package})" for tool, package in TOOLS.items()
               if shutil.which(tool) is None]
    if missing:
        pytest.fail("missing: " + ", ".join(missing) + "; run scripts/install-system-deps",
                    pytrace=False)


@pytest.fixture
def desktop_env(tmp_path: Path) -> dict[str, str]:
    """A throwaway user with no desktop session: xdg-utils take their generic path."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in ("XDG_CURRENT_DESKTOP", "XDG_SESSION_DESKTOP", "DESKTOP_SESSION",
                        "KDE_FULL_SESSION", "KDE_SESSION_VERSION", "GNOME_DESKTOP_SESSION_ID",
                        "MATE_DESKTOP_SESSION_ID", "XDG_DATA_DIRS", "XDG_CONFIG_DIRS",
                        "DISPLAY", "WAYLAND_DISPLAY", "BROWSER")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local/share"),
               XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"),
               GIO_USE_VFS="local")
    return env


def _run(env: dict[str, str], *cmd: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in cmd], env=env, capture_output=True, text=True,
                          timeout=TIMEOUT)


def _ok(r: subprocess.CompletedProcess[str]) -> str:
    assert r.returncode == 0, f"exit {r.returncode}\n{r.stdout}\n{r.stderr}"
    return r.stdout.strip()


@pytest.fixture
def sealed_file(tmp_path: Path) -> Path:
    """A real sealed file, written by vaultapp.core.fileops.seal_file."""
    from vaultapp.core import fileops
    from vaultapp.core.keybox import Keybox

    box = Keybox.create(f"sqlite:///{tmp_path / 'keybox.sqlite'}", use_keyring=False,
                        passphrase="desktop integration")
    try:
        box.create_profile("desktop")
        plain = tmp_path / "files" / "notes.txt"
        plain.parent.mkdir()
        plain.write_text("plain text that is about to be sealed\n")
        result = fileops.seal_file(plain, [box.recipient("desktop")])
    finally:
        box.close()
    assert result.output is not None and result.output.name == "notes.txt.vault"
    return result.output


@pytest.fixture
def age_files(tmp_path: Path) -> tuple[Path, Path]:
    """A real binary age file and a real armored one, as age or vaultapp writes them."""
    from vaultapp.core import age

    folder = tmp_path / "age-files"
    folder.mkdir()
    recipient = age.X25519Identity.generate().recipient()
    made = []
    for name, armor in (("letter.txt.age", False), ("armored.age", True)):
        path = folder / name
        with path.open("wb") as out:
            age.encrypt(io.BytesIO(b"for someone\n"), out, [recipient], armor=armor)
        made.append(path)
    return made[0], made[1]


@pytest.fixture
def odd_executable(tmp_path: Path) -> tuple[Path, Path]:
    """A stand-in vaultapp at a path that needs quoting in Exec; it records its argv."""
    folder = tmp_path / "My Apps"
    folder.mkdir()
    argv_file = tmp_path / "argv.txt"
    exe = folder / "vault$app 'beta'"
    exe.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$@\" > '{argv_file}'\n")
    exe.chmod(0o755)
    return exe, argv_file


def _traces(home: Path) -> list[str]:
    """Every file under HOME whose name or content mentions vaultapp."""
    found = []
    for path in sorted(home.rglob("*")):
        if path.is_file() and ("vaultapp" in path.name
                               or b"vaultapp" in path.read_bytes()):
            found.append(str(path.relative_to(home)))
    return found


def _filetype(env: dict[str, str], path: Path) -> tuple[str, str]:
    """The type xdg-mime and gio give `path`."""
    info = _ok(_run(env, "gio", "info", "-a", "standard::content-type", path))
    prefix = "standard::content-type: "
    gio = [ln.strip()[len(prefix):] for ln in info.splitlines() if prefix in ln]
    return _ok(_run(env, "xdg-mime", "query", "filetype", path)), gio[0] if gio else ""


def test_install_validate_recognise_launch_uninstall(
        desktop_env: dict[str, str], sealed_file: Path, age_files: tuple[Path, Path],
        odd_executable: tuple[Path, Path]) -> None:
    exe, argv_file = odd_executable
    home = Path(desktop_env["HOME"])
    data = Path(desktop_env["XDG_DATA_HOME"])
    config = Path(desktop_env["XDG_CONFIG_HOME"])
    # Another application's association must survive install and uninstall.
    config.mkdir(parents=True)
    (config / "mimeapps.list").write_text("[Default Applications]\ntext/plain=editor.desktop\n")

    _ok(_run(desktop_env, INSTALL, exe))

    entry = data / "applications" / "vaultapp.desktop"
    installed = {
        entry,
        data / "mime" / "packages" / "vaultapp-mime.xml",
        data / "mime" / "packages" / "vaultapp-age-mime.xml",  # the system knows no age type
        data / "icons" / "hicolor" / "scalable" / "apps" / "vaultapp.svg",
        data / "icons" / "hicolor" / "scalable" / "mimetypes" / f"{MIME.replace('/', '-')}.svg",
    }
    assert all(p.is_file() for p in installed), [str(p) for p in installed if not p.is_file()]
    r = _run(desktop_env, "desktop-file-validate", entry)
    _ok(r)
    assert not [ln for ln in r.stdout.splitlines() if ": error: " in ln or ": warning: " in ln]

    text = entry.read_text()
    exec_lines = [ln for ln in text.splitlines() if ln.startswith("Exec=")]
    # Quoted, and `$` escaped as \$ whose backslash the string escaping doubles.
    expected = 'Exec="' + str(exe).replace("$", "\\\\$") + '" gui %F'
    assert exec_lines == [expected] * 3, exec_lines
    assert f"MimeType={MIME};{AGE};" in text
    assert "Name=Seal with vaultapp" in text and "Name=Open with vaultapp" in text

    # Recognised by name and, renamed to anything, by the magic at offset 0.
    renamed = sealed_file.with_name("no-extension")
    shutil.copyfile(sealed_file, renamed)
    for path in (sealed_file, renamed):
        assert _ok(_run(desktop_env, "xdg-mime", "query", "filetype", path)) == MIME, path
        info = _ok(_run(desktop_env, "gio", "info", "-a", "standard::content-type", path))
        assert f"standard::content-type: {MIME}" in info, info
    assert _ok(_run(desktop_env, "xdg-mime", "query", "default", MIME)) == "vaultapp.desktop"
    assert "vaultapp.desktop" in _ok(_run(desktop_env, "gio", "mime", MIME))

    # age files: by name, and renamed, by either first line (binary or armored).
    binary, armored = age_files
    renamed_age = binary.with_name("no-extension")
    shutil.copyfile(binary, renamed_age)
    renamed_armored = armored.with_name("armored-renamed")
    shutil.copyfile(armored, renamed_armored)
    for path in (binary, armored, renamed_age, renamed_armored):
        assert _filetype(desktop_env, path) == (AGE, AGE), path
    assert _ok(_run(desktop_env, "xdg-mime", "query", "default", AGE)) == "vaultapp.desktop"
    assert "vaultapp.desktop" in _ok(_run(desktop_env, "gio", "mime", AGE))

    # What a double-click does in a GLib file manager: the Exec line with the file.
    _ok(_run(desktop_env, "gio", "launch", entry, sealed_file))
    for _ in range(100):
        if argv_file.exists() and argv_file.read_text().endswith("\n"):
            break
        time.sleep(0.05)
    assert argv_file.read_text().splitlines() == ["gui", str(sealed_file)]

    _ok(_run(desktop_env, UNINSTALL))
    assert not [p for p in installed if p.exists()]
    assert _traces(home) == []
    assert "text/plain=editor.desktop" in (config / "mimeapps.list").read_text()
    assert _ok(_run(desktop_env, "xdg-mime", "query", "filetype", renamed)) != MIME
    assert _run(desktop_env, "xdg-mime", "query", "default", MIME).stdout.strip() == ""
    assert AGE not in _filetype(desktop_env, renamed_age)
    assert _run(desktop_env, "xdg-mime", "query", "default", AGE).stdout.strip() == ""
    _ok(_run(desktop_env, UNINSTALL))  # twice is fine


def test_default_executable_is_vaultapp_on_path(desktop_env: dict[str, str]) -> None:
    venv_bin = Path(sys.executable).parent
    assert (venv_bin / "vaultapp").exists(), "vaultapp is not installed in this environment"
    env = {**desktop_env, "PATH": f"{venv_bin}{os.pathsep}{desktop_env['PATH']}"}
    _ok(_run(env, INSTALL))
    entry = Path(env["XDG_DATA_HOME"]) / "applications" / "vaultapp.desktop"
    exe = shutil.which("vaultapp", path=env["PATH"])
    assert f"\nExec={exe} gui %F\n" in entry.read_text()
    _ok(_run(env, "desktop-file-validate", entry))
    _ok(_run(env, UNINSTALL))
    assert _traces(Path(env["HOME"])) == []


def test_uninstall_keeps_other_applications_for_the_type(
        desktop_env: dict[str, str], odd_executable: tuple[Path, Path]) -> None:
    exe, _ = odd_executable
    config = Path(desktop_env["XDG_CONFIG_HOME"])
    config.mkdir(parents=True)
    (config / "mimeapps.list").write_text(
        f"[Added Associations]\n{MIME}=other.desktop;vaultapp.desktop;\n")
    _ok(_run(desktop_env, INSTALL, exe))
    _ok(_run(desktop_env, UNINSTALL))
    lines = (config / "mimeapps.list").read_text().splitlines()
    assert f"{MIME}=other.desktop;" in lines
    assert not [ln for ln in lines if "vaultapp.desktop" in ln]


def test_install_refuses_what_is_not_an_executable(desktop_env: dict[str, str],
                                                   tmp_path: Path) -> None:
    not_exe = tmp_path / "vaultapp"
    not_exe.write_text("not a program")
    for argument in (tmp_path / "missing", not_exe):
        r = _run(desktop_env, INSTALL, argument)
        assert r.returncode == 2, r.stderr
        assert "is not an executable file" in r.stderr
    # GLib cannot find a program whose path holds % (written %% in Exec): refused.
    percent = tmp_path / "100% vault"
    percent.write_text("#!/bin/sh\n")
    percent.chmod(0o755)
    r = _run(desktop_env, INSTALL, percent)
    assert r.returncode == 2 and "contains %" in r.stderr, r.stderr
    assert _traces(Path(desktop_env["HOME"])) == []


# --- age files: never taken from an age tool, never redefined --------------------------------

def _age_tool(folder: Path, *, defines_type: bool) -> None:
    """An installed age tool in the system data folder `folder`: a desktop entry that
    claims age files and, if `defines_type`, a MIME package of its own for them
    (compiled, as a distribution's package leaves it)."""
    apps = folder / "applications"
    apps.mkdir(parents=True, exist_ok=True)
    (apps / "age-tool.desktop").write_text(
        "[Desktop Entry]\nType=Application\nName=Age Tool\nExec=true %f\n"
        f"MimeType={AGE};\n")
    if defines_type:
        packages = folder / "mime" / "packages"
        packages.mkdir(parents=True)
        (packages / "age-tool.xml").write_text(
            '<?xml version="1.0"?>\n<mime-info xmlns="http://www.freedesktop.org/standards/'
            f'shared-mime-info">\n  <mime-type type="{AGE}">\n    <comment>age file'
            '</comment>\n    <glob pattern="*.age"/>\n  </mime-type>\n</mime-info>\n')
        subprocess.run(["update-mime-database", str(folder / "mime")], check=True,
                       capture_output=True, timeout=TIMEOUT)


def test_an_age_tool_that_is_the_default_keeps_age_files(
        desktop_env: dict[str, str], age_files: tuple[Path, Path],
        odd_executable: tuple[Path, Path]) -> None:
    """The person made another application the default for age files: it stays so, and
    uninstalling leaves that line alone."""
    exe, _ = odd_executable
    config = Path(desktop_env["XDG_CONFIG_HOME"])
    config.mkdir(parents=True)
    (config / "mimeapps.list").write_text(f"[Default Applications]\n{AGE}=rage-gui.desktop;\n")
    apps = Path(desktop_env["XDG_DATA_HOME"]) / "applications"  # installed, as xdg-mime checks
    apps.mkdir(parents=True)
    (apps / "rage-gui.desktop").write_text(
        "[Desktop Entry]\nType=Application\nName=Rage GUI\nExec=true %f\n"
        f"MimeType={AGE};\n")
    assert _ok(_run(desktop_env, "xdg-mime", "query", "default", AGE)) == "rage-gui.desktop"
    out = _ok(_run(desktop_env, INSTALL, exe))
    assert "they stay with rage-gui.desktop" in out
    assert _ok(_run(desktop_env, "xdg-mime", "query", "default", AGE)) == "rage-gui.desktop"
    assert _ok(_run(desktop_env, "xdg-mime", "query", "default", MIME)) == "vaultapp.desktop"
    # The type is still known (ours: this system defines none), so files are recognised.
    assert _filetype(desktop_env, age_files[0]) == (AGE, AGE)
    _ok(_run(desktop_env, UNINSTALL))
    assert f"{AGE}=rage-gui.desktop;" in (config / "mimeapps.list").read_text().splitlines()
    assert _traces(Path(desktop_env["HOME"])) == []
    assert _ok(_run(desktop_env, "xdg-mime", "query", "default", AGE)) == "rage-gui.desktop"


def test_an_installed_age_tool_keeps_its_type_and_its_files(
        desktop_env: dict[str, str], age_files: tuple[Path, Path], tmp_path: Path,
        odd_executable: tuple[Path, Path]) -> None:
    """A system age tool defines the type and claims the files: vaultapp defines nothing
    and takes nothing, but still offers itself (its entry lists the type)."""
    exe, _ = odd_executable
    system = tmp_path / "system-share"
    _age_tool(system, defines_type=True)
    env = {**desktop_env, "XDG_DATA_DIRS": f"{system}:/usr/share"}
    assert _ok(_run(env, "xdg-mime", "query", "default", AGE)) == "age-tool.desktop"
    out = _ok(_run(env, INSTALL, exe))
    assert "type defined by-system" in out and "they stay with age-tool.desktop" in out
    data = Path(env["XDG_DATA_HOME"])
    assert not (data / "mime" / "packages" / "vaultapp-age-mime.xml").exists()
    assert (data / "mime" / "packages" / "vaultapp-mime.xml").is_file()
    assert _ok(_run(env, "xdg-mime", "query", "default", AGE)) == "age-tool.desktop"
    # Recognised by the tool's own definition (a glob only: no magic for a renamed file).
    assert _filetype(env, age_files[0]) == (AGE, AGE)
    assert f"MimeType={MIME};{AGE};" in (data / "applications" / "vaultapp.desktop").read_text()
    # Our entry, listing the type, would come first: the tool is written down as default.
    assert f"{AGE}=age-tool.desktop" in \
        (Path(env["XDG_CONFIG_HOME"]) / "mimeapps.list").read_text().splitlines()
    assert "age-tool.desktop" in _ok(_run(env, "gio", "mime", AGE)).splitlines()[0]
    _ok(_run(env, UNINSTALL))
    assert _traces(Path(env["HOME"])) == []
    assert _ok(_run(env, "xdg-mime", "query", "default", AGE)) == "age-tool.desktop"


def test_a_known_age_type_without_an_application_is_not_redefined(
        desktop_env: dict[str, str], age_files: tuple[Path, Path], tmp_path: Path,
        odd_executable: tuple[Path, Path]) -> None:
    """The system defines the type (a newer shared-mime-info) and no application claims
    the files: vaultapp becomes their default, on the system's definition."""
    exe, _ = odd_executable
    system = tmp_path / "system-share"
    _age_tool(system, defines_type=True)
    (system / "applications" / "age-tool.desktop").unlink()  # the type alone
    env = {**desktop_env, "XDG_DATA_DIRS": f"{system}:/usr/share"}
    out = _ok(_run(env, INSTALL, exe))
    assert "type defined by-system" in out and "vaultapp opens them" in out
    data = Path(env["XDG_DATA_HOME"])
    assert not (data / "mime" / "packages" / "vaultapp-age-mime.xml").exists()
    assert _ok(_run(env, "xdg-mime", "query", "default", AGE)) == "vaultapp.desktop"
    assert _filetype(env, age_files[0]) == (AGE, AGE)


def test_a_reinstall_drops_our_age_type_once_the_system_defines_it(
        desktop_env: dict[str, str], tmp_path: Path,
        odd_executable: tuple[Path, Path]) -> None:
    exe, _ = odd_executable
    data = Path(desktop_env["XDG_DATA_HOME"])
    ours = data / "mime" / "packages" / "vaultapp-age-mime.xml"
    _ok(_run(desktop_env, INSTALL, exe))
    assert ours.is_file()
    _ok(_run(desktop_env, INSTALL, exe))  # again: still ours (no other definition)
    assert ours.is_file()
    system = tmp_path / "system-share"
    _age_tool(system, defines_type=True)
    (system / "applications" / "age-tool.desktop").unlink()
    env = {**desktop_env, "XDG_DATA_DIRS": f"{system}:/usr/share"}
    _ok(_run(env, INSTALL, exe))
    assert not ours.exists()
    # We were the default (set by the first install): still so.
    assert _ok(_run(env, "xdg-mime", "query", "default", AGE)) == "vaultapp.desktop"
    _ok(_run(env, UNINSTALL))
    assert _traces(Path(env["HOME"])) == []
