"""Decode and validate incoming audio into the one format every engine takes.

Engines want 16 kHz mono signed 16-bit PCM. Callers send whatever their
microphone, phone line, browser or assistant produced, so everything is normalised
here, once: WAV with libsndfile and soxr (resampling), every other recording (FLAC,
OGG, MP3, WebM/Opus from a browser, M4A/AAC from a phone) with FFmpeg through PyAV.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import soundfile
import soxr

TARGET_RATE = 16000
DEFAULT_MAX_SECONDS = float(os.environ.get("VOICESHOP_MAX_AUDIO_S", "60"))

# Sample encodings we accept: integer PCM of any width, IEEE float, and the G.711
# mu-law / A-law that telephone lines and their recordings carry.
_ACCEPTED_SUBTYPES = {
    "PCM_U8",
    "PCM_S8",
    "PCM_16",
    "PCM_24",
    "PCM_32",
    "FLOAT",
    "DOUBLE",
    "ULAW",
    "ALAW",
}


class AudioError(ValueError):
    """Audio the assistant cannot use; the message is one sentence for the caller."""


@dataclass(frozen=True)
class Audio:
    """16 kHz mono 16-bit little-endian PCM with where it came from."""

    pcm: bytes
    source_rate: int
    source_channels: int
    source_subtype: str

    @property
    def seconds(self) -> float:
        return len(self.pcm) / 2 / TARGET_RATE

    @property
    def samples(self) -> np.ndarray:
        return np.frombuffer(self.pcm, dtype=np.int16)


def decode_audio(data: bytes | str | Path, max_seconds: float | None = None) -> Audio:
    """Any common recording (path or bytes) as 16 kHz mono 16-bit PCM: WAV as
    `decode_wav` reads it, anything else FFmpeg can decode. Raises AudioError."""
    data = _read(data)
    if data[:4] in (b"RIFF", b"RIFX", b"RF64") or not data:
        return decode_wav(data, max_seconds)
    limit = DEFAULT_MAX_SECONDS if max_seconds is None else max_seconds
    try:
        return _decoded_by_ffmpeg(data, limit)
    except (av.FFmpegError, ValueError, IndexError) as exc:
        if isinstance(exc, AudioError):
            raise
        raise AudioError(
            "This is not audio voiceshop can read: send WAV, FLAC, OGG, MP3, WebM or M4A."
        ) from exc


def _decoded_by_ffmpeg(data: bytes, limit: float) -> Audio:
    with av.open(io.BytesIO(data), mode="r") as container:
        stream = next((s for s in container.streams if s.type == "audio"), None)
        if stream is None:
            raise AudioError("The file holds no audio track.")
        resampler = av.AudioResampler(format="flt", layout="mono", rate=TARGET_RATE)
        chunks: list[np.ndarray] = []
        heard = 0
        for frame in container.decode(stream):
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray().reshape(-1))
                heard += out.samples
            if heard > limit * TARGET_RATE:
                raise AudioError(f"The audio lasts longer than the {limit:g} s limit.")
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray().reshape(-1))
        rate, channels, codec = stream.rate, stream.channels, stream.codec_context.name
    if not chunks or not sum(len(c) for c in chunks):
        raise AudioError("The audio is empty: the file holds no samples.")
    return Audio(
        pcm=to_pcm16(np.concatenate(chunks), TARGET_RATE),
        source_rate=rate,
        source_channels=channels,
        source_subtype=codec,
    )


def _read(data: bytes | str | Path) -> bytes:
    if isinstance(data, (str, Path)):
        try:
            return Path(data).read_bytes()
        except OSError as exc:
            raise AudioError(f"Cannot read audio file {data}: {exc.strerror}.") from exc
    return data


def decode_wav(data: bytes | str | Path, max_seconds: float | None = None) -> Audio:
    """Read a WAV file (path or bytes) and return 16 kHz mono 16-bit PCM.

    Raises AudioError for anything that is not WAV/PCM, is empty or too long.
    """
    limit = DEFAULT_MAX_SECONDS if max_seconds is None else max_seconds
    data = _read(data)
    if not data:
        raise AudioError("The audio is empty: no bytes were received.")
    try:
        info = soundfile.info(io.BytesIO(data))
    except (soundfile.LibsndfileError, RuntimeError, TypeError) as exc:
        raise AudioError("This is not a WAV file: send RIFF/WAVE PCM audio.") from exc
    if info.format not in ("WAV", "WAVEX"):
        raise AudioError(f"This is a {info.format} file, not WAV: send RIFF/WAVE PCM audio.")
    if info.subtype not in _ACCEPTED_SUBTYPES:
        raise AudioError(
            f"This WAV holds {info.subtype_info} samples, not PCM: "
            "send PCM, float or G.711 (mu-law, A-law) samples."
        )
    if info.frames == 0:
        raise AudioError("The audio is empty: the WAV file holds no samples.")
    if info.duration > limit:
        raise AudioError(
            f"The audio lasts {info.duration:.1f} s, longer than the {limit:g} s limit."
        )
    samples, rate = soundfile.read(io.BytesIO(data), dtype="float32", always_2d=True)
    return Audio(
        pcm=to_pcm16(samples.mean(axis=1), rate),
        source_rate=rate,
        source_channels=info.channels,
        source_subtype=info.subtype,
    )


def to_pcm16(mono: np.ndarray, rate: int) -> bytes:
    """Resample float mono samples in [-1, 1] to 16 kHz and pack them as int16."""
    if rate != TARGET_RATE:
        mono = soxr.resample(mono, rate, TARGET_RATE, quality="HQ")
    clipped = np.clip(mono, -1.0, 32767 / 32768)
    return (clipped * 32768).astype("<i2").tobytes()


def encode_wav(pcm: bytes, rate: int = TARGET_RATE) -> bytes:
    """Wrap mono 16-bit PCM in a WAV container."""
    buffer = io.BytesIO()
    samples = np.frombuffer(pcm, dtype="<i2")
    soundfile.write(buffer, samples, rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()
