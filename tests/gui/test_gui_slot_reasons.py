"""Why a slot did not unlock, in the window's language (gui/slot_reasons.py).

The core gives each reason a code (slots/base.py REASONS) besides its English sentence;
the window words the code. Checked: every code has words here, in English and German,
with the values it comes with; and the real window, in German, after a lock with no
security key connected, says so in German.
"""

# ruff: noqa: F811

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.conftest import MemoryKeyring
from tests.support.soft_authenticator import SoftAuthenticator
from vaultapp.core.errors import SlotReason
from vaultapp.core.keybox.slots.base import REASONS
from vaultapp.gui.slot_reasons import WORDS, reason_lines, reason_words

from .test_gui import WAIT_MS, no_unexpected_dialogs  # noqa: F401  (fixtures)
from .test_gui_security_key import (  # noqa: F401  (plugged: a fixture)
    add_key,
    close_window,
    lock,
    make_keybox,
    open_window,
    plugged,
)

SAMPLE: dict[str, str | int | float] = {"device": "Blue key", "retries": 2, "seconds": 30}



def reason(code: str, **values: str | int | float) -> SlotReason:
    return SlotReason("blue key (ab12)", code, f"english text for {code}",
                      tuple(values.items()))


def test_every_code_has_words_in_english_and_german(language) -> None:  # type: ignore[no-untyped-def]
    assert set(WORDS) == set(REASONS)
    english = {}
    for code, names in REASONS.items():
        values = {name: SAMPLE[name] for name in names}
        english[code] = reason_words(reason(code, **values))
        assert english[code] != f"english text for {code}", code
        assert "{" not in english[code], (code, english[code])
    language("de")
    for code, names in REASONS.items():
        values = {name: SAMPLE[name] for name in names}
        german = reason_words(reason(code, **values))
        assert "{" not in german and german != english[code], (code, german)
        for name in names:
            if name == "device":
                assert "Blue key" in german, (code, german)


def test_tries_left_and_an_unknown_count_read_differently() -> None:
    assert reason_words(reason("key-pin-wrong", device="Blue key", retries=2)) == \
        "wrong PIN for Blue key (2 tries left before the key blocks it)"
    assert reason_words(reason("key-pin-wrong", device="Blue key", retries=-1)) == \
        "wrong PIN for Blue key"
    assert reason_words(reason("key-not-touched", device="Blue key", seconds=-1)) == \
        "Blue key was not touched in time"
    assert reason_words(reason("tpm-wrong-pin", retries=0)) == \
        "wrong PIN (0 tries left before the TPM locks PINs out)"


def test_a_reason_without_a_code_keeps_the_cores_words() -> None:
    plain = SlotReason("kms (cd34)", "", "AWS KMS eu-west-1 did not answer")
    assert reason_words(plain) == "AWS KMS eu-west-1 did not answer"
    assert reason_lines([plain]) == ["kms (cd34): AWS KMS eu-west-1 did not answer"]



def test_the_german_window_says_why_in_german(
        qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring,
        plugged: list[SoftAuthenticator], language) -> None:  # type: ignore[no-untyped-def]
    box = make_keybox(tmp_path)
    add_key(box, SoftAuthenticator("Blue key"), plugged)
    box.close()
    plugged.clear()  # the key is not connected
    language("de")
    win = open_window(qtbot, tmp_path, f"sqlite:///{tmp_path / 'keybox.sqlite'}")
    try:
        lock(qtbot, win)
        page = win.unlock_page
        page.security_key_button.click()
        qtbot.waitUntil(lambda: "Sicherheitsschlüssel" in page.tried.text()
                        and page.security_key_button.isEnabled(), timeout=WAIT_MS)
        assert "kein Sicherheitsschlüssel ist angeschlossen" in page.tried.text()
        assert "no security key" not in page.tried.text()
    finally:
        close_window(qtbot, win)
