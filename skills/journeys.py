"""Recorded journeys (audio_fixtures/<lang>/<journey>/journey.yaml) and what each of
their turns must lead to.

A journey file names, per turn, the WAV, the reference transcript and the
expectations (DESIGN.md §5). This module only reads and checks them; running the
audio through the pipeline is `skills.replay`'s job, and making the audio is
`audio_fixtures/synthesize.py`'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from skills.campaigns.arrival import ArrivalError, parse_arrival
from skills.nlu.language import LANGUAGES
from voice.scoring import word_errors

JOURNEY_FILE = "journey.yaml"
DEFAULT_MAX_WER = 0.35  # "close enough": the skill copes with about one word in three misheard
EXPECTATION_KEYS = {
    "intent",
    "slots",
    "reply_contains",
    "products",
    "end_session",
    "max_wer",
}


class JourneyError(ValueError):
    """A journey file that cannot be replayed; the message names the file and the fault."""


@dataclass
class JourneyTurn:
    audio: Path
    text: str  # the reference transcript
    expect: dict = field(default_factory=dict)


@dataclass
class Journey:
    path: Path
    lang: str
    title: str
    turns: list[JourneyTurn]
    context: dict = field(default_factory=dict)  # the arrival the session starts with

    @property
    def name(self) -> str:
        return f"{self.lang}/{self.path.parent.name}"


@dataclass
class TurnOutcome:
    """What one replayed turn produced, for the checks and the report."""

    heard: str
    intent: str
    slots: dict
    reply: str
    products: list[dict]
    end_session: bool
    reply_audio_s: float | None = None


def find_journeys(path: str | Path) -> list[Path]:
    """The journey files at `path`: the file itself, or every journey.yaml below a folder."""
    path = Path(path)
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(path.rglob(JOURNEY_FILE))
    raise JourneyError(f"{path} is neither a journey file nor a folder of journeys.")


def load_journey(path: str | Path) -> Journey:
    """Read and validate one journey file; every fault is reported with the file name."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise JourneyError(f"Cannot read journey {path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("turns"), list) or not data["turns"]:
        raise JourneyError(f"{path}: a journey needs a non-empty 'turns' list.")
    lang = data.get("lang")
    if lang not in LANGUAGES:
        raise JourneyError(f"{path}: 'lang' must be one of {', '.join(LANGUAGES)}.")
    turns = []
    for number, turn in enumerate(data["turns"], 1):
        if not isinstance(turn, dict) or not turn.get("audio") or not turn.get("text"):
            raise JourneyError(f"{path}: turn {number} needs 'audio' and 'text'.")
        expect = turn.get("expect") or {}
        unknown = set(expect) - EXPECTATION_KEYS
        if unknown:
            raise JourneyError(
                f"{path}: turn {number} has unknown expectations {sorted(unknown)}; "
                f"known: {sorted(EXPECTATION_KEYS)}."
            )
        audio = path.parent / turn["audio"]
        if not audio.is_file():
            raise JourneyError(f"{path}: turn {number}'s audio {audio.name} is missing.")
        turns.append(JourneyTurn(audio, str(turn["text"]), expect))
    try:
        context = parse_arrival(data.get("context")).model_dump(exclude_none=True)
    except ArrivalError as exc:
        raise JourneyError(f"{path}: {exc}") from exc
    return Journey(path, lang, str(data.get("title", path.parent.name)), turns, context)


def check_turn(expect: dict, outcome: TurnOutcome, reference: str, lang: str) -> list[str]:
    """The expectations this outcome misses, one sentence each (empty: all met)."""
    failures: list[str] = []
    errors, words = word_errors(reference, outcome.heard, lang)
    max_wer = expect.get("max_wer", DEFAULT_MAX_WER)
    if words and errors / words > max_wer:
        failures.append(
            f"heard {outcome.heard!r} for {reference!r}: "
            f"{errors}/{words} words wrong (at most {max_wer:.0%})"
        )
    if "intent" in expect and outcome.intent != expect["intent"]:
        failures.append(f"intent {outcome.intent!r}, expected {expect['intent']!r}")
    for name, wanted in (expect.get("slots") or {}).items():
        got = outcome.slots.get(name)
        if not _matches(got, wanted):
            failures.append(f"slot {name} = {got!r}, expected {wanted!r}")
    reply = outcome.reply.lower()
    for words_wanted in expect.get("reply_contains") or []:
        if str(words_wanted).lower() not in reply:
            failures.append(f"reply {outcome.reply!r} lacks {words_wanted!r}")
    if "products" in expect:
        failures += _check_products(expect["products"], outcome.products)
    if "end_session" in expect and outcome.end_session != expect["end_session"]:
        failures.append(f"end_session is {outcome.end_session}, expected {expect['end_session']}")
    if outcome.reply_audio_s is not None:
        failures += _check_reply_audio(outcome.reply, outcome.reply_audio_s)
    return failures


def _matches(got: object, wanted: object) -> bool:
    """Equal, or for dicts (budgets) the wanted keys equal."""
    if isinstance(wanted, dict):
        return isinstance(got, dict) and all(_matches(got.get(k), v) for k, v in wanted.items())
    if isinstance(wanted, (int, float)) and isinstance(got, (int, float)):
        return float(got) == float(wanted)
    return got == wanted


def _check_products(wanted: int | dict, products: list[dict]) -> list[str]:
    count = len(products)
    if isinstance(wanted, int):
        return [] if count == wanted else [f"{count} products proposed, expected {wanted}"]
    failures = []
    if count < wanted.get("min", 0):
        failures.append(f"{count} products proposed, expected at least {wanted['min']}")
    if "max" in wanted and count > wanted["max"]:
        failures.append(f"{count} products proposed, expected at most {wanted['max']}")
    title = wanted.get("title_contains")
    if title and not any(title.lower() in p["title"].lower() for p in products):
        failures.append(f"no proposed product title contains {title!r}")
    return failures


# espeak-ng speaks about 12-16 characters a second at our rates; a reply far off that
# was cut short or is mostly silence.
MIN_CHARS_PER_S, MAX_CHARS_PER_S = 5.0, 40.0


def _check_reply_audio(reply: str, seconds: float) -> list[str]:
    chars = len(reply)
    if not chars / MAX_CHARS_PER_S <= seconds <= chars / MIN_CHARS_PER_S + 1.0:
        return [f"the spoken reply lasts {seconds:.1f} s for {chars} characters of text"]
    return []
