"""Learner pages. Reading is open (unless the catalog is private); recording needs an account."""

from __future__ import annotations

import random
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_from_directory,
    url_for,
)
from flask_login import current_user, login_required

from lms import policy
from lms.campaigns.queries import memberships_of, requirements_for
from lms.catalog_store import current_catalog
from lms.certificates.queries import certificates_of, current_certificate
from lms.certificates.services import issue_if_complete
from lms.content.catalog import Course, Module
from lms.content.loader import MODULE_FILE
from lms.extensions import db
from lms.learn.forms import QuizForm
from lms.models import utcnow
from lms.progress import services
from lms.progress.queries import attempts_for, progress_for, training_overview

bp = Blueprint("learn", __name__)


def _user_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


def _course_or_404(course_key: str) -> Course:
    if not policy.can_browse(current_user):
        abort(current_app.login_manager.unauthorized())
    course = current_catalog().course(course_key)
    if course is None or not policy.can_view_course(current_user, course):
        abort(404)
    return course


def _module_or_404(course_key: str, module_key: str) -> tuple[Course, Module]:
    course = _course_or_404(course_key)
    module = course.module(module_key)
    if module is None:
        abort(404)
    return course, module


@bp.route("/")
def catalog():
    if not policy.can_browse(current_user):
        return current_app.login_manager.unauthorized()
    courses = current_catalog().visible_courses(policy.is_trainer(current_user))
    return render_template("learn/catalog.html", courses=courses,
                           progress=progress_for(_user_id()))


@bp.route("/courses/<course_key>/")
def course(course_key: str):
    course = _course_or_404(course_key)
    return render_template("learn/course.html", course=course,
                           progress=progress_for(_user_id()),
                           certificate=current_certificate(_user_id(), course.key))


@bp.route("/courses/<course_key>/<module_key>")
def module(course_key: str, module_key: str):
    course, module = _module_or_404(course_key, module_key)
    previous, following = course.neighbours(module)
    user_id = _user_id()
    return render_template(
        "learn/module.html", course=course, module=module, previous=previous,
        following=following, progress=progress_for(user_id),
        # A visitor cannot submit: no form, so no CSRF token and no session cookie.
        quiz_forms={quiz.id: QuizForm() for quiz in module.quizzes} if user_id else {},
        attempts=attempts_for(user_id, module) if user_id else [],
    )


@bp.route("/courses/<course_key>/<module_key>/viewed", methods=["POST"])
@login_required
def viewed(course_key: str, module_key: str):
    """Called by a small script on the module page: GET requests never write. Opening a module
    may be the last step of renewing an expired certificate (lms/certificates/services.py)."""
    course, module = _module_or_404(course_key, module_key)
    services.record_view(current_user.id, module)
    if course.valid_for_months:
        issue_if_complete(current_user.id, course)
    db.session.commit()
    return "", 204


@bp.route("/courses/<course_key>/<module_key>/complete", methods=["POST"])
@login_required
def complete(course_key: str, module_key: str):
    course, module = _module_or_404(course_key, module_key)
    if module.graded_quizzes:
        flash("Pass the quiz at the end of this module to complete it.", "info")
        return redirect(url_for(".module", course_key=course.key, module_key=module.key))
    if services.complete_module(current_user.id, module):
        flash(f"“{module.title}” is complete.", "success")
    else:
        flash("You had already completed this module.", "info")
    db.session.commit()
    _, following = course.neighbours(module)
    if following is not None:
        return redirect(url_for(".module", course_key=course.key, module_key=following.key))
    return redirect(url_for(".course", course_key=course.key))


@bp.route("/courses/<course_key>/files/<path:filename>")
def course_file(course_key: str, filename: str):
    """Images and downloads from the course folder; send_from_directory refuses path escapes."""
    course = _course_or_404(course_key)
    name = filename.rsplit("/", 1)[-1]
    # Module sources hold quiz answer keys: never serve them, nor course.md or hidden files.
    if name == "course.md" or MODULE_FILE.match(name) or "/." in f"/{filename}":
        abort(404)
    folder = Path(current_app.config["COURSES_DIR"]) / course.key
    return send_from_directory(folder, filename, max_age=3600)


@bp.route("/my")
@login_required
def my_training():
    catalog = current_catalog()
    progress = progress_for(current_user.id)
    courses = catalog.visible_courses(policy.is_trainer(current_user))
    memberships = memberships_of(current_user.id)
    return render_template("learn/my_training.html", courses=courses, progress=progress,
                           resume=progress.last_viewed(catalog),
                           overview=training_overview(progress, courses),
                           memberships=memberships, today=utcnow().date(),
                           requirements=requirements_for(memberships, catalog, progress),
                           certificates=certificates_of(current_user.id, catalog, utcnow()))


@bp.app_template_filter("shuffle_with")
def shuffle_with(items, seed: str) -> list:
    """The same order for the same form (seeded by its submission token): display only."""
    shuffled = list(items)
    random.Random(seed).shuffle(shuffled)  # noqa: S311 - display order, not security
    return shuffled
