"""The window's languages: which one to use, and installing its translators.

The catalogues are Qt's own: `vaultapp/translations/vaultapp_<code>.ts`, kept by
`scripts/update-translations` (pyside6-lupdate, then pyside6-lrelease into the `.qm` that
ships in the package and the bundle). Qt's own catalogue for the language (`qtbase_<code>`)
is installed too, so the standard buttons (OK, Cancel, Yes, No) and Qt's own dialogs
speak the same language. docs/TRANSLATING.md has the glossary and how to add a language.

A language is chosen once, before the window is built (widgets take their texts when they
are made): the Settings choice applies at the next start.
"""

from __future__ import annotations

import struct
from importlib import resources

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

SOURCE_LANGUAGE = "en"  # the language of the source texts: no catalogue needed
LANGUAGES = ((SOURCE_LANGUAGE, "English"), ("de", "Deutsch"))  # code, name in itself
SETTING = "language"  # QSettings key: "" follows the system, else a code of LANGUAGES

_installed: list[QTranslator] = []  # what install() put on the application last time


def available_languages() -> list[tuple[str, str]]:
    """(code, native name) of each language the window speaks, English first."""
    return list(LANGUAGES)


def _codes() -> list[str]:
    return [code for code, _ in LANGUAGES]


def system_language() -> str:
    """The first of the system's preferred UI languages the window speaks, else English."""
    for name in QLocale.system().uiLanguages():
        code = name.replace("_", "-").split("-")[0].lower()
        if code in _codes():
            return code
    return SOURCE_LANGUAGE


def chosen_language(qsettings: QSettings) -> str:
    """The language to start in: the Settings choice, or the system's when it is ""."""
    value = str(qsettings.value(SETTING, "") or "")
    return value if value in _codes() else system_language()


def catalogue(code: str) -> bytes | None:
    """The compiled catalogue vaultapp_<code>.qm from the installed package, if any."""
    path = resources.files("vaultapp") / "translations" / f"vaultapp_{code}.qm"
    try:
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None


def _locale_for(code: str) -> QLocale:
    """The system's own locale when it speaks `code` (keeping its country: de_AT, en_GB),
    else the language's default."""
    system = QLocale.system()
    wanted = QLocale(code)
    return system if system.language() == wanted.language() else wanted


def install(app: QCoreApplication, code: str) -> bool:
    """Make `code` the application's language; False (the language before stays) when it
    has no usable catalogue. May be called again: the translators of the previous call
    are removed. Texts of widgets that already exist do not change."""
    chain: list[QTranslator] = []
    if code != SOURCE_LANGUAGE:
        data = catalogue(code) if code in _codes() else None
        own = QTranslator(app)
        try:
            texts = source_texts(data) if data is not None and own.load(data) else None
        except ValueError:  # QTranslator took it, but it is not a .qm we can read
            texts = None
        if data is None or texts is None:
            own.deleteLater()
            return False
        own.setObjectName(f"vaultapp_{code}")
        own.data = data  # type: ignore[attr-defined]  # load(bytes) reads it in place: keep it
        chain = [AnyContextTranslator(texts, app)]
        qt = QTranslator(app)
        qt.setObjectName(f"qtbase_{code}")
        if qt.load(QLocale(code), "qtbase", "_",
                   QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            chain.append(qt)
        else:
            qt.deleteLater()  # standard buttons stay English; the window still speaks `code`
        chain.append(own)  # asked last to first: ours, Qt's, then ours by source text alone
    for old in _installed:
        app.removeTranslator(old)
        old.deleteLater()
    _installed.clear()
    for translator in chain:
        app.installTranslator(translator)
        _installed.append(translator)
    QLocale.setDefault(_locale_for(code))
    return True


def installed() -> list[str]:
    """Object names of the translators install() put in place (for tests and About)."""
    return [t.objectName() for t in _installed]


class AnyContextTranslator(QTranslator):
    """Answers by source text alone, when neither our catalogue nor Qt's knew the context.

    pyside6-lupdate guesses a Python call's context from the code (`box.tr(...)` gets the
    context "box", a module-level `_tr` wrapper none) while PySide6 asks with the
    object's class ("QMessageBox") or the wrapper's literal context: such a message would
    stay English although the catalogue has it."""

    def __init__(self, texts: dict[str, str], parent: QCoreApplication | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("vaultapp_by_source_text")
        self.texts = texts

    def translate(self, context: str, source_text: str,
                  disambiguation: str | None = None, n: int = -1) -> str | None:
        # None, not "": Qt takes an empty (non-null) string as the translation and stops
        # asking, so every text unknown here would be shown empty.
        return self.texts.get(source_text)

    def isEmpty(self) -> bool:
        return not self.texts


# --- reading a .qm file (Qt's translator.cpp: magic, then tagged blocks) ------------------

QM_MAGIC = bytes.fromhex("3cb86418caef9c95cd211cbf60a1bddd")
_MESSAGES_BLOCK = 0x69
_END, _TRANSLATION, _OBSOLETE1, _SOURCE, _CONTEXT, _COMMENT = 1, 3, 5, 6, 7, 8


def qm_messages(data: bytes) -> list[tuple[str, str, str]]:
    """(context, source text, first translation) of every message in a .qm file."""
    if not data.startswith(QM_MAGIC):
        raise ValueError("not a Qt .qm file")
    messages: list[tuple[str, str, str]] = []
    pos = len(QM_MAGIC)
    while pos + 5 <= len(data):
        tag, length = data[pos], struct.unpack_from(">I", data, pos + 1)[0]
        pos += 5
        if tag == _MESSAGES_BLOCK:
            messages.extend(_read_messages(data[pos:pos + length]))
        pos += length
    return messages


def _read_messages(block: bytes) -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = []
    context = source = ""
    translations: list[str] = []
    pos = 0
    while pos < len(block):
        tag = block[pos]
        pos += 1
        if tag == _END:
            if translations:
                found.append((context, source, translations[0]))
            context = source = ""
            translations = []
        elif tag == _OBSOLETE1:
            pos += 4
        elif tag in (_TRANSLATION, _SOURCE, _CONTEXT, _COMMENT):
            (length,) = struct.unpack_from(">I", block, pos)
            pos += 4
            if length == 0xFFFFFFFF:  # a null translation
                continue
            raw = block[pos:pos + length]
            pos += length
            if tag == _TRANSLATION:
                translations.append(raw.decode("utf-16-be"))
            elif tag == _SOURCE:
                source = raw.decode("utf-8")
            elif tag == _CONTEXT:
                context = raw.decode("utf-8")
        else:
            raise ValueError(f"unknown tag {tag} in a .qm file")
    return found


def source_texts(data: bytes) -> dict[str, str]:
    """Source text -> translation, for AnyContextTranslator (the first context wins)."""
    texts: dict[str, str] = {}
    for _context, source, translation in qm_messages(data):
        if translation:
            texts.setdefault(source, translation)
    return texts
