"""The advisers' side of a hand-off: the queue, claiming a conversation, answering
the customer (the assistant speaks the answer), handing it back. Each adviser has
a token of their own (VOICESHOP_AGENT_TOKENS=name:token,…), which names them."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from skills.app.auth import require_agent
from skills.app.errors import ApiError
from skills.handoff import Handoff, HandoffError

blueprint = Blueprint("agents", __name__, url_prefix="/v1/agent")
MAX_REPLY = 1000  # characters: said aloud, so kept to what a voice can say


def queue():
    return current_app.extensions["voiceshop.assistant"].handoffs


def _brief(handoff: Handoff) -> dict:
    keys = ("id", "lang", "reason", "status", "agent", "created_at", "summary")
    return {key: getattr(handoff, key) for key in keys}


@blueprint.get("/queue")
def waiting():
    agent = require_agent()
    return jsonify(
        waiting=[_brief(h) for h in queue().waiting()],
        mine=[_brief(h) for h in queue().claimed_by(agent)],
    )


@blueprint.get("/handoffs/<handoff_id>")
def show(handoff_id: str):
    require_agent()
    return jsonify(_call(queue().get, handoff_id).to_dict())


@blueprint.post("/handoffs/<handoff_id>/claim")
def claim(handoff_id: str):
    agent = require_agent()
    return jsonify(_call(queue().claim, handoff_id, agent).to_dict())


@blueprint.post("/handoffs/<handoff_id>/reply")
def reply(handoff_id: str):
    agent = require_agent()
    body = request.get_json(silent=True) if request.is_json else None
    text = body.get("text") if isinstance(body, dict) else None
    if not isinstance(text, str) or not text.strip():
        raise ApiError(400, 'Send the answer as JSON: {"text": "…"}.')
    if len(text) > MAX_REPLY:
        raise ApiError(400, f"An answer is said aloud: {MAX_REPLY} characters at most.")
    _call(queue().reply, handoff_id, agent, text.strip())
    return jsonify(queued=True)


@blueprint.post("/handoffs/<handoff_id>/return")
def give_back(handoff_id: str):
    agent = require_agent()
    _call(queue().give_back, handoff_id, agent)
    return jsonify(returned=handoff_id)


def _call(method, *args):
    try:
        return method(*args)
    except HandoffError as exc:
        raise ApiError(exc.status, str(exc)) from None
