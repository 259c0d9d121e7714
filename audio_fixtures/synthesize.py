"""Make the WAV turns of a journey from its journey.yaml with espeak-ng.

Run once when a journey is written or changed, then commit the WAVs:
    python audio_fixtures/synthesize.py audio_fixtures/en/demo/journey.yaml
Tests and the demo only read them; they never regenerate them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

VOICES = {"en": "en-us", "fr": "fr-fr"}


def synthesize(journey_file: Path) -> None:
    journey = yaml.safe_load(journey_file.read_text(encoding="utf-8"))
    lang = journey["lang"]
    for turn in journey["turns"]:
        voice = turn.get("voice", {})
        out = journey_file.parent / turn["audio"]
        subprocess.run(
            [
                "espeak-ng",
                "-v",
                voice.get("name", VOICES[lang]),
                "-s",
                str(voice.get("rate", 160)),
                "-p",
                str(voice.get("pitch", 50)),
                "-w",
                str(out),
                turn["text"],
            ],
            check=True,
        )
        print(f"wrote {out}")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        synthesize(Path(name))
