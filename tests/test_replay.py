"""`voiceshop replay` as a user runs it: recorded journeys through the real
recogniser, skill and synthesiser, with every expectation checked."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from test_cli import run

FIXTURES = Path(__file__).resolve().parent.parent / "audio_fixtures"
# Turns that meet every expectation with whisper base, measured with
# `voiceshop replay audio_fixtures --engine whisper`: en 60/63, fr 15/38 (espeak-ng's
# French is close to unintelligible to whisper base; see the README). A floor a few
# turns under, as int8 kernels differ by CPU; the goal is every turn.
PASS_FLOOR = {"en": 57, "fr": 12}


def test_every_recorded_journey_replays_through_the_real_pipeline(whisper_model_dir):
    result = run(
        "replay", str(FIXTURES), "--engine", "whisper", "--model", whisper_model_dir, "--json"
    )
    reports = json.loads(result.stdout)
    assert result.returncode == (1 if any(not r["passed"] for r in reports) else 0)
    journeys = {r["journey"] for r in reports}
    assert sum(j.startswith("en/") for j in journeys) >= 12
    assert sum(j.startswith("fr/") for j in journeys) >= 7
    for lang, floor in PASS_FLOOR.items():
        turns = [r for r in reports if r["journey"].startswith(f"{lang}/")]
        passed = sum(r["passed"] for r in turns)
        failures = [
            f"{r['journey']} {r['turn']}: {r['failures']}" for r in turns if not r["passed"]
        ]
        print(f"{lang}: {passed}/{len(turns)} turns passed")
        assert passed >= floor, "\n".join(failures)


def test_demo_journey_replays_green_with_a_report_per_turn(whisper_model_dir):
    result = run(
        "replay",
        str(FIXTURES / "en" / "demo"),
        "--engine",
        "whisper",
        "--model",
        whisper_model_dir,
        "--json",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    reports = json.loads(result.stdout)
    assert len(reports) == 10 and all(r["passed"] for r in reports)
    assert reports[-1]["intent"] == "yes" and "confirmed" in reports[-1]["reply"]
    assert all(r["timings"]["stt_s"] > 0 and r["timings"]["tts_s"] > 0 for r in reports)


def _journey_with(tmp_path: Path, expect: dict) -> Path:
    """The demo's first turn, copied beside a journey file expecting `expect`."""
    shutil.copy(FIXTURES / "en" / "demo" / "01.wav", tmp_path / "01.wav")
    source = yaml.safe_load((FIXTURES / "en" / "demo" / "journey.yaml").read_text())
    turn = {"audio": "01.wav", "text": source["turns"][0]["text"], "expect": expect}
    path = tmp_path / "journey.yaml"
    path.write_text(yaml.safe_dump({"lang": "en", "turns": [turn]}), encoding="utf-8")
    return path


def test_a_missed_expectation_is_a_line_and_a_failing_exit(tmp_path, whisper_model_dir):
    path = _journey_with(tmp_path, {"intent": "checkout", "reply_contains": ["zebra"]})
    result = run("replay", str(path), "--engine", "whisper", "--model", whisper_model_dir)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "0 passed, 1 failed"
    failures = [line for line in lines if line.strip().startswith("FAIL turn 1 (01.wav)")]
    assert len(failures) == 2, result.stdout
    assert "expected 'checkout'" in failures[0] and "lacks 'zebra'" in failures[1]


def test_a_broken_journey_file_is_refused(tmp_path, whisper_model_dir):
    path = tmp_path / "journey.yaml"
    path.write_text("lang: en\nturns: [{audio: gone.wav, text: hello}]\n", encoding="utf-8")
    result = run("replay", str(tmp_path), "--engine", "whisper", "--model", whisper_model_dir)
    assert result.returncode == 2 and "gone.wav is missing" in result.stderr
