"""Alexa Skills Kit endpoint: verified requests in, ASK response envelopes out.

The interaction model (`voiceshop export alexa-model`) sends what the shopper said
in one AMAZON.SearchQuery slot, so the skill's own understanding does the work;
Alexa's built-in intents map to the words that mean the same to the skill."""

from __future__ import annotations

import json

from flask import Blueprint, current_app, jsonify, request

from skills.alexa_model import samples, sentence
from skills.app.alexa_verify import AlexaVerificationError
from skills.app.errors import ApiError
from skills.app.observability import record_turn
from skills.assistant import UnknownSessionError
from skills.nlu.language import LANGUAGES, load_language
from skills.reply import Reply

blueprint = Blueprint("alexa", __name__)
MAX_SPEECH_CHARS = 6000  # Alexa refuses output speech over 8,000 characters
BUILT_IN = {  # Alexa intent → what the shopper means, said to the skill
    "AMAZON.HelpIntent": {"en": "help", "fr": "aide"},
    "AMAZON.StopIntent": {"en": "stop", "fr": "stop"},
    "AMAZON.CancelIntent": {"en": "cancel", "fr": "annule"},
    "AMAZON.YesIntent": {"en": "yes", "fr": "oui"},
    "AMAZON.NoIntent": {"en": "no", "fr": "non"},
    "AMAZON.RepeatIntent": {"en": "repeat that", "fr": "répète"},
    "AMAZON.FallbackIntent": {"en": "", "fr": ""},
}
SESSION_KEY = "voiceshop_session"


@blueprint.post("/alexa")
def alexa():
    raw = request.get_data(cache=True)
    try:
        envelope = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(400, "The Alexa request is not JSON.") from exc
    if not isinstance(envelope, dict) or not isinstance(envelope.get("request"), dict):
        raise ApiError(400, "Not an Alexa request envelope.")
    try:
        current_app.extensions["voiceshop.alexa"].verify(request.headers, raw, envelope)
    except AlexaVerificationError as exc:
        raise ApiError(400, str(exc)) from exc
    alexa_request = envelope["request"]
    kind = alexa_request.get("type")
    if kind == "SessionEndedRequest":
        return jsonify(version="1.0", response={})
    lang = str(alexa_request.get("locale") or "en")[:2].lower()
    lang = lang if lang in LANGUAGES else "en"
    if kind == "LaunchRequest":
        text = load_language(lang).examples["greet"][0]  # the skill opens with a greeting
    elif kind == "IntentRequest":
        text = _said(alexa_request.get("intent") or {}, lang)
    else:
        raise ApiError(400, f"Unsupported Alexa request type {kind!r}.")
    attributes = (envelope.get("session") or {}).get("attributes") or {}
    session_id = attributes.get(SESSION_KEY) if isinstance(attributes, dict) else None
    assistant = current_app.extensions["voiceshop.assistant"]
    context = _customer(assistant, envelope)
    try:
        turn = assistant.ask(text, session_id, lang, heard=True, context=context)
    except UnknownSessionError:
        turn = assistant.ask(text, None, lang, heard=True, context=context)
    record_turn("alexa", turn.reply.intent)
    return jsonify(_response(turn, dict(attributes, **{SESSION_KEY: turn.session_id})))


def _customer(assistant, envelope: dict) -> dict | None:
    """The customer record this Alexa account leads to (made on first sight), so that
    their carts, orders and consents follow them from one conversation to the next."""
    user = ((envelope.get("session") or {}).get("user") or {}).get("userId")
    if not isinstance(user, str) or not user or len(user) > 512:
        return None
    return {"customer_id": assistant.customers.link("alexa", user)}


def _said(intent: dict, lang: str) -> str:
    """The words to give the skill: a built-in's meaning, one of our intents' samples
    filled with the heard slots, or the catch-all slot's words."""
    name = intent.get("name", "")
    if name in BUILT_IN:
        return BUILT_IN[name][lang]
    slots = intent.get("slots") or {}
    if name in samples(lang):
        values = {key: slot.get("value") for key, slot in slots.items() if isinstance(slot, dict)}
        return sentence(lang, name, values) or ""
    for slot in slots.values():
        value = slot.get("value") if isinstance(slot, dict) else None
        if value:
            return str(value)
    return ""


def _response(turn, attributes: dict) -> dict:
    reply = turn.reply
    spoken = reply if len(reply.text) <= MAX_SPEECH_CHARS else Reply(reply.text[:MAX_SPEECH_CHARS])
    speech = {"type": "SSML", "ssml": spoken.ssml}
    response: dict = {"outputSpeech": speech, "shouldEndSession": reply.end_session}
    if not reply.end_session:
        response["reprompt"] = {"outputSpeech": speech}
    return {"version": "1.0", "sessionAttributes": attributes, "response": response}
