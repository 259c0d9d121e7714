"""The template matcher voiceshop used before the learnt model, kept as the baseline
that `voiceshop evaluate-nlu` and `make bench` measure the model against in the same
run: the skeleton's closest template by rapidfuzz, out of scope below 0.72."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process

from skills.nlu.matcher import IntentParser, Reading, RejectionBars

MIN_CONFIDENCE = 0.72


class TemplateMatcher(IntentParser):
    def _model(self, titles: Sequence[str], brands: list[str]) -> None:
        # No model, so no out-of-scope probability: only the closeness bar.
        self.bars = RejectionBars(MIN_CONFIDENCE, MIN_CONFIDENCE, float("inf"), float("inf"))
        self._examples = list(self._exact)
        self._intents = list(self._exact.values())

    def _classify(self, skeleton: str, runs: list[str], penalty: float = 1.0) -> Reading:
        skeleton = self._reduce(skeleton) or "{product}"
        intent = self._exact.get(skeleton)
        if intent:
            return Reading(intent, skeleton, round(penalty, 3), skeleton)
        example, score, index = process.extractOne(skeleton, self._examples, scorer=fuzz.ratio)
        confidence = score / 100 * _literal_coverage(skeleton, example) ** 0.5 * penalty
        return Reading(self._intents[index], skeleton, round(confidence, 3))


def _literal_coverage(skeleton: str, example: str) -> float:
    """Share of the words said (placeholders aside) that the example has too."""
    said = [w for w in skeleton.split() if not w.startswith("{")]
    if not said:
        return 1.0
    known = set(example.split())
    return sum(w in known for w in said) / len(said)
