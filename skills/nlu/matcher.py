"""Intent and slots for one utterance, in any supported language.

The utterance is normalised, its slots are replaced by placeholders, and the
skeleton left is compared with the expanded sentence templates: an exact match
scores 1.0, otherwise rapidfuzz's closest example gives the intent and the
confidence. Below `MIN_CONFIDENCE` the parse is out of scope rather than a
wrong guess. With the recogniser's n-best list, the alternative that parses
best (weighted by the recogniser's own confidence) wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from rapidfuzz import fuzz, process

from skills.nlu.language import load_language
from skills.nlu.normalize import normalize_text
from skills.nlu.slots import SlotExtractor

MIN_CONFIDENCE = 0.72
OUT_OF_SCOPE = "out_of_scope"


@dataclass
class Parse:
    intent: str
    slots: dict = field(default_factory=dict)
    confidence: float = 0.0
    text: str = ""
    skeleton: str = ""
    example: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


class IntentParser:
    """One language's parser; `catalog_words` and `brands` link it to a catalogue."""

    def __init__(
        self,
        lang: str,
        catalog_words: set[str] | None = None,
        brands: Sequence[str] | None = None,
    ) -> None:
        self.lang = lang
        self.data = load_language(lang)
        self.extractor = SlotExtractor(
            self.data.lexicon,
            self.data.template_words,
            catalog_words,
            list(brands or []),
            self.data.word_intents,
        )
        self._ignorable = set(self.data.lexicon["ignorable"])
        self._exact: dict[str, str] = {}
        for intent, examples in self.data.examples.items():
            for example in examples:
                self._exact.setdefault(self._reduce(example), intent)
        self._examples = list(self._exact)
        self._intents = list(self._exact.values())

    def parse(self, text: str) -> Parse:
        normalized = normalize_text(text, self.lang)
        if not normalized:
            return Parse(OUT_OF_SCOPE, {}, 0.0, text)
        found = self.extractor.extract(normalized)
        best = self._match(found.skeleton)
        slots = found.slots
        for skeleton, misheard in found.readings:
            reading = self._match(skeleton, penalty=0.97)  # the words as heard win ties
            if reading[2] > best[2]:
                best = reading
                slots = _without_product_word(found.slots, misheard)
        intent, skeleton, confidence, example = best
        if confidence < MIN_CONFIDENCE:
            intent = OUT_OF_SCOPE
        return Parse(intent, slots, confidence, text, skeleton, example)

    def _match(self, skeleton: str, penalty: float = 1.0) -> tuple[str, str, float, str]:
        """(intent, reduced skeleton, confidence, closest example)."""
        skeleton = self._reduce(skeleton) or "{product}"
        intent = self._exact.get(skeleton)
        if intent:
            return intent, skeleton, round(penalty, 3), skeleton
        example, score, index = process.extractOne(skeleton, self._examples, scorer=fuzz.ratio)
        confidence = score / 100 * _literal_coverage(skeleton, example) ** 0.5 * penalty
        return self._intents[index], skeleton, round(confidence, 3), example

    def _reduce(self, skeleton: str) -> str:
        """The skeleton without words that never decide an intent (articles, "please")."""
        return " ".join(w for w in skeleton.split() if w not in self._ignorable)

    def parse_best(self, alternatives: Sequence[tuple[str, float]]) -> Parse:
        """The best parse among the recogniser's alternatives (text, confidence)."""
        best: tuple[float, Parse] | None = None
        for rank, (text, asr_confidence) in enumerate(alternatives):
            parsed = self.parse(text)
            in_scope = parsed.intent != OUT_OF_SCOPE
            # The top hypothesis wins ties; a lower one must parse clearly better.
            weight = parsed.confidence * (0.5 + 0.5 * asr_confidence) - 0.02 * rank
            weight += 0.1 if in_scope else 0.0
            if best is None or weight > best[0]:
                best = (weight, parsed)
        if best is None:
            return Parse(OUT_OF_SCOPE)
        return best[1]


def _literal_coverage(skeleton: str, example: str) -> float:
    """Share of the words said (placeholders aside) that the example has too: close
    strings made of other words ("on the …" vs "put the …") are not a match."""
    said = [w for w in skeleton.split() if not w.startswith("{")]
    if not said:
        return 1.0
    known = set(example.split())
    return sum(w in known for w in said) / len(said)


def _without_product_word(slots: dict, word: str) -> dict:
    slots = dict(slots)
    rest = " ".join(w for w in slots.get("product", "").split() if w != word)
    if rest:
        slots["product"] = rest
    else:
        slots.pop("product", None)
    return slots
