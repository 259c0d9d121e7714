"""The microphone loop driven from WAV files: voice-activity endpointing, streaming
recognition, spoken replies captured, barge-in, push-to-talk, and no device."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import soundfile
from test_cli import run

from skills.assistant import Assistant
from skills.listen import Conversation, PushToTalk
from skills.speech import SpeechService
from skills.voice_turn import VoiceAssistant
from voice.audio import decode_wav
from voice.audio_io import RecordingSink, WavSource
from voice.endpoint import FRAME_BYTES, Endpointer

DEMO = Path(__file__).resolve().parent.parent / "audio_fixtures" / "en" / "demo"


def _frames(pcm: bytes) -> list[bytes]:
    pcm += bytes(-len(pcm) % FRAME_BYTES)
    return [pcm[i : i + FRAME_BYTES] for i in range(0, len(pcm), FRAME_BYTES)]


def test_endpointer_cuts_one_utterance_and_ignores_silence():
    speech = decode_wav(DEMO / "01.wav").pcm
    events = [
        e for f in _frames(bytes(32000) + speech + bytes(32000)) if (e := Endpointer().feed(f))
    ]
    endpointer = Endpointer()
    events = [e for f in _frames(bytes(32000) + speech + bytes(32000)) if (e := endpointer.feed(f))]
    assert [e.kind for e in events] == ["start", "end"]
    seconds = len(events[1].pcm) / 32000
    assert 0.8 * len(speech) / 32000 < seconds < len(speech) / 32000 + 1.0
    quiet = Endpointer()
    assert not [e for f in _frames(bytes(64000)) if quiet.feed(f)]


def test_push_to_talk_takes_what_is_said_between_two_presses():
    ptt, frame = PushToTalk(), bytes(FRAME_BYTES)
    assert ptt.feed(frame) is None
    ptt.toggle()
    assert ptt.feed(frame).kind == "start"
    assert ptt.feed(frame) is None and ptt.in_speech
    ptt.toggle()
    end = ptt.feed(frame)
    assert end.kind == "end" and len(end.pcm) == 2 * FRAME_BYTES and not ptt.in_speech


@pytest.fixture()
def voice(tmp_path, whisper_model_dir):
    return VoiceAssistant(
        Assistant(str(tmp_path / "shop.db"), demo=True), SpeechService("whisper", whisper_model_dir)
    )


def test_a_whole_spoken_order_at_the_microphone(voice):
    files = sorted(DEMO.glob("*.wav"))
    source = WavSource(files, pause_s=30.0)  # longer than any reply: nobody interrupts
    sink = RecordingSink(source)
    turns = Conversation(voice, "en", source, sink, Endpointer()).run()
    assert len(turns) == len(files)
    assert "confirmed" in turns[-1].reply and not any(t.interrupted for t in turns)
    assert voice.assistant.sessions.load(turns[-1].session_id).orders
    for turn, played in zip(turns, sink.played, strict=True):
        audio, rate = soundfile.read(io.BytesIO(played["wav"]))
        assert (
            len(audio) / rate == pytest.approx(played["duration_s"]) and played["duration_s"] > 0.5
        )
        assert turn.timings["transcript_s"] <= turn.timings["first_audio_s"]


def test_speaking_over_a_reply_stops_it(voice):
    source = WavSource([DEMO / "01.wav", DEMO / "02.wav"], pause_s=1.0)
    sink = RecordingSink(source)
    turns = Conversation(voice, "en", source, sink, Endpointer()).run()
    assert len(turns) == 2 and turns[0].interrupted
    first = sink.played[0]
    assert first["stopped_s"] is not None
    assert first["stopped_s"] < first["started_s"] + first["duration_s"]


def test_listen_without_a_microphone_says_so(shop_copy):
    result = run("listen", "--engine", "whisper", "--db", shop_copy)
    assert result.returncode == 1
    assert "No microphone (input) device was found" in result.stderr, result.stderr
