"""Make the WAV turns of journeys from their journey.yaml with espeak-ng.

Run once when a journey is written or changed, then commit the WAVs:
    python audio_fixtures/synthesize.py audio_fixtures/en/demo/journey.yaml
    python audio_fixtures/synthesize.py audio_fixtures/        # every journey below
Tests and the demo only read them; they never regenerate them.

Each journey (or turn) may set `voice` (espeak-ng name with its +variant, rate in
words per minute, pitch 0-99) and `effects`: `noise_snr_db` adds pink noise at that
signal-to-noise ratio (audiomentations), `telephone: true` band-limits the turn to a
phone line (300 Hz high-pass, 8 kHz, G.711 mu-law). Turns get a short silence before
and after, as a microphone would record them. Noise is seeded per file, so a rerun
writes the same audio. Needs the `fixtures` extra: pip install -e '.[fixtures]'.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile
import soxr
import yaml

VOICES = {"en": "en-us", "fr": "fr-fr"}
RATE = 16000
PHONE_RATE = 8000
LEAD_S, TAIL_S = 0.3, 0.5


def synthesize(journey_file: Path) -> None:
    journey = yaml.safe_load(journey_file.read_text(encoding="utf-8"))
    lang = journey["lang"]
    for turn in journey["turns"]:
        voice = {"name": VOICES[lang], **journey.get("voice", {}), **turn.get("voice", {})}
        effects = {**journey.get("effects", {}), **turn.get("effects", {})}
        out = journey_file.parent / turn["audio"]
        samples = _espeak(turn["text"], voice)
        pad = np.zeros(int(LEAD_S * RATE), np.float32), np.zeros(int(TAIL_S * RATE), np.float32)
        samples = np.concatenate([pad[0], samples, pad[1]])
        seed = int(
            hashlib.sha256(str(out.relative_to(journey_file.parents[2])).encode()).hexdigest()[:8],
            16,
        )
        if "noise_snr_db" in effects:
            samples = _noisy(samples, float(effects["noise_snr_db"]), seed)
        if effects.get("telephone"):
            _write_telephone(out, samples)
        else:
            soundfile.write(out, samples, RATE, subtype="PCM_16")
        print(f"wrote {out} ({voice['name']}, {effects or 'clean'})")


def _espeak(text: str, voice: dict) -> np.ndarray:
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "turn.wav"
        subprocess.run(
            [
                "espeak-ng",
                "-v",
                voice["name"],
                "-s",
                str(voice.get("rate", 160)),
                "-p",
                str(voice.get("pitch", 50)),
                "-w",
                str(wav),
                text,
            ],
            check=True,
        )
        samples, rate = soundfile.read(wav, dtype="float32")
    return soxr.resample(samples, rate, RATE, quality="HQ")


def _noisy(samples: np.ndarray, snr_db: float, seed: int) -> np.ndarray:
    from audiomentations import AddColorNoise

    np.random.seed(seed)  # audiomentations draws from numpy's global generator
    noise = AddColorNoise(
        min_snr_db=snr_db, max_snr_db=snr_db, min_f_decay=-3.01, max_f_decay=-3.01, p=1.0
    )
    return noise(samples=samples, sample_rate=RATE)


def _write_telephone(out: Path, samples: np.ndarray) -> None:
    from audiomentations import HighPassFilter

    high_pass = HighPassFilter(min_cutoff_freq=300, max_cutoff_freq=300, p=1.0)
    line = soxr.resample(high_pass(samples=samples, sample_rate=RATE), RATE, PHONE_RATE)
    soundfile.write(out, np.clip(line, -1, 1), PHONE_RATE, subtype="ULAW")


def journey_files(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        found += sorted(path.rglob("journey.yaml")) if path.is_dir() else [path]
    return found


if __name__ == "__main__":
    for journey_path in journey_files(sys.argv[1:]):
        synthesize(journey_path)
