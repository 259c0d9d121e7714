"""Vosk (Kaldi) engine: true streaming, word timings, n-best and grammar biasing.

Biasing runs two recognisers on the same stream: one free, one constrained to the
phrase list. Vosk compiles a phrase list into a loop of words, so constrained
decoding of speech outside the list still comes out as list words, with high
confidences (measured on the Korean model: 12 of 12 out-of-list utterances came out
as list words, at confidence 0.66-1.0). The constrained result is therefore kept
only when it is one whole phrase of the list (Vosk's loop may echo that phrase's
last words after it); otherwise the free result stands.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Sequence
from functools import cache

import vosk
from num2words import num2words

from voice.stt.base import (
    Alternative,
    ModelNotFoundError,
    Recognizer,
    SpeechEngine,
    Transcript,
    Word,
)

UNKNOWN = "[unk]"
_load_lock = threading.Lock()


@cache
def _shared_model(model_path: str) -> vosk.Model:
    """One loaded model per folder per process, whichever engine asks."""
    vosk.SetLogLevel(-1)
    try:
        return vosk.Model(model_path)
    except Exception as exc:  # vosk raises a bare Exception on a bad folder
        raise ModelNotFoundError(
            f"{model_path} is not a Vosk model folder (it needs am/, conf/ and graph/)."
        ) from exc


class VoskEngine(SpeechEngine):
    name = "vosk"

    def __init__(self, model_path: str, lang: str) -> None:
        super().__init__(model_path, lang)
        with _load_lock:
            self.model = _shared_model(model_path)

    def knows(self, word: str) -> bool:
        """True when the model's vocabulary holds the word."""
        return self.model.vosk_model_find_word(word) != -1

    def grammar(self, phrases: Sequence[str]) -> tuple[list[str], list[str]]:
        """Turn a phrase list into a Vosk grammar.

        Words the model cannot say are dropped from their phrase (a Kaldi
        grammar cannot hold them) and reported; `[unk]` is kept when the model
        has it so that speech outside the list is not forced onto a phrase.
        """
        kept: list[str] = []
        dropped: list[str] = []
        for phrase in phrases:
            words = spoken_numbers(phrase.lower(), self.lang).split()
            known = [w for w in words if self.knows(w)]
            dropped.extend(w for w in words if not self.knows(w) and w not in dropped)
            if known:
                text = " ".join(known)
                if text not in kept:
                    kept.append(text)
        if self.knows(UNKNOWN):
            kept.append(UNKNOWN)
        return kept, dropped

    def recognizer(self, phrases: Sequence[str] | None = None, alternatives: int = 0) -> Recognizer:
        free = VoskRecognizer(self, vosk.KaldiRecognizer(self.model, 16000), alternatives, [])
        if not phrases:
            return free
        grammar, dropped = self.grammar(phrases)
        if not grammar:
            raise ValueError("None of the phrase-list words is in the model's vocabulary.")
        raw = vosk.KaldiRecognizer(self.model, 16000, json.dumps(grammar, ensure_ascii=False))
        constrained = VoskRecognizer(self, raw, alternatives, dropped)
        return BiasedVoskRecognizer(free, constrained, [g for g in grammar if g != UNKNOWN])


class BiasedVoskRecognizer(Recognizer):
    """The free and the phrase-constrained recognisers fed the same stream."""

    def __init__(self, free: VoskRecognizer, constrained: VoskRecognizer, phrases: list[str]):
        super().__init__()
        self._free = free
        self._constrained = constrained
        self._phrases = phrases

    def _accept(self, pcm: bytes) -> None:
        self._free.accept(pcm)
        self._constrained.accept(pcm)

    def partial(self) -> str:
        return self._free.partial()

    def _finish(self) -> Transcript:
        free = self._free.finish()
        constrained = self._constrained.finish()
        phrase = whole_phrase(constrained.text, self._phrases)
        chosen = free
        if phrase:
            chosen = constrained
            chosen.text, chosen.words = phrase, chosen.words[: len(phrase.split())]
        chosen.alternatives = chosen.alternatives or [
            Alternative(t.text, t.confidence) for t in (chosen, free if phrase else constrained)
        ]
        chosen.dropped_phrase_words = constrained.dropped_phrase_words
        return chosen


def whole_phrase(text: str, phrases: Sequence[str]) -> str | None:
    """The phrase `text` says, when it says exactly one of them (optionally followed
    by an echo of that phrase's own last words, an artefact of Vosk's word loop)."""
    words = text.split()
    for phrase in sorted(phrases, key=len, reverse=True):
        said = phrase.split()
        rest = words[len(said) :]
        if (
            words[: len(said)] == said
            and len(rest) < len(said)
            and said[len(said) - len(rest) :] == rest
        ):
            return phrase
    return None


def spoken_numbers(text: str, lang: str) -> str:
    """Digits as words, as the model's vocabulary holds them ("42" → "forty two")."""
    try:
        return re.sub(r"\d+", lambda m: num2words(int(m[0]), lang=lang).replace("-", " "), text)
    except NotImplementedError:  # num2words lacks the language: the digits stay
        return text


class VoskRecognizer(Recognizer):
    def __init__(
        self, engine: VoskEngine, raw: vosk.KaldiRecognizer, alternatives: int, dropped: list[str]
    ) -> None:
        super().__init__()
        self._engine = engine
        self._raw = raw
        self._alternatives = alternatives
        self._dropped = dropped
        self._segments: list[dict] = []
        raw.SetWords(True)
        if alternatives:
            raw.SetMaxAlternatives(alternatives)

    def _accept(self, pcm: bytes) -> None:
        if self._raw.AcceptWaveform(pcm):
            self._segments.append(json.loads(self._raw.Result()))

    def partial(self) -> str:
        current = json.loads(self._raw.PartialResult()).get("partial", "")
        done = [_top_text(s) for s in self._segments]
        return " ".join(t for t in [*done, current] if t)

    def _finish(self) -> Transcript:
        self._segments.append(json.loads(self._raw.FinalResult()))
        segments = [s for s in self._segments if _top_text(s)]
        if self._alternatives:
            words, alternatives = _from_nbest(segments)
        else:
            words = [
                Word(w["word"], w["start"], w["end"], w["conf"])
                for s in segments
                for w in s.get("result", [])
            ]
            alternatives = []
        words = [w for w in words if w.word != UNKNOWN]
        text = " ".join(_top_text(s) for s in segments)
        confidence = sum(w.conf for w in words) / len(words) if words else 0.0
        return Transcript(
            text=text,
            confidence=round(confidence, 4),
            words=words,
            alternatives=alternatives,
            engine=self._engine.name,
            model=self._engine.model_path,
            dropped_phrase_words=list(self._dropped),
        )


def _top_text(segment: dict) -> str:
    if "alternatives" in segment:
        alts = segment["alternatives"]
        return alts[0]["text"] if alts else ""
    return segment.get("text", "")


def _from_nbest(segments: list[dict]) -> tuple[list[Word], list[Alternative]]:
    """Word confidences and sentence alternatives from Vosk's n-best lists.

    Vosk gives n-best hypotheses with a lattice score each but no word
    confidences; a word's confidence is the share of posterior mass (softmax
    of the scores) of the hypotheses that contain it at an overlapping time.
    """
    words: list[Word] = []
    ranked: list[list[str]] = []
    ranked_scores: list[float] = []
    for segment in segments:
        alts = segment["alternatives"]
        top_score = alts[0]["confidence"]
        weights = [math.exp(a["confidence"] - top_score) for a in alts]
        total = sum(weights)
        posteriors = [w / total for w in weights]
        for item in alts[0].get("result", []):
            conf = sum(
                p
                for a, p in zip(alts, posteriors, strict=True)
                if any(
                    o["word"] == item["word"]
                    and o["start"] < item["end"]
                    and o["end"] > item["start"]
                    for o in a.get("result", [])
                )
            )
            words.append(Word(item["word"], item["start"], item["end"], round(conf, 4)))
        for rank, (alt, post) in enumerate(zip(alts, posteriors, strict=True)):
            if rank == len(ranked):
                ranked.append([])
                ranked_scores.append(1.0)
            ranked[rank].append(alt["text"])
            ranked_scores[rank] *= post
    alternatives = [
        Alternative(" ".join(t for t in texts if t), round(score, 4))
        for texts, score in zip(ranked, ranked_scores, strict=True)
    ]
    return words, alternatives
