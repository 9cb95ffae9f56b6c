"""Campaign operations. Each flushes; the view commits once. History is never deleted: only an
open cycle's plan, which is configuration, is replaced."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import date, timedelta

from sqlalchemy import select, update

from lms.campaigns.models import Campaign, Cycle, Invite, Membership, PlanItem
from lms.campaigns.revisions import touch_cycle, touch_user
from lms.content.catalog import Catalog
from lms.extensions import db
from lms.models import utcnow
from lms.reports.dashboard import snapshot_plan

log = logging.getLogger("lms.campaigns")


class CampaignError(Exception):
    """A campaign operation that cannot be done; the message says why, plainly."""


class InviteUnusable(CampaignError):
    pass


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_campaign(user_id: int, *, name: str, state: str, office: str, district: str,
                    election_year: int, election_date: date, role: str) -> Campaign:
    campaign = Campaign(name=name.strip(), state=state, office=office.strip(),
                        district=district.strip())
    cycle = Cycle(campaign=campaign, election_year=election_year, election_date=election_date)
    db.session.add_all([campaign, cycle])
    db.session.flush()
    db.session.add(Membership(cycle_id=cycle.id, user_id=user_id, role=role))
    db.session.flush()
    touch_user(user_id)  # My training lists the new campaign
    log.info("user %s created campaign %s", user_id, campaign.id)
    return campaign


def create_invite(cycle: Cycle, created_by: int, role: str, days: int,
                  max_uses: int) -> tuple[Invite, str]:
    """A new invite and its token; only the token's hash is stored."""
    if not cycle.is_open:
        raise CampaignError("This cycle is closed; invite people to the current cycle.")
    token = secrets.token_urlsafe(24)
    invite = Invite(cycle_id=cycle.id, role=role, token_hash=hash_token(token),
                    expires_at=utcnow() + timedelta(days=days), max_uses=max_uses,
                    created_by=created_by)
    db.session.add(invite)
    db.session.flush()
    log.info("user %s created invite %s for cycle %s", created_by, invite.id, cycle.id)
    return invite, token


def find_invite(token: str) -> Invite | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(Invite).filter_by(token_hash=hash_token(token)))


def accept_invite(token: str, user_id: int) -> tuple[Membership, bool]:
    """Join the invite's cycle. A use is counted atomically, so a limit holds under
    concurrency; someone already on the team uses nothing. Returns (membership, joined)."""
    invite = find_invite(token)
    if invite is None:
        raise InviteUnusable("This invite link is not valid. Check that you copied all of it.")
    existing = db.session.scalar(select(Membership).filter_by(cycle_id=invite.cycle_id,
                                                              user_id=user_id))
    if existing is not None and existing.removed_at is None:
        return existing, False
    state = invite.state(utcnow())
    if state != "active" or not invite.cycle.is_open:
        raise InviteUnusable(f"This invite link is {state if state != 'active' else 'closed'}. "
                             "Ask your campaign manager for a new one.")
    counted = db.session.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.uses < Invite.max_uses,
               Invite.revoked_at.is_(None), Invite.expires_at > utcnow())
        .values(uses=Invite.uses + 1)
    ).rowcount
    if counted != 1:
        raise InviteUnusable("This invite link has just been used up. Ask your campaign "
                             "manager for a new one.")
    if existing is not None:  # removed earlier; the invite brings them back
        existing.removed_at, existing.role = None, invite.role
        membership = existing
    else:
        membership = Membership(cycle_id=invite.cycle_id, user_id=user_id, role=invite.role)
        db.session.add(membership)
    db.session.flush()
    touch_cycle(invite.cycle_id)
    log.info("user %s joined cycle %s by invite %s", user_id, invite.cycle_id, invite.id)
    return membership, True


def revoke_invite(invite: Invite) -> None:
    if invite.revoked_at is None:
        invite.revoked_at = utcnow()
        db.session.flush()


def change_role(membership: Membership, role: str, by_user_id: int) -> None:
    _require_open(membership.cycle)
    log.info("user %s changed membership %s role %s -> %s", by_user_id, membership.id,
             membership.role, role)
    membership.role = role
    db.session.flush()
    touch_cycle(membership.cycle_id)


def remove_member(membership: Membership, by_user_id: int) -> None:
    """Take the person off this cycle's team; their training records stay theirs."""
    _require_open(membership.cycle)
    if membership.removed_at is None:
        membership.removed_at = utcnow()
        log.info("user %s removed membership %s", by_user_id, membership.id)
        db.session.flush()
        touch_cycle(membership.cycle_id)


def set_plan(cycle: Cycle, items: list[tuple[str, str, int | None]]) -> None:
    """Replace the open cycle's plan with (course_key, role, due_days_before) items."""
    _require_open(cycle)
    for item in db.session.scalars(select(PlanItem).where(PlanItem.cycle_id == cycle.id)):
        db.session.delete(item)
    db.session.flush()
    db.session.add_all(PlanItem(cycle_id=cycle.id, course_key=c, role=r, due_days_before=d)
                       for c, r, d in items)
    db.session.flush()
    touch_cycle(cycle.id)


def close_cycle(cycle: Cycle, catalog: Catalog) -> None:
    if cycle.is_open:
        cycle.closed_snapshot = snapshot_plan(cycle, catalog)
        cycle.closed_at = utcnow()
        db.session.flush()
        touch_cycle(cycle.id)


def roll_over(cycle: Cycle, catalog: Catalog, *, election_year: int, election_date: date,
              returning_user_ids: set[int]) -> Cycle:
    """Close the open cycle and start the next: returning members keep their roles, the plan
    is copied (due dates are days before election day, so they move with it)."""
    _require_open(cycle)
    if election_year <= cycle.election_year:
        raise CampaignError(f"The next cycle must be after {cycle.election_year}.")
    members = db.session.scalars(select(Membership).where(
        Membership.cycle_id == cycle.id, Membership.removed_at.is_(None))).all()
    plan = db.session.scalars(select(PlanItem).where(PlanItem.cycle_id == cycle.id)).all()
    close_cycle(cycle, catalog)
    successor = Cycle(campaign_id=cycle.campaign_id, election_year=election_year,
                      election_date=election_date)
    db.session.add(successor)
    db.session.flush()
    db.session.add_all(Membership(cycle_id=successor.id, user_id=m.user_id, role=m.role)
                       for m in members if m.user_id in returning_user_ids)
    db.session.add_all(PlanItem(cycle_id=successor.id, course_key=p.course_key, role=p.role,
                                due_days_before=p.due_days_before) for p in plan)
    db.session.flush()
    log.info("cycle %s rolled over to cycle %s", cycle.id, successor.id)
    return successor


def _require_open(cycle: Cycle) -> None:
    if not cycle.is_open:
        raise CampaignError("This cycle is closed and can no longer be changed.")
