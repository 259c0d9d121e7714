"""The webhook app: `create_app()` builds a Flask app around one Assistant.

Blueprints: `api` (the plain JSON/audio API under /v1), `meta` (/healthz,
/openapi.json) and `observability` (/metrics, and a JSON log line per request).
Every error is JSON `{"error": "<one sentence>"}`; nothing from inside a failing
turn (no stack trace) ever reaches the caller.
"""

from __future__ import annotations

import os

from flask import Flask

from catalog.db import default_db_path
from skills.app import (
    admin,
    agents,
    alexa,
    api,
    dialogflow,
    dialogflow_cx,
    errors,
    meta,
    observability,
)
from skills.app.alexa_verify import AlexaVerifier
from skills.assistant import Assistant
from skills.nlu.language import LANGUAGES
from skills.speech import SpeechService

MAX_AUDIO_BYTES = 10 * 1024 * 1024
MAX_TEXT_BYTES = 64 * 1024


def create_app(config: dict | None = None) -> Flask:
    """The app; `config` may set DB_PATH, STT_ENGINE, STT_MODEL, DEFAULT_LANG,
    ALEXA_SKILL_ID, ALEXA_ROOTS_PEM (trusted roots; default: certifi's),
    ALEXA_CERT_FETCHER (how the certificate chain is downloaded), DIALOGFLOW_BASIC_AUTH
    ("user:password", ES and CX), DIALOGFLOW_CX_TOKEN (the X-Voiceshop-Token header CX sends),
    ADMIN_TOKEN (opens the staff routes such as /v1/report), AGENT_TOKENS (adviser
    name → token, for the hand-off queue), PRELOAD (load every language's speech
    model at start; /healthz answers 503 until they are in)."""
    app = Flask(__name__)
    app.config.update(
        DB_PATH=os.environ.get("VOICESHOP_DB", default_db_path()),
        STT_ENGINE=os.environ.get("VOICESHOP_STT_ENGINE") or None,
        STT_MODEL=None,
        DEFAULT_LANG=os.environ.get("VOICESHOP_LANG", "en"),
        MAX_CONTENT_LENGTH=MAX_AUDIO_BYTES,
        MAX_TEXT_BYTES=MAX_TEXT_BYTES,
        ALEXA_SKILL_ID=os.environ.get("VOICESHOP_ALEXA_SKILL_ID"),
        ALEXA_ROOTS_PEM=None,
        ALEXA_CERT_FETCHER=None,
        DIALOGFLOW_BASIC_AUTH=os.environ.get("VOICESHOP_DIALOGFLOW_AUTH"),
        DIALOGFLOW_CX_TOKEN=os.environ.get("VOICESHOP_DIALOGFLOW_CX_TOKEN"),
        ADMIN_TOKEN=os.environ.get("VOICESHOP_ADMIN_TOKEN"),
        AGENT_TOKENS=_agent_tokens(os.environ.get("VOICESHOP_AGENT_TOKENS", "")),
    )
    app.config.update(config or {})
    app.extensions["voiceshop.assistant"] = Assistant(app.config["DB_PATH"])
    app.extensions["voiceshop.speech"] = SpeechService(
        app.config["STT_ENGINE"], app.config["STT_MODEL"]
    )
    verifier_options = {}
    if app.config["ALEXA_CERT_FETCHER"]:
        verifier_options["fetch"] = app.config["ALEXA_CERT_FETCHER"]
    app.extensions["voiceshop.alexa"] = AlexaVerifier(
        app.config["ALEXA_SKILL_ID"], app.config["ALEXA_ROOTS_PEM"], **verifier_options
    )
    app.register_blueprint(api.blueprint)
    app.register_blueprint(admin.blueprint)
    app.register_blueprint(agents.blueprint)
    app.register_blueprint(alexa.blueprint)
    app.register_blueprint(dialogflow.blueprint)
    app.register_blueprint(dialogflow_cx.blueprint)
    app.register_blueprint(meta.blueprint)
    app.register_blueprint(observability.blueprint)
    errors.register(app)
    observability.register(app)
    if app.config.get("PRELOAD"):
        app.extensions["voiceshop.speech"].preload(list(LANGUAGES))
    return app


def _agent_tokens(value: str) -> dict[str, str]:
    """ "alice:token1,bob:token2" → {"alice": "token1", "bob": "token2"}."""
    pairs = (item.split(":", 1) for item in value.split(",") if ":" in item)
    return {name.strip(): token.strip() for name, token in pairs if name.strip() and token.strip()}
