"""Guided discovery: find candidates for the shopper's criteria, decide whether to
ask a question (the one that best splits the candidates) or propose 1–3 products."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from catalog.search import CatalogSearch, Filters, Hit

POOL = 60  # candidates looked at to choose a question
MAX_QUESTIONS = 2
PROPOSALS = 3


@dataclass
class Question:
    attribute: str  # category | budget | colour
    options: list[str]


def filters_for(criteria: dict) -> Filters:
    budget = criteria.get("budget") or {}
    around = budget.get("around")
    return Filters(
        max_price=budget.get("max") if around is None else round(around * 1.2, 2),
        min_price=budget.get("min") if around is None else round(around * 0.8, 2),
        colour=criteria.get("colour"),
        size=criteria.get("size"),
        category=criteria.get("category"),
        brand=criteria.get("brand"),
    )


# Uses that say why, not what: any product may be a gift, so they are not searched.
UNSEARCHED_USES = {"gift"}


USES_FILE = Path(__file__).resolve().parent.parent / "data" / "uses.yaml"


@cache
def use_words() -> dict[str, list[str]]:
    """Catalogue words per use ("cooking" → kitchen, frying pan…), from USES_FILE."""
    return yaml.safe_load(USES_FILE.read_text(encoding="utf-8")) or {}


def query_for(criteria: dict) -> str:
    """Words to search: the product said, else the use ("for running"), said in the
    catalogue's words when the shop lists them ("for cooking": pans, kettles…)."""
    use = criteria.get("use")
    if use and not criteria.get("product") and use in use_words():
        return " ".join(use_words()[use])
    return " ".join(w for w in (criteria.get("product"), use) if w and w not in UNSEARCHED_USES)


def candidates(
    search: CatalogSearch, criteria: dict, lang: str, excluded: list[str], limit: int = POOL
) -> list[Hit]:
    query, filters = query_for(criteria), filters_for(criteria)
    wanted = limit + len(excluded)
    if not query:
        hits = search.browse(filters, wanted, lang)
    else:
        hits = search.search(query, limit=wanted, filters=filters, lang=lang)
        if not hits and criteria.get("use") and criteria.get("product"):
            hits = search.search(criteria["product"], limit=wanted, filters=filters, lang=lang)
    hits = [h for h in hits if h.id not in excluded]
    if hits and query_for(criteria):  # keep the ones that really match what was said
        best = hits[0].score
        hits = [h for h in hits if h.score >= best * 0.8]
    return hits[:limit]


def is_vague(criteria: dict, pool: list[Hit]) -> bool:
    """No product named, or one that spans many kinds of product ("shoes", "a gift")."""
    if not criteria.get("product"):
        return True
    kinds = Counter(_kind(h) for h in pool[:10])
    return len(kinds) > 3


def next_question(criteria: dict, pool: list[Hit], asked: int) -> Question | None:
    """The unanswered attribute whose answers split the candidates most evenly."""
    if asked >= MAX_QUESTIONS or len(pool) <= PROPOSALS:
        return None
    options: dict[str, Counter] = {}
    if not criteria.get("category") and not criteria.get("product"):
        options["category"] = Counter(_top_category(h) for h in pool)
    if not criteria.get("budget"):
        prices = sorted(h.price for h in pool)
        if prices and prices[-1] > 2 * max(prices[0], 1):
            low, high = prices[len(prices) // 3], prices[2 * len(prices) // 3]
            options["budget"] = Counter(
                "low" if h.price <= low else "mid" if h.price <= high else "high" for h in pool
            )
    best = max(
        ((attr, _entropy(counts)) for attr, counts in options.items() if len(counts) > 1),
        key=lambda pair: pair[1],
        default=None,
    )
    if best is None:
        return None
    attribute = best[0]
    return Question(attribute, [v for v, _ in options[attribute].most_common(3)])


def _entropy(counts: Counter) -> float:
    total = sum(counts.values())
    return -sum(c / total * math.log2(c / total) for c in counts.values())


def _top_category(hit: Hit) -> str:
    return (hit.category or "").split(" > ")[0]


def _kind(hit: Hit) -> str:
    return (hit.category or "").split(" > ")[-1]
