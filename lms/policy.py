"""Who may see and do what: every access decision in one place, used by every view.

Deny by default: each function answers for one kind of access and returns False unless a rule
allows it. Views turn False into 404 (do not reveal the thing exists) or 403 as documented.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from lms.auth.models import User
from lms.certificates.models import Certificate
from lms.content.catalog import Course


def _signed_in(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_trainer(user: User | None) -> bool:
    return _signed_in(user) and bool(user.is_trainer or user.is_admin)


def is_admin(user: User | None) -> bool:
    return _signed_in(user) and bool(user.is_admin)


def can_browse(user: User | None) -> bool:
    """The catalog and module text: open to anyone unless the deployment makes it private."""
    return _signed_in(user) or not current_app.config["CATALOG_PRIVATE"]


def can_view_course(user: User | None, course: Course) -> bool:
    if not can_browse(user):
        return False
    return course.visibility == "public" or is_trainer(user)


def can_record_progress(user: User | None) -> bool:
    return _signed_in(user)


# --- Trainer tools (lms/trainer) ----------------------------------------------------------------
# Only trainers and admins: learners, staff and managers get 403 on every trainer page.


def can_use_trainer_tools(user: User | None) -> bool:
    """Preview, question statistics, content health and the organisation overview."""
    return is_trainer(user)


def can_edit_courses(user: User | None) -> bool:
    """Write module files into the courses folder from the browser editor."""
    return is_trainer(user)


# --- Campaigns --------------------------------------------------------------------------------
# What each kind of viewer may do with a campaign. A viewer's campaign role is their role in the
# campaign's current cycle (the open one, or the latest when all are closed); someone who was
# only on an earlier cycle, or was removed, is a former member.

MANAGERS = ("candidate", "manager")
CAMPAIGN_ABILITIES = {
    # ability: roles that have it (trainers and admins are handled below)
    "view": ("candidate", "manager", "staff", "volunteer", "former"),
    "view_plan": ("candidate", "manager", "staff", "volunteer"),
    "view_dashboard": MANAGERS,
    "manage": MANAGERS,  # members, invites, training plan
    "rollover": MANAGERS,
}
TRAINER_ABILITIES = ("view", "view_plan", "view_dashboard", "rollover")


@dataclass(frozen=True)
class CampaignAccess:
    role: str | None  # candidate, manager, staff, volunteer, former, or None (not in it)
    trainer: bool
    admin: bool

    def can(self, ability: str) -> bool:
        if self.admin:
            return True
        if self.trainer and ability in TRAINER_ABILITIES:
            return True
        return self.role in CAMPAIGN_ABILITIES[ability]

    @property
    def visible(self) -> bool:
        """False answers 404: the campaign's existence is not revealed."""
        return self.can("view")


def campaign_access(user: User | None, campaign) -> CampaignAccess:
    """One query: the viewer's memberships in this campaign's cycles."""
    if not _signed_in(user):
        return CampaignAccess(None, False, False)
    from lms.campaigns.queries import role_in_campaign

    return CampaignAccess(role_in_campaign(user.id, campaign), is_trainer(user), is_admin(user))


def can_grant_role(access: CampaignAccess, role: str) -> bool:
    """Nobody grants a role above their own: managers and candidates may grant any campaign
    role but candidate, which only a candidate (or an admin) may grant."""
    if access.admin or access.role == "candidate":
        return True
    return access.can("manage") and role != "candidate"


# --- Certificates -----------------------------------------------------------------------------
# Anyone may verify a code (the public page shows only name, course, date and status); the
# certificate page itself is for its holder and admins; only admins revoke.


def can_view_certificate(user: User | None, certificate: Certificate) -> bool:
    return _signed_in(user) and (user.id == certificate.user_id or bool(user.is_admin))


def can_revoke_certificate(user: User | None) -> bool:
    return is_admin(user)
