"""Peak memory (max RSS) of a process that loads a speech model and transcribes once.

Each case runs in its own interpreter (`python -m bench.memory CASE MODEL`), so
the figures do not mix: an empty interpreter, the bare library with the model,
and voiceshop's engine with the same model.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.measure import Row

SILENCE = bytes(32000)  # one second of 16 kHz int16


def _probe(case: str, model: str) -> None:
    if case == "bare-vosk":
        import vosk

        raw = vosk.KaldiRecognizer(vosk.Model(model), 16000)
        raw.AcceptWaveform(SILENCE)
        raw.FinalResult()
    elif case == "bare-whisper":
        import numpy as np
        from faster_whisper import WhisperModel

        whisper = WhisperModel(model, device="cpu", compute_type="int8")
        list(whisper.transcribe(np.zeros(16000, dtype=np.float32), language="en")[0])
    elif case in ("vosk", "whisper"):
        from voice.stt import engine_class

        engine_class(case)(model, "ko" if case == "vosk" else "en").transcribe(SILENCE)
    print(_peak_rss_mb())


def _peak_rss_mb() -> int:
    """VmHWM: this process's own peak. (ru_maxrss would report the parent's peak
    when that was larger, since Linux carries it across fork and exec.)"""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    raise RuntimeError("no VmHWM in /proc/self/status (not Linux?)")


def peak_mb(case: str, model: str = "") -> int:
    out = subprocess.run(
        [sys.executable, "-m", "bench.memory", case, model],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return int(out.split()[-1])


def run(whisper_model: str, korean_model: str) -> list[Row]:
    empty = peak_mb("empty")
    rows = []
    for engine, model in (("vosk", korean_model), ("whisper", whisper_model)):
        ours, bare = peak_mb(engine, model), peak_mb(f"bare-{engine}", model)
        rows.append(
            Row(
                f"Peak memory, {engine} model loaded + one decode",
                f"{ours} MB",
                f"{bare} MB (bare library); empty interpreter {empty} MB",
            )
        )
    return rows


if __name__ == "__main__":
    _probe(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "")
