"""Understanding on the 100,000-product catalogue: the learnt model beside the
template matcher it replaced, in the same run.

- p95 time to understand one turn (the held-out sentences of tests/nlu_heldout);
- the model's build time with an empty cache and its load time from the cache, and
  the memory it adds to a process, each measured in a fresh interpreter
  (`python -m bench.understanding DB LANG CACHE`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.measure import Row, percentile
from catalog.db import open_db
from catalog.search import CatalogSearch
from skills.nlu.baseline import TemplateMatcher
from skills.nlu.language import LANGUAGES
from skills.nlu.matcher import IntentParser
from skills.nlu.scoring import read_labels

HELDOUT = Path(__file__).resolve().parent.parent / "tests" / "nlu_heldout"
ROUNDS = 3


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status (not Linux?)")


def _probe(db_path: str, lang: str) -> None:
    """One parser built in this interpreter: seconds taken and megabytes added."""
    search = CatalogSearch(open_db(db_path))
    link = (lang, search.known_words(), search.brands(), search.titles(lang))
    TemplateMatcher(*link)  # the extractor and templates, which both methods share
    before, started = _rss_mb(), time.perf_counter()
    IntentParser(*link).parse("warm up")
    print(json.dumps({"s": time.perf_counter() - started, "mb": _rss_mb() - before}))


def _in_fresh_process(db_path: Path, lang: str, cache: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.understanding", str(db_path), lang],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "VOICESHOP_CACHE_DIR": str(cache)},
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _p95_ms(parser, texts: list[str]) -> float:
    times = []
    for _ in range(ROUNDS):
        for text in texts:
            started = time.perf_counter()
            parser.parse(text)
            times.append(time.perf_counter() - started)
    return percentile(times, 95) * 1000


def run(db_path: Path, size: int) -> list[Row]:
    search = CatalogSearch(open_db(db_path))
    rows = []
    for lang in LANGUAGES:
        with tempfile.TemporaryDirectory(prefix="voiceshop-nlu-cache-") as cache:
            built = _in_fresh_process(db_path, lang, Path(cache))
            loaded = _in_fresh_process(db_path, lang, Path(cache))
        link = (lang, search.known_words(), search.brands(), search.titles(lang))
        texts = [text for _, text, _ in read_labels(HELDOUT / f"{lang}.tsv")]
        model, matcher = _p95_ms(IntentParser(*link), texts), _p95_ms(TemplateMatcher(*link), texts)
        rows += [
            Row(
                f"Understanding {lang}, {size:,} products, p95 per turn "
                f"({len(texts) * ROUNDS} turns)",
                f"{model:.2f} ms (learnt model)",
                f"{matcher:.2f} ms (template matcher)",
                "≤ 5 ms",
                model <= 5,
            ),
            Row(
                f"Understanding model {lang}: build, then load from cache; memory added",
                f"{built['s']:.1f} s, {loaded['s']:.2f} s; {built['mb']:.0f} MB",
                "- (the matcher has no model)",
                "build ≤ 60 s, ≤ 300 MB",
                built["s"] <= 60 and built["mb"] <= 300,
            ),
        ]
    return rows


if __name__ == "__main__":
    _probe(sys.argv[1], sys.argv[2])
