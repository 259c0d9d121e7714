"""The `voiceshop` command: a thin layer over the voice, catalog and skills packages.

Exit status: 0 success, 1 the work failed, 2 bad usage or unreadable input;
errors go to stderr as one plain sentence.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

import click

from catalog.db import default_db_path, open_db, product_count, unusable_db
from catalog.formats import READERS
from skills.nlu.language import LANGUAGES


def _usable_db(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A database path that cannot work (a missing folder, a file that is not
    SQLite) stops the command with one sentence before anything runs."""
    problem = unusable_db(value or default_db_path())
    if problem:
        raise InputError(problem)
    return value


db_option = click.option(
    "--db",
    "db_path",
    default=None,
    metavar="PATH",
    callback=_usable_db,
    help="SQLite database (default: $VOICESHOP_DB, else ./voiceshop.db).",
)
lang_option = click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=lambda: os.environ.get("VOICESHOP_LANG", "en"),
    show_default="$VOICESHOP_LANG or en",
)
engine_option = click.option(
    "--engine",
    type=click.Choice(["vosk", "whisper"]),
    default=None,
    help="Speech engine (default: $VOICESHOP_STT_ENGINE, else the "
    "first with a model: vosk, then whisper).",
)
model_option = click.option(
    "--model",
    default=None,
    metavar="DIR",
    help="Speech model folder (default: from the environment).",
)

no_bias_option = click.option(
    "--no-bias", is_flag=True, help="Recognise without the expected phrases (to measure them)."
)


class InputError(click.ClickException):
    """Unreadable or invalid input: exit status 2."""

    exit_code = 2


EMPTY_CATALOGUE = (
    "The catalogue in {path} is empty: import yours with `voiceshop catalog import FILE`, "
    "or try the demo with `voiceshop catalog demo`."
)


def fail(message: str) -> None:
    raise click.ClickException(message)


@click.group()
@click.version_option(package_name="voiceshop")
def main() -> None:
    """voiceshop: an offline voice shopping assistant."""


@main.command()
@click.argument("audio", type=click.Path(dir_okay=False))
@lang_option
@engine_option
@model_option
@click.option(
    "--grammar",
    "grammar_file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Bias recognition to the phrases in this file (one a line).",
)
@click.option("--alternatives", default=0, show_default=True, help="How many n-best to return.")
@click.option("--json", "as_json", is_flag=True, help="Print the transcript as JSON.")
def transcribe(audio, lang, engine, model, grammar_file, alternatives, as_json) -> None:
    """Recognise the speech in a recording (WAV, FLAC, OGG, MP3, WebM or M4A)."""
    from voice.audio import AudioError, decode_audio
    from voice.stt import ModelNotFoundError, load_engine

    try:
        pcm = decode_audio(audio).pcm
    except AudioError as exc:
        raise InputError(str(exc)) from exc
    phrases = None
    if grammar_file:
        phrases = [
            line.strip()
            for line in Path(grammar_file).read_text("utf-8").splitlines()
            if line.strip()
        ]
    try:
        stt = load_engine(engine, lang, model)
        transcript = stt.transcribe(pcm, phrases=phrases, alternatives=alternatives)
    except ModelNotFoundError as exc:
        fail(str(exc))
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(transcript.to_dict(), ensure_ascii=False))
    else:
        click.echo(transcript.text)


@main.command()
@click.argument("text")
@lang_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write a 16-bit WAV here instead of playing it.",
)
@click.option("--rate", type=int, default=None, help="Speaking rate in words per minute.")
def say(text, lang, output, rate) -> None:
    """Speak TEXT (or write it to a WAV file)."""
    from voice.tts import DEFAULT_RATE, SpeechSynthesisError, Synthesizer

    try:
        tts = Synthesizer(lang, rate or DEFAULT_RATE)
        if output:
            tts.to_file(text, output)
            click.echo(output)
        else:
            _play(tts.to_wav(text))
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    except SpeechSynthesisError as exc:
        fail(str(exc))


def _play(wav: bytes) -> None:
    """Play through the sound card (the `mic` extra); without one, say so as `listen`
    does, and how to write a file instead."""
    from voice.audio_io import AudioDeviceError, SpeakerSink

    try:
        speaker = SpeakerSink()
        speaker.play(wav)
        while speaker.playing:
            time.sleep(0.05)
    except AudioDeviceError as exc:
        fail(f"{str(exc).rstrip('.')}; or write a file with -o OUT.wav.")


@main.group()
def catalog() -> None:
    """Product catalogue: import, statistics, the demo, removal."""


@catalog.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(READERS)),
    default=None,
    help="File format (default: detected from the name and header, and said).",
)
@click.option(
    "--currency",
    default=None,
    metavar="CODE",
    help="Currency of prices that name none (default: EUR; USD for Magento's import CSV).",
)
@db_option
@click.option("--json", "as_json", is_flag=True)
def catalog_import(file, fmt, currency, db_path, as_json) -> None:
    """Import products; bad rows go to FILE.rejects.jsonl with the reason."""
    from tqdm import tqdm

    from catalog.importer import import_file

    if not Path(file).is_file():
        raise InputError(f"Cannot read {file}: no such file.")
    db = open_db(db_path or default_db_path())
    with tqdm(unit=" products", desc="importing", disable=None, file=sys.stderr) as bar:
        try:
            report = import_file(db, file, fmt, progress=bar.update, currency=currency)
        except (UnicodeDecodeError, ValueError) as exc:
            raise InputError(f"Cannot import {file}: {exc}") from exc
    if as_json:
        click.echo(json.dumps(report.to_dict()))
    else:
        if not fmt:
            click.echo(f"Read {file} as {FORMAT_NAMES[report.format]} (detected from its header).")
        repeated = f", {report.duplicates} repeated skus (the later row kept)"
        click.echo(
            f"{report.imported} products imported ({report.inserted} new, {report.updated} "
            f"updated, {report.variants} variants), {report.rejected} rows rejected"
            f"{repeated if report.duplicates else ''}."
        )
        if report.rejects_path:
            click.echo(f"Rejected rows and reasons: {report.rejects_path}")
    if not report.imported:
        seen = ", ".join(report.columns) or "none"
        fail(f"No product found in {file}; columns seen: {seen}.")


FORMAT_NAMES = {
    "csv": "a CSV with common column names",
    "json": "a JSON list of products",
    "jsonl": "JSON Lines, one product per line",
    "gmc": "a Google Merchant Center feed",
    "magento": "a Magento 2 product import CSV",
    "shopify": "a Shopify product CSV",
    "woocommerce": "a WooCommerce product CSV",
}


@catalog.command("demo")
@db_option
def catalog_demo(db_path) -> None:
    """The bundled demo catalogue and demo customers, into the database."""
    from skills.assistant import Assistant

    path = db_path or default_db_path()
    before = product_count(open_db(path))
    assistant = Assistant(path, demo=True)
    added = product_count(assistant.db) - before
    click.echo(f"demo catalogue in {path}: {added} products added, {before + added} in all.")


@catalog.command("remove")
@click.argument("skus", nargs=-1, required=True)
@db_option
def catalog_remove(skus, db_path) -> None:
    """Remove products, by their id or a variant's SKU, with all their variants."""
    from catalog.removal import remove_products

    removed, unknown = remove_products(open_db(_existing_db(db_path)), skus)
    if removed:
        click.echo(f"removed {len(removed)} products: {', '.join(removed)}")
    if unknown:
        fail(f"No product has the SKU {', '.join(unknown)}.")


@catalog.command("clear")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@db_option
def catalog_clear(yes, db_path) -> None:
    """Remove every product from the catalogue (customers and orders stay)."""
    from catalog.removal import clear_catalog

    path = _existing_db(db_path)
    if not yes:
        if not sys.stdin.isatty():
            raise InputError("Clearing the catalogue needs --yes when not asked at a terminal.")
        click.confirm(f"Remove every product from {path}?", abort=True)
    click.echo(f"removed {clear_catalog(open_db(path))} products; the catalogue is empty.")


@catalog.command("stats")
@db_option
@click.option("--json", "as_json", is_flag=True)
def catalog_stats_command(db_path, as_json) -> None:
    """Counts by category and language coverage."""
    from catalog.stats import catalog_stats

    path = _existing_db(db_path)
    stats = catalog_stats(open_db(path))
    if not stats["products"]:
        click.echo(EMPTY_CATALOGUE.format(path=path), err=True)
    if as_json:
        click.echo(json.dumps(stats, ensure_ascii=False))
        return
    click.echo(
        f"{stats['products']} products, {stats['variants']} variants, "
        f"{stats['in_stock']} in stock; French titles: "
        f"{stats['languages']['fr_coverage']:.0%}"
    )
    for name, count in stats["categories"].items():
        click.echo(f"  {name}: {count}")


@main.command()
@click.argument("query")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 100))
@click.option("--max-price", type=float, default=None)
@click.option("--min-price", type=float, default=None)
@click.option("--colour", "--color", "colour", default=None)
@click.option("--size", default=None)
@click.option("--category", default=None)
@click.option("--in-stock", is_flag=True)
@lang_option
@db_option
@click.option("--json", "as_json", is_flag=True)
def search(
    query, limit, max_price, min_price, colour, size, category, in_stock, lang, db_path, as_json
) -> None:
    """Search the catalogue."""
    from catalog.search import CatalogSearch, Filters

    db = open_db(_stocked(db_path))
    filters = Filters(
        max_price=max_price,
        min_price=min_price,
        colour=colour,
        size=size,
        category=category,
        in_stock=in_stock,
    )
    hits = CatalogSearch(db).search(query, limit=limit, filters=filters, lang=lang)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {k: h.to_dict()[k] for k in ("id", "title", "price", "currency", "score")}
                    for h in hits
                ],
                ensure_ascii=False,
            )
        )
        return
    if not hits:
        click.echo("No product matches.")
    for hit in hits:
        click.echo(f"{hit.score:.2f}  {hit.id}  {hit.title}  {hit.price:.2f} {hit.currency}")


def _existing_db(db_path: str | None) -> str:
    """The database a reading command works on, which must exist already."""
    path = db_path or default_db_path()
    if not Path(path).is_file():
        raise InputError(f"There is no database at {path}: give one with --db.")
    return path


def _assistant(db_path: str | None):
    from skills.assistant import Assistant

    return Assistant(_stocked(db_path))


def _demo_shop(folder: str, name: str):
    """An assistant on a scratch demo shop, for what was recorded against it."""
    from skills.assistant import Assistant

    return Assistant(str(Path(folder) / name), demo=True)


def _stocked(db_path: str | None) -> str:
    """The database a shopping command works on, which must hold a catalogue: an
    empty one (a new or mistyped --db) says so instead of answering with nothing."""
    path = db_path or default_db_path()
    if not Path(path).is_file() or not product_count(open_db(path)):
        raise InputError(EMPTY_CATALOGUE.format(path=path))
    return path


def _turn(assistant, text: str, session_id: str | None, lang: str, context: dict | None = None):
    from skills.assistant import TurnInputError, UnknownSessionError

    try:
        return assistant.ask(text, session_id, lang, context=context, start_named=True)
    except (TurnInputError, UnknownSessionError) as exc:
        raise InputError(str(exc)) from exc


def arrival_options(command):
    """What is known of the shopper's arrival, for a new session's marketing rules."""
    options = [
        click.option("--campaign", default=None, help="Arrival campaign (e.g. winter-mailing)."),
        click.option("--referrer", default=None, help="Where the shopper came from."),
        click.option("--country", default=None, help="Shopper's country, ISO code (e.g. BE)."),
        click.option("--region", default=None, help="Shopper's region, for the forecast."),
        click.option("--timezone", default=None, help="Shopper's time zone (Europe/Paris)."),
        click.option("--customer", "customer_id", default=None, help="Known customer id."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _context(**values) -> dict:
    return {key: value for key, value in values.items() if value is not None}


@main.command()
@click.argument("text")
@click.option(
    "--session",
    "session_id",
    default=None,
    help="Continue this conversation, or start one with this name.",
)
@lang_option
@db_option
@arrival_options
@click.option("--json", "as_json", is_flag=True, help="Print the whole turn as JSON.")
def ask(text, session_id, lang, db_path, as_json, **arrival) -> None:
    """One text turn of the shopping conversation."""
    result = _turn(_assistant(db_path), text, session_id, lang, _context(**arrival))
    if as_json:
        data = result.to_dict()
        keys = ("session_id", "intent", "slots", "reply", "products", "end_session")
        click.echo(json.dumps({k: data[k] for k in keys}, ensure_ascii=False))
        return
    click.echo(result.reply.text)
    click.echo(f"(session {result.session_id})", err=True)


@main.command()
@click.option(
    "--session",
    "session_id",
    default=None,
    help="Continue this conversation, or start one with this name.",
)
@lang_option
@db_option
@arrival_options
def chat(session_id, lang, db_path, **arrival) -> None:
    """A text conversation in the terminal (empty line or Ctrl-D to leave)."""
    assistant = _assistant(db_path)
    context = _context(**arrival)
    click.echo("voiceshop — type what you would say; an empty line ends.", err=True)
    while True:
        try:
            text = input("you> ")
        except EOFError:
            break
        if not text.strip():
            break
        result = _turn(assistant, text, session_id, lang, context)
        session_id = result.session_id
        click.echo(f"shop> {result.reply.text}")
        if result.reply.end_session:
            break
    if session_id:
        click.echo(f"(session {session_id}: continue with --session {session_id})", err=True)


@main.group()
def export() -> None:
    """Export what other platforms need."""


@export.command("alexa-model")
@click.option("--lang", type=click.Choice(LANGUAGES), required=True)
@db_option
def export_alexa_model(lang, db_path) -> None:
    """The Alexa interaction model JSON, from the skill's language data and the catalogue."""
    from skills.alexa_model import interaction_model

    db = open_db(_stocked(db_path))
    click.echo(json.dumps(interaction_model(lang, db), ensure_ascii=False, indent=2))


@main.command("evaluate-nlu")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--lang", "langs", multiple=True, type=click.Choice(LANGUAGES))
@click.option(
    "--slurp",
    type=click.Path(dir_okay=False),
    default=None,
    help="SLURP's devel TSV for English out-of-scope lines "
    "(default: $VOICESHOP_SHARED/nlu/slurp_devel_en.tsv).",
)
@click.option("--json", "as_json", is_flag=True)
def evaluate_nlu(folder, langs, slurp, as_json) -> None:
    """Understanding on FOLDER's held-out sets (<lang>.tsv, <lang>_out_of_scope.txt):
    the learnt model beside the template matcher, on the demo catalogue."""
    import tempfile

    from catalog.demo import ensure_demo_catalog
    from catalog.search import CatalogSearch
    from skills.nlu.baseline import TemplateMatcher
    from skills.nlu.evaluation import EvaluationSetError, measure, out_of_scope_lines
    from skills.nlu.matcher import IntentParser

    shared = os.environ.get("VOICESHOP_SHARED")
    slurp_path = (
        Path(slurp) if slurp else (Path(shared) / "nlu/slurp_devel_en.tsv" if shared else None)
    )
    figures = []
    with tempfile.TemporaryDirectory(prefix="voiceshop-nlu-") as scratch:
        db = open_db(Path(scratch) / "demo.db")
        ensure_demo_catalog(db)
        search = CatalogSearch(db)
        for lang in langs or LANGUAGES:
            link = (lang, search.known_words(), search.brands(), search.titles(lang))
            try:
                lines = out_of_scope_lines(Path(folder), lang, slurp_path)
                for method, parser in (
                    ("template matcher", TemplateMatcher(*link)),
                    ("learnt model", IntentParser(*link)),
                ):
                    figures.append(measure(parser, method, Path(folder) / f"{lang}.tsv", lines))
            except EvaluationSetError as exc:
                raise InputError(str(exc)) from exc
    if as_json:
        click.echo(json.dumps([f.to_dict() for f in figures], ensure_ascii=False, indent=1))
        return
    for f in figures:
        rejected = "-" if f.rejected is None else f"{f.rejected:.1%} of {f.out_of_scope_lines}"
        click.echo(
            f"{f.lang} {f.method}: intents {f.intent_accuracy:.1%}, slot F1 {f.slot_f1:.3f} "
            f"on {f.utterances}; out of scope rejected {rejected}; p95 {f.p95_ms:.2f} ms"
        )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256))
@click.option(
    "--preload",
    is_flag=True,
    help="Load every language's speech model at start (/healthz says 503 until then).",
)
@db_option
@engine_option
@model_option
def serve(host, port, workers, threads, preload, db_path, engine, model) -> None:
    """Run the webhook app (JSON/audio API) through gunicorn."""
    from skills.serve import serve as run_server

    config = {
        "DB_PATH": _stocked(db_path),
        "STT_ENGINE": engine,
        "STT_MODEL": model,
        "PRELOAD": preload,
    }
    run_server(host, port, workers, threads, config)


@main.command()
@click.option(
    "--uri",
    default="tcp://127.0.0.1:10700",
    show_default=True,
    help="Where to listen: tcp://HOST:PORT or unix://PATH.",
)
@db_option
@lang_option
@engine_option
@model_option
def wyoming(uri, db_path, lang, engine, model) -> None:
    """Serve Home Assistant's voice pipeline over Wyoming: speech to text, the shop's
    answers and text to speech."""
    import asyncio

    from skills.assistant import Assistant
    from skills.speech import SpeechService
    from skills.voice_turn import VoiceAssistant
    from skills.wyoming_service import run

    if not re.fullmatch(r"(tcp://[^:/]+:\d{1,5}|unix://.+)", uri):
        fail(f"{uri} is not a Wyoming address: give tcp://HOST:PORT or unix://PATH.")
    voice = VoiceAssistant(Assistant(_stocked(db_path)), SpeechService(engine, model))
    click.echo(f"Wyoming service at {uri} (Ctrl+C ends).", err=True)
    try:
        asyncio.run(run(voice, uri, lang))
    except OSError as exc:
        fail(f"Cannot listen at {uri}: {exc.strerror or exc}.")
    except KeyboardInterrupt:
        pass


@main.command()
@db_option
@lang_option
@engine_option
@model_option
@click.option(
    "--out",
    "out_dir",
    default="voiceshop-demo",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Where the reply WAVs are written.",
)
def demo(db_path, lang, engine, model, out_dir) -> None:
    """Replay the bundled demo journey through STT → catalogue → TTS."""
    from skills.demo import run_demo
    from voice.stt import ModelNotFoundError

    def show(turn) -> None:
        click.echo(f"heard: {turn.heard}")
        click.echo(f"said:  {turn.said}")
        click.echo(f"       ({turn.reply_wav})")

    try:
        turns = run_demo(db_path or default_db_path(), Path(out_dir), lang, engine, model, show)
    except ModelNotFoundError as exc:
        fail(str(exc))
    click.echo(f"{len(turns)} turns replayed; replies written to {out_dir}/")


@main.command()
@db_option
@lang_option
@engine_option
@model_option
@click.option(
    "--push-to-talk", is_flag=True, help="Press Enter to start and to end each utterance."
)
@click.option("--input-device", default=None, help="Microphone (index or name; default: system).")
@click.option("--output-device", default=None, help="Speaker (index or name; default: system).")
def listen(db_path, lang, engine, model, push_to_talk, input_device, output_device) -> None:
    """Talk to the shop at the microphone; replies are spoken, and stop when you speak."""
    import threading

    from skills.assistant import Assistant
    from skills.listen import Conversation, PushToTalk
    from skills.speech import SpeechService
    from skills.voice_turn import VoiceAssistant
    from voice.audio_io import AudioDeviceError, MicrophoneSource, SpeakerSink
    from voice.endpoint import Endpointer
    from voice.stt import ModelNotFoundError

    def device(value):
        return int(value) if value is not None and value.isdigit() else value

    voice = VoiceAssistant(Assistant(_stocked(db_path)), SpeechService(engine, model))
    try:
        voice.speech.recogniser(lang)  # load the model before the microphone opens
        source = MicrophoneSource(device(input_device))
        sink = SpeakerSink(device(output_device))
    except (ModelNotFoundError, AudioDeviceError, RuntimeError) as exc:
        fail(str(exc))
    if push_to_talk:
        endpointer = PushToTalk()

        def keys() -> None:
            for _ in sys.stdin:
                endpointer.toggle()

        threading.Thread(target=keys, daemon=True).start()
        click.echo("Press Enter, speak, press Enter again. Ctrl+C ends.")
    else:
        endpointer = Endpointer()
        click.echo("Listening: speak when you like (headphones avoid hearing the replies back).")

    def show(turn) -> None:
        t = turn.timings
        click.echo(f"heard: {turn.heard}")
        click.echo(f"said:  {turn.reply}")
        click.echo(
            f"       (after end of speech: transcript {t['transcript_s'] * 1000:.0f} ms, "
            f"reply {t['reply_text_s'] * 1000:.0f} ms, audio {t['first_audio_s'] * 1000:.0f} ms)"
        )

    try:
        Conversation(voice, lang, source, sink, endpointer, show).run()
    except KeyboardInterrupt:
        source.close()
        click.echo("Bye.")


@main.command()
@click.argument("path", type=click.Path(exists=True))
@engine_option
@model_option
@click.option(
    "--db",
    "db_path",
    default=None,
    metavar="PATH",
    help="SQLite database (default: a new one with the demo catalogue, removed after).",
)
@no_bias_option
@click.option("--json", "as_json", is_flag=True, help="Print every turn's report as JSON.")
def replay(path, engine, model, db_path, no_bias, as_json) -> None:
    """Replay recorded journeys (a journey.yaml or a folder of them) and check them."""
    import tempfile

    from skills.assistant import Assistant
    from skills.journeys import JourneyError, find_journeys
    from skills.replay import replay as replay_journeys
    from skills.speech import SpeechService
    from skills.voice_turn import VoiceAssistant
    from voice.stt import ModelNotFoundError

    def show(reports) -> None:
        passed = sum(r.passed for r in reports)
        click.echo(f"{reports[0].journey}: {passed}/{len(reports)} turns passed")
        for report in reports:
            for failure in report.failures:
                click.echo(f"  FAIL turn {report.turn} ({Path(report.audio).name}): {failure}")

    with tempfile.TemporaryDirectory(prefix="voiceshop-replay-") as scratch:
        voice = VoiceAssistant(
            # the fixtures were recorded against the demo shop: a scratch copy of it
            Assistant(_stocked(db_path)) if db_path else _demo_shop(scratch, "replay.db"),
            SpeechService(engine, model),
            bias=not no_bias,
        )
        try:
            reports = replay_journeys(voice, find_journeys(path), None if as_json else show)
        except JourneyError as exc:
            raise InputError(str(exc)) from exc
        except ModelNotFoundError as exc:
            fail(str(exc))
    failed = sum(not r.passed for r in reports)
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=1))
    else:
        click.echo(f"{len(reports) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@lang_option
@engine_option
@model_option
@no_bias_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures and every file.")
def evaluate(folder, lang, engine, model, no_bias, as_json) -> None:
    """Measure recognition on FOLDER: a transcripts.tsv or recorded journeys."""
    import tempfile

    from tqdm import tqdm

    from skills.evaluate import EvaluationError, samples_in
    from skills.evaluate import evaluate as run_evaluation
    from skills.journeys import JourneyError
    from voice.stt import ModelNotFoundError, load_engine

    try:
        samples = samples_in(Path(folder), lang)
        recogniser = load_engine(engine, lang, model)
    except (EvaluationError, JourneyError) as exc:
        raise InputError(str(exc)) from exc
    except ModelNotFoundError as exc:
        fail(str(exc))
    bar = tqdm(total=len(samples), unit="file", disable=not sys.stderr.isatty())
    with tempfile.TemporaryDirectory(prefix="voiceshop-evaluate-") as scratch:
        assistant = _demo_shop(scratch, "evaluate.db")
        result = run_evaluation(samples, recogniser, assistant, not no_bias, lambda _: bar.update())
    bar.close()
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
        return
    figures = result.summary()
    intent = figures["intent_accuracy"]
    click.echo(
        f"{figures['count']} files, {figures['engine']} ({lang}, "
        f"{'biased' if figures['biased'] else 'unbiased'}): "
        f"WER {figures['wer']:.1%}, sentences right {figures['sentence_accuracy']:.1%}, "
        f"intents right {'-' if intent is None else f'{intent:.1%}'}, "
        f"real-time factor {figures['rtf']:.3f}"
    )


@main.command()
@db_option
@click.option("--due", is_flag=True, help="Hand out the follow-ups to send now (each once).")
@click.option("--unsent", is_flag=True, help="List those handed out but never marked sent.")
@click.option(
    "--sent", "sent_ids", multiple=True, type=int, metavar="ID", help="Mark as sent (repeatable)."
)
def followups(db_path, due, unsent, sent_ids) -> None:
    """Abandoned carts and other follow-ups for an e-mail or SMS system, as JSON lines
    {"id", "customer", "channel", "reason", "cart", "session", "created_at"}."""
    if sum([due, unsent, bool(sent_ids)]) != 1:
        raise InputError("Say one of --due, --unsent or --sent ID.")
    from skills.campaigns.rules import RulesError, load_rules
    from skills.customers import CustomerBook
    from skills.followups import FollowUps

    path = _existing_db(db_path)
    try:
        abandoned = load_rules().abandoned_cart
    except RulesError as exc:
        raise InputError(str(exc)) from exc
    customers = CustomerBook(path)
    book = FollowUps(
        path,
        abandoned.after_hours * 3600,
        lambda customer: customers.allows(customer, "marketing"),
    )
    if sent_ids:
        unknown = book.mark_sent(list(sent_ids))
        if unknown:
            names = ", ".join(map(str, unknown))
            fail(f"No follow-up handed out with id {names}; the others are marked sent.")
        click.echo(f"{len(sent_ids)} marked sent", err=True)
        return
    for item in book.due(abandoned.channel) if due else book.unsent():
        click.echo(json.dumps(item, ensure_ascii=False))


@main.group()
def customer() -> None:
    """A customer's data: export it, erase it."""


def _customers(db_path: str | None):
    from skills.customers import CustomerBook

    return CustomerBook(_existing_db(db_path))


@customer.command("export")
@click.argument("customer_id")
@db_option
def customer_export(customer_id, db_path) -> None:
    """Everything held about CUSTOMER_ID, as JSON."""
    from skills.customers import UnknownCustomerError

    try:
        data = _customers(db_path).export(customer_id)
    except UnknownCustomerError as exc:
        raise InputError(str(exc)) from exc
    click.echo(json.dumps(data, ensure_ascii=False, indent=1))


@customer.command("erase")
@click.argument("customer_id")
@db_option
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def customer_erase(customer_id, db_path, yes) -> None:
    """Erase CUSTOMER_ID: record, sessions, transcripts, events, carts, consents."""
    from skills.customers import UnknownCustomerError

    book = _customers(db_path)
    try:
        book.export(customer_id)  # unknown customers are an error, not a silent no-op
    except UnknownCustomerError as exc:
        raise InputError(str(exc)) from exc
    if not yes:
        click.confirm(f"Erase everything about {customer_id}? This cannot be undone", abort=True)
    rows = book.erase(customer_id)
    click.echo(f"erased {customer_id}: {rows} rows deleted or detached", err=True)


@main.group()
def segments() -> None:
    """Customer segments (skills/data/segments.yaml)."""


@segments.command("export")
@click.argument("name")
@db_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="CSV file.")
def segments_export(name, db_path, output) -> None:
    """Write the members of segment NAME who accept marketing, as CSV."""
    from skills.segments import SegmentError, members, members_csv

    book = _customers(db_path)
    try:
        found = members(book.db, name)
    except SegmentError as exc:
        raise InputError(str(exc)) from exc
    allowed = [c for c in found if book.allows(c, "marketing")]
    text = members_csv(book.db, allowed)
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    left_out = len(found) - len(allowed)
    summary = f"{len(allowed)} members of {name} exported"
    click.echo(f"{summary} ({left_out} without marketing consent left out)", err=True)


@main.command()
@db_option
@click.option("--all", "everything", is_flag=True, help="Past callbacks too.")
@click.option("--json", "as_json", is_flag=True, help="JSON lines.")
def callbacks(db_path, everything, as_json) -> None:
    """Callbacks booked when no adviser was available, soonest first."""
    from datetime import datetime

    from skills.callbacks import CallbackBook

    path = _existing_db(db_path)
    for booked in CallbackBook(path).upcoming(0 if everything else None):
        if as_json:
            click.echo(json.dumps(booked, ensure_ascii=False))
            continue
        when = datetime.fromtimestamp(booked["at"]).astimezone().strftime("%a %d %b %H:%M %Z")
        click.echo(f"{when}  {booked['phone']}  ({booked['lang']})  {booked['summary']}")


@main.command()
@db_option
@click.option(
    "--days",
    type=click.IntRange(1),
    default=None,
    help="Keep this many days (default: retention_days in the privacy settings).",
)
def purge(db_path, days) -> None:
    """Remove conversation text older than the retention period."""
    import sqlite3

    from skills.privacy import load_privacy
    from skills.retention import purge as run_purge

    path = _existing_db(db_path)
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    kept = days or load_privacy().retention_days
    done = run_purge(conn, kept)
    old = f", {done.contact_details} contact details in old events" if done.contact_details else ""
    click.echo(
        f"purged text older than {kept} days: {done.sessions} sessions, "
        f"{done.event_texts} turns not understood, {done.ticket_transcripts} ticket conversations"
        + old
    )


@main.command()
@db_option
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]),
    default=None,
    help="Only events from this date (local time) on.",
)
@click.option("--png", "png_file", default=None, metavar="FILE", help="Draw the funnel here.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def report(db_path, since, png_file, as_json) -> None:
    """The conversion funnel, the marketing rules fired and what was not understood."""
    from skills.events import EventLog
    from skills.report import draw_funnel, funnel_report, report_text

    path = _existing_db(db_path)
    figures = funnel_report(EventLog(path).connection(), since.astimezone() if since else None)
    if png_file:
        try:
            draw_funnel(figures, png_file)
        except OSError as exc:
            fail(f"Cannot write {png_file}: {exc.strerror}.")
        click.echo(f"funnel drawn in {png_file}", err=True)
    if as_json:
        click.echo(json.dumps(figures.to_dict(), ensure_ascii=False, indent=1))
    else:
        click.echo(report_text(figures))


if __name__ == "__main__":
    main()
