"""Speech for every voice channel: one recogniser engine per language and one
synthesiser per language, loaded on first use and shared by every turn of the process."""

from __future__ import annotations

import threading

from skills.nlu.language import load_language
from voice.stt import ModelNotFoundError, SpeechEngine, load_engine
from voice.stt.resolve import find_vosk_model, find_whisper_model
from voice.tts import Synthesizer


class SpeechService:
    def __init__(self, engine: str | None, model: str | None) -> None:
        self.engine = engine
        self.model = model
        self._engines: dict[str, SpeechEngine] = {}
        self._voices: dict[str, Synthesizer] = {}
        self._lock = threading.Lock()
        self._loading: set[str] = set()
        self._failed: dict[str, str] = {}  # language → why its model could not load

    def preload(self, langs: list[str]) -> threading.Thread:
        """Loads every language's recogniser and voice in the background, so that the
        first audio turn does not wait; `describe` says "loading" until then."""
        self._loading.update(langs)

        def load() -> None:
            for lang in langs:
                try:
                    self.recogniser(lang)
                    self.synthesiser(lang)
                except Exception as exc:  # reported by /healthz, not fatal to text turns
                    self._failed[lang] = str(exc)
                finally:
                    self._loading.discard(lang)

        thread = threading.Thread(target=load, name="voiceshop-preload", daemon=True)
        thread.start()
        return thread

    def recogniser(self, lang: str) -> SpeechEngine:
        with self._lock:
            if lang not in self._engines:
                self._engines[lang] = load_engine(self.engine, lang, self.model)
            return self._engines[lang]

    def synthesiser(self, lang: str) -> Synthesizer:
        with self._lock:
            if lang not in self._voices:
                self._voices[lang] = Synthesizer(lang, voice=load_language(lang).voice)
            return self._voices[lang]

    def describe(self, lang: str) -> dict:
        """The engine and model a request in `lang` would use, without loading or
        downloading anything."""
        if lang in self._engines:
            return {**self._engines[lang].describe(), "loaded": True}
        if lang in self._loading:
            return {"engine": self.engine, "model": None, "lang": lang, "loading": True}
        if lang in self._failed:
            return {"engine": None, "model": None, "lang": lang, "error": self._failed[lang]}
        try:
            if self.engine == "whisper":
                choice = find_whisper_model(self.model)
            elif self.engine == "vosk":
                choice = find_vosk_model(lang, self.model)
            else:
                choice = find_vosk_model(lang, self.model) or find_whisper_model()
        except ModelNotFoundError as exc:
            return {"engine": None, "model": None, "lang": lang, "error": str(exc)}
        if choice is None:
            return {"engine": None, "model": None, "lang": lang, "error": "no model found"}
        return {"engine": choice.engine, "model": choice.path, "lang": lang, "loaded": False}
