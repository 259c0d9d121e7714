"""Health and the API description."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from catalog.db import product_count
from skills.app.openapi import SPEC
from skills.nlu.language import LANGUAGES

blueprint = Blueprint("meta", __name__)


@blueprint.get("/healthz")
def healthz():
    """ "ok" when every language can be heard; "degraded" when one has no speech model
    (text turns still work); 503 "loading" while preloaded models load."""
    assistant = current_app.extensions["voiceshop.assistant"]
    speech = current_app.extensions["voiceshop.speech"]
    described = {lang: speech.describe(lang) for lang in LANGUAGES}
    audio = {lang: not d.get("error") and not d.get("loading") for lang, d in described.items()}
    loading = any(d.get("loading") for d in described.values())
    status = "loading" if loading else "ok" if all(audio.values()) else "degraded"
    body = jsonify(
        status=status, products=product_count(assistant.db), audio=audio, speech=described
    )
    return body, 503 if loading else 200


@blueprint.get("/openapi.json")
def openapi():
    return jsonify(SPEC)
