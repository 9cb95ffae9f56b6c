"""The quick quiz submission: a submission the full path (lms/learn/quiz_views.submit_quiz)
would accept, graded and recorded in front of Flask (lms/front.py) for about half the full
path's cost (no request context, request hooks or ORM user load).

It makes every check of the full path, on the same rules: the request guards
(security.refusal), the session's (pages.session_account: idle and absolute lifetimes,
Flask-Login's session protection), the user loader's (the account exists, is enabled and is at
the session's generation: made by the write itself, progress.services.store_attempt),
Flask-WTF's CSRF check (csrf_valid, held equal to Flask-WTF's by a test), the course's
visibility, the quiz, the submission token's form and the answers (grading).
No rate limit applies to this route (a test says so). Whatever it does not accept, it hands
to the app, which says what is wrong; the body stays readable for it.
"""

from __future__ import annotations

import hmac
import io
import re
import time
from functools import lru_cache
from urllib.parse import parse_qsl

from flask import Flask
from flask_wtf.csrf import same_origin
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.datastructures import MultiDict
from werkzeug.utils import redirect

from lms import routing, security
from lms.catalog_store import current_catalog
from lms.content.quiz import ResponseError, grade_quiz
from lms.learn.forms import SUBMISSION_PATTERN, submitted_answers
from lms.learn.quiz_views import record_attempt
from lms.pages import session_account
from lms.progress.services import AccountRefused

ENDPOINT = "learn.submit_quiz"
FORM_TYPE = "application/x-www-form-urlencoded"
MAX_BODY = 64 * 1024  # a quiz form is a few KB; anything larger goes to the app


def answer(app: Flask, environ) -> tuple[str, list, bytes] | None:
    """(status, headers, body) of a recorded submission, or None: the app answers."""
    length = environ.get("CONTENT_LENGTH", "")
    if (environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower() != FORM_TYPE
            or not length.isdigit() or int(length) > MAX_BODY):
        return None
    matched = routing.match(app, environ)
    if matched is None or matched[0] != ENDPOINT:
        return None
    args = matched[1]
    request = app.request_class(environ)
    body = environ["wsgi.input"].read(int(length))
    environ["wsgi.input"] = io.BytesIO(body)  # for the app, if it answers
    try:  # as Werkzeug parses a form, but strictly: anything it would have to repair, it gets
        form = MultiDict(parse_qsl(body.decode(), keep_blank_values=True, errors="strict"))
    except UnicodeDecodeError:
        return None
    with app.app_context():
        page_session = app.session_interface.peek_session(app, request)
        account = session_account(page_session, request) if page_session is not None else None
        if (account is None or security.refusal(request.headers, form) is not None
                or not csrf_valid(app, page_session, request, form)):
            return None
        user_id, generation = account
        course = current_catalog().course(args["course_key"])
        # Other courses are the trainers' (policy.can_view_course): the full path decides.
        module = course.module(args["module_key"]) if course and course.visibility == "public" \
            else None
        quiz = module.quiz(args["quiz_id"]) if module else None
        token = form.get("submission", "")
        if quiz is None or not re.match(SUBMISSION_PATTERN, token):
            return None
        try:
            result = grade_quiz(quiz, submitted_answers(form))
            attempt_id = record_attempt(user_id, module, quiz, token, result, generation)
        except (ResponseError, AccountRefused):
            return None
    response = redirect(app.create_url_adapter(request).build("learn.quiz_result", {
        "course_key": course.key, "module_key": module.key, "quiz_id": quiz.id,
        "attempt_id": attempt_id}))
    headers = [*response.headers.items(), *security.response_headers(request.is_secure, True),
               ("Vary", "Cookie")]
    return response.status, headers, response.get_data()


def csrf_valid(app: Flask, page_session, request, form) -> bool:
    """Flask-WTF's CSRF check (CSRFProtect.protect, validate_csrf) of the token in the form's
    own field, made without a request context: False also where Flask-WTF would look further
    (a header, a prefixed field) or is configured otherwise; the full path decides then."""
    config = app.config
    field = config["WTF_CSRF_FIELD_NAME"]
    secret = config.get("WTF_CSRF_SECRET_KEY", app.secret_key)
    data, expected = form.get(field), page_session.get(field)
    if not (config["WTF_CSRF_ENABLED"] and config["WTF_CSRF_CHECK_DEFAULT"] and secret and data
            and isinstance(expected, str)):
        return False
    signed = _signed_token(secret, data)
    limit = config["WTF_CSRF_TIME_LIMIT"]
    if signed is None or (limit is not None and not 0 <= int(time.time()) - signed[1] <= limit):
        return False  # forged, or as itsdangerous's max_age would have it, expired
    token = signed[0]
    if not isinstance(token, str) or not hmac.compare_digest(expected, token):
        return False
    if request.is_secure and config["WTF_CSRF_SSL_STRICT"]:
        return bool(request.referrer) and same_origin(request.referrer,
                                                      f"https://{request.host}/")
    return True


@lru_cache(maxsize=1024)
def _signed_token(secret, data: str) -> tuple[object, int] | None:
    """The value signed in a form's CSRF token and when it was signed, or None if the signature
    is not this secret's. Remembered: a session sends the same token with every form, and
    checking its signature (the key derived again each time) cost 10 µs a submission."""
    try:
        value, signed_at = URLSafeTimedSerializer(secret, salt="wtf-csrf-token").loads(
            data, return_timestamp=True)
    except BadData:
        return None
    return value, int(signed_at.timestamp())
