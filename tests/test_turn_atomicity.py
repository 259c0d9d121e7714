"""A turn happens completely or not at all, on a real SQLite file: when the write of
one of its effects fails, the session, the cart and every table are exactly as
before; a retried turn id answers again without acting twice; and the funnel's
event log never holds contact details."""

from __future__ import annotations

import sqlite3

import pytest

from skills.assistant import Assistant, TurnInputError
from skills.retention import purge

CUSTOMER = {"customer_id": "c-atom"}


@pytest.fixture
def assistant(shop_copy) -> Assistant:
    return Assistant(shop_copy)


def snapshot(db_path: str) -> dict[str, list[tuple]]:
    """Every row of every table, read through a connection of its own."""
    conn = sqlite3.connect(db_path)
    tables = [
        name
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not name.startswith("sqlite_")
    ]
    rows = {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"'))) for t in tables}
    conn.close()
    return rows


def fail_writes_to(db_path: str, table: str) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute(
        f"CREATE TRIGGER fail_{table} BEFORE INSERT ON {table} "
        "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    conn.commit()
    conn.close()


def heal(db_path: str, table: str) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute(f"DROP TRIGGER fail_{table}")
    conn.commit()
    conn.close()


def start(assistant: Assistant, *turns: str, lang: str = "en") -> str:
    session = None
    for text in turns:
        session = assistant.ask(text, session, lang, context=CUSTOMER).session_id
    return session


# (the turns before, the turn whose effect fails, the table it writes, in both languages)
FAILING = [
    ("en", ("add honey to my cart", "checkout"), "yes", "orders"),
    ("fr", ("ajoute du miel au panier", "je veux passer commande"), "oui", "invoices"),
    ("en", ("hello",), "my parcel arrived damaged", "tickets"),
    ("fr", ("bonjour",), "je voudrais parler à un conseiller", "handoffs"),
    ("en", ("hello",), "stop sending me offers", "consents"),
]


@pytest.mark.parametrize(("lang", "before", "turn", "table"), FAILING)
def test_a_failing_effect_leaves_every_table_as_it_was(assistant, lang, before, turn, table):
    db = assistant.sessions.path
    session = start(assistant, *before, lang=lang)
    fail_writes_to(db, table)
    kept = snapshot(db)
    state = assistant.sessions.load(session)
    with pytest.raises(sqlite3.IntegrityError, match="disk full"):
        assistant.ask(turn, session, lang, turn_id="t-1")
    assert snapshot(db) == kept  # events, session row, orders, everything
    assert assistant.sessions.load(session) == state  # cart, pending question, history
    heal(db, table)
    assistant.ask(turn, session, lang, turn_id="t-1")  # the retry now goes through
    assert snapshot(db)[table] != kept[table]


def test_a_retried_turn_places_the_order_once(assistant):
    db = assistant.sessions.path
    session = start(assistant, "add honey to my cart", "checkout")
    fail_writes_to(db, "invoices")  # the order row goes in, its invoice fails: neither stays
    with pytest.raises(sqlite3.IntegrityError):
        assistant.ask("yes", session, turn_id="confirm-1")
    assert assistant.orders.count_for("c-atom") == 0
    heal(db, "invoices")
    first = assistant.ask("yes", session, turn_id="confirm-1")
    again = assistant.ask("yes", session, turn_id="confirm-1")  # the answer was lost
    assert "order" in first.reply.text.lower() and again.to_dict() == first.to_dict()
    assert assistant.orders.count_for("c-atom") == 1
    invoices = assistant.db.execute("SELECT count(*) FROM invoices WHERE customer_id = 'c-atom'")
    assert invoices.fetchone()[0] == 1
    history = assistant.sessions.load(session).history
    assert [turn["user"] for turn in history].count("yes") == 1
    other = assistant.ask("yes", session, turn_id="confirm-2")  # a new turn id is a new turn
    assert other.reply.text != first.reply.text


def test_turn_ids_are_checked(assistant):
    session = start(assistant, "hello")
    with pytest.raises(TurnInputError, match="turn_id must be"):
        assistant.ask("hello", session, turn_id="no spaces allowed")
    with pytest.raises(TurnInputError, match="turn_id must be"):
        assistant.ask("hello", session, turn_id=42)
    with pytest.raises(TurnInputError, match="needs the session_id"):
        assistant.ask("hello", None, turn_id="t-1")


def test_erasure_takes_the_kept_answers_with_it(assistant):
    session = start(assistant, "hello")
    assistant.ask("add honey to my cart", session, turn_id="t-honey")
    assistant.ask("forget everything you know about me", session, turn_id="t-ask")
    assistant.ask("yes", session, turn_id="t-yes")
    left = assistant.db.execute("SELECT count(*) FROM turns WHERE session_id = ?", [session])
    assert left.fetchone()[0] == 0 and assistant.customers.get("c-atom") is None


def test_contact_details_never_reach_the_event_log(assistant):
    session = start(
        assistant,
        "I'd like to be contacted",
        "yes",
        "my name is alice martin",
        "yes",
        "a l i c e dot martin at example dot com",
        "yes",
        "06 12 34 56 78",
        "yes",
    )
    record = assistant.customers.get(assistant.sessions.load(session).context["customer_id"])
    assert record["email"] == "alice.martin@example.com" and record["phone"] == "+33612345678"
    logged = " ".join(row[0] for row in assistant.db.execute("SELECT data FROM events"))
    for detail in ("alice", "Alice", "example.com", "612345678", "12 34 56 78"):
        assert detail not in logged


def test_purge_removes_contact_details_older_versions_logged(assistant):
    email = {"kind": "lead_field", "field": "email", "value": "bob@example.com"}
    phone = {"kind": "callback", "at": 1.0, "phone": "+33612345678"}
    assistant.events.write("s-old", "c-old", [email, phone])
    conn = sqlite3.connect(assistant.sessions.path, isolation_level=None)
    done = purge(conn, 365)
    logged = " ".join(row[0] for row in conn.execute("SELECT data FROM events"))
    assert done.contact_details == 2
    assert "bob@example.com" not in logged and "612345678" not in logged
    assert "email" in logged  # which field was given stays: it says nothing of the person
