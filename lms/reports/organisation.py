"""The organisation overview: every campaign with its state, office, cycle, members, completion
and overdue count; filtered by state, cycle year and office; 50 to a page.

The figures are the campaign dashboard's (lms/reports/dashboard.py) computed for a whole page
of campaigns at once: the same training plan (the snapshot taken when a cycle closed, else the
live plan against the current catalog), the same members (those on the team at the as-of
moment), the same rule for "done" (a completion of the column's version or later, made by the
as-of moment) and "overdue" (not done, due before the as-of date). Six queries per page,
however many campaigns or people; the export reads the filtered campaigns a page at a time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, or_, select

from lms.campaigns.models import Campaign, Cycle, Membership, PlanItem
from lms.content.catalog import Catalog
from lms.extensions import db
from lms.models import utcnow
from lms.progress.models import Completion
from lms.reports.memo import memo_for

PAGE_SIZE = 50
EXPORT_CHUNK = 500


@dataclass(frozen=True)
class Filters:
    state: str | None = None
    year: int | None = None
    office: str | None = None


@dataclass(frozen=True)
class CampaignRow:
    campaign_id: int
    name: str
    state: str
    office: str
    district: str
    cycle_id: int
    year: int
    is_open: bool
    members: int
    required: int
    done: int
    overdue: int

    @property
    def percent(self) -> int:
        """As the dashboard shows it: share of required modules done, 0 when none required."""
        return round(100 * self.done / self.required) if self.required else 0


@dataclass(frozen=True)
class OverviewPage:
    rows: tuple[CampaignRow, ...]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def _chosen_cycles(filters: Filters):
    """Each campaign's cycle to show: the one of the chosen year, else its current cycle (the
    open one, or the latest when all are closed, as Campaign.current_cycle)."""
    if filters.year is not None:
        return select(Cycle.id).where(Cycle.election_year == filters.year)
    ranked = select(Cycle.id, func.row_number().over(
        partition_by=Cycle.campaign_id,
        order_by=(case((Cycle.closed_at.is_(None), 0), else_=1), Cycle.election_year.desc()),
    ).label("rank")).subquery()
    return select(ranked.c.id).where(ranked.c.rank == 1)


def _base(filters: Filters):
    statement = (select(Campaign.id.label("campaign_id"), Campaign.name, Campaign.state,
                        Campaign.office, Campaign.district, Cycle.id.label("cycle_id"),
                        Cycle.election_year, Cycle.election_date, Cycle.closed_at,
                        Cycle.closed_snapshot, Cycle.revision)
                 .join(Cycle, Cycle.campaign_id == Campaign.id)
                 .where(Cycle.id.in_(_chosen_cycles(filters))))
    if filters.state:
        statement = statement.where(Campaign.state == filters.state)
    if filters.office:
        statement = statement.where(Campaign.office == filters.office)
    return statement


def overview_page(catalog: Catalog, filters: Filters, page: int = 1) -> OverviewPage:
    """Query 1 counts, query 2 reads the page, queries 3-5 the figures (see _figures)."""
    total = db.session.scalar(select(func.count()).select_from(_base(filters).subquery()))
    rows = db.session.execute(_base(filters).order_by(Campaign.name, Campaign.id)
                              .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return OverviewPage(tuple(_campaign_rows(rows, catalog)), total or 0, page)


def all_rows(catalog: Catalog, filters: Filters) -> Iterator[CampaignRow]:
    """Every filtered campaign, for the CSV export: a fixed number of queries per 500."""
    offset = 0
    while True:
        rows = db.session.execute(_base(filters).order_by(Campaign.name, Campaign.id)
                                  .limit(EXPORT_CHUNK).offset(offset)).all()
        yield from _campaign_rows(rows, catalog)
        if len(rows) < EXPORT_CHUNK:
            return
        offset += EXPORT_CHUNK


def _plans(rows, catalog: Catalog) -> dict[int, tuple[list[dict], dict[str, dict]]]:
    """Per cycle: (module columns, {role: {course key: due date}}), as the dashboard reads them.
    Query 3: the live plan items of the cycles without a closing snapshot."""
    live = [r.cycle_id for r in rows if not r.closed_snapshot]
    items = db.session.execute(
        select(PlanItem.cycle_id, PlanItem.course_key, PlanItem.role, PlanItem.due_days_before)
        .where(PlanItem.cycle_id.in_(live))
    ).all() if live else []
    by_cycle = defaultdict(list)
    for cycle_id, course_key, role, days in items:
        by_cycle[cycle_id].append({"course_key": course_key, "role": role,
                                   "due_days_before": days})
    plans = {}
    for row in rows:
        cycle_id, election_date, snapshot = row.cycle_id, row.election_date, row.closed_snapshot
        if snapshot:
            columns, plan = snapshot["modules"], snapshot["plan"]
        else:
            plan = by_cycle.get(cycle_id, [])
            columns = [{"course_key": key, "module_key": module.key, "version": module.version}
                       for key in sorted({i["course_key"] for i in plan})
                       for module in (catalog.course(key).modules if catalog.course(key) else ())]
        required: dict[str, dict[str, date | None]] = defaultdict(dict)
        for item in plan:
            days = item["due_days_before"]
            required[item["role"]][item["course_key"]] = (
                election_date - timedelta(days=days) if days is not None else None)
        plans[cycle_id] = (columns, required)
    return plans


def _active(joined_at: datetime, removed_at: datetime | None, moment: datetime | None) -> bool:
    """Membership.active_at: on the team at `moment` (None: now)."""
    if moment is None:
        return removed_at is None
    return joined_at <= moment and (removed_at is None or removed_at > moment)


def _campaign_rows(rows, catalog: Catalog) -> list[CampaignRow]:
    """The rows with their figures, kept per (cycle, revision, day) like the dashboards."""
    today = utcnow().date()
    keys = {("overview", r.cycle_id, r.revision, None if r.closed_at else today): r
            for r in rows}
    figures = memo_for(catalog).get_many(list(keys), lambda missing: {
        key: value for key, value in zip(missing, _figures([keys[k] for k in missing], catalog),
                                         strict=True)}, weigh=lambda figures: 200)
    return [CampaignRow(row.campaign_id, row.name, row.state, row.office, row.district,
                        row.cycle_id, row.election_year, row.closed_at is None, *figures[key])
            for key, row in keys.items()]


def _figures(rows, catalog: Catalog) -> list[tuple[int, int, int, int]]:
    """(members, required, done, overdue) of each row's cycle, in the rows' order."""
    if not rows:
        return []
    now = utcnow()
    cycle_ids = [r.cycle_id for r in rows]
    plans = _plans(rows, catalog)
    members = db.session.execute(  # query 4
        select(Membership.cycle_id, Membership.user_id, Membership.role, Membership.joined_at,
               Membership.removed_at).where(Membership.cycle_id.in_(cycle_ids))
    ).all()
    course_keys = {c["course_key"] for columns, _ in plans.values() for c in columns}
    completed = {}
    if course_keys:
        # Query 5: the members' completions, found through the members (not filtered by course
        # in SQL: SQLite would then start from every completion of those courses instead).
        completed = {(cy, u, c, m): v for cy, u, c, m, v in db.session.execute(
            select(Membership.cycle_id, Completion.user_id, Completion.course_key,
                   Completion.module_key, func.max(Completion.module_version))
            .join(Membership, Membership.user_id == Completion.user_id)
            .join(Cycle, Cycle.id == Membership.cycle_id)
            .where(Membership.cycle_id.in_(cycle_ids),
                   or_(Cycle.closed_at.is_(None), Completion.completed_at <= Cycle.closed_at))
            .group_by(Membership.cycle_id, Completion.user_id, Completion.course_key,
                      Completion.module_key)) if c in course_keys}
    team = defaultdict(list)
    closed_at = {r.cycle_id: r.closed_at for r in rows}
    for cycle_id, user_id, role, joined_at, removed_at in members:
        if _active(joined_at, removed_at, closed_at[cycle_id]):
            team[cycle_id].append((user_id, role))
    out = []
    for row in rows:
        cycle_id, as_of = row.cycle_id, (row.closed_at or now).date()
        columns, required = plans[cycle_id]
        total = done = overdue = 0
        for user_id, role in team[cycle_id]:
            due_by_course = required.get(role, {})
            for column in columns:
                if column["course_key"] not in due_by_course:
                    continue
                total += 1
                version = completed.get((cycle_id, user_id, column["course_key"],
                                         column["module_key"]))
                if version is not None and version >= column["version"]:
                    done += 1
                elif (due := due_by_course[column["course_key"]]) is not None and due < as_of:
                    overdue += 1
        out.append((len(team[cycle_id]), total, done, overdue))
    return out


def filter_choices() -> tuple[list[str], list[int], list[str]]:
    """Queries 6-8 (page only): the states, cycle years and offices there are."""
    states = db.session.scalars(select(Campaign.state).distinct().order_by(Campaign.state)).all()
    years = db.session.scalars(select(Cycle.election_year).distinct()
                               .order_by(Cycle.election_year.desc())).all()
    offices = db.session.scalars(select(Campaign.office).distinct()
                                 .order_by(Campaign.office)).all()
    return list(states), list(years), list(offices)


def table(rows: list[CampaignRow]) -> list[list[str]]:
    header = ["Campaign", "State", "Office", "District", "Cycle", "Cycle state", "Members",
              "Completed", "Overdue"]
    return [header] + [[r.name, r.state, r.office, r.district, str(r.year),
                        "open" if r.is_open else "closed", str(r.members), f"{r.percent}%",
                        str(r.overdue)] for r in rows]
