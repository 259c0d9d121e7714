"""Biasing Whisper toward expected phrases without letting it hallucinate them.

Measured on our recorded journeys, putting a long phrase list in Whisper's prompt
left the pass rate where it was and made it append words it was never told
("... Thank you very much."). So the audio is encoded once and decoded free into the
beam's n-best (its best is faster-whisper's own decode at temperature 0); the
dialogue's likeliest phrases and those closest to what was heard are scored against
the audio by forced alignment; and every hypothesis is ranked by its acoustic score (mean
log-probability per token) plus a bonus for the share of its word pairs the dialogue
expects. A phrase takes part only if the audio raises its probability well above
what Whisper's language model gives it over silence: a fluent phrase scores fairly
well on any audio, so its raw score alone cannot tell it was said. Speech outside the
list keeps the free decode.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import ctranslate2
import numpy as np
from faster_whisper.tokenizer import Tokenizer
from faster_whisper.transcribe import get_suppressed_tokens, pad_or_trim
from rapidfuzz import fuzz, process

from voice.scoring import normalize_for_wer

N_BEST = 5
# Phrases aligned per utterance, about 7 ms each on 2 cores: the first of the list
# (the dialogue's most likely next phrases), whatever was heard, and those closest to
# what was heard.
LIKELY_PHRASES = 8
CLOSEST_PHRASES = 12
# Tuned on the recorded journeys and ../shared/speech (README, "Catalogue-aware
# recognition"): a fully expected hypothesis gains 3 in log-probability per token, a
# half-expected one an eighth of that (partly expected words are often a mishearing
# of other speech). A phrase competes only when the audio lifts it at least 0.75 per
# token above its probability over silence: at 0.5 out-of-list French speech was
# forced onto phrases, above 1 fewer spoken commands were recovered.
BIAS_WEIGHT = 3.0
MIN_AUDIO_GAIN = 0.75
SILENCE_S = 1.0
PRIORS_KEPT = 20000  # phrases whose silence score is remembered, per model and language
MAX_FRAMES = 3000  # Whisper's 30-second window, in 10 ms feature frames


@dataclass
class Hypothesis:
    text: str
    score: float  # mean log-probability per token
    coverage: float = 0.0  # share of its word pairs found in the expected phrases

    @property
    def ranked(self) -> float:
        return self.score + BIAS_WEIGHT * self.coverage**3


@dataclass
class Window:
    """One utterance's Whisper encoder output, computed once for the n-best and the
    alignments."""

    encoded: ctranslate2.StorageView
    frames: int


def encode(model, audio: np.ndarray) -> Window | None:
    """The encoded utterance, as faster-whisper would encode it; None when it is
    longer than one 30-second window (then it is decoded free)."""
    features = model.feature_extractor(audio)
    frames = features.shape[-1] - 1  # as faster-whisper counts the content frames
    if frames > MAX_FRAMES:
        return None
    window = pad_or_trim(features[:, :frames])[np.newaxis].astype(np.float32)
    return Window(model.encode(window), frames)


def rescore(
    model,
    tokenizer: Tokenizer,
    window: Window,
    phrases: Sequence[str],
    lang: str,
    silence: SilenceScores,
) -> list[Hypothesis]:
    """The beam's n-best (its best is the free decode) and the expected phrases the
    audio supports, best first."""
    encoded, frames = window.encoded, window.frames
    # Decoded as faster-whisper's own transcribe does at temperature 0 (timestamps on,
    # the same suppressed tokens), so its best hypothesis is the free decode. Its
    # fallback to sampling at higher temperatures, when the decode looks poor, is left
    # out: it cost a third of a biased turn, and the expected phrases are there for
    # poor decodes.
    result = model.model.generate(
        encoded,
        [list(tokenizer.sot_sequence)],
        beam_size=N_BEST,
        num_hypotheses=N_BEST,
        return_scores=True,
        suppress_blank=True,
        suppress_tokens=get_suppressed_tokens(tokenizer, (-1,)),
        max_initial_timestamp_index=50,
        max_length=448,
    )[0]
    found: dict[str, Hypothesis] = {}
    free_words: list[str] = []
    for tokens, score in zip(result.sequences_ids, result.scores, strict=True):
        text = tokenizer.decode([t for t in tokens if t < tokenizer.eot]).strip()
        key = normalize_for_wer(text, lang)
        # The n-best often differs in punctuation only, or in leaving words out.
        if key and key not in found and not _drops_words(key.split(), free_words):
            found[key] = Hypothesis(text, float(score))
            free_words = free_words or key.split()
    expected = {_normalized(p, lang): p for p in phrases}
    expected.pop("", None)
    likely = [_normalized(p, lang) for p in phrases[:LIKELY_PHRASES]]
    candidates = [
        expected[key]
        for key in dict.fromkeys([*likely, *_closest(list(found), list(expected))])
        if key in expected and key not in found and not _drops_words(key.split(), free_words)
    ]
    if candidates:
        scores = _aligned_scores(model, tokenizer, np.array(encoded), frames, candidates)
        priors = silence.of(candidates)
        for phrase, score, prior in zip(candidates, scores, priors, strict=True):
            if score - prior >= MIN_AUDIO_GAIN:
                found[normalize_for_wer(phrase, lang)] = Hypothesis(phrase, score)
    known = _known_pairs(tuple(expected))
    for key, hypothesis in found.items():
        pairs = _word_pairs(key)
        hypothesis.coverage = sum(pair in known for pair in pairs) / len(pairs)
    return sorted(found.values(), key=lambda h: h.ranked, reverse=True)


class SilenceScores:
    """What Whisper's language model alone gives each phrase: its mean
    log-probability per token forced onto silence. Phrases come back turn after
    turn, so each is scored once and remembered."""

    def __init__(self, model, tokenizer: Tokenizer) -> None:
        self._model, self._tokenizer = model, tokenizer
        silence = encode(model, np.zeros(int(SILENCE_S * 16000), np.float32))
        self._encoded, self._frames = np.array(silence.encoded), silence.frames
        self._scores: OrderedDict[str, float] = OrderedDict()

    def of(self, phrases: list[str]) -> list[float]:
        new = [p for p in dict.fromkeys(phrases) if p not in self._scores]
        if new:
            scores = _aligned_scores(self._model, self._tokenizer, self._encoded, self._frames, new)
            self._scores.update(zip(new, scores, strict=True))
        for phrase in phrases:
            self._scores.move_to_end(phrase)
        while len(self._scores) > PRIORS_KEPT:
            self._scores.popitem(last=False)
        return [self._scores[p] for p in phrases]


def _closest(heard: list[str], expected: list[str]) -> list[str]:
    """The expected phrases most like any hypothesis of the beam: the free decode
    of a noisy turn varies from run to run ("he didn't talk", "lippin' starg"), its
    n-best holds the other readings ("lil' in stock" for "is it in stock")."""
    best: dict[str, float] = {}
    for text in heard:
        for key, score, _ in process.extract(
            text, expected, scorer=fuzz.ratio, limit=CLOSEST_PHRASES
        ):
            best[key] = max(best.get(key, 0.0), score)
    return sorted(best, key=best.__getitem__, reverse=True)[:CLOSEST_PHRASES]


@lru_cache(maxsize=PRIORS_KEPT)
def _normalized(phrase: str, lang: str) -> str:
    """Phrases come back turn after turn; normalising them is most of the cost of
    reading a list of a thousand."""
    return normalize_for_wer(phrase, lang)


@lru_cache(maxsize=8)
def _known_pairs(expected: tuple[str, ...]) -> frozenset[tuple[str, str]]:
    return frozenset(pair for key in expected for pair in _word_pairs(key))


def _drops_words(words: list[str], heard: list[str]) -> bool:
    """Whether `words` is `heard` with words left out ("5" for "number 5", "show me"
    for "show me t-shirts"): biasing may correct words, never delete them."""
    if len(words) >= len(heard):
        return False
    rest = iter(heard)
    return all(word in rest for word in words)


def _word_pairs(text: str) -> list[tuple[str, str]]:
    """Neighbouring words with the utterance's edges, so that "help" alone matches
    "help" but not "help me", and "white please" matches more than "right please"."""
    words = ["<s>", *text.split(), "</s>"]
    return list(zip(words, words[1:], strict=False))


def _aligned_scores(
    model, tokenizer: Tokenizer, encoded: np.ndarray, frames: int, phrases: list[str]
) -> list[float]:
    """Mean log-probability per token of each phrase, forced onto the audio. Only
    the encoder frames that hold speech are attended to (the window is padded to
    30 s), which makes each alignment about ten times cheaper."""
    kept = min(encoded.shape[1], frames // 2 + 25)
    batch = np.ascontiguousarray(np.repeat(encoded[:, :kept], len(phrases), axis=0))
    tokens = [tokenizer.encode(" " + _as_written(phrase)) for phrase in phrases]
    start = [*tokenizer.sot_sequence, tokenizer.no_timestamps]
    results = model.model.align(ctranslate2.StorageView.from_array(batch), start, tokens, frames)
    return [float(np.mean(np.log(np.maximum(np.array(r.text_token_probs), 1e-9)))) for r in results]


def _as_written(phrase: str) -> str:
    """Whisper writes sentences: a capital first and a full stop last."""
    phrase = phrase.strip()
    return f"{phrase[:1].upper()}{phrase[1:]}."
