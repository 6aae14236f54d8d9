"""Numbers as people read them: with the digit grouping of the window's locale."""

from __future__ import annotations

from PySide6.QtCore import QLocale


def count(n: int) -> str:
    """`n` with the locale's group separators: 9998 is "9,998" in en_US, "9.998" in
    de_DE (QLocale(), so QLocale.setDefault applies). Under the C locale (no LANG set,
    as in a bare session) Qt would print "9998"; there digits are grouped as in English,
    which is what the window showed before it followed the locale."""
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        locale.setNumberOptions(QLocale.NumberOption.DefaultNumberOptions)
    return locale.toString(int(n))
