"""The exported Alexa interaction model: built from the language data and the catalogue."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from skills.alexa_model import intent_name, interaction_model, samples, sentence
from skills.nlu.language import load_language
from skills.nlu.matcher import IntentParser


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_model_has_every_shopping_intent_with_clean_samples(lang, demo_db):
    model = interaction_model(lang, demo_db)["interactionModel"]["languageModel"]
    intents = {i["name"]: i for i in model["intents"]}
    for intent in load_language(lang).examples:
        if intent not in ("greet", "help", "cancel", "yes", "no", "repeat", "out_of_scope"):
            assert intents[intent_name(intent)]["samples"], intent
    for required in ("AMAZON.StopIntent", "AMAZON.HelpIntent", "AMAZON.FallbackIntent"):
        assert required in intents
    declared_types = {t["name"] for t in model["types"]}
    for intent in intents.values():
        slot_names = {s["name"] for s in intent.get("slots", [])}
        for sample in intent["samples"]:
            used = re.findall(r"\{(\w+)\}", sample)
            assert not re.search(r"\d", sample) and len(used) == len(set(used)), sample
            assert set(used) <= slot_names, sample
        for slot in intent.get("slots", []):
            assert slot["type"].startswith("AMAZON.") or slot["type"] in declared_types
    products = next(t for t in model["types"] if t["name"] == "PRODUCT")
    values = {v["name"]["value"] for v in products["values"]}
    assert {"Nordwind", "Voltari"} <= values  # brands from the catalogue
    assert len(json.dumps(model)) < 1_500_000


HEARD = {
    "en": {
        "Product": "hoodie",
        "Colour": "blue",
        "Size": "medium",
        "Amount": "50",
        "Quantity": "2",
        "Position": "2",
        "Country": "Spain",
        "Recipient": "my dad",
        "Use": "running",
        "Brand": "Nordwind",
        "Period": "last month",
    },
    "fr": {
        "Product": "pull",
        "Colour": "bleu",
        "Size": "M",
        "Amount": "50",
        "Quantity": "2",
        "Position": "2",
        "Country": "Espagne",
        "Recipient": "mon père",
        "Use": "courir",
        "Brand": "Nordwind",
        "Period": "le mois dernier",
    },
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_each_sample_filled_in_means_its_intent_to_the_skill(lang):
    """What Alexa hears for an intent, said back through the samples, parses as it."""
    parser = IntentParser(lang, brands=["Nordwind"])
    for alexa_intent, utterances in samples(lang).items():
        for sample in utterances[:: max(1, len(utterances) // 15)]:  # a spread of samples
            slots = re.findall(r"\{(\w+)\}", sample)
            text = sentence(lang, alexa_intent, {s: HEARD[lang][s] for s in slots})
            parsed = parser.parse(text)
            assert intent_name(parsed.intent) == alexa_intent, (sample, text, parsed)


def test_export_command_prints_the_model(shop_copy):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "skills.cli",
            "export",
            "alexa-model",
            "--lang",
            "fr",
            "--db",
            shop_copy,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    model = json.loads(result.stdout)["interactionModel"]["languageModel"]
    assert model["invocationName"] == "boutique vocale"


@pytest.mark.parametrize(("lang", "marker"), [("en", "for"), ("fr", "pour")])
def test_who_and_what_for_keep_their_marker_outside_the_slot(lang, marker):
    """Alexa fills {Recipient} with "my dad": the sample must say "for" itself, or
    "a gift for my dad" matches no sample and comes back as "a gift my dad"."""
    marked = [s for utterances in samples(lang).values() for s in utterances if "{Recipient}" in s]
    assert marked and all(f"{marker} {{Recipient}}" in s for s in marked), marked[:5]
    intent, sample = next(
        (intent, s) for intent, said in samples(lang).items() for s in said if "{Recipient}" in s
    )
    slots = re.findall(r"\{(\w+)\}", sample)
    said = sentence(lang, intent, {s: HEARD[lang][s] for s in slots})
    assert IntentParser(lang).parse(said).slots.get("recipient") == "dad", said
