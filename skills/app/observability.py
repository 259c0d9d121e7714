"""What a running server tells its operator: Prometheus metrics at /metrics (turns by
channel and intent, the time of speech recognition, the skill and speech synthesis,
responses by status), and one JSON log line per request with a request id, sent back
in X-Request-Id. Neither holds what a shopper said."""

from __future__ import annotations

import json
import logging
import os
import sys
import time
import uuid

from flask import Blueprint, Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

from skills.assistant import CALLER_ID

blueprint = Blueprint("observability", __name__)

TURNS = Counter("voiceshop_turns", "Turns answered", ["channel", "intent"])
STAGE_SECONDS = Histogram(
    "voiceshop_stage_seconds",
    "Time of one stage of a turn: stt, skill or tts",
    ["stage"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10),
)
RESPONSES = Counter("voiceshop_http_responses", "HTTP responses", ["status"])
REQUEST_LOG = logging.getLogger("voiceshop.requests")


def record_turn(channel: str, intent: str | None, **seconds: float) -> None:
    """One answered turn; `seconds` by stage (stt=…, skill=…, tts=…)."""
    TURNS.labels(channel, intent or "none").inc()
    for stage, value in seconds.items():
        STAGE_SECONDS.labels(stage).observe(value)


@blueprint.get("/metrics")
def metrics():
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # gunicorn workers: add them all up
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


def register(app: Flask) -> None:
    if not REQUEST_LOG.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        REQUEST_LOG.addHandler(handler)
        REQUEST_LOG.setLevel(logging.INFO)
        REQUEST_LOG.propagate = False

    @app.before_request
    def start() -> None:
        given = request.headers.get("X-Request-Id", "")
        g.request_id = given if CALLER_ID.fullmatch(given) else uuid.uuid4().hex
        g.started = time.perf_counter()

    @app.after_request
    def finish(response: Response) -> Response:
        request_id = g.get("request_id") or uuid.uuid4().hex
        response.headers["X-Request-Id"] = request_id
        RESPONSES.labels(str(response.status_code)).inc()
        started = g.get("started", time.perf_counter())
        line = {
            "request_id": request_id,
            "method": request.method,
            "path": request.path,  # no query string: it may carry a session id
            "status": response.status_code,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        }
        REQUEST_LOG.info(json.dumps(line))
        return response
