"""Renewing an expired certificate: going through the course again (opening every module and
passing every graded quiz after the expiry) issues a new certificate, once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from lms.auth.models import User
from lms.campaigns.models import Cycle
from lms.certificates.models import Certificate
from lms.extensions import db
from lms.progress.models import Completion, ModuleView, QuizAttempt
from tests.conftest import csrf_token
from tests.web.test_certificates import BASICS, QUIZ_RIGHT, complete

QUIZZING = ("canvass", "practice")


@pytest.fixture
def courses_dir(courses_dir):
    """Certificates of both fixture courses are valid for 12 months."""
    for key in ("basics", "quizzing"):
        course = courses_dir / key / "course.md"
        text = course.read_text()
        course.write_text(re.sub(r"^order: (\d+)$", r"order: \1\nvalid_for_months: 12", text,
                                 count=1, flags=re.M))
    return courses_dir


def a_year_passes(app) -> None:
    """Everything recorded so far moves 400 days back: the certificates expired 35 days ago."""
    back = timedelta(days=400)
    with app.app_context():
        for model, names in ((ModuleView, ("first_viewed_at", "last_viewed_at")),
                             (QuizAttempt, ("created_at",)), (Completion, ("completed_at",)),
                             (Certificate, ("issued_at", "expires_at"))):
            for row in db.session.scalars(select(model)):
                for name in names:
                    setattr(row, name, getattr(row, name) - back)
        db.session.execute(update(Cycle).values(revision=Cycle.revision + 1))
        db.session.execute(update(User).values(revision=User.revision + 1))
        db.session.commit()


def certificates(app, course_key):
    with app.app_context():
        rows = db.session.scalars(select(Certificate).filter_by(course_key=course_key)
                                  .order_by(Certificate.id)).all()
        db.session.expunge_all()
        return rows


def view(client, course, module):
    path = f"/courses/{course}/{module}"
    return client.post(path + "/viewed", data={"csrf_token": csrf_token(client, path)})


def pass_quiz(client):
    path = "/courses/quizzing/canvass"
    html = client.get(path).get_data(as_text=True)
    token = re.search(r'name="submission" type="hidden" value="([0-9a-f]{32})"', html).group(1)
    return client.post(path + "/quiz/canvass-check", data={
        "csrf_token": csrf_token(client, path), "submission": token, **QUIZ_RIGHT})


def test_going_through_the_course_again_renews_an_expired_certificate_once(app, logged_in,
                                                                           make_campaign):
    campaign_id = make_campaign({1: "manager"}, plan=[("basics", "manager", None)])
    dashboard = f"/campaigns/{campaign_id}/dashboard"
    for module in BASICS:
        assert complete(logged_in, module).status_code == 302
    [first] = certificates(app, "basics")
    a_year_passes(app)
    assert "To renew, <a href=\"/courses/basics/\"" in logged_in.get("/my").get_data(as_text=True)
    assert "go through the course again" in logged_in.get(
        f"/certificates/{first.id}").get_data(as_text=True)
    for module in BASICS[:-1]:
        assert view(logged_in, "basics", module).status_code == 204
    assert len(certificates(app, "basics")) == 1  # one module not opened again yet
    assert "Renewal due" in logged_in.get(dashboard).get_data(as_text=True)
    assert view(logged_in, "basics", BASICS[-1]).status_code == 204
    old, new = certificates(app, "basics")
    assert old.id == first.id and new.expires_at > new.issued_at > old.expires_at
    page = logged_in.get("/my").get_data(as_text=True)
    assert "Renewal due" not in page and "To renew" not in page and "Valid" in page
    assert "Renewal due" not in logged_in.get(dashboard).get_data(as_text=True)
    old_page = logged_in.get(f"/certificates/{old.id}").get_data(as_text=True)
    assert f'<a href="/certificates/{new.id}">A newer certificate</a>' in old_page
    for module in BASICS:
        view(logged_in, "basics", module)
        complete(logged_in, module)
    assert len(certificates(app, "basics")) == 2  # renewed once, not on every view


def test_a_renewal_asks_for_every_graded_quiz_to_be_passed_again(app, logged_in):
    for module in QUIZZING:
        view(logged_in, "quizzing", module)
    assert pass_quiz(logged_in).status_code == 302
    complete(logged_in, "practice", course="quizzing")  # its quiz is practice: not graded
    assert len(certificates(app, "quizzing")) == 1
    a_year_passes(app)
    for module in QUIZZING:
        view(logged_in, "quizzing", module)
    assert len(certificates(app, "quizzing")) == 1  # opened again, quiz not passed again
    assert pass_quiz(logged_in).status_code == 302
    assert len(certificates(app, "quizzing")) == 2


def test_a_certificate_that_has_not_expired_is_not_renewed(app, logged_in):
    for module in BASICS:
        complete(logged_in, module)
    for module in BASICS:
        view(logged_in, "basics", module)
    assert len(certificates(app, "basics")) == 1
