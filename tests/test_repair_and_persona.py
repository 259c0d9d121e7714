"""Repair (did you mean, repeated failures, silence) and the shop's persona."""

from __future__ import annotations

import pytest

from skills.dialogue import manager
from skills.dialogue.manager import ShoppingSkill
from skills.dialogue.persona import Persona, load_persona
from skills.dialogue.state import DialogueState


@pytest.fixture(scope="module")
def skill(demo_db):
    return ShoppingSkill(demo_db, "en", Persona())


@pytest.fixture
def doubting(monkeypatch):
    """Every cart change understood with less than full confidence is doubtful: the
    test then does not hang on how sure the model happens to be of one phrasing."""
    monkeypatch.setattr(manager, "CONFIRM_BELOW", 0.999)


def test_a_doubtful_cart_change_is_checked_before_it_is_made(skill, doubting):
    state = DialogueState()
    skill.turn(state, "show me kettles")
    skill.turn(state, "tell me about the first one")
    doubtful = skill.turn(state, "add this to my trolley")
    assert doubtful.intent == "add_to_cart" and doubtful.confidence < 0.999
    assert doubtful.text.startswith("Did you mean: add it to your cart?")
    assert not state.cart
    confirmed = skill.turn(state, "yes")
    assert len(state.cart) == 1 and "Kettle" in confirmed.text


def test_saying_no_to_did_you_mean_changes_nothing(skill, doubting):
    state = DialogueState()
    skill.turn(state, "show me kettles")
    skill.turn(state, "add this to my trolley")
    assert "what would you like" in skill.turn(state, "no").text.lower()
    assert not state.cart


def test_two_failures_in_a_row_call_an_adviser_and_offer_help(skill):
    state = DialogueState()
    first = skill.turn(state, "what's the weather like tomorrow")
    assert first.intent == "out_of_scope" and "adviser" not in first.text.lower()
    assert not state.handoff
    second = skill.turn(state, "tell me a joke")
    assert "help" in second.text.lower() and "adviser" in second.text.lower()
    assert state.handoff == "failures"
    assert {"kind": "handoff", "reason": "failures"} in second.events
    assert state.failures == 0  # counted afresh after the offer
    skill.turn(state, "show me kettles")
    assert state.failures == 0


def test_silence_asks_once_then_ends_politely(skill):
    state = DialogueState()
    first = skill.turn(state, "")
    assert "still there" in first.text and not first.end_session
    second = skill.turn(state, "  ")
    assert second.end_session and "goodbye" in second.text.lower()


def test_silence_count_restarts_when_the_shopper_speaks(skill):
    state = DialogueState()
    skill.turn(state, "")
    skill.turn(state, "hello")
    assert not skill.turn(state, "").end_session


def test_replies_vary_instead_of_looping(skill):
    state = DialogueState()
    greetings = {skill.turn(state, "hello").text for _ in range(2)}
    assert len(greetings) == 2 and all("Lena" in g for g in greetings)


def test_french_formality_follows_the_shop(demo_db):
    tu = ShoppingSkill(demo_db, "fr", Persona(formality={"fr": "tu"}))
    vous = ShoppingSkill(demo_db, "fr", Persona(formality={"fr": "vous"}))
    assert "tu cherches" in tu.turn(DialogueState(lang="fr"), "bonjour").text
    assert "cherchez-vous" in vous.turn(DialogueState(lang="fr"), "bonjour").text
    state = DialogueState(lang="fr")
    assert "ton panier" in tu.turn(state, "ajoute du miel au panier").text
    assert tu.turn(state, "qu'est-ce qu'il y a dans mon panier").text.startswith("Tu as")


def test_tone_and_verbosity_follow_the_shop(demo_db):
    calm = ShoppingSkill(demo_db, "en", Persona(name="Sam", tone="calm"))
    assert calm.turn(DialogueState(), "hi").text == (
        "Hello, I'm Sam. What are you shopping for today?"
    )
    short = ShoppingSkill(demo_db, "en", Persona(verbosity="short"))
    state = DialogueState()
    assert len(short.turn(state, "show me hoodies").products) == 2


def test_a_wrong_persona_file_is_named(tmp_path):
    bad = tmp_path / "shop.yaml"
    bad.write_text("name: Max\ntone: grumpy\n", encoding="utf-8")
    with pytest.raises(ValueError, match="tone must be one of"):
        load_persona(str(bad))
    assert load_persona().name == "Lena"
