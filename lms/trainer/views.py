"""Trainer pages: the start page, the preview, and the module editor (open, create, save).

Every route of this blueprint is for trainers and admins only (policy.can_use_trainer_tools):
anyone else signed in gets 403, anyone signed out the login page. The report pages live in
report_views.py on the same blueprint.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from lms import policy
from lms.catalog_store import current_catalog
from lms.content.loader import SLUG
from lms.extensions import db
from lms.learn.forms import QuizForm
from lms.trainer import files, queries, services
from lms.trainer.forms import EditorForm, NewModuleForm, PreviewForm
from lms.trainer.preview import Preview, preview_in_course, preview_scratch

bp = Blueprint("trainer", __name__, url_prefix="/trainer")
log = logging.getLogger("lms.trainer")


@bp.before_request
def trainers_only():
    """Deny by default: every trainer page asks policy first."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not policy.can_use_trainer_tools(current_user):
        abort(403)
    return None


@bp.app_context_processor
def trainer_link() -> dict:
    return {"show_trainer_link": policy.can_use_trainer_tools(current_user)}


def _courses_dir() -> Path:
    return Path(current_app.config["COURSES_DIR"])


def _store():
    return current_app.extensions["lms.catalog"]


def _preview_context(preview: Preview | None) -> dict:
    """What templates/trainer/_preview.html needs, quiz forms included."""
    quizzes = preview.module.quizzes if preview and preview.module else ()
    return {"preview": preview, "quiz_forms": {q.id: QuizForm(formdata=None) for q in quizzes}}


def _course_choices() -> list[tuple[str, str]]:
    return [("", "No course")] + [(c.key, c.title) for c in current_catalog().courses]


@bp.route("/")
def index():
    catalog = current_catalog()
    return render_template("trainer/index.html", courses=catalog.courses,
                           left_out=queries.left_out(_courses_dir(), catalog),
                           saves=queries.recent_saves(),
                           can_edit=policy.can_edit_courses(current_user))


def _preview_for(form: PreviewForm) -> Preview:
    """The preview a PreviewForm asks for: in a module's place in its course, with a course
    only (links and images), or on its own."""
    course_key, name = form.course_key.data or "", form.file_name.data or ""
    course_url = url_for("learn.course", course_key=course_key) if course_key else ""
    try:
        if course_key and name:
            file = files.module_file(_courses_dir(), course_key, name)
            on_disk = files.read(file)
            return preview_in_course(file, form.source.data, on_disk[0] if on_disk else None,
                                     course_url, getattr(_store(), "cache", None))
        if course_key:
            files.module_file(_courses_dir(), course_key, "00-preview.md")  # a real course?
            return preview_scratch(form.source.data, _courses_dir() / course_key, course_url)
    except files.PathRefused:
        abort(400, "There is no such course or module file.")
    return preview_scratch(form.source.data)


@bp.route("/preview", methods=["GET", "POST"])
def preview():
    form = PreviewForm()
    form.course_key.choices = _course_choices()
    if request.method == "POST" and not form.validate_on_submit():
        return render_template("trainer/preview.html", form=form,
                               **_preview_context(None)), 400
    if request.method == "GET":
        form.source.data = queries.NEW_MODULE_TEXT
    return render_template("trainer/preview.html", form=form,
                           **_preview_context(_preview_for(form)))


@bp.route("/preview/fragment", methods=["POST"])
def preview_fragment():
    """The live preview's HTML, for the editor's script (never a whole page)."""
    form = PreviewForm()
    form.course_key.choices = _course_choices()
    if not form.validate_on_submit():
        abort(400, "The preview request was not valid.")
    return render_template("trainer/_preview.html", **_preview_context(_preview_for(form)))


def _may_edit() -> None:
    if not policy.can_edit_courses(current_user):
        abort(403)


def _editor(course_key: str, file: files.ModuleFile | None, form: EditorForm,
            old_text: str | None, *, new: bool = False,
            conflict: services.SaveConflict | None = None, status: int = 200):
    """The editor page; `file` is None only for a new module whose file name was refused."""
    course = current_catalog().course(course_key)
    course_url = url_for("learn.course", course_key=course_key)
    if file is None:
        preview = preview_scratch(form.source.data or "", _courses_dir() / course_key, course_url)
    else:
        preview = preview_in_course(file, form.source.data or "", old_text, course_url,
                                    getattr(_store(), "cache", None))
    module = next((m for m in course.modules if file and Path(m.path).name == file.name),
                  None) if course else None
    diff = queries.diff_lines(conflict.current_text or "", form.source.data or "") \
        if conflict else []
    return render_template("trainer/editor.html", course_key=course_key, file=file, form=form,
                           new=new, course=course, module=module, conflict=conflict, diff=diff,
                           exists=bool(file and file.exists()),
                           **_preview_context(preview)), status


def _save(file: files.ModuleFile, form: EditorForm, old_text: str | None, *, new: bool = False):
    try:
        result = services.save_module(
            file, form.source.data, base_hash=form.base_hash.data or None,
            substantive=bool(form.substantive.data), user_id=current_user.id,
            author=(current_user.name, current_user.email),
            lock_path=Path(current_app.instance_path) / "editor.lock",
            cache=getattr(_store(), "cache", None))
    except services.SaveConflict as conflict:
        if new:
            form.file_name.errors.append("A file with this name already exists. Choose "
                                         "another name, or open that module to edit it.")
            return _editor(file.course_key, file, form, None, new=True, status=409)
        form.base_hash.data = conflict.current_hash or ""
        return _editor(file.course_key, file, form, conflict.current_text, conflict=conflict,
                       status=409)
    except services.DraftHasErrors as refused:
        flash(f"Not saved: {refused}", "error")
        return _editor(file.course_key, file, form, old_text, new=new, status=422)
    except services.NothingChanged as unchanged:
        flash(str(unchanged), "info")
        return _editor(file.course_key, file, form, old_text, new=new)
    db.session.commit()
    catalog = _store().refresh()
    log.info("user %s saved %s (%s)", current_user.id, file.relative, result.record.hash_after)
    module = next((m for m in catalog.course(file.course_key).modules
                   if Path(m.path).name == file.name), None)
    flash(f"Saved {file.relative}" + (f": learners now see version {result.version}."
                                      if result.record.version_bumped else "."), "success")
    return redirect(url_for(".edit", course_key=file.course_key,
                            module_key=module.key if module else file.name[:-3]))


@bp.route("/courses/<course_key>/modules/<module_key>/edit", methods=["GET", "POST"])
def edit(course_key: str, module_key: str):
    _may_edit()
    file = queries.find_module_file(_courses_dir(), current_catalog(), course_key, module_key)
    if file is None:
        abort(404)
    try:
        on_disk = files.read(file)
    except files.PathRefused as refused:
        abort(400, str(refused))
    if on_disk is None:
        abort(404)
    form = EditorForm()
    if request.method == "GET":
        form.source.data, form.base_hash.data = on_disk
    elif not form.validate_on_submit():
        return _editor(course_key, file, form, on_disk[0], status=400)
    elif form.save.data:
        return _save(file, form, on_disk[0])
    return _editor(course_key, file, form, on_disk[0])


@bp.route("/courses/<course_key>/new", methods=["GET", "POST"])
def new_module(course_key: str):
    _may_edit()
    if not SLUG.fullmatch(course_key) or not (_courses_dir() / course_key / "course.md").is_file():
        abort(404)
    form = NewModuleForm()
    if request.method == "GET":
        form.file_name.data = queries.next_file_name(_courses_dir(), course_key)
        form.source.data = queries.NEW_MODULE_TEXT
    elif not form.validate_on_submit():
        return _editor(course_key, None, form, None, new=True, status=400)
    try:
        file = files.module_file(_courses_dir(), course_key, form.file_name.data)
    except files.PathRefused as refused:
        form.file_name.errors = [*form.file_name.errors, str(refused)]
        return _editor(course_key, None, form, None, new=True, status=400)
    if request.method == "POST" and form.save.data:
        return _save(file, form, None, new=True)
    return _editor(course_key, file, form, None, new=True)


from lms.trainer import report_views  # noqa: E402,F401 - adds the report routes to bp
