"""Whole conversations, as data (tests/conversations/<lang>.yaml), through the real
skill on the bundled demo catalogue in a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from catalog.lookup import get_product
from skills.dialogue.manager import ShoppingSkill
from skills.dialogue.state import DialogueState

HERE = Path(__file__).parent / "conversations"


def _conversations(lang: str) -> list[dict]:
    return yaml.safe_load((HERE / f"{lang}.yaml").read_text(encoding="utf-8"))["conversations"]


CASES = [
    pytest.param(lang, conv, id=f"{lang}: {conv['name']}")
    for lang in ("en", "fr")
    for conv in _conversations(lang)
]


@pytest.fixture(scope="module")
def skills(demo_db):
    return {lang: ShoppingSkill(demo_db, lang) for lang in ("en", "fr")}


def test_there_are_enough_conversations():
    assert len(_conversations("en")) >= 25
    assert len(_conversations("fr")) >= 20


@pytest.mark.parametrize("lang, conversation", CASES)
def test_conversation(lang, conversation, skills, demo_db):
    skill, state = skills[lang], DialogueState(lang=lang)
    previous: list = []
    shown: set[str] = set()  # every product proposed so far in this conversation
    for number, turn in enumerate(conversation["turns"], 1):
        reply = skill.turn(state, turn["say"])
        where = f"turn {number} {turn['say']!r} → {reply.intent} {reply.slots}: {reply.text!r}"
        if "intent" in turn:
            assert reply.intent == turn["intent"], where
        for name, value in (turn.get("slots") or {}).items():
            assert _matches(reply.slots.get(name), value), f"slot {name}: {where}"
        for word in turn.get("reply", []):
            assert str(word).lower() in reply.text.lower(), f"{word!r} missing: {where}"
        for word in turn.get("reply_not", []):
            assert str(word).lower() not in reply.text.lower(), f"{word!r} said: {where}"
        if "products" in turn:
            products = [get_product(demo_db, p["id"]) for p in reply.products]
            _check_products(turn["products"], products, previous, where)
            if turn["products"].get("not_shown_before"):
                assert not {p.id for p in products} & shown, where
            previous = products
            shown |= {p.id for p in products}
        if "cart" in turn:
            expected = turn["cart"]
            if "lines" in expected:
                assert len(state.cart) == expected["lines"], where
            if "quantity" in expected:
                assert sum(x.quantity for x in state.cart) == expected["quantity"], where
        if "end_session" in turn:
            assert reply.end_session is turn["end_session"], where


def _matches(actual, expected) -> bool:
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            _matches(actual.get(k), v) for k, v in expected.items()
        )
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return float(actual) == float(expected)
    return actual == expected


def _check_products(expected: dict, products: list, previous: list, where: str) -> None:
    count = len(products)
    assert count >= expected.get("min", 1), where
    assert count <= expected.get("max", 3), where
    for product in products:
        if "max_price" in expected:
            assert product.price <= expected["max_price"], where
        if "min_price" in expected:
            assert product.price >= expected["min_price"], where
        if "category" in expected:
            assert product.category.startswith(expected["category"]), where
        if "colour" in expected:
            assert product.matching(colour=expected["colour"]), where
    if "title_contains" in expected:
        wanted = expected["title_contains"].lower()
        assert any(wanted in (p.title_en + " " + p.title_fr).lower() for p in products), where
    if expected.get("ordered") == "price":
        assert [p.price for p in products] == sorted(p.price for p in products), where
    if expected.get("in_stock"):
        assert all(p.stock > 0 for p in products), where
    if expected.get("below_previous"):
        assert previous and max(p.price for p in products) < min(p.price for p in previous), where
    if expected.get("above_previous"):
        assert previous and min(p.price for p in products) > max(p.price for p in previous), where
    if expected.get("other_brand"):
        assert not {p.brand for p in products} & {p.brand for p in previous}, where
