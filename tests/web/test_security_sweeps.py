"""Sweeps over every route: CSRF on every POST, no write on any GET, headers everywhere."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from lms.extensions import db
from tests.conftest import csrf_token, login

ROLES = ["anonymous", "learner", "staff", "manager", "trainer", "admin"]


def row_counts(app) -> dict[str, int]:
    with app.app_context():
        return {table.name: db.session.scalar(select(func.count()).select_from(table))
                for table in db.metadata.sorted_tables}


def fill(rule, values: dict[str, str]) -> str:
    """A URL for the rule, with real ids where the world has them."""
    args = {}
    for name in rule.arguments:
        converter = type(rule._converters[name]).__name__
        args[name] = values.get(name, "1" if converter == "IdConverter" else "x")
    path = rule.rule
    for name, value in args.items():
        path = path.replace(f"<{name}>", str(value))
        for prefix in ("id", "path", "int", "string"):
            path = path.replace(f"<{prefix}:{name}>", str(value))
    return path


@pytest.fixture
def world(app, make_user, make_campaign):
    """Someone in every role, a campaign with a plan, an invite, an attempt."""
    from lms.campaigns import services
    from lms.campaigns.models import Campaign, Membership

    ids = {role: make_user(f"{role}@example.org", role.title(), trainer=role == "trainer",
                           admin=role == "admin") for role in ROLES[1:]}
    campaign_id = make_campaign({ids["manager"]: "manager", ids["staff"]: "staff"},
                                plan=[("basics", "staff", 10)])
    with app.app_context():
        cycle = db.session.get(Campaign, campaign_id).current_cycle
        invite, token = services.create_invite(cycle, ids["manager"], "staff", 3, 5)
        membership = db.session.scalar(select(Membership.id).filter_by(user_id=ids["staff"]))
        db.session.commit()
        values = {"campaign_id": campaign_id, "cycle_id": cycle.id, "invite_id": invite.id,
                  "membership_id": membership, "token": token, "course_key": "quizzing",
                  "module_key": "canvass", "quiz_id": "canvass-check",
                  "filename": "images/map.svg", "user_id": ids["staff"]}
    return values


def client_as(app, role):
    client = app.test_client()
    if role != "anonymous":
        assert login(client, f"{role}@example.org").status_code == 302
    return client


def test_every_post_without_a_csrf_token_is_refused_and_writes_nothing(app, world):
    client = client_as(app, "admin")
    before = row_counts(app)
    posts = [r for r in app.url_map.iter_rules() if "POST" in r.methods]
    assert len(posts) >= 10
    for rule in posts:
        response = client.post(fill(rule, world), data={"name": "x", "email": "x@example.org"})
        assert response.status_code == 400, rule.rule
    assert row_counts(app) == before


def test_unsafe_requests_from_another_site_are_refused(app, world):
    client = client_as(app, "admin")
    token = csrf_token(client, "/my")
    response = client.post("/logout", data={"csrf_token": token},
                           headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert client.get("/my").status_code == 200  # still logged in: the logout was refused


@pytest.mark.parametrize("role", ROLES)
def test_no_get_writes_to_the_database(app, world, role):
    client = client_as(app, role)
    writes = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            writes.append(statement)

    gets = [r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint != "static"]
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        for rule in gets:
            response = client.get(fill(rule, world))
            assert response.status_code < 500, rule.rule
            response.close()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert writes == []


def test_security_headers_on_every_route_error_and_static_file(app, world):
    client = client_as(app, "manager")
    paths = [fill(r, world) for r in app.url_map.iter_rules() if "GET" in r.methods
             and r.endpoint != "static"]
    paths += ["/static/css/app.css", "/no/such/page", "/courses/nope/"]
    for path in paths:
        response = client.get(path)
        headers = response.headers
        csp = headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
        assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert "base-uri" in csp
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["X-Frame-Options"] == "DENY", path
        assert headers["Referrer-Policy"] == "same-origin", path
        if not path.startswith("/static"):
            assert headers.get("Cache-Control") == "no-store", path  # signed in
        response.close()


def test_no_token_ever_appears_in_a_url(app, world):
    client = client_as(app, "manager")
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.endpoint != "static":
            html = client.get(fill(rule, world)).get_data(as_text=True)
            assert "csrf_token=" not in html and "submission=" not in html, rule.rule
