"""Consent, export, erasure and retention, through the assistant on a real SQLite
file: what the customer hears, and what is (and is not) left in the database."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from skills.assistant import Assistant, UnknownSessionError
from skills.retention import purge

ADD = "add the Joujou Eco Building Blocks to my cart"
PERSON = {"name": "Alice Martin", "email": "alice.martin@example.com", "phone": "+33612345678"}


@pytest.fixture
def db_path(shop_copy) -> str:
    return shop_copy


def _full_customer(assistant: Assistant, customer: str, person: dict) -> str:
    """A customer the shop knows a lot about: record, consents, a link, a cart kept,
    an order and its invoice, a complaint, follow-ups, turns in the event log."""
    assistant.customers.update(customer, **person, interests=["toys"])
    assert assistant.customers.link("alexa", f"amzn1.{customer}", customer) == customer
    for purpose in ("marketing", "recordings"):
        assistant.customers.record_consent(customer, purpose, True, "yes")
    context = {"customer_id": customer}
    session = assistant.ask(ADD, None, "en", context=context).session_id
    for text in ("tell me a joke", "check out", "yes", "my parcel arrived damaged", "no"):
        assistant.ask(text, session)
    left = assistant.ask(ADD, None, "en", context=context).session_id  # a cart left behind
    assistant.followups.note(customer, "big_cart_advice", "sms", [], left, f"rule:x:{left}")
    assistant.ask("I want last month's invoice", left)
    assistant.ask("I want to talk to someone", left)  # queued for an adviser
    handoff = assistant.handoffs.active(left)
    assistant.handoffs.claim(handoff.id, "ana")
    assistant.handoffs.reply(handoff.id, "ana", f"Hello {person.get('name', '')}")
    assistant.ask("thanks", left)
    assistant.callbacks.book(1e10, person.get("phone", "+33600000000"), left, "en", customer, "…")
    return session


def _mentions(db_path: str, needles: list[str]) -> dict[str, int]:
    """Rows of every table with a text cell containing one of `needles`."""
    found: dict[str, int] = {}
    with sqlite3.connect(db_path) as conn:
        tables = [
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not row[0].startswith(("products_fts", "sqlite_"))
        ]
        for table in tables:
            for row in conn.execute(f"SELECT * FROM [{table}]"):
                text = " ".join(str(cell) for cell in row if cell is not None)
                if any(needle in text for needle in needles):
                    found[table] = found.get(table, 0) + 1
    return found


def test_erasure_leaves_nothing_that_points_to_the_customer(db_path):
    assistant = Assistant(db_path)
    session = _full_customer(assistant, "c-alice", PERSON)
    _full_customer(assistant, "c-bob", {"name": "Bob Stone", "email": "bob@example.org"})
    needles = ["c-alice", PERSON["email"], PERSON["phone"], PERSON["name"], session]
    before = _mentions(db_path, needles)
    assert {
        "customers",
        "consents",
        "sessions",
        "events",
        "orders",
        "invoices",
        "tickets",
        "followups",
        "saved_carts",
        "customer_links",
    } <= set(before)
    orders = assistant.db.execute("SELECT count(*) FROM orders").fetchone()[0]
    assistant.customers.erase("c-alice")
    assert _mentions(db_path, needles) == {}
    assert assistant.db.execute("SELECT count(*) FROM orders").fetchone()[0] == orders
    assert assistant.db.execute("SELECT count(*) FROM erasures").fetchone()[0] == 1
    bob = _mentions(db_path, ["c-bob"])
    assert {"customers", "sessions", "events", "tickets", "handoffs", "callbacks"} <= set(bob)
    with pytest.raises(UnknownSessionError):
        assistant.ask("hello", session)


def test_the_export_holds_every_row_about_the_customer(db_path):
    assistant = Assistant(db_path)
    _full_customer(assistant, "c-alice", PERSON)
    _full_customer(assistant, "c-bob", {"name": "Bob Stone"})
    data = assistant.customers.export("c-alice")
    assert data["customer"]["email"] == PERSON["email"] and data["customer"]["id"] == "c-alice"
    assert data["customer"]["interests"] == ["toys"]
    assert data["consents_now"]["marketing"] is True
    mentions = _mentions(db_path, ["c-alice"])
    for table, count in mentions.items():
        if table in ("sessions", "customers", "agent_messages"):
            continue  # the record, the sessions and the messages are checked below
        assert len(data[table]) == count, table
    assert [m["text"] for m in data["agent_messages"]] == ["Hello Alice Martin"]
    sessions = [s["state"]["context"]["customer_id"] for s in data["sessions"]]
    assert sessions == ["c-alice"] * mentions["sessions"]
    assert "c-bob" not in json.dumps(data)


def test_what_do_you_know_about_me_and_forget_me_by_voice(db_path):
    assistant = Assistant(db_path)
    _full_customer(assistant, "c-alice", PERSON)
    session = assistant.ask(
        "what do you know about me", None, "en", context={"customer_id": "c-alice"}
    ).session_id
    summary = assistant.sessions.load(session).last_reply
    for words in (
        "Alice Martin",
        "alice.martin@example.com",
        "your phone number",
        "1 orders",
        "offers yes",
        "forget you",
    ):
        assert words in summary, summary
    assert "Shall I erase everything" in assistant.ask("forget me", session).reply.text
    done = assistant.ask("yes", session).reply
    assert "erased" in done.text and done.end_session
    assert assistant.customers.get("c-alice") is None
    assert _mentions(db_path, ["c-alice", PERSON["email"]]) == {}


def test_forget_me_declined_keeps_everything(db_path):
    assistant = Assistant(db_path)
    session = assistant.ask("forget me", None, "en", context={"customer_id": "c-1"}).session_id
    assert "kept" in assistant.ask("no", session).reply.text
    assert assistant.customers.get("c-1") is not None


def test_in_french(db_path):
    assistant = Assistant(db_path)
    assistant.customers.update("c-fr", name="Camille Roux")
    context = {"customer_id": "c-fr"}
    said = assistant.ask("que savez-vous de moi", None, "fr", context=context).reply.text
    assert "Camille Roux" in said and "offres non" in said
    session = assistant.ask("arrêtez de m'envoyer des offres", None, "fr", context=context)
    assert "plus de offres" in session.reply.text or "plus d" in session.reply.text
    forget = assistant.ask("oubliez-moi", session.session_id).reply.text
    assert "J'efface" in forget
    assert "effacé" in assistant.ask("oui", session.session_id).reply.text
    assert assistant.customers.get("c-fr") is None


def test_an_anonymous_shopper_is_told_nothing_is_kept(db_path):
    reply = Assistant(db_path).ask("what do you know about me", None, "en").reply
    assert "hold nothing" in reply.text


def test_withdrawal_is_recorded_with_its_wording_and_time(db_path):
    assistant = Assistant(db_path)
    session = assistant.ask("hello", None, "en", context={"customer_id": "c-2"}).session_id
    assistant.customers.record_consent("c-2", "recordings", True, "yes")
    assert (
        "no more conversation records"
        in assistant.ask("stop recording my conversations", session).reply.text
    )
    rows = assistant.db.execute(
        "SELECT purpose, granted, wording, session_id FROM consents WHERE customer_id = 'c-2' "
        "ORDER BY id"
    ).fetchall()
    assert rows[-1] == ("recordings", 0, "stop recording my conversations", session)


def test_turns_not_understood_keep_their_words_only_with_consent(db_path):
    assistant = Assistant(db_path)
    for customer, consent in (("c-yes", True), ("c-no", False)):
        assistant.customers.record_consent(customer, "recordings", consent, "…")
        session = assistant.ask("hello", None, "en", context={"customer_id": customer})
        assistant.ask("tell me a joke", session.session_id)
    texts = dict(
        assistant.db.execute(
            "SELECT customer_id, json_extract(data, '$.text') FROM events "
            "WHERE kind = 'intent' AND json_extract(data, '$.understood') = 0"
        ).fetchall()
    )
    assert texts == {"c-yes": "tell me a joke", "c-no": None}


def test_purge_removes_conversation_text_older_than_the_retention(db_path):
    assistant = Assistant(db_path)
    _full_customer(assistant, "c-old", PERSON)
    conn = sqlite3.connect(db_path, isolation_level=None)
    assert purge(conn, days=90).sessions == 0  # all recent
    later = __import__("time").time() + 91 * 86_400
    done = purge(conn, days=90, now=later)
    assert done.sessions >= 2 and done.event_texts >= 1 and done.ticket_transcripts == 1
    left = conn.execute("SELECT count(*) FROM events WHERE data LIKE '%joke%'").fetchone()[0]
    assert left == 0
    assert conn.execute("SELECT transcript FROM tickets").fetchone() == ("[]",)
    assert conn.execute("SELECT count(*) FROM orders WHERE customer_id = 'c-old'").fetchone()[0]


def _cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "skills.cli", *args], capture_output=True, text=True, timeout=120
    )


def test_the_commands_export_erase_and_purge(db_path):
    _full_customer(Assistant(db_path), "c-cli", PERSON)
    done = _cli("customer", "export", "c-cli", "--db", db_path)
    assert done.returncode == 0 and json.loads(done.stdout)["customer"]["name"] == "Alice Martin"
    assert _cli("customer", "export", "c-nobody", "--db", db_path).returncode == 2
    assert _cli("customer", "erase", "c-cli", "--db", db_path, "--yes").returncode == 0
    assert _mentions(db_path, ["c-cli", PERSON["email"]]) == {}
    purged = _cli("purge", "--db", db_path, "--days", "30")
    assert purged.returncode == 0 and "purged text older than 30 days" in purged.stdout
