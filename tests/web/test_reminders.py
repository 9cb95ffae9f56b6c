"""`lms remind`: who gets what, at most once per week, nobody who opted out, was disabled or
is only in a closed cycle; links from BASE_URL; SMTP from settings or the log without it; and
the switch on My training."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from sqlalchemy import func, select, update

from lms.auth.models import User
from lms.campaigns.models import Campaign, Cycle, Membership
from lms.extensions import db
from lms.models import utcnow
from lms.reminders import services
from lms.reminders.models import ReminderSent
from tests.conftest import csrf_token, login

BASE_URL = "https://training.example.org"
# Plans require "basics" of staff 30 days before the 3 November 2026 election: due 4 October.
DUE_SOON = "2026-10-01"
OVERDUE = "2026-10-20"
EARLY = "2026-09-01"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "BASE_URL": BASE_URL}


@pytest.fixture
def outbox(monkeypatch):
    sent = []
    monkeypatch.setattr("lms.mail.send_mail", lambda to, subject, body: sent.append(
        {"to": to, "subject": subject, "body": body}))
    return sent


@pytest.fixture
def team(app, make_user, make_campaign):
    """A campaign with a manager and staff in every situation, and a closed campaign."""
    ids = {name: make_user(f"{name}@example.org", name.title()) for name in (
        "mia", "sam", "done", "optout", "gone", "removed", "closed")}
    campaign_id = make_campaign({ids["mia"]: "manager", **{ids[n]: "staff" for n in (
        "sam", "done", "optout", "gone", "removed")}}, plan=[("basics", "staff", 30)])
    closed_id = make_campaign({ids["closed"]: "staff"}, name="Old Race",
                              plan=[("basics", "staff", 30)])
    with app.app_context():
        from lms.catalog_store import current_catalog
        from lms.progress.services import complete_module

        for module in current_catalog().course("basics").modules:
            complete_module(ids["done"], module)
        db.session.execute(update(User).where(User.id == ids["optout"])
                           .values(reminders_enabled=False))
        db.session.execute(update(User).where(User.id == ids["gone"]).values(disabled=True))
        db.session.execute(update(Membership).where(Membership.user_id == ids["removed"])
                           .values(removed_at=utcnow()))
        closed_cycle = db.session.get(Campaign, closed_id).current_cycle
        db.session.execute(update(Cycle).where(Cycle.id == closed_cycle.id)
                           .values(closed_at=utcnow()))
        db.session.commit()
    return {"campaign_id": campaign_id, **ids}


def remind(app, *args):
    result = app.test_cli_runner().invoke(args=["remind", *args])
    return result


def build_dashboard_of(app, campaign_id):
    from lms.catalog_store import current_catalog
    from lms.reports.dashboard import build_dashboard

    with app.app_context():
        return build_dashboard(db.session.get(Campaign, campaign_id).current_cycle,
                               current_catalog())


def by_recipient(outbox):
    return {(m["to"].split("@")[0], services.DUE if "finish" in m["body"] else "summary"): m
            for m in outbox}


def test_due_soon_and_team_summary_go_to_the_right_people(app, team, outbox):
    result = remind(app, "--today", DUE_SOON)
    assert result.exit_code == 0, result.output
    got = by_recipient(outbox)
    assert set(got) == {("sam", "due"), ("mia", "summary")}
    due = got[("sam", "due")]
    assert due["subject"] == "Training due by 04 Oct 2026"
    assert "Campaign basics (Lopez for House): due 04 Oct 2026, 0 of 3 modules done" in due["body"]
    assert f"{BASE_URL}/courses/basics/" in due["body"]
    assert f"{BASE_URL}/my#reminders" in due["body"]
    summary = got[("mia", "summary")]["body"]
    assert "Lopez for House (2026 cycle)" in summary
    assert f"{BASE_URL}/campaigns/{team['campaign_id']}/dashboard" in summary
    # The dashboard's numbers (as of now): sam, done, optout and gone are on the team; the
    # manager has no required training, so managers are not counted.
    dashboard = build_dashboard_of(app, team["campaign_id"])
    assert f"- {dashboard.percent}% of required training done" in summary
    assert f"- {dashboard.overdue} modules overdue" in summary
    assert "- Staff: 1 of 4 fully trained" in summary and "Managers" not in summary
    if dashboard.overdue:
        assert "- Overdue: Gone (3), Optout (3), Sam (3)" in summary
    assert "localhost" not in "".join(m["body"] for m in outbox)
    assert "2 sent, 0 already sent, 0 failed" in result.output


def test_overdue_training_is_named_as_overdue(app, team, outbox):
    remind(app, "--today", OVERDUE)
    got = by_recipient(outbox)
    assert got[("sam", "due")]["subject"] == "Training overdue: Campaign basics"
    assert "overdue since 04 Oct 2026" in got[("sam", "due")]["body"]


def test_nothing_is_due_early_but_managers_still_get_their_summary(app, team, outbox):
    remind(app, "--today", EARLY)
    assert set(by_recipient(outbox)) == {("mia", "summary")}


def test_each_email_goes_at_most_once_a_week(app, team, outbox):
    assert "2 sent" in remind(app, "--today", DUE_SOON).output
    again = remind(app, "--today", "2026-10-03")  # the same ISO week (2026-W40)
    assert "0 sent, 2 already sent" in again.output
    assert len(outbox) == 2
    with app.app_context():
        rows = db.session.execute(select(ReminderSent.kind, ReminderSent.period)).all()
    assert sorted(rows) == [("due", "2026-W40"), ("team-summary", "2026-W40")]
    remind(app, "--today", "2026-10-05")  # next week: once more
    assert len(outbox) == 4


def test_two_runs_at_once_send_each_email_once(app, team, monkeypatch):
    import threading
    import time

    sent, lock = [], threading.Lock()

    def slow_send(to, subject, body):
        time.sleep(0.05)  # keep both runs busy at the same time
        with lock:
            sent.append(to)

    monkeypatch.setattr("lms.mail.send_mail", slow_send)
    start = threading.Barrier(2)
    outputs = []

    def run():
        start.wait()
        outputs.append(remind(app, "--today", DUE_SOON).output)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(sent) == ["mia@example.org", "sam@example.org"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReminderSent)) == 2


def test_opted_out_disabled_removed_and_closed_cycle_people_get_nothing(app, team, outbox):
    remind(app, "--today", OVERDUE)
    recipients = {m["to"] for m in outbox}
    for name in ("optout", "gone", "removed", "closed", "done"):
        assert f"{name}@example.org" not in recipients, name
    with app.app_context():  # a manager who opts out gets no summary either
        db.session.execute(update(User).where(User.id == team["mia"])
                           .values(reminders_enabled=False))
        db.session.commit()
    outbox.clear()
    remind(app, "--today", "2026-10-27")
    assert {m["to"] for m in outbox} == {"sam@example.org"}


def test_a_dry_run_sends_and_records_nothing(app, team, outbox):
    result = remind(app, "--dry-run", "--today", DUE_SOON)
    assert result.exit_code == 0
    assert "would send: due reminder to sam@example.org" in result.output
    assert "2 would send" in result.output
    assert outbox == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReminderSent)) == 0


def test_a_failed_send_is_tried_again_next_run(app, team, monkeypatch, outbox):
    def broken(to, subject, body):
        raise OSError("connection refused")

    real = outbox
    monkeypatch.setattr("lms.mail.send_mail", broken)
    result = remind(app, "--today", DUE_SOON)
    assert result.exit_code == 1 and "0 sent, 0 already sent, 2 failed" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReminderSent)) == 0
    monkeypatch.setattr("lms.mail.send_mail", lambda to, subject, body: real.append(to))
    assert "2 sent" in remind(app, "--today", DUE_SOON).output


def test_a_claim_is_recorded_once_per_period(app, team):
    message = services.Message(team["sam"], services.DUE, "sam@example.org", "s", "b")
    with app.app_context():
        assert services.claim(message, "2026-W40") is True
        assert services.claim(message, "2026-W40") is False
        assert services.claim(message, "2026-W41") is True
        db.session.commit()


def test_subjects_are_one_line_whatever_a_campaign_is_called():
    message = services.Message(1, services.TEAM_SUMMARY, "a@example.org",
                               "Lopez\r\nBcc: x@example.org for House: 5%", "body")
    assert message.subject == "Lopez Bcc: x@example.org for House: 5%"


def test_iso_weeks_name_the_period():
    assert services.period_of(date(2026, 10, 1)) == "2026-W40"
    assert services.period_of(date(2027, 1, 1)) == "2026-W53"  # ISO year, not calendar year


def test_without_smtp_the_messages_go_to_the_log(app, team, caplog):
    with caplog.at_level(logging.INFO, logger="lms.mail"):
        remind(app, "--today", DUE_SOON)
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "lms.mail")
    assert "sam@example.org" in logged and "Training due by 04 Oct 2026" in logged
    assert f"{BASE_URL}/my" in logged


def test_with_smtp_the_settings_are_used(app, team, monkeypatch):
    calls = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            calls.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self, context):
            calls.append(("starttls",))

        def login(self, user, password):
            calls.append(("login", user, password))

        def send_message(self, message):
            calls.append(("send", message["To"], message["From"], message["Subject"]))

    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    app.config.update(SMTP_HOST="smtp.example.org", SMTP_PORT=587, SMTP_STARTTLS=True,
                      SMTP_USER="mailer", SMTP_PASSWORD="s3cret", MAIL_FROM="lms@example.org")
    remind(app, "--today", DUE_SOON)
    assert calls[:3] == [("connect", "smtp.example.org", 587), ("starttls",),
                         ("login", "mailer", "s3cret")]
    assert ("send", "sam@example.org", "lms@example.org", "Training due by 04 Oct 2026") in calls


def test_people_turn_reminders_off_and_on_from_my_training(app, logged_in):
    def enabled():
        with app.app_context():
            return db.session.scalar(select(User.reminders_enabled))

    page = logged_in.get("/my").get_data(as_text=True)
    assert 'id="reminders"' in page and "Turn email reminders off" in page
    token = csrf_token(logged_in, "/my")
    response = logged_in.post("/my/reminders", data={"csrf_token": token, "enabled": "off"})
    assert response.status_code == 302 and response.headers["Location"] == "/my#reminders"
    assert enabled() is False
    assert "Turn email reminders on" in logged_in.get("/my").get_data(as_text=True)
    logged_in.post("/my/reminders", data={"csrf_token": token, "enabled": "off"})  # again: same
    assert enabled() is False
    for bad in ({"enabled": "maybe"}, {}, {"enabled": "on\x00"}):
        assert logged_in.post("/my/reminders", data={"csrf_token": token, **bad}
                              ).status_code == 400
    assert logged_in.post("/my/reminders", data={"enabled": "on"}).status_code == 400
    assert enabled() is False
    logged_in.post("/my/reminders", data={"csrf_token": token, "enabled": "on"})
    assert enabled() is True


def test_the_switch_needs_an_account(client):
    response = client.post("/my/reminders", data={"enabled": "off"})
    assert response.status_code in (302, 400)


def test_only_the_signed_in_person_is_changed(app, client, make_user):
    make_user("sam@example.org")
    other = make_user("ana@example.org", "Ana")
    login(client)
    client.post("/my/reminders", data={"csrf_token": csrf_token(client, "/my"),
                                       "enabled": "off"})
    with app.app_context():
        assert db.session.get(User, other).reminders_enabled is True
