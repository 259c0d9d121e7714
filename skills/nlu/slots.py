"""Slots found in a normalised utterance, and the skeleton left around them.

Every vocabulary comes from the language data; this module only knows how to
find phrases in a token list (longest first) and what a budget looks like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from catalog.text import fold

NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")
ORDINAL_DIGITS = re.compile(r"^(\d+)(?:st|nd|rd|th|er|ère|re|e|ème|eme)$")
MAX_PHRASE = 5


@dataclass
class Extraction:
    """What the extractor found: slot values and the skeleton for the matcher."""

    slots: dict = field(default_factory=dict)
    skeleton: str = ""
    products: list[str] = field(default_factory=list)
    # Other readings: a one-word "product" that is or sounds like a sentence word may be
    # that word ("stick one in the cart") or a mis-hearing of it ("add it to my card"):
    # (skeleton, the product word it replaces).
    readings: list[tuple[str, str]] = field(default_factory=list)


class PhraseTable:
    """Phrases (token tuples) → value, matched longest first at a token position."""

    def __init__(self, entries: dict) -> None:
        self.table: dict[tuple[str, ...], object] = {}
        for value, phrases in entries.items():
            for phrase in phrases if isinstance(phrases, list) else [phrases]:
                self.table[tuple(str(phrase).lower().split())] = value
        self.longest = max((len(k) for k in self.table), default=0)

    def match(self, tokens: list[str], start: int) -> tuple[object, int] | None:
        for length in range(min(self.longest, len(tokens) - start), 0, -1):
            value = self.table.get(tuple(tokens[start : start + length]))
            if value is not None:
                return value, length
        return None


def word_forms(word: str, plural_endings: dict[str, str]) -> set[str]:
    """A word folded, as said and with a plural ending taken off ("scarves" → "scarf",
    the language file's `plural_endings`)."""
    folded = fold(word)
    forms = {folded}
    for ending, singular in plural_endings.items():
        if folded.endswith(ending) and len(folded) > len(ending) + 1:
            forms.add(folded[: -len(ending)] + singular)
    return forms


def _markers(words: list[str]) -> PhraseTable:
    return PhraseTable({w: [w] for w in words})


class SlotExtractor:
    def __init__(
        self,
        lexicon: dict,
        template_words: set[str],
        catalog_words: set[str] | None = None,
        brands: list[str] | None = None,
        word_intents: dict[str, int] | None = None,
        head_first: bool = False,
    ) -> None:
        # the head noun leads the name ("montre connectée"): French, not English
        self.head_first = head_first
        self.colours = PhraseTable(lexicon["colours"])
        self.sizes = PhraseTable(lexicon["sizes"])
        self.size_words = _markers(lexicon["size_number_words"])
        # "twelve ounce", "2 litres": a size as a number and its unit ("12 oz")
        self.units = {w: unit for unit, words in lexicon["units"].items() for w in words}
        # A size said as one letter ("M") only counts after these words ("in M", "a M").
        self.size_letter_after = set(lexicon["size_letter_after"])
        self.size_number_after = _markers(lexicon["size_number_after"])
        self.time_words = set(lexicon["time_words"])
        self.categories = PhraseTable(lexicon["categories"])
        self.recipients = PhraseTable(lexicon["recipients"])
        self.recipient_markers = _markers(lexicon["recipient_markers"])
        self.uses = PhraseTable(lexicon["uses"])
        self.use_markers = _markers(lexicon["use_markers"])
        self.countries = PhraseTable(lexicon["countries"])
        alternatives = "|".join(f"(?:{p})" for p in lexicon["period_patterns"])
        self.period = re.compile(f"(?:{alternatives})(?= |$)")  # whole words only
        self.period_rewrites = lexicon["period_rewrites"]
        self.ordinals = PhraseTable({int(k): v for k, v in lexicon["ordinals"].items()})
        by_value: dict[int, list[str]] = {}
        for phrase, value in lexicon["quantity_words"].items():
            by_value.setdefault(value, []).append(phrase)
        self.quantities = PhraseTable(by_value)
        budget = lexicon["budget"]
        self.budget_kinds = PhraseTable({k: budget[k] for k in ("max", "min", "around")})
        self.between = _markers(budget["between"])
        self.between_joiner = set(budget["between_joiner"])
        self.max_after = _markers(budget["max_after"])
        self.currency_codes = {
            word: code for code, words in budget["currency"].items() for word in words
        }
        self.currencies = set(self.currency_codes)
        self.filler = PhraseTable({"": lexicon["filler"]})
        # "rouge à lèvres", "face cream": product names whose words are also slots
        self.product_names = PhraseTable({"": lexicon.get("product_names", [])})
        self.cues = PhraseTable(lexicon["cues"])
        self.product_joiners = set(lexicon["product_joiners"])
        self.ordinal_markers = _markers(lexicon["ordinal_markers"])
        self.slot_articles = _markers(lexicon["slot_articles"])
        self.template_words = template_words
        self._template_list = sorted(template_words)  # ties in a fuzzy search: one order
        self.catalog_words = catalog_words or set()
        # A catalogue word that only one intent's sentences use ("table" in "book a
        # table") names a product here; common sentence words ("the", "one") never do.
        self.plural_endings = lexicon["plural_endings"]
        self.product_like = {
            w
            for w in template_words
            if (word_intents or {}).get(w, 0) <= 1 and self._catalogue_word(w)
        }
        self.brands = brands or []
        self._brand_keys = [b.lower() for b in self.brands]

    def _names_product(self, tokens: list[str], i: int) -> bool:
        """A sentence word that here names a product: one only a single intent uses
        ("table"), or, where the noun comes first, a catalogue word before another the
        sentences never use ("une montre connectée", although "montre" also shows)."""
        word = tokens[i]
        if word in self.product_like:
            return True
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        return (
            self.head_first
            and len(word) >= 4  # a noun, not "en" or "de"
            and fold(word) in self.catalog_words
            and bool(after)
            and after not in self.template_words
            and fold(after) in self.catalog_words
            and self._slot_at(tokens, i + 1, {}) is None  # "en rouge" is a colour
        )

    def _unelided(self, token: str) -> str:
        """ "l'écharpe" → "écharpe": an elided article glued to a word the catalogue uses
        is an article like any other (only then: "s'il", "l'ajouter" stay whole)."""
        head, apostrophe, rest = token.partition("'")
        if apostrophe and head in ("l", "d") and rest and self._catalogue_word(rest):
            return rest
        return token

    def _catalogue_word(self, word: str) -> bool:
        return bool(word_forms(word, self.plural_endings) & self.catalog_words)

    def _cues(self, tokens: list[str]) -> tuple[list[str], set[int]]:
        """Cue phrases left to right, longest first ("la mieux notée" is best rated,
        not also the "mieux" of a dearer one), and the positions they cover."""
        cues, covered, i = [], set(), 0
        while i < len(tokens):
            found = self.cues.match(tokens, i)
            if found:
                cues.append(found[0])
                covered.update(range(i, i + found[1]))
            i += found[1] if found else 1
        return cues, covered

    def extract(self, text: str) -> Extraction:
        tokens = [self._unelided(t) for t in text.split()]
        out: list[str] = []  # skeleton tokens
        slots: dict = {}
        cues, cue_words = self._cues(tokens)
        if cues:
            slots["cues"] = list(dict.fromkeys(cues))
        product_runs: list[list[str]] = []
        i = 0
        while i < len(tokens):
            name = self.product_names.match(tokens, i)
            if name:
                if out and out[-1] == "{product}":
                    product_runs[-1].extend(tokens[i : i + name[1]])
                else:
                    out.append("{product}")
                    product_runs.append(tokens[i : i + name[1]])
                i += name[1]
                continue
            step = self._slot_at(tokens, i, slots)
            if step:
                placeholder, length = step
                out.append(placeholder)
                i += length
                continue
            word = tokens[i]
            filler = self.filler.match(tokens, i)
            if filler and not (word in self.template_words and filler[1] == 1):
                i += filler[1]
                continue
            if i in cue_words and not self._catalogue_word(word):  # "the best reviews"
                out.append(word)
                i += 1
                continue
            if word in self.template_words and not self._names_product(tokens, i):
                out.append(word)
            else:
                if out and out[-1] == "{product}":
                    product_runs[-1].append(word)
                else:
                    out.append("{product}")
                    product_runs.append([word])
            i += 1
        out, product_runs = self._join_products(out, product_runs)
        out, product_runs = self._brands_alone(out, product_runs, slots)
        products = [" ".join(run) for run in product_runs]
        if products:
            slots["product"] = " ".join(products)
            self._link_product(" ".join(products), slots)
        readings = self._readings(out, products)
        return Extraction(slots, " ".join(out), products, readings)

    def _readings(self, out: list[str], products: list[str]) -> list[tuple[str, str]]:
        readings = []
        run = 0
        for position, token in enumerate(out):
            if token != "{product}":
                continue
            word = products[run]
            run += 1
            if " " in word or len(word) < 3:
                continue
            heard = [word] if word in self.template_words else []  # "stick one in…"
            heard += [  # "card" may be "cart" misheard
                found[0]
                for found in process.extract(
                    word, self._template_list, scorer=fuzz.ratio, score_cutoff=75, limit=3
                )
                if found[0] != word
            ][:2]  # "car": "card" and "cart" are as near
            for said in heard:
                other = [*out[:position], said, *out[position + 1 :]]
                readings.append((" ".join(other), word))
        return readings[:3]

    def _brands_alone(
        self, out: list[str], runs: list[list[str]], slots: dict
    ) -> tuple[list[str], list[list[str]]]:
        """A "product" that is only a brand ("what about Nordwind") is a {brand}."""
        kept_out: list[str] = []
        kept_runs: list[list[str]] = []
        run = 0
        for token in out:
            if token != "{product}":
                kept_out.append(token)
                continue
            words = runs[run]
            run += 1
            text = " ".join(words)
            brand = next(
                (
                    b
                    for b, k in zip(self.brands, self._brand_keys, strict=True)
                    if fuzz.ratio(k, text) >= 85
                ),
                None,
            )
            if brand:
                slots["brand"] = brand
                kept_out.append("{brand}")
            else:
                kept_out.append(token)
                kept_runs.append(words)
        return kept_out, kept_runs

    def _join_products(
        self, out: list[str], runs: list[list[str]]
    ) -> tuple[list[str], list[list[str]]]:
        """ "{product} de {product}" is one name in French ("chaussures de running")."""
        joined_out: list[str] = []
        joined_runs: list[list[str]] = []
        run = 0
        i = 0
        while i < len(out):
            token = out[i]
            if token != "{product}":
                joined_out.append(token)
                i += 1
                continue
            words = list(runs[run])
            run += 1
            while (
                i + 2 < len(out)
                and out[i + 1] in self.product_joiners
                and out[i + 2] == "{product}"
            ):
                words += [out[i + 1], *runs[run]]
                run += 1
                i += 2
            joined_out.append(token)
            joined_runs.append(words)
            i += 1
        return joined_out, joined_runs

    # -- one slot starting at token i, or None -----------------------------------
    def _slot_at(self, tokens: list[str], i: int, slots: dict) -> tuple[str, int] | None:
        for finder in (
            self._period,
            self._budget,
            self._size,
            self._ordinal,
            self._colour,
            self._country,
            self._recipient,
            self._use,
            self._quantity,
        ):
            found = finder(tokens, i, slots)
            if found:
                return found
        return None

    def _amount(self, tokens: list[str], i: int) -> tuple[float, str | None, int] | None:
        """A number at i, optionally with a currency before or after ("€ 50", "50 euros 99")."""
        start, currency = i, None
        if i < len(tokens) and tokens[i] in self.currencies:
            currency, i = tokens[i], i + 1
        if i >= len(tokens) or not NUMBER.match(tokens[i]):
            return None
        value = float(tokens[i].replace(",", "."))
        i += 1
        if i < len(tokens) and tokens[i] in self.currencies:
            currency, i = tokens[i], i + 1
            if i < len(tokens) and re.fullmatch(r"\d{2}", tokens[i]):  # "29 euros 99"
                value += int(tokens[i]) / 100
                i += 1
        return value, currency, i - start

    def _budget(self, tokens, i, slots):
        kind, length = "max", 0
        if self.between.match(tokens, i):
            low = self._amount(tokens, i + 1)
            joiner = i + 1 + low[2] if low else len(tokens)
            if joiner < len(tokens) and tokens[joiner] in self.between_joiner:
                high = self._amount(tokens, joiner + 1)
                if high:
                    slots["budget"] = {
                        "min": low[0],
                        "max": high[0],
                        "currency": self.currency_codes.get(high[1] or low[1]),
                    }
                    return "{budget}", 2 + low[2] + high[2]
            return None
        found = self.budget_kinds.match(tokens, i)
        if found:
            kind, length = found
        amount = self._amount(tokens, i + length)
        if not amount:
            return None
        after = self.max_after.match(tokens, i + amount[2]) if not length else None
        if after:  # "fifty maximum"
            slots["budget"] = {"max": amount[0], "currency": self.currency_codes.get(amount[1])}
            return "{budget}", amount[2] + after[1]
        if not length and amount[1] is None:
            return None  # a bare number is a quantity or a size, not a budget
        slots["budget"] = {kind: amount[0], "currency": self.currency_codes.get(amount[1])}
        return "{budget}", length + amount[2]

    def _size(self, tokens, i, slots):
        amount = tokens[i] if NUMBER.match(tokens[i]) else None
        if amount is None and (said := self.quantities.match(tokens, i)) and said[1] == 1:
            amount = str(said[0])  # "two litre", "deux litres"
        if amount and i + 1 < len(tokens) and tokens[i + 1] in self.units:
            slots["size"] = f"{amount} {self.units[tokens[i + 1]]}"
            return "{size}", 2
        bare = self.size_number_after.match(tokens, i)
        if bare and (size := self._bare_size(tokens, i + bare[1])):
            slots["size"] = size
            return "{size}", bare[1] + 1
        marker = self.size_words.match(tokens, i)
        if marker and i + marker[1] < len(tokens):
            after = i + marker[1]
            if NUMBER.match(tokens[after]):
                slots["size"] = tokens[after]
                return "{size}", marker[1] + 1
            named = self.sizes.match(tokens, after)
            if named:
                slots["size"] = named[0]
                return "{size}", marker[1] + named[1]
        found = self.sizes.match(tokens, i)
        if found:
            value, length = found
            single = length == 1 and len(tokens[i]) == 1
            if single and not (i and tokens[i - 1] in self.size_letter_after):
                return None
            slots["size"] = value
            return "{size}", length
        return None

    def _bare_size(self, tokens: list[str], i: int) -> str | None:
        """A number that can only be a clothes or shoe size ("en 42", "in a 38"): in
        the size range, and not counting time, money or units."""
        if i >= len(tokens) or not tokens[i].isdigit() or not 16 <= int(tokens[i]) <= 60:
            return None
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if following in self.time_words or following in self.currencies or following in self.units:
            return None
        return tokens[i]

    def _ordinal(self, tokens, i, slots):
        marker = self.ordinal_markers.match(tokens, i)
        if marker and i + marker[1] < len(tokens):
            after = i + marker[1]
            value = tokens[after] if NUMBER.match(tokens[after]) else None
            value = value or self.quantities.match(tokens, after)
            if value:
                number = int(float(value)) if isinstance(value, str) else value[0]
                slots.setdefault("ordinals", []).append(number)
                slots["ordinal"] = slots["ordinals"][0]
                return "{ordinal}", marker[1] + 1
        match = ORDINAL_DIGITS.match(tokens[i])
        if match:
            slots.setdefault("ordinals", []).append(int(match[1]))
            slots["ordinal"] = slots["ordinals"][0]
            return "{ordinal}", 1
        found = self.ordinals.match(tokens, i)
        if found:
            slots.setdefault("ordinals", []).append(found[0])
            slots["ordinal"] = slots["ordinals"][0]
            return "{ordinal}", found[1]
        return None

    def _period(self, tokens, i, slots):
        """A relative date ("last month", "il y a deux semaines"), rewritten into the
        words dateparser reads ("du mois dernier" → "le mois dernier")."""
        found = self.period.match(" ".join(tokens[i:]))
        if not found:
            return None
        said = found.group()
        length = len(said.split())
        for prefix, replacement in self.period_rewrites.items():
            if said.startswith(prefix):
                said = replacement + said[len(prefix) :]
        slots["period"] = said
        return "{period}", length

    def _colour(self, tokens, i, slots):
        found = self.colours.match(tokens, i)
        if found:
            slots["colour"] = found[0]
            return "{colour}", found[1]
        return None

    def _country(self, tokens, i, slots):
        found = self.countries.match(tokens, i)
        if found:
            slots["country"] = found[0]
            return "{country}", found[1]
        return None

    def _marked(self, tokens, i, slots, name: str, markers: PhraseTable, table: PhraseTable):
        """A vocabulary phrase after a marker ("for my dad", "for the kids") → slot `name`.
        The longest marker is tried first, then shorter ones ("pour la" | "la plage")."""
        marker = markers.match(tokens, i)
        if not marker:
            return None
        for length in range(marker[1], 0, -1):
            if length < marker[1] and tuple(tokens[i : i + length]) not in markers.table:
                continue
            start = i + length
            article = self.slot_articles.match(tokens, start)
            for skip in [0] + ([article[1]] if article else []):
                found = table.match(tokens, start + skip)
                if found:
                    slots[name] = found[0]
                    return "{" + name + "}", length + skip + found[1]
        return None

    def _recipient(self, tokens, i, slots):
        return self._marked(tokens, i, slots, "recipient", self.recipient_markers, self.recipients)

    def _use(self, tokens, i, slots):
        return self._marked(tokens, i, slots, "use", self.use_markers, self.uses)

    def _quantity(self, tokens, i, slots):
        counts_time = i + 1 < len(tokens) and tokens[i + 1] in self.time_words
        if counts_time and (NUMBER.match(tokens[i]) or self.quantities.match(tokens, i)):
            return "{number}", 1  # "ten minutes", "trois fois": not how many
        if NUMBER.match(tokens[i]):
            slots["quantity"] = int(float(tokens[i].replace(",", ".")))
            return "{number}", 1
        found = self.quantities.match(tokens, i)
        if not found:
            return None
        value, length = found
        following = tokens[i + length] if i + length < len(tokens) else None
        if value == 1 and (following is None or following in self.template_words):
            return None  # "this one", "une robe"? only "one hoodie" counts
        slots["quantity"] = value
        return "{number}", length

    # -- product words -----------------------------------------------------------
    def _link_product(self, text: str, slots: dict) -> None:
        tokens = text.split()
        for i in range(len(tokens)):
            found = self.categories.match(tokens, i)
            if found:
                slots["category"] = found[0]
                break
        for brand, key in zip(self.brands, self._brand_keys, strict=True):
            size = len(key.split())
            windows = (" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1))
            if any(fuzz.ratio(key, window, score_cutoff=85) for window in windows):
                slots["brand"] = brand
                return
