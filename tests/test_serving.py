"""Production serving, against real `voiceshop serve` processes (gunicorn, two workers):
health that tells the truth about speech, a clear 503 for an audio turn no model can
hear, Prometheus metrics summed over the workers, and one JSON log line per request."""

from __future__ import annotations

import io
import json
import os
import shutil
import time
import urllib.error
import urllib.request
import wave

import pytest

from tests.live_server import LiveServer, call, start_server


def _start(tmp_path, shop_template, env: dict, *flags: str) -> LiveServer:
    db = tmp_path / "shop.db"
    shutil.copy(shop_template, db)
    return start_server(db, env, tmp_path / "server.log", *flags)


def _health(base) -> tuple[int, dict]:
    status, _, raw = call(base, "/healthz", method="GET", content_type=None)
    return status, json.loads(raw)


def _silence_wav() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\0\0" * 16000)
    return buffer.getvalue()


@pytest.fixture()
def no_speech_env(tmp_path):
    """A machine with no speech model at all, and no download to try."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VOICESHOP_VOSK_MODEL")}
    env.pop("VOICESHOP_WHISPER_MODEL", None)
    home = tmp_path / "home"
    home.mkdir()
    return {**env, "HOME": str(home), "VOICESHOP_OFFLINE": "1", "VOSK_MODEL_PATH": str(home)}


def test_preloaded_models_are_loaded_before_health_says_ok(
    tmp_path, shop_template, whisper_model_dir
):
    env = {**os.environ, "VOICESHOP_WHISPER_MODEL": whisper_model_dir}
    live = _start(tmp_path, shop_template, env, "--preload")
    try:
        deadline = time.monotonic() + 120
        status, health = _health(live.base)
        while health["status"] == "loading" and time.monotonic() < deadline:
            assert status == 503  # not ready: a load balancer keeps it out
            time.sleep(0.2)
            status, health = _health(live.base)
        assert status == 200 and health["status"] == "ok"
        assert health["audio"] == {"en": True, "fr": True}
        assert all(health["speech"][lang]["loaded"] for lang in ("en", "fr"))
    finally:
        live.stop()


def test_without_a_speech_model_health_is_degraded_and_audio_a_clear_503(
    tmp_path, shop_template, no_speech_env
):
    live = _start(tmp_path, shop_template, no_speech_env)
    try:
        status, health = _health(live.base)
        assert status == 200 and health["status"] == "degraded"
        assert health["audio"] == {"en": False, "fr": False}
        status, _, raw = call(live.base, "/v1/turn/audio?lang=fr", _silence_wav(), "audio/wav")
        error = json.loads(raw)["error"]
        assert status == 503 and error.startswith("Audio turns are unavailable here")
        assert error.count(". ") == 0  # one sentence
        status, _, raw = call(live.base, "/v1/turn", {"text": "show me hoodies"})
        assert status == 200 and json.loads(raw)["products"]  # text turns still work
    finally:
        live.stop()
    assert "Traceback" not in live.log_path.read_text()


def test_metrics_add_up_over_workers_and_each_request_logs_one_line(
    tmp_path, shop_template, no_speech_env
):
    live = _start(tmp_path, shop_template, no_speech_env)
    try:
        for _ in range(6):
            call(live.base, "/v1/turn", {"text": "add honey to my cart"})
        call(live.base, "/v1/turn", {"text": 12})  # refused: a 400
        request = urllib.request.Request(live.base + "/healthz", headers={"X-Request-Id": "rq-42"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["X-Request-Id"] == "rq-42"  # the caller's id kept
        status, headers, _ = call(live.base, "/v1/turn", {"text": "hello"})
        generated = headers["X-Request-Id"]
        assert status == 200 and len(generated) == 32
        status, _, raw = call(live.base, "/metrics", method="GET", content_type=None)
        text = raw.decode()
    finally:
        live.stop()
    assert status == 200
    assert 'voiceshop_turns_total{channel="api",intent="add_to_cart"} 6.0' in text
    assert 'voiceshop_http_responses_total{status="400"} 1.0' in text
    assert 'voiceshop_stage_seconds_count{stage="skill"} 7.0' in text
    lines = [json.loads(x) for x in live.log_path.read_text().splitlines() if x.startswith("{")]
    assert sum(x["path"] == "/v1/turn" for x in lines) == 8
    assert any(x["request_id"] == generated and x["status"] == 200 for x in lines)
    assert "honey" not in live.log_path.read_text()  # what shoppers say is not logged
