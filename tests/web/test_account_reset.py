"""Password reset by emailed link: the same answer for unknown addresses, a hashed random token
that expires and works once (even under concurrency), links from BASE_URL, throttling, the log
fallback without SMTP, and every session ended by the new password."""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from lms import mail
from lms.auth import resets
from lms.auth.models import PasswordReset, User
from lms.extensions import db
from lms.models import utcnow
from tests.conftest import PASSWORD, csrf_token, login

NEW_PASSWORD = "a brand new sentence"
LINK = re.compile(r"https?://\S+/reset/([A-Za-z0-9_-]+)")


@pytest.fixture
def outbox(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    sent: list[tuple[str, str, str]] = []
    monkeypatch.setattr(mail, "send_mail", lambda to, subject, body: sent.append(
        (to, subject, body)))
    return sent


def ask(client, email="sam@example.org", **kwargs):
    return client.post("/reset", data={"email": email,
                                       "csrf_token": csrf_token(client, "/reset")}, **kwargs)


def token_from(outbox) -> str:
    (_, _, body), = [m for m in outbox if m[1] == "Reset your password"]
    return LINK.search(body).group(1)


def open_link(client, token: str):
    response = client.get(f"/reset/{token}")
    assert response.status_code == 302 and response.headers["Location"] == "/reset/password"
    return client.get("/reset/password")


def choose(client, password=NEW_PASSWORD, confirm=None):
    return client.post("/reset/password", data={
        "new_password": password, "confirm_password": password if confirm is None else confirm,
        "csrf_token": csrf_token(client, "/reset")})


def reset_rows(app) -> list:
    with app.app_context():
        return db.session.execute(select(PasswordReset.token_hash, PasswordReset.used_at,
                                         PasswordReset.expires_at)).all()


def password_hash(app) -> str:
    with app.app_context():
        return db.session.scalar(select(User.password_hash))


def test_login_page_links_to_the_reset_form(client):
    assert 'href="/reset"' in client.get("/login").get_data(as_text=True)
    assert client.get("/reset").status_code == 200


def test_the_whole_reset_flow(app, client, make_user, outbox):
    make_user()
    response = ask(client)
    assert response.status_code == 302 and response.headers["Location"] == "/reset/sent"
    assert "Check your email" in client.get("/reset/sent").get_data(as_text=True)
    to, subject, body = outbox[0]
    assert (to, subject) == ("sam@example.org", "Reset your password")
    token = token_from(outbox)
    assert len(token) >= 43, "at least 256 bits of randomness"

    (stored, used_at, expires_at), = reset_rows(app)
    assert stored == hashlib.sha256(token.encode()).hexdigest(), "only the hash is stored"
    assert used_at is None
    assert timedelta(minutes=59) < expires_at - utcnow() <= timedelta(hours=1)

    form = open_link(client, token)
    assert form.status_code == 200 and "sam@example.org" in form.get_data(as_text=True)
    assert token not in form.get_data(as_text=True), "the token leaves the page and the URL"
    response = choose(client)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert login(app.test_client()).status_code == 200, "the old password is gone"
    assert login(app.test_client(), password=NEW_PASSWORD).status_code == 302
    assert reset_rows(app)[0][1] is not None, "the link is marked used"
    assert [m[1] for m in outbox] == ["Reset your password", "Your password was changed"]


def test_an_unknown_address_gets_the_same_answer_and_nothing_is_sent(app, client, make_user,
                                                                     outbox):
    make_user()
    known = ask(client)
    unknown = ask(app.test_client(), "nobody@example.org")
    assert (known.status_code, known.headers["Location"]) == (
        unknown.status_code, unknown.headers["Location"])
    assert [m[0] for m in outbox] == ["sam@example.org"]
    assert len(reset_rows(app)) == 1


def test_a_disabled_account_gets_no_link(app, client, make_user, outbox):
    user_id = make_user()
    with app.app_context():
        db.session.get(User, user_id).disabled = True
        db.session.commit()
    assert ask(client).headers["Location"] == "/reset/sent"
    assert outbox == [] and reset_rows(app) == []


def test_a_link_stops_working_when_its_account_is_disabled(app, client, make_user, outbox):
    user_id = make_user()
    ask(client)
    with app.app_context():
        db.session.get(User, user_id).disabled = True
        db.session.commit()
    assert open_link(client, token_from(outbox)).status_code == 404
    before = password_hash(app)
    assert choose(client).status_code == 404
    assert password_hash(app) == before


def test_setting_a_new_password_ends_every_session(app, client, make_user, outbox):
    make_user()
    signed_in = app.test_client()
    login(signed_in)
    copied_cookie = signed_in.get_cookie("session").value
    ask(client)
    open_link(client, token_from(outbox))
    assert choose(client).status_code == 302
    assert signed_in.get("/my").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", copied_cookie)
    assert replay.get("/my").status_code == 302


def test_a_link_works_once(app, client, make_user, outbox):
    make_user()
    ask(client)
    token = token_from(outbox)
    open_link(client, token)
    assert choose(client).status_code == 302
    again = app.test_client()
    page = open_link(again, token)
    assert page.status_code == 410 and "already been used" in page.get_data(as_text=True)
    before = password_hash(app)
    assert choose(again, "yet another sentence").status_code == 410
    assert password_hash(app) == before


def test_an_expired_link_is_refused(app, client, make_user, outbox):
    make_user()
    ask(client)
    with app.app_context():
        db.session.execute(update(PasswordReset).values(expires_at=utcnow() - timedelta(
            seconds=1)))
        db.session.commit()
    page = open_link(client, token_from(outbox))
    assert page.status_code == 410 and "expired" in page.get_data(as_text=True)
    before = password_hash(app)
    assert choose(client).status_code == 410
    assert password_hash(app) == before


@pytest.mark.parametrize("tamper", [
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
    lambda t: t[:-3],
    lambda t: t + "x" * 80,
    lambda t: "not-a-token",
])
def test_a_tampered_link_is_refused(app, client, make_user, outbox, tamper):
    make_user()
    ask(client)
    page = open_link(client, tamper(token_from(outbox)))
    assert page.status_code == 404 and "not valid" in page.get_data(as_text=True)
    before = password_hash(app)
    assert choose(client).status_code == 404
    assert password_hash(app) == before
    assert reset_rows(app)[0][1] is None


def test_the_form_without_a_link_is_refused(client):
    assert client.get("/reset/password").status_code == 404


@pytest.mark.parametrize(("password", "confirm", "message"), [
    ("short", None, "Use at least 8 characters."),
    ("password123", None, "too common"),
    (NEW_PASSWORD, "something else", "do not match"),
])
def test_a_weak_new_password_is_refused_and_the_link_still_works(app, client, make_user, outbox,
                                                                 password, confirm, message):
    make_user()
    ask(client)
    open_link(client, token_from(outbox))
    before = (password_hash(app), reset_rows(app))
    response = choose(client, password, confirm)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert (password_hash(app), reset_rows(app)) == before
    assert choose(client).status_code == 302


def test_a_new_password_cancels_every_other_pending_link(app, client, make_user, outbox):
    make_user()
    ask(client)
    ask(client)
    first, second = [LINK.search(body).group(1) for _, _, body in outbox]
    open_link(client, second)
    assert choose(client).status_code == 302
    assert open_link(app.test_client(), first).status_code == 410


def test_a_link_is_claimed_with_a_conditional_update(app, make_user, monkeypatch, outbox):
    """Another request uses the link between our check and our write: ours must fail."""
    make_user()
    with app.app_context():
        _, token = resets.create_reset("sam@example.org")
        db.session.commit()
    checked = resets._find_usable

    def used_meanwhile(value):
        found = checked(value)
        db.session.execute(update(PasswordReset).values(used_at=utcnow()))
        return found

    monkeypatch.setattr(resets, "_find_usable", used_meanwhile)
    with app.app_context():
        before = db.session.scalar(select(User.password_hash))
        with pytest.raises(resets.ResetUnusable):
            resets.use_reset(token, NEW_PASSWORD)
        assert db.session.scalar(select(User.password_hash)) == before


def test_concurrent_uses_of_one_link_succeed_once(app, make_user, outbox):
    make_user()
    with app.app_context():
        _, token = resets.create_reset("sam@example.org")
        db.session.commit()
    clients = [app.test_client() for _ in range(4)]
    tokens = []
    for client in clients:
        open_link(client, token)
        tokens.append(csrf_token(client, "/reset"))
    barrier = threading.Barrier(len(clients))
    statuses = []

    def use(client, csrf):
        barrier.wait()
        statuses.append(client.post("/reset/password", data={
            "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD,
            "csrf_token": csrf}).status_code)

    threads = [threading.Thread(target=use, args=pair) for pair in zip(clients, tokens,
                                                                        strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302, 410, 410, 410]
    with app.app_context():
        assert db.session.scalar(select(User.session_generation)) == 1


def test_links_come_from_base_url_not_the_host_header(app, client, make_user, outbox):
    make_user()
    app.config["BASE_URL"] = "https://training.example.org/"
    evil = {"base_url": "http://evil.example"}
    html = client.get("/reset", **evil).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post("/reset", data={"email": "sam@example.org", "csrf_token": token},
                           **evil)
    assert response.status_code == 302
    body = outbox[0][2]
    assert "https://training.example.org/reset/" in body
    assert "evil.example" not in body


def test_reset_requests_are_throttled_per_address(app, client, make_user, outbox):
    make_user()
    statuses = [ask(client, "Sam@Example.org" if i % 2 else "sam@example.org").status_code
                for i in range(6)]
    assert statuses == [302] * 5 + [429]
    assert len(outbox) == 5
    assert ask(client, "someone.else@example.org").status_code == 302, "per address"


def test_without_smtp_the_link_goes_to_the_server_log(app, client, make_user, caplog):
    make_user()
    assert not app.config["SMTP_HOST"]
    with caplog.at_level(logging.INFO):
        ask(client)
    mail_records = [r.getMessage() for r in caplog.records if r.name == "lms.mail"]
    assert len(mail_records) == 1 and "To: sam@example.org" in mail_records[0]
    token = LINK.search(mail_records[0]).group(1)
    assert open_link(client, token).status_code == 200
    auth_log = "\n".join(r.getMessage() for r in caplog.records if r.name == "lms.auth")
    assert "password reset link created for user" in auth_log
    assert token not in auth_log, "the account log never holds a token"


def test_with_smtp_the_mail_goes_to_the_server(app, client, make_user, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append((host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, message):
            sent.append((message["To"], message["Subject"], message["From"]))

    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    app.config.update(SMTP_HOST="smtp.example.org", SMTP_PORT=2525, MAIL_FROM="lms@example.org")
    make_user()
    ask(client)
    assert sent == [("smtp.example.org", 2525),
                    ("sam@example.org", "Reset your password", "lms@example.org")]


def test_a_mail_failure_gives_the_same_answer(app, client, make_user, monkeypatch):
    def broken(*args):
        raise OSError("connection refused")

    monkeypatch.setattr(mail, "send_mail", broken)
    make_user()
    response = ask(client)
    assert response.status_code == 302 and response.headers["Location"] == "/reset/sent"


def test_no_password_or_token_in_any_account_log(app, client, make_user, outbox, caplog):
    make_user()
    with caplog.at_level(logging.DEBUG):
        ask(client)
        token = token_from(outbox)
        open_link(client, token)
        choose(client)
        login(client, password=NEW_PASSWORD)
    text = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (token, NEW_PASSWORD, PASSWORD, hashlib.sha256(token.encode()).hexdigest()):
        assert secret not in text


def test_reset_posts_need_a_csrf_token(app, client, make_user, outbox):
    make_user()
    assert client.post("/reset", data={"email": "sam@example.org"}).status_code == 400
    assert outbox == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PasswordReset)) == 0
