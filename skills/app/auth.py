"""Bearer tokens for the shop's own endpoints (reports, and later agents).

A route for staff is closed unless its token is configured; the comparison runs
in constant time so that timing tells nothing about the token."""

from __future__ import annotations

import hmac

from flask import current_app, request

from skills.app.errors import ApiError


def require_token(config_key: str) -> None:
    """Refuse the request unless it carries `Authorization: Bearer <the token>`."""
    expected = current_app.config.get(config_key)
    if not expected:
        raise ApiError(403, f"This route is closed: set {config_key} to open it.")
    header = request.headers.get("Authorization", "")
    given = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
    if not hmac.compare_digest(given.encode(), str(expected).encode()):
        raise ApiError(401, "A valid token is required (Authorization: Bearer …).")
