"""Hostile form input for login, registration, quiz submission and invite acceptance:
a 400 or a form error, nothing written, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from tests.conftest import PASSWORD, csrf_token, login

HOSTILE_STRINGS = [
    "x" * 5000,  # oversize for every field
    "nul\x00byte",
    "",
]
PAYLOAD_NAME = '<img src=x onerror=alert(1)>"><script>alert(2)</script>'



def row_counts(app) -> dict[str, int]:
    with app.app_context():
        return {t.name: db.session.scalar(select(func.count()).select_from(t))
                for t in db.metadata.sorted_tables}


@pytest.mark.parametrize("value", HOSTILE_STRINGS)
def test_registration_refuses_hostile_values(app, client, value):
    before = row_counts(app)
    for field in ("name", "email", "password"):
        data = {"name": "Ana", "email": "ana@example.org", "password": PASSWORD,
                "confirm": PASSWORD, field: value, "csrf_token": csrf_token(client, "/register")}
        if field == "password":
            data["confirm"] = value
        response = client.post("/register", data=data)
        assert response.status_code in (200, 400), (field, value[:20])
    # a long-but-valid name is cut by the form, never stored oversize
    assert row_counts(app) == before


def test_duplicated_fields_and_wrong_types(app, client):
    token = csrf_token(client, "/register")
    before = row_counts(app)
    response = client.post("/register", data={
        "name": ["Ana", "Bo"], "email": "ana@example.org", "password": PASSWORD,
        "confirm": PASSWORD, "csrf_token": token})
    assert response.status_code == 400
    response = client.post("/login", data={"email": ["a@example.org", "b@example.org"],
                                           "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 400
    assert row_counts(app) == before


@pytest.mark.parametrize("email", [
    "ana@exаmple.org",  # Cyrillic a
    "аna@example.org",
    "ana@example.org\u200b",  # zero-width space
    "ana@@example.org",
    "ana@example",
    "ana example@example.org",
])
def test_lookalike_and_malformed_emails_cannot_register(app, client, email):
    before = row_counts(app)
    token = csrf_token(client, "/register")
    response = client.post("/register", data={"name": "Ana", "email": email,
                                              "password": PASSWORD, "confirm": PASSWORD,
                                              "csrf_token": token})
    assert response.status_code == 200 and "Enter an email address" in response.get_data(
        as_text=True)
    assert row_counts(app) == before


def test_login_with_hostile_values_is_a_form_error(app, client, make_user):
    make_user()
    before = row_counts(app)
    for value in HOSTILE_STRINGS:
        response = login(client, email=value or "sam@example.org", password=value or "x")
        response = login(client, email="' OR 1=1 --", password="' OR 1=1 --")
        assert response.status_code in (200, 400)
    assert row_counts(app) == before


def test_oversize_bodies_are_refused(app, client):
    token = csrf_token(client, "/register")
    response = client.post("/register", data={"name": "x" * (2 * 1024 * 1024),
                                              "csrf_token": token})
    assert response.status_code == 413


@pytest.mark.parametrize("path", [
    "/campaigns/99999999999999999999999999",
    "/campaigns/0", "/campaigns/-1", "/campaigns/1e3",
    "/courses/quizzing/canvass/quiz/canvass-check/attempts/99999999999999999999999",
])
def test_huge_and_odd_ids_are_not_found(logged_in, path):
    assert logged_in.get(path).status_code == 404


def test_invite_acceptance_refuses_hostile_tokens(app, logged_in):
    before = row_counts(app)
    token = csrf_token(logged_in, "/my")
    for bad in ["x" * 300, "%00", "..%2F..%2Fetc", "' OR 1=1 --"]:
        response = logged_in.post(f"/join/{bad}", data={"csrf_token": token})
        assert response.status_code in (400, 404), bad
    assert row_counts(app) == before


def test_quiz_submission_with_nul_and_duplicates(app, logged_in):
    html = logged_in.get("/courses/quizzing/canvass").get_data(as_text=True)
    import re

    submission = re.search(r'name="submission" type="hidden" value="([0-9a-f]{32})"',
                           html).group(1)
    token = csrf_token(logged_in, "/courses/quizzing/canvass")
    before = row_counts(app)
    for data in ({"q-door-app": "a\x00b"}, {"submission": [submission, submission]},
                 {"q-pace": "1" * 10000}):
        payload = {"csrf_token": token, "submission": submission, **data}
        response = logged_in.post("/courses/quizzing/canvass/quiz/canvass-check", data=payload)
        assert response.status_code in (400, 413)
    assert row_counts(app) == before


def test_a_name_that_is_an_html_payload_is_escaped_on_every_page(app, make_user,
                                                                 make_campaign):
    """R04: people's names are autoescaped wherever they appear, CSV included."""
    from lms.campaigns.models import Campaign

    manager = make_user("m@example.org", "Mia")
    staff = make_user("payload@example.org", PAYLOAD_NAME)
    campaign_id = make_campaign({manager: "manager", staff: "staff"},
                                plan=[("basics", "staff", None)])
    with app.app_context():
        cycle_id = db.session.get(Campaign, campaign_id).current_cycle.id
    for email in ("m@example.org", "payload@example.org"):
        client = app.test_client()
        login(client, email)
        for path in ["/my", "/campaigns/", f"/campaigns/{campaign_id}",
                     f"/campaigns/{campaign_id}/dashboard", f"/campaigns/{campaign_id}/members",
                     f"/campaigns/{campaign_id}/rollover", f"/campaigns/{campaign_id}/history"]:
            html = client.get(path).get_data(as_text=True)
            assert "<script>alert(2)" not in html and "<img src=x" not in html, path
    client = app.test_client()
    login(client, "m@example.org")
    dashboard = client.get(f"/campaigns/{campaign_id}/dashboard").get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;" in dashboard
    csv = client.get(f"/campaigns/{campaign_id}/cycles/{cycle_id}/dashboard.csv").get_data(
        as_text=True)
    assert PAYLOAD_NAME.replace('"', '""') in csv  # CSV is text, quoted, never HTML
