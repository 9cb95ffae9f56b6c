"""Taking quizzes: no answer key in the page, grading, completion, idempotency, bad input."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from lms.content.loader import load_catalog
from lms.extensions import db
from lms.progress.models import Completion, QuizAttempt
from tests.conftest import FIXTURE_COURSES, csrf_token

MODULE = "/courses/quizzing/canvass"
SUBMIT = MODULE + "/quiz/canvass-check"
RIGHT = {"q-first-words": "1", "q-personal-data": ["0", "1"], "q-photo-consent": "false",
         "q-door-app": "door log", "q-pace": "20"}
WRONG = {"q-first-words": "0", "q-personal-data": ["2"], "q-photo-consent": "true",
         "q-door-app": "PhoneLog", "q-pace": "25"}


def form_tokens(client, path=MODULE, quiz="canvass-check"):
    html = client.get(path).get_data(as_text=True)
    section = html[html.index(f'id="quiz-{quiz}"'):]
    submission = re.search(r'name="submission" type="hidden" value="([0-9a-f]{32})"', section)
    return {"csrf_token": csrf_token(client, path), "submission": submission.group(1)}


def submit(client, answers, tokens=None, path=SUBMIT):
    data = {**(tokens or form_tokens(client)), **answers}
    return client.post(path, data=data)


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_the_quiz_form_holds_no_answer_key(client):
    html = client.get(MODULE).get_data(as_text=True)
    quiz = load_catalog(FIXTURE_COURSES).module("quizzing", "canvass").quizzes[0]
    assert 'type="radio" name="q-first-words"' in html
    assert 'inputmode="decimal"' in html and 'type="checkbox" name="q-personal-data"' in html
    for question in quiz.questions:
        for option in question.options:
            if option.feedback:
                assert option.feedback not in html
        for text in (question.explain, question.correct_feedback, question.incorrect_feedback):
            assert not text or text not in html
        for answer in question.answers if question.type == "short_text" else ():
            assert answer.text not in html
    assert "(x)" not in html and "[x]" not in html and "checked" not in html
    assert "DoorLog" not in html and "PhoneLog" not in html
    assert "It is the blue icon." in html  # hints are shown, one at a time


def test_anonymous_visitor_is_told_to_log_in(client):
    html = client.get(MODULE).get_data(as_text=True)
    assert "log in</a> to submit your answers" in html
    assert client.post(SUBMIT, data=RIGHT).status_code in (302, 400)


def test_passing_completes_the_module_and_shows_feedback(app, logged_in):
    response = submit(logged_in, RIGHT)
    assert response.status_code == 302
    result = logged_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "You passed" in result and "100%" in result
    assert "Yes: a clear introduction." in result and "Right: consent must be clear" in result
    assert count(app, Completion) == 1
    course = logged_in.get("/courses/quizzing/").get_data(as_text=True)
    assert "badge--completed" in course and "best 100%" in course


def test_failing_does_not_complete_then_a_retake_passes(app, logged_in):
    response = submit(logged_in, WRONG)
    result = logged_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "Not passed yet" in result and "Too direct for an opener." in result
    assert "PhoneLog is for the phone bank." in result and "A smile is not consent." in result
    assert count(app, Completion) == 0
    submit(logged_in, RIGHT)
    assert count(app, Completion) == 1 and count(app, QuizAttempt) == 2
    html = logged_in.get(MODULE).get_data(as_text=True)
    assert "Your attempts (2)" in html and "best 100%" in html


def test_partial_scoring_and_points(app, logged_in):
    answers = {**RIGHT, "q-personal-data": ["0", "2"]}  # one right, one wrong: 0 of 1
    location = submit(logged_in, answers).headers["Location"]
    with app.app_context():
        attempt = db.session.scalars(select(QuizAttempt)).one()
        assert (attempt.earned, attempt.max_points, attempt.passed) == (4.0, 5.0, True)
    assert "Not right" in logged_in.get(location).get_data(as_text=True)


def test_a_double_submit_records_one_attempt(app, logged_in):
    tokens = form_tokens(logged_in)
    first = submit(logged_in, RIGHT, tokens)
    second = submit(logged_in, RIGHT, tokens)
    assert first.headers["Location"] == second.headers["Location"]
    assert count(app, QuizAttempt) == 1 and count(app, Completion) == 1


def test_a_practice_quiz_records_but_does_not_gate(app, logged_in):
    path = "/courses/quizzing/practice"
    tokens = form_tokens(logged_in, path, "practice-round")
    response = submit(logged_in, {"q-even": "1"}, tokens, path + "/quiz/practice-round")
    assert "Practice result" in logged_in.get(response.headers["Location"]).get_data(
        as_text=True)
    with app.app_context():
        assert db.session.scalars(select(QuizAttempt.passed)).all() == [None]
    assert "Mark as complete" in logged_in.get(path).get_data(as_text=True)


@pytest.mark.parametrize("bad", [
    {"q-nope": "1"},  # unknown question
    {"q-first-words": ["1", "2"]},  # two values for a pick-one question
    {"q-first-words": "7"},  # out of range
    {"q-first-words": "-1"},
    {"q-first-words": "99999999999999999999999"},
    {"q-first-words": "one"},  # wrong type
    {"q-personal-data": ["0", "0"]},  # duplicated option
    {"q-photo-consent": "maybe"},
    {"q-door-app": "x" * 600},  # oversize
    {"q-door-app": "nul\x00byte"},
])
def test_malformed_submissions_answer_400_and_write_nothing(app, logged_in, bad):
    response = submit(logged_in, {**RIGHT, **bad})
    assert response.status_code == 400
    assert count(app, QuizAttempt) == 0 and count(app, Completion) == 0


def test_bad_submission_token_and_missing_csrf(app, logged_in):
    tokens = form_tokens(logged_in)
    assert submit(logged_in, RIGHT, {**tokens, "submission": "not-a-token"}).status_code == 400
    assert logged_in.post(SUBMIT, data={**RIGHT, "submission": tokens["submission"]}
                          ).status_code == 400
    assert count(app, QuizAttempt) == 0


def test_results_are_private_to_their_owner(app, client, make_user, logged_in):
    location = submit(logged_in, RIGHT).headers["Location"]
    make_user("other@example.org", "Other")
    other = app.test_client()
    from tests.conftest import login

    login(other, "other@example.org")
    assert other.get(location).status_code == 404
    assert other.get(SUBMIT + "/attempts/99999999999999999999999").status_code == 404
