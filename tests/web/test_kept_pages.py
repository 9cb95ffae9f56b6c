"""Learner pages kept whole per viewer, session and revision (lms/pages.py): served again without
the ORM, never stale, never another session's tokens, every session rule kept."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.campaigns.models import Membership
from lms.certificates.models import Certificate
from lms.extensions import db
from lms.models import utcnow
from tests.conftest import PASSWORD, csrf_token, login
from tests.support.statements import recorded
from tests.web.test_certificates import BASICS, QUIZ_RIGHT, complete

MODULE = "/courses/quizzing/canvass"
SUBMISSION = re.compile(r'name="submission" type="hidden" value="([0-9a-f]{32})"')


def post(client, path, data=None, token_path="/my"):  # noqa: S107 - a page, not a password
    return client.post(path, data={"csrf_token": csrf_token(client, token_path), **(data or {})})


def engine(app):
    with app.app_context():
        return db.engine


def without_tokens(html: str) -> str:
    return SUBMISSION.sub("", html)


def test_a_kept_page_costs_no_orm_query_and_gets_fresh_submission_tokens(app, logged_in):
    first = logged_in.get(MODULE).get_data(as_text=True)
    with recorded(engine(app)) as statements:
        again = logged_in.get(MODULE).get_data(as_text=True)
    assert statements == [], "a kept page is served from the viewer's row alone"
    assert without_tokens(again) == without_tokens(first)
    assert SUBMISSION.findall(again) and set(SUBMISSION.findall(again)).isdisjoint(
        SUBMISSION.findall(first)), "every response gets its own submission token"
    token = SUBMISSION.search(again).group(1)
    response = logged_in.post(MODULE + "/quiz/canvass-check", data={
        "csrf_token": csrf_token(logged_in, MODULE), "submission": token, **QUIZ_RIGHT})
    assert response.status_code == 302 and "/attempts/" in response.headers["Location"]
    assert "· passed" in logged_in.get(MODULE).get_data(as_text=True)


def test_every_write_a_learner_page_shows_changes_the_kept_page(app, logged_in, make_user,
                                                               make_campaign):
    manager_id = make_user("mia@example.org", "Mia Manager")
    campaign_id = make_campaign({manager_id: "manager", 1: "staff"},
                                plan=[("basics", "staff", 30)])
    manager = app.test_client()
    assert login(manager, "mia@example.org").status_code == 302
    seen = [logged_in.get("/my").get_data(as_text=True)]

    def changed(path="/my") -> str:
        logged_in.get("/account")  # shows any message first: a page with one is never kept
        seen.append(without_tokens(logged_in.get(path).get_data(as_text=True)))
        assert seen[-1] != without_tokens(seen[-2]), "the kept page did not change"
        return seen[-1]

    assert "Lopez for House" in seen[0] and "Campaign basics" in seen[0]
    post(logged_in, f"/courses/basics/{BASICS[0]}/viewed")
    changed()
    post(logged_in, f"/courses/basics/{BASICS[1]}/viewed")
    changed()
    post(logged_in, f"/courses/basics/{BASICS[0]}/viewed")  # opened again: resume moves back
    changed()
    complete(logged_in, BASICS[0])
    assert "1 of 3" in changed()
    plan = f"/campaigns/{campaign_id}/plan"
    post(manager, plan, {"rows-0-course_key": "quizzing", "rows-0-roles": "staff",
                         "rows-0-due_days_before": "30"}, token_path=plan)
    assert "Quiz practice" in changed()
    with app.app_context():
        membership_id = db.session.scalar(select(Membership.id).filter_by(user_id=1))
    members = f"/campaigns/{campaign_id}/members"
    post(manager, f"{members}/{membership_id}/role", {"role": "volunteer"}, token_path=members)
    changed()
    post(manager, f"{members}/{membership_id}/remove", token_path=members)
    changed()
    post(logged_in, "/campaigns/new", {"name": "Sam for Council", "state": "OH",
                                        "office": "City Council", "district": "Ward 3",
                                        "election_year": "2027", "election_date": "2027-11-02",
                                        "role": "candidate"}, token_path="/campaigns/new")
    assert "Sam for Council" in changed()
    for module in BASICS[1:]:
        complete(logged_in, module)
    seen.append(without_tokens(logged_in.get("/courses/basics/").get_data(as_text=True)))
    assert "certificate" in seen[-1].lower()
    with app.app_context():
        certificate_id = db.session.scalar(select(Certificate.id))
    admin_id = make_user("ada@example.org", "Ada Admin", admin=True)
    admin = app.test_client()
    assert login(admin, "ada@example.org").status_code == 302 and admin_id
    revoke = f"/certificates/{certificate_id}/revoke"
    post(admin, revoke, {"reason": "Issued in error"}, token_path=f"/certificates/{certificate_id}")
    changed("/courses/basics/")


def test_a_message_is_shown_once_and_never_kept(logged_in):
    logged_in.get(f"/courses/basics/{BASICS[1]}")
    complete(logged_in, BASICS[0])
    page = logged_in.get(f"/courses/basics/{BASICS[1]}").get_data(as_text=True)
    assert "is complete" in page
    assert "is complete" not in logged_in.get(f"/courses/basics/{BASICS[1]}").get_data(
        as_text=True)


def test_each_session_of_a_person_gets_a_page_with_its_own_csrf_token(app, logged_in):
    phone = app.test_client()
    assert login(phone, "sam@example.org", PASSWORD).status_code == 302
    for client in (logged_in, phone, logged_in, phone):  # the second round is kept
        token = csrf_token(client, MODULE)
        response = client.post(MODULE + "/viewed", data={"csrf_token": token})
        assert response.status_code == 204


def test_a_kept_page_keeps_every_session_rule(app, logged_in, make_user):
    assert logged_in.get("/my").status_code == 200
    assert logged_in.get("/my").status_code == 200  # kept
    with logged_in.session_transaction() as session:
        session["_seen"] -= app.config["SESSION_IDLE_MINUTES"] * 60 + 5
    response = logged_in.get("/my")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert login(logged_in).status_code == 302
    assert logged_in.get("/my").status_code == 200
    other = app.test_client()
    assert login(other).status_code == 302
    post(other, "/logout")  # logging out ends every session of the person
    assert logged_in.get("/my").status_code == 302


def test_a_kept_page_lapses_when_a_certificate_of_the_viewer_expires(app, logged_in,
                                                                     monkeypatch):
    from lms import pages

    for module in BASICS:
        complete(logged_in, module)
    soon = utcnow() + timedelta(hours=1)
    with app.app_context():
        db.session.get(Certificate, 1).expires_at = soon
        db.session.commit()
    logged_in.get("/courses/basics/")  # shows the "complete" message
    first = logged_in.get("/courses/basics/").get_data(as_text=True)
    assert logged_in.get("/courses/basics/").get_data(as_text=True) == first  # kept
    monkeypatch.setattr(pages, "utcnow", lambda: soon + timedelta(seconds=1))
    with recorded(engine(app)) as statements:
        logged_in.get("/courses/basics/")
    assert statements, "the page kept until the expiry is rendered again after it"


def test_a_visitor_gets_a_kept_page_with_no_tokens_and_no_cookie(app, client):
    first = client.get(MODULE)
    with recorded(engine(app)) as statements:
        again = client.get(MODULE)
    assert statements == [] and again.get_data() == first.get_data()
    html = again.get_data(as_text=True)
    assert "Log in to submit" in html and "csrf_token" not in html and "submission" not in html
    assert "Set-Cookie" not in again.headers and "Cache-Control" not in again.headers


@pytest.mark.parametrize("path", ["/", "/courses/basics/", MODULE, "/my"])
def test_signed_in_pages_kept_or_not_are_never_stored_by_browsers(logged_in, path):
    for _ in range(2):
        assert logged_in.get(path).headers["Cache-Control"] == "no-store"


def test_a_kept_dashboard_follows_the_team_and_who_may_see_it(app, logged_in, make_user,
                                                               make_campaign):
    manager_id = make_user("mia@example.org", "Mia Manager")
    campaign_id = make_campaign({manager_id: "manager", 1: "staff"},
                                plan=[("basics", "staff", 30)])
    co_manager_id = make_user("cal@example.org", "Cal Comanager")
    with app.app_context():
        cycle_id = db.session.scalar(select(Membership.cycle_id))
        db.session.add(Membership(cycle_id=cycle_id, user_id=co_manager_id, role="manager"))
        db.session.commit()
    manager, co_manager = app.test_client(), app.test_client()
    assert login(manager, "mia@example.org").status_code == 302
    assert login(co_manager, "cal@example.org").status_code == 302
    dashboard = f"/campaigns/{campaign_id}/dashboard"
    first = co_manager.get(dashboard).get_data(as_text=True)
    with recorded(engine(app)) as statements:
        assert co_manager.get(dashboard).get_data(as_text=True) == first
    assert statements == [], "a kept dashboard is served without the ORM"
    post(logged_in, f"/courses/basics/{BASICS[0]}/viewed")
    assert co_manager.get(dashboard).get_data(as_text=True) != first
    with app.app_context():
        membership_id = db.session.scalar(select(Membership.id).filter_by(user_id=co_manager_id))
    members = f"/campaigns/{campaign_id}/members"
    post(manager, f"{members}/{membership_id}/remove", token_path=members)
    assert co_manager.get(dashboard).status_code == 403, "a removed manager sees nothing kept"


def test_a_kept_organisation_overview_follows_every_campaign(app, logged_in, make_user,
                                                             make_campaign):
    make_campaign({1: "staff"}, plan=[("basics", "staff", 30)])
    make_user("tess@example.org", "Tess Trainer", trainer=True)
    trainer = app.test_client()
    assert login(trainer, "tess@example.org").status_code == 302
    first = trainer.get("/trainer/campaigns").get_data(as_text=True)
    with recorded(engine(app)) as statements:
        assert trainer.get("/trainer/campaigns").get_data(as_text=True) == first
    assert statements == []
    complete(logged_in, BASICS[0])
    second = trainer.get("/trainer/campaigns").get_data(as_text=True)
    assert second != first
    make_campaign({1: "candidate"}, name="Sam for Council")
    assert "Sam for Council" in trainer.get("/trainer/campaigns").get_data(as_text=True)
    assert logged_in.get("/trainer/campaigns").status_code == 403


@pytest.mark.parametrize("headers", [
    {}, {"User-Agent": "Phone/1.0"},
    {"User-Agent": "x", "X-Forwarded-For": "203.0.113.9, 10.0.0.1"}])
def test_the_front_computes_flask_logins_browser_identifier(app, headers):
    from lms.extensions import login_manager
    from lms.pages import browser_identifier

    with app.test_request_context("/", headers=headers) as context:
        assert browser_identifier(context.request) == login_manager._session_identifier_generator()


@pytest.mark.parametrize("who", ["visitor", "learner"])
def test_a_kept_page_has_the_headers_of_a_full_one(app, client, make_user, who):
    if who == "learner":
        make_user()
        assert login(client).status_code == 302
    full = client.get(MODULE)

    def comparable(response):
        return sorted((name, value) for name, value in response.headers
                      if name not in ("Content-Length", "Set-Cookie", "Date"))

    with recorded(engine(app)) as statements:
        kept = client.get(MODULE)
    assert statements == [] and comparable(kept) == comparable(full)
    assert (("Cache-Control", "no-store") in comparable(kept)) is (who == "learner")


def test_the_front_hands_over_to_the_app_when_it_fails(client, monkeypatch, caplog):
    from lms import pages

    def broken(*args):
        raise RuntimeError("a bug in the front")

    monkeypatch.setattr(pages, "answer", broken)
    response = client.get(MODULE)
    assert response.status_code == 200 and "Log in to submit" in response.get_data(as_text=True)
    assert "front: could not answer /courses/quizzing/canvass" in caplog.text
