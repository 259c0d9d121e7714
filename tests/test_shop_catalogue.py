"""A real shop's catalogue in conversation: the Magento Luma flat export (dollars, no
quantities, each configurable product with its size and colour rows)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from catalog.db import open_db
from catalog.importer import import_file
from skills.dialogue.manager import ShoppingSkill
from skills.dialogue.state import DialogueState


@pytest.fixture(scope="module")
def luma(shared, tmp_path_factory):
    db = open_db(tmp_path_factory.mktemp("luma") / "luma.db")
    import_file(db, shared / "catalogs/magento_luma/products_flat.csv", currency="USD")
    return {lang: ShoppingSkill(db, lang) for lang in ("en", "fr")}


def test_hoodies_are_proposed_once_each_in_dollars_and_available(luma):
    state = DialogueState(lang="en")
    reply = luma["en"].turn(state, "show me hoodies")
    assert len({p["id"] for p in reply.products}) == len(reply.products) == 3
    assert "$" in reply.text and "€" not in reply.text
    assert "out of stock" not in reply.text.lower()  # quantities not tracked: sold
    prices = [float(p) for p in re.findall(r"\$(\d+(?:\.\d+)?)", reply.text)]
    assert prices == sorted(prices)  # read cheapest first
    answer = luma["en"].turn(state, "is the first one in stock")
    assert "in stock" in answer.text.lower() and "out of stock" not in answer.text.lower()


@pytest.mark.parametrize(
    "lang, said, note",
    [
        ("en", "show me hoodies under 50 euros", "Our prices are in US dollars."),
        ("fr", "montre-moi des hoodies à moins de 50 euros", "Nos prix sont en dollars"),
    ],
)
def test_a_budget_in_another_currency_is_told_the_shop_s_currency(luma, lang, said, note):
    reply = luma[lang].turn(DialogueState(lang=lang), said)
    assert reply.text.startswith(note) and reply.products


def test_a_budget_in_the_shop_s_currency_needs_no_note(luma):
    reply = luma["en"].turn(DialogueState(lang="en"), "show me hoodies under 50 dollars")
    assert "prices are in" not in reply.text and reply.products


def test_a_size_then_a_colour_offers_only_what_can_be_had(luma):
    state = DialogueState(lang="en")
    luma["en"].turn(state, "show me the Chaz Kangeroo Hoodie")
    asked = luma["en"].turn(state, "add it to my cart")
    assert "size" in asked.text.lower()
    luma["en"].turn(state, "medium")
    done = luma["en"].turn(state, "orange")
    assert state.cart and state.cart[0].variant.lower() in {"orange, size m"}, done.text
    assert "$52" in done.text and "€" not in done.text  # no euro threshold for dollars


@pytest.fixture(scope="module")
def platform_shop(tmp_path_factory):
    """The Shopify and WooCommerce fixtures in one shop: English titles only."""
    folder = tmp_path_factory.mktemp("platform")
    db = open_db(folder / "shop.db")
    for name in ("shopify_products.csv", "woocommerce_products.csv"):
        (folder / name).write_bytes((Path("tests/data") / name).read_bytes())
        import_file(db, folder / name)
    return {lang: ShoppingSkill(db, lang) for lang in ("en", "fr")}


@pytest.mark.parametrize(
    "lang, question, answer",
    [
        ("en", "is the tote bag in stock", "Yes, the Organic Cotton Tote Bag is in stock."),
        ("en", "how much is the merino sweater", "The Merino Crew Sweater is €79."),
        ("fr", "est-ce que le tote bag est en stock", "Oui, l'Organic Cotton Tote Bag est en"),
    ],
)
def test_a_question_about_the_shop_s_only_such_product_is_answered_at_once(
    platform_shop, lang, question, answer
):
    reply = platform_shop[lang].turn(DialogueState(lang=lang), question)
    assert reply.text.startswith(answer)


def test_a_product_named_in_french_is_not_taken_for_the_one_talked_about(platform_shop):
    state = DialogueState(lang="fr")
    platform_shop["fr"].turn(state, "est-ce que le tote bag est en stock")
    reply = platform_shop["fr"].turn(state, "c'est combien le pull mérinos")
    assert "Tote Bag" not in reply.text and "Merino Crew Sweater" in reply.text
    # an English title keeps its capitals, after a French article
    assert re.search(r"\b[Ll]e Merino Crew Sweater", reply.text), reply.text


@pytest.mark.parametrize(
    "question, title, intent",
    [
        ("la tasse de camping est disponible ?", "Enamel Camping Mug", "ask_stock"),
        ("parlez-moi de la lampe de lecture", "Reading Lamp", "search"),
        ("je cherche un sac en coton", "Organic Cotton Tote Bag", "search"),
    ],
)
def test_french_words_find_products_titled_in_english(platform_shop, question, title, intent):
    reply = platform_shop["fr"].turn(DialogueState(lang="fr"), question)
    assert reply.intent == intent, reply.text
    assert title in reply.text and "ne vendons pas" not in reply.text
