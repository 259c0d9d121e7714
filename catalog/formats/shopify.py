"""Shopify's product CSV: one product per handle, one row per variant.

The first row of a handle carries the product (Title, Body (HTML), Vendor, Type);
the rows after it that share the handle carry only variant columns (Option1 Value,
Variant SKU, Variant Price, Variant Inventory Qty), or only an image. Both the
older headers ("Variant Price") and the current ones ("Price") are read. A
product whose Status is draft or archived, or that is not published, is not for
sale and is left out with that reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from catalog.formats.axes import axis_of
from catalog.formats.tabular import csv_rows, read_text
from catalog.records import RowError, Variant, parse_price, parse_stock

# Our name → the column names Shopify has used for it, lower case, first found wins.
COLUMNS = {
    "handle": ("handle", "url handle"),
    "title": ("title",),
    "body": ("body (html)", "description"),
    "vendor": ("vendor",),
    "type": ("type",),
    "category": ("product category",),
    "sku": ("variant sku", "sku"),
    "price": ("variant price", "price"),
    "tracker": ("variant inventory tracker", "inventory tracker"),
    "qty": ("variant inventory qty", "inventory quantity"),
    "status": ("status",),
    "published": ("published", "published on online store"),
}
OPTION_COUNT = 3
NOT_FOR_SALE = {"draft", "archived"}


def read_shopify(path: Path) -> Iterator[tuple[int, dict | RowError]]:
    """Products in the order of their first row, each error at its own line."""
    handles: dict[str, tuple[int, list[dict]]] = {}
    errors: list[tuple[int, RowError]] = []
    for line, row in csv_rows(read_text(path)):
        if isinstance(row, RowError):
            errors.append((line, row))
            continue
        row = {k.lower(): (v or "").strip() for k, v in row.items()}
        handle = _get(row, "handle")
        if not handle:
            errors.append((line, RowError("Handle is missing")))
            continue
        handles.setdefault(handle, (line, []))[1].append(row)
    products = []
    for handle, (line, rows) in handles.items():
        try:
            products.append((line, _product(handle, rows)))
        except RowError as exc:
            errors.append((line, exc))
    yield from sorted(products + errors, key=lambda item: item[0])


def _get(row: dict, name: str) -> str:
    return next((row[c] for c in COLUMNS[name] if row.get(c)), "")


def _product(handle: str, rows: list[dict]) -> dict:
    first = rows[0]
    status = _get(first, "status").lower()
    if status in NOT_FOR_SALE:
        raise RowError(f"the product is not for sale (Status {status})")
    if _get(first, "published").lower() == "false":
        raise RowError("the product is not published")
    names = [_get_option(first, n, "name") for n in range(1, OPTION_COUNT + 1)]
    variants = [
        _variant(handle, row, names) for row in rows if _get(row, "sku") or _get(row, "price")
    ]
    if not variants:
        raise RowError("the product has no variant row with a price")
    single = len(variants) == 1 and not (variants[0].colour or variants[0].size)
    return {
        "id": handle,
        "title_en": _get(first, "title"),
        "description_en": _get(first, "body"),
        "brand": _get(first, "vendor"),
        "category": [c for c in (_get(first, "type"), _get(first, "category")) if c],
        "price": min(v.price for v in variants),
        "stock": variants[0].stock if single else None,
        "variants": [] if single else variants,
    }


def _get_option(row: dict, number: int, part: str) -> str:
    return row.get(f"option{number} {part}", "")


def _variant(handle: str, row: dict, names: list[str]) -> Variant:
    axes = {"colour": "", "size": ""}
    values = []
    for number, name in enumerate(names, 1):
        value = _get_option(row, number, "value")
        if value and name.lower() != "title":  # "Title: Default Title" means no options
            values.append(value)
            axis = axis_of(name)
            if axis:
                axes[axis] = value
    tracked = bool(_get(row, "tracker"))
    price = _get(row, "price")
    if not price:
        raise RowError(f"variant {'/'.join(values) or handle} has no price")
    return Variant(
        sku=_get(row, "sku") or "/".join([handle, *values]),
        colour=axes["colour"],
        size=axes["size"],
        price=parse_price(price)[0],
        stock=parse_stock(_get(row, "qty") or "0") if tracked else None,
    )
