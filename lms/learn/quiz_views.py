"""Taking a quiz: submit (graded on the server, stored once) and the result page."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.content.quiz import ResponseError, grade_quiz
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
@login_required
def submit_quiz(course_key: str, module_key: str, quiz_id: str):
    course, module, quiz = _quiz_or_404(course_key, module_key, quiz_id)
    form = QuizForm()
    if not form.validate_on_submit():
        abort(400, "The quiz form was incomplete. Reload the page and answer again.")
    try:
        attempt, _ = services.submit_attempt(
            current_user.id, module, quiz, form.submission.data, submitted_answers(request.form)
        )
    except ResponseError as problem:
        db.session.rollback()
        abort(400, str(problem))
    result_url = url_for(".quiz_result", course_key=course.key, module_key=module.key,
                         quiz_id=quiz.id, attempt_id=attempt.id)
    fault_point("quiz-before-commit")
    db.session.commit()  # nothing read after it: one transaction, one hold of the write lock
    return redirect(result_url)


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
