"""The main job on embedded defaults: the bundled spoken journey, turn by turn,
through speech-to-text, the shopping skill and text-to-speech."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from skills.assistant import Assistant
from skills.journeys import load_journey
from skills.speech import SpeechService
from skills.voice_turn import VoiceAssistant
from voice.audio import decode_wav

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
    journey = load_journey(demo_journey(lang))
    voice = VoiceAssistant(Assistant(db_path, demo=True), SpeechService(engine, model))
    voice.speech.recogniser(lang)  # load the model before the first turn
    out_dir.mkdir(parents=True, exist_ok=True)
    turns: list[DemoTurn] = []
    session_id = None
    for number, turn in enumerate(journey.turns, 1):
        spoken = voice.turn(decode_wav(turn.audio).pcm, session_id, lang)
        session_id = spoken.result.session_id
        reply = spoken.result.reply
        wav = out_dir / f"reply-{number:02d}.wav"
        wav.write_bytes(spoken.reply_wav)
        done = DemoTurn(
            turn.audio.name,
            spoken.transcript.text,
            reply.text,
            str(wav),
            reply.intent,
            [p["id"] for p in reply.products],
        )
        turns.append(done)
        if on_turn:
            on_turn(done)
    return turns
