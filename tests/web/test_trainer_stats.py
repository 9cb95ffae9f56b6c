"""Question statistics against a fixture of known attempts, worked out by hand.

Six people take a five-question quiz (one point each); the second question is keyed wrong on
purpose (the key says A, the right answer is C). First attempts:

    person  form  miskeyed  easy   hard  typed       total
    U1      B+    C-        true+  B+    DoorLog+    80%
    U2      B+    C-        true+  A-    DoorLog+    60%
    U3      B+    A+        true+  A-    PhoneLog-   60%
    U4      A-    A+        true+  C-    doorlog+    60%
    U5      C-    A+        true+  A-    PhoneLog-   40%
    U6      A-    B-        true+  C-    (blank)-    20%

Groups are 27% of 6 = 1.62, rounded: 2 people. Ranked by total, ties by person id: upper =
U1, U2; lower = U5, U6.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from lms.campaigns.models import Campaign, Cycle
from lms.catalog_store import current_catalog
from lms.content.quiz import grade_quiz
from lms.extensions import db
from lms.models import utcnow
from lms.progress.models import QuizAttempt
from lms.reports.question_stats import question_rows
from tests.conftest import login
from tests.support.statements import recorded

MODULE = """---
title: Statistics fixture
minutes: 5
version: 1
---
Some text.

```quiz
id: stats-check
pass: 60%

Q: Which form do volunteers sign?
id: form
( ) =HYPERLINK("x")
(x) The volunteer agreement
( ) The donor card

Q: Which city is the state capital?
id: miskeyed
(x) Springfield
( ) Shelbyville
( ) Capital City

Q: Volunteers sign in at every shift.
id: easy
answer: true

Q: Which rule applies to yard signs?
id: hard
( ) Any lawn, any time
(x) Only with the owner's written consent
( ) Only on public land

Q: Which app logs every door?
id: typed
= DoorLog
```
"""
ANSWERS = {  # person: (form, miskeyed, easy, hard, typed)
    1: ("1", "2", "true", "1", "DoorLog"),
    2: ("1", "2", "true", "0", "DoorLog"),
    3: ("1", "0", "true", "0", "PhoneLog"),
    4: ("0", "0", "true", "2", "doorlog"),
    5: ("2", "0", "true", "0", "PhoneLog"),
    6: ("0", "1", "true", "2", ""),
}
QUESTIONS = ("form", "miskeyed", "easy", "hard", "typed")


def attempt(app, user_id: int, answers: tuple, at=None) -> float:
    """Grade answers against the current quiz and store the attempt, as submit_attempt does."""
    with app.app_context():
        module = current_catalog().module("quizzing", "stats")
        quiz = module.quizzes[0]
        result = grade_quiz(quiz, {q: [a] if a else [] for q, a in zip(QUESTIONS, answers,
                                                                     strict=True)})
        db.session.add(QuizAttempt(
            user_id=user_id, submission_token=f"{user_id}-{utcnow().timestamp()}",
            course_key="quizzing", module_key="stats", module_version=module.version,
            quiz_id=quiz.id, quiz_version=quiz.version, record=result.to_record(),
            earned=result.earned, max_points=result.max_points, percent=result.percent,
            passed=result.passed, created_at=at or utcnow()))
        db.session.commit()
        return result.percent


@pytest.fixture
def stats_world(app, courses_dir, make_user):
    (courses_dir / "quizzing" / "03-stats.md").write_text(MODULE)
    app.extensions["lms.catalog"].refresh()
    users = {n: make_user(f"u{n}@example.org", f"User {n}") for n in ANSWERS}
    totals = {n: attempt(app, users[n], ANSWERS[n]) for n in ANSWERS}
    assert totals == {1: 80.0, 2: 60.0, 3: 60.0, 4: 60.0, 5: 40.0, 6: 20.0}
    attempt(app, users[6], ("1", "0", "true", "1", "DoorLog"))  # a retake: not a first attempt
    return users


def rows_by_question(app, split="version"):
    with app.app_context():
        rows = question_rows(current_catalog(), "quizzing", "stats", split)
    return rows, {(r.question_id, r.current, r.cycle): r for r in rows}


def test_statistics_match_the_hand_computed_values(app, stats_world):
    rows, by = rows_by_question(app)
    assert [r.question_id for r in rows] == list(QUESTIONS)
    form = by[("form", True, None)].stats
    assert form.respondents == 6  # the retake is not counted
    assert form.share_correct == pytest.approx(3 / 6)
    assert form.discrimination == pytest.approx(1.0)  # upper 2/2, lower 0/2
    assert [(o.label, o.keyed) for o in form.options] == [
        ('=HYPERLINK("x")', False), ("The volunteer agreement", True), ("The donor card", False)]
    assert [o.share for o in form.options] == pytest.approx([2 / 6, 3 / 6, 1 / 6])
    assert form.flags == ()

    miskeyed = by[("miskeyed", True, None)].stats
    assert miskeyed.share_correct == pytest.approx(0.5)
    assert miskeyed.discrimination == pytest.approx(0 - 0.5)  # upper 0/2, lower U5 right
    assert [o.share for o in miskeyed.options] == pytest.approx([3 / 6, 1 / 6, 2 / 6])
    assert [o.upper_count for o in miskeyed.options] == [0, 0, 2]
    assert miskeyed.flags == ("mis-keyed",)

    easy = by[("easy", True, None)].stats
    assert easy.share_correct == 1 and easy.discrimination == 0
    assert [(o.label, o.share) for o in easy.options] == [("True", 1), ("False", 0)]
    assert easy.flags == ("too-easy",)

    hard = by[("hard", True, None)].stats
    assert hard.share_correct == pytest.approx(1 / 6)
    assert hard.discrimination == pytest.approx(0.5)  # upper U1 right, U2 wrong; lower none
    assert [o.share for o in hard.options] == pytest.approx([3 / 6, 1 / 6, 2 / 6])
    assert hard.flags == ("too-hard",)  # A ties with the key in the upper group: not mis-keyed

    typed = by[("typed", True, None)].stats
    assert typed.share_correct == pytest.approx(0.5) and typed.discrimination == 1.0
    assert [(o.label, o.keyed, round(o.share, 4)) for o in typed.options] == [
        ("DoorLog", True, round(2 / 6, 4)), ("PhoneLog", False, round(2 / 6, 4)),
        ("doorlog", True, round(1 / 6, 4))]
    assert typed.blank_share == pytest.approx(1 / 6) and typed.flags == ()


def test_a_rewrite_starts_fresh_statistics_and_the_old_version_stays(app, stats_world,
                                                                      courses_dir):
    path = courses_dir / "quizzing" / "03-stats.md"
    path.write_text(MODULE.replace("(x) Springfield\n( ) Shelbyville\n( ) Capital City",
                                   "( ) Springfield\n( ) Shelbyville\n(x) Capital City"))
    app.extensions["lms.catalog"].refresh()
    attempt(app, stats_world[1], ("1", "2", "true", "1", "DoorLog"))
    rows, by = rows_by_question(app)
    new = by[("miskeyed", True, None)].stats
    assert new.respondents == 1 and new.share_correct == 1 and new.flags == ()
    old = by[("miskeyed", False, None)]
    assert old.stats.respondents == 6 and old.stats.flags == ("mis-keyed",)
    # The old version's options are known by number; its key is read from the results.
    assert [(o.label, o.keyed) for o in old.stats.options] == [
        ("Option 1", True), ("Option 2", False), ("Option 3", False)]
    assert [r.current for r in rows if r.question_id == "miskeyed"] == [True, False]


def test_split_by_cycle(app, stats_world, make_campaign):
    users = stats_world
    campaign_id = make_campaign({users[1]: "manager", users[2]: "staff", users[3]: "staff"},
                                year=2026)
    with app.app_context():
        cycle = db.session.get(Campaign, campaign_id).current_cycle
        cycle.created_at = utcnow() - timedelta(days=1)  # opened before the attempts
        cycle_id = cycle.id
        db.session.commit()
    rows, by = rows_by_question(app, split="cycle")
    assert by[("form", True, "2026 cycle")].stats.respondents == 3
    assert by[("form", True, "2026 cycle")].stats.share_correct == 1
    assert by[("form", True, "No cycle")].stats.respondents == 3
    assert by[("form", True, "No cycle")].stats.share_correct == 0
    with app.app_context():  # a cycle closed before the attempts does not claim them
        cycle = db.session.get(Cycle, cycle_id)
        cycle.created_at = utcnow() - timedelta(days=3)
        cycle.closed_at = utcnow() - timedelta(days=2)
        db.session.commit()
    _, by = rows_by_question(app, split="cycle")
    assert by[("form", True, "No cycle")].stats.respondents == 6


def test_two_queries_however_many_people(app, stats_world, make_user):
    def statements(split):
        with app.app_context(), recorded(db.engine, reads_only=True) as seen:
            question_rows(current_catalog(), "quizzing", None, split)
        return len(seen)

    before = (statements("version"), statements("cycle"))
    for n in range(10, 40):
        attempt(app, make_user(f"more{n}@example.org", f"More {n}"), ANSWERS[n % 6 + 1])
    assert (statements("version"), statements("cycle")) == before == (1, 2)


def trainer_client(app, make_user):
    make_user("trainer@example.org", "Tess Trainer", trainer=True)
    client = app.test_client()
    login(client, "trainer@example.org")
    return client


def test_the_page_sorts_flags_and_exports_a_safe_csv(app, stats_world, make_user):
    client = trainer_client(app, make_user)
    page = client.get("/trainer/questions?course=quizzing&module=stats")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Probably mis-keyed" in html and "Too easy" in html and "Too hard" in html
    assert "=HYPERLINK" in html and "<script" not in html.split("<main")[1].split("</main>")[0]
    by_flags = client.get("/trainer/questions?course=quizzing&module=stats&sort=flags"
                          "&order=desc").get_data(as_text=True)
    assert by_flags.index("Which city") < by_flags.index("Which form")
    by_correct = client.get("/trainer/questions?course=quizzing&module=stats&sort=correct"
                            "&order=asc").get_data(as_text=True)
    assert by_correct.index("Which rule") < by_correct.index("Which form") \
        < by_correct.index("Volunteers sign in")
    response = client.get("/trainer/questions.csv?course=quizzing&module=stats")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert table[0][0] == "Module" and len(table) == 6
    form = next(row for row in table if row[2] == "form")
    assert form[9] == "50%" and form[10] == "1.00"
    assert "'=HYPERLINK" in form[11]  # a formula in option text is neutralised
    assert next(row for row in table if row[2] == "miskeyed")[13] == "Probably mis-keyed"


@pytest.mark.parametrize("query", ["sort=earned", "order=sideways", "split=month",
                                   "course=nope", "course=basics"])
def test_filters_outside_the_allowlist_are_refused(app, stats_world, make_user, query):
    client = trainer_client(app, make_user)
    assert client.get(f"/trainer/questions?{query}").status_code == 400
    assert client.get(f"/trainer/questions.csv?{query}").status_code == 400


def test_a_module_of_another_course_falls_back_to_all_modules(app, stats_world, make_user):
    client = trainer_client(app, make_user)
    response = client.get("/trainer/questions?course=quizzing&module=welcome")
    assert response.status_code == 200
    assert "Which city" in response.get_data(as_text=True)
