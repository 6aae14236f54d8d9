"""Every warning and suggestion zxcvbn 4.5 can give (zxcvbn/feedback.py), listed so that
pyside6-lupdate puts them in the catalogue under the context "strength".

The passphrase strength rule (vaultapp.core.strength) hands these English texts to the
window, which shows them through `QCoreApplication.translate("strength", text)`.
tests/gui/test_gui_translation.py fails when zxcvbn's list and this one differ (a new
zxcvbn release with new feedback), or when a text of CORE is no longer in the core.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

CONTEXT = "strength"

FEEDBACK = (
    QT_TRANSLATE_NOOP("strength", 'Add another word or two. Uncommon words are better.'),
    QT_TRANSLATE_NOOP("strength", "Capitalization doesn't help very much."),
    QT_TRANSLATE_NOOP("strength", "Reversed words aren't much harder to guess."),
    QT_TRANSLATE_NOOP(
        "strength",
        "Predictable substitutions like '@' instead of 'a' don't help very much."),
    QT_TRANSLATE_NOOP("strength", 'Use a few words, avoid common phrases.'),
    QT_TRANSLATE_NOOP("strength", 'No need for symbols, digits, or uppercase letters.'),
    QT_TRANSLATE_NOOP("strength", 'Straight rows of keys are easy to guess.'),
    QT_TRANSLATE_NOOP("strength", 'Short keyboard patterns are easy to guess.'),
    QT_TRANSLATE_NOOP("strength", 'This is a top-10 common password.'),
    QT_TRANSLATE_NOOP("strength", 'This is similar to a commonly used password.'),
    QT_TRANSLATE_NOOP("strength", 'A word by itself is easy to guess.'),
    QT_TRANSLATE_NOOP("strength", 'All-uppercase is almost as easy to guess as all-lowercase.'),
    QT_TRANSLATE_NOOP("strength", 'Use a longer keyboard pattern with more turns.'),
    QT_TRANSLATE_NOOP("strength", 'Repeats like "aaa" are easy to guess.'),
    QT_TRANSLATE_NOOP(
        "strength",
        'Repeats like "abcabcabc" are only slightly harder to guess than "abc".'),
    QT_TRANSLATE_NOOP("strength", 'This is a top-100 common password.'),
    QT_TRANSLATE_NOOP("strength", 'This is a very common password.'),
    QT_TRANSLATE_NOOP("strength", 'Names and surnames by themselves are easy to guess.'),
    QT_TRANSLATE_NOOP("strength", 'Common names and surnames are easy to guess.'),
    QT_TRANSLATE_NOOP("strength", 'Avoid repeated words and characters.'),
    QT_TRANSLATE_NOOP("strength", 'Sequences like "abc" or "6543" are easy to guess.'),
    QT_TRANSLATE_NOOP("strength", 'Avoid sequences.'),
    QT_TRANSLATE_NOOP("strength", 'Recent years are easy to guess.'),
    QT_TRANSLATE_NOOP("strength", 'Dates are often easy to guess.'),
    QT_TRANSLATE_NOOP("strength", 'Avoid recent years.'),
    QT_TRANSLATE_NOOP("strength", 'Avoid years that are associated with you.'),
    QT_TRANSLATE_NOOP("strength", 'Avoid dates and years that are associated with you.'),
)

# vaultapp/core/strength.py's own words: Strength.verdict, and its suggestions when zxcvbn
# has none (an empty passphrase; a weak one without feedback)
CORE = (
    QT_TRANSLATE_NOOP("strength", "Strong"),
    QT_TRANSLATE_NOOP("strength", "Good"),
    QT_TRANSLATE_NOOP("strength", "Too weak"),
    QT_TRANSLATE_NOOP("strength", "Type a passphrase."),
    QT_TRANSLATE_NOOP("strength", "Add another word or two; uncommon words are better."),
)
