"""Complaints, kept as tickets with the conversation that raised them, so that
customer service starts from what the customer already said."""

from __future__ import annotations

import json
import time

import sqlite_utils

from skills.storage import ThreadConnections


class TicketBook:
    def __init__(self, path: str) -> None:
        self._conn = ThreadConnections(path).get
        db = sqlite_utils.Database(self._conn())
        if "tickets" not in db.table_names():
            db["tickets"].create(
                {
                    "id": str,
                    "customer_id": str,
                    "session_id": str,
                    "category": str,
                    "created_at": float,
                    "status": str,  # open | closed
                    "transcript": str,  # [{"user", "intent", "reply"}]
                    "cart": str,
                },
                pk="id",
                not_null={"session_id", "category", "created_at", "status"},
            )
            db["tickets"].create_index(["customer_id"], if_not_exists=True)

    def open(
        self,
        ticket_id: str,
        category: str,
        session_id: str,
        customer_id: str | None,
        transcript: list[dict],
        cart: list[dict],
        at: float | None = None,
    ) -> None:
        self._conn().execute(
            "INSERT INTO tickets (id, customer_id, session_id, category, created_at, status, "
            "transcript, cart) VALUES (?, ?, ?, ?, ?, 'open', ?, ?)",
            [
                ticket_id,
                customer_id,
                session_id,
                category,
                time.time() if at is None else at,
                json.dumps(transcript, ensure_ascii=False),
                json.dumps(cart, ensure_ascii=False),
            ],
        )

    def get(self, ticket_id: str) -> dict | None:
        row = (
            self._conn()
            .execute(
                "SELECT id, customer_id, session_id, category, created_at, status, transcript, "
                "cart FROM tickets WHERE id = ?",
                [ticket_id],
            )
            .fetchone()
        )
        if row is None:
            return None
        keys = ("id", "customer_id", "session_id", "category", "created_at", "status")
        ticket = dict(zip(keys, row[:6], strict=True))
        ticket["transcript"], ticket["cart"] = json.loads(row[6]), json.loads(row[7])
        return ticket
