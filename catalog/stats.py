"""What a catalogue holds: counts by category, currencies and language coverage."""

from __future__ import annotations

import sqlite_utils


def catalog_stats(db: sqlite_utils.Database) -> dict:
    products = db["products"].count
    by_category = {
        (row[0] or "(none)"): row[1]
        for row in db.execute(
            "SELECT CASE WHEN instr(category, ' > ') > 0 "
            "THEN substr(category, 1, instr(category, ' > ') - 1) ELSE category END AS top, "
            "count(*) FROM products GROUP BY top ORDER BY count(*) DESC, top"
        )
    }
    french = db.execute(
        "SELECT count(*) FROM products WHERE coalesce(title_fr, '') != ''"
    ).fetchone()[0]
    currencies = dict(
        db.execute(
            "SELECT currency, count(*) FROM products GROUP BY currency ORDER BY count(*) DESC"
        )
    )
    in_stock = db.execute(
        "SELECT count(*) FROM products WHERE stock IS NULL OR stock > 0"
    ).fetchone()[0]
    return {
        "products": products,
        "variants": db["variants"].count,
        "in_stock": in_stock,
        "categories": by_category,
        "currencies": currencies,
        "languages": {
            "en": products,
            "fr": french,
            "fr_coverage": round(french / products, 3) if products else 0.0,
        },
    }
