"""The shop's figures for its staff, behind the admin token."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, current_app, jsonify, request

from skills.app.auth import require_token
from skills.app.errors import ApiError
from skills.report import funnel_report

blueprint = Blueprint("admin", __name__, url_prefix="/v1")


@blueprint.get("/report")
def report():
    """`?since=YYYY-MM-DD` → the funnel, the rules fired and what was not understood."""
    require_token("ADMIN_TOKEN")
    since = request.args.get("since")
    try:
        start = datetime.fromisoformat(since).astimezone() if since else None
    except ValueError:
        raise ApiError(400, "since must be a date like 2026-11-01.") from None
    assistant = current_app.extensions["voiceshop.assistant"]
    return jsonify(funnel_report(assistant.events.connection(), start).to_dict())
