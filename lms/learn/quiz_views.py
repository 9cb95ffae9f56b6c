"""Taking a quiz: submit (graded on the server, stored once) and the result page."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.content.quiz import ResponseError, grade_quiz
from lms.db_ops import reads_first, write_transaction
from lms.extensions import db
from lms.faults import fault_point
from lms.learn.forms import QuizForm, submitted_answers
from lms.learn.views import _module_or_404, bp
from lms.progress import services
from lms.progress.models import QuizAttempt


def _quiz_or_404(course_key: str, module_key: str, quiz_id: str):
    course, module = _module_or_404(course_key, module_key)
    quiz = module.quiz(quiz_id)
    if quiz is None:
        abort(404)
    return course, module, quiz


@bp.route("/courses/<course_key>/<module_key>/quiz/<quiz_id>", methods=["POST"])
@reads_first
@login_required
def submit_quiz(course_key: str, module_key: str, quiz_id: str):
    """Most submissions are answered before they get here (lms/learn/quick_submit.py); this is
    the full path, which says what is wrong with the others."""
    course, module, quiz = _quiz_or_404(course_key, module_key, quiz_id)
    form = QuizForm()
    if not form.validate_on_submit():
        abort(400, "The quiz form was incomplete. Reload the page and answer again.")
    try:
        result = grade_quiz(quiz, submitted_answers(request.form))
    except ResponseError as problem:
        abort(400, str(problem))
    user_id = current_user.id
    db.session.rollback()  # the reads (the user row) are done; the write has its own transaction
    try:
        attempt_id = record_attempt(user_id, module, quiz, form.submission.data, result)
    except ResponseError as problem:
        abort(400, str(problem))
    return redirect(url_for(".quiz_result", course_key=course.key, module_key=module.key,
                            quiz_id=quiz.id, attempt_id=attempt_id))


def record_attempt(user_id: int, module, quiz, token: str, result,
                   generation: int | None = None) -> int:
    """Store a graded attempt in one short write transaction of its own and commit it (this
    view and the quick submission, lms/learn/quick_submit.py): the write lock is held for the
    writes alone, taken in turn (db_ops.write_transaction). Raises ResponseError, with nothing
    written, when the token was sent for another quiz, and services.AccountRefused when a
    session `generation` is given and the account is not signed in with it."""
    attempt = services.new_attempt(user_id, module, quiz, token, result, generation)
    with write_transaction():
        attempt_id = services.store_attempt(module, quiz, attempt)
        fault_point("quiz-before-commit")
    return attempt_id


@bp.route("/courses/<course_key>/<module_key>/quiz/<quiz_id>/attempts/<id:attempt_id>")
@login_required
def quiz_result(course_key: str, module_key: str, quiz_id: str, attempt_id: int):
    course, module, quiz = _quiz_or_404(course_key, module_key, quiz_id)
    attempt = db.session.scalar(select(QuizAttempt).filter_by(
        id=attempt_id, user_id=current_user.id, course_key=course.key, module_key=module.key,
        quiz_id=quiz.id))
    if attempt is None:
        abort(404)
    # Feedback comes from the quiz as it was graded; if it changed since, show the stored result.
    result = None
    if attempt.quiz_version == quiz.version:
        answers = {q["id"]: q["answer"] for q in attempt.record["questions"]}
        result = grade_quiz(quiz, answers)
    _, following = course.neighbours(module)
    return render_template("learn/quiz_result.html", course=course, module=module, quiz=quiz,
                           attempt=attempt, result=result, following=following)
