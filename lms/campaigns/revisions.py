"""Raising revisions: every write that changes what a page kept between requests shows calls one
of these in its own transaction, so a page or figures kept for the old revision are never served
again.

`cycle.revision` names a cycle's dashboard: the team (memberships), the plan, the cycle itself
(dates, closing), the members' names, and their views, quiz attempts, completions and
certificates. A closed cycle is shown as of its closing, so a learner's later progress only
touches open cycles.

`user.revision` names a person's own learner pages (catalog, course, module, My training,
lms/pages.py): their progress and certificates, and every cycle they are on (its campaign, plan,
their role). So touching a cycle also touches everyone on it, removed members included.

Lock order (PostgreSQL locks each updated row until commit): people's rows before cycles', and
a progress write touches the person's row before it writes anything else of theirs
(lms/progress/services.py), so two writes can never wait on each other in a circle.
"""

from __future__ import annotations

from sqlalchemy import select, update

from lms.auth.models import User
from lms.campaigns.models import Cycle, Membership
from lms.extensions import db


def touch_cycle(cycle_id: int) -> None:
    _touch_users(User.id.in_(select(Membership.user_id).where(Membership.cycle_id == cycle_id)))
    _touch(Cycle.id == cycle_id)


def touch_learner(user_id: int) -> None:
    """The person's own progress changed: their pages and the open cycles they are on."""
    touch_user(user_id)
    _touch(Cycle.closed_at.is_(None), Cycle.id.in_(_cycles_of(user_id)))


def touch_person(user_id: int) -> None:
    """Something every dashboard shows of the person changed (their name): all their cycles."""
    touch_user(user_id)
    _touch(Cycle.id.in_(_cycles_of(user_id)))


def touch_user(user_id: int) -> None:
    """Only the person's own pages changed (a module opened again, a campaign they created)."""
    _touch_users(User.id == user_id)


def _cycles_of(user_id: int):
    return select(Membership.cycle_id).where(Membership.user_id == user_id)


def _touch(*where) -> None:
    db.session.execute(update(Cycle).where(*where).values(revision=Cycle.revision + 1)
                       .execution_options(synchronize_session=False))


def _touch_users(where) -> None:
    db.session.execute(update(User).where(where).values(revision=User.revision + 1)
                       .execution_options(synchronize_session=False))
