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

from sqlalchemy import bindparam, select, update

from lms.auth.models import User
from lms.campaigns.models import Cycle, Membership
from lms.db_ops import execute, first_in_transaction
from lms.extensions import db

_CYCLES_OF = select(Membership.cycle_id).where(Membership.user_id == bindparam("user_id"))
_TOUCH_USER = update(User).where(User.id == bindparam("user_id")).values(
    revision=User.revision + 1)
_TOUCH_SIGNED_IN = _TOUCH_USER.where(User.disabled.is_(False),
                                     User.session_generation == bindparam("generation"))
_TOUCH_OPEN_CYCLES_OF = update(Cycle).where(Cycle.closed_at.is_(None), Cycle.id.in_(_CYCLES_OF)) \
    .values(revision=Cycle.revision + 1)
_TOUCH_CYCLES_OF = update(Cycle).where(Cycle.id.in_(_CYCLES_OF)).values(
    revision=Cycle.revision + 1)


def touch_cycle(cycle_id: int) -> None:
    _touch_users(User.id.in_(select(Membership.user_id).where(Membership.cycle_id == cycle_id)))
    _touch(Cycle.id == cycle_id)


def touch_learner(user_id: int) -> None:
    """The person's own progress changed: their pages and the open cycles they are on."""
    touch_user(user_id)
    if first_in_transaction("learner", user_id):
        execute(_TOUCH_OPEN_CYCLES_OF, {"user_id": user_id})


def touch_person(user_id: int) -> None:
    """Something every dashboard shows of the person changed (their name): all their cycles."""
    touch_user(user_id)
    execute(_TOUCH_CYCLES_OF, {"user_id": user_id})


def touch_user(user_id: int) -> None:
    """Only the person's own pages changed (a module opened again, a campaign they created)."""
    if first_in_transaction("user", user_id):
        execute(_TOUCH_USER, {"user_id": user_id})


def touch_signed_in(user_id: int, generation: int) -> bool:
    """touch_user as the first write of a request whose session the user loader has not
    checked: only if the account exists, is enabled and is still at this session generation
    (logging out and password changes move it on). False, with nothing written, otherwise."""
    touched = execute(_TOUCH_SIGNED_IN, {"user_id": user_id, "generation": generation}).rowcount
    if touched != 1:
        return False
    first_in_transaction("user", user_id)  # touch_user need not touch it again
    return True


def _touch(*where) -> None:
    db.session.execute(update(Cycle).where(*where).values(revision=Cycle.revision + 1)
                       .execution_options(synchronize_session=False))


def _touch_users(where) -> None:
    db.session.execute(update(User).where(where).values(revision=User.revision + 1)
                       .execution_options(synchronize_session=False))
