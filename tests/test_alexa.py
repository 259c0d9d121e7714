"""The Alexa endpoint over real HTTP, with requests signed by a certificate authority
made here; only the download of the certificate chain is replaced."""

from __future__ import annotations

import base64
import datetime as dt
import json
import shutil
import socket
import threading
import urllib.error
import urllib.request

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from werkzeug.serving import make_server

from skills.app import create_app
from skills.app.alexa_verify import AlexaVerificationError, check_cert_url

SKILL = "amzn1.ask.skill.test-voiceshop"
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem"


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _certificate(subject, issuer, key, signer, *, ca, names=(), days=(-1, 30)):
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + dt.timedelta(days=days[0]))
        .not_valid_after(now + dt.timedelta(days=days[1]))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), True
        )
    else:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False
        ).add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), False)
    builder = builder.add_extension(
        x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
    ).add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), critical=False
    )
    return builder.sign(signer, hashes.SHA256())


class FakeAuthority:
    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.cert = _certificate("Test Root", "Test Root", self.key, self.key, ca=True)

    def leaf(self, names=("echo-api.amazon.com",), days=(-1, 30)):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = _certificate(
            "echo-api", "Test Root", key, self.key, ca=False, names=names, days=days
        )
        return key, cert

    def pem(self, *certs) -> bytes:
        return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


@pytest.fixture(scope="module")
def ca():
    return FakeAuthority()


@pytest.fixture(scope="module")
def alexa_server(ca, tmp_path_factory, shop_template):
    key, leaf = ca.leaf()
    chains = {CERT_URL: ca.pem(leaf)}
    downloads = []

    def fetch(url):  # the one thing replaced: the download from Amazon's bucket
        downloads.append(url)
        return chains[url]

    db = tmp_path_factory.mktemp("alexa") / "shop.db"
    shutil.copy(shop_template, db)  # the demo shop
    app = create_app(
        {
            "DB_PATH": str(db),
            "ALEXA_SKILL_ID": SKILL,
            "ALEXA_ROOTS_PEM": ca.pem(ca.cert),
            "ALEXA_CERT_FETCHER": fetch,
        }
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {
        "url": f"http://127.0.0.1:{port}/alexa",
        "key": key,
        "chains": chains,
        "downloads": downloads,
    }
    server.shutdown()


def envelope(
    kind="IntentRequest",
    said=None,
    intent=None,
    attributes=None,
    locale="en-GB",
    skill=SKILL,
    age_s=0,
    user="amzn1.ask.account.TEST",
):
    when = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=age_s)
    request = {
        "type": kind,
        "requestId": "r1",
        "locale": locale,
        "timestamp": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if kind == "IntentRequest":
        request["intent"] = {
            "name": intent or "ShopIntent",
            "slots": {"utterance": {"name": "utterance", "value": said}},
        }
    return {
        "version": "1.0",
        "session": {
            "new": attributes is None,
            "sessionId": "s1",
            "application": {"applicationId": skill},
            "attributes": attributes or {},
            "user": {"userId": user},
        },
        "context": {"System": {"application": {"applicationId": skill}}},
        "request": request,
    }


def post(server, body, key=None, url=CERT_URL, tamper=False):
    raw = json.dumps(body).encode()
    signature = (key or server["key"]).sign(raw, padding.PKCS1v15(), hashes.SHA256())
    if tamper:
        raw = raw.replace(b"hoodies", b"laptops")
    request = urllib.request.Request(server["url"], data=raw, method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("SignatureCertChainUrl", url)
    request.add_header("Signature-256", base64.b64encode(signature).decode())
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_signed_conversation_gets_spoken_answers(alexa_server):
    status, launch = post(alexa_server, envelope("LaunchRequest"))
    assert status == 200 and launch["version"] == "1.0"
    speech = launch["response"]["outputSpeech"]
    assert speech["type"] == "SSML" and speech["ssml"].startswith("<speak>")
    assert launch["response"]["shouldEndSession"] is False and launch["response"]["reprompt"]
    attributes = launch["sessionAttributes"]
    status, turn = post(alexa_server, envelope(said="show me hoodies", attributes=attributes))
    assert status == 200 and "hoodie" in turn["response"]["outputSpeech"]["ssml"].lower()
    assert turn["sessionAttributes"]["voiceshop_session"] == attributes["voiceshop_session"]
    status, stop = post(alexa_server, envelope(intent="AMAZON.StopIntent", attributes=attributes))
    assert status == 200 and stop["response"]["shouldEndSession"] is True
    assert alexa_server["downloads"] == [CERT_URL]  # the chain is fetched once, then cached


def test_french_locale_and_help_intent(alexa_server):
    status, body = post(alexa_server, envelope(intent="AMAZON.HelpIntent", locale="fr-FR"))
    assert status == 200 and "panier" in body["response"]["outputSpeech"]["ssml"]


def test_session_ended_gets_an_empty_response(alexa_server):
    status, body = post(alexa_server, envelope("SessionEndedRequest"))
    assert status == 200 and body == {"version": "1.0", "response": {}}


def test_tampered_body_is_refused(alexa_server):
    status, body = post(alexa_server, envelope(said="show me hoodies"), tamper=True)
    assert status == 400 and "signature" in body["error"]


def test_signature_from_another_key_is_refused(alexa_server):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    status, body = post(alexa_server, envelope(said="hello"), key=other)
    assert status == 400 and "signature" in body["error"]


def test_old_requests_and_other_skills_are_refused(alexa_server):
    status, body = post(alexa_server, envelope(said="hello", age_s=200))
    assert status == 400 and "too old" in body["error"]
    status, body = post(alexa_server, envelope(said="hello", skill="amzn1.ask.skill.other"))
    assert status == 400 and "another Alexa skill" in body["error"]


@pytest.mark.parametrize(
    "names, days",
    [(("example.com",), (-1, 30)), (("echo-api.amazon.com",), (-30, -1))],
    ids=["wrong name", "expired"],
)
def test_certificates_that_are_not_amazons_or_not_current_are_refused(
    alexa_server, ca, names, days
):
    key, leaf = ca.leaf(names=names, days=days)
    url = f"https://s3.amazonaws.com/echo.api/{names[0]}-{days[1]}.pem"
    alexa_server["chains"][url] = ca.pem(leaf)
    status, body = post(alexa_server, envelope(said="hello"), key=key, url=url)
    assert status == 400 and "certificate" in body["error"]


def test_certificate_from_an_unknown_authority_is_refused(alexa_server):
    stranger = FakeAuthority()
    key, leaf = stranger.leaf()
    url = "https://s3.amazonaws.com/echo.api/stranger.pem"
    alexa_server["chains"][url] = stranger.pem(leaf)
    status, body = post(alexa_server, envelope(said="hello"), key=key, url=url)
    assert status == 400 and "certificate" in body["error"]


@pytest.mark.parametrize(
    "url, good",
    [
        ("https://s3.amazonaws.com/echo.api/echo-api-cert.pem", True),
        ("https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem", True),
        ("https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem", True),
        ("HTTPS://s3.AmazonAWS.com/echo.api/echo-api-cert.pem", True),
        ("http://s3.amazonaws.com/echo.api/echo-api-cert.pem", False),
        ("https://notamazon.com/echo.api/echo-api-cert.pem", False),
        ("https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem", False),
        ("https://s3.amazonaws.com/invalid.path/echo-api-cert.pem", False),
        ("https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem", False),
    ],
)
def test_certificate_url_rules(url, good):
    if good:
        check_cert_url(url)
    else:
        with pytest.raises(AlexaVerificationError):
            check_cert_url(url)


def test_missing_headers_and_bad_json_are_refused(alexa_server):
    request = urllib.request.Request(alexa_server["url"], data=b"{}", method="POST")
    request.add_header("Content-Type", "application/json")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 400


def test_our_own_intents_come_back_through_their_samples(alexa_server):
    status, launch = post(alexa_server, envelope("LaunchRequest"))
    attributes = launch["sessionAttributes"]
    body = envelope(attributes=attributes)
    body["request"]["intent"] = {
        "name": "SearchIntent",
        "slots": {"Product": {"name": "Product", "value": "hoodies"}, "Colour": {"name": "Colour"}},
    }
    status, found = post(alexa_server, body)
    assert status == 200 and "hoodie" in found["response"]["outputSpeech"]["ssml"].lower()
    body["request"]["intent"] = {
        "name": "AskPriceIntent",
        "slots": {"Position": {"name": "Position", "value": "2"}},
    }
    status, price = post(alexa_server, body)
    assert status == 200 and "€" in price["response"]["outputSpeech"]["ssml"]


def test_the_same_alexa_account_is_the_same_customer_next_time(alexa_server):
    user = "amzn1.ask.account.RETURNING"
    status, launch = post(alexa_server, envelope("LaunchRequest", user=user))
    attributes = launch["sessionAttributes"]
    said = "add the Joujou Eco Building Blocks to my cart"
    status, added = post(alexa_server, envelope(said=said, attributes=attributes, user=user))
    assert status == 200 and "Joujou" in added["response"]["outputSpeech"]["ssml"]
    status, again = post(alexa_server, envelope("LaunchRequest", user=user))
    assert "cart from last time" in again["response"]["outputSpeech"]["ssml"]
    status, other = post(alexa_server, envelope("LaunchRequest", user="amzn1.ask.account.NEW"))
    assert "cart from last time" not in other["response"]["outputSpeech"]["ssml"]


def _built_with_amazons_model(said: str | None, attributes: dict | None) -> dict:
    """A request envelope made with ask-sdk-model's classes and serializer."""
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import (
        Application,
        Context,
        Intent,
        IntentRequest,
        LaunchRequest,
        RequestEnvelope,
        Session,
        Slot,
        User,
    )
    from ask_sdk_model.interfaces.system import SystemState

    app = Application(application_id=SKILL)
    when = dt.datetime.now(dt.UTC).replace(microsecond=0)
    if said is None:
        request = LaunchRequest(request_id="r-launch", timestamp=when, locale="en-US")
    else:
        slot = Slot(name="utterance", value=said)
        intent = Intent(name="ShopIntent", slots={"utterance": slot})
        request = IntentRequest(request_id="r-2", timestamp=when, locale="en-US", intent=intent)
    envelope = RequestEnvelope(
        version="1.0",
        session=Session(
            new=attributes is None,
            session_id="amzn1.echo-api.session.1",
            application=app,
            attributes=attributes or {},
            user=User(user_id="amzn1.ask.account.MODEL"),
        ),
        context=Context(system=SystemState(application=app)),
        request=request,
    )
    return DefaultSerializer().serialize(envelope)


def test_amazons_own_model_reads_our_answers(alexa_server):
    """ask-sdk-model's ResponseEnvelope takes every field we send: serialised again, the
    parsed answer is what we sent (a misspelt or unknown field would be dropped)."""
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import ResponseEnvelope
    from ask_sdk_model.ui import SsmlOutputSpeech

    serializer = DefaultSerializer()
    status, launch = post(alexa_server, _built_with_amazons_model(None, None))
    assert status == 200
    parsed = serializer.deserialize(json.dumps(launch), ResponseEnvelope)
    assert serializer.serialize(parsed) == launch
    assert isinstance(parsed.response.output_speech, SsmlOutputSpeech)
    assert parsed.response.should_end_session is False
    said = _built_with_amazons_model("show me hoodies", parsed.session_attributes)
    status, turn = post(alexa_server, said)
    parsed = serializer.deserialize(json.dumps(turn), ResponseEnvelope)
    assert serializer.serialize(parsed) == turn
    assert "hoodie" in parsed.response.output_speech.ssml.lower()
    assert (
        parsed.session_attributes["voiceshop_session"]
        == launch["sessionAttributes"]["voiceshop_session"]
    )
