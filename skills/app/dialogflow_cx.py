"""Dialogflow CX (Conversational Agents) webhook: a route or page whose fulfillment calls
the webhook sends what the shopper said; voiceshop answers with text messages.

The CX session names the voiceshop session (`cx:<session id>`), so the agent needs no
parameter of its own, a session expired on our side starts afresh, and a request CX sends
again (same `detectIntentResponseId`) is answered without acting twice. The voiceshop
session id is also written into the session's parameters, where flows can read it, and
`voiceshop_end` says when the shopper is done; the flow is then sent to its END_SESSION
page. The tag `welcome` opens with the shop's greeting; a request with no words (a
no-input event) is a silence."""

from __future__ import annotations

import re

from flask import Blueprint, current_app, jsonify, request

from skills.app.auth import carries_basic_auth, carries_header
from skills.app.errors import ApiError
from skills.app.observability import record_turn
from skills.assistant import CALLER_ID
from skills.nlu.language import LANGUAGES, load_language

blueprint = Blueprint("dialogflow_cx", __name__)
SESSION_PARAMETER = "voiceshop_session_id"
END_PARAMETER = "voiceshop_end"
WELCOME_TAG = "welcome"
TOKEN_HEADER = "X-Voiceshop-Token"
# projects/P/locations/L/agents/A[/environments/E]/sessions/S
SESSION_PATH = re.compile(
    r"^projects/[^/]+/locations/[^/]+/agents/[^/]+(?:/[^/]+/[^/]+)*/sessions/([^/]+)$"
)
FLOW_OF_PAGE = re.compile(
    r"^(projects/[^/]+/locations/[^/]+/agents/[^/]+/flows/[^/]+)/pages/[^/]+$"
)


@blueprint.post("/dialogflow/cx")
def webhook():
    _check_auth()
    if not request.is_json:
        raise ApiError(415, "Dialogflow CX sends JSON (Content-Type: application/json).")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "Not a Dialogflow CX webhook request: send a JSON object.")
    path = _field(body, "sessionInfo", "session")
    found = SESSION_PATH.match(path) if isinstance(path, str) else None
    if not found:
        raise ApiError(400, "sessionInfo.session must be a CX session path (…/sessions/ID).")
    session_id = f"cx:{found[1]}"
    if not CALLER_ID.fullmatch(session_id):
        raise ApiError(400, "The CX session id must be 1 to 125 of A-Z, a-z, 0-9, '.', '_', '-'.")
    lang = str(body.get("languageCode") or "en")[:2].lower()
    if lang not in LANGUAGES:
        raise ApiError(400, f"languageCode must be one of {', '.join(LANGUAGES)}.")
    text, heard = _words(body, lang)
    assistant = current_app.extensions["voiceshop.assistant"]
    turn = assistant.ask(
        text, session_id, lang, heard=heard, turn_id=_turn_id(body), start_named=True
    )
    record_turn("dialogflow_cx", turn.reply.intent)
    answer = {
        "fulfillmentResponse": {"messages": [{"text": {"text": [turn.reply.text]}}]},
        "sessionInfo": {
            "parameters": {
                SESSION_PARAMETER: turn.session_id,
                END_PARAMETER: turn.reply.end_session,
            }
        },
        "payload": {"voiceshop": {"intent": turn.reply.intent, "products": turn.reply.products}},
    }
    page = _field(body, "pageInfo", "currentPage")
    flow = FLOW_OF_PAGE.match(page) if isinstance(page, str) else None
    if turn.reply.end_session and flow:
        answer["targetPage"] = f"{flow[1]}/pages/END_SESSION"
    return jsonify(answer)


def _words(body: dict, lang: str) -> tuple[str, bool]:
    """What the shopper said, and whether a recogniser heard it: typed text, the agent's
    transcript, nothing (a no-input event: a silence), or for the welcome tag the
    greeting the shop opens with."""
    if _field(body, "fulfillmentInfo", "tag") == WELCOME_TAG:
        return load_language(lang).examples["greet"][0], False
    said = body.get("text") if "text" in body else body.get("transcript")
    if said is None:
        return "", True
    if not isinstance(said, str):
        raise ApiError(400, "text and transcript must be strings.")
    return said, "text" not in body


def _turn_id(body: dict) -> str | None:
    """The same request sent again (CX retries a webhook that timed out) has the same
    response id and tag; one detect-intent may call the webhook once per tag."""
    turn_id = f"{body.get('detectIntentResponseId')}:{_field(body, 'fulfillmentInfo', 'tag')}"
    return turn_id if body.get("detectIntentResponseId") and CALLER_ID.fullmatch(turn_id) else None


def _field(body: dict, part: str, name: str) -> object:
    """body[part][name], or None when either is missing or not an object."""
    inner = body.get(part)
    return inner.get(name) if isinstance(inner, dict) else None


def _check_auth() -> None:
    """The agent's webhook settings offer a username and password (basic auth) or
    request headers: either one, as configured, lets the request in."""
    basic = current_app.config.get("DIALOGFLOW_BASIC_AUTH")
    token = current_app.config.get("DIALOGFLOW_CX_TOKEN")
    if not basic and not token:
        return
    if (token and carries_header(TOKEN_HEADER, token)) or (basic and carries_basic_auth(basic)):
        return
    raise ApiError(401, "Dialogflow CX credentials are missing or wrong.")
