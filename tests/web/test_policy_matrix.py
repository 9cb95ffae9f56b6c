"""Every campaign route times every kind of viewer: 200, 302 to login, 403 or 404."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.campaigns.models import Campaign, Invite, Membership
from lms.extensions import db
from tests.conftest import csrf_token, login

VIEWERS = ["anonymous", "outsider", "former", "volunteer", "staff", "manager", "candidate",
           "trainer", "admin"]
# route -> viewers answered 200 (or 302 after a POST); others get 403 when in the campaign,
# 404 when not, and a redirect to login when anonymous.
GET_ROUTES = {
    "/campaigns/{c}": {"former", "volunteer", "staff", "manager", "candidate", "trainer",
                       "admin"},
    "/campaigns/{c}/plan": {"volunteer", "staff", "manager", "candidate", "trainer", "admin"},
    "/campaigns/{c}/dashboard": {"manager", "candidate", "trainer", "admin"},
    "/campaigns/{c}/cycles/{cy}/dashboard": {"manager", "candidate", "trainer", "admin"},
    "/campaigns/{c}/cycles/{cy}/dashboard.csv": {"manager", "candidate", "trainer", "admin"},
    "/campaigns/{c}/members": {"manager", "candidate", "trainer", "admin"},
    "/campaigns/{c}/history": {"manager", "candidate", "trainer", "admin"},
    "/campaigns/{c}/invites": {"manager", "candidate", "admin"},
    "/campaigns/{c}/rollover": {"manager", "candidate", "trainer", "admin"},
}
MANAGERS = {"manager", "candidate", "admin"}
POST_ROUTES = {
    "/campaigns/{c}/plan": (MANAGERS, {"rows-0-course_key": "basics", "rows-0-roles": "staff"}),
    "/campaigns/{c}/invites": (MANAGERS, {"role": "staff", "days": "3", "max_uses": "1"}),
    "/campaigns/{c}/invites/{i}/revoke": (MANAGERS, {}),
    "/campaigns/{c}/members/{m}/role": (MANAGERS, {"role": "volunteer"}),
    "/campaigns/{c}/members/{m}/remove": (MANAGERS, {}),
}


@pytest.fixture
def world(app, make_user, make_campaign):
    ids = {name: make_user(f"{name}@example.org", name.title(), trainer=name == "trainer",
                           admin=name == "admin") for name in VIEWERS[1:]}
    campaign_id = make_campaign({ids[r]: "staff" if r == "former" else r for r in (
        "manager", "candidate", "staff", "volunteer", "former")})
    target = make_user("target@example.org", "Target")
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        cycle = campaign.current_cycle
        db.session.add(Membership(cycle_id=cycle.id, user_id=target, role="staff"))
        former = db.session.scalar(select(Membership).filter_by(user_id=ids["former"]))
        from lms.models import utcnow

        former.removed_at = utcnow()
        cycle_id = cycle.id
        db.session.commit()
    return {"c": campaign_id, "cy": cycle_id}, target


def client_for(app, viewer):
    client = app.test_client()
    if viewer != "anonymous":
        login(client, f"{viewer}@example.org")
    return client


def expected(viewer, allowed, ok=200):
    if viewer in allowed:
        return ok
    return {"anonymous": 302, "outsider": 404}.get(viewer, 403)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_get_matrix(app, world, viewer):
    ids, _ = world
    client = client_for(app, viewer)
    for route, allowed in GET_ROUTES.items():
        response = client.get(route.format(**ids))
        assert response.status_code == expected(viewer, allowed), (viewer, route)
        if viewer == "anonymous":
            assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_post_matrix(app, world, viewer):
    ids, target = world
    client = client_for(app, viewer)
    for route, (allowed, data) in POST_ROUTES.items():
        with app.app_context():
            from lms.campaigns import services

            cycle = db.session.get(Campaign, ids["c"]).current_cycle
            invite, _ = services.create_invite(cycle, target, "staff", 3, 5)
            membership = db.session.scalar(select(Membership).filter_by(user_id=target))
            membership.removed_at, membership.role = None, "staff"
            db.session.commit()
            path = route.format(**ids, i=invite.id, m=membership.id)
        token = csrf_token(client, "/login")
        response = client.post(path, data={"csrf_token": token, **data})
        want = expected(viewer, allowed, 302)
        if viewer in allowed and route.endswith("/invites"):
            want = 200  # the new link is shown once, on the page
        assert response.status_code == want, (viewer, route, response.status_code)


def test_an_invite_id_of_another_campaign_is_not_found(app, world, make_user, make_campaign):
    ids, _ = world
    other_manager = make_user("om@example.org", "Other")
    other = make_campaign({other_manager: "manager"}, name="Other campaign")
    with app.app_context():
        from lms.campaigns import services

        invite, _ = services.create_invite(db.session.get(Campaign, other).current_cycle,
                                           other_manager, "staff", 3, 5)
        db.session.commit()
        invite_id = invite.id
    client = client_for(app, "manager")
    response = client.post(f"/campaigns/{ids['c']}/invites/{invite_id}/revoke",
                           data={"csrf_token": csrf_token(client, "/login")})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Invite, invite_id).revoked_at is None
