"""Files are judged by name and content together, and nothing given vanishes silently:
a damaged or fake .vault dropped on the window is refused with the command line's message
(never sealed again as X.vault.vault), and each path that yields no file gets a row."""

from __future__ import annotations

import os
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.gui.test_gui import (  # noqa: F401 - fixtures
    drop,
    keybox_url,
    status,
    wait_jobs,
    window,
)
from vaultapp.gui.main_window import MainWindow


def test_a_damaged_vault_file_is_refused_not_sealed_again(qtbot: QtBot, window: MainWindow,  # noqa: F811
                                                          tmp_path: Path) -> None:
    """Before: a fake report.vault was sealed as report.vault.vault and shown green."""
    fake = tmp_path / "report.vault"
    fake.write_bytes(b"not a sealed file at all")
    renamed = tmp_path / "holiday.jpg"  # a real sealed file under another name: opened
    plain = tmp_path / "holiday.txt"
    plain.write_text("sun")
    drop(window.drop_zone, [plain])
    (sealed_job,) = wait_jobs(qtbot, window, 1)
    assert sealed_job.ok, status(window, sealed_job)
    os.replace(tmp_path / "holiday.txt.vault", renamed)
    plain.unlink()
    drop(window.drop_zone, [fake, renamed])
    jobs = wait_jobs(qtbot, window, 3)
    by_name = {j.path.name: j for j in jobs[1:]}
    refused = by_name["report.vault"]
    assert refused.ok is False
    # the command line's message for the same file (`vaultapp open report.vault`, exit 3)
    assert status(window, refused) == "this is not a vaultapp sealed file (no vaultapp header " \
        "found)"
    assert not (tmp_path / "report.vault.vault").exists()
    assert fake.read_bytes() == b"not a sealed file at all"
    assert by_name["holiday.jpg"].ok, status(window, by_name["holiday.jpg"])
    assert plain.read_text() == "sun"


def test_paths_that_yield_no_file_each_get_a_row(qtbot: QtBot, window: MainWindow,  # noqa: F811
                                                 tmp_path: Path) -> None:
    """Before: missing files, empty folders and links to folders vanished without a word."""
    (tmp_path / "empty").mkdir()
    (tmp_path / "folder").mkdir()
    (tmp_path / "to-folder").symlink_to(tmp_path / "folder")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    window.handle_files([tmp_path / "missing.txt", tmp_path / "empty", tmp_path / "to-folder",
                         tmp_path / "dangling"])
    jobs = wait_jobs(qtbot, window, 4)
    words = {j.path.name: status(window, j) for j in jobs}
    assert all(j.ok is False for j in jobs)
    assert words == {
        "missing.txt": "Not found: it does not exist",
        "empty": "Nothing to do: the folder has no files",
        "to-folder": "Not done: a link to a folder; links are not followed (drop the folder "
                     "itself)",
        "dangling": "Not done: a link to nothing",
    }
    assert not [p for p in tmp_path.rglob("*.vault")]  # nothing was written anywhere


def test_a_second_launch_restores_a_minimized_window(qtbot: QtBot, window: MainWindow) -> None:  # noqa: F811
    """Before: a minimized window stayed minimized when files were handed to it."""
    from PySide6.QtCore import Qt

    from vaultapp.gui.app import bring_to_front

    window.setWindowState(Qt.WindowState.WindowMinimized)
    assert window.isMinimized()
    bring_to_front(window)
    qtbot.waitUntil(lambda: not window.isMinimized(), timeout=2000)
    assert window.isVisible()
