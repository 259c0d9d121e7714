"""Recognition measured on a folder of recordings (after Rhasspy's evaluate): word
error rate, sentence accuracy, intent accuracy and real-time factor.

Two kinds of folder: `transcripts.tsv` (file, reference text, optional intent), or
recorded journeys (journey.yaml), whose turns carry their reference and intent.
A journey turn is heard as in a real conversation: biased by what the dialogue
expects after the reference turns before it, and its intent read in that context.
WER uses voice.scoring's documented normalisation (case, punctuation, numbers).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from skills.assistant import Assistant
from skills.journeys import find_journeys, load_journey
from voice.audio import decode_wav
from voice.scoring import word_errors
from voice.stt import SpeechEngine

TRANSCRIPTS = "transcripts.tsv"


class EvaluationError(ValueError):
    """A folder that cannot be evaluated; the message says why."""


@dataclass
class Sample:
    file: Path
    reference: str
    intent: str | None
    context: list[str]  # the reference turns said before it, in its journey
    arrival: dict = field(default_factory=dict)  # how its journey's session started


@dataclass
class FileResult:
    file: str
    reference: str
    hypothesis: str
    errors: int
    words: int
    intent: str | None
    heard_intent: str | None
    audio_s: float
    elapsed_s: float


@dataclass
class Evaluation:
    engine: str
    lang: str
    biased: bool
    files: list[FileResult]

    def summary(self) -> dict:
        files = self.files
        words = sum(f.words for f in files)
        with_intent = [f for f in files if f.intent]
        audio_s = sum(f.audio_s for f in files)
        return {
            "wer": round(sum(f.errors for f in files) / words, 4) if words else 0.0,
            "sentence_accuracy": round(sum(f.errors == 0 for f in files) / len(files), 4),
            "intent_accuracy": (
                round(sum(f.heard_intent == f.intent for f in with_intent) / len(with_intent), 4)
                if with_intent
                else None
            ),
            "rtf": round(sum(f.elapsed_s for f in files) / audio_s, 4) if audio_s else 0.0,
            "engine": self.engine,
            "lang": self.lang,
            "biased": self.biased,
            "count": len(files),
        }

    def to_dict(self) -> dict:
        return {**self.summary(), "files": [asdict(f) for f in self.files]}


def samples_in(folder: Path, lang: str) -> list[Sample]:
    """The recordings of a transcripts.tsv folder or of the journeys below `folder`."""
    table = folder / TRANSCRIPTS
    if table.is_file():
        return list(_table_samples(table))
    journeys = [load_journey(p) for p in find_journeys(folder)] if folder.is_dir() else []
    found = [
        Sample(
            turn.audio,
            turn.text,
            turn.expect.get("intent"),
            [t.text for t in j.turns[:n]],
            j.context,
        )
        for j in journeys
        if j.lang == lang
        for n, turn in enumerate(j.turns)
    ]
    if not found:
        raise EvaluationError(
            f"{folder} holds neither {TRANSCRIPTS} nor recorded journeys in '{lang}'."
        )
    return found


def _table_samples(table: Path) -> Iterator[Sample]:
    with table.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.reader(handle, delimiter="\t"), 1):
            if not row or row[0].startswith("#"):
                continue
            if len(row) < 2 or not row[1].strip():
                raise EvaluationError(
                    f"{table}:{number}: expected 'file<TAB>reference[<TAB>intent]'."
                )
            audio = table.parent / row[0]
            if not audio.is_file():
                raise EvaluationError(f"{table}:{number}: {row[0]} is missing.")
            intent = row[2].strip() if len(row) > 2 and row[2].strip() else None
            yield Sample(audio, row[1].strip(), intent, [])


def evaluate(
    samples: list[Sample],
    engine: SpeechEngine,
    assistant: Assistant,
    bias: bool,
    progress: Callable[[FileResult], None] | None = None,
) -> Evaluation:
    lang = engine.lang
    results = []
    for sample in samples:
        session = None
        for said in sample.context:  # the dialogue so far, as it was meant
            arrival = sample.arrival if session is None else None
            session = assistant.ask(said, session, lang, context=arrival).session_id
        arrival = sample.arrival if session is None else None
        phrases = assistant.expected_phrases(session, lang, arrival) if bias else None
        transcript = engine.transcribe(decode_wav(sample.file).pcm, phrases)
        heard_intent = None
        if sample.intent:
            turn = assistant.ask(transcript.text, session, lang, heard=True, context=arrival)
            heard_intent = turn.reply.intent
        errors, words = word_errors(sample.reference, transcript.text, lang)
        result = FileResult(
            file=str(sample.file),
            reference=sample.reference,
            hypothesis=transcript.text,
            errors=errors,
            words=words,
            intent=sample.intent,
            heard_intent=heard_intent,
            audio_s=transcript.audio_s,
            elapsed_s=transcript.elapsed_s,
        )
        results.append(result)
        if progress:
            progress(result)
    return Evaluation(engine.name, lang, bias, results)
