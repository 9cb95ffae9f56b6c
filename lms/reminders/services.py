"""Who gets which reminder this week, and the record that makes each one go at most once.

Two kinds, each at most once per person per ISO week (`ReminderSent`, unique on user, kind and
period):
- "due": a person whose campaign requires training that is overdue or due within 7 days
  (the same requirements My training shows: lms/campaigns/queries.requirements_for);
- "team-summary": a candidate or manager, a summary of each team they run (the numbers of the
  campaign dashboard: lms/reports/dashboard.build_dashboard).
Only people with reminders on, accounts enabled and an active membership in an open cycle.
Links come from BASE_URL, never from a request. Services flush; the command commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import joinedload

from lms.auth.models import User
from lms.campaigns.models import Cycle, Membership
from lms.campaigns.queries import Requirement, requirements_for
from lms.content.catalog import Catalog
from lms.db_ops import insert_once
from lms.extensions import db
from lms.mail import absolute_url
from lms.models import utcnow
from lms.policy import MANAGERS
from lms.progress.models import Completion
from lms.progress.queries import Progress
from lms.reminders.models import ReminderSent
from lms.reports.dashboard import Dashboard, build_dashboard

DUE = "due"
TEAM_SUMMARY = "team-summary"
DUE_WITHIN_DAYS = 7  # as Requirement.due_soon
PLURALS = {"candidate": "Candidates", "manager": "Managers", "staff": "Staff",
           "volunteer": "Volunteers"}


@dataclass(frozen=True)
class Message:
    user_id: int
    kind: str
    to: str
    subject: str
    body: str

    def __post_init__(self) -> None:
        # Names people typed reach the subject: one line, so it is always a valid header.
        object.__setattr__(self, "subject", " ".join(self.subject.split())[:200])


def period_of(today: date) -> str:
    """The ISO week a day falls in, e.g. 2026-W48: the period of every reminder."""
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


def link(endpoint: str, anchor: str = "", **values) -> str:
    """An absolute link for an email: BASE_URL + the route's path (no request needed)."""
    path = current_app.url_map.bind("localhost", script_name="/").build(endpoint, values)
    return absolute_url(path) + (f"#{anchor}" if anchor else "")


def _recipients() -> dict[int, list[Membership]]:
    """Active memberships in open cycles of people who want reminders, by person (one query)."""
    memberships = db.session.scalars(
        select(Membership)
        .join(Cycle, Cycle.id == Membership.cycle_id)
        .join(User, User.id == Membership.user_id)
        .options(joinedload(Membership.cycle).joinedload(Cycle.campaign),
                 joinedload(Membership.user))
        .where(Cycle.closed_at.is_(None), Membership.removed_at.is_(None),
               User.disabled.is_(False), User.reminders_enabled.is_(True))
        .order_by(Membership.user_id, Membership.id)
    ).unique().all()
    return {user_id: list(group) for user_id, group in groupby(memberships,
                                                                 lambda m: m.user_id)}


def _progress(user_ids: list[int]) -> dict[int, Progress]:
    """Each person's completed versions (all the due check needs), in one query."""
    completed: dict[int, dict] = {user_id: {} for user_id in user_ids}
    if user_ids:
        rows = db.session.execute(
            select(Completion.user_id, Completion.course_key, Completion.module_key,
                   func.max(Completion.module_version))
            .where(Completion.user_id.in_(user_ids))
            .group_by(Completion.user_id, Completion.course_key, Completion.module_key)
        ).all()
        for user_id, course_key, module_key, version in rows:
            completed[user_id][(course_key, module_key)] = version
    return {user_id: Progress(done, {}) for user_id, done in completed.items()}


def plan_messages(today: date, catalog: Catalog) -> list[Message]:
    """Every reminder due this week, before checking which were already sent."""
    recipients = _recipients()
    progress = _progress(list(recipients))
    messages = []
    for memberships in recipients.values():
        due = [r for r in requirements_for(memberships, catalog, progress[memberships[0].user_id])
               if r.overdue(today) or r.due_soon(today)]
        if due:
            messages.append(_due_message(memberships[0].user, due, today))
    dashboards: dict[int, Dashboard] = {}
    for memberships in recipients.values():
        teams = []
        for membership in memberships:
            if membership.role not in MANAGERS:
                continue
            if membership.cycle_id not in dashboards:
                dashboards[membership.cycle_id] = build_dashboard(membership.cycle, catalog)
            dashboard = dashboards[membership.cycle_id]
            if dashboard.columns and dashboard.rows:
                teams.append(dashboard)
        if teams:
            messages.append(_summary_message(memberships[0].user, teams, today))
    return messages


def _day(day: date) -> str:
    return day.strftime("%d %b %Y")


def _signature() -> str:
    return (
        f"\nYou get at most one of these emails a week. To stop them, turn email reminders "
        f"off on My training: {link('learn.my_training', anchor='reminders')}\n\n"
        f"{current_app.config['ORGANISATION_NAME']}\n"
    )


def _due_message(user: User, due: list[Requirement], today: date) -> Message:
    overdue = [r for r in due if r.overdue(today)]
    lines = [f"Hello {user.name},", "",
             "Your campaign asks you to finish this training:" if len(due) == 1
             else "Your campaign asks you to finish these courses:", ""]
    for requirement in due:
        when = (f"overdue since {_day(requirement.due)}" if requirement.overdue(today)  # type: ignore[arg-type]
                else f"due {_day(requirement.due)}")  # type: ignore[arg-type]
        lines += [f"- {requirement.course.title} ({requirement.campaign.name}): {when}, "
                  f"{requirement.done} of {requirement.total} modules done",
                  f"  {link('learn.course', course_key=requirement.course.key)}"]
    lines += ["", f"Pick up where you left off: {link('learn.my_training')}"]
    subject = (f"Training overdue: {overdue[0].course.title}" if len(overdue) == 1 == len(due)
               else f"Training overdue: {len(overdue)} of {len(due)} courses" if overdue
               else f"Training due by {_day(min(r.due for r in due))}")  # type: ignore[type-var]
    return Message(user.id, DUE, user.email, subject, "\n".join(lines) + "\n" + _signature())


def _summary_message(user: User, teams: list[Dashboard], today: date) -> Message:
    monday = today - timedelta(days=today.weekday())
    lines = [f"Hello {user.name},", "", f"Your team's training, week of {_day(monday)}:"]
    for dashboard in teams:
        campaign = dashboard.cycle.campaign
        lines += ["", f"{campaign.name} ({dashboard.cycle.election_year} cycle)",
                  f"- {dashboard.percent}% of required training done",
                  f"- {dashboard.overdue} module{'s' if dashboard.overdue != 1 else ''} overdue"]
        lines += [f"- {PLURALS[s.role]}: {s.trained} of {s.members} fully trained"
                  for s in dashboard.roles
                  if any(r.required for r in dashboard.rows if r.role == s.role)]
        behind = [r for r in dashboard.rows if r.overdue]
        if behind:
            names = ", ".join(f"{r.name} ({r.overdue})" for r in behind[:10])
            more = f" and {len(behind) - 10} more" if len(behind) > 10 else ""
            lines.append(f"- Overdue: {names}{more}")
        lines.append(f"  Dashboard: {link('campaigns.dashboard', campaign_id=campaign.id)}")
    subject = "Your team's training this week" if len(teams) > 1 else \
        f"{teams[0].cycle.campaign.name}: {teams[0].percent}% of training done"
    return Message(user.id, TEAM_SUMMARY, user.email, subject,
                   "\n".join(lines) + "\n" + _signature())


def claim(message: Message, period: str) -> bool:
    """Record the message as sent this period; False if it already was (then do not send)."""
    return insert_once(ReminderSent, {"user_id": message.user_id, "kind": message.kind,
                                      "period": period, "sent_at": utcnow()}) is not None


def release(message: Message, period: str) -> None:
    """Forget a claim whose mail could not be sent, so the next run tries again."""
    db.session.execute(delete(ReminderSent).filter_by(
        user_id=message.user_id, kind=message.kind, period=period))


def already_sent(messages: list[Message], period: str) -> set[tuple[int, str]]:
    """(user id, kind) of these messages recorded as sent this period (one query)."""
    if not messages:
        return set()
    return set(db.session.execute(
        select(ReminderSent.user_id, ReminderSent.kind)
        .where(ReminderSent.period == period,
               ReminderSent.user_id.in_({m.user_id for m in messages}))
    ).all())
