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
from catalog.formats.tabular import (
    CatalogFileError,
    delimiter_of,
    read_csv,
    read_json,
    read_jsonl,
    read_text,
)
from catalog.records import RowError

Reader = Callable[[Path], Iterator[tuple[int, "dict | RowError"]]]

READERS: dict[str, Reader] = {
    "csv": read_csv,
    "json": read_json,
    "jsonl": read_jsonl,
    "gmc": read_gmc,
    "magento": read_magento,
}


def detect_format(path: Path) -> str:
    """Guess the format from the file name and first line."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return "jsonl"
    if suffix == ".json":
        return "json"
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        header = handle.readline()
    if suffix in (".tsv", ".txt") or ("\t" in header and "," not in header):
        return "gmc"
    if "configurable_variations" in header or "additional_attributes" in header:
        return "magento"
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
