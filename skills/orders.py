"""Orders placed through the assistant, kept per customer: the loyalty rules
count them and a returning customer's session starts knowing them."""

from __future__ import annotations

import json
import time

import sqlite_utils

from skills.storage import ThreadConnections


class OrderBook:
    def __init__(self, path: str) -> None:
        self._conn = ThreadConnections(path).get
        db = sqlite_utils.Database(self._conn())
        if "orders" not in db.table_names():
            db["orders"].create(
                {
                    "id": str,
                    "customer_id": str,
                    "session_id": str,
                    "placed_at": float,
                    "status": str,
                    "total": float,
                    "currency": str,
                    "lines": str,
                    "discount_percent": float,
                },
                pk="id",
                not_null={"placed_at", "status", "total", "currency"},
            )
            db["orders"].create_index(["customer_id", "placed_at"], if_not_exists=True)

    def add(
        self, order: dict, session_id: str, customer_id: str | None, at: float | None = None
    ) -> None:
        discount = order.get("discount") or {}
        self._conn().execute(
            "INSERT INTO orders (id, customer_id, session_id, placed_at, status, total, "
            "currency, lines, discount_percent) VALUES (?, ?, ?, ?, 'placed', ?, ?, ?, ?)",
            [
                order["id"],
                customer_id,
                session_id,
                time.time() if at is None else at,
                order["total"],
                order["currency"],
                json.dumps(order["lines"], ensure_ascii=False),
                discount.get("percent"),
            ],
        )

    def count_for(self, customer_id: str) -> int:
        row = (
            self._conn()
            .execute(
                "SELECT count(*) FROM orders WHERE customer_id = ? AND status != 'cancelled'",
                [customer_id],
            )
            .fetchone()
        )
        return row[0]
