import io

import numpy as np
import pytest
import soundfile

from voice.audio import decode_wav
from voice.tts import Synthesizer


def _duration(wav: bytes) -> float:
    info = soundfile.info(io.BytesIO(wav))
    assert info.format == "WAV" and info.subtype == "PCM_16" and info.channels == 1
    return info.duration


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_speech_is_a_decodable_wav_of_plausible_length(lang):
    wav = Synthesizer(lang).to_wav(
        "Bonjour, je cherche des chaussures de sport pour courir."
        if lang == "fr"
        else "Hello, I am looking for running shoes."
    )
    assert 1.5 < _duration(wav) < 6
    samples = decode_wav(wav).samples
    assert np.abs(samples).max() > 3000  # not silence


def test_long_replies_are_spoken_to_the_end():
    text = (
        "I found three products. The best match is Trailmark Essential Running Shoes, "
        "at 70.99 €. There is also Stridex Essential Running Shoes, at 136.99 €."
    )
    tts = Synthesizer("en")
    durations = {round(_duration(tts.to_wav(text)), 1) for _ in range(3)}
    assert min(durations) > 7  # about 9 s at the default rate, every time


def test_rate_changes_the_duration():
    text = "Add two bottles of milk to my cart please."
    slow = _duration(Synthesizer("en", rate=110).to_wav(text))
    fast = _duration(Synthesizer("en", rate=260).to_wav(text))
    assert slow > fast * 1.6


def test_every_reply_has_its_own_rate_and_voice_when_they_alternate():
    """One engine serves every reply; a setting must never leak into the next one."""
    text = "Le prix est de 49,99 €."
    settings = [("fr", 160), ("en", 200), ("en", 110), ("fr", 260)]
    heard = {setting: [] for setting in settings}
    for _ in range(3):
        for lang, rate in settings:
            wav = Synthesizer(lang, rate=rate).to_wav(text)
            heard[(lang, rate)].append(decode_wav(wav).seconds)
    for seconds in heard.values():
        assert max(seconds) - min(seconds) < 0.1
    assert min(heard[("en", 110)]) > max(heard[("en", 200)]) * 1.5
    assert min(heard[("fr", 160)]) > max(heard[("fr", 260)]) * 1.4


@pytest.mark.parametrize(("lang", "voice"), [("en", "en"), ("fr", "fr")])
def test_each_language_speaks_with_its_own_espeak_voice(tmp_path, lang, voice):
    """Our WAV matches espeak-ng's own output for that language's voice, sample for sample."""
    import subprocess

    from voice.speech_text import normalize_for_speech

    text = "Le prix est de 49,99 €." if lang == "fr" else "The price is 49.99 €."
    ours = decode_wav(Synthesizer(lang, rate=160).to_wav(text))
    reference = tmp_path / "espeak.wav"
    subprocess.run(
        [
            "espeak-ng",
            "-v",
            voice,
            "-s",
            "160",
            "-w",
            str(reference),
            normalize_for_speech(text, lang),
        ],
        check=True,
    )
    theirs = decode_wav(reference)
    assert abs(ours.seconds - theirs.seconds) < 0.15
    other = decode_wav(Synthesizer("fr" if lang == "en" else "en", rate=160).to_wav(text))
    assert abs(other.seconds - ours.seconds) > 0.15 or other.pcm != ours.pcm


def test_file_output_and_refusals(tmp_path):
    path = Synthesizer("en").to_file("Your order is on its way.", tmp_path / "reply.wav")
    assert _duration(path.read_bytes()) > 1
    with pytest.raises(ValueError, match="nothing to say"):
        Synthesizer("en").to_wav("   ")
    with pytest.raises(ValueError, match="No voice"):
        Synthesizer("de")


def test_round_trip_tts_to_stt_english(whisper_en):
    """The one the issue names: at most one word wrong."""
    from voice.scoring import word_errors

    reference = "add two bottles of milk to my cart"
    wav = Synthesizer("en").to_wav(reference)
    heard = whisper_en.transcribe(decode_wav(wav).pcm).text
    errors, _ = word_errors(reference, heard)
    assert errors <= 1, heard
