"""Render every page and dialog of the window offscreen into
docs/screenshots/<name>-<variant>.png.

Run: .venv/bin/python scripts/screenshots.py                 every variant
     .venv/bin/python scripts/screenshots.py --variant de    one
Variants: light, dark (Fusion with a dark palette), de (German), 150 and 200
(QT_SCALE_FACTOR 1.5 and 2). Each runs in its own process: Qt reads the scale factor when
the application is made, and a language is chosen before the widgets are.

The pages and dialogs come from tests/support/gallery.py, which finds every dialog class
of vaultapp.gui by itself (tests/gui/test_gui_translation.py walks the same ones), so a
new dialog appears here without an edit. Each shot's labels and buttons whose text needs
more room than they got are printed as "may be clipped": look at those shots first.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
VARIANTS = {"light": {}, "dark": {}, "de": {},
            "150": {"QT_SCALE_FACTOR": "1.5"}, "200": {"QT_SCALE_FACTOR": "2"}}
SCREEN = (2560, 1600)  # the offscreen screen, in device pixels (room for 200 %)

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # tests.support.gallery, and this checkout's vaultapp


def wait(app, predicate, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    """Process events until `predicate()` (scripts/activity_screenshot.py uses it too)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        app.processEvents()
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not reach the state")
        time.sleep(0.01)
    for _ in range(20):
        app.processEvents()


def dark_palette():  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QColor, QPalette

    p = QPalette()
    base, text, mid = QColor("#1e1f22"), QColor("#e6e6e6"), QColor("#2b2d31")
    for role, colour in (
        (QPalette.ColorRole.Window, mid), (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Base, base), (QPalette.ColorRole.AlternateBase, QColor("#26282c")),
        (QPalette.ColorRole.Text, text), (QPalette.ColorRole.Button, mid),
        (QPalette.ColorRole.ButtonText, text), (QPalette.ColorRole.Highlight, QColor("#3f6fd8")),
        (QPalette.ColorRole.HighlightedText, QColor("#ffffff")),
        (QPalette.ColorRole.Mid, QColor("#5a5d63")), (QPalette.ColorRole.PlaceholderText,
                                                        QColor("#8a8d93")),
        (QPalette.ColorRole.ToolTipBase, base), (QPalette.ColorRole.ToolTipText, text),
        (QPalette.ColorRole.Link, QColor("#8ab4f8")),  # About's link, readable on dark
    ):
        p.setColor(role, colour)
    # Disabled controls must look disabled in the dark theme too.
    dim = QColor("#7b7e84")
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, dim)
    return p


def may_be_clipped(root):  # type: ignore[no-untyped-def]
    """Labels and buttons of `root` whose text needs more room than they have, line
    edits whose placeholder is wider than they are, column titles wider than their
    column, and a window narrower than its title (tests/gui/test_gui_fit.py fails on
    each of them, in English and in German)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractButton, QHeaderView, QLabel, QLineEdit

    from vaultapp.gui.main_window import ElidedLabel

    found = []
    for widget in root.findChildren(QLabel) + root.findChildren(QAbstractButton):
        text = widget.text()
        if not text or not widget.isVisibleTo(root) or widget.width() <= 1:
            continue
        if isinstance(widget, ElidedLabel):
            continue  # shortens itself with "…" and shows the whole text as its tooltip
        if isinstance(widget, QLabel) and widget.wordWrap():
            needed = widget.heightForWidth(widget.width())
            if needed > widget.height() + 1:
                found.append(f"{text[:60]!r} needs {needed} px of height, has {widget.height()}")
        elif widget.sizeHint().width() > widget.width() + 1:
            found.append(f"{text[:60]!r} needs {widget.sizeHint().width()} px, "
                         f"has {widget.width()}")
    for edit in root.findChildren(QLineEdit):
        hint = edit.placeholderText()
        room = edit.contentsRect().width() - 8  # the frame's text margins
        if hint and not edit.text() and edit.isVisibleTo(root) and \
                edit.fontMetrics().horizontalAdvance(hint) > room:
            found.append(f"placeholder {hint[:60]!r} needs "
                         f"{edit.fontMetrics().horizontalAdvance(hint)} px, has {room}")
    for header in root.findChildren(QHeaderView):
        model = header.model()
        if model is None or not header.isVisibleTo(root):
            continue
        for section in range(header.count()):
            text = model.headerData(section, header.orientation())
            if not isinstance(text, str) or header.isSectionHidden(section):
                continue
            needed = header.sectionSizeHint(section)  # the title as the header draws it
            if header.orientation() == Qt.Orientation.Horizontal and \
                    needed > header.sectionSize(section) + 1:
                found.append(f"column {text!r} needs ~{needed} px, has "
                             f"{header.sectionSize(section)}")
    if root.isWindow() and root.windowTitle():
        # A title bar needs the title in bold and room for its icon and buttons; a window
        # narrower than that has its title cut by the window manager.
        from vaultapp.gui.sizing import title_width

        title = title_width(root)
        if title > root.width():
            found.append(f"title {root.windowTitle()!r} needs ~{title} px, window is "
                         f"{root.width()}")
    return found


class MemoryKeyring:
    """The OS keyring stand-in: the first-run page shows the usual case (a keyring)."""

    priority = 1

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, user: str) -> str | None:
        return self.store.get((service, user))

    def set_password(self, service: str, user: str, password: str) -> None:
        self.store[(service, user)] = password

    def delete_password(self, service: str, user: str) -> None:
        del self.store[(service, user)]


def shoot(variant: str) -> int:
    """One variant, in this process (the parent set its environment)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import keyring
    from PySide6.QtWidgets import QApplication

    from tests.support.gallery import Gallery
    from vaultapp.core.keybox.slots import passphrase as slot_module
    from vaultapp.gui import i18n

    fast = slot_module.KdfParams(8192, 1, 1)  # pictures, not protection
    slot_module.DEFAULT_KDF = slot_module.KDF_FLOOR = fast
    backend = MemoryKeyring()
    keyring.get_keyring = lambda: backend  # type: ignore[assignment]
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    if variant == "dark":
        app.setPalette(dark_palette())
    i18n.install(app, "de" if variant == "de" else i18n.SOURCE_LANGUAGE)
    OUT.mkdir(parents=True, exist_ok=True)
    clipped = 0

    def visit(name: str, widget) -> None:  # type: ignore[no-untyped-def]
        nonlocal clipped
        path = OUT / f"{name}-{variant}.png"
        widget.grab().save(str(path))
        print("wrote", path.relative_to(ROOT))
        for line in may_be_clipped(widget):
            clipped += 1
            print(f"  may be clipped in {name}-{variant}: {line}")

    with tempfile.TemporaryDirectory(prefix="vaultapp-shots-") as tmp:
        os.environ["VAULTAPP_HOME"] = str(Path(tmp) / "home")
        os.environ["VAULTAPP_CONFIG_HOME"] = str(Path(tmp) / "config")
        folder = Path(tmp) / "gallery"
        folder.mkdir()
        Gallery(folder, visit, progress_shot=True).run()
        if variant in ("light", "de"):
            recovery_sheet(variant, Path(tmp))
    print(f"{variant}: {clipped} text(s) may be clipped")
    return 0


def recovery_sheet(variant: str, tmp: Path) -> None:
    """The printable recovery sheet (a PDF, not a widget): rendered with pdftoppm
    (poppler-utils), as a person's viewer would show it."""
    import shutil
    from datetime import UTC, datetime

    from vaultapp.core.keybox.slots.recovery_code import new_code
    from vaultapp.gui.recovery_sheet import NewRecoveryCode, sheet_pdf

    if shutil.which("pdftoppm") is None:
        print("recovery sheet: pdftoppm is missing (poppler-utils); not rendered")
        return
    pdf = tmp / "sheet.pdf"
    pdf.write_bytes(sheet_pdf(NewRecoveryCode(
        new_code(), "c6176ae5c75cadd3b4cd335496dae8f4",
        "/home/alex/.local/share/vaultapp/keybox.sqlite", datetime.now(UTC),
        "recovery code")))
    target = OUT / f"recovery-sheet-{variant}"
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", str(pdf), str(target)],
                   check=True)
    print("wrote", target.with_suffix(".png").relative_to(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render the window's pages and dialogs.")
    parser.add_argument("--variant", choices=sorted(VARIANTS),
                        help="one variant in this process (default: each in its own)")
    args = parser.parse_args(argv)
    if args.variant:
        return shoot(args.variant)
    failed = 0
    with tempfile.TemporaryDirectory(prefix="vaultapp-screen-") as tmp:
        config = Path(tmp) / "screen.json"
        config.write_text(json.dumps({"screens": [{
            "name": "shots", "x": 0, "y": 0, "width": SCREEN[0], "height": SCREEN[1],
            "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
        for variant, extra in VARIANTS.items():
            env = {**os.environ, **extra, "PYTHONPATH": str(ROOT),
                   "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
            env.pop("VAULTAPP_PASSPHRASE", None)
            done = subprocess.run([sys.executable, __file__, "--variant", variant], env=env,
                                  check=False)
            failed += done.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
