"""Registration, login, logout and sessions through the test client."""

from __future__ import annotations

from sqlalchemy import func, select

from lms.auth.models import User
from lms.extensions import db
from tests.conftest import PASSWORD, csrf_token, login


def register(client, email="ana@example.org", name="Ana", password=PASSWORD, confirm=None):
    token = csrf_token(client, "/register")
    return client.post("/register", data={
        "name": name, "email": email, "password": password,
        "confirm": password if confirm is None else confirm, "csrf_token": token,
    })


def user_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_register_logs_in_and_first_account_is_admin(app, client):
    response = register(client)
    assert response.status_code == 302
    assert client.get("/my").status_code == 200
    client2 = app.test_client()
    assert register(client2, email="bo@example.org", name="Bo").status_code == 302
    with app.app_context():
        admins = {u.email: u.is_admin for u in db.session.scalars(select(User))}
    assert admins == {"ana@example.org": True, "bo@example.org": False}


def test_duplicate_email_in_another_case_is_refused(app, client):
    register(client, email="Ana@Example.org")
    other = app.test_client()
    response = register(other, email="  ana@EXAMPLE.ORG ")
    assert response.status_code == 200
    assert "already exists" in response.get_data(as_text=True)
    assert user_count(app) == 1


def test_lookalike_fullwidth_email_is_the_same_identity(app, client):
    register(client, email="ana@example.org")
    response = register(app.test_client(), email="ａｎａ@example.org")
    assert "already exists" in response.get_data(as_text=True)
    assert user_count(app) == 1


def test_weak_and_mismatched_passwords_are_form_errors(app, client):
    assert "at least 8" in register(client, password="short").get_data(as_text=True)
    assert "too common" in register(client, password="password123").get_data(as_text=True)
    assert "do not match" in register(client, confirm="something else").get_data(as_text=True)
    assert user_count(app) == 0


def test_login_failure_does_not_reveal_whether_email_exists(client, make_user):
    make_user()
    wrong_password = login(client, password="not the password").get_data(as_text=True)
    unknown_email = login(client, email="nobody@example.org").get_data(as_text=True)
    message = "That email and password do not match an account."
    assert message in wrong_password and message in unknown_email
    assert client.get("/my").status_code == 302


def test_logout_ends_the_session_on_the_server(client, make_user):
    make_user()
    assert login(client).status_code == 302
    copied_cookie = client.get_cookie("session").value
    token = csrf_token(client, "/my")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/my").status_code == 302
    client.set_cookie("session", copied_cookie)
    assert client.get("/my").status_code == 302, "a copied cookie must stop working"


def test_login_redirects_only_to_local_paths(client, make_user):
    make_user()
    for target, expected in [("/courses/basics/", "/courses/basics/"), ("//evil.example", "/my"),
                             ("/\\evil.example", "/my"), ("javascript:alert(1)", "/my"),
                             ("https://evil.example/", "/my")]:
        token = csrf_token(client, "/login")
        response = client.post(f"/login?next={target}", data={
            "email": "sam@example.org", "password": PASSWORD, "csrf_token": token})
        assert response.headers["Location"] == expected, target
        client.post("/logout", data={"csrf_token": csrf_token(client, "/my")})


def test_post_without_csrf_token_is_refused_and_writes_nothing(app, client):
    response = client.post("/register", data={
        "name": "Ana", "email": "ana@example.org", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 400
    assert user_count(app) == 0


def test_closed_registration(app_config, monkeypatch, tmp_path):
    from lms import create_app

    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({**app_config, "REGISTRATION_OPEN": False})
    assert app.test_client().get("/register").status_code == 404


def test_login_is_throttled_after_repeated_failures(client, make_user):
    make_user()
    statuses = [login(client, password=f"wrong password {i}").status_code for i in range(12)]
    assert statuses[:10] == [200] * 10
    assert statuses[-1] == 429
