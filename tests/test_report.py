"""The funnel report over a seeded event log in a real SQLite file: figures, the
date filter, the rules' conversion, what was not understood, the PNG and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timezone

import pytest
from matplotlib import image

from skills.events import EventLog
from skills.report import draw_funnel, funnel_report, report_text

DAY = 86_400.0
NOW = datetime(2026, 3, 10, 12, tzinfo=timezone.utc).timestamp()


def _seed(log: EventLog) -> None:
    def events(session, at, *kinds, customer=None):
        log.write(session, customer, [{"kind": k} if isinstance(k, str) else k for k in kinds], at)

    missed = {"kind": "intent", "intent": "out_of_scope", "understood": False, "text": "blah"}
    other = {"kind": "intent", "intent": "search", "understood": False, "text": "zorglub"}
    events("s0", NOW - 30 * DAY, "session_start", "checkout_confirmed")
    events("s1", NOW, "session_start", "products_proposed", customer="c1")
    events("s1", NOW + 60, "added_to_cart", {"kind": "rule_fired", "rule": "free_delivery"})
    events("s1", NOW + 90, "added_to_cart", "checkout_confirmed")
    events("s2", NOW, "session_start", "products_proposed", missed, missed)
    events("s2", NOW + 60, {"kind": "rule_fired", "rule": "free_delivery"})
    events("s3", NOW, "session_start", "added_to_cart", {"kind": "rule_fired", "rule": "snow"})
    events("s4", NOW, "session_start", missed, other)


@pytest.fixture
def log(tmp_path):
    log = EventLog(str(tmp_path / "shop.db"))
    _seed(log)
    return log


def _funnel(report):
    return [(stage.name, stage.sessions) for stage in report.funnel]


def test_the_funnel_counts_sessions_at_the_furthest_stage_they_reached(log):
    report = funnel_report(log.connection())
    assert _funnel(report) == [
        ("sessions", 5),
        ("proposal", 4),
        ("add to cart", 3),
        ("checkout", 2),
    ]
    assert report.funnel[3].share == pytest.approx(0.4)


def test_since_keeps_the_sessions_started_from_that_date(log):
    since = datetime.fromtimestamp(NOW - DAY, timezone.utc)
    report = funnel_report(log.connection(), since)
    assert _funnel(report) == [
        ("sessions", 4),
        ("proposal", 3),
        ("add to cart", 2),
        ("checkout", 1),
    ]
    later = funnel_report(log.connection(), datetime.fromtimestamp(NOW + DAY, timezone.utc))
    assert [stage.sessions for stage in later.funnel] == [0, 0, 0, 0]


def test_rules_and_their_conversion(log):
    rules = {
        r.rule: (r.sessions, r.checkouts, r.conversion)
        for r in funnel_report(log.connection()).rules
    }
    assert rules == {"free_delivery": (2, 1, 0.5), "snow": (1, 0, 0.0)}


def test_what_was_not_understood_most_often_comes_first(log):
    missed = funnel_report(log.connection()).not_understood
    assert missed == [
        {"text": "blah", "intent": "out_of_scope", "count": 3},
        {"text": "zorglub", "intent": "search", "count": 1},
    ]


def test_the_text_report_shows_every_figure(log):
    text = report_text(funnel_report(log.connection()))
    assert "checkout" in text and "40.0%" in text
    assert "free_delivery" in text and "50.0%" in text
    assert "'blah'" in text


def test_the_png_is_a_funnel_picture(log, tmp_path):
    path = tmp_path / "funnel.png"
    draw_funnel(funnel_report(log.connection()), str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = image.imread(str(path))
    assert pixels.shape[0] > 200 and pixels.shape[1] > 400
    blue = (abs(pixels[..., 0] - 0x3B / 255) < 0.02) & (abs(pixels[..., 2] - 0xD8 / 255) < 0.02)
    # Four stages, each narrower than the one above: the top row of bars is the widest.
    widths = [row.sum() for row in blue if row.any()]
    assert max(widths) > 2 * min(widths)


def _cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "skills.cli", "report", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_command_prints_json_and_draws(log, tmp_path):
    db = str(tmp_path / "shop.db")
    png = tmp_path / "out.png"
    done = _cli("--db", db, "--json", "--png", str(png), "--since", "2026-03-01")
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert [s["sessions"] for s in figures["funnel"]] == [4, 3, 2, 1]
    assert png.stat().st_size > 1000


@pytest.mark.parametrize(
    "args, words",
    [
        (["--since", "last tuesday"], "since"),
        (["--db", "/nonexistent/shop.db"], "no database"),
    ],
)
def test_the_command_refuses_bad_input(args, words, tmp_path):
    done = _cli(*args) if "--db" in args else _cli("--db", str(tmp_path / "x.db"), *args)
    assert done.returncode == 2 and words in done.stderr.lower()
