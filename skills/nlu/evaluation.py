"""Understanding measured on held-out sets: intent accuracy and slot F1 on labelled
shopping turns, the share of non-shopping requests rejected, and the time a turn
takes to understand. Used by `voiceshop evaluate-nlu`, its test and `make bench`.

English non-shopping requests come from SLURP (`../shared/nlu/slurp_devel_en.tsv`):
the rows whose 0-based index has parity `SLURP_TEST_PARITY` are the test part, the
others the only ones thresholds were calibrated on. SLURP's take-away, list and
recommendation rows (`shopping_adjacent` = yes) are left out: a shop may serve them.
"""

from __future__ import annotations

import csv
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from skills.nlu.matcher import OUT_OF_SCOPE, IntentParser
from skills.nlu.scoring import evaluate, read_labels

SLURP_TEST_PARITY = 1


class EvaluationSetError(ValueError):
    """A held-out file is missing or unreadable; the message says which."""


@dataclass
class UnderstandingFigures:
    lang: str
    method: str
    utterances: int
    intent_accuracy: float
    slot_f1: float
    out_of_scope_lines: int
    rejected: float | None  # share of the non-shopping lines rejected
    p95_ms: float

    def to_dict(self) -> dict:
        return asdict(self)


def slurp_lines(path: Path, part: str = "test") -> list[str]:
    """SLURP's non-shopping sentences of one part ("test" or "calibration")."""
    parity = SLURP_TEST_PARITY if part == "test" else 1 - SLURP_TEST_PARITY
    try:
        with path.open(encoding="utf-8", newline="") as file:
            rows = list(csv.DictReader(file, delimiter="\t"))
    except OSError as exc:
        raise EvaluationSetError(f"Cannot read {path}: {exc.strerror}.") from None
    return [
        row["sentence"]
        for index, row in enumerate(rows)
        if index % 2 == parity and row.get("shopping_adjacent") == "no"
    ]


def out_of_scope_lines(folder: Path, lang: str, slurp: Path | None) -> list[str]:
    """The non-shopping lines for `lang`: `<lang>_out_of_scope.txt` in the folder,
    else (English) SLURP's test part."""
    own = folder / f"{lang}_out_of_scope.txt"
    if own.is_file():
        return [
            line.strip() for line in own.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
    if lang == "en" and slurp is not None and slurp.is_file():
        return slurp_lines(slurp, "test")
    return []


def measure(
    parser: IntentParser, method: str, labelled: Path, non_shopping: list[str]
) -> UnderstandingFigures:
    if not labelled.is_file():
        raise EvaluationSetError(f"There is no labelled set at {labelled}.")
    rows = read_labels(labelled)
    report = evaluate(parser, rows)
    timings = []
    for _, text, _ in rows:
        started = time.perf_counter()
        parser.parse(text)
        timings.append((time.perf_counter() - started) * 1000)
    rejected = (
        sum(parser.parse(line).intent == OUT_OF_SCOPE for line in non_shopping) / len(non_shopping)
        if non_shopping
        else None
    )
    return UnderstandingFigures(
        lang=parser.lang,
        method=method,
        utterances=len(rows),
        intent_accuracy=round(report.intent_accuracy, 4),
        slot_f1=round(report.slot_f1, 4),
        out_of_scope_lines=len(non_shopping),
        rejected=None if rejected is None else round(rejected, 4),
        p95_ms=round(float(np.percentile(timings, 95)), 3),
    )
