"""The main job on embedded defaults: the bundled spoken journey, turn by turn,
through speech-to-text, the shopping skill and text-to-speech."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from skills.assistant import Assistant
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
    intent: str
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
    """Replay the bundled demo journey in one session; reply WAVs go to out_dir."""
    assistant = Assistant(db_path)
    journey_file = demo_journey(lang)
    journey = yaml.safe_load(journey_file.read_text(encoding="utf-8"))
    stt = load_engine(engine, lang, model)
    tts = Synthesizer(lang)
    out_dir.mkdir(parents=True, exist_ok=True)
    turns: list[DemoTurn] = []
    session_id = None
    for number, turn in enumerate(journey["turns"], 1):
        audio = decode_wav(journey_file.parent / turn["audio"])
        heard = stt.transcribe(audio.pcm).text
        result = assistant.ask(heard, session_id, lang, heard=True)
        session_id = result.session_id
        reply = result.reply
        wav = tts.to_file(reply.text, out_dir / f"reply-{number:02d}.wav")
        done = DemoTurn(
            turn["audio"],
            heard,
            reply.text,
            str(wav),
            reply.intent,
            [p["id"] for p in reply.products],
        )
        turns.append(done)
        if on_turn:
            on_turn(done)
    return turns
