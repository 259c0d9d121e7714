"""Intent accuracy and slot F1 on the held-out evaluation set (tests/nlu_eval).

The floors are the levels reached (see README); a change that loses
understanding fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.db import open_db
from catalog.demo import ensure_demo_catalog
from catalog.search import CatalogSearch
from skills.nlu.matcher import IntentParser
from skills.nlu.scoring import evaluate, read_labels

EVAL = Path(__file__).parent / "nlu_eval"
# Measured with the learnt model: en 0.956 / 0.959, fr 0.955 / 0.942 (intent accuracy / slot F1).
FLOORS = {"en": (0.95, 0.95), "fr": (0.95, 0.935)}


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    db = open_db(tmp_path_factory.mktemp("eval") / "demo.db")
    ensure_demo_catalog(db)
    return CatalogSearch(db)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_intent_accuracy_and_slot_f1_stay_above_their_floors(lang, catalogue):
    rows = read_labels(EVAL / f"{lang}.tsv")
    assert len(rows) >= 300
    parser = IntentParser(lang, catalogue.known_words(), catalogue.brands(), catalogue.titles(lang))
    report = evaluate(parser, rows)
    print(
        f"{lang}: intent accuracy {report.intent_accuracy:.3f}, slot F1 {report.slot_f1:.3f} "
        f"(P {report.slot_precision:.3f}, R {report.slot_recall:.3f}) on {len(rows)}"
    )
    accuracy_floor, f1_floor = FLOORS[lang]
    assert report.intent_accuracy >= accuracy_floor, report.confusions.most_common(5)
    assert report.slot_f1 >= f1_floor


def test_every_intent_is_in_the_evaluation_set():
    from skills.nlu.language import load_language

    for lang in ("en", "fr"):
        labelled = {intent for intent, _, _ in read_labels(EVAL / f"{lang}.tsv")}
        assert labelled == set(load_language(lang).examples)
