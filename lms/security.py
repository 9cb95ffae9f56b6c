"""Response headers on every response, and request guards every POST passes first."""

from __future__ import annotations

import re

from flask import Flask, Response, abort, request
from flask_login import current_user

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Form fields that may legitimately repeat: ticked boxes (a pick-several quiz question, the roles
# of a plan row, the people returning next cycle).
REPEATABLE = re.compile(r"q-[A-Za-z0-9_-]+|rows-\d+-roles|returning")


def set_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if current_user and current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
    return response


def guard_request() -> None:
    """Refuse cross-site unsafe requests, NUL bytes and duplicated single-valued fields."""
    if request.method in SAFE_METHODS:
        return
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        abort(403)
    for key in request.form:
        values = request.form.getlist(key)
        if any("\x00" in value for value in values) or "\x00" in key:
            abort(400, "The form contained a NUL character.")
        if len(values) > 1 and not REPEATABLE.fullmatch(key):
            abort(400, f"The field '{key[:40]}' was sent more than once.")


def init_app(app: Flask) -> None:
    app.before_request(guard_request)
    app.after_request(set_headers)
