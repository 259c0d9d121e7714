"""Lead qualification by voice instead of a form, through the assistant on a real
SQLite file: consent first, spelled e-mails with corrections, phone numbers read
back, skipping and stopping, and nothing kept without consent."""

from __future__ import annotations

import pytest

from skills.assistant import Assistant
from skills.contact import email_from, email_read_back, phone_from, phone_read_back
from skills.nlu.language import load_language


@pytest.fixture
def assistant(shop_copy) -> Assistant:
    return Assistant(shop_copy)


def talk(assistant, lang, *turns):
    session, replies = None, []
    for text in turns:
        result = assistant.ask(text, session, lang)
        session, replies = result.session_id, [*replies, result.reply.text]
    return assistant.sessions.load(session), replies


@pytest.mark.parametrize(
    "lang, said, address",
    [
        ("en", "j o h n dot doe at example dot com", "john.doe@example.com"),
        ("en", "john underscore doe at mail dash box dot co dot uk", "john_doe@mail-box.co.uk"),
        ("en", "j o h n 4 2 at example dot org", "john42@example.org"),
        ("fr", "camille point roux arobase exemple point fr", "camille.roux@exemple.fr"),
        ("fr", "c a m tiret bas r arobase exemple point fr", "cam_r@exemple.fr"),
        ("en", "john at example", None),
        ("en", "at dot com", None),
    ],
)
def test_spelled_email_addresses(lang, said, address):
    words = load_language(lang).lexicon["email_words"]
    assert email_from(said, words) == address
    if address:
        assert email_from(email_read_back(address, words), words) == address


def test_phone_numbers_are_read_back_in_groups():
    assert phone_from("0 6 1 2 3 4 5 6 7 8") == "+33612345678"
    assert phone_from("+44 20 7946 0958", "FR") == "+442079460958"
    assert phone_from("12 34") is None and phone_from("01 02") is None
    assert phone_read_back("+33612345678") == "0 6, 1 2, 3 4, 5 6, 7 8"


def test_a_whole_qualification_in_english(assistant):
    state, replies = talk(
        assistant,
        "en",
        "I'd like to be contacted",
        "yes",
        "my name is alice martin",
        "yes",
        "a l i c e at example dot com",
        "no",  # read back wrong: spelled again
        "a l i c e dot martin at example dot com",
        "yes",
        "06 12 34 56 78",
        "yes",
        "running shoes",
        "under 100 euros",
        "in the evening",
    )
    assert "name, e-mail and phone number" in replies[0] and replies[0].endswith("?")
    assert "I have Alice Martin" in replies[2]
    assert "a l i c e at example dot com" in replies[4] or "alice at example dot com" in replies[4]
    assert "spell it" in replies[5]
    assert "alice dot martin at example dot com" in replies[6]
    assert "0 6, 1 2, 3 4, 5 6, 7 8" in replies[8]
    assert "Alice Martin" in replies[-1] and "in the evening" in replies[-1]
    record = assistant.customers.get(state.context["customer_id"])
    assert record["name"] == "Alice Martin" and record["email"] == "alice.martin@example.com"
    assert record["phone"] == "+33612345678" and record["contact_time"] == "in the evening"
    assert record["budget"] == "€100" and record["interests"] == ["running shoes"]
    assert record["lang"] == "en"
    linked = assistant.customers.link("email", "alice.martin@example.com")
    assert linked == state.context["customer_id"]
    (consent,) = assistant.db.execute("SELECT purpose, granted, wording FROM consents").fetchall()
    assert consent[:2] == ("contact", 1) and consent[2] == replies[0]


def test_qualification_in_french_with_a_skipped_question(assistant):
    state, replies = talk(
        assistant,
        "fr",
        "je voudrais être recontacté",
        "oui",
        "je m'appelle Camille Roux",
        "oui",
        "camille arobase exemple point fr",
        "oui",
        "passer",  # no phone
        "les vêtements",
        "autour de cinquante euros",
        "le matin",
    )
    assert "Quelle est votre adresse e-mail" in replies[3]
    assert "camille arobase exemple point fr" in replies[4]
    assert "Qu'est-ce qui vous intéresse" in replies[6]
    record = assistant.customers.get(state.context["customer_id"])
    assert (record["name"], record["email"], record["phone"]) == (
        "Camille Roux",
        "camille@exemple.fr",
        None,
    )
    assert record["contact_time"] == "le matin" and record["budget"] == "50 €"


def test_consent_refused_keeps_nothing(assistant):
    customers = assistant.db.execute("SELECT count(*) FROM customers").fetchone()[0]
    state, replies = talk(assistant, "en", "I want a quote", "no")
    assert "haven't kept anything" in replies[1]
    assert "customer_id" not in state.context and state.pending is None
    assert assistant.db.execute("SELECT count(*) FROM customers").fetchone()[0] == customers
    assert assistant.db.execute("SELECT count(*) FROM consents").fetchone()[0] == 0


def test_stopping_half_way_keeps_only_what_was_confirmed(assistant):
    state, replies = talk(
        assistant,
        "en",
        "sign me up",
        "yes",
        "Bob Stone",
        "yes",
        "b o b at example dot org",
        "stop",
    )
    assert "keep only what you confirmed" in replies[-1] and state.pending is None
    record = assistant.customers.get(state.context["customer_id"])
    assert record["name"] == "Bob Stone" and record["email"] is None


def test_a_bad_answer_is_asked_again(assistant):
    _, replies = talk(assistant, "en", "sign me up", "yes", "Eve", "yes", "my email", "12")
    assert "couldn't read an e-mail" in replies[4]
    assert "couldn't read an e-mail" in replies[5]


def test_an_e_mail_already_known_merges_into_its_customer(assistant):
    assistant.customers.update("c-known", name="Alice M.", phone="+33611111111")
    assistant.customers.link("email", "alice@example.com", "c-known")
    state, _ = talk(
        assistant,
        "en",
        "sign me up",
        "yes",
        "Alice Martin",
        "yes",
        "a l i c e at example dot com",
        "yes",
        "skip",
        "toys",
    )
    session = assistant.db.execute("SELECT id FROM sessions").fetchone()[0]
    assert assistant.sessions.load(session).context["customer_id"] == "c-known"
    record = assistant.customers.get("c-known")
    assert record["name"] == "Alice M." and record["phone"] == "+33611111111"  # theirs win
    assert record["interests"] == ["toys"]  # asked after the merge: kept on the known record
    owners = {row[0] for row in assistant.db.execute("SELECT customer_id FROM consents")}
    assert owners == {"c-known"}
    assert (
        assistant.db.execute("SELECT count(*) FROM customers WHERE id LIKE 'lead-%'").fetchone()[0]
        == 0
    )


def test_en_francais_refus_puis_arret_en_cours_de_route(assistant):
    state, replies = talk(assistant, "fr", "je voudrais un devis", "non")
    assert "je n'ai rien gardé" in replies[1] and "customer_id" not in state.context
    assert assistant.db.execute("SELECT count(*) FROM consents").fetchone()[0] == 0
    state, replies = talk(
        assistant,
        "fr",
        "inscrivez-moi",
        "oui",
        "je m'appelle Léa Petit",
        "non",
        "Léa Petit-Durand",
        "oui",
        "l e a arobase exemple point fr",
        "stop",
    )
    assert "Quel est votre nom" in replies[3] and "Léa Petit-Durand" in replies[4]
    assert "Je ne garde que ce que vous avez confirmé" in replies[-1]
    record = assistant.customers.get(state.context["customer_id"])
    assert record["name"] == "Léa Petit-Durand" and record["email"] is None
