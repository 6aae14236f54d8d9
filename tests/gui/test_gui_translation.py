"""The window in two languages: the German catalogue is complete and compiled, every page
and dialog shows German when it is installed, and the window's start path chooses the
language (and says plainly when there is no display at all).

The page-and-dialog test builds everything twice, in English and in German
(tests/support/gallery.py finds the dialogs by itself), and fails on each visible text
that is the same in both: it was not translated. A text that is the same in German by
nature goes into SAME_IN_GERMAN.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import textwrap
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractListModel, QCoreApplication, QLocale, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStatusBar,
    QTabBar,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.support import gallery
from vaultapp.gui import dialogs, i18n, indirect_words, strength_words
from vaultapp.gui.main_window import MainWindow

from .test_gui import keybox_url, window  # noqa: F401  (fixtures, found by these names)

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "vaultapp" / "translations"
TS = TRANSLATIONS / "vaultapp_de.ts"
QM = TRANSLATIONS / "vaultapp_de.qm"
UPDATE = ROOT / "scripts" / "update-translations"

# Texts the German window shows as they are in English, on purpose (after stored data,
# ids, numbers and paths are taken out), that the catalogue cannot say so for: Qt's own
# "OK", a spin box's value with its suffix, the languages' names in themselves, and the
# key table's accessible text of a version cell ("Version: 3", a column's title and its
# value). (A text the catalogue translates as itself, like "Details" or "Version", is
# allowed there.)
SAME_IN_GERMAN = {"OK", "min", "Version:", *(name for _, name in i18n.available_languages())}
# Known gaps: English that files other than this work's show; the owner fixes each, then
# its line goes. (Where the text is, as a regular expression on the walker's key: why.)
KNOWN_GAPS: dict[str, str] = {}
# Stored data shown as it is in every language: a slot's label (named by its user), who
# wrote an audit entry and the core's details of it, the action's code and the UTC time
# in the entry's tooltips, the licence's name and the Python build in About.
DATA_PLACES = (r"slotTable\[0\]\.cell\[\d+,0\]\.",
               r"auditTable\[0\]\.cell\[\d+,[15]\]\.",
               r"auditTable\[0\]\.cell\[\d+,[02]\]\.3$",
               r"aboutLicence\[0\]\.text$", r"aboutPython\[0\]\.text$")



def ts_messages(path: Path = TS) -> list[tuple[str, str, ET.Element]]:
    found = []
    for context in ET.parse(path).getroot().iter("context"):
        for message in context.iter("message"):
            found.append((context.findtext("name") or "", message.findtext("source") or "",
                          message))
    return found


# --- (a) the catalogue: complete, consistent, compiled ------------------------------------

def test_the_catalogue_is_complete_and_the_qm_is_compiled_from_it() -> None:
    """Every text of vaultapp/gui is in vaultapp_de.ts, translated, and the .qm that ships
    is the compiled .ts (scripts/update-translations --check rebuilds both in a tmp
    folder: pyside6-lupdate over the sources, pyside6-lrelease of the .ts)."""
    done = subprocess.run([sys.executable, str(UPDATE), "--check"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    messages = ts_messages()
    assert len(messages) > 200
    unfinished = [f"{c}: {s}" for c, s, m in messages
                  if (m.find("translation") is None
                      or m.find("translation").get("type")  # type: ignore[union-attr]
                      or not "".join(m.find("translation").itertext()).strip())]  # type: ignore[union-attr]
    assert unfinished == []
    assert 'type="unfinished"' not in TS.read_text(encoding="utf-8")
    assert len(i18n.qm_messages(QM.read_bytes())) == len(messages)


def test_each_translation_keeps_its_placeholders_markup_and_spacing() -> None:
    """{0}, {1:%Y-%m-%d}, HTML tags, one & accelerator and outer spaces (" days") survive."""
    wrong = []
    for context, source, message in ts_messages():
        german = "".join(message.find("translation").itertext())  # type: ignore[union-attr]
        for what, pattern in (("placeholders", r"\{\d+(?::[^}]*)?\}"),
                              ("tags", r"</?[a-z0-9]+>")):
            left = sorted(re.sub(r":[^}]*", "", p) for p in re.findall(pattern, source))
            right = sorted(re.sub(r":[^}]*", "", p) for p in re.findall(pattern, german))
            if left != right:
                wrong.append(f"{context}: {source!r}: {what} {left} != {right}")
        if source.count("&") != german.count("&"):
            wrong.append(f"{context}: {source!r}: accelerators differ")
        for side, strip in (("leading", str.lstrip), ("trailing", str.rstrip)):
            if (source != strip(source)) != (german != strip(german)):
                wrong.append(f"{context}: {source!r}: {side} space differs")
    assert wrong == []


def copy_project(tmp: Path) -> Path:
    root = tmp / "project"
    (root / "vaultapp").mkdir(parents=True)
    shutil.copytree(ROOT / "vaultapp" / "gui", root / "vaultapp" / "gui",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(TRANSLATIONS, root / "vaultapp" / "translations")
    return root


def check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(UPDATE), "--check", "--root", str(root)],
                          capture_output=True, text=True, timeout=120)


def test_the_check_fails_on_a_new_text_an_unfinished_one_and_a_stale_qm(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    assert check(root).returncode == 0
    module = root / "vaultapp" / "gui" / "brand_new.py"
    module.write_text(textwrap.dedent('''
        from PySide6.QtCore import QObject
        class BrandNew(QObject):
            def text(self) -> str:
                return self.tr("A text nobody translated yet")
    '''))
    done = check(root)
    assert done.returncode == 1
    assert "new text, not in the catalogue: BrandNew: A text nobody translated yet" in done.stdout

    module.unlink()
    ts = root / "vaultapp" / "translations" / "vaultapp_de.ts"
    text = ts.read_text(encoding="utf-8")
    ts.write_text(text.replace("<translation>Gesperrt</translation>",
                               '<translation type="unfinished">Gesperrt</translation>'),
                  encoding="utf-8")
    done = check(root)
    assert done.returncode == 1
    assert "not translated (unfinished): MainWindow: Locked" in done.stdout

    ts.write_text(text, encoding="utf-8")
    (root / "vaultapp" / "translations" / "vaultapp_de.qm").write_bytes(b"stale")
    done = check(root)
    assert done.returncode == 1 and "is not the compiled" in done.stdout


def test_an_update_keeps_translations_and_takes_over_a_moved_text(tmp_path: Path) -> None:
    """A re-run merges: kept texts keep their German, a text whose context changed takes
    the translation it had, and a new text is listed to translate."""
    root = copy_project(tmp_path)
    hints = root / "vaultapp" / "gui" / "hints.py"
    source = hints.read_text(encoding="utf-8")
    assert '_tr("Try again in a moment.")' in source
    hints.write_text(source.replace(
        '_tr("Try again in a moment.")',
        'QCoreApplication.translate("hints", "Try again in a moment.")') + textwrap.dedent('''

        def brand_new() -> str:
            return QCoreApplication.translate("hints", "A brand-new hint")
    '''), encoding="utf-8")
    done = subprocess.run([sys.executable, str(UPDATE), "--root", str(root)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1  # something is left to translate
    assert "reused a translation, review it: hints: Try again in a moment." in done.stdout
    assert "to translate: hints: A brand-new hint" in done.stdout
    ts = root / "vaultapp" / "translations" / "vaultapp_de.ts"
    after = {(c, s): "".join(m.find("translation").itertext())  # type: ignore[union-attr]
             for c, s, m in ts_messages(ts)}
    assert after[("hints", "Try again in a moment.")] == "Versuchen Sie es gleich noch einmal."
    assert after[("MainWindow", "&File")] == "&Datei"
    assert ("", "Try again in a moment.") not in after  # the old context is gone
    assert ("hints", "A brand-new hint") in after


def zxcvbn_feedback() -> list[str]:
    import zxcvbn.feedback

    tree = ast.parse(Path(zxcvbn.feedback.__file__).read_text(encoding="utf-8"))
    return [node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "_" and isinstance(node.args[0], ast.Constant)]


def literals(path: Path) -> set[str]:
    return {node.value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def test_every_passphrase_strength_text_is_translated(language: object) -> None:
    """zxcvbn's feedback and the core's own strength words, in the context "strength"."""
    assert sorted(set(strength_words.FEEDBACK)) == sorted(set(zxcvbn_feedback()))
    core = literals(ROOT / "vaultapp" / "core" / "strength.py")
    assert [t for t in strength_words.CORE if t not in core] == []
    language("de")  # type: ignore[operator]
    english = [t for t in (*strength_words.FEEDBACK, *strength_words.CORE)
               if QCoreApplication.translate(strength_words.CONTEXT, str(t)) == t]
    assert english == []


def test_every_indirect_word_is_still_used_elsewhere() -> None:
    """A line of indirect_words.py whose text no longer appears in the code is stale."""
    used: set[str] = set()
    for path in (ROOT / "vaultapp" / "gui").glob("*.py"):
        if path.name != "indirect_words.py":
            used |= literals(path)
    assert [w for w in indirect_words.WORDS if w not in used] == []


def test_the_qm_reader_reads_every_message_and_refuses_other_files() -> None:
    messages = i18n.qm_messages(QM.read_bytes())
    assert ("MainWindow", "&File", "&Datei") in messages
    assert ("", "Try again in a moment.", "Versuchen Sie es gleich noch einmal.") in messages
    assert ("strength", "Avoid sequences.", "Vermeiden Sie Folgen.") in messages
    with pytest.raises(ValueError, match=r"not a Qt \.qm file"):
        i18n.qm_messages(b"not a catalogue")
    bad_tag = i18n.QM_MAGIC + bytes([0x69]) + (2).to_bytes(4, "big") + bytes([0x42, 0])
    with pytest.raises(ValueError, match="unknown tag"):
        i18n.qm_messages(bad_tag)


# --- installing a language ------------------------------------------------------------

def test_install_german_then_english_again(qapp: QApplication, language: object) -> None:
    tr = QCoreApplication.translate
    language("de")  # type: ignore[operator]
    assert i18n.installed() == ["vaultapp_by_source_text", "qtbase_de", "vaultapp_de"]
    assert tr("MainWindow", "&File") == "&Datei"
    # lupdate files `box.tr(...)` under "box"; PySide6 asks with the class, QMessageBox
    assert tr("QMessageBox", "Keep both") == "Beide behalten"
    assert tr("hints", "Try again in a moment.") == "Versuchen Sie es gleich noch einmal."
    # a text no catalogue has stays English (not empty: Qt stops at an empty answer)
    assert tr("Nowhere", "A text no catalogue has") == "A text no catalogue has"
    assert QLocale().language() == QLocale.Language.German
    assert QLocale().toString(9998) == "9.998"
    language("de")  # type: ignore[operator]  # again: the old translators go, none doubles
    assert len(i18n.installed()) == 3
    assert i18n.install(qapp, "xx") is False  # unknown: German stays
    assert tr("MainWindow", "&File") == "&Datei"
    language("en")  # type: ignore[operator]
    assert i18n.installed() == []
    assert tr("MainWindow", "&File") == "&File"
    assert QLocale().language() == QLocale.Language.English


def test_qt_standard_buttons_speak_german(qtbot: QtBot, language: object) -> None:
    language("de")  # type: ignore[operator]
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel
                               | QDialogButtonBox.StandardButton.Close
                               | QDialogButtonBox.StandardButton.Yes
                               | QDialogButtonBox.StandardButton.No)
    qtbot.addWidget(buttons)
    assert {b.text() for b in buttons.buttons()} == {"OK", "Abbrechen", "Schließen", "&Ja",
                                                     "&Nein"}


def test_a_language_without_catalogue_keeps_english(qapp: QApplication, language: object,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "catalogue", lambda code: None)
    assert i18n.install(qapp, "de") is False
    assert i18n.installed() == []
    monkeypatch.setattr(i18n, "catalogue", lambda code: b"not a catalogue")
    assert i18n.install(qapp, "de") is False
    # a file QTranslator takes whose messages cannot be read
    monkeypatch.setattr(i18n, "catalogue", lambda code: QM.read_bytes())
    monkeypatch.setattr(i18n, "qm_messages", lambda data: (_ for _ in ()).throw(ValueError()))
    assert i18n.install(qapp, "de") is False
    assert i18n.installed() == []
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"


def test_without_qts_own_catalogue_the_window_still_speaks_german(
        qapp: QApplication, qtbot: QtBot, language: object, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QLibraryInfo

    class NoQtTranslations:
        LibraryPath = QLibraryInfo.LibraryPath

        @staticmethod
        def path(which: object) -> str:
            return str(tmp_path)  # an empty folder: no qtbase_de.qm

    monkeypatch.setattr(i18n, "QLibraryInfo", NoQtTranslations)
    language("de")  # type: ignore[operator]
    assert i18n.installed() == ["vaultapp_by_source_text", "vaultapp_de"]
    assert QCoreApplication.translate("MainWindow", "&File") == "&Datei"
    # Qt's own text, which no text of ours repeats ("Close" is one of ours: an accessible
    # name, so the by-source translator answers Qt's Close button too)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply)
    qtbot.addWidget(buttons)
    assert buttons.buttons()[0].text() == "Apply"


def test_settings_choose_the_language_for_the_next_start(
        qtbot: QtBot, window: MainWindow,  # noqa: F811  (the fixture)
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings offers the system's language (named) and each language in its own name;
    the choice is kept where the next start reads it. This window keeps its language."""
    dialog = dialogs.SettingsDialog(window, window.settings)
    qtbot.addWidget(dialog)
    combo = dialog.language
    assert combo.objectName() == "languageChoice" and combo.accessibleName()
    assert [combo.itemData(i) for i in range(combo.count())] == ["", "en", "de"]
    system = dict(i18n.available_languages())[i18n.system_language()]
    assert combo.itemText(0) == f"As the system ({system})"
    assert [combo.itemText(i) for i in (1, 2)] == ["English", "Deutsch"]
    assert combo.currentIndex() == 0  # by default the system's
    assert combo.accessibleDescription() == \
        "A new language applies when vaultapp starts again."
    combo.setCurrentIndex(combo.findData("de"))
    assert dialog.settings().language == "de"
    monkeypatch.setattr(dialogs.SettingsDialog, "ask",
                        classmethod(lambda cls, parent, s: dialog.settings()))
    window._edit_settings()
    assert window.qsettings.value(i18n.SETTING) == "de"
    assert i18n.chosen_language(window.qsettings) == "de"
    assert window._load_settings().language == "de"
    again = dialogs.SettingsDialog(window, window.settings)
    qtbot.addWidget(again)
    assert again.language.currentData() == "de"
    assert window.menuBar().actions()[0].text() == "&File"  # until the next start
    monkeypatch.setattr(dialogs.SettingsDialog, "ask",
                        classmethod(lambda cls, parent, s: dialogs.Settings()))
    window._edit_settings()  # back to the system's
    assert window.qsettings.value(i18n.SETTING) == ""
    assert i18n.chosen_language(window.qsettings) == i18n.system_language()


def test_the_chosen_language(tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    assert i18n.chosen_language(settings) == i18n.system_language()
    settings.setValue("language", "de")
    assert i18n.chosen_language(settings) == "de"
    settings.setValue("language", "en")
    assert i18n.chosen_language(settings) == "en"
    settings.setValue("language", "tlh")  # not one we speak: follow the system
    assert i18n.chosen_language(settings) == i18n.system_language()
    assert i18n.available_languages() == [("en", "English"), ("de", "Deutsch")]


# --- (b) every page and dialog, in German -----------------------------------------------

def item_texts(view: QAbstractItemView, key: str, add: object) -> None:
    model = view.model()
    if model is None:
        return
    roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
             Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.AccessibleDescriptionRole)
    # a QAbstractListModel's columnCount is private in PySide6: one column
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(QModelIndex())
    for column in range(columns):
        for role in roles[:2]:
            add(f"{key}.header[{column}].{int(role)}",  # type: ignore[operator]
                model.headerData(column, Qt.Orientation.Horizontal, role))
    for row in range(min(model.rowCount(QModelIndex()), 50)):
        for column in range(columns):
            index = model.index(row, column, QModelIndex())
            for role in roles:
                add(f"{key}.cell[{row},{column}].{int(role)}", index.data(role))  # type: ignore[operator]


def texts(root: QWidget) -> dict[str, str]:
    """Every text `root` shows or gives a screen reader, keyed by where it is."""
    found: dict[str, str] = {}

    def add(key: str, value: object) -> None:
        if isinstance(value, str) and value.strip():
            found[key] = value

    def actions(key: str, owner: QWidget) -> None:
        for i, action in enumerate(owner.actions()):
            if action.isSeparator():
                continue
            for name in ("text", "toolTip", "statusTip", "whatsThis"):
                add(f"{key}/action[{i}].{name}", getattr(action, name)())
            menu = action.menu()
            if isinstance(menu, QMenu):
                add(f"{key}/action[{i}].title", menu.title())
                actions(f"{key}/action[{i}]", menu)

    def walk(widget: QWidget, key: str) -> None:
        if widget.isWindow():
            add(f"{key}.windowTitle", widget.windowTitle())
        for name in ("toolTip", "statusTip", "whatsThis", "accessibleName",
                     "accessibleDescription"):
            add(f"{key}.{name}", getattr(widget, name)())
        if isinstance(widget, QLabel | QAbstractButton):
            add(f"{key}.text", widget.text())
        if isinstance(widget, QGroupBox):
            add(f"{key}.title", widget.title())
        if isinstance(widget, QLineEdit):
            add(f"{key}.text", widget.text())
            add(f"{key}.placeholderText", widget.placeholderText())
        if isinstance(widget, QSpinBox):
            for name in ("prefix", "suffix", "specialValueText"):
                add(f"{key}.{name}", getattr(widget, name)())
        if isinstance(widget, QComboBox):
            for i in range(widget.count()):
                add(f"{key}.item[{i}]", widget.itemText(i))
        if isinstance(widget, QTabBar):
            for i in range(widget.count()):
                add(f"{key}.tab[{i}]", widget.tabText(i))
                add(f"{key}.tabToolTip[{i}]", widget.tabToolTip(i))
        if isinstance(widget, QPlainTextEdit | QTextEdit):
            add(f"{key}.placeholderText", widget.placeholderText())
            if widget.isReadOnly():
                add(f"{key}.plainText", widget.toPlainText())
        if isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
            item_texts(widget, key, add)  # (a header shows its view's headerData)
        if isinstance(widget, QStatusBar):
            add(f"{key}.message", widget.currentMessage())
        actions(key, widget)
        seen: dict[str, int] = {}
        for child in widget.children():
            if not isinstance(child, QWidget) or child.isWindow() or \
                    not child.isVisibleTo(root):
                continue
            kind = child.objectName() or type(child).__name__
            seen[kind] = seen.get(kind, -1) + 1
            walk(child, f"{key}/{kind}[{seen[kind]}]")

    walk(root, type(root).__name__)
    return found


def normalized(text: str, folder: Path) -> str:
    """The text with what differs between two runs taken out: the folder, ids, numbers."""
    text = text.replace(str(folder), "<folder>")
    text = re.sub(r"\b[0-9a-f]{8,}\b", "<id>", text)
    return re.sub(r"\d+", "<n>", text)


def words_left(text: str) -> bool:
    """Whether a (normalized) text still has words once markup and stored data are out."""
    text = re.sub(r"\barn:aws:\S+", " ", text)  # an example key ARN
    text = re.sub(r"\bage<n>[0-9a-z<>…]+", " ", text)  # a recipient (age1…, normalized)
    text = re.sub(r"<[^>]+>", " ", text).replace("&", "")
    for data in (*gallery.PROFILES, *gallery.PEOPLE, gallery.FILE_NAME, gallery.STRANGER_FILE,
                 "vaultapp", ".vault", ".age", ".sqlite"):
        text = text.replace(data, " ")
    return re.search(r"[A-Za-zÄÖÜäöüß]{2,}", text) is not None


def as_pattern(source: str) -> re.Pattern[str]:
    """A catalogue text as a pattern of what it shows: each {0} stands for anything."""
    parts = re.split(r"\{\d+(?::[^}]*)?\}", source)
    return re.compile(".*?".join(re.escape(part) for part in parts), re.DOTALL)


def untranslated(english: dict[str, dict[str, str]], german: dict[str, dict[str, str]],
                 folders: tuple[Path, Path], gaps: list[str] | None = None) -> list[str]:
    """'shot: where: text' for each text the German run shows exactly as the English one
    (those at a KNOWN_GAPS place go to `gaps` instead)."""
    sources = {s: c for c, s, _ in ts_messages()}
    # translated as themselves, and more than a joint ("{0} in {1}" would match anything)
    identical = [as_pattern(s) for c, s, m in ts_messages()
                 if "".join(m.find("translation").itertext()) == s  # type: ignore[union-attr]
                 and len(re.findall(r"[A-Za-z]", re.sub(r"\{[^}]*\}", "", s))) >= 4]
    problems = []
    assert english.keys() == german.keys(), "the two runs showed different pages and dialogs"
    for shot, en_texts in english.items():
        de_texts = german[shot]
        for key, en in en_texts.items():
            if key not in de_texts:
                problems.append(f"{shot}: {key}: {en!r}: shown empty in German")
                continue
            a, b = normalized(en, folders[0]), normalized(de_texts[key], folders[1])
            same = re.sub(r"<(?:n|id|folder)>", "", a).strip() in SAME_IN_GERMAN
            if a != b or same or not words_left(a) or \
                    any(re.search(p, key) for p in DATA_PLACES) or \
                    any(p.fullmatch(en) for p in identical):
                continue
            gap = next((why for p, why in KNOWN_GAPS.items() if re.search(p, key)), None)
            if gap is not None:
                if gaps is not None:
                    gaps.append(f"{shot}: {a!r}: {gap}")
                continue
            why = (f"in the catalogue (context {sources[en]!r}) but shown in English"
                   if en in sources else "not in the catalogue")
            problems.append(f"{shot}: {key}: {en!r}: {why}")
    return problems


def run_gallery(folder: Path) -> dict[str, dict[str, str]]:
    shots: dict[str, dict[str, str]] = {}

    def visit(name: str, widget: QWidget) -> None:
        shots[name] = texts(widget)

    folder.mkdir()
    gallery.Gallery(folder, visit).run()
    return shots


def test_every_page_and_dialog_shows_german(qtbot: QtBot, tmp_path: Path, language: object,
                                            memory_keyring: object) -> None:
    english = run_gallery(tmp_path / "en")
    language("de")  # type: ignore[operator]
    german = run_gallery(tmp_path / "de")
    # every page, and every dialog class of vaultapp.gui, was shown
    classes = {gallery.kebab(c.__name__) for c in gallery.dialog_classes()}
    assert {"first-run", "opening", "unlock", "unlocked", "locked"} <= english.keys()
    assert classes <= english.keys()
    assert {"conflict-dialog", "conflict-dialog-many", "settings-dialog",
            "slots-dialog"} <= english.keys()
    assert all(english[shot] for shot in english), "a page or dialog with no text at all"
    gaps: list[str] = []
    problems = untranslated(english, german, (tmp_path / "en", tmp_path / "de"), gaps)
    assert problems == [], "shown in English although German is installed:\n" + \
        "\n".join(problems)
    if gaps:
        warnings.warn("known translation gaps (KNOWN_GAPS):\n" +
                      "\n".join(sorted(set(gaps))), stacklevel=1)
    # spot checks that the comparison looked at what it claims to
    assert "&Datei" in german["unlocked"].values()
    assert "Abbrechen" in german["settings-dialog"].values()
    assert "Schlüssel" in german["unlocked"].values()  # the key table's header


def test_the_comparison_catches_an_untranslated_text(qtbot: QtBot, tmp_path: Path,
                                                     language: object) -> None:
    """A dialog with a text outside the catalogue, one inside, and one the catalogue
    translates as itself: only the first fails."""
    def build() -> dict[str, str]:
        dialog = QDialog()
        qtbot.addWidget(dialog)
        dialog.setWindowTitle(QCoreApplication.translate("MainWindow", "Rename profile"))
        layout = QVBoxLayout(dialog)
        layout.addWidget(QLabel("A sentence nobody translated"))
        layout.addWidget(QPushButton(QCoreApplication.translate("SettingsDialog", "Browse…")))
        layout.addWidget(QPushButton(QCoreApplication.translate("ActivityDelegate", "Details")))
        dialog.show()
        return texts(dialog)

    english = {"sample": build()}
    language("de")  # type: ignore[operator]
    german = {"sample": build()}
    assert german["sample"]["QDialog.windowTitle"] == "Profil umbenennen"
    problems = untranslated(english, german, (tmp_path, tmp_path))
    assert problems == ["sample: QDialog/QLabel[0].text: 'A sentence nobody translated': "
                        "not in the catalogue"]


# --- (c) the installed layout, and the window's start path ------------------------------

def test_the_catalogue_loads_from_an_installed_layout(tmp_path: Path) -> None:
    """What setuptools installs (pyproject's package-data) holds the .qm, and the window
    finds it there through importlib.resources."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "pyproject.toml", project)
    shutil.copy(ROOT / "README.md", project)
    shutil.copytree(ROOT / "vaultapp", project / "vaultapp",
                    ignore=shutil.ignore_patterns("__pycache__", "*.ts"))
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-c", "from setuptools import setup; setup()", "-q",
                    "build_py", "--build-lib", str(site)], cwd=project, check=True,
                   capture_output=True, timeout=120)
    assert (site / "vaultapp" / "translations" / "vaultapp_de.qm").is_file()
    probe = textwrap.dedent("""
        from importlib import resources
        from PySide6.QtCore import QCoreApplication
        import vaultapp
        from vaultapp.gui import i18n
        app = QCoreApplication([])
        path = resources.files("vaultapp") / "translations" / "vaultapp_de.qm"
        print(vaultapp.__file__, path.is_file(), i18n.install(app, "de"),
              QCoreApplication.translate("MainWindow", "&File"))
    """)
    env = {**os.environ, "PYTHONPATH": str(site), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    where, found, installed, text = done.stdout.split()
    assert Path(where).is_relative_to(site)
    assert (found, installed, text) == ("True", "True", "&Datei")


def start_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "XDG_RUNTIME_DIR",
                        "VAULTAPP_PASSPHRASE")}
    env.update(PYTHONPATH=str(ROOT), VAULTAPP_HOME=str(tmp_path / "home"),
               XDG_CONFIG_HOME=str(tmp_path / "config"), **extra)
    return env


START_PROBE = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    import vaultapp.gui.app as app_module

    made = app_module.create_window

    def create_window(keybox, files):
        window = made(keybox, files)
        print(window.menuBar().actions()[0].text(), flush=True)
        QTimer.singleShot(0, QApplication.quit)
        return window

    app_module.create_window = create_window
    sys.exit(app_module.run_gui(sys.argv[1], []))
""")


@pytest.mark.parametrize(("setting", "lang", "menu"), [
    ("", "de_DE.UTF-8", "&Datei"),    # follows the system
    ("", "C.UTF-8", "&File"),
    ("en", "de_DE.UTF-8", "&File"),   # the Settings choice wins
    ("de", "C.UTF-8", "&Datei"),
])
def test_the_window_starts_in_the_chosen_language(tmp_path: Path, setting: str, lang: str,
                                                  menu: str) -> None:
    if setting:
        folder = tmp_path / "config" / "vaultapp"
        folder.mkdir(parents=True)
        (folder / "vaultapp.conf").write_text(f"[General]\nlanguage={setting}\n")
    url = f"sqlite:///{tmp_path / 'keybox.sqlite'}"
    done = subprocess.run([sys.executable, "-c", START_PROBE, url], cwd=tmp_path,
                          env=start_env(tmp_path, QT_QPA_PLATFORM="offscreen", LANG=lang),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == menu


def test_no_display_says_so_in_one_line_and_exits_2(tmp_path: Path) -> None:
    env = start_env(tmp_path)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    for args in ([], ["gui"]):
        done = subprocess.run([sys.executable, "-m", "vaultapp", *args], cwd=tmp_path,
                              env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 2, done
        assert done.stderr.splitlines() == [
            "vaultapp: no display to show the window on; use the command line "
            "(vaultapp --help), or set QT_QPA_PLATFORM (e.g. offscreen)"]
        assert done.stdout == ""
