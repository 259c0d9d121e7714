"""Whisper engine through faster-whisper (CTranslate2), for when no Vosk model fits.

Whisper decodes whole utterances, so the recogniser buffers the stream and
decodes it again for partials (at most once per second of new audio).
Biasing goes through the initial prompt, written as a short punctuated sentence:
measured on our own speech, a bare lowercase word list there (or in
faster-whisper's `hotwords`) made Whisper drop the start of the utterance.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import cache

import numpy as np

from voice.stt.base import ModelNotFoundError, Recognizer, SpeechEngine, Transcript, Word

PARTIAL_EVERY_BYTES = 16000 * 2  # one second of 16 kHz int16
MAX_PROMPT_CHARS = 400  # Whisper's prompt holds ~224 tokens; keep room for the text
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

    def recognizer(
        self, phrases: Sequence[str] | None = None, alternatives: int = 0
    ) -> WhisperRecognizer:
        return WhisperRecognizer(self, prompt_for(phrases or []))

    def decode(self, pcm: bytes, prompt: str | None, final: bool) -> Transcript:
        audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        with self._lock:
            segments, _info = self.model.transcribe(
                audio,
                language=self.lang,
                beam_size=5 if final else 1,
                word_timestamps=final,
                condition_on_previous_text=False,
                initial_prompt=prompt,
                vad_filter=False,
            )
            segments = list(segments)
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
        if words:
            confidence = sum(w.conf for w in words) / len(words)
        elif segments:
            confidence = float(np.exp(np.mean([s.avg_logprob for s in segments])))
        else:
            confidence = 0.0
        return Transcript(
            text=text,
            confidence=round(confidence, 4),
            words=words,
            engine=self.name,
            model=self.model_path,
        )


def prompt_for(phrases: Sequence[str]) -> str | None:
    """Join phrases into a sentence-like prompt that fits Whisper's context."""
    picked: list[str] = []
    length = 0
    for phrase in phrases:
        if length + len(phrase) + 2 > MAX_PROMPT_CHARS:
            break
        picked.append(phrase.strip())
        length += len(phrase) + 2
    text = ", ".join(p for p in picked if p)
    return f"{text[:1].upper()}{text[1:]}." if text else None


class WhisperRecognizer(Recognizer):
    def __init__(self, engine: WhisperEngine, prompt: str | None) -> None:
        super().__init__()
        self._engine = engine
        self._prompt = prompt
        self._buffer = bytearray()
        self._partial = ""
        self._partial_at = 0

    def _accept(self, pcm: bytes) -> None:
        self._buffer.extend(pcm)

    def partial(self) -> str:
        if len(self._buffer) - self._partial_at >= PARTIAL_EVERY_BYTES:
            self._partial_at = len(self._buffer)
            self._partial = self._engine.decode(bytes(self._buffer), self._prompt, False).text
        return self._partial

    def _finish(self) -> Transcript:
        if not self._buffer:
            return Transcript("", 0.0, engine=self._engine.name, model=self._engine.model_path)
        return self._engine.decode(bytes(self._buffer), self._prompt, True)
