"""Security around every request: response headers, request guards, session lifetime."""

from __future__ import annotations

import copy
import re
import time
from collections.abc import Mapping
from types import MappingProxyType

from flask import Flask, Response, abort, current_app, flash, redirect, request, session, url_for
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_login import current_user, login_user, logout_user
from itsdangerous import BadSignature

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


def response_headers(secure: bool, signed_in: bool) -> list[tuple[str, str]]:
    """The headers every page gets (a kept page too, lms/pages.py)."""
    headers = list(HEADERS.items())
    if secure:
        headers.append(("Strict-Transport-Security", "max-age=31536000"))
    if signed_in:
        headers.append(("Cache-Control", "no-store"))
    return headers


def set_headers(response: Response) -> Response:
    # Signed in: the session names a person (not the loaded user: after a write's commit,
    # reloading it would begin another transaction).
    signed_in = request.endpoint != "static" and "_user_id" in session
    present = {name.lower() for name, _ in response.headers}
    for name, value in response_headers(request.is_secure, signed_in):
        if name == "Cache-Control":
            response.headers[name] = value
        elif name.lower() not in present:
            response.headers.add(name, value)
    return response


def guard_request() -> None:
    if request.method not in SAFE_METHODS:
        refused = refusal(request.headers, request.form)
        if refused is not None:
            abort(*refused)


def refusal(headers, form) -> tuple[int, str | None] | None:
    """Why an unsafe request is refused, if it is: sent cross-site, a NUL byte, a single-valued
    field sent twice (the quick quiz submission checks this too, lms/learn/quick_submit.py)."""
    if headers.get("Sec-Fetch-Site") == "cross-site":
        return 403, None
    for key in form:
        values = form.getlist(key)
        if any("\x00" in value for value in values) or "\x00" in key:
            return 400, "The form contained a NUL character."
        if len(values) > 1 and not REPEATABLE.fullmatch(key):
            return 400, f"The field '{key[:40]}' was sent more than once."
    return None


def start_session(user) -> None:
    """Log the person in on a fresh session: nothing from before login carries over."""
    session.clear()
    session.permanent = True
    login_user(user)
    session["_login_at"] = session["_seen"] = int(time.time())


def session_expired(page_session, config, now: int) -> bool:
    """Idle too long, or older than the absolute lifetime."""
    idle = config["SESSION_IDLE_MINUTES"] * 60
    absolute = config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    return (now - page_session.get("_seen", 0) > idle
            or now - page_session.get("_login_at", 0) > absolute)


def session_needs_attention(page_session, config) -> bool:
    """The signed-in session must end, or its idle clock be refreshed, on this request."""
    now = int(time.time())
    return session_expired(page_session, config, now) or now - page_session.get("_seen", 0) > 60


def enforce_session_lifetime():
    """End a session idle too long, or older than the absolute lifetime. Static files are the
    same for everyone: they need no user (nor a database connection)."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = int(time.time())
    if session_expired(session, current_app.config, now):
        logout_user()
        session.clear()
        flash("Your session ended. Log in again to continue.", "info")
        return redirect(url_for("auth.login", next=request.path if request.method == "GET"
                                else None))
    if now - session["_seen"] > 60:  # refresh the idle clock at most once a minute
        session["_seen"] = now
    return None


class RememberedSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, each cookie's signature checked and its content decoded
    once per worker: a browser sends the same cookie until its session changes (the idle clock
    moves it at most once a minute), and that work is a tenth of a quick quiz submission. A
    remembered cookie still expires on time, and every request gets its own copy to change."""

    remembered = 4096  # cookies per worker, then start again

    def __init__(self) -> None:
        self._cookies: dict = {}

    def open_session(self, app: Flask, request) -> SecureCookieSession | None:
        data = self._verified(app, request)
        if data is None:
            return super().open_session(app, request)
        return self.session_class(copy.deepcopy(data))

    def peek_session(self, app: Flask, request) -> Mapping | None:
        """The session open_session would give, read-only and not copied: for the front
        (lms/front.py), which only reads it."""
        data = self._verified(app, request)
        if data is None:
            opened = super().open_session(app, request)
            return None if opened is None else MappingProxyType(opened)
        return MappingProxyType(data)

    def _verified(self, app: Flask, request) -> dict | None:
        """The content of the request's session cookie ({} when it is forged or expired), or
        None without a cookie or a secret key (Flask decides then)."""
        value = request.cookies.get(self.get_cookie_name(app))
        if not value or not app.secret_key:
            return None
        max_age = int(app.permanent_session_lifetime.total_seconds())
        key = (value, app.secret_key)
        kept = self._cookies.get(key)
        if kept is None:
            try:
                data, signed = self.get_signing_serializer(app).loads(
                    value, max_age=max_age, return_timestamp=True)
            except BadSignature:
                return {}
            if len(self._cookies) >= self.remembered:
                self._cookies.clear()
            kept = self._cookies[key] = (data, int(signed.timestamp()))
        data, signed_at = kept
        if not 0 <= int(time.time()) - signed_at <= max_age:  # as itsdangerous decides
            return {}
        return data


def init_app(app: Flask) -> None:
    app.session_interface = RememberedSessions()
    app.before_request(guard_request)
    app.before_request(enforce_session_lifetime)
    app.after_request(set_headers)
