"""Checks Amazon requires of a skill hosted on one's own server: the certificate
URL, the certificate chain (valid now, trusted, naming echo-api.amazon.com), the
Signature-256 over the raw body, the timestamp, and the skill's application id."""

from __future__ import annotations

import base64
import datetime as dt
import posixpath
import threading
import urllib.request
import warnings
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import certifi
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

SIGNING_NAME = "echo-api.amazon.com"
MAX_SKEW_S = 150


class AlexaVerificationError(ValueError):
    """The request cannot be shown to come from Alexa; the message says why."""


def check_cert_url(url: str) -> None:
    parsed = urlparse(url or "")
    path = posixpath.normpath(parsed.path) if parsed.path else ""
    if (
        parsed.scheme.lower() != "https"
        or (parsed.hostname or "").lower() != "s3.amazonaws.com"
        or not path.startswith("/echo.api/")
        or parsed.port not in (None, 443)
    ):
        raise AlexaVerificationError("SignatureCertChainUrl is not an Amazon certificate URL.")


def fetch_url(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (checked https URL)
        return response.read()


class AlexaVerifier:
    """Verifies requests; certificate chains are cached by URL until they expire."""

    def __init__(
        self,
        skill_id: str | None,
        roots_pem: bytes | None = None,
        fetch: Callable[[str], bytes] = fetch_url,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.skill_id = skill_id
        pem = roots_pem if roots_pem is not None else Path(certifi.where()).read_bytes()
        with warnings.catch_warnings():
            # certifi's bundle holds an old root whose serial number is not positive
            # (RFC 5280): cryptography warns when it loads it, and no Amazon chain uses it.
            warnings.filterwarnings(
                "ignore", "Parsed a serial number", CryptographyDeprecationWarning
            )
            roots = x509.load_pem_x509_certificates(pem)
        self.store = Store(roots)
        self.fetch = fetch
        self.now = now
        self._cache: dict[str, x509.Certificate] = {}
        self._lock = threading.Lock()

    def verify(self, headers, raw_body: bytes, envelope: dict) -> None:
        if not self.skill_id:
            raise AlexaVerificationError(
                "No Alexa skill id is configured (VOICESHOP_ALEXA_SKILL_ID)."
            )
        url = headers.get("SignatureCertChainUrl", "")
        signature = headers.get("Signature-256", "")
        if not url or not signature:
            raise AlexaVerificationError("The Alexa signature headers are missing.")
        check_cert_url(url)
        leaf = self._certificate(url)
        try:
            leaf.public_key().verify(
                base64.b64decode(signature), raw_body, padding.PKCS1v15(), hashes.SHA256()
            )
        except (InvalidSignature, ValueError) as exc:
            raise AlexaVerificationError("The Alexa signature does not match the body.") from exc
        self._check_timestamp(envelope)
        self._check_application(envelope)

    def _certificate(self, url: str) -> x509.Certificate:
        now = self.now()
        with self._lock:
            cached = self._cache.get(url)
        if cached is not None and cached.not_valid_after_utc > now:
            return cached
        try:
            chain = x509.load_pem_x509_certificates(self.fetch(url))
        except (OSError, ValueError) as exc:
            raise AlexaVerificationError("The Alexa certificate chain cannot be read.") from exc
        verifier = (
            PolicyBuilder()
            .store(self.store)
            .time(now)
            .build_server_verifier(x509.DNSName(SIGNING_NAME))
        )
        try:
            verifier.verify(chain[0], chain[1:])
        except VerificationError as exc:
            raise AlexaVerificationError(
                "The Alexa certificate is not valid, not current or not for echo-api.amazon.com."
            ) from exc
        with self._lock:
            self._cache[url] = chain[0]
        return chain[0]

    def _check_timestamp(self, envelope: dict) -> None:
        stamp = (envelope.get("request") or {}).get("timestamp", "")
        try:
            when = dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
        except ValueError as exc:
            raise AlexaVerificationError("The Alexa request has no valid timestamp.") from exc
        if when.tzinfo is None or abs((self.now() - when).total_seconds()) > MAX_SKEW_S:
            raise AlexaVerificationError("The Alexa request is too old (or from the future).")

    def _check_application(self, envelope: dict) -> None:
        application = (
            (envelope.get("context") or {}).get("System", {}).get("application")
            or (envelope.get("session") or {}).get("application")
            or {}
        )
        if application.get("applicationId") != self.skill_id:
            raise AlexaVerificationError("The request is for another Alexa skill.")
