"""Generic CSV, JSON and JSON Lines catalogues with common column names."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from catalog.records import RowError, Variant, parse_price, parse_stock

# Column names seen in real exports, mapped to our fields (first match wins).
ALIASES = {
    "id": ["id", "sku", "product_id", "reference"],
    "title_en": ["title_en", "title", "name", "product_name"],
    "title_fr": ["title_fr", "nom", "titre"],
    "brand": ["brand", "marque", "manufacturer", "vendor"],
    "category": ["category", "categories", "category_path", "product_type", "categorie"],
    "price": ["price", "prix", "unit_price"],
    "currency": ["currency", "devise"],
    "stock": ["stock", "qty", "quantity", "inventory"],
    "rating": ["rating", "note", "stars"],
    "description_en": ["description_en", "description"],
    "description_fr": ["description_fr"],
    "colour": ["colour", "color", "couleur"],
    "size": ["size", "taille"],
    "group": ["item_group_id", "parent_sku", "parent_id", "group_id"],
    "kind": ["product_type", "type_id"],
}
# Magento's product types: a flat export's "product_type" says these, not a category.
PLATFORM_KINDS = {"simple", "configurable", "virtual", "bundle", "grouped", "downloadable"}


def map_fields(row: dict) -> dict:
    """Our field names from a row that uses any of the usual column names."""
    fields = {}
    for name, columns in _columns_for(tuple(row)):
        for column in columns:  # first non-empty column wins
            value = row[column]
            if value is not None and value != "":
                fields[name] = value
                break
    kind = str(fields.pop("kind", "")).strip().lower()
    if kind in PLATFORM_KINDS:
        fields["kind"] = kind
    if str(fields.get("category", "")).strip().lower() in PLATFORM_KINDS:
        del fields["category"]
    variants = _variants_column(tuple(row))
    if variants is not None and isinstance(row[variants], list):
        fields["variants"] = [_variant(v) for v in row[variants]]
    elif fields.get("colour") or fields.get("size"):
        fields["variants"] = [
            Variant(
                sku=str(fields.get("id", "")),
                colour=str(fields.get("colour", "")),
                size=str(fields.get("size", "")),
                price=parse_price(fields["price"])[0] if fields.get("price") else None,
                stock=parse_stock(fields.get("stock")),
            )
        ]
    return fields


@lru_cache(maxsize=64)
def _columns_for(keys: tuple) -> list[tuple[str, list]]:
    """Per field, the row's own column names that can hold it, in alias order.
    Rows of one file share their keys, so this runs once per file, not per row."""
    by_name = {str(k).strip().lower(): k for k in keys if k is not None}
    mapping = []
    for name, candidates in ALIASES.items():
        columns = [by_name[c] for c in candidates if c in by_name]
        if columns:
            mapping.append((name, columns))
    return mapping


@lru_cache(maxsize=64)
def _variants_column(keys: tuple) -> object | None:
    return next((k for k in keys if k is not None and str(k).strip().lower() == "variants"), None)


def _variant(raw: dict) -> Variant:
    if not isinstance(raw, dict) or not raw.get("sku"):
        raise RowError("a variant has no sku")
    price = parse_price(raw["price"])[0] if raw.get("price") not in (None, "") else None
    return Variant(
        sku=str(raw["sku"]),
        colour=str(raw.get("colour") or raw.get("color") or ""),
        size=str(raw.get("size") or ""),
        price=price,
        stock=parse_stock(raw.get("stock")),
    )


def group_variants(
    rows: Iterator[tuple[int, dict | RowError]],
) -> Iterator[tuple[int, dict | RowError]]:
    """Rows sharing a group id (item_group_id, parent_sku) become one product with
    variants; so do a flat export's simple rows under their configurable parent, found by
    SKU ("MH01-XS-Black" under "MH01"), before or after it. The parent's own row gives
    the product its title, description and categories."""
    rows = list(rows)
    parents = {
        str(fields["id"])
        for _, fields in rows
        if isinstance(fields, dict) and fields.get("kind") == "configurable" and fields.get("id")
    }
    groups: dict[str, tuple[int, dict]] = {}
    for line, fields in rows:
        if isinstance(fields, dict) and str(fields.get("id")) in parents:
            key = str(fields["id"])
            variants = groups[key][1]["variants"] if key in groups else []
            groups[key] = (line, {**fields, "variants": variants})
            continue
        key = None if isinstance(fields, RowError) else _group_of(fields, parents)
        if key is None:
            yield line, fields
            continue
        if key not in groups:
            groups[key] = (line, {**fields, "id": key, "variants": []})
        try:
            own = fields.get("variants") or [
                Variant(sku=str(fields.get("id") or key), stock=parse_stock(fields.get("stock")))
            ]
        except RowError as exc:
            yield line, exc
            continue
        groups[key][1]["variants"].extend(own)
    yield from groups.values()


def _group_of(fields: dict, parents: set[str]) -> str | None:
    """The product a row is a variant of: its group column, else the longest parent
    SKU its own SKU extends."""
    if fields.get("group"):
        return str(fields["group"])
    if not parents or fields.get("kind") == "configurable":
        return None
    parts = str(fields.get("id", "")).split("-")
    for cut in range(len(parts) - 1, 0, -1):
        prefix = "-".join(parts[:cut])
        if prefix in parents:
            return prefix
    return None


def _mapped(rows) -> Iterator[tuple[int, dict | RowError]]:
    for line, row in rows:
        try:
            yield line, map_fields(row)
        except RowError as exc:
            yield line, exc


def read_csv(path: Path) -> Iterator[tuple[int, dict | RowError]]:
    """A CSV as spreadsheets write them: comma, semicolon or tab, UTF-8 (with or
    without BOM) or Windows-1252; a row whose fields do not fit the header, or an
    unclosed quote, is rejected at the line where it starts."""
    text = read_text(path)
    yield from group_variants(_mapped_or_error(csv_rows(text)))


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (a BOM is dropped), else Windows-1252, as French Excel
    saves; a binary file (audio, an image, a spreadsheet) is refused in one sentence."""
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise CatalogFileError("it is binary data, not a text catalogue (CSV, JSON or TSV).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


class CatalogFileError(ValueError):
    """The file as a whole cannot be a catalogue; the message says why."""


def delimiter_of(text: str) -> str:
    """The header's delimiter: the one of comma, semicolon and tab it uses most."""
    header = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=header.count)


def csv_rows(text: str) -> Iterator[tuple[int, dict | RowError]]:
    """(line, {header: value}) per row, or (line, RowError) for a row that does not fit."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text), strict=True)
    header: list[str] | None = None
    while True:
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, RowError(f"the row is not valid CSV ({exc}): an unclosed quote?")
            return  # the reader cannot find where the next row starts
        if header is None:
            header = [h.strip() for h in values]
            continue
        if not any(v.strip() for v in values):
            continue  # a blank line
        if len(values) != len(header):
            yield start, RowError(f"the row has {len(values)} fields, the header {len(header)}")
            continue
        yield start, dict(zip(header, values, strict=True))


def read_jsonl(path: Path) -> Iterator[tuple[int, dict | RowError]]:
    def rows():
        for line_no, line in enumerate(read_text(path).splitlines(), 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                yield line_no, RowError(f"invalid JSON: {exc.msg}")
                continue
            if not isinstance(item, dict):
                yield line_no, RowError("a line is not a JSON object")
                continue
            yield line_no, item

    yield from group_variants(_mapped_or_error(rows()))


def read_json(path: Path) -> Iterator[tuple[int, dict | RowError]]:
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        yield exc.lineno, RowError(f"the file is not valid JSON: {exc.msg}")
        return
    items = data.get("products") if isinstance(data, dict) else data
    if not isinstance(items, list):
        yield 1, RowError('expected a list of products or {"products": [...]}')
        return
    rows = (
        (n, item if isinstance(item, dict) else RowError("an entry is not a JSON object"))
        for n, item in enumerate(items, 1)
    )
    yield from group_variants(_mapped_or_error(rows))


def _mapped_or_error(rows) -> Iterator[tuple[int, dict | RowError]]:
    for line, item in rows:
        if isinstance(item, RowError):
            yield line, item
        else:
            yield from _mapped([(line, item)])
