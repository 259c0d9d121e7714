"""The Dialogflow CX webhook for real: requests built with Google's own CX library, sent
over HTTP to a running server, answers parsed back by that library in strict mode (a
field CX does not know fails the parse)."""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid

import pytest
from google.cloud.dialogflowcx_v3.types import WebhookRequest, WebhookResponse
from google.protobuf import json_format
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.live_server import call, start_server

BASIC = "cx-agent:s3cret"
TOKEN = "cx-token-4b1e"
AGENT = "projects/shop-42/locations/europe-west1/agents/0b5c"
FLOW = f"{AGENT}/flows/00000000-0000-0000-0000-000000000000"


@pytest.fixture(scope="module")
def server(tmp_path_factory, shop_template):
    db = tmp_path_factory.mktemp("cx") / "shop.db"
    shutil.copy(shop_template, db)
    env = {
        **os.environ,
        "VOICESHOP_DIALOGFLOW_AUTH": BASIC,
        "VOICESHOP_DIALOGFLOW_CX_TOKEN": TOKEN,
    }
    live = start_server(db, env, db.parent / "server.log")
    yield live.base
    live.stop()


def _request(session: str, lang: str = "en", tag: str = "voiceshop", **query) -> dict:
    built = WebhookRequest(
        detect_intent_response_id=query.pop("response_id", str(uuid.uuid4())),
        language_code=lang,
        fulfillment_info={"tag": tag},
        page_info={"current_page": f"{FLOW}/pages/START_PAGE"},
        session_info={"session": f"{AGENT}/sessions/{session}", "parameters": {}},
        **query,
    )
    return json_format.MessageToDict(WebhookRequest.pb(built))


def _turn(server, body: dict, **auth) -> WebhookResponse:
    status, _, raw = call(server, "/dialogflow/cx", body, **(auth or {"auth": BASIC}))
    assert status == 200, raw
    parsed = WebhookResponse.pb(WebhookResponse())
    json_format.Parse(raw, parsed)  # strict: an unknown field raises
    return WebhookResponse.wrap(parsed)


def _said(answer: WebhookResponse) -> str:
    return " ".join(answer.fulfillment_response.messages[0].text.text)


def test_a_cx_conversation_keeps_its_session_from_the_greeting_to_the_price(server):
    session = uuid.uuid4().hex
    welcome = _turn(server, _request(session, tag="welcome"))
    assert _said(welcome)  # the shop's greeting
    assert welcome.session_info.parameters["voiceshop_session_id"] == f"cx:{session}"
    shown = _turn(server, _request(session, text="show me hoodies"))
    assert "hoodie" in _said(shown).lower()
    assert shown.payload["voiceshop"]["products"]
    price = _turn(server, _request(session, transcript="how much is the first one"))
    assert "€" in _said(price)
    assert price.session_info.parameters["voiceshop_end"] is False
    assert not price.target_page


def test_french_agent(server):
    answer = _turn(server, _request(uuid.uuid4().hex, lang="fr", text="vous livrez en Suisse"))
    assert "Suisse" in _said(answer)


def test_a_request_cx_sends_again_is_answered_the_same_and_acts_once(server):
    session = uuid.uuid4().hex
    add = _request(session, text="add honey to my cart")
    first, again = _turn(server, add), _turn(server, add)  # CX retries after a timeout
    assert _said(first) == _said(again)
    cart = _said(_turn(server, _request(session, text="what's in my cart")))
    assert re.search(r"\b(1|a|an) [^.]*Honey\b", cart), cart  # one jar, not two


def test_the_end_of_the_conversation_sends_the_flow_to_its_end_page(server):
    session = uuid.uuid4().hex
    _turn(server, _request(session, text="show me hoodies"))
    done = _turn(server, _request(session, text="stop"))
    assert done.session_info.parameters["voiceshop_end"] is True
    assert done.target_page == f"{FLOW}/pages/END_SESSION"


def test_the_header_token_of_the_webhook_settings_is_enough(server):
    body = _request(uuid.uuid4().hex, text="hello")
    assert _said(_turn(server, body, headers={"X-Voiceshop-Token": TOKEN}))


@pytest.mark.parametrize(
    ("body", "credentials", "status"),
    [
        (_request("s1", text="hi"), {}, 401),
        (_request("s1", text="hi"), {"auth": "cx-agent:wrong"}, 401),
        (_request("s1", text="hi"), {"headers": {"X-Voiceshop-Token": "nope"}}, 401),
        (_request("s1", lang="de", text="hallo"), {"auth": BASIC}, 400),
        ({"sessionInfo": {"session": "sessions/s1"}, "text": "hi"}, {"auth": BASIC}, 400),
        ({"text": "hi"}, {"auth": BASIC}, 400),
        ([1, 2], {"auth": BASIC}, 400),
        (dict(_request("s1"), text=["hi"]), {"auth": BASIC}, 400),
    ],
)
def test_refusals_are_one_sentence(server, body, credentials, status):
    got, _, raw = call(server, "/dialogflow/cx", body, **credentials)
    assert got == status
    assert json.loads(raw)["error"].endswith(".")


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=8,
)
cx_bodies = st.fixed_dictionaries(
    {"sessionInfo": st.one_of(st.just({"session": f"{AGENT}/sessions/fuzz"}), values)},
    optional={
        "text": values,
        "transcript": values,
        "languageCode": st.sampled_from(["en", "fr-FR", "de"]) | values,
        "fulfillmentInfo": st.fixed_dictionaries({"tag": values}) | values,
        "pageInfo": st.fixed_dictionaries({"currentPage": values}) | values,
        "detectIntentResponseId": values,
    },
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.one_of(cx_bodies, values))
def test_fuzz_never_fails_on_the_server(server, body):
    status, _, raw = call(server, "/dialogflow/cx", body, auth=BASIC)
    assert status < 500, raw
    assert ("error" in json.loads(raw)) == (status >= 400)
