"""Raising `cycle.revision`: every write that changes what a cycle's dashboard shows calls one
of these in its own transaction, so figures kept for the old revision are never served again.

What a dashboard shows: the team (memberships), the plan, the cycle itself (dates, closing),
the members' names, and their views, quiz attempts, completions and certificates. A closed
cycle is shown as of its closing, so a learner's later progress only touches open cycles.
"""

from __future__ import annotations

from sqlalchemy import select, update

from lms.campaigns.models import Cycle, Membership
from lms.extensions import db


def touch_cycle(cycle_id: int) -> None:
    _touch(Cycle.id == cycle_id)


def touch_learner(user_id: int) -> None:
    """The person's own progress changed: the open cycles they are on."""
    _touch(Cycle.closed_at.is_(None), Cycle.id.in_(_cycles_of(user_id)))


def touch_person(user_id: int) -> None:
    """Something every dashboard shows of the person changed (their name): all their cycles."""
    _touch(Cycle.id.in_(_cycles_of(user_id)))


def _cycles_of(user_id: int):
    return select(Membership.cycle_id).where(Membership.user_id == user_id)


def _touch(*where) -> None:
    db.session.execute(update(Cycle).where(*where).values(revision=Cycle.revision + 1)
                       .execution_options(synchronize_session=False))
