"""Account operations: register, authenticate, end sessions. They flush; the view commits."""

from __future__ import annotations

import logging
import unicodedata

from sqlalchemy import func, select

from lms.auth.models import User
from lms.auth.passwords import hash_password, needs_rehash, verify_password
from lms.extensions import db

log = logging.getLogger("lms.auth")
# A hash of a random password: verifying against it costs the same as a real check, so an
# unknown email and a wrong password take the same time.
_DUMMY_HASH = hash_password("evergreen-timing-equaliser")


class EmailTaken(Exception):
    """Another account already has this email address."""


def canonical_email(email: str) -> str:
    """The one identity behind an address: NFKC-normalised, trimmed, case-folded."""
    return unicodedata.normalize("NFKC", email).strip().casefold()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).filter_by(email_canonical=canonical_email(email)))


def register(name: str, email: str, password: str) -> User:
    """Create an account. The first account on an empty database becomes the admin."""
    if find_by_email(email) is not None:
        raise EmailTaken(email)
    first = db.session.scalar(select(func.count()).select_from(User)) == 0
    user = User(
        name=name.strip(),
        email=email.strip(),
        email_canonical=canonical_email(email),
        password_hash=hash_password(password),
        is_admin=first,
    )
    db.session.add(user)
    db.session.flush()
    log.info("registered user %s%s", user.id, " (first account: admin)" if first else "")
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, or None; the same work either way."""
    user = find_by_email(email)
    if user is None or user.disabled:
        verify_password(_DUMMY_HASH, password)
        log.info("login failed (unknown or disabled account)")
        return None
    if not verify_password(user.password_hash, password):
        log.info("login failed for user %s", user.id)
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    log.info("login ok for user %s", user.id)
    return user


def end_sessions(user: User) -> None:
    """Invalidate every session cookie this person holds."""
    user.session_generation += 1
    db.session.flush()


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's user loader: '<id>:<generation>', refused when the generation moved on."""
    user_id, _, generation = session_id.partition(":")
    if not (user_id.isdigit() and generation.isdigit()) or len(user_id) > 18:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.disabled or str(user.session_generation) != generation:
        return None
    return user
