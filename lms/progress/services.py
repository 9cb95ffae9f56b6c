"""Recording progress: views (for resume), completions and quiz attempts, each exactly once."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select, update

from lms.campaigns.revisions import touch_learner, touch_signed_in, touch_user
from lms.catalog_store import current_catalog
from lms.certificates.services import issue_if_complete
from lms.content.catalog import Module
from lms.content.quiz import Quiz, QuizResult, ResponseError, grade_quiz
from lms.db_ops import Bound, bind_insert, execute, insert_once
from lms.models import utcnow
from lms.progress.models import Completion, ModuleView, QuizAttempt

# Built once: building a statement costs more than running it (lms/db_ops.py).
_MOVE_VIEW = update(ModuleView).where(
    ModuleView.user_id == bindparam("person"), ModuleView.course_key == bindparam("course"),
    ModuleView.module_key == bindparam("module")).values(last_viewed_at=bindparam("now"))
_ATTEMPT_BY_TOKEN = select(QuizAttempt.id, QuizAttempt.course_key, QuizAttempt.module_key,
                           QuizAttempt.quiz_id).where(
    QuizAttempt.user_id == bindparam("user_id"),
    QuizAttempt.submission_token == bindparam("token"))
_PASSED_QUIZZES = select(QuizAttempt.quiz_id).distinct().where(
    QuizAttempt.user_id == bindparam("user_id"),
    QuizAttempt.course_key == bindparam("course_key"),
    QuizAttempt.module_key == bindparam("module_key"),
    QuizAttempt.module_version == bindparam("module_version"),
    QuizAttempt.passed.is_(True))


def record_view(user_id: int, module: Module) -> None:
    """Remember that the person opened the module now (first view kept, last view moved)."""
    now = utcnow()
    touch_user(user_id)  # My training's "Continue where you left off"; and the person's row first
    moved = execute(_MOVE_VIEW, {"person": user_id, "course": module.course_key,
                                 "module": module.key, "now": now}).rowcount
    if not moved and insert_once(ModuleView, {
            "user_id": user_id, "course_key": module.course_key, "module_key": module.key,
            "first_viewed_at": now, "last_viewed_at": now}):
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
    }) is not None
    if inserted:
        touch_learner(user_id)
    course = current_catalog().course(module.course_key)
    if course is not None:
        issue_if_complete(user_id, course)
    return inserted


def submit_attempt(user_id: int, module: Module, quiz: Quiz, token: str,
                   answers: dict[str, list[str]]) -> tuple[int, QuizResult]:
    """Grade and store an attempt (store_attempt): its id and the result.

    Raises ResponseError (nothing written) when the answers are not what the form could send.
    """
    result = grade_quiz(quiz, answers)
    return store_attempt(module, quiz, new_attempt(user_id, module, quiz, token, result)), result


@dataclass(frozen=True)
class NewAttempt:
    """A graded attempt ready to store: its INSERT is bound ahead of the write transaction
    (db_ops.bind_insert), so the write lock is not held while it is compiled and converted."""

    user_id: int
    token: str
    passed: bool | None
    insert: Bound
    generation: int | None = None  # the session's, when the write checks the account


class AccountRefused(Exception):
    """The account is gone, disabled or signed out of this session (store_attempt with a
    session generation): nothing was written, the full path answers."""


def new_attempt(user_id: int, module: Module, quiz: Quiz, token: str, result: QuizResult,
                generation: int | None = None) -> NewAttempt:
    """The row of a graded attempt, worked out before the write transaction begins (its
    figures, its record as JSON, the INSERT compiled). With the session's
    `generation`, storing it makes the user loader's checks of the account first."""
    row = {
        "user_id": user_id,
        "submission_token": token,
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
    }
    return NewAttempt(user_id, token, result.passed, bind_insert(QuizAttempt, row), generation)


def store_attempt(module: Module, quiz: Quiz, attempt: NewAttempt) -> int:
    """Store an attempt (new_attempt) once per submission token; its id (a replay's is the
    first one's, and changes nothing). Passing every graded quiz of the module completes the
    module at its current version. Raises ResponseError when the token was used for another
    quiz, and AccountRefused when the attempt's session generation is not the account's."""
    user_id, passed = attempt.user_id, attempt.passed
    # The module page lists every attempt; and the person's row first (lock order).
    if attempt.generation is None:
        touch_user(user_id)
    elif not touch_signed_in(user_id, attempt.generation):
        raise AccountRefused
    inserted = execute(attempt.insert).fetchone()  # insert_once, bound in new_attempt
    if inserted is None:  # a replay: the first submission recorded everything with it
        first_id, *sent_for = execute(_ATTEMPT_BY_TOKEN, {
            "user_id": user_id, "token": attempt.token}).fetchone()
        if sent_for != [module.course_key, module.key, quiz.id]:
            raise ResponseError("This form was already sent for another quiz. Reload the page.")
        return first_id
    if passed is not None:
        touch_learner(user_id)  # dashboards show the best score
    if passed and _passed_every_graded_quiz(user_id, module, quiz):
        complete_module(user_id, module)
    else:
        record_view(user_id, module)
    return inserted[0]


def _passed_every_graded_quiz(user_id: int, module: Module, passing: Quiz) -> bool:
    """Whether the person has now passed every graded quiz of the module at its version (the
    one just passed included)."""
    others = [quiz.id for quiz in module.graded_quizzes if quiz.id != passing.id]
    if not others:
        return True
    passed = {quiz_id for quiz_id, in execute(_PASSED_QUIZZES, {
        "user_id": user_id, "course_key": module.course_key, "module_key": module.key,
        "module_version": module.version})}
    return passed.issuperset(others)
