"""Product search for spoken queries: any word order, misspellings, mis-recognitions.

1. Each query word that the catalogue does not know is replaced by its
   closest catalogue words (rapidfuzz over the FTS5 vocabulary), so
   "snekers" or "hoddie" still find candidates.
2. FTS5 (bm25) finds up to `CANDIDATES` products having every word (or one
   of its corrections); only when that finds too few, products having any of
   them. bm25 ranks inside the index before any join, and the filters are
   applied in SQL (parameters only): this keeps a query over 100,000
   products within a few milliseconds.
3. rapidfuzz re-ranks them against the title, brand and category, so that a
   mis-heard word ("chocolate list" for "shopping list") costs little.
4. When FTS finds nothing at all, a fuzzy scan of all titles is the fallback.
"""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

import sqlite_utils
import yaml
from rapidfuzz import fuzz, process, utils

from catalog.db import FTS_WEIGHTS, catalog_version
from catalog.morphology import lexicon
from catalog.text import fold

CANDIDATES = 60
WIDEN_BELOW = 3  # fewer products than this with every word: also take those with any
NOT_HEAD_FACTOR = 0.6  # a product whose title's head no query word names, when others' do
HEAD_LIKENESS = 85  # fuzz ratio from which a query word names a head ("shoe", "shoes")
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
    "à",
    "au",
    "aux",
    "en",
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
    stock: int | None = None  # None: not tracked, sold as available
    rating: float | None = None

    @property
    def in_stock(self) -> bool:
        return self.stock is None or self.stock > 0

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
            return self.browse(filters, limit, lang) if _has_filters(filters) else []
        groups = self._expand(words, lang)
        candidates = self._fts(groups, " AND ", filters, lang)
        if len(candidates) < min(limit, WIDEN_BELOW) and len(groups) > 1:
            seen = {c["id"] for c in candidates}
            more = self._fts(groups, " OR ", filters, lang)
            candidates += [c for c in more if c["id"] not in seen]
        if not candidates and not (
            _has_filters(filters) and self._fts(groups, " OR ", Filters(), lang)
        ):
            # The words match nothing at all (rather than nothing within the filters).
            candidates = self._fuzzy_scan(" ".join(words), filters, lang)
        return _rerank(" ".join(words), candidates, limit, groups)

    def known_words(self) -> set[str]:
        """Every word the catalogue uses (as said and as indexed)."""
        self._refresh()
        return self._known

    def brands(self) -> list[str]:
        return [
            r[0] for r in self.db.execute("SELECT DISTINCT brand FROM products WHERE brand != ''")
        ]

    def titles(self, lang: str = "en", limit: int = 2000) -> list[str]:
        """Product titles in `lang` (English where a title lacks it), at most `limit`,
        spread evenly over the catalogue: what its products are called."""
        column = "title_fr" if lang == "fr" else "title_en"
        rows = self.db.execute(
            f"SELECT COALESCE(NULLIF({column}, ''), title_en) FROM products ORDER BY id"
        ).fetchall()
        step = max(1, len(rows) // limit)
        return [r[0] for r in rows[::step][:limit] if r[0]]

    def _refresh(self) -> None:
        version = catalog_version(self.db)
        if version == self._version:
            return
        with self._lock:
            # Corrections are whole words people say (titles, brands, categories,
            # colours), not FTS stems: "rnning" is close to "running", not to "run".
            spoken = set()
            for row in self.db.execute(
                "SELECT title_en, title_fr, brand, category, colours FROM products"
            ):
                spoken.update(_words(fold(" ".join(v for v in row if v))))
            stems = {r[0] for r in self.db.execute("SELECT term FROM products_fts_vocab")}
            self._vocabulary = sorted(w for w in spoken if len(w) > 1)
            known = spoken | stems
            # A shopper's word for what the shop sells is a word of the shop ("course").
            self._known = known | {
                word
                for lang in ("en", "fr")
                for word, targets in _synonyms(lang).items()
                if any(all(fold(w) in known for w in _words(t)) for t in targets)
            }
            self._titles = []
            self._version = version

    def _expand(self, words: list[str], lang: str) -> list[list[str]]:
        """Per query word, the word itself and the shop's words for it ("course" →
        "running", `data/synonyms.yaml`); when the catalogue does not know it, the
        closest words the catalogue uses, unless it is a word of the language in its
        own right: "dos" is not a misspelt "doux", while "chausures" is "chaussures"."""
        groups: list[list[str]] = []
        for said in words:
            word = fold(said)
            synonyms = [fold(s) for s in _synonyms(lang).get(word, [])]
            if synonyms or word in self._known or _stem(word) in self._known:
                groups.append([word, *synonyms])
                continue
            if _a_word_of(said, lang):
                groups.append([word])
                continue
            matches = process.extract(
                word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=70, limit=3
            )
            groups.append([m[0] for m in matches] or [word])
        unique = []
        for group in groups:  # "green valley green tea" asks for "green" once
            if group not in unique:
                unique.append(group)
        return unique

    def _fts(self, groups: list[list[str]], joiner: str, filters: Filters, lang: str) -> list[dict]:
        match = joiner.join(
            "(" + " OR ".join(f'"{t}"' for t in group) + ")"  # porter stems plurals
            for group in groups
        )
        if filters.colour:  # narrows in the index first; the variants check stays exact
            colour = filters.colour.replace('"', "")
            match = f'({match}) AND colours : "{colour}"'
        where, params = _filter_sql(filters)
        weights = ", ".join(str(w) for w in FTS_WEIGHTS)
        if where:  # filters need the products row: join, but sort only rowids
            ranked = f"""
                SELECT p.rowid AS rowid, bm25(products_fts, {weights}) AS rank
                FROM products_fts JOIN products p ON p.rowid = products_fts.rowid
                WHERE products_fts MATCH ? {where} ORDER BY rank LIMIT {CANDIDATES}"""
        else:
            ranked = f"""
                SELECT rowid, bm25(products_fts, {weights}) AS rank FROM products_fts
                WHERE products_fts MATCH ? ORDER BY rank LIMIT {CANDIDATES}"""
        rows = self.db.execute(
            f"SELECT p.*, r.rank FROM ({ranked}) r JOIN products p ON p.rowid = r.rowid "
            "ORDER BY r.rank",
            [match, *params],
        )
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

    def browse(self, filters: Filters, limit: int = 5, lang: str = "en") -> list[Hit]:
        """Best-rated products within the filters, for when nothing was named."""
        where, params = _filter_sql(filters)
        rows = self.db.execute(
            f"SELECT p.* FROM products p WHERE 1 {where} "
            f"ORDER BY p.rating DESC, p.price LIMIT ?",  # unrated (NULL) last
            [*params, limit],
        )
        columns = [c[0] for c in rows.description]
        return [_hit(_with_title(dict(zip(columns, r, strict=True)), lang), 1.0) for r in rows]


@functools.cache
def _synonyms(lang: str) -> dict[str, list[str]]:
    path = Path(__file__).parent / "data" / "synonyms.yaml"
    table = yaml.safe_load(path.read_text(encoding="utf-8")).get(lang) or {}
    return {fold(k): v for k, v in table.items()}


def _a_word_of(word: str, lang: str) -> bool:
    """Whether the lexicon of `lang` lists the word (French only: the DELA)."""
    return lang == "fr" and bool(lexicon().readings(word))


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
        clauses.append("(p.stock IS NULL OR p.stock > 0)")
    variant = []
    if filters.colour:
        variant.append("lower(v.colour) = lower(?)")
        params.append(filters.colour)
    if filters.size:
        variant.append("lower(v.size) = lower(?)")
        params.append(filters.size)
    if variant:
        stock = " AND (v.stock IS NULL OR v.stock > 0)" if filters.in_stock else ""
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


def _rerank(
    query: str, candidates: list[dict], limit: int, groups: list[list[str]] | None = None
) -> list[Hit]:
    """Blend how many query words a product has (fuzzily, a word or a shop's word for
    it: "phone" or "smartphone"), how alike the texts are, FTS5's bm25 relative to the
    best candidate; products that are what a query word names (the head of their title:
    "Smartphone", not the "Phone" of a "Phone Charger") come before those that are not."""
    if not candidates:
        return []
    best = min(c["rank"] for c in candidates) or -1.0
    groups = groups or [[w] for w in _words(query)]
    texts = [_searchable_text(c) for c in candidates]
    tokens = [set(_words(t)) for t in texts]
    # Each distinct candidate word is compared with the query words once, not per product.
    matched = {}
    for token in set().union(*tokens):
        folded = fold(token)
        near = frozenset(
            i
            for i, group in enumerate(groups)
            if any(fuzz.ratio(w, folded, score_cutoff=70) for w in group)
        )
        if near:
            matched[token] = near
    heads = [_is_head(c, groups) for c in candidates]
    scored = []
    for c, text, words, head in zip(candidates, texts, tokens, heads, strict=True):
        covered = set().union(*(matched[t] for t in words if t in matched))
        coverage = len(covered) / len(groups)
        fuzzy = fuzz.token_set_ratio(query, text, processor=utils.default_process) / 100
        lexical = c["rank"] / best if c["rank"] else 0.5
        score = 0.45 * coverage + 0.3 * fuzzy + 0.25 * lexical
        if any(heads) and not head:  # "phone": smartphones before phone chargers
            score *= NOT_HEAD_FACTOR
        scored.append((score, c))
    scored.sort(key=lambda pair: (-pair[0], pair[1]["price"]))
    return [_hit(c, s) for s, c in scored[:limit]]


def _is_head(candidate: dict, groups: list[list[str]]) -> bool:
    """Whether a query word names the head of the product's title: the last word in
    English ("Running Shoes"), the first in French ("Chaussures de course")."""
    english = _words(fold(candidate.get("title_en") or ""))
    french = _words(fold(candidate.get("title_fr") or ""))
    heads = set(english[-1:] + french[:1])
    return any(fuzz.ratio(w, h) >= HEAD_LIKENESS for group in groups for w in group for h in heads)


def _searchable_text(c: dict) -> str:
    parts = [c["title_en"], c.get("title_fr"), c.get("brand"), c.get("category"), c.get("colours")]
    return " ".join(p for p in parts if p)


def _hit(row: dict, score: float) -> Hit:
    return Hit(
        id=row["id"],
        title=row["title"],
        price=row["price"],
        currency=row["currency"],
        score=round(score, 4),
        brand=row.get("brand"),
        category=row.get("category"),
        stock=row.get("stock"),
        rating=row.get("rating"),
    )
