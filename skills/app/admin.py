"""The shop's figures for its staff, behind the admin token."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, current_app, jsonify, request

from skills.app.auth import require_token
from skills.app.errors import ApiError
from skills.customers import UnknownCustomerError
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


@blueprint.get("/customers/<customer_id>/export")
def export_customer(customer_id: str):
    """Everything held about the customer, as JSON (GDPR access and portability)."""
    require_token("ADMIN_TOKEN")
    assistant = current_app.extensions["voiceshop.assistant"]
    try:
        return jsonify(assistant.customers.export(customer_id))
    except UnknownCustomerError as exc:
        raise ApiError(404, str(exc)) from None


@blueprint.delete("/customers/<customer_id>")
def erase_customer(customer_id: str):
    """Erases the customer (GDPR erasure); their orders stay, detached from them."""
    require_token("ADMIN_TOKEN")
    assistant = current_app.extensions["voiceshop.assistant"]
    try:
        assistant.customers.export(customer_id)
    except UnknownCustomerError as exc:
        raise ApiError(404, str(exc)) from None
    return jsonify(erased=customer_id, rows=assistant.customers.erase(customer_id))
