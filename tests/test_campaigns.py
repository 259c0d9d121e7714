"""The marketing rules: conversations (tests/campaigns/conversations.yaml) through
the assistant on a real SQLite file, the rules file's validation, conditions,
forecasts, the arrival context, and what turns leave in the event log and orders."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from catalog.lookup import get_product
from skills.assistant import Assistant, TurnInputError
from skills.campaigns.facts import holds
from skills.campaigns.rules import RULES_FILE, RulesError, load_rules, parse_rules
from skills.campaigns.weather import FileWeather, WeatherError

HERE = Path(__file__).parent
CLOCK = datetime(2026, 1, 14, 10, 0, tzinfo=timezone.utc)
CONVERSATIONS = yaml.safe_load((HERE / "campaigns" / "conversations.yaml").read_text())[
    "conversations"
]


@pytest.fixture
def assistant(shop_copy) -> Assistant:
    weather = FileWeather(HERE / "data" / "weather.json")
    return Assistant(shop_copy, weather=weather, clock=lambda: CLOCK)


def test_both_languages_have_rule_conversations():
    langs = [c["lang"] for c in CONVERSATIONS]
    assert langs.count("en") >= 15 and langs.count("fr") >= 7


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=[c["name"] for c in CONVERSATIONS])
def test_rule_conversation(conversation, assistant):
    context = conversation.get("context")
    for number in range(conversation.get("past_orders", 0)):
        order = {"id": f"OLD{number}", "lines": [], "total": 30.0, "currency": "EUR"}
        assistant.orders.add(order, "earlier", context["customer_id"])
    session = None
    for number, turn in enumerate(conversation["turns"], 1):
        result = assistant.ask(turn["say"], session, conversation["lang"], context=context)
        session, reply = result.session_id, result.reply
        where = f"turn {number} {turn['say']!r} → {reply.intent}: {reply.text!r}"
        for word in turn.get("reply", []):
            assert word.lower() in reply.text.lower(), f"{word!r} missing: {where}"
        for word in turn.get("not_reply", []):
            assert word.lower() not in reply.text.lower(), f"{word!r} said: {where}"
        if "intent" in turn:
            assert reply.intent == turn["intent"], where
        if "discount" in turn:
            held = assistant.sessions.load(session).discount
            assert (held and held["percent"]) == turn["discount"], where
        expected = turn.get("products")
        if expected and "min" in expected:
            assert len(reply.products) >= expected["min"], where
        if expected and "titles" in expected:
            titles = [get_product(assistant.db, p["id"]).title_en for p in reply.products]
            assert len(titles) == len(expected["titles"]), where
            for title, wanted in zip(titles, expected["titles"], strict=True):
                assert wanted in title, where


def test_a_discount_is_taken_off_the_order_and_recorded(assistant):
    context = {"campaign": "winter-mailing", "customer_id": "c-42"}
    session = assistant.ask("hello", None, "en", context=context).session_id
    for text in ("winter ten", "add the Joujou Eco Building Blocks to my cart", "checkout"):
        assistant.ask(text, session)
    cart_total = assistant.sessions.load(session).cart_total()
    assert "order" in assistant.ask("yes", session).reply.text
    row = assistant.db.execute(
        "SELECT customer_id, total, discount_percent FROM orders WHERE session_id = ?", [session]
    ).fetchone()
    assert row == ("c-42", round(cart_total * 0.9, 2), 10.0)
    assert assistant.orders.count_for("c-42") == 1


def test_a_rule_fires_once_a_session(assistant):
    session = assistant.ask("hello", None, "en", context={"country": "BE"}).session_id
    assert "Belgium" not in assistant.ask("hello", session).reply.text


def test_turns_write_the_funnel_events(assistant):
    context = {"campaign": "winter-mailing", "customer_id": "c-7"}
    session = assistant.ask("show me face creams", None, "en", context=context).session_id
    for text in ("add the Joujou Eco Building Blocks to my cart", "checkout", "yes"):
        assistant.ask(text, session)
    rows = assistant.db.execute(
        "SELECT kind, customer_id, data FROM events WHERE session_id = ? ORDER BY id", [session]
    ).fetchall()
    kinds = [kind for kind, _, _ in rows]
    for kind in ("session_start", "products_proposed", "added_to_cart", "checkout_confirmed"):
        assert kind in kinds
    assert kinds.index("products_proposed") < kinds.index("added_to_cart")
    assert {customer for _, customer, _ in rows} == {"c-7"}
    fired = [json.loads(data)["rule"] for kind, _, data in rows if kind == "rule_fired"]
    assert "promo_code_from_coupon_campaign" in fired and "free_delivery" in fired
    assert kinds.count("intent") == 4


def test_a_refused_turn_writes_no_event(assistant):
    session = assistant.ask("hello", None, "en").session_id
    before = assistant.db.execute("SELECT count(*) FROM events").fetchone()[0]
    with pytest.raises(TurnInputError):
        assistant.ask("x" * 600, session)
    assert assistant.db.execute("SELECT count(*) FROM events").fetchone()[0] == before


@pytest.mark.parametrize(
    "context, words",
    [
        ({"country": "Belgium"}, "country"),
        ({"timezone": "Mars/Olympus"}, "time zone"),
        ({"coupon": True}, "coupon"),
        ("winter-mailing", "object"),
        ({"customer_id": ""}, "customer_id"),
    ],
)
def test_a_bad_arrival_context_is_refused_before_a_session_starts(assistant, context, words):
    sessions = assistant.db.execute("SELECT count(*) FROM sessions").fetchone()[0]
    with pytest.raises(TurnInputError, match=words):
        assistant.ask("hello", None, "en", context=context)
    assert assistant.db.execute("SELECT count(*) FROM sessions").fetchone()[0] == sessions


# -- the rules file --------------------------------------------------------------------


def test_the_shop_rules_file_is_valid():
    rules = load_rules(str(RULES_FILE))
    assert {r.trigger for r in rules.rules} >= {"session_start", "cart_changed"}
    assert rules.campaigns["winter-mailing"].codes["WINTER10"].percent == 10


GOOD_RULE = {"id": "r", "trigger": "session_start", "do": [{"say": {"en": "Hi", "fr": "Salut"}}]}


@pytest.mark.parametrize(
    "change, words",
    [
        ({"trigger": "lunchtime"}, "trigger"),
        ({"when": {"moon": "full"}}, "unknown fact 'moon'"),
        ({"when": {"cart_value": {"above": 3}}}, "min, max or not"),
        ({"do": [{"say": {"en": "Hi"}}]}, "fr"),
        ({"do": [{"say": {"en": "Hi {nickname}", "fr": "Salut"}}]}, "{nickname}"),
        ({"do": [{"shout": {"en": "HI"}}]}, "shout"),
        ({"do": [{"say": {"en": "a", "fr": "b"}, "discount": {"percent": 5}}]}, "exactly one"),
        ({"do": [{"discount": {"percent": 150}}]}, "percent"),
        ({"do": []}, "do"),
    ],
)
def test_a_broken_rule_is_refused_with_its_place(change, words):
    with pytest.raises(RulesError) as error:
        parse_rules({"rules": [{**GOOD_RULE, **change}]}, "shop.yaml")
    message = str(error.value)
    assert message.startswith("shop.yaml: rules.0") and words in message


def test_rule_ids_and_codes_are_checked():
    with pytest.raises(RulesError, match="unique: r"):
        parse_rules({"rules": [GOOD_RULE, GOOD_RULE]})
    with pytest.raises(RulesError, match="letters and digits"):
        parse_rules({"campaigns": {"x": {"codes": {"WIN-10": {"percent": 10}}}}})


def test_an_unreadable_rules_file_names_itself(tmp_path):
    broken = tmp_path / "rules.yaml"
    broken.write_text("rules: [unclosed")
    with pytest.raises(RulesError, match="rules.yaml: not valid YAML"):
        load_rules(str(broken))
    with pytest.raises(RulesError, match="cannot read"):
        load_rules(str(tmp_path / "missing.yaml"))


@pytest.mark.parametrize(
    "test, value, expected",
    [
        ("snow", ["rain", "snow"], True),
        ("snow", ["rain"], False),
        (["BE", "LU"], "lu", True),
        ({"min": 50}, 49.99, False),
        ({"min": 50}, 50.0, True),
        ({"min": 1, "max": 2}, 2, True),
        ({"min": 1, "max": 2}, 3, False),
        ({"not": "FR"}, "BE", True),
        ({"not": ["FR", "BE"]}, "BE", False),
        (True, False, False),
        (False, None, False),  # an unknown fact never passes, not even a negative test
        ({"not": "FR"}, None, False),
    ],
)
def test_conditions(test, value, expected):
    assert holds(test, value) is expected


def test_a_broken_forecast_file_is_named(tmp_path):
    broken = tmp_path / "weather.json"
    broken.write_text(json.dumps({"regions": {"Lyon": [{"date": "tomorrow"}]}}))
    with pytest.raises(WeatherError, match="weather.json: not a forecast file"):
        FileWeather(broken)


def test_forecasts_look_at_today_and_tomorrow():
    weather = FileWeather(HERE / "data" / "weather.json")
    day = CLOCK.date()
    assert weather.conditions("ANNECY", day) == {"snow"}  # tomorrow
    assert weather.conditions("Annecy", day.replace(day=16)) == set()
    assert weather.conditions("Nowhere", day) == set()


def test_rules_need_no_internet_nor_another_table(tmp_path):
    """The events and orders tables are created with the database, in one file."""
    assistant = Assistant(str(tmp_path / "fresh.db"))
    tables = {
        row[0]
        for row in sqlite3.connect(tmp_path / "fresh.db").execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
        )
    }
    assert {"sessions", "events", "orders"} <= tables
    assert assistant.orders.count_for("nobody") == 0


def test_an_aside_comes_before_the_closing_question(assistant):
    text = assistant.ask("hello", None, "en", context={"country": "BE"}).reply.text
    assert text.endswith("?") and text.index("Belgium") < text.rindex("What")
    coupon = {"campaign": "winter-mailing", "country": "BE"}
    text = assistant.ask("hello", None, "en", context=coupon).reply.text
    assert text.endswith("Do you have a promo code from our offer?")


def test_time_of_day_referrer_and_past_orders_conditions(shop_copy, tmp_path, monkeypatch):
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        """
rules:
  - id: night_owl
    trigger: session_start
    when: {hour: {min: 22}}
    do: [{say: {en: "Shopping late tonight?", fr: "On fait ses achats tard ?"}}]
  - id: from_the_blog
    trigger: session_start
    when: {referrer: style-blog, past_orders: 0}
    do: [{say: {en: "Welcome, blog reader.", fr: "Bienvenue, lecteur du blog."}}]
"""
    )
    monkeypatch.setenv("VOICESHOP_RULES", str(rules))
    late = datetime(2026, 1, 14, 21, 30, tzinfo=timezone.utc)  # 22:30 in Paris
    assistant = Assistant(shop_copy, clock=lambda: late)
    text = assistant.ask("hello", None, "en").reply.text
    assert "late tonight" in text and "blog" not in text
    context = {"referrer": "style-blog", "customer_id": "c-new", "timezone": "America/New_York"}
    text = assistant.ask("hello", None, "en", context=context).reply.text
    assert "blog reader" in text and "late" not in text  # 16:30 in New York
