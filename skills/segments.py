"""Customer segments (`skills/data/segments.yaml`): rules over facts computed from
each customer's record — orders, events, interests — so that marketing can speak
to "bargain hunters" or "customers inactive for 30 days" without a query each.

The conditions are the marketing rules' (`skills.campaigns.facts.holds`).
"""

from __future__ import annotations

import csv
import io
import json
import os
import time
from functools import cache
from pathlib import Path
from typing import Any

import sqlite_utils
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from skills.campaigns.facts import holds

SEGMENTS_FILE = Path(__file__).resolve().parent / "data" / "segments.yaml"
DAY_S = 86_400.0
FACTS = (
    "orders",
    "cancelled_orders",
    "discounted_orders",
    "spent",
    "days_since_last_order",
    "days_since_last_seen",
    "added_to_cart_30d",
    "checkouts_30d",
    "interests",
    "lang",
    "country",
)


class SegmentError(ValueError):
    """The segments file cannot be used, or a segment does not exist."""


class Segments(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    segments: dict[str, dict[str, Any]]

    @field_validator("segments")
    @classmethod
    def _known_facts(cls, segments: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        for name, conditions in segments.items():
            unknown = set(conditions) - set(FACTS)
            if unknown or not conditions:
                raise ValueError(f"{name}: unknown facts {sorted(unknown)}; known: {FACTS}")
        return segments


def load_segments(path: str | None = None) -> Segments:
    return _load(str(path or os.environ.get("VOICESHOP_SEGMENTS") or SEGMENTS_FILE))


@cache
def _load(path: str) -> Segments:
    try:
        return Segments.model_validate(yaml.safe_load(Path(path).read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        raise SegmentError(f"{path}: cannot read the segments ({exc}).") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        raise SegmentError(f"{path}: {first['msg'].removeprefix('Value error, ')}") from None


def customer_facts(db: sqlite_utils.Database, customer_id: str, now: float) -> dict[str, object]:
    """The facts segments test, from the customer's record, orders and events."""
    orders = db.execute(
        "SELECT status, total, discount_percent, placed_at, lines FROM orders "
        "WHERE customer_id = ?",
        [customer_id],
    ).fetchall()
    kept = [o for o in orders if o[0] != "cancelled"]
    events = dict(
        db.execute(
            "SELECT kind, count(*) FROM events WHERE customer_id = ? AND at >= ? GROUP BY kind",
            [customer_id, now - 30 * DAY_S],
        ).fetchall()
    )
    seen = db.execute("SELECT max(at) FROM events WHERE customer_id = ?", [customer_id]).fetchone()[
        0
    ]
    record = db.execute(
        "SELECT interests, lang FROM customers WHERE id = ?", [customer_id]
    ).fetchone() or (None, None)
    interests = {str(i).lower() for i in json.loads(record[0] or "[]")}
    ids = [line["product_id"] for o in kept for line in json.loads(o[4] or "[]")]
    if ids:
        marks = ", ".join("?" * len(ids))
        categories = db.execute(
            f"SELECT DISTINCT category FROM products WHERE id IN ({marks})", ids
        ).fetchall()
        interests |= {c.split(">")[0].strip().lower() for (c,) in categories if c}
    country = db.execute(
        "SELECT json_extract(state, '$.context.country') FROM sessions "
        "WHERE json_extract(state, '$.context.customer_id') = ? "
        "AND json_extract(state, '$.context.country') IS NOT NULL LIMIT 1",
        [customer_id],
    ).fetchone()
    last_order = max((o[3] for o in kept), default=None)
    return {
        "orders": len(kept),
        "cancelled_orders": len(orders) - len(kept),
        "discounted_orders": sum(1 for o in kept if o[2]),
        "spent": round(sum(o[1] for o in kept), 2),
        "days_since_last_order": None if last_order is None else (now - last_order) / DAY_S,
        "days_since_last_seen": None if seen is None else (now - seen) / DAY_S,
        "added_to_cart_30d": events.get("added_to_cart", 0),
        "checkouts_30d": events.get("checkout_confirmed", 0),
        "interests": sorted(interests),
        "lang": record[1],
        "country": country[0] if country else None,
    }


def segments_of(db: sqlite_utils.Database, customer_id: str, now: float | None = None) -> list[str]:
    facts = customer_facts(db, customer_id, time.time() if now is None else now)
    return [
        name
        for name, conditions in load_segments().segments.items()
        if all(holds(test, facts[fact]) for fact, test in conditions.items())
    ]


def members(db: sqlite_utils.Database, segment: str, now: float | None = None) -> list[str]:
    if segment not in load_segments().segments:
        names = ", ".join(load_segments().segments)
        raise SegmentError(f"No segment '{segment}': one of {names}.")
    ids = [row[0] for row in db.execute("SELECT id FROM customers ORDER BY id")]
    return [c for c in ids if segment in segments_of(db, c, now)]


def members_csv(db: sqlite_utils.Database, ids: list[str]) -> str:
    """The members as CSV for a marketing tool: id, name, e-mail, phone, language."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["customer_id", "name", "email", "phone", "lang"])
    for customer_id in ids:
        row = db.execute(
            "SELECT id, name, email, phone, lang FROM customers WHERE id = ?", [customer_id]
        ).fetchone()
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()
