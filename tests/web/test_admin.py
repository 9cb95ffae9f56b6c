"""The admin pages: only admins; search and pages of people; disable and enable (effective on the
next request, R24); grant and revoke trainer and admin (logged, fresh sessions, R22/R44); nobody
locks themselves out; every POST needs its CSRF token and a refused one writes nothing."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from lms.admin.queries import PER_PAGE
from lms.auth.models import User
from lms.extensions import db
from tests.conftest import PASSWORD, csrf_token, login


@pytest.fixture
def people(app, make_user):
    """An admin, a trainer and a learner; returns their ids by name."""
    return {
        "admin": make_user("admin@example.org", "Ada Admin", admin=True),
        "trainer": make_user("trainer@example.org", "Tess Trainer", trainer=True),
        "learner": make_user("sam@example.org", "Sam Staffer"),
    }


def signed_in(app, who: str):
    client = app.test_client()
    assert login(client, f"{who}@example.org" if who != "learner" else "sam@example.org"
                 ).status_code == 302
    return client


def post(client, path: str):
    return client.post(path, data={"csrf_token": csrf_token(client, "/my")})


def flags(app, user_id: int) -> tuple[bool, bool, bool, int]:
    with app.app_context():
        user = db.session.get(User, user_id)
        return user.disabled, user.is_trainer, user.is_admin, user.session_generation


def all_users(app) -> list:
    with app.app_context():
        return db.session.execute(select(
            User.id, User.disabled, User.is_trainer, User.is_admin, User.session_generation,
        ).order_by(User.id)).all()


def admin_routes(app, target: int) -> list[tuple[str, str]]:
    """Every admin rule from the URL map, as (method, path): new routes are covered by default."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin."):
            continue
        roles = ["trainer", "admin"] if "role" in rule.arguments else [None]
        for role in roles:
            values = {"user_id": target, "role": role} if role else {"user_id": target}
            path = rule.build({k: v for k, v in values.items() if k in rule.arguments})[1]
            routes += [(method, path) for method in sorted(rule.methods & {"GET", "POST"})]
    return routes


def test_admin_routes_are_for_admins_only(app, people):
    routes = admin_routes(app, people["learner"])
    assert len(routes) >= 8
    before = all_users(app)
    for who in ("learner", "trainer"):
        client = signed_in(app, who)
        for method, path in routes:
            response = post(client, path) if method == "POST" else client.get(path)
            assert response.status_code == 403, (who, method, path)
    anonymous = app.test_client()
    for method, path in routes:
        response = (anonymous.post(path, data={"csrf_token": csrf_token(anonymous)})
                    if method == "POST" else anonymous.get(path))
        assert response.status_code == 302, (method, path)
        assert "/login" in response.headers["Location"]
    assert all_users(app) == before, "no refused request wrote anything"


def test_admin_posts_need_a_csrf_token(app, people):
    client = signed_in(app, "admin")
    before = all_users(app)
    for method, path in admin_routes(app, people["learner"]):
        if method == "POST":
            assert client.post(path).status_code == 400, path
    assert all_users(app) == before


def test_header_links_account_for_everyone_and_admin_for_admins(app, people):
    learner_page = signed_in(app, "learner").get("/my").get_data(as_text=True)
    assert 'href="/account"' in learner_page and 'href="/admin/people"' not in learner_page
    admin_page = signed_in(app, "admin").get("/my").get_data(as_text=True)
    assert 'href="/account"' in admin_page and 'href="/admin/people"' in admin_page


def test_people_list_searches_names_and_emails_case_insensitively(app, people, make_user):
    make_user("x_percent@example.org", "Perc <b>Ent</b>")
    client = signed_in(app, "admin")
    page = client.get("/admin/people").get_data(as_text=True)
    for name in ("Ada Admin", "Tess Trainer", "Sam Staffer", "Perc &lt;b&gt;Ent&lt;/b&gt;"):
        assert name in page
    assert "<b>Ent</b>" not in page
    found = client.get("/admin/people?q=TESS").get_data(as_text=True)
    assert "Tess Trainer" in found and "Sam Staffer" not in found
    found = client.get("/admin/people?q=SAM@EXAMPLE").get_data(as_text=True)
    assert "Sam Staffer" in found and "Tess Trainer" not in found
    # LIKE wildcards in the search are plain characters
    assert "Sam Staffer" not in client.get("/admin/people?q=%25").get_data(as_text=True)
    found = client.get("/admin/people?q=x_p").get_data(as_text=True)
    assert "Perc" in found and "Sam Staffer" not in found
    assert "No one matches" in client.get("/admin/people?q=zzz").get_data(as_text=True)


def test_people_list_is_paginated(app, people):
    from lms.auth.models import User as Model

    with app.app_context():
        db.session.add_all(Model(name=f"Person {i:03d}", email=f"p{i}@example.org",
                                 email_canonical=f"p{i}@example.org", password_hash="x")
                           for i in range(PER_PAGE + 5))
        db.session.commit()
    client = signed_in(app, "admin")
    first = client.get("/admin/people").get_data(as_text=True)
    assert "Page 1 of 2" in first and 'rel="next"' in first and "Person 000" in first
    second = client.get("/admin/people?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second and "Person 000" not in second and "Tess Trainer" in second
    assert "Page 2 of 2" in client.get("/admin/people?page=99").get_data(as_text=True)
    for bad in ("page=0", "page=abc", "page=99999999999999999999", "q=" + "x" * 300):
        assert client.get(f"/admin/people?{bad}").status_code == 400, bad


def count_queries(app, client, path: str) -> int:
    from sqlalchemy import event

    statements = []

    def listener(connection, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(statements)


def test_people_list_takes_a_fixed_number_of_queries(app, people, make_user):
    client = signed_in(app, "admin")
    few = count_queries(app, client, "/admin/people")
    for i in range(20):
        make_user(f"extra{i}@example.org", f"Extra {i}", trainer=i % 2 == 0)
    assert count_queries(app, client, "/admin/people") == few


def test_person_page_shows_access_and_campaigns(app, people, make_campaign):
    make_campaign({people["learner"]: "manager"})
    client = signed_in(app, "admin")
    page = client.get(f"/admin/people/{people['learner']}").get_data(as_text=True)
    assert "Sam Staffer" in page and "sam@example.org" in page and "Lopez for House" in page
    assert "Make trainer" in page and "Disable account" in page
    assert client.get("/admin/people/999999").status_code == 404
    assert client.get("/admin/people/99999999999999999999999").status_code == 404


def test_disabling_ends_the_session_on_the_next_request(app, people):
    learner = signed_in(app, "learner")
    copied_cookie = learner.get_cookie("session").value
    assert learner.get("/my").status_code == 200
    admin = signed_in(app, "admin")
    assert post(admin, f"/admin/people/{people['learner']}/disable").status_code == 302
    assert flags(app, people["learner"])[0] is True
    response = learner.get("/my")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert login(app.test_client()).status_code == 200, "a disabled person cannot log in"

    assert post(admin, f"/admin/people/{people['learner']}/enable").status_code == 302
    assert flags(app, people["learner"])[0] is False
    replay = app.test_client()
    replay.set_cookie("session", copied_cookie)
    assert replay.get("/my").status_code == 302, "re-enabling does not revive old sessions"
    assert login(app.test_client()).status_code == 302


def test_the_user_loader_refuses_a_disabled_person_even_with_a_current_cookie(app, people):
    """R24 without the generation bump: the loader itself checks `disabled`."""
    learner = signed_in(app, "learner")
    with app.app_context():
        db.session.get(User, people["learner"]).disabled = True
        db.session.commit()
    assert learner.get("/my").status_code == 302


def test_granting_and_revoking_roles(app, people, caplog):
    admin = signed_in(app, "admin")
    learner_id = people["learner"]
    learner = signed_in(app, "learner")
    with caplog.at_level(logging.INFO, logger="lms.auth"):
        assert post(admin, f"/admin/people/{learner_id}/grant/trainer").status_code == 302
        assert flags(app, learner_id)[1:3] == (True, False)
        assert learner.get("/my").status_code == 302, "a privilege change: log in afresh (R22)"
        learner = signed_in(app, "learner")
        assert learner.get("/campaigns/").status_code == 200

        assert post(admin, f"/admin/people/{learner_id}/grant/admin").status_code == 302
        learner = signed_in(app, "learner")
        assert learner.get("/admin/people").status_code == 200

        assert post(admin, f"/admin/people/{learner_id}/revoke/admin").status_code == 302
        assert learner.get("/admin/people").status_code == 302, "takes effect at once (R24)"
        learner = signed_in(app, "learner")
        assert learner.get("/admin/people").status_code == 403

        assert post(admin, f"/admin/people/{learner_id}/revoke/trainer").status_code == 302
    assert flags(app, learner_id)[1:3] == (False, False)
    admin_id = people["admin"]
    messages = [r.getMessage() for r in caplog.records if r.name == "lms.auth"]
    assert f"user {admin_id} granted the trainer role to user {learner_id}" in messages
    assert f"user {admin_id} granted the admin role to user {learner_id}" in messages
    assert f"user {admin_id} revoked the admin role from user {learner_id}" in messages
    assert f"user {admin_id} revoked the trainer role from user {learner_id}" in messages
    assert not any(PASSWORD in m for m in messages)


def test_an_unknown_role_is_not_found(app, people):
    admin = signed_in(app, "admin")
    before = all_users(app)
    for action in ("grant", "revoke"):
        for role in ("superuser", "disabled", "is_admin"):
            path = f"/admin/people/{people['learner']}/{action}/{role}"
            assert post(admin, path).status_code == 404, path
    assert all_users(app) == before


def test_a_repeated_change_changes_nothing(app, people):
    admin = signed_in(app, "admin")
    post(admin, f"/admin/people/{people['trainer']}/grant/trainer")
    assert flags(app, people["trainer"]) == (False, True, False, 0)


def test_an_admin_cannot_lock_themselves_out(app, people):
    admin = signed_in(app, "admin")
    before = all_users(app)
    for action in ("revoke/admin", "disable"):
        response = post(admin, f"/admin/people/{people['admin']}/{action}")
        assert response.status_code == 400
        assert "cannot" in response.get_data(as_text=True)
    assert all_users(app) == before
    assert admin.get("/admin/people").status_code == 200
    page = admin.get(f"/admin/people/{people['admin']}").get_data(as_text=True)
    assert "Remove admin role" not in page and "Disable account" not in page


def test_another_admin_can_demote_an_admin(app, people, make_user):
    second = make_user("second@example.org", "Second Admin", admin=True)
    admin = signed_in(app, "admin")
    assert post(admin, f"/admin/people/{second}/revoke/admin").status_code == 302
    assert flags(app, second)[2] is False


def test_changing_your_own_role_gives_you_a_fresh_session(app, people):
    admin = signed_in(app, "admin")
    copied_cookie = admin.get_cookie("session").value
    assert post(admin, f"/admin/people/{people['admin']}/grant/trainer").status_code == 302
    assert flags(app, people["admin"])[1] is True
    assert admin.get("/admin/people").status_code == 200, "the acting admin stays logged in"
    replay = app.test_client()
    replay.set_cookie("session", copied_cookie)
    assert replay.get("/my").status_code == 302, "on a new session: the old cookie is dead"


def test_disabled_admins_lose_admin_access(app, people, make_user):
    second = make_user("second@example.org", "Second Admin", admin=True)
    other = app.test_client()
    login(other, "second@example.org")
    admin = signed_in(app, "admin")
    assert post(admin, f"/admin/people/{second}/disable").status_code == 302
    assert other.get("/admin/people").status_code == 302
