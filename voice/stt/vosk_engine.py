"""Vosk (Kaldi) engine: true streaming, word timings, n-best and grammar biasing."""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Sequence
from functools import cache

import vosk

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
            words = phrase.lower().split()
            known = [w for w in words if self.knows(w)]
            dropped.extend(w for w in words if not self.knows(w) and w not in dropped)
            if known:
                text = " ".join(known)
                if text not in kept:
                    kept.append(text)
        if self.knows(UNKNOWN):
            kept.append(UNKNOWN)
        return kept, dropped

    def recognizer(
        self, phrases: Sequence[str] | None = None, alternatives: int = 0
    ) -> VoskRecognizer:
        if phrases:
            grammar, dropped = self.grammar(phrases)
            if not grammar:
                raise ValueError("None of the phrase-list words is in the model's vocabulary.")
            raw = vosk.KaldiRecognizer(self.model, 16000, json.dumps(grammar, ensure_ascii=False))
        else:
            dropped = []
            raw = vosk.KaldiRecognizer(self.model, 16000)
        return VoskRecognizer(self, raw, alternatives, dropped)


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
