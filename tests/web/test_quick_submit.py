"""The quick quiz submission (lms/learn/quick_submit.py): answered in front of Flask for what
the full path would accept, handed to the full path for everything else, the same either way."""

from __future__ import annotations

import re
import shutil
import threading
import time

import pytest
from flask_wtf.csrf import generate_csrf, validate_csrf
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict
from wtforms import ValidationError

from lms.auth.models import User
from lms.extensions import db, limiter
from lms.learn import quick_submit
from lms.progress.models import Completion, QuizAttempt
from tests.support.statements import recorded
from tests.web.test_quizzes import RIGHT, SUBMIT, WRONG, form_tokens, submit


@pytest.fixture
def answered(monkeypatch):
    """What the front made of each submission: True when it answered, False when the app did."""
    seen = []
    real = quick_submit.answer

    def spy(app, environ):
        result = real(app, environ)
        seen.append(result is not None)
        return result

    monkeypatch.setattr(quick_submit, "answer", spy)
    return seen


def full_path_only(monkeypatch):
    monkeypatch.setattr(quick_submit, "answer", lambda app, environ: None)


def attempts(app):
    with app.app_context():
        return db.session.execute(select(
            QuizAttempt.user_id, QuizAttempt.quiz_id, QuizAttempt.record, QuizAttempt.earned,
            QuizAttempt.percent, QuizAttempt.passed)).all()


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def loads_user(statements) -> bool:
    """Whether the ORM loaded an account (the user loader's SELECT of every column)."""
    return any(re.match(r'\s*SELECT "?user"?\.id, "?user"?\.email', s) for s in statements)


def comparable(response):
    headers = sorted((k, v) for k, v in response.headers.items() if k != "Set-Cookie")
    return response.status_code, headers, response.get_data()


def test_a_submission_is_answered_in_front_with_no_orm_and_the_same_outcome(
        app, logged_in, answered, monkeypatch):
    with app.app_context():
        engine = db.engine
    tokens = form_tokens(logged_in)
    with recorded(engine) as statements:
        quick = submit(logged_in, RIGHT, tokens)
    assert answered == [True] and quick.status_code == 302
    assert not loads_user(statements)  # no ORM user load
    sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    assert (statements[0] == "BEGIN IMMEDIATE") is sqlite and len(statements) <= 8 + sqlite
    stored = attempts(app)
    assert count(app, Completion) == 1

    full_path_only(monkeypatch)
    tokens = form_tokens(logged_in)
    with recorded(engine) as statements:
        full = submit(logged_in, RIGHT, tokens)
    assert loads_user(statements)
    if sqlite:  # the full path reads first (a plain transaction), then takes the write lock
        assert statements.index("BEGIN") < statements.index("BEGIN IMMEDIATE")
    assert attempts(app) == stored * 2 and count(app, Completion) == 1
    quick_id, full_id = (int(r.headers["Location"].rsplit("/", 1)[1]) for r in (quick, full))
    assert full_id == quick_id + 1

    def same_shape(response):
        status, headers, body = comparable(response)
        attempt = "/attempts/" + response.headers["Location"].rsplit("/", 1)[1]
        return (status, [(k, v.replace(attempt, "/attempts/N")) for k, v in headers
                         if k != "Content-Length"], body.replace(attempt.encode(), b"/attempts/N"))

    assert same_shape(quick) == same_shape(full)
    assert logged_in.get(quick.headers["Location"]).status_code == 200


def test_a_passing_submission_raises_the_persons_revision_once(app, logged_in):
    def revision():
        with app.app_context():
            return db.session.scalar(select(User.revision))

    before = revision()
    assert submit(logged_in, RIGHT).status_code == 302
    assert revision() == before + 1


@pytest.mark.parametrize("case", ["visitor", "bad csrf", "no csrf", "cross-site", "twice",
                                  "bad token", "bad answer", "unknown quiz", "json body"])
def test_what_the_front_does_not_accept_the_full_path_answers(app, client, make_user,
                                                               answered, case):
    make_user()
    from tests.conftest import login

    if case != "visitor":
        login(client)
    tokens = form_tokens(client) if case != "visitor" else {"csrf_token": "x", "submission":
                                                             "a" * 32}
    data, headers, path = {**tokens, **RIGHT}, {}, SUBMIT
    if case == "bad csrf":
        data["csrf_token"] = tokens["csrf_token"][:-2] + "xx"
    elif case == "no csrf":
        del data["csrf_token"]
    elif case == "cross-site":
        headers["Sec-Fetch-Site"] = "cross-site"
    elif case == "twice":
        data = MultiDict([*data.items(), ("submission", tokens["submission"])])
    elif case == "bad token":
        data["submission"] = "not-a-token"
    elif case == "bad answer":
        data["q-first-words"] = "one"  # not an option number
    elif case == "unknown quiz":
        path = SUBMIT.replace("canvass-check", "no-such-quiz")
    answered.clear()  # the login was a POST too
    if case == "json body":
        response = client.post(path, json=dict(data), headers=headers)
    else:
        response = client.post(path, data=data, headers=headers)
    expected = {"cross-site": 403, "unknown quiz": 404}.get(case, 400)
    assert response.status_code == expected and answered == [False]
    assert count(app, QuizAttempt) == 0


def test_a_token_sent_for_another_quiz_is_refused_and_writes_nothing(app, logged_in, answered):
    tokens = form_tokens(logged_in)
    assert submit(logged_in, RIGHT, tokens).status_code == 302
    other = SUBMIT.replace("canvass/quiz/canvass-check", "practice/quiz/practice-round")
    response = logged_in.post(other, data={**tokens, "q-even": "1"})
    assert response.status_code == 400 and answered[-1] is False
    assert "already sent for another quiz" in response.get_data(as_text=True)
    assert count(app, QuizAttempt) == 1


def test_a_session_due_a_refresh_takes_the_full_path(app, logged_in, answered):
    tokens = form_tokens(logged_in)
    with logged_in.session_transaction() as session:
        session["_seen"] -= 120  # the idle clock is refreshed at most once a minute
    response = submit(logged_in, RIGHT, tokens)
    assert response.status_code == 302 and answered == [False]
    assert "session=" in response.headers.get("Set-Cookie", "")
    assert submit(logged_in, WRONG).status_code == 302 and answered[-1] is True


@pytest.mark.parametrize("change", [
    {"disabled": True},
    {"session_generation": User.session_generation + 1},  # signed out everywhere, new password
])
def test_an_account_the_loader_would_refuse_is_refused_by_the_full_path(app, logged_in,
                                                                        answered, change):
    """The front checks the account in its write (no read of its own): refused, it writes
    nothing, not even the person's revision, and the full path sends them to log in."""
    tokens = form_tokens(logged_in)
    with app.app_context():
        db.session.execute(User.__table__.update().values(**change))
        db.session.commit()
        revision = db.session.scalar(select(User.revision))
    response = submit(logged_in, RIGHT, tokens)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert answered[-1] is False and count(app, QuizAttempt) == 0
    with app.app_context():
        assert db.session.scalar(select(User.revision)) == revision


@pytest.fixture
def secret_quiz(courses_dir):
    """A quiz in the trainers-only course."""
    shutil.copy(courses_dir / "quizzing" / "01-canvass.md",
                courses_dir / "trainer-notes" / "02-canvass.md")
    return SUBMIT.replace("/quizzing/", "/trainer-notes/")


def test_a_trainers_only_quiz_takes_the_full_path(secret_quiz, app, client, make_user,
                                                   answered):
    from tests.conftest import login

    make_user()
    make_user("trainer@example.org", "Tess Trainer", trainer=True)
    login(client)
    tokens = form_tokens(client)
    assert submit(client, RIGHT, tokens, path=secret_quiz).status_code == 404  # not a trainer
    trainer = app.test_client()
    login(trainer, "trainer@example.org")
    page = secret_quiz.split("/quiz/")[0]
    tokens = form_tokens(trainer, page)
    answered.clear()
    response = submit(trainer, RIGHT, tokens, path=secret_quiz)
    assert response.status_code == 302 and answered == [False]
    assert count(app, QuizAttempt) == 1


def test_a_failure_in_the_front_is_finished_by_the_app_once(app, logged_in, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug after the commit")

    monkeypatch.setattr(quick_submit, "redirect", broken)
    response = submit(logged_in, RIGHT)
    assert response.status_code == 302 and "front: could not answer" in caplog.text
    assert count(app, QuizAttempt) == 1  # the app found the attempt the front had recorded
    with app.app_context():
        first = db.session.scalar(select(QuizAttempt.id))
    assert response.headers["Location"].endswith(f"/attempts/{first}")


def test_no_rate_limit_applies_to_the_submission(app):
    """The front makes every check of the full path but the rate limiter's: there is none."""
    with app.test_request_context(SUBMIT, method="POST"):
        for in_middleware in (True, False):
            assert limiter.limit_manager.resolve_limits(
                app, "learn.submit_quiz", "learn", in_middleware=in_middleware) == ([], [])


@pytest.mark.parametrize("case", ["valid", "tampered", "other session", "missing", "expired",
                                  "expired, once checked", "https no referrer",
                                  "https other site", "https same site"])
def test_the_fronts_csrf_check_agrees_with_flask_wtf(app, case, monkeypatch):
    secure = case.startswith("https")
    referrer = {"https other site": "https://evil.example/",
                "https same site": "https://localhost/courses/"}.get(case)
    app.config["WTF_CSRF_TIME_LIMIT"] = 3600
    base = "https://localhost" if secure else "http://localhost"
    with app.test_request_context(SUBMIT, method="POST", base_url=base,
                                  headers={"Referer": referrer} if referrer else {}):
        from flask import request, session

        token = generate_csrf()
        if case == "tampered":
            token = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
        elif case == "missing":
            token = ""
        elif case == "other session":
            session["csrf_token"] = "another session's secret"
        form = MultiDict({"csrf_token": token})
        if case.startswith("expired"):
            if case == "expired, once checked":  # the check remembers the signature only
                assert quick_submit.csrf_valid(app, session, request, form)
            real = time.time
            monkeypatch.setattr(time, "time", lambda: real() + 7200)
        ours = quick_submit.csrf_valid(app, session, request, form)
        try:
            validate_csrf(token)
            theirs = True
            if secure:
                from flask_wtf.csrf import same_origin

                theirs = bool(referrer) and same_origin(referrer, "https://localhost/")
        except ValidationError:
            theirs = False
    assert ours is theirs
    assert ours is (case in ("valid", "https same site"))


def test_writers_wait_their_turn_in_the_queue(app):
    """On an SQLite file; PostgreSQL locks rows, not the database: no queue there."""
    from lms.db_ops import write_queue

    order = []
    inside = threading.Event()

    def first():
        with app.app_context(), write_queue():
            order.append("first in")
            inside.set()
            time.sleep(0.2)
            order.append("first out")

    def second():
        inside.wait()
        with app.app_context(), write_queue():
            order.append("second in")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queued = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    assert order == (["first in", "first out", "second in"] if queued
                     else ["first in", "second in", "first out"])
