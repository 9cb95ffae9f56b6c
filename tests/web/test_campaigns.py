"""Campaigns: starting one, invites, members, the plan, the dashboard and its CSV."""

from __future__ import annotations

import csv
import io
import re
import threading
from datetime import timedelta
from html.parser import HTMLParser

from sqlalchemy import func, select

from lms.campaigns.models import Campaign, Invite, Membership, PlanItem
from lms.extensions import db
from lms.models import utcnow
from tests.conftest import csrf_token
from tests.support.statements import recorded

PLAN = [("basics", "staff", 30), ("basics", "manager", None), ("quizzing", "staff", 400)]


def post(client, path, data=None, token_path="/my"):  # noqa: S107 - a page, not a password
    return client.post(path, data={"csrf_token": csrf_token(client, token_path), **(data or {})})


def test_start_a_campaign_and_become_its_manager(app, logged_in):
    response = post(logged_in, "/campaigns/new", {
        "name": "Maria Lopez for State House", "state": "OH", "office": "State House",
        "district": "41", "election_year": "2026", "election_date": "2026-11-03",
        "role": "manager"}, "/campaigns/new")
    assert response.status_code == 302
    with app.app_context():
        campaign = db.session.scalars(select(Campaign)).one()
        assert campaign.current_cycle.election_year == 2026
        assert [m.role for m in db.session.scalars(select(Membership))] == ["manager"]
    assert "Maria Lopez for State House" in logged_in.get("/campaigns/").get_data(as_text=True)


def test_invalid_campaign_form_is_a_form_error(app, logged_in):
    response = post(logged_in, "/campaigns/new", {
        "name": "", "state": "ZZ", "office": "x", "election_year": "99999999999999999999",
        "election_date": "not a date", "role": "admin"}, "/campaigns/new")
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Campaign)) == 0


def invite_link(client, campaign_id, role="staff", days="14", uses="10"):
    path = f"/campaigns/{campaign_id}/invites"
    html = post(client, path, {"role": role, "days": days, "max_uses": uses}, path
                ).get_data(as_text=True)
    return re.search(r'value="http://localhost(/join/[^"]+)"', html).group(1)


def join(app, link, email):
    client = app.test_client()
    token = csrf_token(client, "/register")
    client.post("/register", data={"name": email.split("@")[0].title(), "email": email,
                                   "password": "correct horse battery",
                                   "confirm": "correct horse battery", "csrf_token": token})
    return client, post(client, link, token_path=link)


def test_invite_join_and_limits(app, logged_in, make_user, make_campaign):
    campaign_id = make_campaign({1: "manager"})
    link = invite_link(logged_in, campaign_id, uses="2")
    with app.app_context():
        assert db.session.scalar(select(Invite.token_hash)) not in link  # only the hash stored
    _, first = join(app, link, "ana@example.org")
    assert first.status_code == 302
    client, again = join(app, link, "bo@example.org")
    assert again.status_code == 302
    assert post(client, link, token_path="/my").status_code == 302  # already a member: no use
    _, third = join(app, link, "cy@example.org")
    assert third.status_code == 410 and "used up" in third.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Invite.uses)) == 2
        assert db.session.scalar(select(func.count()).select_from(Membership)) == 3


def test_expired_revoked_and_tampered_invites_change_nothing(app, logged_in, make_campaign):
    campaign_id = make_campaign({1: "manager"})
    expired, revoked = invite_link(logged_in, campaign_id), invite_link(logged_in, campaign_id)
    with app.app_context():
        first = db.session.scalars(select(Invite).order_by(Invite.id)).first()
        first.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        revoke_id = db.session.scalars(select(Invite.id).order_by(Invite.id)).all()[1]
    post(logged_in, f"/campaigns/{campaign_id}/invites/{revoke_id}/revoke")
    for link, words, status in [(expired, "expired", 410), (revoked, "revoked", 410),
                                (revoked[:-3] + "abc", "not valid", 404), ("/join/x", "not valid",
                                                                          404)]:
        client = app.test_client()
        page = client.get(link)
        assert page.status_code == status and words in page.get_data(as_text=True)
    _, response = join(app, expired, "late@example.org")
    assert response.status_code == 410
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Membership)) == 1


def test_concurrent_joins_cannot_pass_the_use_limit(app, logged_in, make_user, make_campaign):
    from lms.campaigns import services

    campaign_id = make_campaign({1: "manager"})
    link = invite_link(logged_in, campaign_id, uses="3")
    token = link.rsplit("/", 1)[1]
    users = [make_user(f"p{i}@example.org", f"P{i}") for i in range(8)]
    results, barrier = [], threading.Barrier(len(users))

    def attempt(user_id):
        with app.app_context():
            barrier.wait()
            try:
                services.accept_invite(token, user_id)
                db.session.commit()
                results.append("joined")
            except services.InviteUnusable:
                db.session.rollback()
                results.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["joined"] * 3 + ["refused"] * 5
    with app.app_context():
        assert db.session.scalar(select(Invite.uses)) == 3


def test_roles_can_be_changed_and_members_removed_keeping_records(app, logged_in, make_user,
                                                                   make_campaign):
    staff = make_user("st@example.org", "Stan")
    campaign_id = make_campaign({1: "manager", staff: "staff"})
    with app.app_context():
        membership_id = db.session.scalar(select(Membership.id).filter_by(user_id=staff))
    path = f"/campaigns/{campaign_id}/members/{membership_id}"
    assert post(logged_in, path + "/role", {"role": "volunteer"}).status_code == 302
    assert post(logged_in, path + "/role", {"role": "owner"}).status_code == 400
    assert post(logged_in, path + "/remove").status_code == 302
    with app.app_context():
        membership = db.session.get(Membership, membership_id)
        assert membership.role == "volunteer" and membership.removed_at is not None


def test_a_manager_cannot_grant_candidate(app, logged_in, make_user, make_campaign):
    staff = make_user("st@example.org", "Stan")
    campaign_id = make_campaign({1: "manager", staff: "staff"})
    with app.app_context():
        membership_id = db.session.scalar(select(Membership.id).filter_by(user_id=staff))
    response = post(logged_in, f"/campaigns/{campaign_id}/members/{membership_id}/role",
                    {"role": "candidate"})
    assert response.status_code == 403


def test_the_plan_is_saved_and_shown_as_required_training(app, logged_in, make_campaign):
    campaign_id = make_campaign({1: "staff"})  # the plan page is visible to staff
    assert post(logged_in, f"/campaigns/{campaign_id}/plan", {
        "rows-0-course_key": "basics", "rows-0-roles": "staff"}).status_code == 403
    with app.app_context():
        db.session.execute(db.update(Membership).values(role="manager"))
        db.session.commit()
    response = post(logged_in, f"/campaigns/{campaign_id}/plan", {
        "rows-0-course_key": "basics", "rows-0-roles": ["staff", "manager"],
        "rows-0-due_days_before": "9000", "rows-1-course_key": "quizzing"})
    assert response.status_code == 400  # 9000 days is out of range
    response = post(logged_in, f"/campaigns/{campaign_id}/plan", {
        "rows-0-course_key": "basics", "rows-0-roles": ["staff", "manager"],
        "rows-0-due_days_before": "60", "rows-1-course_key": "quizzing"})
    assert response.status_code == 302
    with app.app_context():
        items = db.session.execute(select(PlanItem.course_key, PlanItem.role,
                                          PlanItem.due_days_before)).all()
    assert sorted(items) == [("basics", "manager", 60), ("basics", "staff", 60)]
    my = logged_in.get("/my").get_data(as_text=True)
    assert "Required by your campaign" in my and "due 04 Sep 2026" in my


class _Table(HTMLParser):
    """The text of each row of the dashboard grid."""

    def __init__(self):
        super().__init__()
        self.rows, self.cell, self.depth = [], None, 0

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th") and self.rows:
            self.cell = []
        elif "cell__icon" in classes:
            self.depth = 1

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "span" and self.depth:
            self.depth = 0

    def handle_data(self, data):
        if self.cell is not None and not self.depth:
            self.cell.append(data)


def test_dashboard_and_csv_show_the_same_thing(app, logged_in, make_user, make_campaign):
    staff = make_user("st@example.org", "=cmd|' /C calc'!A0")
    campaign_id = make_campaign({1: "manager", staff: "staff"}, plan=PLAN)
    with app.app_context():
        cycle_id = db.session.get(Campaign, campaign_id).current_cycle.id
    html = logged_in.get(f"/campaigns/{campaign_id}/dashboard").get_data(as_text=True)
    grid = html[html.index('<table class="grid">'):html.index("</table>")]
    parser = _Table()
    parser.feed(grid)
    rendered = parser.rows
    response = logged_in.get(f"/campaigns/{campaign_id}/cycles/{cycle_id}/dashboard.csv")
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert table[2][0].startswith("'=cmd")  # formula neutralised
    table[2][0] = table[2][0][1:]
    def from_csv(row):  # the grid shows the role under the name, overdue beside the percent
        overdue = f" {row[3]} overdue" if row[3] != "0" else ""
        return [f"{row[0]} {row[1]}", row[2] + overdue, *row[4:]]

    assert [from_csv(row) for row in table[1:]] == rendered[1:]
    assert len(table) == 3 and len(table[0]) == 4 + 5  # 3 basics modules + 2 quizzing modules
    headings = [h.replace(": ", " ", 1).replace(" (v", " v").removesuffix(")")
                for h in table[0][4:]]
    assert headings == rendered[0][2:]


def test_dashboard_query_count_does_not_grow_with_the_team(app, make_user, make_campaign):
    from lms.catalog_store import current_catalog
    from lms.reports.dashboard import build_dashboard

    def queries_for(team_size):
        ids = [make_user(f"m{team_size}-{i}@example.org", f"M{i}") for i in range(team_size)]
        campaign_id = make_campaign({i: "staff" for i in ids}, name=f"C{team_size}", plan=PLAN)
        with app.test_request_context():
            campaign = db.session.get(Campaign, campaign_id)
            cycle = campaign.current_cycle
            with recorded(db.engine) as statements:
                dashboard = build_dashboard(cycle, current_catalog())
            assert len(dashboard.rows) == team_size
            return len(statements)

    assert queries_for(3) == queries_for(60) <= 6
