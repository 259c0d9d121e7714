"""`voiceshop evaluate` as a user runs it, on real recordings and on the journeys."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from test_cli import run

FIXTURES = Path(__file__).resolve().parent.parent / "audio_fixtures" / "en"


def _folder(tmp_path: Path, rows: list[tuple[str, str, str]]) -> Path:
    """A transcripts.tsv folder made of fixture turns: (fixture, reference, intent)."""
    lines = []
    for number, (fixture, reference, intent) in enumerate(rows):
        shutil.copy(FIXTURES / fixture, tmp_path / f"{number}.wav")
        lines.append(f"{number}.wav\t{reference}\t{intent}")
    (tmp_path / "transcripts.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


ROWS = [
    ("kettle_cart/05.wav", "what's in my cart", "read_cart"),
    ("repair_offer/03.wav", "help", "help"),
    ("demo/01.wav", "I need a gift for my dad", "search"),
]


def _evaluate(folder, model, *extra):
    result = run("evaluate", str(folder), "--engine", "whisper", "--model", model, "--json", *extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_figures_and_files_follow_the_contract(tmp_path, whisper_model_dir):
    report = _evaluate(_folder(tmp_path, ROWS), whisper_model_dir)
    for key in ("wer", "sentence_accuracy", "intent_accuracy", "rtf", "engine", "files"):
        assert key in report
    files = report["files"]
    assert [Path(f["file"]).name for f in files] == ["0.wav", "1.wav", "2.wav"]
    assert report["wer"] == round(sum(f["errors"] for f in files) / 12, 4)
    right = sum(f["heard_intent"] == f["intent"] for f in files)
    assert report["intent_accuracy"] == round(right / 3, 4)
    assert report["engine"] == "whisper" and 0 < report["rtf"] < 5


def test_biasing_is_measured_against_no_biasing(tmp_path, whisper_model_dir):
    folder = _folder(tmp_path, ROWS[:2])
    biased = _evaluate(folder, whisper_model_dir)
    free = _evaluate(folder, whisper_model_dir, "--no-bias")
    assert biased["biased"] and not free["biased"]
    assert biased["wer"] == 0.0 and free["wer"] > 0.0  # "card", "hell" without it


def test_journeys_are_evaluated_turn_by_turn_in_their_dialogue(whisper_model_dir):
    report = _evaluate(FIXTURES / "kettle_cart", whisper_model_dir)
    assert len(report["files"]) == 6 and report["intent_accuracy"] is not None
    third = report["files"][2]  # "white please", heard after "which colour?"
    assert third["reference"] == "white please" and third["intent"] is None


def test_a_broken_table_is_refused_with_its_line(tmp_path, whisper_model_dir):
    (tmp_path / "transcripts.tsv").write_text("gone.wav\thello\n", encoding="utf-8")
    result = run("evaluate", str(tmp_path), "--engine", "whisper", "--model", whisper_model_dir)
    assert result.returncode == 2 and "transcripts.tsv:1: gone.wav is missing" in result.stderr
    (tmp_path / "transcripts.tsv").write_text("only-a-file.wav\n", encoding="utf-8")
    result = run("evaluate", str(tmp_path), "--engine", "whisper", "--model", whisper_model_dir)
    assert result.returncode == 2 and "file<TAB>reference" in result.stderr
