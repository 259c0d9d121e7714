import io
import math

import numpy as np
import pytest
import soundfile
from conftest import tone_wav

from voice.audio import TARGET_RATE, AudioError, decode_audio, decode_wav, encode_wav


@pytest.mark.parametrize("subtype", ["PCM_U8", "PCM_16", "PCM_24", "PCM_32", "FLOAT", "DOUBLE"])
@pytest.mark.parametrize("rate", [8000, 16000, 22050, 44100, 48000])
@pytest.mark.parametrize("channels", [1, 2])
def test_any_pcm_wav_becomes_16k_mono_int16(subtype, rate, channels):
    audio = decode_wav(tone_wav(1.0, rate, channels, subtype))
    samples = audio.samples
    assert audio.source_rate == rate and audio.source_channels == channels
    assert abs(len(samples) - TARGET_RATE) <= 2
    # The tone survives: 440 Hz dominates the spectrum and the level is kept.
    spectrum = np.abs(np.fft.rfft(samples.astype(float)))
    peak_hz = np.argmax(spectrum) * TARGET_RATE / len(samples)
    assert abs(peak_hz - 440) < 3
    rms = math.sqrt(np.mean((samples / 32768.0) ** 2))
    assert 0.3 < rms < 0.4  # 0.5 amplitude sine: 0.354


def test_stereo_channels_are_averaged():
    left = np.full(16000, 0.5)
    right = np.zeros(16000)
    buffer = io.BytesIO()
    soundfile.write(buffer, np.stack([left, right], axis=1), 16000, format="WAV")
    assert abs(int(np.median(decode_wav(buffer.getvalue()).samples)) - 8192) <= 1


def test_round_trip_through_encode():
    audio = decode_wav(tone_wav(0.5))
    again = decode_wav(encode_wav(audio.pcm))
    assert again.pcm == audio.pcm


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"this is plain text, not audio at all" * 10, "not a WAV"),
        (tone_wav(0.0), "empty"),
    ],
)
def test_refusals_say_why(data, message):
    with pytest.raises(AudioError, match=message):
        decode_wav(data)


def test_other_containers_are_refused():
    buffer = io.BytesIO()
    soundfile.write(buffer, np.zeros(1600), 16000, format="FLAC")
    with pytest.raises(AudioError, match="FLAC file, not WAV"):
        decode_wav(buffer.getvalue())


def test_compressed_wav_is_refused():
    buffer = io.BytesIO()
    soundfile.write(buffer, np.zeros(1600), 16000, format="WAV", subtype="GSM610")
    with pytest.raises(AudioError, match="not PCM"):
        decode_wav(buffer.getvalue())


@pytest.mark.parametrize("subtype", ["ULAW", "ALAW"])
def test_telephone_g711_wav_is_decoded_to_16_khz(subtype):
    """A phone line's 8 kHz G.711 recording comes out as the same tone at 16 kHz."""
    decoded = decode_wav(tone_wav(1.0, rate=8000, subtype=subtype, frequency=440.0))
    assert decoded.source_rate == 8000 and decoded.source_subtype == subtype
    assert decoded.seconds == pytest.approx(1.0, abs=0.01)
    spectrum = np.abs(np.fft.rfft(decoded.samples.astype(np.float64)))
    peak_hz = np.argmax(spectrum) * 16000 / len(decoded.samples)
    assert peak_hz == pytest.approx(440, abs=3)


def test_too_long_audio_is_refused_with_the_limit():
    with pytest.raises(AudioError, match="longer than the 2 s limit"):
        decode_wav(tone_wav(3.0), max_seconds=2)
    assert decode_wav(tone_wav(1.5), max_seconds=2).seconds == pytest.approx(1.5, abs=0.01)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(AudioError, match="Cannot read audio file"):
        decode_wav(tmp_path / "nope.wav")


def _encoded(fmt: str, codec: str, seconds: float = 1.0, rate: int = 48000) -> bytes:
    """A 440 Hz tone, really encoded by FFmpeg as browsers and phones record."""
    import av

    t = np.arange(int(seconds * rate)) / rate
    tone = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32).reshape(1, -1)
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=rate)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(tone, format="flt", layout="mono")
        frame.rate = rate
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("fmt", "codec"),
    [
        ("flac", "flac"),
        ("ogg", "libopus"),
        ("mp3", "libmp3lame"),
        ("webm", "libopus"),
        ("ipod", "aac"),
    ],  # ipod: an .m4a
)
def test_compressed_recordings_become_the_same_16k_pcm(fmt, codec):
    audio = decode_audio(_encoded(fmt, codec))
    assert abs(audio.seconds - 1.0) < 0.1 and audio.source_rate == 48000
    spectrum = np.abs(np.fft.rfft(audio.samples.astype(float)))
    peak = np.argmax(spectrum) * TARGET_RATE / len(audio.samples)
    assert abs(peak - 440) < 5  # the tone survived decoding and resampling


def test_wav_still_goes_through_the_wav_reader():
    assert decode_audio(tone_wav(0.5)).pcm == decode_wav(tone_wav(0.5)).pcm
    with pytest.raises(AudioError, match="not PCM"):
        buffer = io.BytesIO()
        soundfile.write(buffer, np.zeros(1600), 16000, format="WAV", subtype="GSM610")
        decode_audio(buffer.getvalue())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"this is plain text, not audio at all" * 10, "not audio voiceshop can read"),
        (b"", "empty"),
    ],
)
def test_what_is_not_a_recording_is_refused_in_one_sentence(data, message):
    with pytest.raises(AudioError, match=message):
        decode_audio(data)


def test_a_long_compressed_recording_is_refused_with_the_limit():
    with pytest.raises(AudioError, match="2 s limit"):
        decode_audio(_encoded("flac", "flac", seconds=3.0), max_seconds=2)
