"""The conversion funnel, from the event log: how many sessions reached a
proposal, a cart and a confirmed checkout; which marketing rules fired and how
often their sessions went on to buy; what shoppers said that was not understood.

A stage counts sessions, not events, and a session counts at every stage up to
the furthest it reached: one that put a product in its cart without being
proposed one ("add milk to my cart") counts at "proposal" too, so the funnel
only narrows. The sessions are those that started at or after `since`, with
all their events.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import datetime

STAGES = (
    ("sessions", "session_start"),
    ("proposal", "products_proposed"),
    ("add to cart", "added_to_cart"),
    ("checkout", "checkout_confirmed"),
)
TOP_NOT_UNDERSTOOD = 10


@dataclass
class Stage:
    name: str
    sessions: int
    share: float  # of all sessions, 0..1


@dataclass
class RuleFigures:
    rule: str
    sessions: int  # sessions where the rule fired
    checkouts: int  # of those, sessions with a confirmed order
    conversion: float


@dataclass
class Report:
    since: str | None
    funnel: list[Stage] = field(default_factory=list)
    rules: list[RuleFigures] = field(default_factory=list)
    not_understood: list[dict] = field(default_factory=list)  # {"text", "intent", "count"}

    def to_dict(self) -> dict:
        return asdict(self)


def funnel_report(conn: sqlite3.Connection, since: datetime | None = None) -> Report:
    """The figures over the sessions started at or after `since` (all when None)."""
    start = since.timestamp() if since else float("-inf")
    started = "SELECT session_id FROM events WHERE kind = 'session_start' AND at >= ?"
    furthest: dict[str, int] = {}
    rank = {kind: index for index, (_, kind) in enumerate(STAGES)}
    rows = conn.execute(
        f"SELECT DISTINCT session_id, kind FROM events WHERE session_id IN ({started}) "
        f"AND kind IN ({', '.join('?' * len(rank))})",
        [start, *rank],
    ).fetchall()
    for session_id, kind in rows:
        furthest[session_id] = max(furthest.get(session_id, 0), rank[kind])
    total = len(furthest)
    report = Report(since=since.isoformat() if since else None)
    for index, (name, _) in enumerate(STAGES):
        reached = sum(1 for stage in furthest.values() if stage >= index)
        report.funnel.append(Stage(name, reached, reached / total if total else 0.0))
    rows = conn.execute(
        f"""
        SELECT json_extract(fired.data, '$.rule') AS rule,
               count(DISTINCT fired.session_id),
               count(DISTINCT bought.session_id)
        FROM events AS fired
        LEFT JOIN events AS bought
          ON bought.session_id = fired.session_id AND bought.kind = 'checkout_confirmed'
        WHERE fired.kind = 'rule_fired' AND fired.session_id IN ({started})
        GROUP BY rule ORDER BY 2 DESC, rule
        """,
        [start],
    ).fetchall()
    report.rules = [RuleFigures(rule, n, bought, bought / n) for rule, n, bought in rows]
    rows = conn.execute(
        f"SELECT data FROM events WHERE kind = 'intent' AND session_id IN ({started}) "
        "AND json_extract(data, '$.understood') = 0",
        [start],
    ).fetchall()
    missed: dict[tuple[str, str], int] = {}
    for (data,) in rows:
        event = json.loads(data)
        key = (event.get("text", ""), event.get("intent", ""))
        missed[key] = missed.get(key, 0) + 1
    ranked = sorted(missed.items(), key=lambda item: (-item[1], item[0]))
    report.not_understood = [
        {"text": text, "intent": intent, "count": count}
        for (text, intent), count in ranked[:TOP_NOT_UNDERSTOOD]
    ]
    return report


def report_text(report: Report) -> str:
    since = f" since {report.since}" if report.since else ""
    lines = [f"Conversion funnel{since}"]
    for stage in report.funnel:
        lines.append(f"  {stage.name:<12} {stage.sessions:>7}  {stage.share:>6.1%}")
    width = max([len(rule.rule) for rule in report.rules] + [12])
    lines.append(f"{'Rules fired':<{width + 2}}  sessions  checkout  conversion")
    for rule in report.rules:
        figures = f"{rule.sessions:>8}  {rule.checkouts:>8}  {rule.conversion:>10.1%}"
        lines.append(f"  {rule.rule:<{width}}  {figures}")
    if not report.rules:
        lines.append("  (none)")
    lines.append("Not understood")
    for item in report.not_understood:
        lines.append(f"  {item['count']:>5}  {item['text']!r} ({item['intent']})")
    if not report.not_understood:
        lines.append("  (nothing)")
    return "\n".join(lines)


def draw_funnel(report: Report, path: str) -> None:
    """The funnel as a PNG: one bar a stage, widest first, with counts and shares."""
    import matplotlib

    matplotlib.use("Agg")  # no display: a file only
    from matplotlib import pyplot

    names = [stage.name for stage in report.funnel][::-1]
    values = [stage.sessions for stage in report.funnel][::-1]
    widest = max(values) or 1
    figure, axes = pyplot.subplots(figsize=(7, 3.6), dpi=100)
    lefts = [(widest - v) / 2 for v in values]
    bars = axes.barh(names, values, left=lefts, color="#3b7dd8", height=0.7)
    for bar, stage in zip(bars, report.funnel[::-1], strict=True):
        axes.text(
            widest / 2,
            bar.get_y() + bar.get_height() / 2,
            f"{stage.sessions}  ({stage.share:.0%})",
            ha="center",
            va="center",
            color="black",
            fontsize=10,
        )
    axes.set_xlim(0, widest)
    axes.set_xticks([])
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)
    since = f" since {report.since[:10]}" if report.since else ""
    axes.set_title(f"voiceshop conversion funnel{since}")
    figure.tight_layout()
    figure.savefig(path, format="png")
    pyplot.close(figure)
