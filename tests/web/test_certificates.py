"""Certificates: issued exactly when a course is complete, the printable page, public
verification (genuine, expired, revoked, unknown; nothing else about the person), revoking,
and expiry turning into "renewal due" on My training and the campaign dashboard."""

from __future__ import annotations

import dataclasses
import logging
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from lms.campaigns.models import Cycle
from lms.certificates import services
from lms.certificates.models import Certificate
from lms.extensions import db
from lms.models import utcnow
from tests.conftest import csrf_token, login
from tests.support.statements import recorded

BASICS = ("welcome", "reading-lists", "wrap-up")
QUIZ_RIGHT = {"q-first-words": "1", "q-personal-data": ["0", "1"], "q-photo-consent": "false",
              "q-door-app": "door log", "q-pace": "20"}
QUIZ_WRONG = {"q-first-words": "0", "q-personal-data": ["2"], "q-photo-consent": "true",
              "q-door-app": "PhoneLog", "q-pace": "25"}
BASE_URL = "https://training.example.org"


@pytest.fixture
def courses_dir(courses_dir):
    """The fixture courses, with certificates for "Campaign basics" valid for 12 months."""
    course = courses_dir / "basics" / "course.md"
    course.write_text(course.read_text().replace("order: 1\n", "order: 1\nvalid_for_months: 12\n"))
    return courses_dir


@pytest.fixture
def app_config(app_config):
    return {**app_config, "BASE_URL": BASE_URL, "ORGANISATION_NAME": "Evergreen Training Co"}


def complete(client, module, course="basics"):
    path = f"/courses/{course}/{module}"
    return client.post(path + "/complete", data={"csrf_token": csrf_token(client, path)})


def take_quiz(client, answers):
    path = "/courses/quizzing/canvass"
    html = client.get(path).get_data(as_text=True)
    token = re.search(r'name="submission" type="hidden" value="([0-9a-f]{32})"', html).group(1)
    return client.post(path + "/quiz/canvass-check",
                       data={"csrf_token": csrf_token(client, path), "submission": token,
                             **answers})


def certificates(app, user_id=None):
    with app.app_context():
        query = select(Certificate).order_by(Certificate.id)
        if user_id is not None:
            query = query.where(Certificate.user_id == user_id)
        rows = db.session.scalars(query).all()
        db.session.expunge_all()
        return rows


def earn_basics(client):
    for module in BASICS:
        assert complete(client, module).status_code == 302


def test_issued_exactly_when_the_last_module_is_completed(app, logged_in):
    for module in BASICS[:-1]:
        complete(logged_in, module)
        assert certificates(app) == []
    page = logged_in.get("/courses/basics/").get_data(as_text=True)
    assert "earned the certificate" not in page
    complete(logged_in, BASICS[-1])
    [certificate] = certificates(app)
    assert certificate.course_key == "basics" and certificate.course_title == "Campaign basics"
    assert certificate.module_versions == {"welcome": 1, "reading-lists": 1, "wrap-up": 2}
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}",
                        certificate.code)
    complete(logged_in, BASICS[-1])  # completing again issues nothing new
    complete(logged_in, BASICS[0])
    assert len(certificates(app)) == 1
    page = logged_in.get("/courses/basics/").get_data(as_text=True)
    assert f'href="/certificates/{certificate.id}"' in page
    mine = logged_in.get("/my").get_data(as_text=True)
    assert f'href="/certificates/{certificate.id}"' in mine and certificate.code in mine


def test_a_quiz_module_counts_only_once_passed(app, logged_in):
    complete(logged_in, "practice", "quizzing")
    take_quiz(logged_in, QUIZ_WRONG)
    assert certificates(app) == []
    assert take_quiz(logged_in, QUIZ_RIGHT).status_code == 302
    [certificate] = certificates(app)
    assert certificate.course_key == "quizzing" and certificate.expires_at is None


def test_issuing_is_idempotent_and_a_new_version_can_be_certified_again(app, make_user):
    from lms.catalog_store import current_catalog
    from lms.progress.services import complete_module

    user_id = make_user()
    with app.app_context():
        course = current_catalog().course("basics")
        for module in course.modules:
            complete_module(user_id, module)  # the last one issues the certificate
        assert services.issue_if_complete(user_id, course) is None  # already issued
        # The trainer bumps a module: the person is not complete at the current versions...
        bumped = dataclasses.replace(course.modules[0], version=2)
        changed = dataclasses.replace(course, modules=(bumped, *course.modules[1:]))
        assert services.issue_if_complete(user_id, changed) is None
        # ...until they complete the new version: a new set of versions, a new certificate.
        complete_module(user_id, bumped)
        renewed = services.issue_if_complete(user_id, changed)
        assert renewed is not None and services.issue_if_complete(user_id, changed) is None
        db.session.commit()
    first, second = certificates(app)
    assert first.module_versions["welcome"] == 1 and second.module_versions["welcome"] == 2
    assert first.versions_hash != second.versions_hash and first.code != second.code


def test_codes_are_unambiguous_and_typed_codes_are_forgiven():
    codes = {services.new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert services.normalise_code(code) == code
        assert not set(code.replace("-", "")) & set("ILOU")
    assert services.normalise_code(" 7kq2 m9xd 4rtb ") == "7KQ2-M9XD-4RTB"
    assert services.normalise_code("OIL2-M9XD-4RTB") == "0112-M9XD-4RTB"
    for bad in ("", "7KQ2-M9XD", "7KQ2-M9XD-4RTBU", "7KQ2-M9XD-4RT!", "x" * 100, None):
        assert services.normalise_code(bad) is None


def test_months_are_added_on_the_calendar():
    jan31 = datetime(2026, 1, 31, 9, 30, tzinfo=UTC)
    assert services.add_months(jan31, 1) == datetime(2026, 2, 28, 9, 30, tzinfo=UTC)
    assert services.add_months(jan31, 13) == datetime(2027, 2, 28, 9, 30, tzinfo=UTC)
    assert services.add_months(datetime(2027, 12, 15, tzinfo=UTC), 12).year == 2028


def test_the_certificate_page_has_everything_to_print(app, logged_in):
    earn_basics(logged_in)
    [certificate] = certificates(app)
    page = logged_in.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    for text in ("Sam Staffer", "Campaign basics", "Evergreen Training Co", certificate.code,
                 "Welcome", "Reading voter lists", "Wrap-up", "version 2",
                 certificate.issued_at.strftime("%d %B %Y"),
                 f"{BASE_URL}/verify/{certificate.code}", "valid until"):
        assert text in page, text
    assert "localhost" not in page  # links come from BASE_URL, not the request's Host


def test_the_certificate_page_is_for_its_holder_and_admins(app, logged_in, make_user):
    earn_basics(logged_in)
    [certificate] = certificates(app)
    path = f"/certificates/{certificate.id}"
    assert app.test_client().get(path).status_code == 302  # to log in
    make_user("other@example.org", "Other Person")
    other = app.test_client()
    login(other, "other@example.org")
    assert other.get(path).status_code == 404
    make_user("admin@example.org", "Ada Admin", admin=True)
    admin = app.test_client()
    login(admin, "admin@example.org")
    assert admin.get(path).status_code == 200
    assert logged_in.get("/certificates/99999999999999999999999").status_code == 404


def test_verification_says_genuine_and_reveals_nothing_else(app, logged_in, make_campaign):
    make_campaign({1: "staff"}, name="Secret Campaign for Mayor")
    earn_basics(logged_in)
    [certificate] = certificates(app)
    response = app.test_client().get(f"/verify/{certificate.code}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Genuine certificate" in page and "Sam Staffer" in page
    assert "Campaign basics" in page and certificate.issued_at.strftime("%d %B %Y") in page
    main = page[page.index("<main"):page.index("</main>")]
    for private in ("sam@example.org", "Secret Campaign", "Reading voter lists", "Wrap-up",
                    f"/certificates/{certificate.id}", "Revoke"):
        assert private not in main, private
    assert 'name="robots" content="noindex"' in page


def test_typed_codes_are_normalised_and_unknown_codes_are_unknown(app, logged_in):
    earn_basics(logged_in)
    [certificate] = certificates(app)
    client = app.test_client()
    sloppy = certificate.code.lower().replace("-", "")
    assert client.get(f"/verify/{sloppy}").headers["Location"] == f"/verify/{certificate.code}"
    typed = client.get("/verify", query_string={"code": f" {sloppy} "})
    assert typed.headers["Location"] == f"/verify/{certificate.code}"
    unknown = client.get("/verify/AAAA-BBBB-CCCC")
    assert unknown.status_code == 404 and "Unknown code" in unknown.get_data(as_text=True)
    assert client.get("/verify/not-a-code").status_code == 404
    bad = client.get("/verify", query_string={"code": "hello"})
    assert bad.status_code == 400 and "not a verification code" in bad.get_data(as_text=True)
    assert client.get("/verify").status_code == 200


def test_admins_revoke_and_verification_says_revoked(app, logged_in, make_user, caplog):
    earn_basics(logged_in)
    [certificate] = certificates(app)
    path = f"/certificates/{certificate.id}/revoke"
    verify = f"/verify/{certificate.code}"
    # The holder cannot revoke; nor can anyone else who is not an admin.
    assert logged_in.post(path, data={"csrf_token": csrf_token(logged_in, "/my")}
                          ).status_code == 403
    make_user("other@example.org", "Other")
    other = app.test_client()
    login(other, "other@example.org")
    assert other.post(path, data={"csrf_token": csrf_token(other, "/my")}).status_code == 404
    make_user("admin@example.org", "Ada Admin", admin=True)
    admin = app.test_client()
    login(admin, "admin@example.org")
    assert admin.post(path).status_code == 400  # no CSRF token
    assert certificates(app)[0].revoked_at is None
    assert "Revoke this certificate" in admin.get(verify).get_data(as_text=True)
    with caplog.at_level(logging.WARNING, logger="lms.certificates"):
        response = admin.post(path, data={"csrf_token": csrf_token(admin, verify)})
    assert response.status_code == 302 and response.headers["Location"] == verify
    assert any("revoked by user" in r.getMessage() for r in caplog.records)
    [revoked] = certificates(app)
    assert revoked.revoked_at is not None and revoked.revoked_by is not None
    page = app.test_client().get(verify).get_data(as_text=True)
    assert "Revoked certificate" in page and "Genuine" not in page
    assert "Revoked" in logged_in.get("/my").get_data(as_text=True)
    holder_view = logged_in.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    assert "was revoked" in holder_view and "certificate__void" in holder_view
    again = admin.post(path, data={"csrf_token": csrf_token(admin, verify)}, follow_redirects=True)
    assert "already revoked" in again.get_data(as_text=True)


def expire(app, user_id=None):
    """Move every certificate a year back, as if the time had passed: written behind the app's
    back, so the cycles' revisions are raised as a write through the app would."""
    with app.app_context():
        db.session.execute(update(Certificate).values(
            issued_at=utcnow() - timedelta(days=400), expires_at=utcnow() - timedelta(days=35)))
        db.session.execute(update(Cycle).values(revision=Cycle.revision + 1))
        db.session.commit()


def test_expiry_turns_into_renewal_due(app, logged_in):
    earn_basics(logged_in)
    [certificate] = certificates(app)
    assert certificate.expires_at.date() == (
        services.add_months(certificate.issued_at, 12)).date()
    mine = logged_in.get("/my").get_data(as_text=True)
    assert "Renewal due" not in mine and "valid until" in mine
    expire(app)
    mine = logged_in.get("/my").get_data(as_text=True)
    assert "Renewal due" in mine
    page = app.test_client().get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "Genuine, but expired" in page and "renewal due" in page
    own = logged_in.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    assert "renewal due" in own


def test_a_course_that_no_longer_expires_asks_for_no_renewal(app, logged_in, make_user):
    from lms.catalog_store import current_catalog
    from lms.certificates.queries import certificates_of, renewals_due

    earn_basics(logged_in)
    expire(app)
    with app.app_context():
        catalog = current_catalog()
        course = catalog.course("basics")
        assert renewals_due([1], [course], utcnow()) == ({(1, "basics")}, None)
        forever = dataclasses.replace(course, valid_for_months=None)
        assert renewals_due([1], [forever], utcnow()) == (set(), None)
        [state] = certificates_of(1, catalog, utcnow())
        assert state.status == "renewal-due"


def test_the_dashboard_shows_renewal_due_in_a_fixed_number_of_queries(
        app, logged_in, make_user, make_campaign):
    from lms.campaigns.models import Campaign
    from lms.catalog_store import current_catalog
    from lms.reports.dashboard import build_dashboard

    campaign_id = make_campaign({1: "staff"}, plan=[("basics", "staff", None)])
    earn_basics(logged_in)
    dashboard_path = f"/campaigns/{campaign_id}/dashboard"
    make_user("mia@example.org", "Mia Manager")
    with app.app_context():
        from lms.campaigns.models import Membership

        cycle_id = db.session.get(Campaign, campaign_id).current_cycle.id
        db.session.add(Membership(cycle_id=cycle_id, user_id=2, role="manager"))
        db.session.commit()
    manager = app.test_client()
    login(manager, "mia@example.org")
    assert "Renewal due" not in manager.get(dashboard_path).get_data(as_text=True)
    expire(app)
    page = manager.get(dashboard_path).get_data(as_text=True)
    assert page.count("Renewal due (certificate expired)") == 3  # each module of the course
    csv = manager.get(f"/campaigns/{campaign_id}/cycles/{cycle_id}/dashboard.csv")
    assert "Renewal due (certificate expired)" in csv.get_data(as_text=True)

    def queries_for(team_size):
        ids = [make_user(f"t{team_size}-{i}@example.org", f"T{i}") for i in range(team_size)]
        cid = make_campaign({i: "staff" for i in ids}, name=f"C{team_size}",
                            plan=[("basics", "staff", None)])
        with app.app_context():
            cycle = db.session.get(Campaign, cid).current_cycle
            with recorded(db.engine) as statements:
                build_dashboard(cycle, current_catalog())
            return len(statements)

    assert queries_for(2) == queries_for(40) == 6  # the usual five, and certificates


def test_valid_for_months_is_read_and_checked(tmp_path, courses_dir):
    from lms.content.loader import load_catalog

    assert load_catalog(courses_dir).course("basics").valid_for_months == 12
    assert load_catalog(courses_dir).course("quizzing").valid_for_months is None
    course = courses_dir / "basics" / "course.md"
    for bad in ("0", "twelve", "601"):
        course.write_text(re.sub(r"valid_for_months: \S+", f"valid_for_months: {bad}",
                                 course.read_text()))
        catalog = load_catalog(courses_dir)
        assert catalog.course("basics").valid_for_months is None
        assert any("valid_for_months" in str(d) for d in catalog.errors), bad


def test_certificate_count_per_person_is_bounded_by_the_unique_key(app, make_user):
    from lms.catalog_store import current_catalog
    from lms.progress.services import complete_module

    user_id = make_user()
    with app.app_context():
        for module in current_catalog().course("basics").modules:
            complete_module(user_id, module)
            complete_module(user_id, module)
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1


def test_the_issue_command_issues_what_was_earned_without_it(app, make_user):
    from lms.progress.models import Completion

    user_id = make_user()
    other = make_user("ana@example.org", "Ana")
    with app.app_context():  # progress recorded without the hook (an import, older data)
        db.session.add_all(Completion(user_id=user_id, course_key="basics", module_key=key,
                                      module_version=version) for key, version in
                           (("welcome", 1), ("reading-lists", 1), ("wrap-up", 2)))
        db.session.add(Completion(user_id=other, course_key="basics", module_key="welcome",
                                  module_version=1))
        db.session.commit()
    runner = app.test_cli_runner()
    assert "Issued 1 certificate." in runner.invoke(args=["certificates", "issue"]).output
    assert "Issued 0 certificates." in runner.invoke(args=["certificates", "issue"]).output
    [certificate] = certificates(app)
    assert certificate.user_id == user_id and certificate.expires_at is not None
