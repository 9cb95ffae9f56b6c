"""The cycle story: a 2026 team rolls over to 2028; the closed cycle reads the same forever."""

from __future__ import annotations

from sqlalchemy import select

from lms.campaigns.models import Campaign, Cycle, Membership
from lms.extensions import db
from tests.conftest import csrf_token, login

PLAN = [("basics", "staff", 30), ("basics", "manager", None)]


def complete(client, module, course="basics"):
    token = csrf_token(client, f"/courses/{course}/{module}")
    assert client.post(f"/courses/{course}/{module}/complete",
                       data={"csrf_token": token}).status_code == 302


def view(client, module, course="basics"):
    token = csrf_token(client, f"/courses/{course}/{module}")
    client.post(f"/courses/{course}/{module}/viewed", data={"csrf_token": token})


def snapshot(client, campaign_id, cycle_id):
    html = client.get(f"/campaigns/{campaign_id}/cycles/{cycle_id}/dashboard").get_data(
        as_text=True)
    section = html[html.index('<section class="dashboard"'):html.index("</section>")]
    csv = client.get(f"/campaigns/{campaign_id}/cycles/{cycle_id}/dashboard.csv").data
    return section, csv


def test_the_cycle_story(app, make_user, make_campaign, courses_dir):
    manager, ana, bo, cy = (make_user("m@example.org", "Mia Manager"),
                            make_user("ana@example.org", "Ana"),
                            make_user("bo@example.org", "Bo"), make_user("cy@example.org", "Cy"))
    campaign_id = make_campaign({manager: "manager", ana: "staff", bo: "staff"}, plan=PLAN)
    clients = {}
    for email in ("m", "ana", "bo", "cy"):
        clients[email] = app.test_client()
        login(clients[email], f"{email}@example.org")
    m = clients["m"]
    complete(clients["ana"], "welcome")
    view(clients["bo"], "welcome")
    with app.app_context():
        first_cycle = db.session.get(Campaign, campaign_id).current_cycle.id

    before = snapshot(m, campaign_id, first_cycle)
    assert b"Ana,Staff,33%" in before[1] and b"Bo,Staff,0%" in before[1]

    token = csrf_token(m, f"/campaigns/{campaign_id}/rollover")
    response = m.post(f"/campaigns/{campaign_id}/rollover", data={
        "csrf_token": token, "election_year": "2028", "election_date": "2028-11-07",
        "returning": [str(manager), str(ana)], "confirm": "y"})
    assert response.status_code == 302
    with app.app_context():
        cycles = db.session.scalars(select(Cycle).order_by(Cycle.election_year)).all()
        assert [(c.election_year, c.is_open) for c in cycles] == [(2026, False), (2028, True)]
        second_cycle = cycles[1].id
        returning = db.session.execute(select(Membership.user_id, Membership.role).where(
            Membership.cycle_id == second_cycle)).all()
        assert sorted(returning) == sorted([(manager, "manager"), (ana, "staff")])
        db.session.add(Membership(cycle_id=second_cycle, user_id=cy, role="staff"))
        db.session.commit()

    assert snapshot(m, campaign_id, first_cycle) == before, "closed at rollover: unchanged"

    # Further learning after the rollover changes the new cycle, never the closed one.
    complete(clients["bo"], "welcome")
    complete(clients["ana"], "reading-lists")
    complete(clients["cy"], "welcome")
    assert snapshot(m, campaign_id, first_cycle) == before

    # Returning members' 2026 completions count in 2028.
    new_csv = snapshot(m, campaign_id, second_cycle)[1].decode()
    assert "Ana,Staff,67%,0,Completed,Completed,Not started" in new_csv
    assert "Cy,Staff,33%" in new_csv and "Bo" not in new_csv

    # A version bump flags exactly the people who completed the older version.
    module = courses_dir / "basics" / "01-welcome.md"
    module.write_text(module.read_text().replace("version: 1", "version: 2"))
    app.extensions["lms.catalog"].catalog = app.extensions["lms.catalog"]._load()
    new_csv = snapshot(m, campaign_id, second_cycle)[1].decode()
    assert "Ana,Staff,33%,0,Needs refresh (did v1),Completed" in new_csv
    assert "Cy,Staff,0%,0,Needs refresh (did v1)" in new_csv
    assert "Mia Manager,Manager,0%,0,Not started" in new_csv
    assert snapshot(m, campaign_id, first_cycle) == before

    history = m.get(f"/campaigns/{campaign_id}/history").get_data(as_text=True)
    assert "2026" in history and "2028" in history and "Closed" in history

    # The closed cycle is read-only.
    with app.app_context():
        old_membership = db.session.scalar(select(Membership.id).filter_by(
            cycle_id=first_cycle, user_id=bo))
    token = csrf_token(m, f"/campaigns/{campaign_id}/members")
    response = m.post(f"/campaigns/{campaign_id}/members/{old_membership}/remove",
                      data={"csrf_token": token})
    assert response.status_code == 404
