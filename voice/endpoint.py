"""Where an utterance starts and ends in a live stream, by WebRTC's voice-activity
detector (webrtcvad), frame by frame.

Speech starts after START_MS of mostly voiced frames (a cough or a click is not a
turn) and ends after `end_silence_ms` of mostly unvoiced ones; the frames just
before the start are kept, so the first syllable is not cut.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

FRAME_MS = 30
RATE = 16000
FRAME_BYTES = RATE * FRAME_MS // 1000 * 2  # 16-bit mono
START_MS = 150
LEAD_MS = 300


@dataclass
class Event:
    kind: str  # "start" (speech began) or "end" (the utterance is complete)
    pcm: bytes = b""  # with "start": the lead-in frames; with "end": the whole utterance


class Endpointer:
    """Feed 30 ms frames of 16 kHz mono int16; get "start" and "end" events."""

    def __init__(self, aggressiveness: int = 2, end_silence_ms: int = 700) -> None:
        try:
            import webrtcvad
        except ImportError as exc:
            raise RuntimeError(
                "Voice-activity detection needs webrtcvad: pip install 'voiceshop[mic]'."
            ) from exc
        self._vad = webrtcvad.Vad(aggressiveness)
        self._start_frames = START_MS // FRAME_MS
        self._end_frames = end_silence_ms // FRAME_MS
        self._recent: deque[tuple[bytes, bool]] = deque(maxlen=LEAD_MS // FRAME_MS)
        self._utterance = bytearray()
        self._in_speech = False
        self._quiet = 0

    @property
    def in_speech(self) -> bool:
        return self._in_speech

    def feed(self, frame: bytes) -> Event | None:
        if len(frame) != FRAME_BYTES:
            raise ValueError(f"Frames must be {FRAME_MS} ms of 16 kHz mono 16-bit audio.")
        voiced = self._vad.is_speech(frame, RATE)
        if not self._in_speech:
            self._recent.append((frame, voiced))
            recent = list(self._recent)[-self._start_frames :]
            if len(recent) == self._start_frames and sum(v for _, v in recent) >= 0.8 * len(recent):
                self._in_speech, self._quiet = True, 0
                self._utterance = bytearray(b"".join(f for f, _ in self._recent))
                self._recent.clear()
                return Event("start", bytes(self._utterance))
            return None
        self._utterance.extend(frame)
        self._quiet = 0 if voiced else self._quiet + 1
        if self._quiet >= self._end_frames:
            self._in_speech = False
            return Event("end", bytes(self._utterance))
        return None
