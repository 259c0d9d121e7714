"""Magento 2 product import CSV: configurable products and their simple children.

A configurable row lists its children in `configurable_variations`
("sku=MH01-XS-Black,size=XS,color=Black|…"); each child is also a simple row
with its own price and qty. Children become variants of their parent; simple
rows that belong to no parent are products of their own. Rows with a
store_view_code starting with "fr" carry French titles and descriptions.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from catalog.formats.tabular import read_text
from catalog.records import RowError, Variant, parse_price, parse_stock


def read_magento(path: Path) -> Iterator[tuple[int, dict | RowError]]:
    reader = csv.DictReader(io.StringIO(read_text(path), newline=""))
    if not reader.fieldnames or "sku" not in reader.fieldnames:
        yield 1, RowError("not a Magento product import CSV: there is no sku column")
        return
    rows = [(reader.line_num, row) for row in reader]
    base = [(n, r) for n, r in rows if not (r.get("store_view_code") or "").strip()]
    french = {
        r["sku"]: r for _, r in rows if (r.get("store_view_code") or "").lower().startswith("fr")
    }
    by_sku = {r["sku"]: (n, r) for n, r in base if r.get("sku")}
    children: set[str] = set()
    for _, row in base:
        for variation in _variations(row):
            children.add(variation.get("sku", ""))
    for line, row in base:
        sku = (row.get("sku") or "").strip()
        if sku in children and row.get("product_type") != "configurable":
            continue
        try:
            fields = _fields(row, french.get(sku))
            if row.get("product_type") == "configurable":
                fields["variants"] = [_variant(v, by_sku) for v in _variations(row)]
            else:
                attrs = _attributes(row.get("additional_attributes", ""))
                if attrs.get("color") or attrs.get("size"):
                    fields["variants"] = [
                        Variant(
                            sku=sku,
                            colour=attrs.get("color", ""),
                            size=attrs.get("size", ""),
                            stock=fields["stock"],
                        )
                    ]
        except RowError as exc:
            yield line, exc
            continue
        yield line, fields


def _fields(row: dict, french: dict | None) -> dict:
    stock = parse_stock(row.get("qty"))
    if (row.get("is_in_stock") or "1").strip() == "0":
        stock = 0
    return {
        "id": row.get("sku"),
        "title_en": row.get("name"),
        "title_fr": (french or {}).get("name"),
        "category": row.get("categories"),
        "price": row.get("price"),
        "currency": "USD",  # the Luma sample store's base currency
        "stock": stock,
        "description_en": row.get("description") or row.get("short_description"),
        "description_fr": (french or {}).get("description"),
        "brand": _attributes(row.get("additional_attributes", "")).get("manufacturer"),
    }


def _variant(variation: dict, by_sku: dict) -> Variant:
    sku = variation.get("sku")
    if not sku:
        raise RowError("a configurable variation has no sku")
    child = by_sku.get(sku, (0, {}))[1]
    price = parse_price(child["price"])[0] if child.get("price") else None
    stock = parse_stock(child.get("qty")) if child else 0
    if child and (child.get("is_in_stock") or "1").strip() == "0":
        stock = 0
    return Variant(
        sku=sku,
        colour=variation.get("color", ""),
        size=variation.get("size", ""),
        price=price,
        stock=stock,
    )


def _variations(row: dict) -> list[dict]:
    text = (row.get("configurable_variations") or "").strip()
    return [_attributes(item) for item in text.split("|") if item.strip()]


def _attributes(text: str) -> dict:
    """Magento's "key=value,key=value" attribute lists."""
    pairs = {}
    for item in (text or "").split(","):
        if "=" in item:
            key, value = item.split("=", 1)
            pairs[key.strip()] = value.strip()
    return pairs
