"""WooCommerce's product CSV (its built-in exporter and importer).

Simple products are one row each. A variable product is a row of Type
"variable" naming its attributes ("Attribute 1 name" Color, "Attribute 1
value(s)" "Blue, Red"); each of its variations is a row of Type "variation"
whose Parent is the product's SKU or "id:" and its ID, with one value per
attribute, its own price and stock. Drafts (Published -1) are not for sale.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from catalog.formats.axes import axis_of
from catalog.formats.tabular import csv_rows, read_text
from catalog.records import RowError, Variant, parse_price, parse_stock

ATTRIBUTE_NAME = re.compile(r"attribute (\d+) name")
CATEGORY_SEPARATOR = re.compile(r"(?<!\\),\s*")  # "Clothing > Hoodies, Clothing"
NOT_SOLD_HERE = {
    "external": "an external product is sold on another site",
    "grouped": "a grouped product only lists other products",
}


def read_woocommerce(path: Path) -> Iterator[tuple[int, dict | RowError]]:
    """Products in the order of their rows, each error at its own line."""
    yield from sorted(_read(path), key=lambda item: item[0])


def _read(path: Path) -> Iterator[tuple[int, dict | RowError]]:
    products: dict[str, tuple[int, dict]] = {}  # product key → (line, fields)
    by_id: dict[str, str] = {}  # "id:10" → the product's key
    variations: list[tuple[int, dict]] = []
    for line, row in csv_rows(read_text(path)):
        if isinstance(row, RowError):
            yield line, row
            continue
        row = {k.lower(): (v or "").strip() for k, v in row.items()}
        types = {t.strip() for t in row.get("type", "simple").lower().split(",")}
        if "variation" in types:
            variations.append((line, row))
            continue
        try:
            fields = _product(row, types)
        except RowError as exc:
            yield line, exc
            continue
        products[fields["id"]] = (line, fields)
        if row.get("id"):
            by_id[f"id:{row['id']}"] = fields["id"]
    for line, row in variations:
        parent = row.get("parent", "")
        key = by_id.get(parent, parent)
        if key not in products:
            yield line, RowError(f"its parent {parent or '(none)'} is not in the file")
            continue
        try:
            products[key][1]["variants"].append(_variation(row))
        except RowError as exc:
            yield line, exc
    for line, fields in products.values():
        yield line, _priced(fields)


def _product(row: dict, types: set[str]) -> dict:
    for kind, reason in NOT_SOLD_HERE.items():
        if kind in types:
            raise RowError(reason)
    if row.get("published") == "-1":
        raise RowError("the product is a draft (Published -1)")
    key = row.get("sku") or (f"woo-{row['id']}" if row.get("id") else "")
    return {
        "id": key,
        "title_en": row.get("name"),
        "description_en": row.get("description") or row.get("short description"),
        "brand": row.get("brands") or row.get("brand"),
        "category": CATEGORY_SEPARATOR.split(row["categories"]) if row.get("categories") else [],
        "price": _price(row),
        "stock": _stock(row),
        "variable": "variable" in types,
        "variants": [],
    }


def _price(row: dict) -> str:
    """What the shopper pays: the sale price when there is one."""
    return row.get("sale price") or row.get("regular price") or ""


def _stock(row: dict) -> int | None:
    """A count when the shop manages stock; "In stock?" 0 without a count is none."""
    stock = row.get("stock", "")
    if stock and stock.lower() != "parent":
        return parse_stock(stock)
    return 0 if row.get("in stock?") == "0" else None


def _variation(row: dict) -> Variant:
    axes = {"colour": "", "size": ""}
    for key, name in row.items():
        match = ATTRIBUTE_NAME.fullmatch(key)
        axis = axis_of(name) if match else None
        if axis:
            axes[axis] = row.get(f"attribute {match[1]} value(s)", "")
    price = _price(row)
    if not price:
        raise RowError(f"variation {row.get('sku') or row.get('name')} has no price")
    return Variant(
        sku=row.get("sku") or f"woo-{row.get('id')}",
        colour=axes["colour"],
        size=axes["size"],
        price=parse_price(price)[0],
        stock=_stock(row),
    )


def _priced(fields: dict) -> dict | RowError:
    """A variable product costs what its cheapest variation does."""
    variable = fields.pop("variable")
    if variable and not fields["variants"]:
        return RowError(f"the variable product {fields['id']} has no variation")
    if variable and not fields["price"]:
        fields["price"] = min(v.price for v in fields["variants"])
    return fields
