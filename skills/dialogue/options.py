"""Reading an answer that names one of the options offered ("M", "noir", "1 l",
"my dad"), with spoken numbers and units as the language says them."""

from __future__ import annotations

from text_to_num import alpha2digit

from skills.dialogue.phrases import Phrases
from skills.nlu.normalize import normalize_text


def option_said(phrases: Phrases, text: str, options: list[str]) -> str | None:
    """The first option whose words are all in `text`, if any."""
    units = {word: unit for unit, words in phrases.lexicon["units"].items() for word in words}
    spoken = alpha2digit(normalize_text(text, phrases.lang), phrases.lang, threshold=0)
    words = [units.get(w, w) for w in spoken.replace("-", " ").split()]
    for option in options:
        if option and all(w in words for w in str(option).lower().split()):
            return option
    return None


def recipient_said(phrases: Phrases, text: str) -> tuple[str, str] | None:
    """Who a gift is for and the words that said it, when the answer names them
    without "for" ("my dad")."""
    said = {
        phrase: recipient
        for recipient, spoken in phrases.lexicon["recipients"].items()
        for phrase in spoken
    }
    found = option_said(phrases, text, sorted(said, key=len, reverse=True))
    return (said[found], found) if found else None
