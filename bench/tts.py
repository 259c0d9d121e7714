"""Text-to-speech time per sentence: our Synthesizer (pyttsx3 → WAV bytes) against
the espeak-ng command line writing the same sentence to a file."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time

from bench.measure import Row
from voice.audio import decode_wav
from voice.tts import VOICES, Synthesizer

SENTENCES = {
    "en": [
        "I found three running shoes under fifty euros.",
        "The Nordika Classic Hoodie costs 49 euros 99 and comes in black, grey and navy.",
        "Shall I place the order for 2 items, 84 euros?",
        "Delivery to France takes two to three days and is free above fifty euros.",
    ],
    "fr": [
        "J'ai trouvé trois chaussures de course à moins de cinquante euros.",
        "Voulez-vous que je passe la commande de 2 articles pour 84 euros ?",
    ],
}


def _time_sentence(synthesizer: Synthesizer, text: str, path: str) -> tuple[float, float, float]:
    """(our seconds, espeak-ng CLI seconds, seconds of speech) for one sentence."""
    started = time.perf_counter()
    wav = synthesizer.to_wav(text)
    ours = time.perf_counter() - started
    command = ["espeak-ng", "-v", VOICES[synthesizer.lang], "-s", str(synthesizer.rate)]
    started = time.perf_counter()
    subprocess.run([*command, "-w", path, text], check=True)
    bare = time.perf_counter() - started
    return ours, bare, decode_wav(wav).seconds


def run() -> list[Row]:
    rows = []
    for lang, sentences in SENTENCES.items():
        synthesizer = Synthesizer(lang)
        synthesizer.to_wav(sentences[0])  # warm-up: loads the voice
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "bare.wav")
            times = [_time_sentence(synthesizer, text, path) for text in sentences]
        ours, bare, spoken = (sum(column) / len(times) for column in zip(*times, strict=True))
        rows.append(
            Row(
                f"TTS {lang}: time per sentence ({spoken:.1f} s of speech on average)",
                f"{ours * 1000:.0f} ms",
                f"{bare * 1000:.0f} ms (espeak-ng CLI)",
            )
        )
    return rows
