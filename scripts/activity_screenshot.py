"""Render the activity list with a finished file, a failed file and a running batch into
docs/screenshots/activity-model.png (the delegate's rows: name, coloured status, bar,
painted buttons).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/activity_screenshot.py [--count N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from screenshots import OUT, wait  # noqa: E402

from vaultapp.core import fileops  # noqa: E402
from vaultapp.core.keybox import Keybox  # noqa: E402
from vaultapp.core.keybox.slots import passphrase as slot_module  # noqa: E402
from vaultapp.gui.controller import KeyboxController  # noqa: E402
from vaultapp.gui.main_window import MainWindow  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=4000, help="files in the batch")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    slot_module.DEFAULT_KDF = slot_module.KdfParams(8192, 1, 1)
    passphrase = "correct horse battery staple"
    with tempfile.TemporaryDirectory(prefix="vaultapp-shots-", dir=ROOT) as name:
        tmp = Path(name)
        os.environ.update({"VAULTAPP_HOME": str(tmp / "home"),
                           "VAULTAPP_PASSPHRASE": passphrase})
        url = f"sqlite:///{tmp / 'keybox.sqlite'}"
        box = Keybox.create(url, use_keyring=False, passphrase=passphrase)
        box.create_profile("Personal")
        report = tmp / "quarterly-report.pdf"
        report.write_bytes(os.urandom(300_000))
        invoice = tmp / "invoice-7731.pdf"
        invoice.write_bytes(os.urandom(20_000))
        tampered = tmp / "invoice-7731.pdf.vault"
        fileops.seal_file(invoice, [box.recipient("Personal")], output=tampered)
        data = bytearray(tampered.read_bytes())
        data[-1] ^= 1
        tampered.write_bytes(data)
        invoice.unlink()
        box.close()
        folder = tmp / "Scans 2026"
        folder.mkdir()
        for i in range(args.count):
            (folder / f"scan-{i:05d}.jpg").write_bytes(os.urandom(4096))
        window = MainWindow(KeyboxController(url),
                            QSettings(str(tmp / "window.ini"), QSettings.Format.IniFormat))
        window.resize(1100, 740)
        window.show()
        window.start()
        shots_wait = wait
        shots_wait(app, lambda: window.pages.currentWidget() is window.vault_page
                   and window.key_model.rowCount() == 1, 60)
        jobs = window.activity.jobs
        window.handle_files([report])
        shots_wait(app, lambda: len(jobs) == 1 and jobs[0].ok is not None, 60)
        window.handle_files([tampered])
        shots_wait(app, lambda: len(jobs) == 2 and jobs[1].ok is not None, 60)
        window.handle_files([folder])
        shots_wait(app, lambda: len(jobs) == 3 and (jobs[2].progress or 0) > 0.3, 600)
        OUT.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(OUT / "activity-model.png"))
        print("wrote", OUT / "activity-model.png")
        window.activity.cancel_all()
        shots_wait(app, lambda: not window.activity.busy(), 60)
        window.close()
        window.controller.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
