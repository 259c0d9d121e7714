"""The catalogue's SQLite schema: products, their variants and a full-text index."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlite_utils

PRODUCT_COLUMNS = {
    "id": str,
    "title_en": str,
    "title_fr": str,
    "brand": str,
    "category": str,
    "categories": str,
    "price": float,
    "currency": str,
    "stock": int,
    "rating": float,
    "description_en": str,
    "description_fr": str,
    "colours": str,
    "sizes": str,
    "source": str,
}
VARIANT_COLUMNS = {
    "sku": str,
    "product_id": str,
    "colour": str,
    "size": str,
    "price": float,
    "stock": int,
}
# What the full-text index covers, and how much each column weighs in bm25.
FTS_COLUMNS = [
    "title_en",
    "title_fr",
    "brand",
    "category",
    "colours",
    "description_en",
    "description_fr",
]
FTS_WEIGHTS = [10.0, 10.0, 6.0, 4.0, 2.0, 1.0, 1.0]


def unusable_db(path: str) -> str | None:
    """Why `path` cannot be the shop's database, in one sentence; None when it can:
    a SQLite file, or a new one in a folder that exists."""
    target = Path(path)
    if target.is_dir():
        return f"{path} is a folder, not a database file."
    if not target.exists():
        if not target.parent.is_dir():
            return f"There is no database at {path}: the folder {target.parent} does not exist."
        if not os.access(target.parent, os.W_OK):
            return f"Cannot create the database {path}: the folder is not writable."
        return None
    try:
        with target.open("rb") as file:
            header = file.read(16)
    except OSError as exc:
        return f"Cannot read the database {path}: {exc.strerror}."
    if header and header != b"SQLite format 3\x00":
        return f"{path} is not a SQLite database."
    return None


def default_db_path() -> str:
    return os.environ.get("VOICESHOP_DB", "voiceshop.db")


def open_db(path: str | Path | None = None) -> sqlite_utils.Database:
    """Open (and create if needed) the database with the catalogue schema in place."""
    # One connection may serve the web app's threads (reads only; sessions have their
    # own). The timeout waits out another process's write: an import, a worker starting.
    conn = sqlite3.connect(str(path or default_db_path()), check_same_thread=False, timeout=30)
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")  # safe with WAL: a crash loses no committed batch
    db.execute("PRAGMA foreign_keys=ON")
    ensure_schema(db)
    return db


# Secondary indexes on products. Browsing ("something for my dad") walks the rating
# index best-rated first and stops early. Large imports drop them and build them again
# at the end, which is faster than keeping them up to date row by row.
PRODUCT_INDEXES = {
    "idx_products_category": "products (category)",
    "idx_products_price": "products (price)",
    "idx_products_rating_price": "products (rating DESC, price)",
}


def ensure_schema(db: sqlite_utils.Database) -> None:
    if "products" not in db.table_names():
        db["products"].create(PRODUCT_COLUMNS, pk="id", not_null={"title_en", "price"})
    create_product_indexes(db)  # also after an import that stopped half-way
    if "variants" not in db.table_names():
        db["variants"].create(
            VARIANT_COLUMNS, pk="sku", foreign_keys=[("product_id", "products", "id")]
        )
        db["variants"].create_index(["product_id"])
    if "products_fts" not in db.table_names():
        db["products"].enable_fts(
            FTS_COLUMNS, fts_version="FTS5", tokenize="porter unicode61 remove_diacritics 2"
        )
    if "products_fts_vocab" not in db.table_names():
        db.execute("CREATE VIRTUAL TABLE products_fts_vocab USING fts5vocab(products_fts, row)")
    if "catalog_meta" not in db.table_names():
        db["catalog_meta"].create({"key": str, "value": str}, pk="key")


def create_product_indexes(db: sqlite_utils.Database) -> None:
    for name, target in PRODUCT_INDEXES.items():
        db.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop_product_indexes(db: sqlite_utils.Database) -> None:
    for name in PRODUCT_INDEXES:
        db.execute(f"DROP INDEX IF EXISTS {name}")


def catalog_version(db: sqlite_utils.Database) -> int:
    """Bumped by every import, so caches built from the catalogue know to refresh."""
    row = db.execute("SELECT value FROM catalog_meta WHERE key = 'version'").fetchone()
    return int(row[0]) if row else 0


def bump_catalog_version(db: sqlite_utils.Database) -> int:
    version = catalog_version(db) + 1
    db["catalog_meta"].upsert({"key": "version", "value": str(version)}, pk="key")
    return version


def product_count(db: sqlite_utils.Database) -> int:
    return db["products"].count
