"""Replies in the shopper's language, from the responses in the language data.

Numbers are written the way the synthesiser's normaliser speaks them right
(prices as "49.99 €" / "49,99 €"); lists are joined as people say them.
"""

from __future__ import annotations

import re

from skills.dialogue.persona import Persona
from skills.nlu.language import load_language

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}
_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([a-zà-ÿ])")


def price_text(amount: float, currency: str, lang: str) -> str:
    """A price as text the synthesiser's normaliser reads right in each language."""
    number = f"{amount:.2f}"
    if number.endswith(".00"):
        number = number[:-3]
    if lang == "fr":
        number = number.replace(".", ",")
    return f"{number} {SYMBOLS.get(currency, currency)}"


class Phrases:
    """Replies for one language and persona. A response may have several phrasings
    (said in turn, so the assistant does not sound like a loop) and variants for a
    tone (`greet@calm`) or a formality (`help@tu`), which win when they exist."""

    def __init__(self, lang: str, persona: Persona | None = None) -> None:
        self.lang = lang
        self.persona = persona or Persona()
        data = load_language(lang)
        self.responses = data.responses
        self.lexicon = data.lexicon
        formality = self.persona.formality.get(lang)
        self._suffixes = [f"@{formality}"] if formality else []
        self._suffixes.append(f"@{self.persona.tone}")
        self._said: dict[str, int] = {}

    def say(self, key: str, **values: object) -> str:
        choices = next(
            (self.responses[key + s] for s in self._suffixes if key + s in self.responses),
            self.responses[key],
        )
        if isinstance(choices, list):
            turn = self._said.get(key, 0)
            self._said[key] = turn + 1
            choices = choices[turn % len(choices)]
        text = choices.format(name=self.persona.name, **values)
        return _SENTENCE_START.sub(lambda m: m[1] + m[2].upper(), text)

    def fragment(self, key: str) -> str:
        """A piece of a sentence ("add it to your cart"), as written."""
        return self.responses[key]

    def price(self, amount: float, currency: str = "EUR") -> str:
        return price_text(amount, currency, self.lang)

    def number(self, value: float) -> str:
        text = f"{value:g}"
        return text.replace(".", ",") if self.lang == "fr" else text

    def join(self, items: list[str], conjunction: str = "and") -> str:
        word = self.responses[conjunction]
        items = [i for i in items if i]
        if len(items) <= 1:
            return "".join(items)
        return f"{', '.join(items[:-1])} {word} {items[-1]}"

    def colour(self, value: str) -> str:
        """A catalogue colour (English) as said in this language."""
        spoken = self.lexicon["colours"].get(value.lower())
        return spoken[0] if spoken else value

    def category(self, value: str) -> str:
        spoken = self.lexicon["categories"].get(value)
        return spoken[0] if spoken else value.lower()

    def ordinal(self, position: int) -> str:
        """1 → "first" / "premier"."""
        spoken = self.lexicon["ordinals"].get(position)
        return (spoken[0] if spoken else str(position)).capitalize()

    def recipient(self, value: str) -> str:
        spoken = self.lexicon["recipients"].get(value)
        return spoken[0] if spoken else value
