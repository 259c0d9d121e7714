"""The demo journeys' turns, as text, through the assistant: what each spoken turn
must lead to when it is heard right (the audio path is tested in test_cli)."""

from __future__ import annotations

import pytest
import yaml

from skills.assistant import Assistant
from skills.demo import demo_journey


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_demo_journey_reaches_a_confirmed_order(lang, tmp_path):
    journey = yaml.safe_load(demo_journey(lang).read_text(encoding="utf-8"))
    assistant = Assistant(str(tmp_path / "shop.db"))
    session = None
    for turn in journey["turns"]:
        result = assistant.ask(turn["text"], session, lang)
        session = result.session_id
        expect, reply = turn["expect"], result.reply
        where = (turn["text"], reply.intent, reply.text)
        if "intent" in expect:
            assert reply.intent == expect["intent"], where
        for word in expect.get("reply_contains", []):
            assert word.lower() in reply.text.lower(), where
        if "products" in expect:
            assert len(reply.products) == expect["products"], where
    state = assistant.sessions.load(session)
    assert len(state.orders) == 1 and not state.cart
