"""After the purchase, through the assistant on a real SQLite file with a fixed
clock: where an order is, cancelling it, invoices for a relative period,
complaints recorded as tickets; and the demo orders."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

import pytest

from skills.assistant import Assistant
from skills.demo_orders import DEMO_CUSTOMERS, ensure_demo_orders
from skills.orders import DAY_S

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=timezone.utc)
T = NOW.timestamp()
# The customer's orders: id → days before NOW (a February order is "last month").
ORDERS = {"AAAA0001": 0.2, "AAAA0002": 3, "AAAA0003": 20, "AAAA0004": 26, "AAAA0005": 45}


@pytest.fixture
def assistant(shop_copy) -> Assistant:
    assistant = Assistant(shop_copy, clock=lambda: NOW)
    for number, (order_id, days) in enumerate(ORDERS.items()):
        line = {
            "product_id": "P1",
            "title": f"Item {number}",
            "price": 10.0 + number,
            "currency": "EUR",
            "quantity": 1,
            "sku": None,
            "variant": "",
        }
        order = {"id": order_id, "lines": [line], "total": 10.0 + number, "currency": "EUR"}
        assistant.orders.add(order, "earlier", "c-1", at=T - days * DAY_S)
    return assistant


def talk(assistant, lang, *turns, customer="c-1"):
    context = {"customer_id": customer} if customer else None
    session, replies = None, []
    for text in turns:
        result = assistant.ask(text, session, lang, context=context if session is None else None)
        session = result.session_id
        replies.append(result.reply)
    return session, replies


def test_where_is_my_order_follows_its_progress(assistant):
    _, (last, earlier, older) = talk(
        assistant,
        "en",
        "where is my order",
        "where is my order from 3 days ago",
        "where is my order from last month",
    )
    assert last.intent == "order_status"
    assert "AAAA 0001" in last.text and "being prepared" in last.text
    assert (
        "AAAA 0002" in earlier.text and "on its way" in earlier.text and "11 March" in earlier.text
    )
    assert "AAAA 0003" in older.text and "delivered on 22 February" in older.text


def test_in_french_with_dates_in_french(assistant):
    _, (status, invoices) = talk(
        assistant, "fr", "où est ma commande", "je veux la facture du mois dernier"
    )
    assert "en préparation" in status.text and "10 mars" in status.text
    assert "2 factures pour février 2026" in invoices.text


def test_cancel_an_order_that_has_not_left(assistant):
    session, (ask, done) = talk(assistant, "en", "cancel my last order", "yes")
    assert "Shall I cancel your order AAAA 0001" in ask.text
    assert "cancelled" in done.text and "refunded €10" in done.text
    status, invoice = assistant.db.execute(
        "SELECT o.status, i.status FROM orders o JOIN invoices i ON i.order_id = o.id "
        "WHERE o.id = 'AAAA0001'"
    ).fetchone()
    assert (status, invoice) == ("cancelled", "credited")
    assert "cancelled" in assistant.ask("where is my last order", session).reply.text
    _, (next_one,) = talk(assistant, "en", "cancel my last order")
    assert "AAAA 0002" in next_one.text and "already left" in next_one.text


def test_a_declined_cancellation_keeps_the_order(assistant):
    talk(assistant, "en", "cancel my last order", "no")
    status = assistant.db.execute("SELECT status FROM orders WHERE id = 'AAAA0001'").fetchone()
    assert status == ("placed",)


def test_another_customer_cannot_cancel_it(assistant):
    assert not assistant.orders.cancel("AAAA0001", "c-2", T)
    assert assistant.orders.cancel("AAAA0001", "c-1", T)


def test_last_months_invoices_are_read_and_offered_by_email(assistant):
    session, (listed, sent) = talk(assistant, "en", "I want last month's invoice", "yes")
    assert listed.intent == "invoice" and listed.slots["period"] == "last month's"
    assert "2 invoices from February 2026" in listed.text
    assert "12 February" in listed.text and "18 February" in listed.text
    assert "e-mail" in sent.text
    (due,) = assistant.followups.due(now=T)
    assert due["customer"] == "c-1" and due["channel"] == "email"
    assert due["reason"] == "send_invoice F2026-AAAA0003 F2026-AAAA0004"


def test_one_invoice_is_read_briefly(assistant):
    _, (reply,) = talk(assistant, "en", "send me the invoice from three weeks ago")
    assert "order AAAA 0003" in reply.text and "Item 2" in reply.text and "€12" in reply.text


def test_no_invoice_in_the_period(assistant):
    _, (reply,) = talk(assistant, "en", "the invoice for december 2024")
    assert "can't find an invoice from December 2024" in reply.text


def test_an_unknown_customer_is_asked_to_sign_in(assistant):
    _, (reply,) = talk(assistant, "en", "where is my order", customer=None)
    assert "sign in" in reply.text
    _, (reply,) = talk(assistant, "en", "where is my order", customer="c-new")
    assert "any order" in reply.text


@pytest.mark.parametrize(
    "lang, said, category",
    [
        ("en", "my parcel arrived damaged", "damaged"),
        ("en", "I received the wrong size", "wrong_item"),
        ("en", "my order never arrived", "late"),
        ("en", "I want to make a complaint", "other"),
        ("fr", "mon colis est arrivé abîmé", "damaged"),
        ("fr", "j'ai reçu la mauvaise couleur", "wrong_item"),
        ("fr", "ma commande n'est jamais arrivée", "late"),
    ],
)
def test_a_complaint_is_a_ticket_with_the_conversation(assistant, lang, said, category):
    session, (_, reply) = talk(assistant, lang, "hello" if lang == "en" else "bonjour", said)
    assert reply.intent == "complaint"
    row = assistant.db.execute(
        "SELECT id, category, customer_id, transcript FROM tickets WHERE session_id = ?",
        [session],
    ).fetchone()
    assert row[1:3] == (category, "c-1")
    ticket = assistant.tickets.get(row[0])
    assert ticket["transcript"][-1]["user"].lower() == said.lower()
    handoff = assistant.ask("yes" if lang == "en" else "oui", session).reply
    assert assistant.sessions.load(session).handoff and handoff.text


def test_declining_the_adviser_names_the_ticket(assistant):
    session, (reply, declined) = talk(assistant, "en", "my parcel arrived damaged", "no")
    ticket = assistant.db.execute("SELECT id FROM tickets").fetchone()[0]
    assert f"{ticket[:4]} {ticket[4:]}" in declined.text
    assert not assistant.sessions.load(session).handoff


def test_demo_orders_are_made_once_for_both_demo_customers(tmp_path):
    assistant = Assistant(str(tmp_path / "demo.db"), demo=True)
    counts = [len(assistant.orders.for_customer(c)) for c in DEMO_CUSTOMERS]
    assert counts == [9, 9]
    assert ensure_demo_orders(assistant.orders, assistant.db, T) == 0
    statuses = {o.status for o in assistant.orders.for_customer("demo-camille")}
    assert statuses == {"placed", "cancelled"}
    with sqlite3.connect(tmp_path / "demo.db") as conn:
        invoices = conn.execute("SELECT count(*) FROM invoices").fetchone()[0]
    assert invoices == 18
