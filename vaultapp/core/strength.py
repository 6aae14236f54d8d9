"""The one passphrase-strength rule, for every way a passphrase is set.

It uses zxcvbn (Dropbox's estimator: dictionaries, keyboard patterns, dates, l33t) instead
of a home-made count of character classes, which rates "Password1!" strong. A passphrase
is accepted when zxcvbn scores it 3 or more of 4 ("safely unguessable: moderate
protection from an offline slow-hash scenario", which is what a passphrase slot behind
scrypt faces). The window and the command line show the same words: `Strength.summary`
(English; the window translates zxcvbn's phrases in the context "strength").
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import UsageError

MIN_SCORE = 3
"""zxcvbn's score (0-4) a new passphrase must reach."""

MAX_CHECKED = 100
"""zxcvbn's cost grows with length; beyond this many characters only a prefix is rated
(a longer passphrase is never weaker than its prefix)."""


class WeakPassphraseError(UsageError):
    """A new passphrase fails the strength rule. Exit code 2."""


@dataclass(frozen=True)
class Strength:
    ok: bool
    score: int
    """zxcvbn's score, 0 (too guessable) to 4 (very unguessable)."""
    warning: str
    suggestions: tuple[str, ...]

    @property
    def verdict(self) -> str:
        return ("Strong" if self.score >= 4 else "Good" if self.ok
                else "Too weak")

    @property
    def summary(self) -> str:
        """One line: the verdict, then zxcvbn's warning and suggestions."""
        parts = [self.verdict + ("." if self.ok else ":")]
        if not self.ok:
            parts += [p for p in (self.warning, *self.suggestions) if p]
            if len(parts) == 1:
                parts.append("Add another word or two; uncommon words are better.")
        return " ".join(parts)


def strength(passphrase: str, user_inputs: tuple[str, ...] = ("vaultapp",)) -> Strength:
    """Rate `passphrase` (zxcvbn, imported only here: it loads its dictionaries)."""
    if not passphrase:
        return Strength(False, 0, "", ("Type a passphrase.",))
    from zxcvbn import zxcvbn

    result = zxcvbn(passphrase[:MAX_CHECKED], user_inputs=list(user_inputs))
    score = int(result["score"])
    feedback = result.get("feedback") or {}
    return Strength(score >= MIN_SCORE, score, str(feedback.get("warning") or ""),
                    tuple(str(s) for s in feedback.get("suggestions") or ()))


def require_strong(passphrase: str) -> None:
    """Raise WeakPassphraseError with the summary when `passphrase` fails the rule."""
    rated = strength(passphrase)
    if not rated.ok:
        raise WeakPassphraseError(f"the passphrase is too weak: {rated.summary}")
