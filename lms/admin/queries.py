"""Read-only questions the admin pages ask: a page of people, a person's campaigns."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from lms.auth.models import User
from lms.auth.services import canonical_email
from lms.campaigns.models import Campaign, Cycle, Membership
from lms.extensions import db

PER_PAGE = 50


@dataclass(frozen=True)
class PeoplePage:
    people: list[User]
    total: int
    page: int
    pages: int


def people_page(search: str, page: int) -> PeoplePage:
    """People whose name or email contains `search` (case-insensitive), by name: two queries."""
    query = select(User)
    search = search.strip()
    if search:
        query = query.where(or_(
            User.email_canonical.contains(canonical_email(search), autoescape=True),
            func.lower(User.name).contains(search.lower(), autoescape=True),
        ))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    pages = max(1, -(-total // PER_PAGE))
    page = min(page, pages)
    people = db.session.scalars(
        query.order_by(func.lower(User.name), User.id)
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    return PeoplePage(list(people), total, page, pages)


def memberships_of(user_id: int) -> list[tuple[Membership, Cycle, Campaign]]:
    """Every membership the person has had, newest cycle first: one query."""
    return db.session.execute(
        select(Membership, Cycle, Campaign)
        .join(Cycle, Membership.cycle_id == Cycle.id)
        .join(Campaign, Cycle.campaign_id == Campaign.id)
        .where(Membership.user_id == user_id)
        .order_by(Cycle.election_year.desc(), Campaign.name)
    ).all()
