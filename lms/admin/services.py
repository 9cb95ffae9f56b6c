"""Changes an admin makes to a person's access. They flush; the view commits.

Every change ends the person's sessions (a new generation): a disabled person is logged out at
once and stays out if re-enabled later, and a new or removed role starts from a fresh login
(R22, R24). Every change is logged with who made it; nothing secret is logged (R44).
"""

from __future__ import annotations

from lms.auth.models import User
from lms.auth.services import end_sessions, log

ROLES = ("trainer", "admin")


class SelfLockout(Exception):
    """An admin may not disable themselves or remove their own admin role."""


def set_disabled(actor: User, person: User, disabled: bool) -> bool:
    """Disable or enable an account; False when it already was."""
    if disabled and person.id == actor.id:
        raise SelfLockout("You cannot disable your own account.")
    if person.disabled == disabled:
        return False
    person.disabled = disabled
    end_sessions(person)
    log.info("user %s %s user %s", actor.id, "disabled" if disabled else "enabled", person.id)
    return True


def set_role(actor: User, person: User, role: str, granted: bool) -> bool:
    """Grant or revoke trainer or admin; False when nothing changes."""
    if role not in ROLES:
        raise ValueError(role)
    if role == "admin" and not granted and person.id == actor.id:
        raise SelfLockout("You cannot remove your own admin role. Ask another admin to do it.")
    attribute = f"is_{role}"
    if getattr(person, attribute) == granted:
        return False
    setattr(person, attribute, granted)
    end_sessions(person)
    log.info("user %s %s the %s role %s user %s", actor.id, "granted" if granted else "revoked",
             role, "to" if granted else "from", person.id)
    return True
