"""Speech-to-text real-time factor per engine, and our wrapper against the bare engine.

Both sides get the same audio in the same 0.25 s chunks with the same decoding
options; runs alternate and the fastest of each is kept.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

from bench.measure import Row, timed
from voice.audio import decode_wav
from voice.stt.vosk_engine import VoskEngine

CHUNK = 8000  # bytes: 0.25 s of 16 kHz int16
REPEATS = 5
KOREAN = [
    "파란 운동화 보여 줘",
    "검은 가방 보여 줘",
    "장바구니에 우유 두 개 담아 줘",
    "빨간 원피스 있어요",
    "배송은 얼마나 걸려요",
    "이 신발 사이즈 뭐 있어요",
    "주문할게요 결제해 주세요",
    "좀 더 싼 거 보여 주세요",
]


def _chunks(pcm: bytes) -> list[bytes]:
    return [pcm[i : i + CHUNK] for i in range(0, len(pcm), CHUNK)]


def english_clips(shared: Path, count: int = 10) -> list[bytes]:
    folder = shared / "speech" / "en"
    names = [
        line.split("\t")[0]
        for line in (folder / "transcripts.tsv").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return [decode_wav(folder / name).pcm for name in names[:count]]


def korean_clips() -> list[bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        clips = []
        for n, text in enumerate(KOREAN):
            path = os.path.join(tmp, f"{n}.wav")
            subprocess.run(["espeak-ng", "-v", "ko", "-w", path, text], check=True)
            clips.append(decode_wav(path).pcm)
        return clips


def _ours(engine, pcm: bytes) -> None:
    stream = engine.recognizer()
    for chunk in _chunks(pcm):
        stream.accept(chunk)
    stream.finish()


def _bare_vosk(model, pcm: bytes) -> None:
    import vosk

    raw = vosk.KaldiRecognizer(model, 16000)
    raw.SetWords(True)
    for chunk in _chunks(pcm):
        if raw.AcceptWaveform(chunk):
            json.loads(raw.Result())
    json.loads(raw.FinalResult())


def _bare_whisper(model, lang: str, pcm: bytes) -> None:
    import numpy as np

    buffer = bytearray()
    for chunk in _chunks(pcm):
        buffer.extend(chunk)
    audio = np.frombuffer(bytes(buffer), dtype="<i2").astype(np.float32) / 32768.0
    segments, _ = model.transcribe(
        audio,
        language=lang,
        beam_size=5,
        word_timestamps=True,
        condition_on_previous_text=False,
        vad_filter=False,
    )
    list(segments)


def _compare(label: str, ours, bare, clips: list[bytes]) -> list[Row]:
    """Per clip, the fastest of REPEATS runs on each side (alternating which goes
    first), summed: a burst of load elsewhere on the machine spoils one run, not all."""
    audio_s = _seconds(clips)
    ours_s = bare_s = 0.0
    for pcm in clips:
        ours(pcm), bare(pcm)  # warm-up
        best_ours = best_bare = float("inf")
        for n in range(REPEATS):
            if n % 2:
                best_ours = min(best_ours, timed(ours, pcm))
                best_bare = min(best_bare, timed(bare, pcm))
            else:
                best_bare = min(best_bare, timed(bare, pcm))
                best_ours = min(best_ours, timed(ours, pcm))
        ours_s += best_ours
        bare_s += best_bare
    overhead = ours_s / bare_s - 1
    return [
        Row(f"STT {label}: real-time factor", f"{ours_s / audio_s:.3f}", f"{bare_s / audio_s:.3f}"),
        Row(
            f"STT {label}: wrapper overhead vs bare engine",
            f"{overhead:+.1%}",
            "0 %",
            "< 5 %",
            overhead < 0.05,
        ),
    ]


def run(shared: Path, whisper_model: str, korean_model: str) -> list[Row]:
    from voice.stt.whisper_engine import WhisperEngine

    clips = korean_clips()
    vosk_engine = VoskEngine(korean_model, "ko")
    rows = _compare(
        f"vosk (Korean small model, {_seconds(clips):.1f} s of espeak-ng speech)",
        lambda pcm: _ours(vosk_engine, pcm),
        lambda pcm: _bare_vosk(vosk_engine.model, pcm),
        clips,
    )
    clips = english_clips(shared)
    whisper = WhisperEngine(whisper_model, "en")
    rows += _compare(
        f"whisper (base int8, {_seconds(clips):.1f} s of real English commands)",
        lambda pcm: _ours(whisper, pcm),
        lambda pcm: _bare_whisper(whisper.model, "en", pcm),
        clips,
    )
    return rows


def _seconds(clips: list[bytes]) -> float:
    return sum(len(c) for c in clips) / 32000
