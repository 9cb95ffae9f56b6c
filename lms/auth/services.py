"""Account operations: register, authenticate, end sessions, and the changes a person makes to
their own account (name, password, email). They flush; the view commits (and sends any mail after
the commit)."""

from __future__ import annotations

import logging
import unicodedata

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from lms.auth.models import PasswordReset, User
from lms.auth.passwords import hash_password, needs_rehash, verify_password
from lms.campaigns.revisions import touch_person
from lms.extensions import db
from lms.models import utcnow

log = logging.getLogger("lms.auth")
# A hash of a random password: verifying against it costs the same as a real check, so an
# unknown email and a wrong password take the same time.
_DUMMY_HASH = hash_password("evergreen-timing-equaliser")


class EmailTaken(Exception):
    """Another account already has this email address."""


class WrongPassword(Exception):
    """The password given to confirm a change is not the account's password."""


class EmailUnchanged(Exception):
    """The new address is the one the account already has."""


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


# --- Changes a person makes to their own account ----------------------------------------------


def change_name(user: User, name: str) -> None:
    user.name = name.strip()
    db.session.flush()
    touch_person(user.id)  # dashboards show the name


def cancel_resets(user: User) -> None:
    """Every password-reset link this person has not used yet stops working."""
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def set_password(user: User, password: str) -> None:
    """A new password (already checked against the rules): every session and every pending
    reset link of this person ends. The view logs the current session back in if it should."""
    user.password_hash = hash_password(password)
    cancel_resets(user)
    end_sessions(user)


def _confirm(user: User, password: str) -> None:
    if not verify_password(user.password_hash, password):
        log.info("account change refused for user %s: wrong password", user.id)
        raise WrongPassword


def change_password(user: User, current: str, new: str) -> None:
    """Needs the current password (R19)."""
    _confirm(user, current)
    set_password(user, new)
    log.info("password changed for user %s", user.id)


def change_email(user: User, password: str, new_email: str) -> str:
    """Needs the password (R19); the canonical address stays unique. Returns the old address,
    which the view notifies after the commit. Ends every session and pending reset link."""
    _confirm(user, password)
    if new_email.strip() == user.email:
        raise EmailUnchanged
    canonical = canonical_email(new_email)
    if canonical != user.email_canonical and find_by_email(new_email) is not None:
        raise EmailTaken(new_email)
    old = user.email
    try:
        with db.session.begin_nested():  # a concurrent change to the same address loses cleanly
            user.email, user.email_canonical = new_email.strip(), canonical
            db.session.flush()
    except IntegrityError as taken:
        raise EmailTaken(new_email) from taken
    cancel_resets(user)
    end_sessions(user)
    log.info("email changed for user %s", user.id)
    return old
