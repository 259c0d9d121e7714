"""Orders and invoices of two demo customers on the bundled demo catalogue, so
that "where is my order?" and "last month's invoice" have answers out of the box:
`demo-alice` (English) and `demo-camille` (French). Dated back from the moment
they are made, the same products each time."""

from __future__ import annotations

import random

import sqlite_utils

from skills.orders import DAY_S, OrderBook

DEMO_CUSTOMERS = {"demo-alice": "en", "demo-camille": "fr"}
DAYS_AGO = (0.2, 2.5, 9, 20, 34, 48, 75, 140, 380)
CANCELLED = 48  # days ago: one order of each customer was cancelled


def ensure_demo_orders(book: OrderBook, db: sqlite_utils.Database, now: float) -> int:
    """Makes the demo orders once, when the demo catalogue is there; returns how many."""
    if book.for_customer(next(iter(DEMO_CUSTOMERS))):
        return 0
    products = db.execute(
        "SELECT id, title_en, title_fr, price, currency FROM products WHERE source = 'demo' "
        "AND id NOT IN (SELECT product_id FROM variants) ORDER BY id"
    ).fetchall()
    if not products:
        return 0
    made = 0
    for customer, lang in DEMO_CUSTOMERS.items():
        pick = random.Random(customer)
        for days in DAYS_AGO:
            lines = []
            for product_id, title_en, title_fr, price, currency in pick.sample(
                products, pick.randint(1, 3)
            ):
                quantity = pick.randint(1, 2)
                title = title_fr if lang == "fr" and title_fr else title_en
                lines.append(
                    {
                        "product_id": product_id,
                        "title": title,
                        "price": price,
                        "currency": currency,
                        "quantity": quantity,
                        "sku": None,
                        "variant": "",
                    }
                )
            order = {
                "id": f"{pick.getrandbits(32):08X}",
                "lines": lines,
                "total": round(sum(x["price"] * x["quantity"] for x in lines), 2),
                "currency": lines[0]["currency"],
            }
            placed = now - days * DAY_S
            book.add(order, "demo", customer, at=placed)
            if days == CANCELLED:
                book.cancel(order["id"], customer, now=placed)
            made += 1
    return made
