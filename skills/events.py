"""The event log: what happened in each session (start, intents, proposals, cart,
orders, hand-offs, rules fired), one row an event, for the funnel report.

Events are written after the turn's state is saved, so a failed turn leaves no
event behind; each carries the session and, when known, the customer, so that
erasing a customer erases their events.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable

import sqlite_utils

from skills.storage import ThreadConnections, writing

KINDS = (
    "session_start",
    "intent",
    "products_proposed",
    "product_chosen",
    "added_to_cart",
    "checkout_confirmed",
    "handoff",
    "rule_fired",
)


class EventLog:
    def __init__(self, path: str) -> None:
        self._conn = ThreadConnections(path).get
        db = sqlite_utils.Database(self._conn())
        if "events" not in db.table_names():
            db["events"].create(
                {
                    "id": int,
                    "at": float,
                    "session_id": str,
                    "customer_id": str,
                    "kind": str,
                    "data": str,
                },
                pk="id",
                not_null={"at", "session_id", "kind"},
            )
            db["events"].create_index(["at"], if_not_exists=True)
            db["events"].create_index(["customer_id"], if_not_exists=True)

    def connection(self) -> sqlite3.Connection:
        """This thread's connection, for readers of the log such as the report."""
        return self._conn()

    def write(
        self,
        session_id: str,
        customer_id: str | None,
        events: Iterable[dict],
        at: float | None = None,
    ) -> None:
        """Append `events` ({"kind", …data}) in one transaction of their own."""
        conn = self._conn()
        with writing(conn):  # commits, or rolls back on an error
            self.write_in(conn, session_id, customer_id, events, at)

    @staticmethod
    def write_in(
        conn: sqlite3.Connection,
        session_id: str,
        customer_id: str | None,
        events: Iterable[dict],
        at: float | None = None,
    ) -> None:
        """Append `events` inside the caller's transaction (a turn's, with its state)."""
        when = time.time() if at is None else at
        conn.executemany(
            "INSERT INTO events (at, session_id, customer_id, kind, data) VALUES (?, ?, ?, ?, ?)",
            [(when, session_id, customer_id, event["kind"], _data(event)) for event in events],
        )


def _data(event: dict) -> str:
    return json.dumps({k: v for k, v in event.items() if k != "kind"}, ensure_ascii=False)
