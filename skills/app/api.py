"""The plain API: a turn as text or as audio (DESIGN.md §3)."""

from __future__ import annotations

import base64
import time
from urllib.parse import quote

from flask import Blueprint, Response, current_app, jsonify, request

from skills.app.errors import ApiError
from skills.app.observability import record_turn
from skills.assistant import CALLER_ID
from skills.nlu.language import LANGUAGES
from skills.voice_turn import VoiceAssistant
from voice.audio import decode_audio

blueprint = Blueprint("api", __name__, url_prefix="/v1")
AUDIO_TYPES = {  # what microphones, browsers (MediaRecorder) and phones record
    *("audio/wav", "audio/x-wav", "audio/wave", "audio/flac", "audio/x-flac", "audio/ogg"),
    *("audio/mpeg", "audio/mp3", "audio/webm", "audio/mp4", "audio/x-m4a", "audio/aac"),
    "application/octet-stream",
}


def assistant():
    return current_app.extensions["voiceshop.assistant"]


def speech():
    return current_app.extensions["voiceshop.speech"]


@blueprint.post("/turn")
def text_turn():
    """`{"session_id"?, "lang"?, "text", "context"?, "turn_id"?}` → the turn as JSON.
    `context` (campaign, referrer, country, region, timezone, customer_id) starts a
    session; a `session_id` the caller names starts that session on first use;
    `turn_id` lets a client retry a turn whose answer it lost: the turn
    happens once and the retry gets the same answer."""
    if (request.content_length or 0) > current_app.config["MAX_TEXT_BYTES"]:
        raise ApiError(413, "A text turn is limited to 64 KB.")
    if not request.is_json:
        raise ApiError(415, "Send the turn as JSON (Content-Type: application/json).")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, 'The body is not a JSON object like {"text": "show me hoodies"}.')
    session_id = _session_id(body.get("session_id"), named=True)
    lang = _lang(body.get("lang"))
    started = time.perf_counter()
    result = assistant().ask(
        body.get("text"),
        session_id,
        lang,
        context=body.get("context"),
        turn_id=body.get("turn_id"),
        start_named=True,
    )
    record_turn("api", result.reply.intent, skill=time.perf_counter() - started)
    return jsonify(result.to_dict())


@blueprint.post("/turn/audio")
def audio_turn():
    """A recording in the body (WAV, FLAC, OGG, MP3, WebM, M4A) → the turn as JSON with
    the spoken reply, or the reply's WAV itself;
    `session_id`, `turn_id` and `lang` in the query, as in a text turn."""
    if not request.content_length:
        raise ApiError(400, "The body is empty: send a WAV file.")
    if request.mimetype not in AUDIO_TYPES:
        raise ApiError(415, "Send the audio as audio/wav (or FLAC, OGG, MP3, WebM, M4A).")
    session_id = _session_id(request.args.get("session_id"), named=True)
    lang = _lang(request.args.get("lang"))
    voice = VoiceAssistant(assistant(), speech())
    lang = voice.lang_of(session_id, lang, start_named=True)  # before decoding the audio
    audio = decode_audio(request.get_data())
    turn_id = request.args.get("turn_id")
    spoken = voice.turn(audio.pcm, session_id, lang, turn_id=turn_id, start_named=True)
    result, wav = spoken.result, spoken.reply_wav
    seconds = {stage.removesuffix("_s"): value for stage, value in spoken.timings.items()}
    record_turn("api-audio", result.reply.intent, **seconds)
    if request.accept_mimetypes.best_match(["application/json", "audio/wav"]) == "audio/wav":
        response = Response(wav, mimetype="audio/wav")
        response.headers["X-Session-Id"] = result.session_id
        response.headers["X-Transcript"] = quote(result.transcript)
        response.headers["X-Reply"] = quote(result.reply.text)
        return response
    body = result.to_dict()
    body["asr_confidence"] = spoken.transcript.confidence
    body["reply_audio"] = base64.b64encode(wav).decode("ascii")
    return jsonify(body)


@blueprint.get("/sessions/<session_id>/messages")
def adviser_messages(session_id: str):
    """What an adviser wrote to the customer since their last turn, to be said now:
    text and spoken WAV (base64), each handed out once."""
    session_id = _session_id(session_id)
    lang = assistant().sessions.load(session_id).lang  # an unknown session is a 404
    messages = assistant().handoffs.take_messages(session_id)
    spoken = [
        {
            "text": text,
            "audio": base64.b64encode(speech().synthesiser(lang).to_wav(text)).decode("ascii"),
        }
        for text in messages
    ]
    return jsonify(session_id=session_id, messages=spoken)


def _session_id(value: object, named: bool = False) -> str | None:
    """A session id as sent; `named`: one the caller chose may start a session."""
    if value in (None, ""):
        return None
    if named and not (isinstance(value, str) and CALLER_ID.fullmatch(value)):
        raise ApiError(400, "session_id must be 1 to 128 of A-Z, a-z, 0-9, '.', '_', ':', '-'.")
    if not isinstance(value, str) or len(value) > 128:
        raise ApiError(400, "session_id must be the string a previous turn returned.")
    return value


def _lang(value: object) -> str:
    if value in (None, ""):
        return current_app.config["DEFAULT_LANG"]
    if value not in LANGUAGES:
        raise ApiError(400, f"lang must be one of {', '.join(LANGUAGES)}.")
    return str(value)
