"""Intent and slots for one utterance, in any supported language.

The utterance is normalised and its slots are replaced by placeholders. The
skeleton left is looked up among the expanded sentence templates (an exact match
scores 1.0, the fast path); otherwise the learnt model (`skills/nlu/model.py`,
trained from those templates filled with the shop's own words) gives the intent
and its probability. Rejection weighs that probability against the evidence: a
turn that names something the shop has (a product word, a brand, a colour, a
budget…) needs less confidence than one that names nothing. With the
recogniser's n-best list, the alternative that parses best (weighted by the
recogniser's own confidence) wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from enum import IntEnum

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from catalog.text import fold
from skills.nlu.language import load_language
from skills.nlu.model import OUT_OF_SCOPE, IntentModel, cache_key, cached_model
from skills.nlu.normalize import normalize_text
from skills.nlu.slots import Extraction, SlotExtractor, word_forms
from skills.nlu.training import product_phrases, slot_values, training_sentences

PROPERTY_INTENTS = ("ask_feature",)  # their {product} is a property: "is it waterproof"
PROPERTY_OVER = 0.7  # a model reading surer than this is kept ("il est où mon colis")
EVIDENCE_SLOTS = ("brand", "category", "colour", "size", "budget", "ordinal", "period", "country")


class Evidence(IntEnum):
    """How plainly a turn is about this shop: the less plain, the surer the model must be."""

    NONE = 0
    SHOP_WORDS = 1  # a brand, colour, size, budget… or a word of a product title
    PRODUCT = 2  # a kind of product the shop sells ("tablets", "casque de vélo")


@dataclass(frozen=True)
class RejectionBars:
    """When a reading the templates do not spell out is out of scope (`understanding:`
    in the language file, chosen by `bench/calibrate_understanding.py`)."""

    below: float  # least confidence when the turn names nothing the shop has
    with_evidence_below: float  # least confidence when it names something
    share: float  # out of scope when "not shopping" is this share of the best intent…
    share_naming_product: float  # …or this share, when it names a kind of product sold
    # A low confidence rejects only when "not shopping" has at least this probability:
    # "quelles pointures vous avez" hesitates between sizes and search, not shopping.
    unsure_needs_out_of_scope: float = 0.0

    def rejects(self, reading: Reading, evidence: Evidence) -> bool:
        if reading.example:
            return reading.intent == OUT_OF_SCOPE
        share = self.share_naming_product if evidence is Evidence.PRODUCT else self.share
        if reading.out_of_scope >= share * reading.confidence:
            return True
        if reading.out_of_scope < self.unsure_needs_out_of_scope:
            return False
        return reading.confidence < (self.with_evidence_below if evidence else self.below)


@dataclass
class Reading:
    """One way of understanding the words: an intent and how sure of it."""

    intent: str
    skeleton: str
    confidence: float
    example: str = ""  # the template matched exactly, when one was
    out_of_scope: float = 0.0  # the model's probability that it is not shopping


@dataclass
class Parse:
    intent: str
    slots: dict = field(default_factory=dict)
    confidence: float = 0.0
    text: str = ""
    skeleton: str = ""
    example: str = ""  # the template matched exactly, when one was
    unmatched: list[str] = field(
        default_factory=list
    )  # words neither the shop nor the templates know

    def to_dict(self) -> dict:
        return asdict(self)


class IntentParser:
    """One language's parser, linked to a catalogue by its words, brands and titles."""

    def __init__(
        self,
        lang: str,
        catalog_words: set[str] | None = None,
        brands: Sequence[str] | None = None,
        titles: Sequence[str] | None = None,
    ) -> None:
        self.lang = lang
        self.data = load_language(lang)
        bars = self.data.understanding  # calibrated per language (docs/understanding.md)
        self.bars = RejectionBars(
            bars["reject_below"],
            bars["reject_with_evidence_below"],
            bars["reject_share"],
            bars["reject_share_naming_product"],
            bars.get("unsure_needs_out_of_scope", 0.0),
        )
        self.catalog_words = catalog_words or set()
        brands = list(brands or [])
        self._plurals = self.data.lexicon["plural_endings"]
        self._openers = set(self.data.lexicon["description_openers"])
        self._sentence_words = sorted(self.data.template_words)
        # What names a kind of product: the shop's own (its titles' head nouns) and
        # what other shops sell (asking for what this shop lacks is still shopping).
        self.product_words = {
            form
            for word in _head_words(titles or [], brands, bars["product_head"])
            for form in self._forms(word)
        }
        self._product_phrases = [fold(p) for p in self.data.lexicon["other_products"]]
        self.extractor = SlotExtractor(
            self.data.lexicon,
            self.data.template_words,
            self.catalog_words,
            brands,
            self.data.word_intents,
            head_first=bars["product_head"] == "first",
        )
        self._ignorable = set(self.data.lexicon["ignorable"])
        self._exact: dict[str, str] = {}
        for intent, examples in self.data.examples.items():
            for example in examples:
                self._exact.setdefault(self._reduce(example), intent)
        self.model = self._model(titles or sorted(self.catalog_words)[:400], brands)

    def _model(self, titles: Sequence[str], brands: list[str]) -> IntentModel:
        """The learnt model for this language data and catalogue, built once and cached."""
        phrases = product_phrases(titles, brands)
        key = cache_key(
            self.data.source.encode(),
            "\n".join(sorted(self.catalog_words)).encode(),
            "\n".join(brands).encode(),
            "\n".join(phrases).encode(),
        )
        return cached_model(key, lambda: self._train(phrases, brands))

    def _train(self, phrases: list[str], brands: list[str]) -> IntentModel:
        values = slot_values(self.data, phrases, brands)

        def read(sentence: str) -> str:
            found = self.extractor.extract(normalize_text(sentence, self.lang))
            return self._reduce(self._view(found.skeleton, found.products))

        texts, labels = training_sentences(self.data, values, self._reduce, read)
        return IntentModel(texts, labels)

    def parse(self, text: str, on_table: bool = False) -> Parse:
        """`on_table`: the dialogue has products out (proposed, chosen or in the cart),
        so "add this to my trolley" names something the shop has."""
        normalized = normalize_text(text, self.lang)
        if not normalized:
            return Parse(OUT_OF_SCOPE, {}, 0.0, text)
        best, slots, runs_said, evidence = self._read(normalized)
        if on_table and not best.example and best.confidence < PROPERTY_OVER:
            best = self._property_asked(best) or best
        intent = best.intent
        # With products on the table, only the model's own verdict rejects.
        bars = replace(self.bars, share=1.0, share_naming_product=1.0) if on_table else self.bars
        if bars.rejects(best, Evidence.PRODUCT if on_table else evidence):
            intent = OUT_OF_SCOPE
        unmatched = self._unmatched(runs_said)
        return Parse(intent, slots, best.confidence, text, best.skeleton, best.example, unmatched)

    def _property_asked(self, best: Reading) -> Reading | None:
        """ "Is it waterproof?" about a product on the table: a template whose
        {product} is a property, which the catalogue need not know as a product
        word."""
        intent = self._exact.get(self._reduce(best.skeleton))
        if intent in PROPERTY_INTENTS:
            return Reading(intent, best.skeleton, 0.9, best.skeleton)
        return None

    def weigh(self, text: str) -> tuple[Reading, Evidence] | None:
        """The best reading of `text` before rejection, and how plainly it names what
        the shop has: what the rejection bars are calibrated on."""
        normalized = normalize_text(text, self.lang)
        if not normalized:
            return None
        best, _, _, evidence = self._read(normalized)
        return best, evidence

    def _read(self, normalized: str) -> tuple[Reading, dict, list[str], Evidence]:
        found = self.extractor.extract(normalized)
        best = self._classify(found.skeleton, found.products)
        if not best.example and self._evidence(found, found.slots):
            best = self._sentence_word_misheard(found) or best
        slots, runs_said = found.slots, found.products
        for other, misheard in found.readings:
            runs = list(found.products)
            runs.remove(misheard)
            # A word heard as a product is taken for a sentence word ("my card" → "my
            # cart") only when that makes a sentence the templates spell out.
            said = misheard in self.data.template_words  # not misheard: a word of both
            # The words as heard win ties, unless the word is the templates' own.
            reading = self._classify(other, runs, penalty=1.0 if said else 0.97)
            if reading.example and (
                reading.confidence > best.confidence or (said and not best.example)
            ):
                best, runs_said = reading, runs
                slots = _without_product_word(found.slots, misheard)
        return best, slots, runs_said, self._evidence(found, slots)

    def _classify(self, skeleton: str, runs: list[str], penalty: float = 1.0) -> Reading:
        view = self._reduce(self._view(skeleton, runs)) or "{product}"
        skeleton = self._reduce(skeleton) or "{product}"
        intent = self._exact.get(view)
        if intent:
            return Reading(intent, skeleton, round(penalty, 3), view)
        # A template said with a product the shop does not know ("a large mocha with
        # sugar") counts only beside a slot that is the shop's (a size, a colour…).
        intent = self._exact.get(skeleton)
        if intent and intent != OUT_OF_SCOPE and _has_shop_slot(skeleton):
            return Reading(intent, skeleton, round(0.9 * penalty, 3), skeleton)
        intent = self._described(view)
        if intent:
            return Reading(intent, skeleton, round(0.9 * penalty, 3), view)
        verdict = self.model.predict(view)
        confidence = round(verdict.probability * penalty, 3)
        return Reading(verdict.intent, skeleton, confidence, "", verdict.out_of_scope)

    def _sentence_word_misheard(self, found: Extraction) -> Reading | None:
        """ "add the blue jacket to my card": one sentence word heard as another the
        templates also use ("cart"), one letter apart, in a turn that names what the
        shop has. Taken only when that makes a template exactly."""
        tokens = found.skeleton.split()
        for position, token in enumerate(tokens):
            if token.startswith("{") or len(token) < 4:
                continue
            for near, _, _ in process.extract(
                token, self._sentence_words, scorer=Levenshtein.distance, score_cutoff=1, limit=5
            ):
                if near == token:
                    continue
                other = " ".join([*tokens[:position], near, *tokens[position + 1 :]])
                view = self._reduce(self._view(other, found.products))
                intent = self._exact.get(view)
                if intent and intent != OUT_OF_SCOPE:
                    return Reading(intent, other, 0.9, view)
        return None

    def _described(self, view: str) -> str | None:
        """The intent of "je cherche une poêle qui n'attache pas": a template said up to
        a product the shop knows, then words that describe it (`description_openers`)."""
        tokens = view.split()
        for i in range(1, len(tokens)):
            if tokens[i] in self._openers and tokens[i - 1] == "{product}":
                intent = self._exact.get(" ".join(tokens[:i]))
                if intent and intent != OUT_OF_SCOPE:
                    return intent
        return None

    def _view(self, skeleton: str, runs: list[str]) -> str:
        """The skeleton as the model reads it: a product name the catalogue knows is
        {product}; words it does not know stay words ("email tom", "a recipe"), so
        that what is not shopping does not look like it."""
        if not self.catalog_words:
            return skeleton
        pending = iter(runs)
        tokens = []
        for token in skeleton.split():
            if token == "{product}":
                run = next(pending, "")
                known = any(self._known(w) for w in run.split())
                tokens.append(token if known or not run else run)
            else:
                tokens.append(token)
        return " ".join(tokens)

    def _reduce(self, skeleton: str) -> str:
        """The skeleton without words that never decide an intent (articles, "please")."""
        return " ".join(w for w in skeleton.split() if w not in self._ignorable)

    def _evidence(self, found: Extraction, slots: dict) -> Evidence:
        said = [w for run in found.products for w in run.split()]
        runs = [f" {fold(run)} " for run in found.products]
        if any(self._forms(w) & self.product_words for w in said) or any(
            f" {phrase} " in run for phrase in self._product_phrases for run in runs
        ):
            return Evidence.PRODUCT
        if any(slots.get(name) for name in EVIDENCE_SLOTS) or any(map(self._known, said)):
            return Evidence.SHOP_WORDS
        return Evidence.NONE

    def _known(self, word: str) -> bool:
        return bool(self._forms(word) & self.catalog_words)

    def _forms(self, word: str) -> set[str]:
        return word_forms(word, self._plurals)

    def _unmatched(self, runs: list[str]) -> list[str]:
        """Words taken for a product name that the catalogue does not use."""
        if not self.catalog_words:
            return []
        words = (w for run in runs for w in run.split())
        return list(dict.fromkeys(w for w in words if not self._known(w)))

    def parse_best(
        self, alternatives: Sequence[tuple[str, float]], on_table: bool = False
    ) -> Parse:
        """What was heard first, when it makes sense; else the best parse among the
        recogniser's other hypotheses (text, confidence). A biasing recogniser ranks
        every expected phrase it tried, and each of those parses perfectly, so they
        only stand in for a first hypothesis that is not understood."""
        best: tuple[float, Parse] | None = None
        for rank, (text, asr_confidence) in enumerate(alternatives):
            parsed = self.parse(text, on_table)
            in_scope = parsed.intent != OUT_OF_SCOPE
            if rank == 0 and in_scope:
                return parsed
            # The top hypothesis wins ties; a lower one must parse clearly better.
            weight = parsed.confidence * (0.5 + 0.5 * asr_confidence) - 0.02 * rank
            weight += 0.1 if in_scope else 0.0
            if best is None or weight > best[0]:
                best = (weight, parsed)
        if best is None:
            return Parse(OUT_OF_SCOPE)
        return best[1]


def _has_shop_slot(skeleton: str) -> bool:
    return any(t.startswith("{") and t != "{product}" for t in skeleton.split())


def _without_product_word(slots: dict, word: str) -> dict:
    slots = dict(slots)
    rest = " ".join(w for w in slots.get("product", "").split() if w != word)
    if rest:
        slots["product"] = rest
    else:
        slots.pop("product", None)
    return slots


def _head_words(titles: Sequence[str], brands: Sequence[str], head: str) -> set[str]:
    """The nouns that say what kind of product each title is: its last word in English
    ("Trailmark Light Sandals"), its first in French ("Veste de pluie légère"), brand
    words left out."""
    brand_words = {fold(w) for b in brands for w in b.lower().split()}
    heads = set()
    for title in titles:
        words = [
            w
            for w in fold(title.lower()).split()
            if w not in brand_words and w.replace("-", "").isalpha()
        ]
        if words:
            heads.add(words[-1] if head == "last" else words[0])
    return heads
