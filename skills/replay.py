"""Replay recorded journeys through the real pipeline (decode → STT → skill → TTS)
and check every turn against its expectations."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from skills.journeys import Journey, TurnOutcome, check_turn, load_journey
from skills.voice_turn import VoiceAssistant
from voice.audio import decode_wav


@dataclass
class TurnReport:
    journey: str
    turn: int
    audio: str
    reference: str
    heard: str
    intent: str
    reply: str
    failures: list[str]
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict:
        return {**asdict(self), "passed": self.passed}


def replay_journey(voice: VoiceAssistant, journey: Journey) -> list[TurnReport]:
    """Every turn of one journey in one new session; a failed turn does not stop it,
    so one mishearing does not hide what the later turns do."""
    reports = []
    session_id = None
    for number, turn in enumerate(journey.turns, 1):
        context = journey.context if session_id is None else None
        spoken = voice.turn(decode_wav(turn.audio).pcm, session_id, journey.lang, context)
        session_id = spoken.result.session_id
        reply = spoken.result.reply
        reply_audio = decode_wav(spoken.reply_wav)
        outcome = TurnOutcome(
            heard=spoken.transcript.text,
            intent=reply.intent,
            slots=reply.slots,
            reply=reply.text,
            products=reply.products,
            end_session=reply.end_session,
            reply_audio_s=reply_audio.seconds,
        )
        reports.append(
            TurnReport(
                journey=journey.name,
                turn=number,
                audio=str(turn.audio),
                reference=turn.text,
                heard=outcome.heard,
                intent=outcome.intent,
                reply=outcome.reply,
                failures=check_turn(turn.expect, outcome, turn.text, journey.lang),
                timings={k: round(v, 4) for k, v in spoken.timings.items()},
            )
        )
    return reports


def replay(
    voice: VoiceAssistant,
    journey_files: Iterable[Path],
    on_journey: Callable[[list[TurnReport]], None] | None = None,
) -> list[TurnReport]:
    """All journeys, each reported to `on_journey` as soon as it is done."""
    reports: list[TurnReport] = []
    for path in journey_files:
        done = replay_journey(voice, load_journey(path))
        reports += done
        if on_journey:
            on_journey(done)
    return reports
