"""Everyday phrasings, in a conversation through the real skill on the demo
catalogue (tests/understanding/<lang>.yaml): the reported intent is what the turn
did, slots and words not understood are as said."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from skills.dialogue.manager import ShoppingSkill
from skills.dialogue.state import DialogueState

HERE = Path(__file__).parent / "understanding"


def _cases(lang: str) -> list[dict]:
    return yaml.safe_load((HERE / f"{lang}.yaml").read_text(encoding="utf-8"))["cases"]


CASES = [
    pytest.param(lang, case, id=f"{lang}: {case['say']}")
    for lang in ("en", "fr")
    for case in _cases(lang)
]


@pytest.fixture(scope="module")
def skills(demo_db):
    return {lang: ShoppingSkill(demo_db, lang) for lang in ("en", "fr")}


def test_each_language_has_forty_phrasings_of_its_own():
    for lang in ("en", "fr"):
        assert len(_cases(lang)) >= 50


@pytest.mark.parametrize("lang, case", CASES)
def test_phrasing_is_understood_in_conversation(lang, case, skills):
    skill, state = skills[lang], DialogueState(lang=lang)
    for said in case.get("before", []):
        skill.turn(state, said)
    reply = skill.turn(state, case["say"])
    where = f"{case['say']!r} → {reply.intent} {reply.slots} {reply.unmatched}: {reply.text!r}"
    assert reply.intent == case["intent"], where
    for name, value in (case.get("slots") or {}).items():
        got = reply.slots.get(name)
        if isinstance(value, dict):
            assert all(float(got[k]) == float(v) for k, v in value.items()), where
        else:
            assert str(got) == str(value), where
    for word in case.get("unmatched", []):
        assert word in reply.unmatched, where
    for words in case.get("reply", []):
        assert words in reply.text, where


def test_a_word_the_shop_does_not_know_is_reported_not_fatal(skills):
    reply = skills["en"].turn(DialogueState(lang="en"), "show me a hoodie with a zebra print")
    assert reply.intent == "search" and reply.products
    assert "zebra" in reply.unmatched


def test_the_intent_says_what_the_turn_did(skills):
    """A turn that proposes products never says it was out of scope."""
    skill = skills["en"]
    for said in ("i'm looking for running shoes under a hundred euros", "red dress please"):
        reply = skill.turn(DialogueState(lang="en"), said)
        assert reply.products and reply.intent == "search", (said, reply.intent)
