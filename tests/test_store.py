"""Sessions in a real SQLite file: one turn at a time per session, all or nothing."""

from __future__ import annotations

import threading
import time

import pytest

from skills.dialogue.state import CartLine
from skills.store import SessionStore, UnknownSessionError


@pytest.fixture
def store(tmp_path):
    return SessionStore(str(tmp_path / "sessions.db"))


def _add_one(state):
    line = state.cart[0] if state.cart else None
    if line is None:
        state.cart.append(CartLine("P1", "Kettle", 20.0, "EUR", 0))
        line = state.cart[0]
    seen = line.quantity
    time.sleep(0.002)  # widen the window a lost update would need
    line.quantity = seen + 1


def test_concurrent_turns_on_one_session_run_one_after_the_other(store):
    session = store.create("en")
    threads = [
        threading.Thread(target=lambda: [store.turn(session, _add_one) for _ in range(10)])
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.load(session).cart[0].quantity == 40


def test_concurrent_turns_from_two_stores_on_one_file(tmp_path):
    """Two stores stand for two processes (gunicorn workers) on one database file."""
    path = str(tmp_path / "shared.db")
    first, second = SessionStore(path), SessionStore(path)
    session = first.create("en")
    threads = [
        threading.Thread(target=lambda s=s: [s.turn(session, _add_one) for _ in range(10)])
        for s in (first, second)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert first.load(session).cart[0].quantity == 20


def test_a_turn_that_fails_leaves_the_session_as_it_was(store):
    session = store.create("en")
    store.turn(session, _add_one)

    def crash_half_way(state):
        state.cart[0].quantity = 99
        state.cart.append(CartLine("P2", "Lamp", 30.0, "EUR", 1))
        raise RuntimeError("the catalogue went away")

    with pytest.raises(RuntimeError):
        store.turn(session, crash_half_way)
    state = store.load(session)
    assert [(x.product_id, x.quantity) for x in state.cart] == [("P1", 1)]


def test_idle_sessions_expire(tmp_path):
    store = SessionStore(str(tmp_path / "s.db"), idle_s=0.05)
    session = store.create("fr")
    store.turn(session, _add_one)
    time.sleep(0.1)
    with pytest.raises(UnknownSessionError, match="expired"):
        store.turn(session, _add_one)
    assert store.expire() == 1
    with pytest.raises(UnknownSessionError, match="Unknown session"):
        store.load(session)


def test_unknown_session_is_a_clear_error(store):
    with pytest.raises(UnknownSessionError, match="Unknown session 'nope'"):
        store.turn("nope", _add_one)


def test_a_named_session_starts_on_first_use_and_afresh_once_expired(shop_copy):
    from skills.assistant import Assistant

    assistant = Assistant(shop_copy, idle_s=0.5)
    first = assistant.ask("add honey to my cart", "caller-7", start_named=True)
    assert first.session_id == "caller-7" and first.new_session
    kept = assistant.ask("what's in my cart", "caller-7", start_named=True)
    assert not kept.new_session and "Honey" in kept.reply.text
    with pytest.raises(UnknownSessionError):  # without start_named, an unknown id is refused
        assistant.ask("hello", "caller-8")
    time.sleep(0.6)
    afresh = assistant.ask("what's in my cart", "caller-7", start_named=True)
    assert afresh.new_session and "empty" in afresh.reply.text
