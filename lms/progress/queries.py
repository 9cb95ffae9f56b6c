"""Per-person progress, read in a fixed number of queries and matched against the catalog."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Float, Integer, bindparam, cast, func, literal, null, select, union_all

from lms.content.catalog import Catalog, Course, Module
from lms.extensions import db
from lms.models import UTCDateTime
from lms.progress.models import Completion, ModuleView, QuizAttempt


class Status(StrEnum):
    NOT_STARTED = "not-started"
    STARTED = "started"
    COMPLETED = "completed"
    UPDATED = "updated"  # completed an older version; the module changed in substance since

    @property
    def label(self) -> str:
        return {
            "not-started": "Not started",
            "started": "Started",
            "completed": "Completed",
            "updated": "Updated since you completed it",
        }[self.value]


@dataclass(frozen=True)
class Progress:
    """One person's progress: best completed version and last view per (course, module)."""

    completed: dict[tuple[str, str], int]
    viewed: dict[tuple[str, str], datetime]
    best_percent: dict[tuple[str, str], float] = field(default_factory=dict)

    def best_score(self, module: Module) -> float | None:
        """The person's best quiz percentage in this module, at any version, or None."""
        return self.best_percent.get((module.course_key, module.key))

    def status(self, module: Module) -> Status:
        key = (module.course_key, module.key)
        version = self.completed.get(key)
        if version is not None:
            return Status.COMPLETED if version >= module.version else Status.UPDATED
        return Status.STARTED if key in self.viewed else Status.NOT_STARTED

    def course_counts(self, course: Course) -> tuple[int, int]:
        """(completed at the current version, modules) for a course."""
        done = sum(self.status(m) is Status.COMPLETED for m in course.modules)
        return done, len(course.modules)

    def minutes_left(self, course: Course) -> int:
        """Estimated minutes of the modules not yet completed at their current version."""
        return sum(m.minutes for m in course.modules if self.status(m) is not Status.COMPLETED)

    def next_module(self, course: Course) -> Module | None:
        """The first module not completed at its current version."""
        return next((m for m in course.modules if self.status(m) is not Status.COMPLETED), None)

    def last_viewed(self, catalog: Catalog) -> Module | None:
        """The module most recently opened that still exists in the catalog."""
        for (course_key, module_key), _ in sorted(self.viewed.items(), key=lambda kv: kv[1],
                                                  reverse=True):
            module = catalog.module(course_key, module_key)
            if module is not None:
                return module
        return None


EMPTY = Progress({}, {})


def progress_for(user_id: int | None) -> Progress:
    """One query, however many modules the person has touched: the best completed version,
    the last view and the best graded quiz score of each module, as one UNION ALL."""
    if user_id is None:
        return EMPTY
    completed, viewed, best = {}, {}, {}
    for kind, course_key, module_key, version, percent, at in db.session.execute(
            _PROGRESS, {"user_id": user_id}):
        if kind == "c":
            completed[(course_key, module_key)] = version
        elif kind == "v":
            viewed[(course_key, module_key)] = at
        else:
            best[(course_key, module_key)] = percent
    return Progress(completed, viewed, best)


# Built once: a prepared statement skips building and hashing the query on every request.
# Typed NULLs keep the columns' types alike on SQLite and PostgreSQL.
_USER = bindparam("user_id")
_PROGRESS = union_all(
    select(literal("c"), Completion.course_key, Completion.module_key,
           func.max(Completion.module_version), cast(null(), Float), cast(null(), UTCDateTime))
    .where(Completion.user_id == _USER)
    .group_by(Completion.course_key, Completion.module_key),
    select(literal("v"), ModuleView.course_key, ModuleView.module_key, cast(null(), Integer),
           cast(null(), Float), ModuleView.last_viewed_at)
    .where(ModuleView.user_id == _USER),
    select(literal("q"), QuizAttempt.course_key, QuizAttempt.module_key, cast(null(), Integer),
           func.max(QuizAttempt.percent), cast(null(), UTCDateTime))
    .where(QuizAttempt.user_id == _USER, QuizAttempt.passed.is_not(None))
    .group_by(QuizAttempt.course_key, QuizAttempt.module_key),
)


def attempts_for(user_id: int, module: Module) -> list[QuizAttempt]:
    """The person's attempts at this module's quizzes, newest first."""
    return list(db.session.scalars(
        select(QuizAttempt).where(
            QuizAttempt.user_id == user_id,
            QuizAttempt.course_key == module.course_key,
            QuizAttempt.module_key == module.key,
        ).order_by(QuizAttempt.created_at.desc(), QuizAttempt.id.desc())
    ))


@dataclass(frozen=True)
class TrainingOverview:
    """My training, grouped: courses in progress, completed, and modules updated since."""

    in_progress: tuple[Course, ...]
    completed: tuple[Course, ...]
    updated: tuple[tuple[Course, Module], ...]


def training_overview(progress: Progress, courses: tuple[Course, ...]) -> TrainingOverview:
    in_progress, completed, updated = [], [], []
    for course in courses:
        statuses = [progress.status(module) for module in course.modules]
        updated += [(course, m) for m, s in zip(course.modules, statuses, strict=True)
                    if s is Status.UPDATED]
        if statuses and all(s is Status.COMPLETED for s in statuses):
            completed.append(course)
        elif any(s is not Status.NOT_STARTED for s in statuses):
            in_progress.append(course)
    return TrainingOverview(tuple(in_progress), tuple(completed), tuple(updated))
