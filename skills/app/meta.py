"""Health and the API description."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from catalog.db import product_count
from skills.app.openapi import SPEC
from skills.nlu.language import LANGUAGES

blueprint = Blueprint("meta", __name__)


@blueprint.get("/healthz")
def healthz():
    assistant = current_app.extensions["voiceshop.assistant"]
    speech = current_app.extensions["voiceshop.speech"]
    return jsonify(
        status="ok",
        products=product_count(assistant.db),
        speech={lang: speech.describe(lang) for lang in LANGUAGES},
    )


@blueprint.get("/openapi.json")
def openapi():
    return jsonify(SPEC)
