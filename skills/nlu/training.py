"""Training sentences for the learnt intent model, made from what the project has.

Every intent's template expansions are sampled (at most `PER_INTENT`, so that no
intent drowns the others), then each is also said with real values in its
placeholders (the catalogue's own product words and brands, the lexicon's colours,
sizes, budgets…) and read back through the slot extractor, exactly as a live turn
is: the model learns from the skeletons it will see, quirks included.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence

from skills.nlu.language import LanguageData

PER_INTENT = 350
UNKNOWN_SHARE = 0.25  # of the {product} slots filled with a word no shop uses
OTHER_SHARE = 0.2  # of the {product} slots filled with what other shops sell
OPENER_SHARE = 0.15  # of the sentences also said after "hi", "ok", "bonjour"…
SEED = 20261202
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_PRODUCT_WINDOW = 3  # longest product phrase taken from a title


def product_phrases(titles: Sequence[str], brands: Sequence[str], limit: int = 400) -> list[str]:
    """Short phrases the shop's titles are made of ("tennis racket", "raquette de
    tennis"), brand words left out: what shoppers say in a {product} slot."""
    brand_words = {w for b in brands for w in b.lower().split()}
    phrases: dict[str, None] = {}
    for title in titles:
        words = [w for w in title.lower().split() if w not in brand_words]
        for size in range(1, _PRODUCT_WINDOW + 1):
            for start in range(len(words) - size + 1):
                phrases.setdefault(" ".join(words[start : start + size]), None)
    ordered = sorted(phrases)
    random.Random(SEED).shuffle(ordered)
    return ordered[:limit] or ["item"]


def slot_values(data: LanguageData, products: list[str], brands: Sequence[str]) -> dict:
    """What each placeholder can be said as, in this language."""
    lexicon = data.lexicon
    budget = lexicon["budget"]
    currency = [w for words in budget["currency"].values() for w in words if w.isalpha()]
    amounts = ["20", "35", "50", "80", "100", "150", "300"]
    budgets = [
        f"{k} {a} {c}"
        for kind in ("max", "min", "around")
        for k in budget[kind][:4]
        for a in amounts[:3]
        for c in currency[:2]
    ]
    budgets += [f"{budget['between'][0]} 20 {budget['between_joiner'][0]} 40 {currency[0]}"]
    sizes = [p for phrases in lexicon["sizes"].values() for p in phrases if len(p) > 1]
    sizes += [f"{lexicon['size_number_words'][0]} {n}" for n in (38, 41, 44)]
    return {
        "product": products,
        "brand": list(brands) or ["acme"],
        "colour": _spoken(lexicon["colours"]),
        "size": sizes,
        "budget": budgets,
        "recipient": _marked(lexicon["recipient_markers"], lexicon["recipients"]),
        "use": _marked(lexicon["use_markers"], lexicon["uses"]),
        "ordinal": _spoken(lexicon["ordinals"]),
        "number": ["2", "3", "4", "10", *lexicon["quantity_words"]],
        "country": _spoken(lexicon["countries"]),
        "period": lexicon.get("period_examples") or ["yesterday"],
    }


def training_sentences(
    data: LanguageData,
    values: dict,
    reduce: Callable[[str], str],
    read: Callable[[str], str],
) -> tuple[list[str], list[str]]:
    """(model inputs, intents): the model's training set for one language. `reduce`
    turns a template skeleton into a model input, `read` a sentence as said."""
    rng = random.Random(SEED)

    others = data.lexicon.get("other_products") or ["item"]

    def fill(match: re.Match) -> str:
        if match[1] == "product":
            draw = rng.random()
            if draw < UNKNOWN_SHARE:
                return _pseudo_word(rng)  # carrier words, not the product, give the intent
            if draw < UNKNOWN_SHARE + OTHER_SHARE:
                return rng.choice(others)  # asking for what the shop lacks is shopping
        return rng.choice(values.get(match[1], ["x"]))

    openers = data.lexicon.get("openers", [])
    texts: list[str] = []
    labels: list[str] = []
    for intent, examples in data.examples.items():
        chosen = (
            examples
            if len(examples) <= PER_INTENT
            else spread(data.by_template[intent], PER_INTENT, rng)
        )
        seen: set[str] = set()
        for example in chosen:
            said = _PLACEHOLDER.sub(fill, example)
            forms = [said]
            if openers and rng.random() < OPENER_SHARE:
                forms.append(f"{rng.choice(openers)} {said}")
            skeletons = [reduce(example)] + [read(form) for form in forms]
            for skeleton in skeletons:
                if skeleton and skeleton not in seen:
                    seen.add(skeleton)
                    texts.append(skeleton)
                    labels.append(intent)
    return texts, labels


def spread(groups: Sequence[Sequence[str]], budget: int, rng: random.Random) -> list[str]:
    """`budget` skeletons taken in turn from each template's own, so that a template
    with thousands of expansions does not crowd out the short ones."""
    pools = [rng.sample(list(g), len(g)) for g in groups if g]
    chosen: dict[str, None] = {}
    while len(chosen) < budget and any(pools):
        for pool in pools:
            if pool and len(chosen) < budget:
                chosen.setdefault(pool.pop(), None)
    return list(chosen)


def _pseudo_word(rng: random.Random) -> str:
    syllables = ["ba", "ko", "ri", "ven", "tal", "mu", "sor", "di", "pex", "lun", "ga", "tre"]
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3)))


def _spoken(table: dict) -> list[str]:
    return [str(p) for phrases in table.values() for p in phrases]


def _marked(markers: list[str], table: dict) -> list[str]:
    return [f"{markers[0]} {p}" for p in _spoken(table)]
