"""Product search for spoken queries: any word order, misspellings, mis-recognitions.

1. Each query word that the catalogue does not know is replaced by its
   closest catalogue words (rapidfuzz over the FTS5 vocabulary), so
   "snekers" or "hoddie" still find candidates.
2. FTS5 (bm25) finds up to `CANDIDATES` products with any of the words,
   with the filters applied in SQL (parameters only).
3. rapidfuzz re-ranks them against the title, brand and category, so that a
   mis-heard word ("chocolate list" for "shopping list") costs little.
4. When FTS finds nothing at all, a fuzzy scan of all titles is the fallback.
"""

from __future__ import annotations

import re
import threading
from dataclasses import asdict, dataclass

import sqlite_utils
from rapidfuzz import fuzz, process, utils

from catalog.db import FTS_WEIGHTS, catalog_version

CANDIDATES = 200
STOPWORDS = {
    "a",
    "an",
    "the",
    "some",
    "any",
    "for",
    "of",
    "with",
    "and",
    "or",
    "to",
    "in",
    "on",
    "me",
    "my",
    "i",
    "want",
    "need",
    "show",
    "find",
    "looking",
    "buy",
    "please",
    "do",
    "you",
    "have",
    "un",
    "une",
    "des",
    "le",
    "la",
    "les",
    "de",
    "du",
    "pour",
    "avec",
    "et",
    "ou",
    "je",
    "veux",
    "cherche",
    "moi",
    "mon",
    "ma",
    "mes",
    "montre",
    "montrez",
    "avez",
    "vous",
    "s'il",
    "plait",
}


@dataclass
class Hit:
    id: str
    title: str
    price: float
    currency: str
    score: float
    brand: str | None = None
    category: str | None = None
    stock: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Filters:
    max_price: float | None = None
    min_price: float | None = None
    colour: str | None = None
    size: str | None = None
    category: str | None = None
    brand: str | None = None
    in_stock: bool = False


class CatalogSearch:
    """Search over one catalogue database; caches its vocabulary until the next import."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._lock = threading.Lock()
        self._version = -1
        self._vocabulary: list[str] = []
        self._known: set[str] = set()
        self._titles: list[tuple[str, str]] = []

    def search(
        self, query: str, limit: int = 5, filters: Filters | None = None, lang: str = "en"
    ) -> list[Hit]:
        """Products ranked for the spoken or typed query, best first (score 0–1)."""
        filters = filters or Filters()
        self._refresh()
        words = [w for w in _words(query) if w not in STOPWORDS]
        if not words:
            return self._browse(filters, limit, lang) if _has_filters(filters) else []
        terms = self._expand(words)
        candidates = self._fts(terms, filters, lang)
        if not candidates:
            candidates = self._fuzzy_scan(" ".join(words), filters, lang)
        return _rerank(" ".join(words), candidates, limit)

    def _refresh(self) -> None:
        version = catalog_version(self.db)
        if version == self._version:
            return
        with self._lock:
            vocabulary = [
                r[0]
                for r in self.db.execute(
                    "SELECT term FROM products_fts_vocab WHERE length(term) > 1"
                )
            ]
            self._vocabulary = vocabulary
            self._known = set(vocabulary)
            self._titles = []
            self._version = version

    def _expand(self, words: list[str]) -> list[str]:
        """Query words plus, for unknown ones, the closest words the catalogue uses."""
        terms: list[str] = []
        for word in words:
            stem = _stem(word)
            if stem in self._known or word in self._known:
                terms.append(word)
                continue
            matches = process.extract(
                word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=70, limit=3
            )
            terms.extend(m[0] for m in matches)
            if not matches:
                terms.append(word)
        return terms

    def _fts(self, terms: list[str], filters: Filters, lang: str) -> list[dict]:
        match = " OR ".join(f'"{t}"*' if len(t) > 3 else f'"{t}"' for t in terms)
        where, params = _filter_sql(filters)
        weights = ", ".join(str(w) for w in FTS_WEIGHTS)
        sql = f"""
            SELECT p.*, bm25(products_fts, {weights}) AS rank
            FROM products_fts JOIN products p ON p.rowid = products_fts.rowid
            WHERE products_fts MATCH ? {where}
            ORDER BY rank LIMIT {CANDIDATES}"""
        rows = self.db.execute(sql, [match, *params])
        columns = [c[0] for c in rows.description]
        return [_with_title(dict(zip(columns, row, strict=True)), lang) for row in rows]

    def _fuzzy_scan(self, query: str, filters: Filters, lang: str) -> list[dict]:
        with self._lock:
            if not self._titles:
                self._titles = [
                    tuple(r)
                    for r in self.db.execute(
                        "SELECT id, title_en || ' ' || coalesce(title_fr, '') || ' ' || "
                        "coalesce(brand, '') FROM products"
                    )
                ]
        best = process.extract(
            query,
            {pid: text for pid, text in self._titles},
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            score_cutoff=65,
            limit=CANDIDATES,
        )
        if not best:
            return []
        ids = [b[2] for b in best]
        where, params = _filter_sql(filters)
        rows = self.db.execute(
            f"SELECT p.*, 0.0 AS rank FROM products p WHERE p.id IN "
            f"({','.join('?' * len(ids))}) {where}",
            [*ids, *params],
        )
        columns = [c[0] for c in rows.description]
        return [_with_title(dict(zip(columns, row, strict=True)), lang) for row in rows]

    def _browse(self, filters: Filters, limit: int, lang: str) -> list[Hit]:
        where, params = _filter_sql(filters)
        rows = self.db.execute(
            f"SELECT p.* FROM products p WHERE 1 {where} "
            f"ORDER BY coalesce(p.rating, 0) DESC, p.price LIMIT ?",
            [*params, limit],
        )
        columns = [c[0] for c in rows.description]
        return [_hit(_with_title(dict(zip(columns, r, strict=True)), lang), 1.0) for r in rows]


def _words(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.lower())


def _stem(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _has_filters(filters: Filters) -> bool:
    return any(v not in (None, False) for v in asdict(filters).values())


def _filter_sql(filters: Filters) -> tuple[str, list]:
    clauses, params = [], []
    if filters.max_price is not None:
        clauses.append("p.price <= ?")
        params.append(filters.max_price)
    if filters.min_price is not None:
        clauses.append("p.price >= ?")
        params.append(filters.min_price)
    if filters.category:
        clauses.append("p.categories LIKE ?")
        params.append(f"%{filters.category}%")
    if filters.brand:
        clauses.append("lower(p.brand) = lower(?)")
        params.append(filters.brand)
    if filters.in_stock:
        clauses.append("p.stock > 0")
    variant = []
    if filters.colour:
        variant.append("lower(v.colour) = lower(?)")
        params.append(filters.colour)
    if filters.size:
        variant.append("lower(v.size) = lower(?)")
        params.append(filters.size)
    if variant:
        stock = " AND v.stock > 0" if filters.in_stock else ""
        clauses.append(
            "EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id AND "
            + " AND ".join(variant)
            + stock
            + ")"
        )
    return "".join(f" AND {c}" for c in clauses), params


def _with_title(row: dict, lang: str) -> dict:
    row["title"] = (row.get("title_fr") if lang == "fr" else None) or row["title_en"]
    return row


def _rerank(query: str, candidates: list[dict], limit: int) -> list[Hit]:
    """Blend how many query words a product has (fuzzily), how alike the texts are,
    and FTS5's bm25 relative to the best candidate."""
    if not candidates:
        return []
    best = min(c["rank"] for c in candidates) or -1.0
    query_words = _words(query)
    scored = []
    for c in candidates:
        text = " ".join(
            filter(
                None,
                [
                    c["title_en"],
                    c.get("title_fr"),
                    c.get("brand"),
                    c.get("category"),
                    c.get("colours"),
                ],
            )
        )
        tokens = _words(text)
        covered = sum(
            1
            for w in query_words
            if process.extractOne(w, tokens, scorer=fuzz.ratio, score_cutoff=70) is not None
        )
        coverage = covered / len(query_words)
        fuzzy = fuzz.token_set_ratio(query, text, processor=utils.default_process) / 100
        lexical = c["rank"] / best if c["rank"] else 0.5
        score = 0.45 * coverage + 0.3 * fuzzy + 0.25 * lexical
        scored.append((score, c))
    scored.sort(key=lambda pair: (-pair[0], pair[1]["price"]))
    return [_hit(c, s) for s, c in scored[:limit]]


def _hit(row: dict, score: float) -> Hit:
    return Hit(
        id=row["id"],
        title=row["title"],
        price=row["price"],
        currency=row["currency"],
        score=round(score, 4),
        brand=row.get("brand"),
        category=row.get("category"),
        stock=row.get("stock") or 0,
    )
