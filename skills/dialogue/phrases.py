"""Replies in the shopper's language, from the responses in the language data.

Prices and numbers are written as each language writes them, with Babel ("€1,815.99",
"1 815,99 €"); voice/speech_text.py spells them out for the synthesiser. Lists are
joined as people say them. A reply about a product gets its title with an article
(`{the_title}`) and words that agree with it (`grammar.py`).
"""

from __future__ import annotations

import copy
import re
import unicodedata

from babel import Locale
from babel.numbers import format_currency, format_decimal, get_currency_name

from catalog.morphology import Form
from skills.dialogue.grammar import GRAMMARS, choose
from skills.dialogue.persona import Persona
from skills.nlu.language import load_language

LOCALES = {"en": "en_US", "fr": "fr_FR"}  # how each language writes numbers and prices
_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([a-zà-ÿ])")
_SPACES = str.maketrans({"\u202f": " ", "\xa0": " "})  # Babel's no-break spaces


def price_text(amount: float, currency: str, lang: str) -> str:
    """A price as the language writes it, in its own currency ("€1,815.99",
    "1 815,99 €", "$48"): cents only when there are some."""
    locale = Locale.parse(LOCALES.get(lang, lang))
    pattern = locale.currency_formats["standard"].pattern
    if float(amount).is_integer():
        pattern = pattern.replace(".00", "")
    text = format_currency(amount, currency, format=pattern, locale=locale, currency_digits=False)
    return text.translate(_SPACES)


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
        self.grammar = GRAMMARS[lang]

    def bound(self, said: dict[str, int]) -> Phrases:
        """These phrases, rotating through one session's own count of what it heard
        (so that one shopper's conversation does not change another's phrasing)."""
        view = copy.copy(self)
        view._said = said
        return view

    def say(self, key: str, **values: object) -> str:
        return self.render(self._phrasing(key), values)

    def part(self, key: str, **values: object) -> str:
        """A piece of a sentence filled in ("le 24 novembre, 873,78 €"): no capital."""
        return self.render(self._phrasing(key), values, sentence=False)

    def _phrasing(self, key: str) -> str:
        choices = next(
            (self.responses[key + s] for s in self._suffixes if key + s in self.responses),
            self.responses[key],
        )
        if isinstance(choices, list):
            turn = self._said.get(key, 0)
            self._said[key] = turn + 1
            choices = choices[turn % len(choices)]
        return choices

    def render(self, template: str, values: dict, sentence: bool = True) -> str:
        """One phrasing filled in: the product's title with its article, the words
        that agree with it, and, for a `sentence` (not a piece of one), a capital
        at each sentence's start."""
        values = dict(values)
        title = values.get("title")
        if isinstance(title, str) and title:
            values.setdefault("the_title", self.grammar.definite(title))
        text = template.format(name=self.persona.name, **values)
        form = values.get("form")  # given when the words agree with several titles
        if not isinstance(form, Form):
            form = self.grammar.form(title) if isinstance(title, str) and title else Form()
        text = choose(text, form)  # "[[il|elle|ils|elles]]" agrees with the title
        return _SENTENCE_START.sub(lambda m: m[1] + m[2].upper(), text) if sentence else text

    def fragment(self, key: str) -> str:
        """A piece of a sentence ("add it to your cart"), as written."""
        return self.responses[key]

    def price(self, amount: float, currency: str = "EUR") -> str:
        return price_text(amount, currency, self.lang)

    def currency_name(self, currency: str) -> str:
        """ "US dollars", "dollars des États-Unis": a currency as named in prose."""
        return get_currency_name(currency, count=2, locale=LOCALES.get(self.lang, self.lang))

    def number(self, value: float) -> str:
        locale = LOCALES.get(self.lang, self.lang)
        return format_decimal(value, locale=locale, group_separator=False).translate(_SPACES)

    def join(self, items: list[str], conjunction: str = "and") -> str:
        word = self.responses[conjunction]
        items = [i for i in items if i]
        if len(items) <= 1:
            return "".join(items)
        return f"{', '.join(items[:-1])} {word} {items[-1]}"

    def counted(self, title: str, quantity: int) -> str:
        """A product title with its quantity, as the language says it: "2 Sonique
        Premium Laptops", "une veste de pluie légère Cotonia", "2 vestes de pluie
        légères Cotonia"."""
        return self.grammar.counted(title, quantity)

    def partitive(self, noun: str) -> str:
        """The noun after a negation: "sac à dos" → "de sac à dos", "écharpe" →
        "d'écharpe" in French; as is in languages without the article."""
        forms = self.lexicon.get("partitive")
        if not forms or not noun:
            return noun
        vowel = fold_first(noun) in "aeiouyh"
        return (forms["before_vowel"] if vowel else forms["before_consonant"]) + noun

    def colour(self, value: str) -> str:
        """A catalogue colour (English) as said in this language."""
        spoken = self.lexicon["colours"].get(value.lower())
        return spoken[0] if spoken else value

    def variant(self, colour: str | None, size: str | None) -> str:
        """ "blue, size 5", "bleu, taille 5", "size M", "red": said after "in" / "en"."""
        spoken = self.colour(colour) if colour else ""
        if not size:
            return spoken
        key = "variant_colour_size" if spoken else "variant_size"
        return self.part(key, colour=spoken, size=size)

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


def fold_first(text: str) -> str:
    """The first letter without its accent ("é" → "e")."""
    return unicodedata.normalize("NFD", text[:1].lower())[:1]
