"""Render the window's main states offscreen into docs/screenshots/ (light and dark).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py
States: first run, unlocked with keys, sealing in progress, locked.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from vaultapp.core.keybox.slots import passphrase as slot_module
from vaultapp.gui.controller import KeyboxController
from vaultapp.gui.main_window import MainWindow

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def dark_palette() -> QPalette:
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
    ):
        p.setColor(role, colour)
    # Disabled controls must look disabled in the dark theme too (they did not).
    dim = QColor("#7b7e84")
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, dim)
    return p


def wait(app: QApplication, predicate, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        app.processEvents()
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not reach the state")
        time.sleep(0.01)
    for _ in range(20):
        app.processEvents()


def shoot(window: MainWindow, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(OUT / f"{name}.png"))
    print("wrote", OUT / f"{name}.png")


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    slot_module.DEFAULT_KDF = slot_module.KdfParams(8192, 1, 1)
    light = app.palette()
    tmp = Path(tempfile.mkdtemp(prefix="vaultapp-shots-"))
    os.environ["VAULTAPP_HOME"] = str(tmp)
    for theme, palette in (("light", light), ("dark", dark_palette())):
        app.setPalette(palette)
        url = f"sqlite:///{tmp / f'{theme}.sqlite'}"
        settings = QSettings(str(tmp / f"{theme}.ini"), QSettings.Format.IniFormat)
        window = MainWindow(KeyboxController(url), settings)
        window.resize(1280, 800)
        window.show()
        window.start()
        wait(app, lambda w=window: w.pages.currentWidget() is w.setup_page)
        window.setup_page.use_keyring.setChecked(False)
        window.setup_page.passphrase.setText("correct horse battery staple")
        window.setup_page.repeat.setText("correct horse battery staple")
        shoot(window, f"first-run-{theme}")
        window.setup_page.create_button.click()
        wait(app, lambda w=window: w.pages.currentWidget() is w.vault_page
             and w.key_model.rowCount() > 0)
        controller = window.controller

        def arrange(controller: object = controller) -> None:  # on the keybox executor
            box = controller.keybox()  # type: ignore[attr-defined]
            box.rotate("Personal")
            box.rotate("Personal")
            box.create_profile("Acme Corp")
            box.disable(box.keys("Personal")[0].key_id)

        controller.executor.call(arrange)
        window.refresh()
        wait(app, lambda w=window: w.key_model.rowCount() == 3)
        window.key_table.selectRow(1)
        files = tmp / f"files-{theme}"
        files.mkdir()
        (files / "quarterly-report.pdf").write_bytes(os.urandom(300_000))
        big = files / "holiday-video.mp4"
        with open(big, "wb") as f:
            f.truncate(3 << 30)  # sparse: seals slowly enough to catch in progress
        window.handle_files([files / "quarterly-report.pdf"])
        wait(app, lambda w=window: bool(w.activity.jobs) and w.activity.jobs[0].ok is not None)
        shoot(window, f"unlocked-{theme}")
        window.handle_files([big])
        wait(app, lambda w=window: len(w.activity.jobs) == 2
             and (w.activity.jobs[1].progress or 0) > 0.03)
        shoot(window, f"sealing-{theme}")
        window.activity.cancel_all()
        wait(app, lambda w=window: w.activity.jobs[1].ok is not None)
        window.lock()
        wait(app, lambda w=window: w.pages.currentWidget() is w.unlock_page)
        shoot(window, f"locked-{theme}")
        window.close()
        window.controller.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
