"""One drop of a folder on the window, timed from the drop to the batch's end.

    python benchmarks/gui_drop.py FOLDER OUT RESULTS     (small_files.py runs it)

The real window (offscreen), unlocked through the keyring before the clock starts; every
output goes to OUT (Settings). From a real drop event to the job's `finished` signal (all
outputs durable and named, the audit row written); appends {"seconds", "files"} to RESULTS.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QEventLoop, QMimeData, QPointF, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from vaultapp.core.keybox.location import resolve_url
from vaultapp.gui.controller import KeyboxController
from vaultapp.gui.main_window import MainWindow


def main() -> None:
    folder, out, results = map(Path, sys.argv[1:4])
    app = QApplication(sys.argv[:1])
    settings = QSettings(str(out.parent / "window.ini"), QSettings.Format.IniFormat)
    settings.setValue("output_folder", str(out))
    window = MainWindow(KeyboxController(resolve_url(None)), settings)
    window.show()
    window.start()
    deadline = time.monotonic() + 120
    while not (window.pages.currentWidget() is window.vault_page and window.profiles):
        app.processEvents()
        time.sleep(0.005)
        if time.monotonic() > deadline:
            raise SystemExit("the window did not unlock within 2 minutes")
    loop, finished = QEventLoop(), []

    def done(job: Any) -> None:
        finished.append((time.perf_counter(), job))
        loop.quit()

    window.activity.job_finished.connect(done)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    zone, pos, copy = window.drop_zone, QPointF(20, 20), Qt.DropAction.CopyAction
    press, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QApplication.sendEvent(zone, QDragEnterEvent(pos, copy, mime, press, none))
    start = time.perf_counter()
    QApplication.sendEvent(zone, QDropEvent(pos, copy, mime, press, none))
    QTimer.singleShot(1_800_000, loop.quit)  # never hang the benchmark
    loop.exec()
    if not finished:
        raise SystemExit("the drop did not finish within 30 minutes")
    end, job = finished[0]
    total = len(list(folder.iterdir()))
    if job.outcome is None or job.outcome.sealed != total or job.outcome.failed:
        raise SystemExit(f"the drop did not seal all {total} files: {job.status}")
    with open(results, "a") as f:
        f.write(json.dumps({"seconds": end - start, "files": total}) + "\n")
    window.controller.close()


if __name__ == "__main__":
    main()
