"""The team dashboard of one cycle: members by required modules, computed as of a moment.

An open cycle is computed now, against the current catalog. A closed cycle is computed as of
the moment it closed, against the plan and module versions snapshotted then, so it reads the
same years later. Five queries, whatever the team's size (six when a required course sets
`valid_for_months:`, to find expired certificates: "renewal due").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import render_template
from markupsafe import Markup
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from lms.campaigns.models import ROLE_LABELS, ROLES, Cycle, Membership, PlanItem
from lms.campaigns.queries import due_date
from lms.catalog_store import current_catalog
from lms.certificates.queries import renewals_due
from lms.content.catalog import Catalog
from lms.extensions import db
from lms.models import utcnow
from lms.progress.models import Completion, ModuleView, QuizAttempt
from lms.reports.memo import memo_for


@dataclass(frozen=True)
class Column:
    course_key: str
    module_key: str
    course_title: str
    title: str
    version: int

    @property
    def heading(self) -> str:
        return f"{self.course_title}: {self.title} (v{self.version})"


@dataclass(frozen=True)
class Cell:
    status: str  # not-required, not-started, started, failed, refresh, completed
    label: str
    overdue: bool = False


@dataclass(frozen=True)
class Row:
    user_id: int
    name: str
    role: str
    cells: tuple[Cell, ...]
    done: int
    required: int
    overdue: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.required) if self.required else 100


@dataclass(frozen=True)
class RoleSummary:
    role: str
    members: int
    trained: int

    @property
    def label(self) -> str:
        return ROLE_LABELS[self.role]


@dataclass(frozen=True)
class Dashboard:
    cycle: Cycle
    as_of: datetime
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    key: tuple = ()

    @property
    def percent(self) -> int:
        required = sum(r.required for r in self.rows)
        return round(100 * sum(r.done for r in self.rows) / required) if required else 0

    @property
    def overdue(self) -> int:
        return sum(r.overdue for r in self.rows)

    @property
    def roles(self) -> tuple[RoleSummary, ...]:
        return tuple(
            RoleSummary(role, len(rows), sum(r.required > 0 and r.done == r.required
                                             for r in rows))
            for role in ROLES if (rows := [r for r in self.rows if r.role == role])
        )

    def table(self) -> list[list[str]]:
        """Exactly what the dashboard shows, as rows of text: the CSV export."""
        header = ["Name", "Role", "Completed", "Overdue", *[c.heading for c in self.columns]]
        return [header] + [
            [r.name, ROLE_LABELS[r.role], f"{r.percent}%", str(r.overdue),
             *[cell.label for cell in r.cells]]
            for r in self.rows
        ]


def snapshot_plan(cycle: Cycle, catalog: Catalog) -> dict:
    """What a cycle's plan requires right now: stored on the cycle when it closes."""
    items = db.session.scalars(select(PlanItem).where(PlanItem.cycle_id == cycle.id)).all()
    modules = []
    for course_key in dict.fromkeys(sorted(i.course_key for i in items)):
        course = catalog.course(course_key)
        for module in course.modules if course else ():
            modules.append({"course_key": course.key, "module_key": module.key,
                            "course_title": course.title, "title": module.title,
                            "version": module.version})
    plan = [{"course_key": i.course_key, "role": i.role, "due_days_before": i.due_days_before}
            for i in sorted(items, key=lambda i: (i.course_key, i.role))]
    return {"modules": modules, "plan": plan}


def build_dashboard(cycle: Cycle, catalog: Catalog) -> Dashboard:
    """The cycle's dashboard, kept per (cycle, revision, day) in this process (memo.py)."""
    as_of = cycle.closed_at or utcnow()
    key = ("dashboard", cycle.id, cycle.revision, None if cycle.closed_at else as_of.date())
    columns, rows, until = memo_for(catalog).get(
        key, lambda: _compute(cycle, catalog, as_of),
        weigh=lambda kept: 1000 + 120 * len(kept[0]) * len(kept[1]),  # about 120 B a cell
        fresh=lambda kept: kept[2] is None or as_of < kept[2])
    return Dashboard(cycle, as_of, columns, rows, key + (until,))


def grid_html(dashboard: Dashboard) -> Markup:
    """The dashboard's figures and grid as HTML, rendered once per dashboard key."""
    return memo_for(current_catalog()).get(dashboard.key + ("html",), lambda: Markup(  # noqa: S704
        render_template("campaigns/_grid.html", dashboard=dashboard)),  # autoescaped output
        weigh=lambda html: 100 + 2 * len(html))  # the grid's ✓ ◐ make it 2 bytes a character


def _compute(cycle: Cycle, catalog: Catalog, as_of: datetime) -> tuple[tuple, tuple, Any]:
    """(columns, rows, the moment a member's certificate next expires and the rows change)."""
    snapshot = (cycle.closed_snapshot if cycle.closed_at else None) or snapshot_plan(cycle, catalog)
    columns = tuple(Column(**m) for m in snapshot["modules"])
    required = {}  # role -> {course_key: due date}
    for item in snapshot["plan"]:
        required.setdefault(item["role"], {})[item["course_key"]] = due_date(
            cycle, item["due_days_before"])
    members = [m for m in db.session.scalars(
        select(Membership).options(joinedload(Membership.user))
        .where(Membership.cycle_id == cycle.id)
    ) if m.active_at(cycle.closed_at)]
    members.sort(key=lambda m: (ROLES.index(m.role), m.user.name.casefold(), m.user_id))
    facts = _facts([m.user_id for m in members], {c.course_key for c in columns}, as_of)
    # Expired certificates of courses that ask for renewal: one more query, only when a
    # required course sets valid_for_months.
    facts["renewal"], until = renewals_due([m.user_id for m in members], filter(None, (
        catalog.course(key) for key in {c.course_key for c in columns})), as_of)
    return columns, tuple(
        _row(member, columns, required.get(member.role, {}), facts, as_of) for member in members
    ), until


def _facts(user_ids: list[int], course_keys: set[str], as_of: datetime) -> dict:
    """Completions, views and quiz results of these people in these courses, up to as_of."""
    if not user_ids or not course_keys:
        return {"completed": {}, "viewed": set(), "quiz": {}}
    completed = db.session.execute(
        select(Completion.user_id, Completion.course_key, Completion.module_key,
               func.max(Completion.module_version))
        .where(Completion.user_id.in_(user_ids), Completion.course_key.in_(course_keys),
               Completion.completed_at <= as_of)
        .group_by(Completion.user_id, Completion.course_key, Completion.module_key)
    ).all()
    viewed = db.session.execute(
        select(ModuleView.user_id, ModuleView.course_key, ModuleView.module_key)
        .where(ModuleView.user_id.in_(user_ids), ModuleView.course_key.in_(course_keys),
               ModuleView.first_viewed_at <= as_of)
    ).all()
    quiz = db.session.execute(
        select(QuizAttempt.user_id, QuizAttempt.course_key, QuizAttempt.module_key,
               func.max(QuizAttempt.percent),
               func.max(case((QuizAttempt.passed.is_(True), 1), else_=0)))
        .where(QuizAttempt.user_id.in_(user_ids), QuizAttempt.course_key.in_(course_keys),
               QuizAttempt.created_at <= as_of, QuizAttempt.passed.is_not(None))
        .group_by(QuizAttempt.user_id, QuizAttempt.course_key, QuizAttempt.module_key)
    ).all()
    return {
        "completed": {(u, c, m): v for u, c, m, v in completed},
        "viewed": {tuple(row) for row in viewed},
        "quiz": {(u, c, m): (best, bool(passed)) for u, c, m, best, passed in quiz},
    }


def _row(member: Membership, columns, due_by_course: dict, facts: dict, as_of) -> Row:
    cells = []
    for column in columns:
        if column.course_key not in due_by_course:
            cells.append(Cell("not-required", "—"))
            continue
        cell = _cell(member.user_id, column, facts)
        due = due_by_course[column.course_key]
        overdue = cell.status != "completed" and due is not None and due < as_of.date()
        cells.append(Cell(cell.status, cell.label + (" (overdue)" if overdue else ""), overdue))
    required = [c for c in cells if c.status != "not-required"]
    return Row(member.user_id, member.user.name, member.role, tuple(cells),
               sum(c.status == "completed" for c in required), len(required),
               sum(c.overdue for c in required))


def _cell(user_id: int, column: Column, facts: dict) -> Cell:
    key = (user_id, column.course_key, column.module_key)
    version = facts["completed"].get(key)
    quiz = facts["quiz"].get(key)
    score = f", best {quiz[0]:.0f}%" if quiz else ""
    if version is not None and version >= column.version:
        if (user_id, column.course_key) in facts.get("renewal", ()):
            return Cell("refresh", "Renewal due (certificate expired)")
        return Cell("completed", "Completed" + score)
    if version is not None:
        return Cell("refresh", f"Needs refresh (did v{version})")
    if quiz and not quiz[1]:
        return Cell("failed", f"Quiz not passed{score}")
    if key in facts["viewed"]:
        return Cell("started", "Started")
    return Cell("not-started", "Not started")
