"""Dialogflow ES fulfillment: the agent forwards what the shopper said, voiceshop
answers. Our session id travels in an output context, so the agent keeps it; a user
id in the session path leads to the customer record."""

from __future__ import annotations

import re

from flask import Blueprint, current_app, jsonify, request

from skills.app.auth import carries_basic_auth
from skills.app.errors import ApiError
from skills.app.observability import record_turn
from skills.assistant import UnknownSessionError
from skills.nlu.language import LANGUAGES

blueprint = Blueprint("dialogflow", __name__)
CONTEXT = "voiceshop"
# Dialogflow puts the end user in the session path when the integration knows them.
USER_IN_SESSION = re.compile(r"/users/([^/]{1,256})/sessions/")


@blueprint.post("/dialogflow")
def fulfillment():
    _check_auth()
    if not request.is_json:
        raise ApiError(415, "Dialogflow sends JSON (Content-Type: application/json).")
    body = request.get_json(silent=True)
    result = body.get("queryResult") if isinstance(body, dict) else None
    session = body.get("session") if isinstance(body, dict) else None
    if not isinstance(result, dict) or not isinstance(session, str) or not session:
        raise ApiError(400, "Not a Dialogflow ES request: session and queryResult are required.")
    text = result.get("queryText")
    lang = str(result.get("languageCode") or "en")[:2].lower()
    if lang not in LANGUAGES:
        raise ApiError(400, f"languageCode must be one of {', '.join(LANGUAGES)}.")
    assistant = current_app.extensions["voiceshop.assistant"]
    session_id = _our_session(result.get("outputContexts"))
    user = USER_IN_SESSION.search(session)  # …/environments/E/users/U/sessions/S
    context = {"customer_id": assistant.customers.link("dialogflow", user[1])} if user else None
    try:
        turn = assistant.ask(text, session_id, lang, context=context)
    except UnknownSessionError:  # expired while the agent kept its context: start afresh
        turn = assistant.ask(text, None, lang, context=context)
    record_turn("dialogflow", turn.reply.intent)
    context = {
        "name": f"{session}/contexts/{CONTEXT}",
        "lifespanCount": 0 if turn.reply.end_session else 50,
        "parameters": {"session_id": turn.session_id},
    }
    return jsonify(
        fulfillmentText=turn.reply.text,
        fulfillmentMessages=[{"text": {"text": [turn.reply.text]}}],
        outputContexts=[context],
        payload={"voiceshop": {"intent": turn.reply.intent, "products": turn.reply.products}},
    )


def _our_session(contexts: object) -> str | None:
    for context in contexts if isinstance(contexts, list) else []:
        if isinstance(context, dict) and str(context.get("name", "")).endswith(f"/{CONTEXT}"):
            value = (context.get("parameters") or {}).get("session_id")
            return value if isinstance(value, str) and value else None
    return None


def _check_auth() -> None:
    """Basic auth, as set in the agent's fulfillment settings, when configured."""
    expected = current_app.config.get("DIALOGFLOW_BASIC_AUTH")
    if expected and not carries_basic_auth(expected):
        raise ApiError(401, "Dialogflow credentials are missing or wrong.")
