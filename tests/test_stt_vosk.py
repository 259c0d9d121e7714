"""Vosk for real, on the Korean model from PyPI (the only Vosk model to be had here)."""

import subprocess

import pytest

from voice.audio import decode_wav

PHRASES = ["파란 운동화 보여 줘", "검은 가방 보여 줘", "빨간 모자 사 줘", "주문 취소 해 줘"]


def _espeak_ko(tmp_path, text: str) -> bytes:
    out = tmp_path / "ko.wav"
    subprocess.run(["espeak-ng", "-v", "ko", "-w", str(out), text], check=True)
    return decode_wav(out).pcm


@pytest.mark.parametrize("phrase", ["파란 운동화 보여 줘", "검은 가방 보여 줘"])
def test_grammar_recognises_a_phrase_exactly(vosk_ko, tmp_path, phrase):
    pcm = _espeak_ko(tmp_path, phrase)
    free = vosk_ko.transcribe(pcm)
    biased = vosk_ko.transcribe(pcm, phrases=PHRASES)
    assert biased.text == phrase
    assert free.text != phrase  # the grammar is what makes it right
    assert [w.word for w in biased.words] == phrase.split()
    assert all(0 < w.conf <= 1 for w in biased.words)
    starts = [w.start for w in biased.words]
    assert starts == sorted(starts) and biased.words[-1].end <= biased.audio_s + 0.05


def test_out_of_vocabulary_words_are_dropped_and_reported(vosk_ko, tmp_path):
    pcm = _espeak_ko(tmp_path, "검은 가방 보여 줘")
    result = vosk_ko.transcribe(pcm, phrases=[*PHRASES, "sneakers please"])
    assert result.dropped_phrase_words == ["sneakers", "please"]
    assert result.text == "검은 가방 보여 줘"
    with pytest.raises(ValueError, match="vocabulary"):
        vosk_ko.recognizer(["only english words"])


def test_streaming_gives_partials_then_the_final_text(vosk_ko, tmp_path):
    pcm = _espeak_ko(tmp_path, "파란 운동화 보여 줘")
    stream = vosk_ko.recognizer(PHRASES)
    partials = []
    for start in range(0, len(pcm), 3200):  # 100 ms chunks, as a microphone sends them
        stream.accept(pcm[start : start + 3200])
        partials.append(stream.partial())
    final = stream.finish()
    assert any(partials), "no partial result while streaming"
    assert any(p and p != final.text for p in partials) or partials[-1] == final.text
    assert final.text == "파란 운동화 보여 줘"
    assert final.audio_s == pytest.approx(len(pcm) / 32000, abs=0.01)


def test_n_best_alternatives_are_ranked(vosk_ko, tmp_path):
    pcm = _espeak_ko(tmp_path, "검은 가방 보여 줘")
    result = vosk_ko.transcribe(pcm, alternatives=3)
    assert 2 <= len(result.alternatives) <= 3
    scores = [a.confidence for a in result.alternatives]
    assert scores == sorted(scores, reverse=True) and sum(scores) <= 1.0001
    assert result.alternatives[0].text == result.text
    assert len({a.text for a in result.alternatives}) == len(result.alternatives)


def test_one_model_per_process(vosk_ko, korean_model_dir):
    from voice.stt.vosk_engine import VoskEngine

    assert VoskEngine(korean_model_dir, "ko").model is vosk_ko.model


def test_a_folder_that_is_not_a_model_is_a_clear_error(tmp_path):
    from voice.stt import ModelNotFoundError
    from voice.stt.vosk_engine import VoskEngine

    with pytest.raises(ModelNotFoundError, match="not a Vosk model folder"):
        VoskEngine(str(tmp_path), "ko")


@pytest.mark.parametrize("sentence", ["오늘 날씨 어때", "불 꺼 줘", "지금 몇 시야"])
def test_speech_outside_the_list_keeps_the_free_result(vosk_ko, tmp_path, sentence):
    """The constrained recogniser forces these onto list words; the free one stands.
    (The Korean model's free decode varies from run to run on the same audio, so the
    free result is compared within one biased decode.)"""
    biased = vosk_ko.transcribe(_espeak_ko(tmp_path, sentence), phrases=PHRASES)
    chosen, forced = (a.text for a in biased.alternatives)
    assert biased.text == chosen and biased.text not in PHRASES
    assert forced and set(forced.split()) <= set(" ".join(PHRASES).split())


@pytest.mark.parametrize(
    ("said", "phrase"),
    [
        ("검은 가방 보여 줘", "검은 가방 보여 줘"),
        ("검은 가방 보여 줘 보여 줘", "검은 가방 보여 줘"),  # the word loop's echo
        ("주문 취소 해 줘 보여 줘", None),  # another phrase's words after it
        ("가방 보여 줘", None),
        ("보여 줘 보여", None),
    ],
)
def test_only_one_whole_phrase_counts_as_heard(said, phrase):
    from voice.stt.vosk_engine import whole_phrase

    assert whole_phrase(said, PHRASES) == phrase


def test_digits_in_phrases_are_spelled_for_the_grammar(vosk_ko):
    grammar, dropped = vosk_ko.grammar(["3 개", "빨간 모자"])
    assert grammar[:2] == ["삼 개", "빨간 모자"] and not dropped
