"""The one speech-to-text interface every engine implements.

An engine holds a loaded model (expensive, shared by the whole process);
a recogniser is one audio stream (cheap, one per utterance or caller).
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field


class ModelNotFoundError(RuntimeError):
    """No speech model could be found or fetched; the message says how to get one."""


@dataclass
class Word:
    word: str
    start: float
    end: float
    conf: float


@dataclass
class Alternative:
    text: str
    confidence: float


@dataclass
class Transcript:
    """What an engine heard, in the shape the CLI and HTTP contracts expose."""

    text: str
    confidence: float
    words: list[Word] = field(default_factory=list)
    alternatives: list[Alternative] = field(default_factory=list)
    audio_s: float = 0.0
    elapsed_s: float = 0.0
    engine: str = ""
    model: str = ""
    dropped_phrase_words: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


class Recognizer(ABC):
    """One audio stream: feed 16 kHz mono int16 chunks, read partials, finish."""

    def __init__(self) -> None:
        self._audio_bytes = 0
        self._busy_s = 0.0

    def accept(self, pcm: bytes) -> None:
        """Feed the next chunk of audio."""
        started = time.perf_counter()
        self._audio_bytes += len(pcm)
        self._accept(pcm)
        self._busy_s += time.perf_counter() - started

    def finish(self) -> Transcript:
        """Close the stream and return the final transcript."""
        started = time.perf_counter()
        transcript = self._finish()
        self._busy_s += time.perf_counter() - started
        transcript.audio_s = round(self._audio_bytes / 2 / 16000, 3)
        transcript.elapsed_s = round(self._busy_s, 3)
        return transcript

    @abstractmethod
    def _accept(self, pcm: bytes) -> None: ...

    @abstractmethod
    def partial(self) -> str:
        """The best guess so far for the utterance in progress."""

    @abstractmethod
    def _finish(self) -> Transcript: ...


class SpeechEngine(ABC):
    """A loaded model for one language; hands out recognisers."""

    name: str = ""

    def __init__(self, model_path: str, lang: str) -> None:
        self.model_path = model_path
        self.lang = lang

    @abstractmethod
    def recognizer(self, phrases: Sequence[str] | None = None, alternatives: int = 0) -> Recognizer:
        """A new stream; `phrases` biases recognition toward those words."""

    def transcribe(
        self, pcm: bytes, phrases: Sequence[str] | None = None, alternatives: int = 0
    ) -> Transcript:
        """Recognise a whole utterance at once."""
        recognizer = self.recognizer(phrases, alternatives)
        recognizer.accept(pcm)
        return recognizer.finish()

    def describe(self) -> dict:
        return {"engine": self.name, "model": self.model_path, "lang": self.lang}
