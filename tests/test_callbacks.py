"""Outside the advisers' hours a request for a human becomes a callback booked at a
time the customer says: time parsing in both languages, the dialogue through the
assistant on a real SQLite file with a fixed clock, and `voiceshop callbacks`."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timezone

import pytest
from text_to_num import alpha2digit

from skills.assistant import Assistant
from skills.callbacks import callback_time
from skills.nlu.language import load_language
from skills.nlu.normalize import normalize_text
from skills.schedule import ADVISERS_FILE, ScheduleError, load_hours

TUESDAY_EVENING = datetime(2026, 3, 10, 19, 30, tzinfo=timezone.utc)  # 20:30 in Paris
SUNDAY_NOON = datetime(2026, 3, 15, 11, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "lang, said, now, expected",
    [
        ("en", "tomorrow morning", TUESDAY_EVENING, "2026-03-11 10:00"),
        ("en", "tomorrow at ten", TUESDAY_EVENING, "2026-03-11 10:00"),
        ("en", "friday at 3 pm", TUESDAY_EVENING, "2026-03-13 15:00"),
        ("en", "at 4", TUESDAY_EVENING, "2026-03-11 16:00"),  # a time alone: the next one
        ("en", "monday afternoon", TUESDAY_EVENING, "2026-03-16 15:00"),
        ("en", "tomorrow at noon", TUESDAY_EVENING, "2026-03-11 12:00"),
        ("en", "call me tomorrow at 9:30 please", TUESDAY_EVENING, "2026-03-11 09:30"),
        ("fr", "demain vers dix heures", TUESDAY_EVENING, "2026-03-11 10:00"),
        ("fr", "demain matin", TUESDAY_EVENING, "2026-03-11 10:00"),
        ("fr", "vendredi à quinze heures trente", TUESDAY_EVENING, "2026-03-13 15:30"),
        ("fr", "lundi après-midi", SUNDAY_NOON, "2026-03-16 15:00"),
        ("fr", "jeudi à 9h", TUESDAY_EVENING, "2026-03-12 09:00"),
        ("en", "whenever", TUESDAY_EVENING, None),
        ("en", "tomorrow", TUESDAY_EVENING, None),  # a day without an hour: asked again
    ],
)
def test_callback_times(lang, said, now, expected):
    text = alpha2digit(normalize_text(said, lang), lang, threshold=0)
    moment = callback_time(text, load_language(lang).lexicon, lang, now, "Europe/Paris")
    assert (moment.strftime("%Y-%m-%d %H:%M") if moment else None) == expected
    if moment:
        assert str(moment.tzinfo) == "Europe/Paris"


def test_the_shop_hours():
    hours = load_hours(str(ADVISERS_FILE))
    assert hours.is_open(datetime(2026, 3, 10, 9, tzinfo=timezone.utc))  # 10:00 Tuesday
    assert not hours.is_open(TUESDAY_EVENING) and not hours.is_open(SUNDAY_NOON)
    said = hours.describe("en", "to")
    assert said == "Monday to Friday, 9:00 to 18:00; Saturday, 10:00 to 16:00"
    assert hours.describe("fr", "au").startswith("lundi au vendredi, 9:00 au 18:00")


def test_broken_hours_are_named(tmp_path):
    bad = tmp_path / "advisers.yaml"
    bad.write_text("hours: {mon: '18:00-09:00'}")
    with pytest.raises(ScheduleError, match="hours.mon"):
        load_hours(str(bad))


@pytest.fixture
def db_path(shop_copy, monkeypatch) -> str:
    monkeypatch.setenv("VOICESHOP_ADVISERS", str(ADVISERS_FILE))  # the shop's real hours
    return shop_copy


def _talk(assistant, lang, *turns, context=None):
    session, replies = None, []
    for text in turns:
        result = assistant.ask(text, session, lang, context=context if session is None else None)
        session, replies = result.session_id, [*replies, result.reply.text]
    return session, replies


def test_after_hours_a_callback_is_booked_with_the_number_read_back(db_path):
    assistant = Assistant(db_path, clock=lambda: TUESDAY_EVENING)
    session, replies = _talk(
        assistant,
        "en",
        "I want to talk to someone",
        "Sunday at 10",  # closed then
        "tomorrow morning",
        "my number is 06 12 34 56 78",
        "yes",
    )
    assert "Monday to Friday, 9:00 to 18:00" in replies[0] and "callback" in replies[0]
    assert "not there at that time" in replies[1]
    assert "which number" in replies[2].lower()
    assert "0 6, 1 2, 3 4, 5 6, 7 8" in replies[3]
    assert "11 March at 10:00" in replies[4]
    (booked,) = assistant.callbacks.upcoming(since=TUESDAY_EVENING.timestamp())
    assert booked["phone"] == "+33612345678" and booked["session_id"] == session
    assert booked["at"] == datetime(2026, 3, 11, 9, 0, tzinfo=timezone.utc).timestamp()
    assert "asked to talk to an adviser" in booked["summary"]
    assert assistant.handoffs.active(session) is None  # no adviser queue at night


def test_a_known_customer_with_a_phone_is_not_asked_for_it(db_path):
    assistant = Assistant(db_path, clock=lambda: TUESDAY_EVENING)
    assistant.customers.update("c-1", phone="+33698765432")
    _, replies = _talk(
        assistant,
        "fr",
        "je veux parler à un conseiller",
        "demain vers dix heures",
        context={"customer_id": "c-1"},
    )
    assert "rappeler" in replies[0]
    assert "11 mars à 10:00" in replies[1]
    (booked,) = assistant.callbacks.upcoming(since=TUESDAY_EVENING.timestamp())
    assert booked["phone"] == "+33698765432" and booked["customer_id"] == "c-1"


def test_a_wrong_number_is_asked_again_and_corrected(db_path):
    assistant = Assistant(db_path, clock=lambda: TUESDAY_EVENING)
    _, replies = _talk(
        assistant,
        "en",
        "talk to a human",
        "tomorrow at 11",
        "12",
        "06 11 22 33 44",
        "no",
        "06 12 34 56 78",
        "yes",
    )
    assert "digit by digit" in replies[2]
    assert "0 6, 1 1, 2 2, 3 3, 4 4" in replies[3]
    assert "which number" in replies[4].lower()
    assert "11:00" in replies[6]
    assert [b["phone"] for b in assistant.callbacks.upcoming(0)] == ["+33612345678"]


def test_during_hours_the_conversation_is_queued_for_an_adviser(db_path):
    open_now = datetime(2026, 3, 10, 9, tzinfo=timezone.utc)
    assistant = Assistant(db_path, clock=lambda: open_now)
    session, replies = _talk(assistant, "en", "I want to talk to someone")
    assert "adviser" in replies[0] and assistant.handoffs.active(session).reason == "asked"


def test_the_command_lists_upcoming_callbacks(db_path):
    assistant = Assistant(db_path, clock=lambda: TUESDAY_EVENING)
    _talk(assistant, "en", "talk to a human", "tomorrow morning", "06 12 34 56 78", "yes")
    done = subprocess.run(
        [sys.executable, "-m", "skills.cli", "callbacks", "--db", db_path, "--json", "--all"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.splitlines()
    assert json.loads(line)["phone"] == "+33612345678"


def test_in_french_during_hours_the_adviser_answers_through_the_assistant(db_path):
    open_now = datetime(2026, 3, 10, 9, tzinfo=timezone.utc)
    assistant = Assistant(db_path, clock=lambda: open_now)
    session, replies = _talk(
        assistant, "fr", "montre-moi des robes", "je veux parler à un conseiller"
    )
    handoff = assistant.handoffs.active(session)
    assert "conseiller" in replies[1] and handoff.lang == "fr"
    assert "(fr) asked to talk to an adviser" in handoff.summary and "robes" in handoff.summary
    assistant.handoffs.claim(handoff.id, "ana")
    assistant.handoffs.reply(handoff.id, "ana", "Bonjour, je suis Ana.")
    relayed = assistant.ask("bonjour", session).reply
    assert relayed.text == "Bonjour, je suis Ana." and relayed.intent == "relayed"
    assert assistant.ask("merci", session).reply.text.startswith("Votre conseiller a votre message")
