"""Speech-to-text: one interface, one class per engine, chosen by name."""

from __future__ import annotations

from voice.stt.base import (
    Alternative,
    ModelNotFoundError,
    Recognizer,
    SpeechEngine,
    Transcript,
    Word,
)
from voice.stt.resolve import ModelChoice, choose_model

ENGINE_NAMES = ("vosk", "whisper")


def engine_class(name: str) -> type[SpeechEngine]:
    """The engine class for a name; imported lazily so optional extras stay optional."""
    if name == "vosk":
        from voice.stt.vosk_engine import VoskEngine

        return VoskEngine
    if name == "whisper":
        from voice.stt.whisper_engine import WhisperEngine

        return WhisperEngine
    raise ValueError(f"Unknown speech engine '{name}': choose one of {', '.join(ENGINE_NAMES)}.")


def load_engine(engine: str | None, lang: str, model: str | None = None) -> SpeechEngine:
    """Resolve the model and return an engine on it (models are loaded once per process)."""
    choice = choose_model(engine, lang, model)
    return engine_class(choice.engine)(choice.path, lang)


__all__ = [
    "Alternative",
    "ENGINE_NAMES",
    "ModelChoice",
    "ModelNotFoundError",
    "Recognizer",
    "SpeechEngine",
    "Transcript",
    "Word",
    "choose_model",
    "engine_class",
    "load_engine",
]
