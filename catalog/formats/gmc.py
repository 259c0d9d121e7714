"""Google Merchant Center product feeds (tab-separated, GMC attribute names)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from catalog.formats.tabular import group_variants, read_text
from catalog.records import RowError, Variant, parse_price, parse_stock

# GMC feeds carry availability, not a count; these stand for "some" and "none".
AVAILABILITY_STOCK = {
    "in stock": 1,
    "in_stock": 1,
    "preorder": 0,
    "backorder": 0,
    "out of stock": 0,
    "out_of_stock": 0,
}


def read_gmc(path: Path) -> Iterator[tuple[int, dict | RowError]]:
    reader = csv.DictReader(io.StringIO(read_text(path), newline=""), delimiter="\t")
    yield from group_variants(_rows(reader))


def _rows(reader: csv.DictReader) -> Iterator[tuple[int, dict | RowError]]:
    for row in reader:
        line = reader.line_num
        row = {str(k).strip().lower(): (v or "").strip() for k, v in row.items() if k}
        try:
            yield line, _fields(row)
        except RowError as exc:
            yield line, exc


def _fields(row: dict) -> dict:
    availability = row.get("availability", "in stock").lower()
    if availability not in AVAILABILITY_STOCK:
        raise RowError(f"availability {availability!r} is not a GMC value")
    stock = (
        parse_stock(row["quantity"]) if row.get("quantity") else AVAILABILITY_STOCK[availability]
    )
    price_text = row.get("sale_price") or row.get("price")
    price, currency = parse_price(price_text)
    fields = {
        "id": row.get("id"),
        "title_en": row.get("title"),
        "brand": row.get("brand"),
        "category": row.get("product_type") or row.get("google_product_category"),
        "price": price,
        "currency": currency,
        "stock": stock,
        "description_en": row.get("description"),
        "group": row.get("item_group_id"),
    }
    if row.get("color") or row.get("size"):
        fields["variants"] = [
            Variant(
                sku=row.get("id", ""),
                colour=row.get("color", ""),
                size=row.get("size", ""),
                price=price,
                stock=stock,
            )
        ]
    return fields
