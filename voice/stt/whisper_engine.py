"""Whisper engine through faster-whisper (CTranslate2), for when no Vosk model fits.

Whisper decodes whole utterances, so the recogniser buffers the stream and
decodes it again for partials (at most once per second of new audio).
Biasing ranks the beam's n-best and the expected phrases by how well the
audio holds them (whisper_bias.py); prompts were measured to cause hallucinations.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import cache

import numpy as np

from voice.stt.base import (
    Alternative,
    ModelNotFoundError,
    Recognizer,
    SpeechEngine,
    Transcript,
    Word,
)

PARTIAL_EVERY_BYTES = 16000 * 2  # one second of 16 kHz int16
_load_lock = threading.Lock()
# CTranslate2 runs one decode at a time per model here; a lock per model keeps
# concurrent callers (threads of the web app) from interleaving.
_decode_locks: dict[str, threading.Lock] = {}


@cache
def _shared_model(model_path: str):
    """One loaded model per folder per process, shared by every language."""
    try:
        from faster_whisper import WhisperModel
    except ImportError as exc:
        raise ModelNotFoundError(
            "The whisper engine needs faster-whisper: pip install 'voiceshop[whisper]'."
        ) from exc
    if not os.path.isfile(os.path.join(model_path, "model.bin")):
        raise ModelNotFoundError(
            f"{model_path} is not a CTranslate2 Whisper model folder (no model.bin)."
        )
    _decode_locks[model_path] = threading.Lock()
    return WhisperModel(
        model_path, device="cpu", compute_type="int8", cpu_threads=os.cpu_count() or 1
    )


class WhisperEngine(SpeechEngine):
    name = "whisper"

    def __init__(self, model_path: str, lang: str) -> None:
        super().__init__(model_path, lang)
        with _load_lock:
            self.model = _shared_model(model_path)
        self._lock = _decode_locks[model_path]
        from faster_whisper.tokenizer import Tokenizer  # importable: the model loaded

        self._tokenizer = Tokenizer(self.model.hf_tokenizer, True, task="transcribe", language=lang)
        self._silence = None  # whisper_bias.SilenceScores, made at the first biased decode

    def recognizer(
        self, phrases: Sequence[str] | None = None, alternatives: int = 0
    ) -> WhisperRecognizer:
        return WhisperRecognizer(self, list(phrases or []))

    def decode(self, pcm: bytes, final: bool) -> Transcript:
        audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        with self._lock:
            segments, _info = self.model.transcribe(
                audio,
                language=self.lang,
                beam_size=5 if final else 1,
                word_timestamps=final,
                condition_on_previous_text=False,
                vad_filter=False,
            )
            segments = list(segments)
        return self._transcript(segments)

    def _transcript(self, segments: list) -> Transcript:
        text = " ".join(s.text.strip() for s in segments).strip()
        words = [
            Word(
                w.word.strip(),
                round(float(w.start), 3),
                round(float(w.end), 3),
                round(float(w.probability), 4),
            )
            for s in segments
            for w in (s.words or [])
        ]
        log_prob = _log_prob(segments)
        word_conf = [w.conf for w in words]
        confidence = float(np.mean(word_conf)) if words else float(np.exp(log_prob))
        return Transcript(
            text=text,
            confidence=round(confidence, 4),
            words=words,
            engine=self.name,
            model=self.model_path,
        )

    def decode_biased(self, pcm: bytes, phrases: Sequence[str]) -> Transcript:
        """The beam's best (the free decode), unless another hypothesis of the beam or
        an expected phrase ranks above it (whisper_bias.py); the ranking comes back as
        alternatives. The audio is encoded once for the beam and the alignments."""
        from voice.stt import whisper_bias  # needs faster-whisper, as the model does

        audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        with self._lock:
            if self._silence is None:
                self._silence = whisper_bias.SilenceScores(self.model, self._tokenizer)
            window = whisper_bias.encode(self.model, audio)
            if window is not None:
                ranked = whisper_bias.rescore(
                    self.model, self._tokenizer, window, phrases, self.lang, self._silence
                )
        if window is None:
            return self.decode(pcm, True)
        best = ranked[0] if ranked else whisper_bias.Hypothesis("", -np.inf)
        return Transcript(
            text=best.text,
            confidence=round(float(np.exp(best.score)), 4),
            alternatives=[
                Alternative(h.text, round(float(np.exp(min(h.ranked, 0.0))), 4)) for h in ranked
            ],
            engine=self.name,
            model=self.model_path,
        )


def _log_prob(segments: list) -> float:
    """Mean log-probability per token of a decode (faster-whisper's avg_logprob)."""
    return float(np.mean([s.avg_logprob for s in segments])) if segments else -np.inf


class WhisperRecognizer(Recognizer):
    def __init__(self, engine: WhisperEngine, phrases: list[str]) -> None:
        super().__init__()
        self._engine = engine
        self._phrases = phrases
        self._buffer = bytearray()
        self._partial = ""
        self._partial_at = 0

    def _accept(self, pcm: bytes) -> None:
        self._buffer.extend(pcm)

    def partial(self) -> str:
        if len(self._buffer) - self._partial_at >= PARTIAL_EVERY_BYTES:
            self._partial_at = len(self._buffer)
            self._partial = self._engine.decode(bytes(self._buffer), False).text
        return self._partial

    def _finish(self) -> Transcript:
        if not self._buffer:
            return Transcript("", 0.0, engine=self._engine.name, model=self._engine.model_path)
        if self._phrases:
            return self._engine.decode_biased(bytes(self._buffer), self._phrases)
        return self._engine.decode(bytes(self._buffer), True)
