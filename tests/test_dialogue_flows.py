"""The dialogue's registry of flows, its typed questions, and what a session keeps
to itself (the rotation of phrasings)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

from skills.dialogue import registry
from skills.dialogue.manager import ShoppingSkill
from skills.dialogue.questions import Expects, Pending, QuestionKind
from skills.dialogue.state import DialogueState

DATA = Path(__file__).parents[1] / "skills" / "nlu" / "data"
FLOWS = Path(__file__).parents[1] / "skills" / "dialogue" / "flows"
ASKED_BY_THE_MANAGER = {QuestionKind.CONFIRM, QuestionKind.WHICH_PRODUCT}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_intent_of_the_language_data_has_a_flow(lang):
    intents = yaml.safe_load((DATA / f"{lang}.yaml").read_text(encoding="utf-8"))["intents"]
    assert set(intents) - registry.handled_intents() == set()


def test_every_question_a_flow_asks_has_a_flow_to_answer_it():
    for kind in set(QuestionKind) - ASKED_BY_THE_MANAGER:
        assert registry.answer_handler(kind) is not None, kind


def test_an_intent_has_one_handler_only():
    with pytest.raises(ValueError, match="already has a handler"):
        registry.intent("search")(lambda ctx, state, parse: None)


def test_a_flow_never_imports_another_flow():
    for module in FLOWS.glob("*.py"):
        if module.name == "__init__.py":
            continue
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        assert not [m for m in imported if m and m.startswith("skills.dialogue.flows")], module


def test_a_question_saved_before_questions_were_typed_is_read_back():
    saved = {
        "kind": "variant",
        "attribute": "size",
        "options": ["M", "L"],
        "labels": ["M", "L"],
        "product_id": "DEMO-000001",
        "quantity": 2,
        "chosen": {},
    }
    state = DialogueState.from_dict({"lang": "en", "pending": saved})
    pending = state.pending
    assert pending.kind is QuestionKind.VARIANT and pending.expects is Expects.OPTION
    assert pending.data == {"product_id": "DEMO-000001", "quantity": 2, "chosen": {}}
    again = DialogueState.from_dict(state.to_dict()).pending
    assert again == pending


def test_a_yes_no_question_expects_yes_or_no():
    assert Pending(QuestionKind.CHECKOUT).expects is Expects.YES_NO
    assert Pending(QuestionKind.CALLBACK_PHONE).expects is Expects.FREE


def test_each_session_rotates_through_its_own_phrasings(demo_db):
    skill = ShoppingSkill(demo_db, "en")
    first, busy = DialogueState(), DialogueState()
    skill.turn(busy, "show me kettles")  # another shopper heard the first phrasing
    opening = skill.turn(first, "show me kettles").text.split(".")[0]
    assert opening == skill.turn(DialogueState(), "show me kettles").text.split(".")[0]
    assert first.said["propose_group"] == 1  # kettles of several brands: one group


@pytest.mark.parametrize(
    ("lang", "offer", "ask", "cue"),
    [
        ("en", "show me rain jackets", "which is the cheapest", "cheapest"),
        ("en", "show me hoodies", "which one is the best rated", "best_rated"),
        ("fr", "je cherche une veste de pluie", "c'est laquelle la moins chère", "cheapest"),
        ("fr", "montre-moi des sweats à capuche", "lequel est le plus cher", "dearest"),
    ],
)
def test_which_is_the_cheapest_picks_among_all_those_offered(demo_db, lang, offer, ask, cue):
    skill = ShoppingSkill(demo_db, lang)
    state = DialogueState(lang=lang)
    offered = skill.turn(state, offer).products
    assert len(offered) == 3
    picked = skill.turn(state, ask).products

    def rating(product: dict) -> float:
        sql = "SELECT rating FROM products WHERE id = ?"
        return demo_db.execute(sql, [product["id"]]).fetchone()[0]

    key = {
        "cheapest": lambda p: p["price"],
        "dearest": lambda p: -p["price"],
        "best_rated": lambda p: -rating(p),
    }[cue]
    assert [p["id"] for p in picked] == [min(offered, key=key)["id"]]
    assert state.focus == picked[0]["id"]
