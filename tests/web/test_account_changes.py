"""The account page: change name, password (needs the current one) and email (needs the password,
notifies the old address); refused forms write nothing; changes end every other session."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms import mail
from lms.auth.models import PasswordReset, User
from lms.extensions import db
from tests.conftest import PASSWORD, csrf_token, login

NEW_PASSWORD = "a brand new sentence"


@pytest.fixture
def outbox(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    """Every mail the app sends, as (to, subject, body)."""
    sent: list[tuple[str, str, str]] = []
    monkeypatch.setattr(mail, "send_mail", lambda to, subject, body: sent.append(
        (to, subject, body)))
    return sent


def snapshot(app) -> tuple[list, list]:
    """Everything an account change could write."""
    with app.app_context():
        users = db.session.execute(select(
            User.id, User.name, User.email, User.email_canonical, User.password_hash,
            User.session_generation, User.disabled, User.is_admin, User.is_trainer,
        ).order_by(User.id)).all()
        resets = db.session.execute(
            select(PasswordReset.id, PasswordReset.used_at).order_by(PasswordReset.id)).all()
    return users, resets


def post(client, path: str, data: dict):
    return client.post(path, data={"csrf_token": csrf_token(client, "/account"), **data})


def change_password(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return post(client, "/account/password", {
        "current_password": current, "new_password": new,
        "confirm_password": new if confirm is None else confirm})


def change_email(client, email="sam@home.example", password=PASSWORD):
    return post(client, "/account/email", {"email": email, "password": password})


def test_account_page_needs_login_and_shows_the_three_forms(client, make_user):
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    make_user()
    login(client)
    page = client.get("/account").get_data(as_text=True)
    for text in ("Your account", "sam@example.org", 'action="/account/name"',
                 'action="/account/password"', 'action="/account/email"',
                 'autocomplete="current-password"', 'href="/account"'):
        assert text in page, text


def test_change_name_is_saved_and_escaped(app, logged_in):
    response = post(logged_in, "/account/name", {"name": "  <b>Sam</b> O'Neil  "})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.name)) == "<b>Sam</b> O'Neil"
    page = logged_in.get("/account").get_data(as_text=True)
    assert "&lt;b&gt;Sam&lt;/b&gt;" in page and "<b>Sam</b>" not in page


def test_blank_or_oversize_name_is_refused_with_nothing_written(app, logged_in):
    before = snapshot(app)
    for name in ("   ", "x" * 121):
        response = post(logged_in, "/account/name", {"name": name})
        assert response.status_code == 200
        assert "field--error" in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_change_password_ends_every_other_session_and_keeps_this_one(app, client, make_user,
                                                                     outbox):
    make_user()
    login(client)
    copied_cookie = client.get_cookie("session").value
    other_device = app.test_client()
    login(other_device)
    assert other_device.get("/my").status_code == 200

    response = change_password(client)
    assert response.status_code == 302
    assert client.get("/my").status_code == 200, "the session that made the change carries on"
    assert other_device.get("/my").status_code == 302, "every other session ends"
    replay = app.test_client()
    replay.set_cookie("session", copied_cookie)
    assert replay.get("/my").status_code == 302, "a cookie copied before the change is dead"

    assert login(app.test_client()).status_code == 200, "the old password no longer works"
    assert login(app.test_client(), password=NEW_PASSWORD).status_code == 302
    assert [(to, subject) for to, subject, _ in outbox] == [
        ("sam@example.org", "Your password was changed")]
    assert NEW_PASSWORD not in outbox[0][2]


@pytest.mark.parametrize(("current", "new", "confirm", "message"), [
    ("not my password", NEW_PASSWORD, None, "That is not your current password."),
    (PASSWORD, "short", None, "Use at least 8 characters."),
    (PASSWORD, "password123", None, "too common"),
    (PASSWORD, "x" * 129, None, "at most"),
    (PASSWORD, NEW_PASSWORD, "something else", "do not match"),
    ("", NEW_PASSWORD, None, "This field is required."),
])
def test_refused_password_change_writes_nothing(app, logged_in, outbox, current, new, confirm,
                                                message):
    before = snapshot(app)
    response = change_password(logged_in, current, new, confirm)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page and "Your password was not changed" in page
    assert snapshot(app) == before
    assert outbox == []
    assert logged_in.get("/my").status_code == 200, "a refused change ends no session"


def test_change_email_notifies_the_old_address_and_ends_other_sessions(app, client, make_user,
                                                                       outbox):
    make_user()
    login(client)
    other_device = app.test_client()
    login(other_device)

    response = change_email(client, "Sam@Home.example")
    assert response.status_code == 302
    assert client.get("/my").status_code == 200
    assert other_device.get("/my").status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User))
        assert (user.email, user.email_canonical) == ("Sam@Home.example", "sam@home.example")
    assert len(outbox) == 1
    to, subject, body = outbox[0]
    assert to == "sam@example.org" and subject == "Your email address was changed"
    assert "sam@example.org" in body and "Sam@Home.example" in body
    assert login(app.test_client()).status_code == 200, "the old address no longer logs in"
    assert login(app.test_client(), "sam@home.example").status_code == 302


def test_a_campaign_address_can_go_and_the_person_keeps_everything(app, client, make_user,
                                                                   make_campaign, outbox):
    from lms.catalog_store import current_catalog
    from lms.progress import services as progress
    from lms.progress.models import Completion

    user_id = make_user("sam@lopezforhouse.example")
    make_campaign({user_id: "manager"})
    with app.app_context():
        module = current_catalog().course("basics").modules[0]
        progress.complete_module(user_id, module)
        db.session.commit()
    login(client, "sam@lopezforhouse.example")
    assert change_email(client, "sam@home.example").status_code == 302
    personal = app.test_client()
    login(personal, "sam@home.example")
    assert "Lopez for House" in personal.get("/campaigns/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Completion.user_id)) == user_id


@pytest.mark.parametrize(("email", "password", "message"), [
    ("Bo@EXAMPLE.org", PASSWORD, "Another account uses this email address."),
    ("ｂｏ@example.org", PASSWORD, "Another account uses this email address."),
    ("sam@home.example", "not my password", "That is not your password."),
    (" sam@example.org ", PASSWORD, "That is already your email address."),
    ("not an address", PASSWORD, "Enter an email address"),
    ("sam@home.example", "", "This field is required."),
])
def test_refused_email_change_writes_nothing_and_sends_nothing(app, logged_in, make_user, outbox,
                                                               email, password, message):
    make_user("bo@example.org", "Bo")
    before = snapshot(app)
    response = change_email(logged_in, email, password)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert snapshot(app) == before
    assert outbox == []


def test_email_change_cancels_pending_reset_links(app, logged_in, outbox):
    from lms.auth import resets

    with app.app_context():
        _, token = resets.create_reset("sam@example.org")
        db.session.commit()
    assert change_email(logged_in).status_code == 302
    with app.app_context(), pytest.raises(resets.ResetUnusable):
        resets.check_reset(token)


def test_wrong_current_passwords_are_throttled(logged_in, outbox):
    statuses = [change_password(logged_in, current=f"guess {i}").status_code for i in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


def test_account_posts_need_a_csrf_token(app, logged_in):
    before = snapshot(app)
    for path, data in [("/account/name", {"name": "Mallory"}),
                       ("/account/password", {"current_password": PASSWORD,
                                              "new_password": NEW_PASSWORD,
                                              "confirm_password": NEW_PASSWORD}),
                       ("/account/email", {"email": "m@evil.example", "password": PASSWORD})]:
        assert logged_in.post(path, data=data).status_code == 400, path
    assert snapshot(app) == before


def test_changing_only_the_case_of_the_address_is_allowed(app, logged_in, outbox):
    assert change_email(logged_in, "Sam@Example.org").status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User))
        assert (user.email, user.email_canonical) == ("Sam@Example.org", "sam@example.org")
