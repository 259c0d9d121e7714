"""Text-to-speech through pyttsx3 on espeak-ng, headless, to WAV bytes or a file.

pyttsx3 keeps one driver per process and is not thread-safe, so every
synthesis goes through one lock; replies are short, so this costs little.
pyttsx3 2.99's espeak driver can return from runAndWait while espeak-ng is
still producing a long text (the file is written later, from espeak's thread),
so we wait for its "finished-utterance" notification, sent once the file is
written. Its synthesis callback also writes the file *before* adding the samples
that came with espeak's end-of-message event, so under load the last buffer (up to
a second of speech) was lost; `_keep_last_buffer` adds samples first. Voice and
rate are set on the driver itself, not through pyttsx3's queue, and the engine is
built once: both otherwise let one reply come out at another reply's rate.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import os
import tempfile
import threading
from pathlib import Path

import pyttsx3
from pyttsx3.drivers import _espeak

from voice.speech_text import normalize_for_speech

# espeak-ng voice ids per language (pyttsx3 lists them as "gmw/en", "roa/fr" …).
VOICES = {"en": "gmw/en", "fr": "roa/fr"}
DEFAULT_RATE = int(os.environ.get("VOICESHOP_TTS_RATE", "165"))

SYNTHESIS_TIMEOUT_S = 60.0
_lock = threading.Lock()
_engines: list[pyttsx3.Engine] = []  # the process's one engine, held so it is never rebuilt


class SpeechSynthesisError(RuntimeError):
    """espeak-ng could not be driven; the message says what to install."""


class Synthesizer:
    """Speaks text in one language at one rate."""

    def __init__(
        self, lang: str = "en", rate: int = DEFAULT_RATE, voice: str | None = None
    ) -> None:
        """`voice`: an espeak-ng voice id; by default the one for `lang` in VOICES."""
        if voice is None and lang not in VOICES:
            raise ValueError(f"No voice for language '{lang}': choose one of {', '.join(VOICES)}.")
        self.lang = lang
        self.rate = rate
        self.voice = voice or VOICES[lang]

    def to_file(self, text: str, path: str | Path) -> Path:
        """Write the spoken text as a WAV file (espeak-ng's 22 050 Hz mono 16-bit)."""
        spoken = normalize_for_speech(text, self.lang)
        if not spoken:
            raise ValueError("There is nothing to say: the text is empty.")
        path = Path(path)
        if path.is_dir():
            raise ValueError(f"Cannot write {path}: it is a folder; give a file name.")
        if not path.parent.is_dir():
            raise ValueError(f"Cannot write {path}: the folder {path.parent} does not exist.")
        if not os.access(path.parent, os.W_OK):
            raise ValueError(f"Cannot write {path}: the folder is not writable.")
        with _lock:
            engine = _engine()
            # Straight to the driver: pyttsx3's command queue can hold a property
            # back until after the utterance it was meant for.
            engine.proxy._driver.setProperty("voice", self.voice)
            engine.proxy._driver.setProperty("rate", self.rate)
            _espeak.Synchronize()  # espeak-ng applies both before the text is queued
            finished = threading.Event()
            token = engine.connect("finished-utterance", lambda **_: finished.set())
            try:
                # pyttsx3 prints "Audio saved to …" on stdout; keep stdout for our output.
                with contextlib.redirect_stdout(io.StringIO()):
                    engine.save_to_file(spoken, str(path))
                    engine.runAndWait()
                    completed = finished.wait(SYNTHESIS_TIMEOUT_S)
                    # The notification comes from inside espeak's callback; let that
                    # callback return before Python code runs on here.
                    _espeak.Synchronize()
            finally:
                engine.disconnect(token)
            if not completed:
                raise SpeechSynthesisError(f"espeak-ng did not finish speaking: {text!r}.")
        if not path.exists() or path.stat().st_size <= 44:
            raise SpeechSynthesisError(f"espeak-ng produced no audio for: {text!r}.")
        return path

    def to_wav(self, text: str) -> bytes:
        """The spoken text as WAV bytes."""
        with tempfile.TemporaryDirectory(prefix="voiceshop-tts-") as folder:
            return self.to_file(text, Path(folder) / "reply.wav").read_bytes()


def _engine() -> pyttsx3.Engine:
    """The one engine, built on first use and then kept.

    pyttsx3 holds engines by weak reference, so without ours each call built a new
    driver. A new driver resets espeak-ng's rate to 200 through espeak's own command
    queue, and a dropped one unsets the synthesis callback when it is collected;
    either could land in the middle of the next reply (one in some hundred replies
    came out at rate 200)."""
    if not _engines:
        try:
            engine = pyttsx3.init("espeak")
        except (RuntimeError, OSError, ImportError) as exc:
            raise SpeechSynthesisError(
                "espeak-ng is not available: install it with 'apt-get install espeak-ng'."
            ) from exc
        _keep_last_buffer(engine.proxy._driver)
        _engines.append(engine)
    return _engines[0]


def _keep_last_buffer(driver: object) -> None:
    """Put our callback in front of pyttsx3's: it stores each buffer's samples, then
    lets pyttsx3 read the events (and write the file) with nothing left to add."""

    def on_synth(wav, numsamples, events):
        if numsamples > 0 and driver._speaking:
            driver._data_buffer += ctypes.string_at(wav, numsamples * ctypes.sizeof(ctypes.c_short))
        return driver._onSynth(wav, 0, events)

    _espeak.SetSynthCallback(on_synth)
