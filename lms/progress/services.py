"""Recording progress: views (for resume), completions and quiz attempts, each exactly once."""

from __future__ import annotations

from sqlalchemy import select, update

from lms.campaigns.revisions import touch_learner, touch_user
from lms.catalog_store import current_catalog
from lms.certificates.services import issue_if_complete
from lms.content.catalog import Module
from lms.content.quiz import Quiz, QuizResult, ResponseError, grade_quiz
from lms.db_ops import insert_once
from lms.extensions import db
from lms.models import utcnow
from lms.progress.models import Completion, ModuleView, QuizAttempt


def record_view(user_id: int, module: Module) -> None:
    """Remember that the person opened the module now (first view kept, last view moved)."""
    now = utcnow()
    values = {"user_id": user_id, "course_key": module.course_key, "module_key": module.key}
    touch_user(user_id)  # My training's "Continue where you left off"; and the person's row first
    moved = db.session.execute(
        update(ModuleView).filter_by(**values).values(last_viewed_at=now)).rowcount
    if not moved and insert_once(ModuleView, {**values, "first_viewed_at": now,
                                              "last_viewed_at": now}):
        touch_learner(user_id)  # dashboards show "Started"


def complete_module(user_id: int, module: Module) -> bool:
    """Record a completion of the module's current version; False if it was already recorded.
    Completing the course's last module issues its certificate (lms/certificates)."""
    record_view(user_id, module)
    inserted = insert_once(Completion, {
        "user_id": user_id,
        "course_key": module.course_key,
        "module_key": module.key,
        "module_version": module.version,
        "completed_at": utcnow(),
    })
    if inserted:
        touch_learner(user_id)
    course = current_catalog().course(module.course_key)
    if course is not None:
        issue_if_complete(user_id, course)
    return inserted


def submit_attempt(user_id: int, module: Module, quiz: Quiz, token: str,
                   answers: dict[str, list[str]]) -> tuple[QuizAttempt, QuizResult]:
    """Grade and store an attempt once per submission token; a replay returns the first one.

    Raises ResponseError (nothing written) when the answers are not what the form could send.
    Passing every graded quiz of the module completes the module at its current version.
    """
    result = grade_quiz(quiz, answers)
    key = {"user_id": user_id, "submission_token": token}
    touch_user(user_id)  # the module page lists every attempt; and the person's row first
    inserted = insert_once(QuizAttempt, {
        **key,
        "course_key": module.course_key,
        "module_key": module.key,
        "module_version": module.version,
        "quiz_id": quiz.id,
        "quiz_version": quiz.version,
        "record": result.to_record(),
        "earned": result.earned,
        "max_points": result.max_points,
        "percent": result.percent,
        "passed": result.passed,
        "created_at": utcnow(),
    })
    if inserted and result.passed is not None:
        touch_learner(user_id)  # dashboards show the best score
    attempt = db.session.scalars(select(QuizAttempt).filter_by(**key)).one()
    if attempt.quiz_id != quiz.id or attempt.module_key != module.key:
        raise ResponseError("This form was already sent for another quiz. Reload the page.")
    if attempt.passed and _passed_every_graded_quiz(user_id, module):
        complete_module(user_id, module)
    else:
        record_view(user_id, module)
    return attempt, result


def _passed_every_graded_quiz(user_id: int, module: Module) -> bool:
    passed = set(db.session.scalars(
        select(QuizAttempt.quiz_id).distinct().where(
            QuizAttempt.user_id == user_id,
            QuizAttempt.course_key == module.course_key,
            QuizAttempt.module_key == module.key,
            QuizAttempt.module_version == module.version,
            QuizAttempt.passed.is_(True),
        )
    ))
    return all(quiz.id in passed for quiz in module.graded_quizzes)
