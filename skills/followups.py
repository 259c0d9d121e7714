"""Carts left behind and the follow-ups an e-mail or SMS system sends.

A known customer's cart is kept (`saved_carts`) whenever it changes, and dropped
when it is emptied, ordered, or the customer declines to pick it up again. A
cart left alone longer than the shop's delay becomes an abandoned-cart
follow-up; marketing rules add follow-ups of their own. `due()` hands each
follow-up out once; the sender confirms with `mark_sent()`, and `unsent()` shows
those handed out but never confirmed, so nothing is lost when a sender fails.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import sqlite_utils

from skills.dialogue.state import CartLine
from skills.storage import ThreadConnections, writing

ABANDONED_AFTER_S = 24 * 3600.0
ABANDONED = "abandoned_cart"


class FollowUps:
    """`marketing_allowed(customer)` says whether a customer may get marketing
    (abandoned-cart reminders): without it their carts are never followed up."""

    def __init__(
        self,
        path: str,
        abandoned_after_s: float = ABANDONED_AFTER_S,
        marketing_allowed: Callable[[str], bool] = lambda customer: False,
    ) -> None:
        self._conn = ThreadConnections(path).get
        self.abandoned_after_s = abandoned_after_s
        self.marketing_allowed = marketing_allowed
        db = sqlite_utils.Database(self._conn())
        if "saved_carts" not in db.table_names():
            db["saved_carts"].create(
                {"customer_id": str, "session_id": str, "lines": str, "updated_at": float},
                pk="customer_id",
            )
        if "followups" not in db.table_names():
            db["followups"].create(
                {
                    "id": int,
                    "customer_id": str,
                    "channel": str,
                    "reason": str,
                    "cart": str,
                    "session_id": str,
                    "created_at": float,
                    "listed_at": float,
                    "sent_at": float,
                    "source": str,  # what made it, so an abandoned cart is followed up once
                },
                pk="id",
                not_null={"customer_id", "channel", "reason", "created_at", "source"},
            )
            db["followups"].create_index(["source"], unique=True)
            db["followups"].create_index(["customer_id"])

    # -- carts -------------------------------------------------------------------------
    def save_cart(self, customer_id: str, session_id: str, cart: list[CartLine]) -> None:
        """The customer's cart as it is now; an empty cart forgets the saved one."""
        conn = self._conn()
        if not cart:
            conn.execute("DELETE FROM saved_carts WHERE customer_id = ?", [customer_id])
            return
        lines = json.dumps([line.__dict__ for line in cart], ensure_ascii=False)
        conn.execute(
            "INSERT INTO saved_carts (customer_id, session_id, lines, updated_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (customer_id) DO UPDATE SET "
            "session_id = excluded.session_id, lines = excluded.lines, "
            "updated_at = excluded.updated_at",
            [customer_id, session_id, lines, time.time()],
        )

    def saved_cart(self, customer_id: str) -> list[dict]:
        row = (
            self._conn()
            .execute("SELECT lines FROM saved_carts WHERE customer_id = ?", [customer_id])
            .fetchone()
        )
        return json.loads(row[0]) if row else []

    def forget_cart(self, customer_id: str) -> None:
        self._conn().execute("DELETE FROM saved_carts WHERE customer_id = ?", [customer_id])

    # -- follow-ups ----------------------------------------------------------------------
    def note(
        self,
        customer_id: str,
        reason: str,
        channel: str,
        cart: list[CartLine],
        session_id: str,
        source: str,
    ) -> None:
        """A follow-up to send; one per `source`, however often it is noted."""
        self._conn().execute(
            "INSERT OR IGNORE INTO followups (customer_id, channel, reason, cart, session_id, "
            "created_at, source) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                customer_id,
                channel,
                reason,
                json.dumps([line.__dict__ for line in cart], ensure_ascii=False),
                session_id,
                time.time(),
                source,
            ],
        )

    def due(self, channel: str = "email", now: float | None = None) -> list[dict]:
        """The follow-ups to send now, each handed out once: carts abandoned for
        longer than the delay become follow-ups on `channel`, then every follow-up
        not yet handed out is returned and marked as handed out."""
        now = time.time() if now is None else now
        conn = self._conn()
        left = conn.execute(
            "SELECT customer_id, lines, session_id, updated_at FROM saved_carts "
            "WHERE updated_at <= ?",
            [now - self.abandoned_after_s],
        ).fetchall()
        reminders = [
            (customer, channel, ABANDONED, lines, session, now, f"cart:{customer}:{updated}")
            for customer, lines, session, updated in left
            if self.marketing_allowed(customer)
        ]
        with writing(conn):  # commits, or rolls back on an error: nothing half handed out
            conn.executemany(
                "INSERT OR IGNORE INTO followups (customer_id, channel, reason, cart, "
                "session_id, created_at, source) VALUES (?, ?, ?, ?, ?, ?, ?)",
                reminders,
            )
            rows = conn.execute(
                "SELECT id, customer_id, channel, reason, cart, session_id, created_at "
                "FROM followups WHERE listed_at IS NULL ORDER BY id"
            ).fetchall()
            conn.executemany(
                "UPDATE followups SET listed_at = ? WHERE id = ?", [(now, row[0]) for row in rows]
            )
        return [_followup(row) for row in rows]

    def drop_marketing(self, customer_id: str) -> int:
        """Marketing consent withdrawn: reminders not yet handed out are dropped."""
        return (
            self._conn()
            .execute(
                "DELETE FROM followups WHERE customer_id = ? AND listed_at IS NULL "
                "AND reason NOT LIKE 'send_invoice%'",
                [customer_id],
            )
            .rowcount
        )

    def unsent(self) -> list[dict]:
        """Handed out but never confirmed as sent."""
        rows = (
            self._conn()
            .execute(
                "SELECT id, customer_id, channel, reason, cart, session_id, created_at "
                "FROM followups WHERE listed_at IS NOT NULL AND sent_at IS NULL ORDER BY id"
            )
            .fetchall()
        )
        return [_followup(row) for row in rows]

    def mark_sent(self, ids: list[int]) -> list[int]:
        """Marks these as sent; returns the ids that name no handed-out follow-up."""
        conn = self._conn()
        unknown = []
        for followup_id in ids:
            done = conn.execute(
                "UPDATE followups SET sent_at = coalesce(sent_at, ?) "
                "WHERE id = ? AND listed_at IS NOT NULL",
                [time.time(), followup_id],
            )
            if done.rowcount == 0:
                unknown.append(followup_id)
        return unknown


def _followup(row: tuple) -> dict:
    followup_id, customer_id, channel, reason, cart, session_id, created_at = row
    return {
        "id": followup_id,
        "customer": customer_id,
        "channel": channel,
        "reason": reason,
        "cart": json.loads(cart or "[]"),
        "session": session_id,
        "created_at": created_at,
    }
