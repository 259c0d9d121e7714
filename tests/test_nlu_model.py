"""The learnt intent model: its fast scorer is the fitted pipeline's arithmetic, and
it is built once per language data and catalogue, then read from the disk cache."""

from __future__ import annotations

import numpy as np

from skills.nlu import model as intent_model
from skills.nlu.matcher import IntentParser

SENTENCES = ["add it to my cart", "what's the weather like", "do you sell teddy bears", ""]


def test_the_fast_scorer_gives_the_pipelines_probabilities():
    parser = IntentParser("en", {"kettle", "hoodie"}, ["Nordwind"], ["Nordwind Kettle"])
    for sentence in SENTENCES:
        fast = parser.model._fast.probabilities(sentence)
        assert np.allclose(fast, parser.model.predict_slowly(sentence), atol=1e-9)


def test_the_model_is_cached_on_disk_per_catalogue(tmp_path, monkeypatch):
    monkeypatch.setenv("VOICESHOP_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(intent_model, "_loaded", {})
    words = {"kettle", "zorbatron"}  # a catalogue no other test has
    first = IntentParser("en", words, [], ["Zorbatron Kettle"])
    cached = list((tmp_path / "nlu").glob("intent-*.pickle"))
    assert len(cached) == 1
    monkeypatch.setattr(intent_model, "_loaded", {})  # a new process: from the disk
    again = IntentParser("en", words, [], ["Zorbatron Kettle"])
    assert again.model is not first.model
    assert again.parse("add the zorbatron kettle to my cart").intent == "add_to_cart"
    IntentParser("en", words | {"teapot"}, [], ["Zorbatron Teapot"])  # another catalogue
    assert len(list((tmp_path / "nlu").glob("intent-*.pickle"))) == 2


def test_an_unwritable_cache_only_costs_a_rebuild(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("VOICESHOP_CACHE_DIR", str(blocked))
    monkeypatch.setattr(intent_model, "_loaded", {})
    parser = IntentParser("fr", {"bouilloire", "zorbatron"}, [], ["Bouilloire Zorbatron"])
    assert parser.parse("ajoute la bouilloire au panier").intent == "add_to_cart"
