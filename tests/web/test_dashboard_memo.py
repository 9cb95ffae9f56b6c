"""Dashboards are kept per (cycle, revision, day) in the process (lms/reports/memo.py): every
write a dashboard shows raises the revision, so a kept dashboard is never served stale."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.campaigns.models import Campaign, Membership
from lms.extensions import db
from tests.conftest import PASSWORD, csrf_token, login
from tests.support.statements import recorded

PLAN = [("basics", "staff", 30), ("quizzing", "staff", None)]


def post(client, path, data=None, token_path="/my"):  # noqa: S107 - a page, not a password
    return client.post(path, data={"csrf_token": csrf_token(client, token_path), **(data or {})})


def grid(client, campaign_id) -> str:
    html = client.get(f"/campaigns/{campaign_id}/dashboard").get_data(as_text=True)
    return html[html.index('<section class="dashboard"'):html.index("</section>")]


def labels(html: str) -> set[str]:
    """The cells' statuses, without their details (best score, overdue)."""
    return {re.split(r" \(|,", label)[0]
            for label in re.findall(r'<span class="cell__label">([^<]*)</span>', html)}


@pytest.fixture
def team(app, client, make_user, make_campaign):
    """A manager (logged in on `client`), a staffer on their own client, and the campaign."""
    make_user("mia@example.org", "Mia Manager")
    staff_id = make_user("sam@example.org", "Sam Staffer")
    campaign_id = make_campaign({1: "manager", staff_id: "staff"}, plan=PLAN)
    assert login(client, "mia@example.org").status_code == 302
    staff = app.test_client()
    assert login(staff, "sam@example.org", PASSWORD).status_code == 302
    return client, staff, campaign_id


def test_every_write_a_dashboard_shows_changes_the_kept_dashboard(app, team):
    manager, staff, campaign_id = team
    seen = [grid(manager, campaign_id)]

    def changed() -> str:
        seen.append(grid(manager, campaign_id))
        assert seen[-1] != seen[-2], "the dashboard did not change"
        return seen[-1]

    assert "Not started" in labels(seen[0]) and "Started" not in labels(seen[0])
    post(staff, "/courses/basics/welcome/viewed")
    assert "Started" in labels(changed())
    post(staff, "/courses/basics/welcome/complete", token_path="/courses/basics/welcome")
    assert "Completed" in labels(changed())
    post(staff, "/account/name", {"name": "Samantha Staffer"}, token_path="/account")
    assert "Samantha Staffer" in changed()
    with app.app_context():
        membership_id = db.session.scalar(select(Membership.id).filter_by(user_id=2))
    members = f"/campaigns/{campaign_id}/members"
    post(manager, f"{members}/{membership_id}/role", {"role": "volunteer"}, token_path=members)
    assert "Volunteer" in changed()
    plan = f"/campaigns/{campaign_id}/plan"
    post(manager, plan, {"rows-0-course_key": "basics", "rows-0-roles": "volunteer",
                         "rows-0-due_days_before": "30"}, token_path=plan)
    assert "Quizzing" not in changed()
    post(manager, f"{members}/{membership_id}/remove", token_path=members)
    assert "Samantha" not in changed()


def test_a_quiz_attempt_changes_the_kept_dashboard(team):
    manager, staff, campaign_id = team
    before = grid(manager, campaign_id)
    path = "/courses/quizzing/canvass"
    html = staff.get(path).get_data(as_text=True)
    token = re.search(r'name="submission" type="hidden" value="([0-9a-f]{32})"', html).group(1)
    wrong = {"q-first-words": "0", "q-personal-data": ["2"], "q-photo-consent": "true",
             "q-door-app": "PhoneLog", "q-pace": "25"}
    response = staff.post(path + "/quiz/canvass-check", data={
        "csrf_token": csrf_token(staff, path), "submission": token, **wrong})
    assert response.status_code == 302
    after = grid(manager, campaign_id)
    assert after != before and "Quiz not passed" in labels(after)


def test_a_kept_dashboard_costs_no_query_and_a_new_day_recomputes_it(app, team, monkeypatch):
    from lms.catalog_store import current_catalog
    from lms.reports import dashboard as reports

    _, _, campaign_id = team
    with app.test_request_context():
        cycle = db.session.get(Campaign, campaign_id).current_cycle
        with recorded(db.engine) as statements:
            first = reports.build_dashboard(cycle, current_catalog())
            computed = len(statements)
            again = reports.build_dashboard(cycle, current_catalog())
            assert computed >= 4 and len(statements) == computed and again.rows == first.rows
            tomorrow = reports.utcnow() + timedelta(days=1)
            monkeypatch.setattr(reports, "utcnow", lambda: tomorrow)
            reports.build_dashboard(cycle, current_catalog())
            assert len(statements) > computed
