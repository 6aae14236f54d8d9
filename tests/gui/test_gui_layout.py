"""The window's layout: a size that fits the screen and is remembered, a minimum that
fits a small screen, key-table columns that fill the width, a warning that wraps instead
of being cut, and numbers with the locale's separators.

The real window under the offscreen platform (fixtures and helpers from test_gui); the
offscreen screen is 800x800, smaller than the window's preferred 1100x740.
"""

# The window's fixtures from test_gui are imported under their own names, and the tests
# take them as arguments of those names: that is how pytest finds them (hence no F811).
# ruff: noqa: F811

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from vaultapp.core.keybox.models import KeyInfo
from vaultapp.gui import dialogs
from vaultapp.gui.controller import KeyboxController
from vaultapp.gui.key_model import KeyTableModel
from vaultapp.gui.main_window import MainWindow, first_size, fit_to_screen
from vaultapp.gui.numbers import count

from .test_gui import (  # noqa: F401  (fixtures, found by pytest under these names)
    WAIT_MS,
    keybox_url,
    no_unexpected_dialogs,
    window,
)

SMALL_SCREEN = QSize(933, 600)
"""A 1400x900 screen at 150 % scale, in logical pixels."""
SMALL_SCREEN_CLIENT = QSize(SMALL_SCREEN.width(), SMALL_SCREEN.height() - 32 - 48)
"""What is left of it for the window's content: a 32-pixel panel (or a 48-pixel task
bar's worth with the title bar) and a title bar of up to 48 pixels."""


def settings_at(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def fits(inner: QRect, outer: QRect) -> bool:
    return outer.contains(inner)


# --- size and place -----------------------------------------------------------------------

def test_first_start_fits_the_screen(window: MainWindow) -> None:
    available = window.screen().availableGeometry()
    assert fits(window.geometry(), available), (window.geometry(), available)
    most = QSize(int(available.width() * 0.85), int(available.height() * 0.85))
    minimum = window.minimumSizeHint()
    assert window.width() <= max(most.width(), minimum.width())
    assert window.height() <= max(most.height(), minimum.height())
    # centred on the screen (give or take the few pixels the vault page's minimum has
    # grown by since: its layout is measured before it is ever shown)
    assert abs(window.geometry().center().x() - available.center().x()) <= 4
    assert abs(window.geometry().center().y() - available.center().y()) <= 4


def test_first_size_and_clamping_on_a_small_screen() -> None:
    """The 1400x900-at-150 % screen, with a 32-pixel panel at the top."""
    available = QRect(0, 32, 933, 568)
    assert first_size(available, QSize(721, 480)) == QSize(793, 482)  # 85 %
    assert first_size(available, QSize(721, 500)) == QSize(793, 500)  # the minimum wins
    assert first_size(available, QSize(2000, 900)) == QSize(933, 568)  # never past the screen
    assert first_size(QRect(0, 0, 3840, 2160), QSize(721, 480)) == QSize(1100, 740)  # big
    # a geometry from a larger screen is shrunk and moved onto this one
    assert fit_to_screen(QRect(-500, 2000, 1100, 740), available) == QRect(0, 32, 933, 568)
    # one on another screen that is gone is moved back; one that fits stays as it is
    assert fit_to_screen(QRect(3000, 100, 800, 500), available) == QRect(133, 100, 800, 500)
    assert fit_to_screen(QRect(50, 60, 700, 480), available) == QRect(50, 60, 700, 480)


def test_size_and_place_are_remembered(qtbot: QtBot, tmp_path: Path,
                                       window: MainWindow) -> None:
    window.setGeometry(QRect(30, 40, 740, 560))
    qtbot.waitUntil(lambda: window.geometry() == QRect(30, 40, 740, 560), timeout=WAIT_MS)
    window.close()  # (no job runs: no question)
    saved = settings_at(tmp_path)
    assert saved.value("geometry")
    again = MainWindow(KeyboxController(window.controller.url), saved)
    qtbot.addWidget(again)
    assert again.geometry() == QRect(30, 40, 740, 560)
    again.controller.close()


def test_a_remembered_geometry_that_no_longer_fits_is_clamped(qtbot: QtBot, tmp_path: Path,
                                                              window: MainWindow) -> None:
    """Saved on a larger screen (or on one now unplugged): it comes back on this one."""
    window.setGeometry(QRect(2500, 1800, 2400, 1600))
    qtbot.waitUntil(lambda: window.width() == 2400, timeout=WAIT_MS)
    window.close()
    again = MainWindow(KeyboxController(window.controller.url), settings_at(tmp_path))
    qtbot.addWidget(again)
    available = again.screen().availableGeometry()
    assert fits(again.geometry(), available), (again.geometry(), available)
    again.show()
    assert fits(again.geometry(), available)
    again.controller.close()


def test_minimum_size_fits_a_small_screen(qtbot: QtBot, window: MainWindow) -> None:
    """On the vault page the window fits 933x600 (1400x900 at 150 %) with a panel and a
    title bar, and at that size no control is squeezed below its own minimum."""
    QApplication.processEvents()
    minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
    assert minimum.width() <= SMALL_SCREEN_CLIENT.width(), minimum
    assert minimum.height() <= SMALL_SCREEN_CLIENT.height(), minimum
    window.resize(minimum)
    qtbot.waitUntil(lambda: window.size() == minimum, timeout=WAIT_MS)
    for widget in (window.drop_zone, window.key_table, window.activity, window.profile_list,
                   *window.findChildren(QPushButton)):
        if widget.isVisible():
            hint = widget.minimumSizeHint().expandedTo(widget.minimumSize())
            assert widget.height() >= hint.height(), widget.objectName()
            assert widget.width() >= min(hint.width(), widget.sizeHint().width()), \
                widget.objectName()


def test_a_page_that_needs_more_room_grows_the_window(qtbot: QtBot,
                                                      window: MainWindow) -> None:
    """The minimum is the shown page's: the vault page's is smaller than the first-run
    page's, which the window gets when it shows that page."""
    vault = window.minimumSizeHint()
    window.resize(vault)
    window.pages.setCurrentWidget(window.setup_page)
    qtbot.waitUntil(lambda: window.height() >= window.setup_page.minimumSizeHint().height(),
                    timeout=WAIT_MS)
    window.pages.setCurrentWidget(window.vault_page)
    qtbot.waitUntil(lambda: window.minimumSizeHint() == vault, timeout=WAIT_MS)


# --- the key table and its summary --------------------------------------------------------

def columns_fill(win: MainWindow) -> bool:
    header = win.key_table.horizontalHeader()
    total = sum(header.sectionSize(c) for c in range(header.count()))
    return abs(total - win.key_table.viewport().width()) <= 1


def test_key_table_columns_fill_its_width(qtbot: QtBot, window: MainWindow) -> None:
    """Wider than its columns, the table's last column takes the rest; narrower, every
    column keeps room for its title and the table scrolls sideways."""
    for width in (1400, 1700):  # (the offscreen screen lets a window be wider than it)
        window.resize(width, window.height())
        qtbot.waitUntil(lambda: columns_fill(window), timeout=WAIT_MS)
    window.resize(window.minimumSizeHint().width(), window.height())
    header = window.key_table.horizontalHeader()
    qtbot.waitUntil(lambda: header.width() < 600, timeout=WAIT_MS)
    metrics = header.fontMetrics()
    for column in range(header.count()):
        title = str(window.key_model.headerData(column, Qt.Orientation.Horizontal))
        assert header.sectionSize(column) >= metrics.horizontalAdvance(title), title
    assert window.key_table.horizontalScrollBar().maximum() > 0


def test_disabled_primary_warning_wraps_instead_of_being_cut(qtbot: QtBot,
                                                             window: MainWindow) -> None:
    window.key_table.selectRow(0)
    window.disable_button.click()
    qtbot.waitUntil(lambda: "cannot seal" in window.key_summary.text(), timeout=WAIT_MS)
    window.resize(window.minimumSizeHint().width(), window.height())
    label = window.key_summary
    assert label.wordWrap()
    qtbot.waitUntil(lambda: label.width() < QFontMetrics(label.font())
                    .horizontalAdvance(label.text()), timeout=WAIT_MS)  # too long for a line
    needed = QFontMetrics(label.font()).boundingRect(
        QRect(0, 0, label.contentsRect().width(), 10_000), Qt.TextFlag.TextWordWrap,
        label.text())
    qtbot.waitUntil(lambda: label.contentsRect().height() >= needed.height(), timeout=WAIT_MS)
    assert needed.width() <= label.contentsRect().width()


# --- numbers --------------------------------------------------------------------------------

@pytest.fixture
def locale() -> Iterator[None]:
    """Give the test's locale back to the next test."""
    before = QLocale()
    yield
    QLocale.setDefault(before)


def a_key(files: int) -> KeyInfo:
    return KeyInfo("ab" * 16, "acme", "p" * 32, 12_345, "enabled", True, datetime.now(UTC),
                   None, None, None, files)


@pytest.mark.parametrize(("name", "separator"), [("en_US", ","), ("de_DE", ".")])
def test_numbers_use_the_locale_separators(locale: None, name: str, separator: str) -> None:
    QLocale.setDefault(QLocale(name))
    model = KeyTableModel()
    model.set_keys([a_key(9998)])
    assert model.index(0, 7).data() == f"9{separator}998"  # Files sealed
    assert model.index(0, 1).data() == f"12{separator}345"  # Version
    assert count(1_234_567) == f"1{separator}234{separator}567"


def test_numbers_are_grouped_under_the_c_locale(locale: None) -> None:
    QLocale.setDefault(QLocale.c())
    assert count(9998) == "9,998" and count(12) == "12"


@pytest.mark.parametrize(("name", "shown"), [("en_US", "1,234"), ("de_DE", "1.234")])
def test_dialogs_and_rows_count_with_the_locale(locale: None, qtbot: QtBot, tmp_path: Path,
                                                name: str, shown: str) -> None:
    from vaultapp.gui.activity import Job

    QLocale.setDefault(QLocale(name))
    box, _ = dialogs.ConflictDialog.build(None, tmp_path / "x.vault", 1234)
    qtbot.addWidget(box)
    assert box.text().startswith(f"{shown} of the outputs already exist")
    job = Job([tmp_path / f"{i}.bin" for i in range(1234)], None, None)
    assert job.title == f"{shown} files"


def test_status_bar_shortens_long_texts_instead_of_cutting_them(qtbot: QtBot,
                                                                window: MainWindow) -> None:
    window.resize(window.minimumSizeHint().width(), window.height())
    where = window.where
    qtbot.waitUntil(lambda: where.fontMetrics().horizontalAdvance(where.text())
                    > where.contentsRect().width(), timeout=WAIT_MS)  # too long here
    shown = where.shown_text()
    assert "…" in shown and shown.endswith("keybox.sqlite")  # the middle goes
    assert where.fontMetrics().horizontalAdvance(shown) <= where.contentsRect().width()
    assert where.toolTip() == where.text() == f"Keybox: {window.controller.location}"
    assert window.backup_state.toolTip() == window.backup_state.text() != ""
