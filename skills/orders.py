"""Orders placed through the assistant and their invoices, kept per customer:
the loyalty rules count them, "where is my order?" and "last month's invoice"
read them, "cancel my last order" cancels one that has not left yet.

An order's progress follows from its date: it leaves the warehouse the day
after it is placed and arrives within the shop's home delivery time.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import sqlite_utils

from skills.storage import ThreadConnections, writing

DAY_S = 86_400.0
SHIPS_AFTER_S = DAY_S


@dataclass(frozen=True)
class Order:
    id: str
    customer_id: str | None
    placed_at: float
    status: str  # placed | cancelled
    total: float
    currency: str
    lines: list[dict]
    invoice: str | None

    def stage(self, now: float, delivery_days: int) -> tuple[str, float]:
        """Where the order is: (cancelled|preparing|shipped|delivered, the time that
        stage began, or for preparing and shipped the expected arrival)."""
        arrives = self.placed_at + SHIPS_AFTER_S + delivery_days * DAY_S
        if self.status == "cancelled":
            return "cancelled", self.placed_at
        if now < self.placed_at + SHIPS_AFTER_S:
            return "preparing", arrives
        if now < arrives:
            return "shipped", arrives
        return "delivered", arrives


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
        if "invoices" not in db.table_names():
            db["invoices"].create(
                {
                    "number": str,
                    "order_id": str,
                    "customer_id": str,
                    "issued_at": float,
                    "total": float,
                    "currency": str,
                    "status": str,  # issued | credited (the order was cancelled)
                },
                pk="number",
                foreign_keys=[("order_id", "orders", "id")],
            )
            db["invoices"].create_index(["customer_id", "issued_at"], if_not_exists=True)

    def add(
        self, order: dict, session_id: str, customer_id: str | None, at: float | None = None
    ) -> None:
        """The order and its invoice, together or not at all."""
        placed = time.time() if at is None else at
        discount = order.get("discount") or {}
        conn = self._conn()
        with writing(conn):
            conn.execute(
                "INSERT INTO orders (id, customer_id, session_id, placed_at, status, total, "
                "currency, lines, discount_percent) VALUES (?, ?, ?, ?, 'placed', ?, ?, ?, ?)",
                [
                    order["id"],
                    customer_id,
                    session_id,
                    placed,
                    order["total"],
                    order["currency"],
                    json.dumps(order["lines"], ensure_ascii=False),
                    discount.get("percent"),
                ],
            )
            conn.execute(
                "INSERT INTO invoices (number, order_id, customer_id, issued_at, total, currency, "
                "status) VALUES (?, ?, ?, ?, ?, ?, 'issued')",
                [
                    invoice_number(order["id"], placed),
                    order["id"],
                    customer_id,
                    placed,
                    order["total"],
                    order["currency"],
                ],
            )

    def for_customer(
        self, customer_id: str, start: float | None = None, end: float | None = None
    ) -> list[Order]:
        """The customer's orders placed in [start, end), newest first."""
        rows = (
            self._conn()
            .execute(
                "SELECT o.id, o.customer_id, o.placed_at, o.status, o.total, o.currency, o.lines, "
                "i.number FROM orders AS o LEFT JOIN invoices AS i ON i.order_id = o.id "
                "WHERE o.customer_id = ? AND o.placed_at >= ? AND o.placed_at < ? "
                "ORDER BY o.placed_at DESC",
                [
                    customer_id,
                    start if start is not None else -1e18,
                    end if end is not None else 1e18,
                ],
            )
            .fetchall()
        )
        return [Order(*row[:6], json.loads(row[6] or "[]"), row[7]) for row in rows]

    def cancel(self, order_id: str, customer_id: str, now: float | None = None) -> bool:
        """Cancels the customer's order if it has not left yet; credits its invoice."""
        now = time.time() if now is None else now
        conn = self._conn()
        with writing(conn):
            done = conn.execute(
                "UPDATE orders SET status = 'cancelled' "
                "WHERE id = ? AND customer_id = ? AND status = 'placed' AND placed_at > ?",
                [order_id, customer_id, now - SHIPS_AFTER_S],
            ).rowcount
            if done:
                conn.execute(
                    "UPDATE invoices SET status = 'credited' WHERE order_id = ?", [order_id]
                )
        return bool(done)

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


def invoice_number(order_id: str, placed_at: float) -> str:
    return f"F{time.gmtime(placed_at).tm_year}-{order_id}"
