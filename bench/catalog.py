"""Catalogue import rate and search latency on 100,000 generated products.

Import: our importer (mapping, validation, variants, upsert, full-text index)
against sqlite-utils inserting the same file's rows as they are, unchecked.
Search: CatalogSearch against a plain rapidfuzz scan of all titles, on spoken-style
queries (brand and product type, one word misspelt in half of them); besides the
latency, how often the intended kind of product is in the top 5.
"""

from __future__ import annotations

import csv
import json
import random
import time
from pathlib import Path

import sqlite_utils
from rapidfuzz import fuzz, process, utils

from bench.measure import Row, ms, percentile
from catalog.db import open_db
from catalog.demo import generate
from catalog.importer import import_file
from catalog.search import CatalogSearch, Filters

SIZE = 100_000
QUERIES = 200
FLAT_COLUMNS = [
    "id",
    "title_en",
    "title_fr",
    "brand",
    "category",
    "price",
    "currency",
    "stock",
    "rating",
]


def write_feeds(folder: Path, size: int = SIZE) -> tuple[Path, Path]:
    """The same products twice: a flat CSV (one row each) and JSONL with their variants."""
    flat, rich = folder / "products.csv", folder / "products.jsonl"
    with (
        flat.open("w", newline="", encoding="utf-8") as f_csv,
        rich.open("w", encoding="utf-8") as f_json,
    ):
        writer = csv.DictWriter(f_csv, FLAT_COLUMNS)
        writer.writeheader()
        for p in generate(size):
            row = {
                "id": p.id,
                "title_en": p.title_en,
                "title_fr": p.title_fr,
                "brand": p.brand,
                "category": p.categories[0],
                "price": p.price,
                "currency": p.currency,
                "stock": p.stock,
                "rating": p.rating,
            }
            writer.writerow(row)
            variants = [
                {"sku": v.sku, "colour": v.colour, "size": v.size, "stock": v.stock}
                for v in p.variants
            ]
            f_json.write(json.dumps({**row, "variants": variants}, ensure_ascii=False) + "\n")
    return flat, rich


def _import_rows(folder: Path, flat: Path, rich: Path) -> tuple[list[Row], Path]:
    rows = []
    db_path = folder / "ours.db"
    started = time.perf_counter()
    report = import_file(open_db(db_path), flat)
    ours = time.perf_counter() - started
    assert report.imported == SIZE, report

    bare = sqlite_utils.Database(folder / "bare.db")
    started = time.perf_counter()
    with flat.open(newline="", encoding="utf-8") as handle:
        bare["products"].insert_all(csv.DictReader(handle), pk="id", batch_size=2000)
    bare["products"].enable_fts(["title_en", "title_fr", "brand", "category"], fts_version="FTS5")
    baseline = time.perf_counter() - started
    rows.append(
        Row(
            f"Catalogue import, {SIZE:,} products, flat CSV",
            f"{SIZE / ours:,.0f} products/s ({ours:.1f} s)",
            f"{SIZE / baseline:,.0f} products/s (sqlite-utils insert_all, unchecked)",
            "> 20,000 products/s",
            SIZE / ours > 20_000,
        )
    )

    started = time.perf_counter()
    report = import_file(open_db(folder / "rich.db"), rich)
    elapsed = time.perf_counter() - started
    rows.append(
        Row(
            f"Catalogue import, {SIZE:,} products with {report.variants:,} variants, JSONL",
            f"{SIZE / elapsed:,.0f} products/s ({elapsed:.1f} s)",
            "",
        )
    )
    return rows, folder / "rich.db"


def spoken_queries(db: sqlite_utils.Database, count: int = QUERIES) -> list[tuple[str, str, str]]:
    """(query, brand, product type) for randomly drawn products; every other one misspelt."""
    rng = random.Random(7)
    rows = list(db.execute("SELECT brand, category FROM products"))
    queries = []
    for n in range(count):
        brand, category = rng.choice(rows)
        kind = category.split(" > ")[-1]
        words = f"{brand} {kind}".split()
        if n % 2:
            i = max(range(len(words)), key=lambda k: len(words[k]))
            cut = rng.randrange(1, len(words[i]) - 1)
            words[i] = words[i][:cut] + words[i][cut + 1 :]
        queries.append((" ".join(words), brand, kind))
    return queries


def _search_rows(db_path: Path) -> list[Row]:
    db = open_db(db_path)
    search = CatalogSearch(db)
    queries = spoken_queries(db)
    titles = {pid: title for pid, title in db.execute("SELECT id, title_en FROM products")}
    search.search("warm up")

    def scan(query: str) -> list[str]:
        found = process.extract(
            query, titles, scorer=fuzz.WRatio, processor=utils.default_process, limit=5
        )
        return [f[0] for f in found]

    results = {}
    for label, find in (
        ("ours", lambda q: [h.title for h in search.search(q, limit=5)]),
        ("scan", scan),
    ):
        latencies, right = [], 0
        for query, brand, kind in queries:
            started = time.perf_counter()
            titles_found = find(query)
            latencies.append(time.perf_counter() - started)
            right += any(brand in t and kind.lower() in t.lower() for t in titles_found)
        results[label] = (latencies, right / len(queries))
    (ours, ours_right), (scan_l, scan_right) = results["ours"], results["scan"]
    capped = []
    for query, _brand, _kind in queries:
        started = time.perf_counter()
        search.search(query, limit=5, filters=Filters(max_price=50))
        capped.append(time.perf_counter() - started)
    p95 = percentile(ours, 95)
    return [
        Row(
            f"Search over {SIZE:,} products, p50 / p95 ({len(queries)} spoken-style queries)",
            f"{ms(percentile(ours, 50))} / {ms(p95)}",
            f"{ms(percentile(scan_l, 50))} / {ms(percentile(scan_l, 95))} (rapidfuzz scan)",
            "p95 < 5 ms",
            p95 < 0.005,
        ),
        Row(
            "Search, same queries with a price cap (under 50 €), p50 / p95",
            f"{ms(percentile(capped, 50))} / {ms(percentile(capped, 95))}",
            "",
        ),
        Row(
            "Search: intended brand and product type in the top 5",
            f"{ours_right:.0%}",
            f"{scan_right:.0%} (rapidfuzz scan)",
        ),
    ]


def run(folder: Path) -> tuple[list[Row], Path]:
    """The rows, and the 100,000-product database for the benchmarks that follow."""
    flat, rich = write_feeds(folder)
    rows, db_path = _import_rows(folder, flat, rich)
    return rows + _search_rows(db_path), db_path
