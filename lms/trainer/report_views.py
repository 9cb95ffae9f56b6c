"""Trainer report pages: question statistics, content health and the organisation overview,
each with its CSV export (the same checks as the page: this blueprint is trainers-only)."""

from __future__ import annotations

import csv
import io
import logging

from flask import Response, abort, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from lms.campaigns.cycle_views import csv_cell
from lms.catalog_store import current_catalog
from lms.reports import organisation
from lms.reports.content_health import module_health
from lms.reports.question_stats import question_rows, sort_rows, table
from lms.trainer.forms import HealthFilterForm, OrganisationFilterForm, QuestionFilterForm
from lms.trainer.views import bp

log = logging.getLogger("lms.reports")


def _csv(rows: list[list[str]], name: str) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _question_filters() -> QuestionFilterForm:
    """The filter form, validated (400 otherwise). Without a module, the course's first module
    with a quiz; a module of another course (left over when the course was changed without
    JavaScript) falls back to all modules."""
    catalog = current_catalog()
    courses = [c for c in catalog.courses if any(m.quizzes for m in c.modules)]
    args = MultiDict(request.args)
    modules: list[tuple[str, str]] = []
    if courses:
        course = catalog.course(args.setdefault("course", courses[0].key))
        if course is None or course not in courses:
            abort(400, "There is no such course with quizzes.")
        modules = [(m.key, m.title) for m in course.modules if m.quizzes]
        if "module" not in args:  # one module at first: a whole course can be many attempts
            args["module"] = modules[0][0]
        elif args["module"] not in dict(modules):
            args["module"] = ""
    form = QuestionFilterForm(formdata=args)
    form.course.choices = [(c.key, c.title) for c in courses]
    form.module.choices = [("", "All modules"), *modules]
    if courses and not form.validate():
        abort(400, "The filters were not valid: " + "; ".join(form.errors))
    return form


# The order a column sorts in when first clicked: problems first.
FIRST_ORDER = {"position": "asc", "respondents": "desc", "correct": "asc",
               "discrimination": "asc", "flags": "desc"}


def _sort_links(form: QuestionFilterForm) -> dict[str, str]:
    """A link per sortable column: the other filters kept, the order toggled on the current."""
    args = {k: v for k, v in request.args.items() if v and k not in ("sort", "order")}
    links = {}
    for key, first in FIRST_ORDER.items():
        order = first
        if key == form.sort.data:
            order = "asc" if form.order.data == "desc" else "desc"
        links[key] = url_for(".questions", **args, sort=key, order=order)
    return links


@bp.route("/questions")
def questions():
    form = _question_filters()
    rows = []
    if form.course.choices:
        rows = sort_rows(question_rows(current_catalog(), form.course.data,
                                       form.module.data or None, form.split.data),
                         form.sort.data, form.order.data == "desc")
    return render_template("trainer/questions.html", form=form, rows=rows,
                           args={k: v for k, v in request.args.items() if v},
                           sort_links=_sort_links(form))


@bp.route("/questions.csv")
def questions_csv():
    form = _question_filters()
    if not form.course.choices:
        abort(404)
    rows = sort_rows(question_rows(current_catalog(), form.course.data,
                                   form.module.data or None, form.split.data),
                     form.sort.data, form.order.data == "desc")
    log.info("user %s exported question statistics of %s", current_user.id, form.course.data)
    return _csv(table(rows), f"evergreen-questions-{form.course.data}.csv")


@bp.route("/health")
def health():
    catalog = current_catalog()
    form = HealthFilterForm(formdata=request.args)
    form.course.choices = [("", "All courses"), *[(c.key, c.title) for c in catalog.courses]]
    if not form.validate():
        abort(400, "Choose one of the listed courses.")
    return render_template("trainer/health.html", form=form,
                           rows=module_health(catalog, form.course.data or None))


def _organisation_filters() -> tuple[OrganisationFilterForm, organisation.Filters]:
    states, years, offices = organisation.filter_choices()
    form = OrganisationFilterForm(formdata=request.args)
    form.state.choices = [("", "All states"), *[(s, s) for s in states]]
    form.year.choices = [("", "Current cycle"), *[(str(y), f"{y} cycle") for y in years]]
    form.office.choices = [("", "All offices"), *[(o, o) for o in offices]]
    if not form.validate():
        abort(400, "The filters were not valid.")
    return form, organisation.Filters(form.state.data or None,
                                      int(form.year.data) if form.year.data else None,
                                      form.office.data or None)


@bp.route("/campaigns")
def campaigns():
    form, filters = _organisation_filters()
    overview = organisation.overview_page(current_catalog(), filters, form.page.data or 1)
    if overview.page > overview.pages:
        abort(404)
    query = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("trainer/campaigns.html", form=form, overview=overview, query=query)


@bp.route("/campaigns.csv")
def campaigns_csv():
    _, filters = _organisation_filters()
    rows = list(organisation.all_rows(current_catalog(), filters))
    log.info("user %s exported the organisation overview (%s campaigns)", current_user.id,
             len(rows))
    return _csv(organisation.table(rows), "evergreen-campaigns.csv")
