"""Layout that fits, in English and in German: no text of any page or dialog needs more
room than it got, the first-run page fits a small screen in every state, a missing
keyring is said once, and the key table's titles are never cut.

Every page and dialog comes from tests/support/gallery.py (it finds the dialogs by
itself); what "needs more room" means is scripts/screenshots.py's `may_be_clipped`, the
check the screenshots print (a wrapped label shorter than its text's height, a label or
button narrower than its text, a placeholder wider than its field, a column narrower
than its title, a window narrower than its title). The 150 % and 200 % scales need a
process each (Qt reads the factor once): the screenshots are rendered at both.
"""

# ruff: noqa: F811  (the window's fixtures from test_gui, taken as arguments by name)

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtCore import QLocale, QRect, QSettings, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.support import gallery
from vaultapp.core.keybox.slots import os_keyring
from vaultapp.core.keybox.slots.base import SlotFailure
from vaultapp.gui import i18n
from vaultapp.gui.controller import KeyboxController
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.pages import CARD_WIDTH
from vaultapp.gui.sizing import title_width

from .test_gui import WAIT_MS, keybox_url  # noqa: F401  (no autouse dialog guard: the gallery answers)
from .test_gui_layout import SMALL_SCREEN_CLIENT

ROOT = Path(__file__).resolve().parents[2]


def screenshots_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("vaultapp_screenshots",
                                                  ROOT / "scripts" / "screenshots.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module



@pytest.mark.parametrize("lang", ["en", "de"])
def test_no_page_or_dialog_cuts_a_text(qtbot: QtBot, tmp_path: Path, language: Any,
                                       memory_keyring: object, lang: str) -> None:
    may_be_clipped = screenshots_script().may_be_clipped
    language(lang)
    found: dict[str, list[str]] = {}
    widths: dict[str, tuple[int, int]] = {}

    def visit(name: str, widget: QWidget) -> None:
        found[name] = may_be_clipped(widget)
        if widget.windowTitle():
            widths[name] = (widget.width(), title_width(widget))

    folder = tmp_path / lang
    folder.mkdir()
    gallery.Gallery(folder, visit).run()
    assert {"first-run", "unlock", "unlocked", "slots-dialog", "kms-slot-dialog",
            "passphrase-dialog", "slot-label-dialog", "profile-name-dialog"} <= found.keys()
    clipped = [f"{name}: {line}" for name, lines in found.items() for line in lines]
    assert clipped == [], "\n".join(clipped)
    # (the check looked at titles: every dialog is at least as wide as its title needs)
    assert widths and all(width >= needed for width, needed in widths.values()), widths


# --- the first-run page -------------------------------------------------------------------

@pytest.fixture
def first_run(qtbot: QtBot, tmp_path: Path, memory_keyring: object) -> Iterator[Any]:
    """make(lang) -> a window on the first-run page (no keybox yet), in that language."""
    made: list[MainWindow] = []

    def make(lang: str) -> MainWindow:
        assert i18n.install(QApplication.instance(), lang)  # type: ignore[arg-type]
        folder = tmp_path / f"{lang}-{len(made)}"
        folder.mkdir()
        settings = QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat)
        win = MainWindow(KeyboxController(f"sqlite:///{folder / 'k.sqlite'}"), settings)
        qtbot.addWidget(win)
        win.show()
        win.start()
        qtbot.waitUntil(lambda: win.pages.currentWidget() is win.setup_page, timeout=WAIT_MS)
        made.append(win)
        return win

    saved = QLocale()
    yield make
    for win in made:
        win.controller.close()
    i18n.install(QApplication.instance(), i18n.SOURCE_LANGUAGE)  # type: ignore[arg-type]
    QLocale.setDefault(saved)


def at_minimum_nothing_is_cut(qtbot: QtBot, win: MainWindow) -> None:
    """The window at its minimum size (which must fit the small screen) shows the whole
    card: every wrapped text has the height it needs."""
    QApplication.processEvents()
    minimum = win.minimumSizeHint().expandedTo(win.minimumSize())
    assert minimum.height() <= SMALL_SCREEN_CLIENT.height(), minimum
    assert minimum.width() <= SMALL_SCREEN_CLIENT.width(), minimum
    win.resize(minimum)
    qtbot.waitUntil(lambda: win.size() == minimum, timeout=WAIT_MS)
    card = win.setup_page.card
    qtbot.waitUntil(lambda: card.height() >= card.heightForWidth(CARD_WIDTH), timeout=WAIT_MS)
    assert win.setup_page.rect().contains(card.geometry())
    for label in card.findChildren(QWidget):
        if label.isVisible() and hasattr(label, "wordWrap") and label.wordWrap():
            assert label.height() >= label.heightForWidth(label.width()), label.text()[:40]


@pytest.mark.parametrize("lang", ["en", "de"])
def test_first_run_page_fits_a_small_screen_in_every_state(qtbot: QtBot, first_run: Any,
                                                           lang: str) -> None:
    """1400x900 at 150 % is 933x600 logical; with a panel and a title bar 933x520 is
    left. The page fits that at rest, with the strength verdict's longest advice shown,
    and with an error under it."""
    win = first_run(lang)
    page = win.setup_page
    at_minimum_nothing_is_cut(qtbot, win)
    rest = win.minimumSizeHint().height()
    page.passphrase.setText("abc")  # the longest verdict: four lines of advice
    page.repeat.setText("abcd")
    page.repeat.returnPressed.emit()  # Enter: says what is wrong
    qtbot.waitUntil(lambda: page.error.isVisible() and page.hint.isVisible(), timeout=WAIT_MS)
    assert page.hint.text().count("\n") >= 3
    qtbot.waitUntil(lambda: win.minimumSizeHint().height() > rest, timeout=WAIT_MS)
    at_minimum_nothing_is_cut(qtbot, win)
    page.passphrase.clear()
    page.repeat.clear()
    qtbot.waitUntil(lambda: not page.hint.isVisible(), timeout=WAIT_MS)  # its row goes


@pytest.mark.parametrize("lang", ["en", "de"])
def test_without_a_keyring_the_page_says_so_once(qtbot: QtBot, first_run: Any, lang: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    finding = "no secure OS keyring is available (found: keyring.backends.fail.Keyring)"

    def missing() -> object:
        raise os_keyring.NoSecureKeyring(finding)

    assert issubclass(os_keyring.NoSecureKeyring, SlotFailure)
    monkeypatch.setattr(os_keyring, "secure_keyring_backend", missing)
    win = first_run(lang)
    box = win.setup_page.use_keyring
    qtbot.waitUntil(lambda: not box.isEnabled(), timeout=WAIT_MS)
    assert not box.isChecked()
    said = {"en": "No secure system keyring is available here",
            "de": "Kein sicherer Schlüsselbund des Systems verfügbar"}[lang]
    assert box.text() == said and box.accessibleName() == said
    assert box.toolTip() == finding  # the library's own finding, for whoever asks
    assert box.sizeHint().width() <= box.width()  # the whole sentence shows
    at_minimum_nothing_is_cut(qtbot, win)


# --- the key table and its summary, in German ---------------------------------------------

@pytest.fixture
def german_vault(qtbot: QtBot, tmp_path: Path, keybox_url: str) -> Iterator[MainWindow]:
    saved = QLocale()
    assert i18n.install(QApplication.instance(), "de")  # type: ignore[arg-type]
    settings = QSettings(str(tmp_path / "de.ini"), QSettings.Format.IniFormat)
    win = MainWindow(KeyboxController(keybox_url), settings)
    qtbot.addWidget(win)
    win.resize(1100, 740)  # the size the window is designed at
    win.show()
    win.start()
    qtbot.waitUntil(lambda: win.pages.currentWidget() is win.vault_page
                    and win.key_model.rowCount() == 1, timeout=WAIT_MS)
    yield win
    win.controller.close()
    i18n.install(QApplication.instance(), i18n.SOURCE_LANGUAGE)  # type: ignore[arg-type]
    QLocale.setDefault(saved)


def test_german_key_table_titles_are_never_cut(qtbot: QtBot, german_vault: MainWindow) -> None:
    """Each column is at least as wide as its German title as the header draws it; the
    titles do not turn bold when a row is selected (they would not fit then); at the
    designed size all the columns fit without scrolling sideways."""
    win = german_vault
    header = win.key_table.horizontalHeader()
    titles = [str(win.key_model.headerData(c, Qt.Orientation.Horizontal))
              for c in range(header.count())]
    assert "Nächste Rotation" in titles and "Zustand" in titles
    win.key_table.selectRow(0)
    assert not header.highlightSections()
    qtbot.waitUntil(lambda: header.width() > 600, timeout=WAIT_MS)
    metrics = header.fontMetrics()
    for column, title in enumerate(titles):
        assert header.sectionSize(column) >= header.sectionSizeHint(column), title
        assert header.sectionSize(column) >= metrics.horizontalAdvance(title) + 8, title
    assert win.key_table.horizontalScrollBar().maximum() == 0


def test_german_summary_of_a_primary_that_cannot_seal_is_whole(
        qtbot: QtBot, german_vault: MainWindow) -> None:
    """The summary stands beside the "Keys" heading, over the table's width (not in the
    buttons' row), and its long warning wraps with every line shown, at the window's
    minimum width too."""
    win = german_vault
    win.key_table.selectRow(0)
    win.disable_button.click()
    label = win.key_summary
    qtbot.waitUntil(lambda: "kann nicht versiegeln" in label.text(), timeout=WAIT_MS)
    for width in (1100, win.minimumSizeHint().width()):
        win.resize(width, win.height())
        qtbot.waitUntil(lambda w=width: win.width() == w, timeout=WAIT_MS)
        QApplication.processEvents()
        assert label.geometry().bottom() < win.key_table.geometry().top()  # above the table
        assert label.width() >= win.key_table.width() // 2
        needed = QFontMetrics(label.font()).boundingRect(
            QRect(0, 0, label.contentsRect().width(), 10_000), Qt.TextFlag.TextWordWrap,
            label.text())
        qtbot.waitUntil(lambda n=needed: label.contentsRect().height() >= n.height(),
                        timeout=WAIT_MS)
        assert needed.width() <= label.contentsRect().width()
