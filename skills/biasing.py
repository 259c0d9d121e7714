"""The phrases a shopper is likely to say next, for biasing speech recognition.

General recognisers fail on short shopping commands ("add it to my card"); told
what the shop sells and what the dialogue expects, they hear them right. Phrases
come from three places, most likely first: the dialogue state (a promo code asked
for, the options of a pending question, the products just proposed, a known
customer's after-sales requests), the language data's `bias` lists,
and the catalogue (product types, brands, colours), read again whenever an import
bumps the catalogue version.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from itertools import product
from string import Formatter

import inflect
import sqlite_utils
from num2words import num2words

from catalog.db import catalog_version
from catalog.lookup import get_product
from skills.campaigns.rules import load_rules
from skills.dialogue.questions import Expects
from skills.dialogue.state import DialogueState
from skills.nlu.language import load_language

# Whisper aligns only the few closest; a Vosk recogniser with 900 phrases was ready in
# 58 ms against 54 ms with 8 (Korean model).
MAX_PHRASES = 1500
# Budgets said in commands ("under eighty euros"), for the {amount} placeholder.
SPOKEN_AMOUNTS = (20, 30, 40, 50, 60, 70, 80, 100, 150, 200)


@dataclass(frozen=True)
class ShopWords:
    """What the catalogue sells, as a shopper would name it in one language."""

    product_types: list[str]
    brands: list[str]
    colours: list[str]
    countries: list[str]
    # the language's bias lists, templates said with the words above
    bias: dict[str, list[str]] = field(default_factory=dict)


def shop_words(db: sqlite_utils.Database, lang: str) -> ShopWords:
    lexicon = load_language(lang).lexicon
    column = "title_fr" if lang == "fr" else "title_en"
    titles: dict[str, list[list[str]]] = defaultdict(list)
    brands: dict[str, None] = {}
    for category, brand, title in db.execute(
        f"SELECT category, brand, coalesce(nullif({column}, ''), title_en) FROM products"
    ):
        if brand:
            brands[brand] = None
            title = title.replace(brand, " ")
        titles[category].append(title.split())
    types = list(dict.fromkeys(t for t in (_product_type(group) for group in titles.values()) if t))
    colours = [spoken[0] for spoken in lexicon["colours"].values()]
    countries = [spoken[0] for spoken in lexicon["countries"].values()]
    recipients = [spoken[0] for spoken in lexicon["recipients"].values()]
    values = {
        "product": types,
        "products": [_plural(t, lang) for t in types],
        "colour": colours,
        "country": countries,
        "amount": [num2words(n, lang=lang) for n in SPOKEN_AMOUNTS],
        "ordinal": [spoken[0] for spoken in lexicon["ordinals"].values()],
        "recipient": recipients,
    }
    bias = {
        name: [p for phrase in phrases for p in expand_template(phrase, values)]
        for name, phrases in load_language(lang).bias.items()
        if isinstance(phrases, list) and not name.endswith("option")  # said with a label
    }
    return ShopWords(types, list(brands), colours, countries, bias)


def expand_template(template: str, values: dict[str, list[str]]) -> list[str]:
    """Every way of saying a bias phrase: itself, or one per combination of the
    words its {placeholders} stand for."""
    names = [name for _, name, _, _ in Formatter().parse(template) if name]
    if not names:
        return [template]
    unknown = set(names) - set(values)
    if unknown:
        raise ValueError(
            f"bias phrase {template!r}: no shop words for {sorted(unknown)}; "
            f"placeholders are {sorted(values)}"
        )
    return [
        template.format(**dict(zip(names, words, strict=True)))
        for words in product(*(values[name] for name in names))
    ]


@cache
def _inflect() -> inflect.engine:
    return inflect.engine()


def _plural(noun: str, lang: str) -> str:
    """The English plural ("wool sweaters"); French product types are said as named."""
    if lang != "en" or _inflect().singular_noun(noun):
        return noun
    return _inflect().plural_noun(noun)


def _product_type(titles: list[list[str]]) -> str:
    """The words every title of a category shares at its start or end, e.g. "Face
    Cream" from "Essential Face Cream" and "Pro Face Cream"; "Crème visage" in French."""
    first = titles[0]
    prefix = min(_common(first, words) for words in titles)
    suffix = min(_common(first[::-1], words[::-1]) for words in titles)
    best = first[:prefix] if prefix >= suffix else first[len(first) - suffix :]
    return " ".join(best).lower()


def _common(a: list[str], b: list[str]) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def expected_phrases(
    state: DialogueState, words: ShopWords, db: sqlite_utils.Database
) -> list[str]:
    """Phrases likely in the next turn, most likely first, without repeats."""
    lang = state.lang
    bias = load_language(lang).bias
    said = words.bias
    phrases: list[str] = []
    pending = state.pending
    if state.promo:
        phrases += promo_code_phrases(state.promo["campaign"], lang)
    if pending and pending.expects is Expects.YES_NO:
        phrases += said["confirm"]
    if pending and pending.expects is Expects.OPTION:
        labels = [str(label) for label in pending.labels]
        said_as = bias.get(f"{pending.attribute}_option", [])  # "size {option}"
        forms = ["{option}", *([said_as] if isinstance(said_as, str) else said_as), bias["option"]]
        phrases += [form.format(option=label) for form in forms for label in labels]
        if pending.attribute == "budget":
            phrases += said["budget"]
    if state.proposed:
        phrases += said["proposed"]
        titles = (get_product(db, pid) for pid in state.proposed)
        phrases += [p.title(lang) for p in titles if p]
    if state.cart:
        phrases += said["cart"]
    if state.context.get("customer_id"):
        phrases += said["after_sales"]
    phrases += said["always"] + words.product_types + words.brands + words.colours
    phrases += words.countries
    return list(dict.fromkeys(p for p in phrases if p))[:MAX_PHRASES]


def promo_code_phrases(campaign: str, lang: str) -> list[str]:
    """The campaign's codes as said: "WINTER10" → "winter ten", "winter 10"."""
    found = load_rules().campaigns.get(campaign)
    phrases = []
    for code in found.codes if found else ():
        parts = re.findall(r"[A-Za-z]+|\d+", code)
        words = [num2words(int(p), lang=lang) if p.isdigit() else p.lower() for p in parts]
        phrases += [" ".join(words), " ".join(p.lower() for p in parts)]
    return phrases


class ShopWordsCache:
    """ShopWords per language, rebuilt when the catalogue version changes."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._cached: dict[str, tuple[int, ShopWords]] = {}
        self._lock = threading.Lock()

    def get(self, lang: str) -> ShopWords:
        version = catalog_version(self.db)
        with self._lock:
            cached = self._cached.get(lang)
            if cached is None or cached[0] != version:
                cached = (version, shop_words(self.db, lang))
                self._cached[lang] = cached
            return cached[1]
