"""Where live audio comes from and goes to: the computer's microphone and speakers
(sounddevice / PortAudio), or a WAV file and a recorder, so that tests drive the
whole microphone loop without a sound card.

A source yields 30 ms frames of 16 kHz mono int16 in real time order; a sink
plays a WAV without blocking and can be stopped at once (barge-in).
"""

from __future__ import annotations

import io
import queue
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path

import soundfile

from voice.audio import decode_wav
from voice.endpoint import FRAME_BYTES, FRAME_MS, RATE


class AudioDeviceError(RuntimeError):
    """No usable microphone or speaker; the message says what to do."""


class AudioSource(ABC):
    @abstractmethod
    def frames(self) -> Iterator[bytes]:
        """30 ms frames until the source ends (a file) or is closed."""

    def close(self) -> None:  # noqa: B027  (optional for sources with nothing to release)
        """Stop producing frames."""


class AudioSink(ABC):
    @abstractmethod
    def play(self, wav: bytes) -> None:
        """Start playing; returns at once."""

    @abstractmethod
    def stop(self) -> None:
        """Stop playing now (the user is speaking)."""

    @property
    @abstractmethod
    def playing(self) -> bool: ...


def _sounddevice():
    try:
        import sounddevice
    except ImportError as exc:
        raise AudioDeviceError(
            "The microphone needs sounddevice: pip install 'voiceshop[mic]'."
        ) from exc
    except OSError as exc:  # the PortAudio library itself is missing
        raise AudioDeviceError(
            "The microphone needs the PortAudio library: apt-get install libportaudio2."
        ) from exc
    return sounddevice


def _device(kind: str, device: int | str | None) -> dict:
    sd = _sounddevice()
    channels = "max_input_channels" if kind == "input" else "max_output_channels"
    devices = [d for d in sd.query_devices() if d[channels] > 0]
    if not devices:
        what = "microphone (input)" if kind == "input" else "speaker (output)"
        raise AudioDeviceError(
            f"No {what} device was found. Plug one in, or check that PortAudio sees it "
            "with: python -m sounddevice"
        )
    try:
        return sd.query_devices(device, kind)
    except (ValueError, sd.PortAudioError) as exc:
        names = ", ".join(f"{d['index']}: {d['name']}" for d in devices)
        raise AudioDeviceError(
            f"Audio device {device!r} is not usable ({exc}); try {names}."
        ) from exc


class MicrophoneSource(AudioSource):
    """The default (or a named) input device, read by PortAudio in 30 ms blocks."""

    def __init__(self, device: int | str | None = None) -> None:
        sd = _sounddevice()
        _device("input", device)
        self._frames: queue.Queue[bytes | None] = queue.Queue()
        self._stream = sd.RawInputStream(
            samplerate=RATE,
            blocksize=FRAME_BYTES // 2,
            channels=1,
            dtype="int16",
            device=device,
            callback=lambda data, _n, _t, _status: self._frames.put(bytes(data)),
        )
        self._stream.start()

    def frames(self) -> Iterator[bytes]:
        while (frame := self._frames.get()) is not None:
            yield frame

    def close(self) -> None:
        self._stream.stop()
        self._stream.close()
        self._frames.put(None)


class SpeakerSink(AudioSink):
    def __init__(self, device: int | str | None = None) -> None:
        self._sd = _sounddevice()
        _device("output", device)
        self._device = device
        self._until = 0.0

    def play(self, wav: bytes) -> None:
        samples, rate = soundfile.read(io.BytesIO(wav), dtype="float32")
        self._sd.play(samples, rate, device=self._device)
        self._until = time.monotonic() + len(samples) / rate

    def stop(self) -> None:
        self._sd.stop()
        self._until = 0.0

    @property
    def playing(self) -> bool:
        return time.monotonic() < self._until


class WavSource(AudioSource):
    """WAV files one after the other, each followed by silence, as a microphone
    would hear a shopper pause between turns. `realtime` paces the frames."""

    def __init__(
        self, files: list[str | Path], pause_s: float = 1.5, realtime: bool = False
    ) -> None:
        self._files = [Path(f) for f in files]
        self._pause_frames = int(pause_s * 1000 / FRAME_MS)
        self._realtime = realtime
        self._closed = threading.Event()
        self.position_s = 0.0  # the stream's clock: audio time of the last frame given

    def frames(self) -> Iterator[bytes]:
        silence = bytes(FRAME_BYTES)
        for path in self._files:
            pcm = decode_wav(path).pcm
            pcm += bytes(-len(pcm) % FRAME_BYTES)
            chunks = [pcm[i : i + FRAME_BYTES] for i in range(0, len(pcm), FRAME_BYTES)]
            for frame in chunks + [silence] * self._pause_frames:
                if self._closed.is_set():
                    return
                if self._realtime:
                    time.sleep(FRAME_MS / 1000)
                self.position_s += FRAME_MS / 1000
                yield frame

    def close(self) -> None:
        self._closed.set()


class RecordingSink(AudioSink):
    """Keeps what would have been played, and plays it on the source's clock, so a
    test sees whether a reply was cut short by the user speaking."""

    def __init__(self, clock: WavSource) -> None:
        self._clock = clock
        self.played: list[dict] = []  # wav, started_s, duration_s, stopped_s

    def play(self, wav: bytes) -> None:
        info = soundfile.info(io.BytesIO(wav))
        self.played.append(
            {
                "wav": wav,
                "started_s": self._clock.position_s,
                "duration_s": info.duration,
                "stopped_s": None,
            }
        )

    def stop(self) -> None:
        if self.playing:
            self.played[-1]["stopped_s"] = self._clock.position_s

    @property
    def playing(self) -> bool:
        if not self.played or self.played[-1]["stopped_s"] is not None:
            return False
        last = self.played[-1]
        return self._clock.position_s < last["started_s"] + last["duration_s"]
