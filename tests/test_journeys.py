"""Recorded journeys: every file loads, every turn's reference text leads through the
real assistant to what the journey expects, and the checks catch a wrong outcome."""

from __future__ import annotations

from pathlib import Path

import pytest

from skills.assistant import Assistant
from skills.journeys import (
    JourneyError,
    TurnOutcome,
    check_turn,
    find_journeys,
    load_journey,
)

FIXTURES = Path(__file__).resolve().parent.parent / "audio_fixtures"
JOURNEY_FILES = find_journeys(FIXTURES)


def test_both_languages_have_several_journeys():
    langs = [load_journey(path).lang for path in JOURNEY_FILES]
    assert langs.count("en") >= 10 and langs.count("fr") >= 6


@pytest.mark.parametrize(
    "path", JOURNEY_FILES, ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}"
)
def test_reference_text_meets_every_expectation(path, tmp_path):
    journey = load_journey(path)
    assistant = Assistant(str(tmp_path / "shop.db"), demo=True)
    session = None
    for turn in journey.turns:
        context = journey.context if session is None else None
        result = assistant.ask(turn.text, session, journey.lang, context=context)
        session = result.session_id
        reply = result.reply
        outcome = TurnOutcome(
            turn.text, reply.intent, reply.slots, reply.text, reply.products, reply.end_session
        )
        assert check_turn(turn.expect, outcome, turn.text, journey.lang) == [], turn.text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_demo_journey_reaches_a_confirmed_order(lang, tmp_path):
    journey = load_journey(FIXTURES / lang / "demo" / "journey.yaml")
    assistant = Assistant(str(tmp_path / "shop.db"), demo=True)
    session = None
    for turn in journey.turns:
        session = assistant.ask(turn.text, session, lang).session_id
    state = assistant.sessions.load(session)
    assert len(state.orders) == 1 and not state.cart


def _outcome(**changes) -> TurnOutcome:
    values = dict(
        heard="show me running shoes under eighty euros",
        intent="search",
        slots={"category": "running shoes", "budget": {"max": 80.0}},
        reply="I found two running shoes under 80 euros: Trail Runner and Road Pro.",
        products=[{"id": "a", "title": "Trail Runner"}, {"id": "b", "title": "Road Pro"}],
        end_session=False,
    )
    return TurnOutcome(**{**values, **changes})


EXPECT = {
    "intent": "search",
    "slots": {"budget": {"max": 80}},
    "reply_contains": ["running shoes"],
    "products": {"min": 1, "max": 3, "title_contains": "trail"},
    "end_session": False,
}
REFERENCE = "show me running shoes under eighty euros"


def test_a_matching_outcome_passes():
    assert check_turn(EXPECT, _outcome(), REFERENCE, "en") == []


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"heard": "so many cunning shoes on the weighty rose"}, "words wrong"),
        ({"intent": "ask_sizes"}, "intent 'ask_sizes'"),
        ({"slots": {"budget": {"max": 18.0}}}, "slot budget"),
        ({"reply": "Sorry, I did not catch that."}, "lacks 'running shoes'"),
        ({"products": [{"id": str(n), "title": f"Trail {n}"} for n in range(4)]}, "at most 3"),
        ({"products": [{"id": "c", "title": "Road Pro"}]}, "contains 'trail'"),
        ({"end_session": True}, "end_session is True"),
        ({"reply_audio_s": 0.2}, "lasts 0.2 s"),
    ],
)
def test_each_missed_expectation_is_named(changes, complaint):
    failures = check_turn(EXPECT, _outcome(**changes), REFERENCE, "en")
    assert len(failures) == 1 and complaint in failures[0], failures


def test_a_faulty_journey_file_is_refused_with_its_name(tmp_path):
    path = tmp_path / "journey.yaml"
    path.write_text("lang: en\nturns:\n- audio: 01.wav\n  text: hello\n", encoding="utf-8")
    with pytest.raises(JourneyError, match=r"journey.yaml.*01.wav is missing"):
        load_journey(path)
    (tmp_path / "01.wav").write_bytes(b"")
    path.write_text(
        "lang: en\nturns:\n- audio: 01.wav\n  text: hello\n  expect: {mood: happy}\n",
        encoding="utf-8",
    )
    with pytest.raises(JourneyError, match="unknown expectations.*mood"):
        load_journey(path)
    path.write_text("lang: de\nturns: []\n", encoding="utf-8")
    with pytest.raises(JourneyError, match="non-empty 'turns'"):
        load_journey(path)
