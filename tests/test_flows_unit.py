"""Flows with fake stores through the turn context: what a flow decides comes back
as typed effects, and the flow itself writes nothing (the fakes have no writing
methods, so a flow that tried would fail here)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from skills.dialogue.effects import (
    ComplaintOpened,
    EraseCustomer,
    HandoffRequested,
    LeadFieldConfirmed,
    OrderCancelled,
    OrderPlaced,
)
from skills.dialogue.manager import ShoppingSkill
from skills.dialogue.state import DialogueState
from skills.orders import Order

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=timezone.utc)
HOUR = 3600.0


class FakeOrders:
    """The read-only view of orders a flow may use."""

    def __init__(self, orders: list[Order]) -> None:
        self.orders = orders

    def for_customer(self, customer_id, start=None, end=None):
        return [
            o
            for o in self.orders
            if o.customer_id == customer_id
            and (start is None or o.placed_at >= start)
            and (end is None or o.placed_at < end)
        ]


class FakeCustomers:
    def get(self, customer_id):
        return {"id": customer_id, "name": "Ana", "phone": "+33612345678", "email": None}

    def consents(self, customer_id):
        return {"contact": True, "marketing": False, "personalisation": True, "recordings": False}

    def allows(self, customer_id, purpose):
        return self.consents(customer_id)[purpose]


@pytest.fixture
def skill(demo_db):
    def make(lang="en", orders=()):
        skill = ShoppingSkill(demo_db, lang)
        skill.clock = lambda: NOW
        skill.orders = FakeOrders(list(orders))
        skill.customers = FakeCustomers()
        return skill

    return make


def _order(order_id="A1B2C3D4", hours_ago=2.0, total=42.5):
    line = {"product_id": "DEMO-000001", "title": "Item", "quantity": 1, "price": total}
    placed = NOW.timestamp() - hours_ago * HOUR
    return Order(order_id, "c-1", placed, "placed", total, "EUR", [line], "INV-1")


def _talk(skill, *turns, customer="c-1", lang="en"):
    state = DialogueState(lang=lang, context={"customer_id": customer} if customer else {})
    replies = [skill.turn(state, text) for text in turns]
    return state, replies


def test_cancelling_an_order_is_an_effect_not_a_write(skill):
    state, replies = _talk(skill(orders=[_order()]), "cancel my last order", "yes")
    assert "A1B2 C3D4" in replies[0].text
    assert replies[1].effects == [OrderCancelled("A1B2C3D4")]


def test_an_order_that_has_left_is_not_cancelled(skill):
    _, replies = _talk(skill(orders=[_order(hours_ago=48)]), "cancel my last order")
    assert "left" in replies[0].text and replies[0].effects == []


def test_checkout_places_the_order_as_an_effect(skill):
    state, replies = _talk(skill(), "add honey to my cart", "checkout", "yes")
    (placed,) = [e for e in replies[2].effects if isinstance(e, OrderPlaced)]
    assert placed.order["total"] == pytest.approx(12.17) and state.cart == []
    assert placed.order["id"] in replies[2].text.replace(" ", "")


def test_a_complaint_opens_a_ticket_and_asks_for_an_adviser(skill):
    _, replies = _talk(skill(), "my parcel arrived damaged", "yes")
    (ticket,) = [e for e in replies[0].effects if isinstance(e, ComplaintOpened)]
    assert ticket.category == "damaged"
    assert HandoffRequested("complaint") in replies[1].effects


def test_erasure_is_asked_then_an_effect(skill):
    _, replies = _talk(skill(), "forget everything you know about me", "yes")
    assert replies[0].effects == [] and EraseCustomer() in replies[1].effects


def test_a_lead_answer_is_an_effect_and_never_an_event(skill):
    _, replies = _talk(skill(), "I'd like to be contacted", "yes", "my name is ana lopez", "yes")
    assert LeadFieldConfirmed("name", "Ana Lopez") in replies[3].effects
    assert all("Ana" not in str(event) for reply in replies for event in reply.events)


def test_asking_for_a_human_requests_a_hand_off(skill):
    _, replies = _talk(skill(), "I want to talk to someone")
    assert HandoffRequested("asked") in replies[0].effects


def test_order_status_in_french_reads_the_fake_book(skill):
    _, replies = _talk(skill("fr", orders=[_order()]), "où en est ma commande", lang="fr")
    assert "A1B2 C3D4" in replies[0].text and "42,50 €" in replies[0].text
