"""Readers for each catalogue file format.

Each reader yields (line number, mapped fields) or (line number, RowError):
it knows its format's columns, never the validation rules (catalog.records).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from catalog.formats.gmc import read_gmc
from catalog.formats.magento import read_magento
from catalog.formats.tabular import read_csv, read_json, read_jsonl
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
