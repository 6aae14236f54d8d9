"""Many small files dropped on the window: one batch job, against one `vaultapp seal` call.

Run: .venv/bin/python benchmarks/gui_batch.py [--count 10000] [--size 4096] [--runs 3]

The window runs in this process on the offscreen platform, unlocked (through its keyring
slot, on a private gnome-keyring) before anything is timed, as a window that is already
open would be. Each run drops the folder of COUNT files of SIZE random bytes on the drop
zone (a real drag-enter and drop event) and times from the drop to the batch job's
`finished` signal, which comes after every output was fsynced before its rename, the
folder fsynced and the audit-log row written; within that, the time until the first file
began (listing the folder, reading every file's first bytes, checking output names). A
5 ms timer on the GUI thread records the longest the event loop waited meanwhile. In the
same run, `vaultapp seal` of the same files as one process (its start-up and keyring
unlock included, as in benchmarks/small_files.py) gives the command line's rate for
comparison. Outputs are removed and `sync` is run before each timed run. This is a
measurement, not a test: the numbers depend on the disk and on what else the machine runs.

`--screenshots DIR` times nothing: it renders the window (as scripts/screenshots.py does)
while a batch of COUNT files runs and after it finished, two of them tampered sealed
files, into DIR/batch-running.png and DIR/batch-done.png.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import engine  # noqa: E402  (benchmarks/engine.py: the keyring session, child environment)
import small_files  # noqa: E402  (make_files, time_vaultapp)


class GuiBench:
    """A window unlocked on `keybox`, and a way to time one drop on it."""

    def __init__(self, keybox: Path, work: Path) -> None:
        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QApplication

        from vaultapp.gui.controller import KeyboxController
        from vaultapp.gui.main_window import MainWindow

        self.app = QApplication.instance() or QApplication(sys.argv[:1])
        settings = QSettings(str(work / "window.ini"), QSettings.Format.IniFormat)
        self.window = MainWindow(KeyboxController(f"sqlite:///{keybox}"), settings)
        self.window.resize(1100, 740)
        self.window.show()
        self.window.start()
        self.wait_for(lambda: self.window.pages.currentWidget() is self.window.vault_page
                      and bool(self.window.profiles), 60)

    def wait_for(self, predicate: Any, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while not predicate():
            self.app.processEvents()
            if time.monotonic() > deadline:
                raise SystemExit("the window did not get there in time")
            time.sleep(0.005)

    def drop(self, folder: Path) -> dict[str, Any]:
        """Drop `folder`; seconds until the batch finished, and the longest event-loop gap."""
        from PySide6.QtCore import QEventLoop, QMimeData, QPointF, Qt, QTimer, QUrl
        from PySide6.QtGui import QDragEnterEvent, QDropEvent
        from PySide6.QtWidgets import QApplication

        from vaultapp.gui.activity import Job

        loop = QEventLoop()
        finished: list[tuple[float, Job]] = []

        def on_finished(job: object) -> None:
            if isinstance(job, Job) and not job.single:
                finished.append((time.perf_counter(), job))
                loop.quit()

        gaps: list[float] = []
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            gaps.append(now - last[0])
            last[0] = now

        probe = QTimer()
        probe.setInterval(5)
        probe.timeout.connect(tick)
        self.window.activity.job_finished.connect(on_finished)
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(folder))])
        zone, pos = self.window.drop_zone, QPointF(20, 20)
        buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        QApplication.sendEvent(zone, QDragEnterEvent(pos, Qt.DropAction.CopyAction, mime,
                                                     buttons, mods))
        probe.start()
        last[0] = start = time.perf_counter()
        dropped = time.monotonic()
        QApplication.sendEvent(zone, QDropEvent(pos, Qt.DropAction.CopyAction, mime, buttons,
                                                mods))
        QTimer.singleShot(600_000, loop.quit)  # never hang the benchmark
        loop.exec()
        probe.stop()
        self.window.activity.job_finished.disconnect(on_finished)
        if not finished:
            raise SystemExit("the batch did not finish within 10 minutes")
        end, job = finished[0]
        out = job.outcome
        if out is None or out.failed or out.sealed != len(job.paths):
            raise SystemExit(f"the batch did not seal every file: {job.status}")
        return {"seconds": end - start, "before_first_file_s": job.run_started - dropped,
                "worst_gap_ms": 1000 * max(gaps, default=0.0),
                "rows": self.window.activity.model().rowCount(), "status": job.status}

    def close(self) -> None:
        self.window.activity.cancel_all()
        self.window.controller.close()
        self.window.close()


def screenshots(out: Path, count: int, size: int) -> None:
    """The window while a batch runs and once it finished (see the module docstring)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import screenshots as shots  # scripts/screenshots.py: wait()
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from vaultapp.core import fileops
    from vaultapp.core.keybox import Keybox
    from vaultapp.core.keybox.slots import passphrase as slot_module
    from vaultapp.gui.activity import Job
    from vaultapp.gui.controller import KeyboxController
    from vaultapp.gui.main_window import MainWindow

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
        folder = tmp / "Scans 2026"
        files = small_files.make_files(folder, count - 2, size)
        for i, stored in enumerate(("receipt-0412.pdf", "invoice-7731.pdf")):
            (tmp / stored).write_bytes(os.urandom(size))
            sealed = folder / f"{stored}.vault"
            fileops.seal_file(tmp / stored, [box.recipient("Personal")], output=sealed)
            data = bytearray(sealed.read_bytes())
            data[-1 - i] ^= 1  # tampered: the batch reports it and goes on
            sealed.write_bytes(data)
        box.close()
        window = MainWindow(KeyboxController(url),
                            QSettings(str(tmp / "window.ini"), QSettings.Format.IniFormat))
        window.resize(1280, 800)
        window.show()
        window.start()
        shots.wait(app, lambda: window.pages.currentWidget() is window.vault_page
                   and window.key_model.rowCount() == 1, 60)
        window.key_table.selectRow(0)
        window.handle_files([folder])

        def batch() -> Job | None:
            jobs = [j for j in window.activity.jobs if not j.single]
            return jobs[0] if jobs else None

        shots.wait(app, lambda: (job := batch()) is not None
                   and (job.progress or 0) > 0.32, 600)
        out.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(out / "batch-running.png"))
        shots.wait(app, lambda: (job := batch()) is not None and job.ok is not None, 600)
        key = window.key_model.key_at
        window.poll_timer.setInterval(200)  # the key table learns the count from the log
        shots.wait(app, lambda: key(0) is not None and key(0).files_sealed == len(files), 30)
        window.key_table.selectRow(0)
        window.grab().save(str(out / "batch-done.png"))
        print("wrote", out / "batch-running.png", "and", out / "batch-done.png")
        window.close()
        window.controller.close()


def remove_outputs(files: list[Path]) -> None:
    for p in files:
        Path(f"{p}.vault").unlink(missing_ok=True)
    os.sync()  # each timed run starts with nothing waiting to be written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--size", type=int, default=4096)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None,
                        help="also write the raw numbers to this JSON file")
    parser.add_argument("--screenshots", type=Path, default=None, metavar="DIR",
                        help="time nothing; render the window during and after a batch")
    args = parser.parse_args()
    if args.screenshots is not None:
        screenshots(args.screenshots, args.count, args.size)
        return 0
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(
            tempfile.TemporaryDirectory(prefix="vaultapp-gui-batch-", dir=ROOT)))
        keyring_env = stack.enter_context(engine.keyring_session())
        env = engine.child_environ({"VAULTAPP_HOME": str(tmp / "home"),
                                    **engine.python_env(tmp), **keyring_env})
        vaultapp = engine.vaultapp_command()
        keybox = engine.make_keybox(vaultapp, tmp, env)
        env["VAULTAPP_KEYBOX"] = str(keybox)
        # This process is the window: the same keyring, a data folder of its own.
        os.environ.update({"VAULTAPP_HOME": str(tmp / "home"), **keyring_env})
        for name in engine.NOT_INHERITED:
            os.environ.pop(name, None)
        files = small_files.make_files(tmp / "files", args.count, args.size)
        small_files.time_vaultapp(files[:1], env)  # warm-up: the child's bytecode cache
        gui = GuiBench(keybox, tmp)
        stack.callback(gui.close)
        window_runs: list[dict[str, Any]] = []
        command_runs: list[float] = []
        for run in range(args.runs):
            remove_outputs(files)
            window_runs.append(gui.drop(tmp / "files"))
            remove_outputs(files)
            command_runs.append(small_files.time_vaultapp(files, env))
            r = window_runs[-1]
            print(f"run {run + 1}: window {r['seconds']:.2f} s (of which "
                  f"{r['before_first_file_s']:.2f} s listing and planning before the first "
                  f"file; event loop waited at most {r['worst_gap_ms']:.0f} ms), "
                  f"vaultapp seal {command_runs[-1]:.2f} s", flush=True)
    seconds = [r["seconds"] for r in window_runs]
    w, c = statistics.median(seconds), statistics.median(command_runs)
    print(f"\n| {args.count:,} files of {args.size:,} B, {args.runs} runs | "
          "median s (min–max) | files/s |")
    print("| --- | --- | --- |")
    print(f"| window: drop → batch finished | {w:.2f} ({min(seconds):.2f}–{max(seconds):.2f}) "
          f"| {args.count / w:,.0f} |")
    print(f"| `vaultapp seal` (one process, start-up and unlock included) | {c:.2f} "
          f"({min(command_runs):.2f}–{max(command_runs):.2f}) | {args.count / c:,.0f} |")
    before = statistics.median(r["before_first_file_s"] for r in window_runs)
    print(f"| window: of which listing and planning, before the first file | {before:.2f} | |")
    gaps = [r["worst_gap_ms"] for r in window_runs]
    print(f"\nwindow / command line: {c / w:.2f}×; longest event-loop wait while the batch "
          f"ran: {statistics.median(gaps):.0f} ms (median of the runs' worst; "
          f"{min(gaps):.0f}–{max(gaps):.0f}); activity rows after {args.runs} drops: "
          f"{window_runs[-1]['rows']}")
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "count": args.count, "size": args.size, "runs": args.runs,
            "window": window_runs, "vaultapp_seal_s": command_runs,
            "window_files_per_s": args.count / w, "vaultapp_files_per_s": args.count / c,
            "load_average": os.getloadavg()}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
