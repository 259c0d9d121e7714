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
from dataclasses import asdict, dataclass, field

from catalog.text import fold
from skills.nlu.language import load_language
from skills.nlu.model import OUT_OF_SCOPE, IntentModel, cache_key, cached_model
from skills.nlu.normalize import normalize_text
from skills.nlu.slots import Extraction, SlotExtractor
from skills.nlu.training import product_phrases, slot_values, training_sentences

PROPERTY_INTENTS = ("ask_feature",)  # their {product} is a property: "is it waterproof"
PROPERTY_OVER = 0.7  # a model reading surer than this is kept ("il est où mon colis")
EVIDENCE_SLOTS = ("brand", "category", "colour", "size", "budget", "ordinal", "period", "country")


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
        bars = self.data.understanding  # calibrated per language (README, Understanding)
        self.reject_below = bars["reject_below"]
        self.reject_with_evidence_below = bars["reject_with_evidence_below"]
        self.reject_share = bars["reject_share"]
        self.catalog_words = catalog_words or set()
        brands = list(brands or [])
        self.extractor = SlotExtractor(
            self.data.lexicon,
            self.data.template_words,
            self.catalog_words,
            brands,
            self.data.word_intents,
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
        best, slots, runs_said, names_shop_things = self._read(normalized)
        if on_table and not best.example and best.confidence < PROPERTY_OVER:
            best = self._property_asked(best) or best
        intent = best.intent
        evidence = on_table or names_shop_things
        if not best.example and self._rejects(best, evidence, on_table):
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

    def weigh(self, text: str) -> tuple[Reading, bool] | None:
        """The best reading of `text` before rejection, and whether it names something
        the shop has: what the rejection bars are calibrated on."""
        normalized = normalize_text(text, self.lang)
        if not normalized:
            return None
        best, _, _, names_shop_things = self._read(normalized)
        return best, names_shop_things

    def _read(self, normalized: str) -> tuple[Reading, dict, list[str], bool]:
        found = self.extractor.extract(normalized)
        best = self._classify(found.skeleton, found.products)
        slots, runs_said = found.slots, found.products
        for other, misheard in found.readings:
            runs = list(found.products)
            runs.remove(misheard)
            # A word heard as a product is taken for a sentence word ("my card" → "my
            # cart") only when that makes a sentence the templates spell out.
            reading = self._classify(other, runs, penalty=0.97)  # the words as heard win ties
            if reading.example and reading.confidence > best.confidence:
                best, runs_said = reading, runs
                slots = _without_product_word(found.slots, misheard)
        return best, slots, runs_said, self._names_shop_things(found, slots)

    def rejects(self, reading: Reading, evidence: bool, bars: tuple[float, float, float]) -> bool:
        """Whether `bars` (reject_below, reject_with_evidence_below, reject_share) would
        reject this reading with no products on the table."""
        below, with_evidence_below, share = bars
        if reading.example:
            return reading.intent == OUT_OF_SCOPE
        if reading.out_of_scope >= share * reading.confidence:
            return True
        return reading.confidence < (with_evidence_below if evidence else below)

    def _rejects(self, reading: Reading, evidence: bool, on_table: bool) -> bool:
        """Out of scope: likely enough not to be shopping, or too little confidence
        for what the turn names (less is needed when it names something the shop
        has). With products on the table, only the model's own verdict rejects."""
        share = 1.0 if on_table else self.reject_share
        return self.rejects(
            reading, evidence, (self.reject_below, self.reject_with_evidence_below, share)
        )

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
        verdict = self.model.predict(view)
        confidence = round(verdict.probability * penalty, 3)
        return Reading(verdict.intent, skeleton, confidence, "", verdict.out_of_scope)

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

    def _names_shop_things(self, found: Extraction, slots: dict) -> bool:
        if any(slots.get(name) for name in EVIDENCE_SLOTS):
            return True
        return any(self._known(w) for run in found.products for w in run.split())

    def _known(self, word: str) -> bool:
        folded = fold(word)
        forms = {folded, folded.removesuffix("s"), folded.removesuffix("es")}
        return bool(forms & self.catalog_words)

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
