"""The phrases given to the recogniser: what the shop sells and what the dialogue
expects next, refreshed when the catalogue changes."""

from __future__ import annotations

import pytest

from skills.assistant import Assistant
from skills.dialogue.questions import QuestionKind


@pytest.fixture()
def assistant(tmp_path):
    return Assistant(str(tmp_path / "shop.db"), demo=True)


@pytest.mark.parametrize(
    ("lang", "wanted"),
    [
        ("en", ["what's in my cart", "running shoes", "kettle", "Kitchenor", "belgium"]),
        ("fr", ["qu'est-ce qu'il y a dans mon panier", "chaussures de running", "bouilloire"]),
    ],
)
def test_a_new_session_expects_commands_and_what_the_shop_sells(assistant, lang, wanted):
    phrases = assistant.expected_phrases(None, lang)
    assert all(w in phrases for w in wanted), phrases
    assert "yes" not in phrases and "oui" not in phrases  # nothing asked yet


def test_a_pending_colour_question_puts_its_options_first(assistant):
    session = assistant.ask("I want a kettle", lang="en").session_id
    assistant.ask("add the first one to my cart", session, "en")
    pending = assistant.sessions.load(session).pending
    assert pending.kind is QuestionKind.VARIANT and pending.attribute == "colour"
    phrases = assistant.expected_phrases(session, "en")
    labels = pending.labels
    assert phrases[: len(labels)] == labels
    assert all(f"in {label}" in phrases and f"{label} please" in phrases for label in labels)


def test_proposed_products_and_a_confirmation_are_expected(assistant):
    session = assistant.ask("show me running shoes", lang="en").session_id
    state = assistant.sessions.load(session)
    phrases = assistant.expected_phrases(session, "en")
    first = assistant.db["products"].get(state.proposed[0])
    assert first["title_en"] in phrases and "tell me about the first one" in phrases
    assistant.ask("add the first one to my cart", session, "en")
    assistant.ask("size 42", session, "en")
    assistant.ask("check out", session, "en")
    assert assistant.expected_phrases(session, "en")[:2] == ["yes", "yes please"]


def test_an_import_refreshes_the_shop_words(assistant, tmp_path):
    assert "Zephyrin" not in assistant.expected_phrases(None, "en")
    from catalog.importer import import_file

    feed = tmp_path / "new.csv"
    feed.write_text(
        "id,title,price,brand,category\n"
        "Z1,Zephyrin Paddle Board,399,Zephyrin,Sports > Paddle Board\n",
        encoding="utf-8",
    )
    import_file(assistant.db, feed)
    phrases = assistant.expected_phrases(None, "en")
    assert "Zephyrin" in phrases and "paddle board" in phrases


def test_command_templates_are_said_with_the_shops_words(assistant):
    """Whole commands are recognised far better than their words alone, so a
    {placeholder} in a bias phrase stands for one phrase per word the shop has."""
    phrases = assistant.expected_phrases(None, "en")
    assert "do you deliver to belgium" in phrases and "do you deliver to {country}" not in phrases
    assert "show me wool sweaters" in phrases  # a catalogue product type, in the plural
    assert "show me running shoes under eighty euros" in phrases
    assert "ajoute du thé vert au panier" in assistant.expected_phrases(None, "fr")
    assert "does it come in green" not in phrases  # only once products are proposed
    session = assistant.ask("show me winter coats", lang="en").session_id
    assert "does it come in green" in assistant.expected_phrases(session, "en")


def test_a_template_with_an_unknown_placeholder_is_refused_by_name():
    from skills.biasing import expand_template

    assert expand_template("in {colour}", {"colour": ["red", "blue"]}) == ["in red", "in blue"]
    with pytest.raises(ValueError, match=r"'send it to \{city\}'.*\['city'\]"):
        expand_template("send it to {city}", {"colour": ["red"]})


def test_a_known_customer_arriving_is_expected_to_ask_about_orders(assistant):
    assert "where is my order" not in assistant.expected_phrases(None, "en")
    arrival = {"customer_id": "demo-alice"}
    assert "where is my order" in assistant.expected_phrases(None, "en", arrival)
    bad = {"customer_id": "demo-alice", "colour": "red"}  # the turn itself will refuse it
    assert "where is my order" not in assistant.expected_phrases(None, "en", bad)


def test_who_a_gift_is_for_is_expected_once_asked(assistant):
    assert "I'm looking for a gift for my dad" in assistant.expected_phrases(None, "en")
    session = assistant.ask("je cherche un cadeau", lang="fr").session_id
    assert assistant.sessions.load(session).pending.attribute == "recipient"
    phrases = assistant.expected_phrases(session, "fr")
    assert phrases.index("pour mon père") < phrases.index("je veux passer commande")
