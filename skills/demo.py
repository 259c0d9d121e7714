"""The main job on embedded defaults: bundled journey audio → STT → catalogue → TTS."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from catalog.db import open_db
from catalog.demo import ensure_demo_catalog
from catalog.search import CatalogSearch
from skills.first_reply import reply_for
from voice.audio import decode_wav
from voice.stt import load_engine
from voice.tts import Synthesizer

FIXTURES = Path(__file__).resolve().parent.parent / "audio_fixtures"


@dataclass
class DemoTurn:
    audio: str
    heard: str
    said: str
    reply_wav: str
    products: list[str]


def demo_journey(lang: str) -> Path:
    return FIXTURES / lang / "demo" / "journey.yaml"


def run_demo(
    db_path: str,
    out_dir: Path,
    lang: str = "en",
    engine: str | None = None,
    model: str | None = None,
    on_turn: Callable[[DemoTurn], None] | None = None,
) -> list[DemoTurn]:
    """Replay the bundled demo journey; reply WAVs are written to out_dir."""
    db = open_db(db_path)
    ensure_demo_catalog(db)
    search = CatalogSearch(db)
    journey_file = demo_journey(lang)
    journey = yaml.safe_load(journey_file.read_text(encoding="utf-8"))
    stt = load_engine(engine, lang, model)
    tts = Synthesizer(lang)
    out_dir.mkdir(parents=True, exist_ok=True)
    turns = []
    for number, turn in enumerate(journey["turns"], 1):
        audio = decode_wav(journey_file.parent / turn["audio"])
        heard = stt.transcribe(audio.pcm).text
        hits = search.search(heard, limit=3, lang=lang)
        said = reply_for(heard, hits, lang)
        wav = tts.to_file(said, out_dir / f"reply-{number:02d}.wav")
        result = DemoTurn(turn["audio"], heard, said, str(wav), [h.id for h in hits])
        turns.append(result)
        if on_turn:
            on_turn(result)
    return turns
