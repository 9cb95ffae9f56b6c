"""Read side of campaigns: a viewer's role, a person's memberships and what their plans require."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from lms.campaigns.models import Campaign, Cycle, Membership, PlanItem
from lms.content.catalog import Catalog, Course
from lms.extensions import db
from lms.progress.queries import Progress, Status


def role_in_campaign(user_id: int, campaign: Campaign) -> str | None:
    """The person's role in the campaign's current cycle, 'former', or None."""
    rows = db.session.execute(
        select(Membership.cycle_id, Membership.role, Membership.removed_at)
        .join(Cycle, Cycle.id == Membership.cycle_id)
        .where(Cycle.campaign_id == campaign.id, Membership.user_id == user_id)
    ).all()
    if not rows:
        return None
    current = campaign.current_cycle
    for cycle_id, role, removed_at in rows:
        if current is not None and cycle_id == current.id and removed_at is None:
            return role
    return "former"


@dataclass(frozen=True)
class Requirement:
    """A course one person's campaign requires of them, with its due date and their progress."""

    campaign: Campaign
    cycle: Cycle
    course: Course
    due: date | None
    done: int
    total: int

    @property
    def complete(self) -> bool:
        return self.done == self.total

    def overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today and not self.complete

    def due_soon(self, today: date) -> bool:
        return self.due is not None and today <= self.due <= today + timedelta(days=7) \
            and not self.complete


def due_date(cycle: Cycle, days_before: int | None) -> date | None:
    return cycle.election_date - timedelta(days=days_before) if days_before is not None else None


def memberships_of(user_id: int) -> list[Membership]:
    """Every membership the person has or had, newest cycle first (one query with its cycle)."""
    from sqlalchemy.orm import joinedload

    return list(db.session.scalars(
        select(Membership).options(joinedload(Membership.cycle).joinedload(Cycle.campaign))
        .where(Membership.user_id == user_id)
        .order_by(Membership.joined_at.desc())
    ).unique())


def requirements_for(memberships: list[Membership], catalog: Catalog,
                     progress: Progress) -> list[Requirement]:
    """What the person's open cycles require of them, earliest due first."""
    active = [m for m in memberships if m.removed_at is None and m.cycle.is_open]
    if not active:
        return []
    items = db.session.execute(
        select(PlanItem).where(PlanItem.cycle_id.in_([m.cycle_id for m in active]))
    ).scalars().all()
    requirements = []
    for membership in active:
        for item in items:
            if item.cycle_id != membership.cycle_id or item.role != membership.role:
                continue
            course = catalog.course(item.course_key)
            if course is None:
                continue
            done = sum(progress.status(m) is Status.COMPLETED for m in course.modules)
            requirements.append(Requirement(membership.cycle.campaign, membership.cycle, course,
                                            due_date(membership.cycle, item.due_days_before),
                                            done, len(course.modules)))
    return sorted(requirements, key=lambda r: (r.due or date.max, r.course.title))


def campaigns_for(user_id: int) -> list[Campaign]:
    return list(db.session.scalars(
        select(Campaign).join(Cycle).join(Membership)
        .where(Membership.user_id == user_id).distinct().order_by(Campaign.name)
    ))
