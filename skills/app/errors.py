"""Errors as JSON with the right status; internal failures are logged, not shown."""

from __future__ import annotations

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from skills.assistant import TurnInputError, UnknownSessionError
from voice.audio import AudioError
from voice.stt import ModelNotFoundError


class ApiError(Exception):
    """A caller's mistake: `status` and one sentence."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def register(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def api_error(exc: ApiError):
        return jsonify(error=exc.message), exc.status

    @app.errorhandler(TurnInputError)
    def bad_turn(exc: TurnInputError):
        return jsonify(error=str(exc)), 400

    @app.errorhandler(AudioError)
    def bad_audio(exc: AudioError):
        return jsonify(error=str(exc)), 415

    @app.errorhandler(ModelNotFoundError)
    def no_speech_model(exc: ModelNotFoundError):
        # The server is up but cannot hear this language: a 503, said in one sentence.
        first = str(exc).split(". ")[0].rstrip(".")
        return jsonify(
            error=f"Audio turns are unavailable here: {first[:1].lower()}{first[1:]}."
        ), 503

    @app.errorhandler(UnknownSessionError)
    def unknown_session(exc: UnknownSessionError):
        return jsonify(error=str(exc)), 404

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        messages = {
            404: "No such route: see /openapi.json.",
            405: "This route does not take that method: see /openapi.json.",
            413: "The request body is too large.",
        }
        message = messages.get(exc.code or 500, exc.description or exc.name)
        return jsonify(error=message), exc.code

    @app.errorhandler(Exception)
    def internal_error(exc: Exception):
        app.logger.exception("turn failed")
        return jsonify(error="Internal error: the turn was not applied, try again."), 500
