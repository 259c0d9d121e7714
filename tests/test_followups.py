"""Abandoned carts: kept for known customers, offered back at their next session,
followed up once through `voiceshop followups`; follow-ups noted by rules. All
through the assistant on a real SQLite file."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from skills.assistant import Assistant

ADD = "add the Joujou Eco Building Blocks to my cart"
ADD_FR = "ajoute le jeu de construction éco Joujou au panier"


@pytest.fixture
def db_path(shop_copy) -> str:
    return shop_copy


def _leave_a_cart(
    assistant: Assistant, customer: str, text: str = ADD, lang: str = "en", marketing: bool = True
):
    if marketing:
        assistant.customers.record_consent(customer, "marketing", True, "yes to offers")
    session = assistant.ask(text, None, lang, context={"customer_id": customer}).session_id
    assert assistant.sessions.load(session).cart
    return session


def _age_carts(db_path: str, hours: float) -> None:
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE saved_carts SET updated_at = updated_at - ?", [hours * 3600])


def test_the_next_session_offers_the_cart_back(db_path):
    assistant = Assistant(db_path)
    _leave_a_cart(assistant, "c-1")
    first = assistant.ask("hello", None, "en", context={"customer_id": "c-1"})
    assert "Welcome back" in first.reply.text and "Building Blocks" in first.reply.text
    back = assistant.ask("yes", first.session_id)
    assert "Building Blocks" in back.reply.text
    cart = assistant.sessions.load(first.session_id).cart
    assert [(line.title, line.quantity) for line in cart] == [("Joujou Eco Building Blocks", 1)]


def test_a_declined_cart_is_forgotten(db_path):
    assistant = Assistant(db_path)
    _leave_a_cart(assistant, "c-2")
    session = assistant.ask("hello", None, "en", context={"customer_id": "c-2"}).session_id
    assert "cleared" in assistant.ask("no", session).reply.text
    assert not assistant.sessions.load(session).cart
    again = assistant.ask("hello", None, "en", context={"customer_id": "c-2"})
    assert "Welcome back" not in again.reply.text
    assert assistant.followups.due(now=10**12) == []


def test_an_ordered_cart_is_not_followed_up(db_path):
    assistant = Assistant(db_path)
    session = _leave_a_cart(assistant, "c-3")
    assistant.ask("checkout", session)
    assert "order" in assistant.ask("yes", session).reply.text
    assert assistant.followups.saved_cart("c-3") == []
    assert assistant.followups.due(now=10**12) == []


def test_anonymous_carts_are_not_kept(db_path):
    assistant = Assistant(db_path)
    session = assistant.ask(ADD, None, "en").session_id
    assert assistant.sessions.load(session).cart
    assert assistant.db.execute("SELECT count(*) FROM saved_carts").fetchone()[0] == 0


def test_the_offer_in_french(db_path):
    assistant = Assistant(db_path)
    _leave_a_cart(assistant, "c-fr", ADD_FR, "fr")
    first = assistant.ask("bonjour", None, "fr", context={"customer_id": "c-fr"})
    assert "Bon retour" in first.reply.text and "Joujou" in first.reply.text
    assert "de retour" in assistant.ask("oui", first.session_id).reply.text


def test_a_cart_left_in_english_is_offered_in_french_words(db_path):
    assistant = Assistant(db_path)
    assistant.customers.record_consent("c-lang", "marketing", True, "yes to offers")
    context = {"customer_id": "c-lang"}
    session = assistant.ask("show me hoodies", None, "en", context=context).session_id
    assistant.ask("add the second one", session, "en", context=context)
    added = assistant.ask("M", session, "en", context=context).reply.text
    assert "in navy, size M" in added
    first = assistant.ask("bonjour", None, "fr", context=context)
    assert "sweat à capuche premium Urbanfox en bleu marine, taille M" in first.reply.text
    assert "navy" not in first.reply.text and "size" not in first.reply.text


def test_an_abandoned_cart_is_handed_out_once_then_confirmed(db_path):
    assistant = Assistant(db_path)
    _leave_a_cart(assistant, "c-4")
    assert assistant.followups.due() == []  # too recent
    _age_carts(db_path, 25)
    (due,) = assistant.followups.due()
    assert (due["customer"], due["channel"], due["reason"]) == ("c-4", "email", "abandoned_cart")
    assert due["cart"][0]["title"] == "Joujou Eco Building Blocks"
    assert assistant.followups.due() == []  # never twice
    assert [f["id"] for f in assistant.followups.unsent()] == [due["id"]]
    assert assistant.followups.mark_sent([due["id"], 999]) == [999]
    assert assistant.followups.unsent() == []


def test_a_rule_can_note_a_follow_up(db_path, tmp_path, monkeypatch):
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "rules:\n"
        "  - id: big_cart\n"
        "    trigger: cart_changed\n"
        "    when: {cart_value: {min: 80}}\n"
        "    do:\n"
        "      - follow_up: {reason: big_cart_advice, channel: sms}\n"
    )
    monkeypatch.setenv("VOICESHOP_RULES", str(rules))
    assistant = Assistant(db_path)
    session = _leave_a_cart(assistant, "c-5")
    assistant.ask("one more", session)  # the rule fires once a session
    (due,) = assistant.followups.due()
    assert (due["customer"], due["channel"], due["reason"]) == ("c-5", "sms", "big_cart_advice")
    assert due["session"] == session


def _cli(db_path, *args):
    return subprocess.run(
        [sys.executable, "-m", "skills.cli", "followups", "--db", db_path, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_command_lists_json_lines_once_and_marks_them_sent(db_path):
    assistant = Assistant(db_path)
    _leave_a_cart(assistant, "c-6")
    _leave_a_cart(assistant, "c-7")
    _age_carts(db_path, 48)
    done = _cli(db_path, "--due")
    assert done.returncode == 0, done.stderr
    items = [json.loads(line) for line in done.stdout.splitlines()]
    assert sorted(i["customer"] for i in items) == ["c-6", "c-7"]
    assert _cli(db_path, "--due").stdout == ""
    ids = [str(i["id"]) for i in items]
    assert _cli(db_path, "--sent", ids[0]).returncode == 0
    unsent = [json.loads(line) for line in _cli(db_path, "--unsent").stdout.splitlines()]
    assert [str(i["id"]) for i in unsent] == ids[1:]
    wrong = _cli(db_path, "--sent", "4242")
    assert wrong.returncode == 1 and "4242" in wrong.stderr


@pytest.mark.parametrize("args", [[], ["--due", "--unsent"], ["--sent", "x"]])
def test_the_command_refuses_bad_usage(db_path, args):
    assert _cli(db_path, *args).returncode == 2


def test_without_marketing_consent_no_cart_is_followed_up(db_path):
    assistant = Assistant(db_path)
    _leave_a_cart(assistant, "c-8", marketing=False)
    _age_carts(db_path, 48)
    assert assistant.followups.due() == []
    assert assistant.followups.saved_cart("c-8")  # still offered back at the next visit


def test_withdrawing_marketing_drops_reminders_not_yet_sent(db_path):
    assistant = Assistant(db_path)
    session = _leave_a_cart(assistant, "c-9")
    assistant.followups.note("c-9", "big_cart_advice", "sms", [], session, "rule:x:1")
    reply = assistant.ask("stop sending me offers", session).reply
    assert "no more offers" in reply.text
    _age_carts(db_path, 48)
    assert assistant.followups.due() == []
    assert assistant.customers.consents("c-9")["marketing"] is False


def test_without_personalisation_the_cart_is_not_kept(db_path):
    assistant = Assistant(db_path)
    assistant.customers.record_consent("c-10", "personalisation", False, "no")
    _leave_a_cart(assistant, "c-10")
    assert assistant.followups.saved_cart("c-10") == []
