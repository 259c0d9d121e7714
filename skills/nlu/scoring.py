"""Intent accuracy and slot F1 of a parser on a labelled set (tests/nlu_eval)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from skills.nlu.matcher import IntentParser

SCORED_SLOTS = {
    "colour",
    "size",
    "quantity",
    "ordinal",
    "country",
    "recipient",
    "use",
    "category",
    "brand",
    "budget.max",
    "budget.min",
    "budget.around",
    "period",
}


@dataclass
class EvalReport:
    utterances: int = 0
    intent_accuracy: float = 0.0
    slot_precision: float = 0.0
    slot_recall: float = 0.0
    slot_f1: float = 0.0
    errors: list[dict] = field(default_factory=list)
    confusions: Counter = field(default_factory=Counter)


def read_labels(path: Path) -> list[tuple[str, str, dict[str, str]]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        intent, text, *rest = line.split("\t")
        slots = dict(pair.split("=", 1) for pair in (rest[0] if rest else "").split(";") if pair)
        rows.append((intent, text, slots))
    return rows


def flat_slots(slots: dict) -> dict[str, str]:
    """Slots as comparable "name" → "value" strings (budget parts flattened)."""
    flat = {}
    for name, value in slots.items():
        if name == "budget" and isinstance(value, dict):
            for part in ("max", "min", "around"):
                if value.get(part) is not None:
                    flat[f"budget.{part}"] = _number(value[part])
        elif name in SCORED_SLOTS:
            flat[name] = _number(value) if isinstance(value, (int, float)) else str(value)
    return flat


def evaluate(parser: IntentParser, rows: list[tuple[str, str, dict[str, str]]]) -> EvalReport:
    report = EvalReport(utterances=len(rows))
    right = true_pos = predicted = expected = 0
    for intent, text, slots in rows:
        parse = parser.parse(text)
        got = flat_slots(parse.slots)
        want = {k: _number(v) if _is_number(v) else v for k, v in slots.items()}
        right += parse.intent == intent
        true_pos += sum(got.get(k) == v for k, v in want.items())
        predicted += len(got)
        expected += len(want)
        if parse.intent != intent or got != want:
            report.errors.append(
                {"text": text, "intent": intent, "got": parse.intent, "slots": want, "found": got}
            )
        if parse.intent != intent:
            report.confusions[(intent, parse.intent)] += 1
    report.intent_accuracy = right / len(rows)
    report.slot_precision = true_pos / predicted if predicted else 1.0
    report.slot_recall = true_pos / expected if expected else 1.0
    total = report.slot_precision + report.slot_recall
    report.slot_f1 = 2 * report.slot_precision * report.slot_recall / total if total else 0.0
    return report


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _number(value: object) -> str:
    return f"{float(value):g}"
