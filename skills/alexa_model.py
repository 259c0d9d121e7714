"""The Alexa interaction model, generated from the skill's own language data.

Each shopping intent becomes an Alexa intent whose sample utterances are the
expanded sentence templates, with our slot placeholders turned into Alexa slots;
slot types are filled from the language's vocabularies and from the catalogue.
The /alexa endpoint uses the same samples backwards: it fills one with the slot
values Alexa heard and gives that sentence to the skill's own understanding.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

import sqlite_utils

from skills.nlu.language import load_language

# Our placeholder → (Alexa slot name, slot type)
SLOTS = {
    "{product}": ("Product", "PRODUCT"),
    "{colour}": ("Colour", "COLOUR"),
    "{size}": ("Size", "SIZE"),
    "{budget}": ("Amount", "AMAZON.NUMBER"),
    "{number}": ("Quantity", "AMAZON.NUMBER"),
    "{ordinal}": ("Position", "AMAZON.Ordinal"),
    "{country}": ("Country", "AMAZON.Country"),
    "{recipient}": ("Recipient", "RECIPIENT"),
    "{use}": ("Use", "USE"),
    "{brand}": ("Brand", "BRAND"),
    "{period}": ("Period", "PERIOD"),
}
BUILT_INS = {  # our intents that Alexa's built-in intents already carry
    "greet": None,
    "help": "AMAZON.HelpIntent",
    "cancel": "AMAZON.CancelIntent",
    "yes": "AMAZON.YesIntent",
    "no": "AMAZON.NoIntent",
    "repeat": "AMAZON.RepeatIntent",
    "out_of_scope": "AMAZON.FallbackIntent",
}
REQUIRED = ["AMAZON.StopIntent", "AMAZON.NavigateHomeIntent"]
MAX_SAMPLES = 200


def intent_name(intent: str) -> str:
    return "".join(part.capitalize() for part in intent.split("_")) + "Intent"


@cache
def samples(lang: str) -> dict[str, list[str]]:
    """Alexa intent name → sample utterances with {Slot} references."""
    data = load_language(lang)
    budget = data.lexicon["alexa_budget"]
    # {recipient} and {use} hold their marker ("for my dad"); Alexa's slot holds the rest
    markers = {
        "{recipient}": data.lexicon["recipient_markers"][0] + " ",
        "{use}": data.lexicon["use_markers"][0] + " ",
    }
    owners = Counter(e for examples in data.examples.values() for e in set(examples))
    result: dict[str, list[str]] = {}
    for intent, examples in data.examples.items():
        if intent in BUILT_INS:
            continue
        chosen: list[str] = []
        for example in sorted(examples, key=lambda e: (len(e), e)):
            if owners[example] > 1:
                continue  # said the same way for two intents: Alexa calls that a conflict
            placeholders = re.findall(r"\{\w+\}", example)
            if len(placeholders) != len(set(placeholders)) or re.search(r"\d", example):
                continue  # Alexa takes each slot once per sample and no digits
            text = example.replace("{budget}", budget)
            for placeholder, (name, _) in SLOTS.items():
                text = text.replace(placeholder, markers.get(placeholder, "") + "{" + name + "}")
            if text not in chosen:
                chosen.append(text)
            if len(chosen) == MAX_SAMPLES:
                break
        result[intent_name(intent)] = chosen
    return result


def interaction_model(lang: str, db: sqlite_utils.Database) -> dict:
    data = load_language(lang)
    lexicon = data.lexicon
    intents = []
    for name, utterances in samples(lang).items():
        used = {m for u in utterances for m in re.findall(r"\{(\w+)\}", u)}
        slots = [{"name": slot, "type": kind} for slot, kind in SLOTS.values() if slot in used]
        intents.append({"name": name, "slots": _unique(slots), "samples": utterances})
    intents += [{"name": n, "samples": []} for n in sorted(set(BUILT_INS.values()) - {None})]
    intents += [{"name": n, "samples": []} for n in REQUIRED]
    types = [
        _type("COLOUR", lexicon["colours"]),
        _type("SIZE", {**lexicon["sizes"], **{s: [s] for s in _sizes(db)}}),
        _type("RECIPIENT", lexicon["recipients"]),
        _type("USE", lexicon["uses"]),
        _type("PRODUCT", _products(db, lexicon, lang)),
        _type("BRAND", {b: [b] for (b,) in db.execute("SELECT DISTINCT brand FROM products")}),
        _type("PERIOD", {p: [p] for p in lexicon["period_examples"]}),
    ]
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": data.alexa_invocation,
                "intents": intents,
                "types": types,
            }
        }
    }


def _type(name: str, values: dict) -> dict:
    return {
        "name": name,
        "values": [
            {
                "name": {
                    "value": str(key),
                    "synonyms": [str(s) for s in spoken if str(s) != str(key)],
                }
            }
            for key, spoken in values.items()
        ],
    }


def _sizes(db: sqlite_utils.Database) -> list[str]:
    return [
        r[0]
        for r in db.execute(
            "SELECT size FROM variants WHERE size IS NOT NULL AND size NOT GLOB '*[0-9]*' "
            "GROUP BY size ORDER BY count(*) DESC LIMIT 50"
        )
    ]


def _products(db: sqlite_utils.Database, lexicon: dict, lang: str) -> dict:
    """Category words, brands and the words of product titles people say most."""
    values: dict[str, list[str]] = {c: list(words) for c, words in lexicon["categories"].items()}
    for (brand,) in db.execute("SELECT DISTINCT brand FROM products WHERE brand != ''"):
        values[brand] = [brand]
    column = "title_fr" if lang == "fr" else "title_en"
    counts: Counter = Counter()
    for (title,) in db.execute(f"SELECT {column} FROM products WHERE {column} IS NOT NULL"):
        counts.update(w for w in re.findall(r"[^\W\d_]{3,}", title.lower()))
    for word, _ in counts.most_common(300):
        values.setdefault(word, [word])
    return values


def _unique(slots: list[dict]) -> list[dict]:
    seen, result = set(), []
    for slot in slots:
        if slot["name"] not in seen:
            seen.add(slot["name"])
            result.append(slot)
    return result


def sentence(lang: str, alexa_intent: str, values: dict[str, str]) -> str | None:
    """A sentence of our own for what Alexa heard: the intent's sample that uses the
    most of the filled slots and no other, filled in; values it has no place for are
    said after it."""
    filled = {k: _spoken(lang, k, str(v)) for k, v in values.items() if v}
    best, best_slots = None, set()
    for sample in samples(lang).get(alexa_intent, []):
        slots = set(re.findall(r"\{(\w+)\}", sample))
        # Most slots used; among those the longest sample, whose carrier words leave
        # least doubt about the intent ("the {Brand} ones instead", not "{Brand}").
        if slots <= set(filled) and (
            best is None or (len(slots), len(sample)) > (len(best_slots), len(best))
        ):
            best, best_slots = sample, slots
    if best is None:
        return None
    text = best
    for slot in best_slots:
        text = text.replace("{" + slot + "}", filled[slot])
    budget = load_language(lang).lexicon["alexa_budget"]
    rest = [
        budget.replace("{Amount}", value) if slot == "Amount" else value
        for slot, value in filled.items()
        if slot not in best_slots
    ]
    return " ".join([text, *rest])


def _spoken(lang: str, slot: str, value: str) -> str:
    """Alexa gives ordinals as digits ("2"): said back as "2nd" / "2e"."""
    if slot != "Position" or not value.isdigit():
        return value
    number = int(value)
    if lang == "fr":
        return "1er" if number == 1 else f"{number}e"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(
        number % 10 if number % 100 not in (11, 12, 13) else 0, "th"
    )
    return f"{number}{suffix}"
