"""Content health and the organisation overview: figures by hand and as the dashboards show
them, a fixed number of queries, filters, pages and the CSV export."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from lms.campaigns import services as campaign_services
from lms.campaigns.models import Campaign
from lms.catalog_store import current_catalog
from lms.extensions import db
from lms.models import utcnow
from lms.progress import services as progress
from lms.progress.models import QuizAttempt
from lms.reports import organisation
from lms.reports.content_health import module_health
from lms.reports.dashboard import build_dashboard
from tests.conftest import login
from tests.support.statements import recorded


def trainer_client(app, make_user):
    make_user("trainer@example.org", "Tess Trainer", trainer=True)
    client = app.test_client()
    login(client, "trainer@example.org")
    return client


def module(key: str):
    course, name = key.split("/")
    return current_catalog().module(course, name)


def graded(app, user_id: int, passes: list[bool], module_version: int = 1) -> None:
    """Attempts at the canvass quiz, in order, each passed or not."""
    with app.app_context():
        quiz = module("quizzing/canvass").quizzes[0]
        for n, passed in enumerate(passes):
            db.session.add(QuizAttempt(
                user_id=user_id, submission_token=f"{user_id}-{module_version}-{n}",
                course_key="quizzing", module_key="canvass", module_version=module_version,
                quiz_id=quiz.id, quiz_version=quiz.version, record={"questions": []},
                earned=0, max_points=5, percent=100.0 if passed else 40.0, passed=passed,
                created_at=utcnow() + timedelta(seconds=n)))
        db.session.commit()


def test_content_health_by_hand(app, make_user, courses_dir):
    people = [make_user(f"p{n}@example.org", f"P{n}") for n in range(5)]
    with app.app_context():
        welcome = module("basics/welcome")
        for user_id in people[:4]:
            progress.record_view(user_id, welcome)
        for user_id in people[:3]:
            progress.complete_module(user_id, welcome)
        db.session.commit()
    graded(app, people[0], [False, False, True])  # 3 attempts to pass
    graded(app, people[1], [True, True])  # 1 (a later pass does not count)
    graded(app, people[2], [False, True])  # 2
    graded(app, people[3], [False])  # never passed: not in the median
    graded(app, people[4], [True], module_version=0)  # an older version: not counted
    path = courses_dir / "basics" / "01-welcome.md"
    path.write_text(path.read_text().replace("version: 1", "version: 2"))
    app.extensions["lms.catalog"].refresh()
    with app.app_context():
        progress.complete_module(people[0], module("basics/welcome"))  # redone at v2
        db.session.commit()
        rows = {(r.course.key, r.module.key): r for r in module_health(current_catalog())}
    welcome = rows[("basics", "welcome")]
    assert (welcome.started, welcome.completed, welcome.refresher_due) == (4, 1, 2)
    canvass = rows[("quizzing", "canvass")]
    assert canvass.median_attempts == 2 and canvass.passers == 3
    assert rows[("basics", "reading-lists")].started == 0


def test_content_health_page(app, make_user):
    client = trainer_client(app, make_user)
    html = client.get("/trainer/health?course=quizzing").get_data(as_text=True)
    assert "Canvassing check" in html and "Reading voter lists" not in html
    assert client.get("/trainer/health?course=nope").status_code == 400


@pytest.fixture
def campaigns(app, make_user, make_campaign):
    """Four campaigns with plans, members and some completions; one rolled over."""
    ids = []
    for n in range(4):
        manager = make_user(f"m{n}@example.org", f"Manager {n}")
        staff = [make_user(f"s{n}-{k}@example.org", f"Staff {n}-{k}") for k in range(n + 1)]
        ids.append(make_campaign(
            {manager: "manager", **{s: "staff" for s in staff}},
            name=f"Campaign {n}" if n else "=HYPERLINK(\"x\")",
            plan=[("basics", "staff", 3650 if n % 2 else None), ("quizzing", "manager", 5)]))
        with app.app_context():
            for k, user_id in enumerate(staff):
                for m in current_catalog().course("basics").modules[:k + 1]:
                    progress.complete_module(user_id, m)
            db.session.commit()
    with app.app_context():
        cycle = db.session.get(Campaign, ids[3]).current_cycle
        campaign_services.roll_over(cycle, current_catalog(), election_year=2028,
                                    election_date=date(2028, 11, 7), returning_user_ids=set())
        db.session.commit()
    return ids


def expected(app, campaign_id: int, year: int | None = None):
    """What the campaign's own dashboard shows."""
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        cycle = next(c for c in campaign.cycles if c.election_year == year) if year \
            else campaign.current_cycle
        board = build_dashboard(cycle, current_catalog())
        return len(board.rows), board.percent, board.overdue


def test_the_overview_counts_as_each_dashboard_does(app, campaigns):
    with app.app_context():
        page = organisation.overview_page(current_catalog(), organisation.Filters())
    assert page.total == 4
    for row in page.rows:
        assert (row.members, row.percent, row.overdue) == expected(app, row.campaign_id)
    assert {r.year for r in page.rows} == {2026, 2028}
    with app.app_context():
        closed = organisation.overview_page(current_catalog(), organisation.Filters(year=2026))
    assert closed.total == 4
    row = next(r for r in closed.rows if r.campaign_id == campaigns[3])
    assert not row.is_open and row.members == 5
    assert (row.members, row.percent, row.overdue) == expected(app, campaigns[3], 2026)
    assert any(r.overdue for r in closed.rows) and any(r.percent for r in closed.rows)


def test_the_overview_takes_the_same_queries_for_many_campaigns(app, campaigns, make_user,
                                                                 make_campaign):
    def statements():
        with app.app_context(), recorded(db.engine, reads_only=True) as seen:
            organisation.overview_page(current_catalog(), organisation.Filters())
        return len(seen)

    few = statements()
    for n in range(12):
        people = {make_user(f"x{n}-{k}@example.org", "X"): "staff" for k in range(3)}
        make_campaign(people, name=f"More {n}", plan=[("basics", "staff", 30)])
    assert statements() == few == 5


def test_filters_pages_links_and_csv(app, campaigns, make_user, make_campaign):
    client = trainer_client(app, make_user)
    html = client.get("/trainer/campaigns").get_data(as_text=True)
    assert "4 campaigns" in html
    with app.app_context():
        cycle_id = db.session.get(Campaign, campaigns[1]).current_cycle.id
    assert f'href="/campaigns/{campaigns[1]}/cycles/{cycle_id}/dashboard"' in html
    assert "1 campaign" in client.get("/trainer/campaigns?year=2028").get_data(as_text=True)
    for bad in ("state=ZZ", "year=1999", "office=Mayor", "page=0", "page=x"):
        assert client.get(f"/trainer/campaigns?{bad}").status_code == 400, bad
    assert client.get("/trainer/campaigns?page=2").status_code == 404
    for n in range(50):
        make_campaign({make_user(f"p{n}@example.org", "P"): "manager"}, name=f"Page {n:02d}")
    second = client.get("/trainer/campaigns?page=2&state=OH").get_data(as_text=True)
    assert "54 campaigns" in second and "page 2 of 2" in second
    assert 'href="/trainer/campaigns?page=1&amp;state=OH"' in second
    response = client.get("/trainer/campaigns.csv?state=OH")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["Campaign", "State", "Office"] and len(rows) == 55
    assert [r[0] for r in rows if "HYPERLINK" in r[0]] == ["'=HYPERLINK(\"x\")"]
