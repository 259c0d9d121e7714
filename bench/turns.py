"""Text turn latency (understanding + dialogue + catalogue, no audio) over the
100,000-product catalogue, beside the catalogue search alone for the same turns.

The turns are the conversation tests' (tests/conversations), replayed in their
sessions so that follow-ups ("the second one", "cheaper") have their context.
"""

from __future__ import annotations

import time
from pathlib import Path

import yaml

from bench.measure import Row, ms, percentile
from catalog.db import open_db
from catalog.search import CatalogSearch
from skills.dialogue.discovery import query_for
from skills.dialogue.manager import ShoppingSkill
from skills.dialogue.state import DialogueState

CONVERSATIONS = Path(__file__).resolve().parent.parent / "tests" / "conversations"
ROUNDS = 3


def run(db_path: Path, size: int) -> list[Row]:
    db = open_db(db_path)
    search = CatalogSearch(db)
    rows = []
    for lang in ("en", "fr"):
        skill = ShoppingSkill(db, lang)
        data = yaml.safe_load((CONVERSATIONS / f"{lang}.yaml").read_text(encoding="utf-8"))
        turns, searches = [], []
        for _ in range(ROUNDS):
            for conversation in data["conversations"]:
                state = DialogueState(lang=lang)
                for turn in conversation["turns"]:
                    started = time.perf_counter()
                    reply = skill.turn(state, str(turn["say"]))
                    turns.append(time.perf_counter() - started)
                    query = query_for(reply.slots)
                    if query:
                        started = time.perf_counter()
                        search.search(query, limit=5, lang=lang)
                        searches.append(time.perf_counter() - started)
        p95 = percentile(turns, 95)
        rows.append(
            Row(
                f"Text turn {lang}, {size:,} products, p50 / p95 ({len(turns)} turns)",
                f"{ms(percentile(turns, 50))} / {ms(p95)}",
                f"{ms(percentile(searches, 50))} / {ms(percentile(searches, 95))} (search alone)",
                "p95 < 20 ms",
                p95 < 0.020,
            )
        )
    return rows
