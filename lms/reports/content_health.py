"""Content health: for every module, how many people started and completed it, the median
number of attempts people needed to pass its graded quizzes, and how many are due a refresher
because they completed an older version. Three queries, however many people or modules.

* Started: people who opened the module (a ModuleView row), at any version.
* Completed: people whose latest completion is of the current version.
* Due a refresher: people whose latest completion is of an older version.
* Attempts to pass: for each person and graded quiz of the module's current version, the
  attempts up to and including their first pass; the median over everyone who passed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, func, select

from lms.content.catalog import Catalog, Course, Module
from lms.extensions import db
from lms.progress.models import Completion, ModuleView, QuizAttempt


@dataclass(frozen=True)
class ModuleHealth:
    course: Course
    module: Module
    started: int
    completed: int
    refresher_due: int
    median_attempts: float | None
    passers: int


def median_of_histogram(histogram: dict[int, int]) -> float | None:
    """The median of a list given as {value: how many times it occurs}."""
    count = sum(histogram.values())
    if not count:
        return None
    middle = [(count - 1) // 2, count // 2]
    values, seen = [], 0
    for value in sorted(histogram):
        for position in middle:
            if seen <= position < seen + histogram[value]:
                values.append(value)
        seen += histogram[value]
    return sum(values) / 2


def _started(keys: list[str]) -> dict[tuple[str, str], int]:
    rows = db.session.execute(
        select(ModuleView.course_key, ModuleView.module_key,
               func.count(func.distinct(ModuleView.user_id)))
        .where(ModuleView.course_key.in_(keys))
        .group_by(ModuleView.course_key, ModuleView.module_key)
    ).all()
    return {(c, m): n for c, m, n in rows}


def _latest_versions(keys: list[str]) -> dict[tuple[str, str], dict[int, int]]:
    """{(course, module): {latest completed version: people}}."""
    latest = (select(Completion.course_key, Completion.module_key,
                     func.max(Completion.module_version).label("version"))
              .where(Completion.course_key.in_(keys))
              .group_by(Completion.user_id, Completion.course_key, Completion.module_key)
              .subquery())
    rows = db.session.execute(
        select(latest.c.course_key, latest.c.module_key, latest.c.version, func.count())
        .group_by(latest.c.course_key, latest.c.module_key, latest.c.version)
    ).all()
    out: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    for c, m, version, n in rows:
        out[(c, m)][version] = n
    return out


def _attempts_to_pass(keys: list[str]) -> dict[tuple[str, str, int], dict[int, int]]:
    """{(course, module, module version): {attempts needed: people}} over graded quizzes."""
    first_pass = (select(QuizAttempt.user_id, QuizAttempt.course_key, QuizAttempt.module_key,
                         QuizAttempt.module_version, QuizAttempt.quiz_id,
                         func.min(QuizAttempt.created_at).label("passed_at"))
                  .where(QuizAttempt.course_key.in_(keys), QuizAttempt.passed.is_(True))
                  .group_by(QuizAttempt.user_id, QuizAttempt.course_key, QuizAttempt.module_key,
                            QuizAttempt.module_version, QuizAttempt.quiz_id)
                  .subquery())
    needed = (select(first_pass.c.course_key, first_pass.c.module_key,
                     first_pass.c.module_version, func.count(QuizAttempt.id).label("attempts"))
              .join(QuizAttempt, and_(
                  QuizAttempt.user_id == first_pass.c.user_id,
                  QuizAttempt.course_key == first_pass.c.course_key,
                  QuizAttempt.module_key == first_pass.c.module_key,
                  QuizAttempt.module_version == first_pass.c.module_version,
                  QuizAttempt.quiz_id == first_pass.c.quiz_id,
                  QuizAttempt.created_at <= first_pass.c.passed_at))
              .group_by(first_pass.c.user_id, first_pass.c.course_key, first_pass.c.module_key,
                        first_pass.c.module_version, first_pass.c.quiz_id)
              .subquery())
    rows = db.session.execute(
        select(needed.c.course_key, needed.c.module_key, needed.c.module_version,
               needed.c.attempts, func.count())
        .group_by(needed.c.course_key, needed.c.module_key, needed.c.module_version,
                  needed.c.attempts)
    ).all()
    out: dict[tuple[str, str, int], dict[int, int]] = defaultdict(dict)
    for c, m, version, attempts, n in rows:
        out[(c, m, version)][attempts] = n
    return out


def module_health(catalog: Catalog, course_key: str | None = None) -> list[ModuleHealth]:
    """A row per module of the catalog (or of one course), in course order."""
    courses = [c for c in catalog.courses if course_key in (None, c.key)]
    keys = [c.key for c in courses]
    if not keys:
        return []
    started, latest, attempts = _started(keys), _latest_versions(keys), _attempts_to_pass(keys)
    rows = []
    for course in courses:
        for module in course.modules:
            versions = latest.get((course.key, module.key), {})
            histogram = attempts.get((course.key, module.key, module.version), {})
            rows.append(ModuleHealth(
                course, module, started.get((course.key, module.key), 0),
                sum(n for v, n in versions.items() if v >= module.version),
                sum(n for v, n in versions.items() if v < module.version),
                median_of_histogram(histogram), sum(histogram.values())))
    return rows
