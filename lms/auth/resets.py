"""Password reset by emailed link: create a link, check it, use it once.

The token is random (secrets.token_urlsafe) and only its SHA-256 hash is stored; a link expires
after RESET_LIFETIME and works once, claimed with a conditional UPDATE so two concurrent uses
cannot both succeed. Tokens are never logged. Services flush; the view commits, then mails.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from lms.auth.models import PasswordReset, User
from lms.auth.services import find_by_email, log, set_password
from lms.extensions import db
from lms.models import utcnow

RESET_LIFETIME = timedelta(hours=1)
TOKEN_BYTES = 32  # 43 URL-safe characters
MAX_TOKEN_LENGTH = 64


class ResetUnusable(Exception):
    """The link is unknown, used, expired, or its account is disabled. The message says which,
    in words for the person holding the link; `status` is the HTTP answer (404 or 410)."""

    def __init__(self, message: str, status: int = 404) -> None:
        super().__init__(message)
        self.status = status


USED = "This reset link has already been used. Ask for a new one if you still need it."


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_reset(email: str) -> tuple[User, str] | None:
    """A new link for the account behind this address: (user, token), or None when there is no
    such (enabled) account. The caller answers the same either way (R13)."""
    user = find_by_email(email)
    if user is None or user.disabled:
        log.info("password reset requested for an unknown or disabled address")
        return None
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.add(PasswordReset(user_id=user.id, token_hash=hash_token(token),
                                 expires_at=utcnow() + RESET_LIFETIME))
    db.session.flush()
    log.info("password reset link created for user %s", user.id)
    return user, token


def _find_usable(token: str | None) -> tuple[PasswordReset, User]:
    reset = None
    if token and len(token) <= MAX_TOKEN_LENGTH:
        reset = db.session.scalar(select(PasswordReset).filter_by(token_hash=hash_token(token)))
    user = db.session.get(User, reset.user_id) if reset is not None else None
    if reset is None or user is None or user.disabled:
        raise ResetUnusable("This reset link is not valid. Check that you copied all of it, or "
                            "ask for a new one.")
    if reset.used_at is not None:
        raise ResetUnusable(USED, 410)
    if reset.expires_at <= utcnow():
        raise ResetUnusable("This reset link has expired. Links work for one hour: ask for a "
                            "new one.", 410)
    return reset, user


def check_reset(token: str | None) -> User:
    """The account a usable link is for, or ResetUnusable saying why it cannot be used."""
    return _find_usable(token)[1]


def use_reset(token: str | None, new_password: str) -> User:
    """Set a new password through a link, once: every session of the person ends."""
    reset, user = _find_usable(token)
    now = utcnow()
    claimed = db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None),
               PasswordReset.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:  # another request used it (or it expired) since we looked
        raise ResetUnusable(USED, 410)
    set_password(user, new_password)
    log.info("password reset by link for user %s", user.id)
    return user
