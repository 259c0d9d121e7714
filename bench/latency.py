"""Turn latency at the microphone: from the end of speech (the endpointer's decision)
to the final transcript, the reply text and the first reply audio, over the recorded
English journeys through the real listen loop (WAV source, recording sink).

Whisper is measured with biasing (as the product runs) beside the same loop without
it. No English or French Vosk model can be had here, so the Vosk path is measured
on Korean espeak-ng speech with the Korean model: streaming recognition through the
same endpointer, end of speech → final transcript; the skill and speech synthesis
times beside it are the English ones.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.measure import Row, ms, percentile
from bench.stt import KOREAN, korean_clips
from skills.assistant import Assistant
from skills.journeys import find_journeys, load_journey
from skills.listen import Conversation, HeardTurn
from skills.speech import SpeechService
from skills.voice_turn import VoiceAssistant
from voice.audio_io import RecordingSink, WavSource
from voice.endpoint import FRAME_BYTES, Endpointer
from voice.stt.vosk_engine import VoskEngine

FIXTURES = Path(__file__).resolve().parent.parent / "audio_fixtures" / "en"
PAUSE_S = 30.0  # between turns: longer than any reply, so none is interrupted


def _whisper_turns(whisper_model: str, bias: bool) -> list[HeardTurn]:
    turns: list[HeardTurn] = []
    with tempfile.TemporaryDirectory() as tmp:
        voice = VoiceAssistant(
            Assistant(str(Path(tmp) / "bench.db"), demo=True),
            SpeechService("whisper", whisper_model),
            bias=bias,
        )
        for path in find_journeys(FIXTURES):
            journey = load_journey(path)
            source = WavSource([t.audio for t in journey.turns], pause_s=PAUSE_S)
            loop = Conversation(voice, "en", source, RecordingSink(source), Endpointer())
            turns += loop.run()
    return turns


def _vosk_final_s(korean_model: str) -> list[float]:
    engine = VoskEngine(korean_model, "ko")
    finals = []
    for pcm in korean_clips():
        pcm += bytes(FRAME_BYTES * 40)  # the silence that ends the utterance
        pcm += bytes(-len(pcm) % FRAME_BYTES)
        endpointer, stream = Endpointer(), None
        for start in range(0, len(pcm), FRAME_BYTES):
            frame = pcm[start : start + FRAME_BYTES]
            event = endpointer.feed(frame)
            if event and event.kind == "start":
                stream = engine.recognizer(KOREAN)  # biased, as the product runs
                stream.accept(event.pcm)
            elif event and event.kind == "end" and stream:
                started = time.perf_counter()
                stream.finish()
                finals.append(time.perf_counter() - started)
                break
            elif stream:
                stream.accept(frame)
    return finals


def _stage(turns: list[HeardTurn], key: str) -> str:
    values = [t.timings[key] for t in turns]
    return f"{ms(percentile(values, 50))} / {ms(percentile(values, 95))}"


def run(whisper_model: str, korean_model: str) -> list[Row]:
    biased = _whisper_turns(whisper_model, bias=True)
    free = _whisper_turns(whisper_model, bias=False)
    first_audio = percentile([t.timings["first_audio_s"] for t in biased], 95)
    rows = [
        Row(
            f"Turn latency, whisper base, {len(biased)} spoken turns: end of speech → "
            "transcript, reply text, first reply audio (p50 / p95)",
            f"{_stage(biased, 'transcript_s')}; {_stage(biased, 'reply_text_s')}; "
            f"{_stage(biased, 'first_audio_s')}",
            f"without biasing: {_stage(free, 'transcript_s')}; "
            f"{_stage(free, 'reply_text_s')}; {_stage(free, 'first_audio_s')}",
            "first audio p95 < 1 s",
            first_audio < 1.0,
        )
    ]
    finals = _vosk_final_s(korean_model)
    after_text = [t.timings["first_audio_s"] - t.timings["transcript_s"] for t in biased]
    vosk_total = percentile(finals, 95) + percentile(after_text, 95)
    rows.append(
        Row(
            f"Turn latency, vosk streaming (Korean model, {len(finals)} Korean espeak-ng "
            "turns): end of speech → transcript p50 / p95; + skill and speech p95 "
            "(English turns)",
            f"{ms(percentile(finals, 50))} / {ms(percentile(finals, 95))}; "
            f"+ {ms(percentile(after_text, 95))} = {ms(vosk_total)}",
            "",
            "first audio p95 < 300 ms",
            vosk_total < 0.3,
        )
    )
    return rows
