"""Readers for each catalogue file format.

Each reader yields (line number, mapped fields) or (line number, RowError):
it knows its format's columns, never the validation rules (catalog.records).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

from catalog.formats.gmc import read_gmc
from catalog.formats.magento import read_magento
from catalog.formats.shopify import read_shopify
from catalog.formats.tabular import (
    CatalogFileError,
    delimiter_of,
    read_csv,
    read_json,
    read_jsonl,
    read_text,
)
from catalog.formats.woocommerce import read_woocommerce
from catalog.records import RowError

Reader = Callable[[Path], Iterator[tuple[int, "dict | RowError"]]]

READERS: dict[str, Reader] = {
    "csv": read_csv,
    "json": read_json,
    "jsonl": read_jsonl,
    "gmc": read_gmc,
    "magento": read_magento,
    "shopify": read_shopify,
    "woocommerce": read_woocommerce,
}
# Columns only each platform's export has, lower case: all of one set names the format.
PLATFORM_HEADERS = {
    "shopify": [{"handle", "variant price"}, {"url handle", "option1 name"}],
    "woocommerce": [{"type", "parent", "regular price"}, {"attribute 1 name", "regular price"}],
    "magento": [{"configurable_variations"}, {"additional_attributes"}],
}


def detect_format(path: Path) -> str:
    """Guess the format from the file name and header: a platform's own export by the
    columns only it has, else a TSV feed or a CSV with common column names."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return "jsonl"
    if suffix == ".json":
        return "json"
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        header = handle.readline()
    columns = {c.strip().strip('"').lower() for c in header.split(delimiter_of(header))}
    for fmt, signatures in PLATFORM_HEADERS.items():
        if any(signature <= columns for signature in signatures):
            return fmt
    if suffix in (".tsv", ".txt") or ("\t" in header and "," not in header):
        return "gmc"
    return "csv"


def columns_of(path: Path, fmt: str) -> list[str]:
    """The columns (or a JSON object's keys) the file names, to say what was seen
    when no product was found."""
    try:
        text = read_text(path)
    except (OSError, CatalogFileError):
        return []
    if fmt in ("json", "jsonl"):
        try:
            first = json.loads(text) if fmt == "json" else json.loads(text.splitlines()[0])
        except (json.JSONDecodeError, IndexError):
            return []
        if isinstance(first, dict) and isinstance(first.get("products"), list):
            first = first["products"]
        if isinstance(first, list):
            first = first[0] if first else {}
        return list(first) if isinstance(first, dict) else []
    header = text.split("\n", 1)[0]
    delimiter = "\t" if fmt == "gmc" else delimiter_of(text)
    return [c.strip().strip('"') for c in header.split(delimiter) if c.strip()]


__all__ = ["READERS", "CatalogFileError", "columns_of", "detect_format"]
