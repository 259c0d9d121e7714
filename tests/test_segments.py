"""Customer segments over real records in a real SQLite file: each rule of
skills/data/segments.yaml, their use by a marketing rule, and the CSV export."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import time

import pytest

from skills.assistant import Assistant
from skills.events import EventLog
from skills.segments import SegmentError, load_segments, members, segments_of

DAY = 86_400.0
NOW = time.time()


@pytest.fixture
def shop(shop_copy):
    assistant = Assistant(shop_copy)
    toy = assistant.db.execute(
        "SELECT id, title_en, price FROM products WHERE category LIKE 'Toys%' LIMIT 1"
    ).fetchone()
    line = {
        "product_id": toy[0],
        "title": toy[1],
        "price": toy[2],
        "currency": "EUR",
        "quantity": 1,
        "sku": None,
        "variant": "",
    }

    def order(customer, number, days_ago, discount=None):
        placed = {
            "id": f"{customer}-{number}",
            "lines": [line],
            "total": toy[2],
            "currency": "EUR",
            "discount": {"percent": discount} if discount else None,
        }
        assistant.orders.add(placed, "s", customer, at=NOW - days_ago * DAY)

    log = EventLog(shop_copy)
    for customer in ("bargain", "loyal", "eager", "sleeper", "fan"):
        assistant.customers.ensure(customer)
    order("bargain", 1, 3, discount=10)
    for n in range(5):
        order("loyal", n, 10 + n)
    log.write("s-eager", "eager", [{"kind": "added_to_cart"}] * 2, NOW - 2 * DAY)
    log.write("s-sleeper", "sleeper", [{"kind": "intent"}], NOW - 40 * DAY)
    assistant.customers.update("fan", interests=["Sports"])
    return assistant, shop_copy


def test_each_segment_finds_its_customers(shop):
    assistant, _ = shop
    found = {
        c: segments_of(assistant.db, c, NOW)
        for c in ("bargain", "loyal", "eager", "sleeper", "fan")
    }
    assert "bargain_hunter" in found["bargain"] and "likes_toys" in found["bargain"]
    assert "loyal" in found["loyal"] and "bargain_hunter" not in found["loyal"]
    assert found["eager"] == ["high_intent"]
    assert found["sleeper"] == ["inactive_30_days"]
    assert found["fan"] == ["likes_sports"]
    assert members(assistant.db, "likes_toys", NOW) == ["bargain", "loyal"]


def test_a_marketing_rule_speaks_to_a_segment(shop):
    assistant, _ = shop
    reply = assistant.ask("hello", None, "en", context={"customer_id": "sleeper"})
    assert "been a while" in reply.reply.text
    assert assistant.sessions.load(reply.session_id).discount["percent"] == 5
    other = assistant.ask("hello", None, "en", context={"customer_id": "eager"})
    assert "been a while" not in other.reply.text


def test_unknown_segments_and_facts_are_refused(shop, tmp_path):
    assistant, _ = shop
    with pytest.raises(SegmentError, match="No segment 'vip'"):
        members(assistant.db, "vip")
    bad = tmp_path / "segments.yaml"
    bad.write_text("segments: {vip: {shoe_size: 42}}")
    with pytest.raises(SegmentError, match="shoe_size"):
        load_segments(str(bad))


def test_the_export_holds_only_members_who_accept_marketing(shop, tmp_path):
    assistant, path = shop
    assistant.customers.update("loyal", name="Léa Petit", email="lea@example.com")
    assistant.customers.record_consent("loyal", "marketing", True, "yes")
    out = tmp_path / "toys.csv"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "skills.cli",
            "segments",
            "export",
            "likes_toys",
            "--db",
            path,
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [(r["customer_id"], r["name"], r["email"]) for r in rows] == [
        ("loyal", "Léa Petit", "lea@example.com")
    ]
    assert "1 without marketing consent left out" in done.stderr
    wrong = subprocess.run(
        [sys.executable, "-m", "skills.cli", "segments", "export", "vip", "--db", path],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert wrong.returncode == 2 and "No segment" in wrong.stderr
