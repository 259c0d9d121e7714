"""Taking products out of a catalogue: some by SKU, or all of them."""

from __future__ import annotations

import json
from collections.abc import Iterable

import sqlite_utils

from catalog.db import bump_catalog_version


def remove_products(db: sqlite_utils.Database, skus: Iterable[str]) -> tuple[list[str], list[str]]:
    """Removes the products named by their id or one of their variants' SKUs, with
    all their variants; returns (the product ids removed, the SKUs found nowhere)."""
    skus = list(dict.fromkeys(skus))
    ids: dict[str, None] = {}
    unknown = []
    for sku in skus:
        row = db.execute(
            "SELECT id FROM products WHERE id = ? UNION "
            "SELECT product_id FROM variants WHERE sku = ?",
            [sku, sku],
        ).fetchone()
        if row:
            ids[row[0]] = None
        else:
            unknown.append(sku)
    if ids:
        listed = json.dumps(list(ids))
        with db.conn:
            db.execute(
                "DELETE FROM variants WHERE product_id IN (SELECT value FROM json_each(?))",
                [listed],
            )
            db.execute(
                "DELETE FROM products WHERE id IN (SELECT value FROM json_each(?))", [listed]
            )
        _refresh(db)
    return list(ids), unknown


def clear_catalog(db: sqlite_utils.Database) -> int:
    """Removes every product and variant; returns how many products there were."""
    count = db["products"].count
    with db.conn:
        db.execute("DELETE FROM variants")
        db.execute("DELETE FROM products")
    _refresh(db)
    return count


def _refresh(db: sqlite_utils.Database) -> None:
    """The search index and the catalogue version (caches of the understanding
    model and the recogniser's phrases are keyed by it) follow the change."""
    db["products"].rebuild_fts()
    bump_catalog_version(db)
