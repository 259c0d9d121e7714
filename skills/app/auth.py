"""Bearer tokens for the shop's own endpoints: the admin's (reports, customer data)
and one per adviser (the hand-off queue); and the credentials an assistant platform's
webhook settings send (basic auth, or a header).

A route for staff is closed unless its token is configured; the comparison runs
in constant time so that timing tells nothing about the token."""

from __future__ import annotations

import base64
import hmac

from flask import current_app, request

from skills.app.errors import ApiError


def _bearer() -> str:
    header = request.headers.get("Authorization", "")
    return header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""


def require_agent() -> str:
    """The adviser whose token the request carries (AGENT_TOKENS: name → token).
    Every token is compared, in constant time, so timing does not tell which."""
    tokens: dict = current_app.config.get("AGENT_TOKENS") or {}
    if not tokens:
        raise ApiError(403, "The adviser routes are closed: set VOICESHOP_AGENT_TOKENS.")
    given = _bearer().encode()
    found = None
    for name, token in tokens.items():
        if hmac.compare_digest(given, str(token).encode()):
            found = name
    if found is None:
        raise ApiError(401, "A valid adviser token is required (Authorization: Bearer …).")
    return found


def require_token(config_key: str) -> None:
    """Refuse the request unless it carries `Authorization: Bearer <the token>`."""
    expected = current_app.config.get(config_key)
    if not expected:
        raise ApiError(403, f"This route is closed: set {config_key} to open it.")
    if not hmac.compare_digest(_bearer().encode(), str(expected).encode()):
        raise ApiError(401, "A valid token is required (Authorization: Bearer …).")


def carries_basic_auth(credentials: str) -> bool:
    """Whether the request's Authorization header is Basic `credentials` ("user:password")."""
    expected = f"Basic {base64.b64encode(credentials.encode()).decode()}"
    return hmac.compare_digest(request.headers.get("Authorization", "").encode(), expected.encode())


def carries_header(name: str, token: str) -> bool:
    """Whether the request's header `name` holds `token`, compared in constant time."""
    return hmac.compare_digest(request.headers.get(name, "").encode(), token.encode())
