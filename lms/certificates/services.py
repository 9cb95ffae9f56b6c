"""Issuing and revoking certificates. Services flush; the request (or command) commits.

A certificate is issued exactly when a person has completed every module of a course at its
current version (passing a module's quizzes completes it, so quizzes count through
completions). Issuing is idempotent: one certificate per person, course and set of module
versions (a unique key, INSERT ... ON CONFLICT DO NOTHING), so a double click, a retry or two
workers at once issue one. A course that changes in substance (a version bump) can be
certified again: the new set of versions is a new key.

Renewal: when the person's latest certificate for a course that sets `valid_for_months:` has
expired, going through the course again earns a new one: opening every module and passing
every graded quiz again after the expiry. The renewal's key names the certificate it renews,
so each expired certificate is renewed once.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import logging
import re
import secrets
from collections import defaultdict
from datetime import datetime
from functools import lru_cache

from sqlalchemy import bindparam, func, or_, select, update

from lms.campaigns.revisions import touch_learner
from lms.certificates.models import Certificate
from lms.content.catalog import Catalog, Course
from lms.db_ops import execute, insert_once
from lms.extensions import db
from lms.models import utcnow
from lms.progress.models import Completion, ModuleView, QuizAttempt

log = logging.getLogger("lms.certificates")

# Crockford's base32: digits and capitals without I, L, O and U, so a code read aloud or
# typed from paper cannot be mistaken. 12 characters carry 60 random bits.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
GROUP = 4
_CODE_INPUT = re.compile(r"[\s\-]+")
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    """A random verification code in groups, e.g. 7KQ2-M9XD-4RTB."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i:i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def normalise_code(text: str | None) -> str | None:
    """The canonical form of a typed code (any case, spaces or dashes, O for 0, I or L for 1),
    or None when it cannot be a code."""
    if not text or len(text) > 64:
        return None
    raw = _CODE_INPUT.sub("", text).upper().translate(_LOOKALIKES)
    if len(raw) != CODE_LENGTH or any(c not in ALPHABET for c in raw):
        return None
    return "-".join(raw[i:i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


# Built once: a submission that completes a module runs both (lms/db_ops.py).
_COMPLETED = select(Completion.module_key, func.max(Completion.module_version)).where(
    Completion.user_id == bindparam("user_id"), Completion.course_key == bindparam("course_key")
).group_by(Completion.module_key)
_ISSUED = select(Certificate.id).where(
    Certificate.user_id == bindparam("user_id"), Certificate.course_key == bindparam("course_key"),
    Certificate.versions_hash == bindparam("versions_hash"))
# Renewal: the latest certificate not revoked (queries.latest_certificate) and whether it has
# expired; then what the person did since it expired.
_LATEST = select(Certificate.id, Certificate.expires_at.is_not(None)
                 & (Certificate.expires_at <= bindparam("now"))).where(
    Certificate.user_id == bindparam("user_id"), Certificate.course_key == bindparam("course_key"),
    or_(Certificate.revoked_at.is_(None), Certificate.revoked_at > bindparam("now")),
).order_by(Certificate.issued_at.desc(), Certificate.id.desc()).limit(1)
_EXPIRED_AT = select(Certificate.expires_at).where(
    Certificate.id == bindparam("certificate")).scalar_subquery()
_VIEWED_SINCE = select(ModuleView.module_key).where(
    ModuleView.user_id == bindparam("user_id"), ModuleView.course_key == bindparam("course_key"),
    ModuleView.last_viewed_at > _EXPIRED_AT)
_PASSED_SINCE = select(QuizAttempt.module_key, QuizAttempt.quiz_id).where(
    QuizAttempt.user_id == bindparam("user_id"),
    QuizAttempt.course_key == bindparam("course_key"),
    QuizAttempt.passed.is_(True), QuizAttempt.created_at > _EXPIRED_AT)


def versions_hash(course_key: str, versions: dict[str, int]) -> str:
    """A stable key for one course at one set of module versions."""
    return _digest(course_key, tuple(sorted(versions.items())))


@lru_cache(maxsize=1024)  # a course's current versions come up on every completion
def _digest(course_key: str, versions: tuple[tuple[str, int], ...]) -> str:
    payload = json.dumps([course_key, versions], separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` later (the month's last day when it is shorter)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def completed_versions(user_id: int, course: Course) -> dict[str, int] | None:
    """The module versions the person completed, if every module is complete at its current
    version; None otherwise (and for a course without modules)."""
    if not course.modules:
        return None
    done = dict(execute(_COMPLETED, {"user_id": user_id, "course_key": course.key}).fetchall())
    if any(done.get(m.key, 0) < m.version for m in course.modules):
        return None
    return {m.key: m.version for m in course.modules}


def issue_if_complete(user_id: int, course: Course) -> str | None:
    """Issue the person's certificate for the course if they have just become eligible.

    Returns the new certificate's code, or None when the course is not complete or this set
    of module versions was already certified. Safe to call after every completion; its
    statements are all built once (db_ops.execute), so it runs inside a quiz submission's own
    write transaction (db_ops.write_transaction).
    """
    versions = completed_versions(user_id, course)
    if versions is None:
        return None
    issued = _issue(user_id, course, versions, versions_hash(course.key, versions))
    if issued is None and course.valid_for_months:
        issued = _renew(user_id, course, versions)
    return issued


def _renew(user_id: int, course: Course, versions: dict[str, int]) -> str | None:
    """A new certificate if the latest one has expired and, since it did, the person opened
    every module and passed every graded quiz again (the caller checked that every module is
    complete at its current version)."""
    person = {"user_id": user_id, "course_key": course.key}
    latest = execute(_LATEST, {**person, "now": utcnow()}).fetchone()
    if latest is None or not latest[1]:  # none, or not expired
        return None
    since = {**person, "certificate": latest[0]}
    viewed = {key for key, in execute(_VIEWED_SINCE, since)}
    passed = set(execute(_PASSED_SINCE, since).fetchall())
    if not all(m.key in viewed and all((m.key, q.id) in passed for q in m.graded_quizzes)
               for m in course.modules):
        return None
    key = hashlib.sha256(f"{versions_hash(course.key, versions)}:renews:{latest[0]}".encode())
    return _issue(user_id, course, versions, key.hexdigest())


def issue_missing(catalog: Catalog) -> int:
    """Issue every certificate earned but not yet issued (progress imported, or recorded
    before certificates existed): three queries, plus one insert per certificate issued."""
    done: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    for user_id, course_key, module_key, version in db.session.execute(
        select(Completion.user_id, Completion.course_key, Completion.module_key,
               func.max(Completion.module_version))
        .group_by(Completion.user_id, Completion.course_key, Completion.module_key)
    ):
        done[(user_id, course_key)][module_key] = version
    issued = set(db.session.execute(
        select(Certificate.user_id, Certificate.course_key, Certificate.versions_hash)).all())
    count = 0
    for (user_id, course_key), completed in sorted(done.items()):
        course = catalog.course(course_key)
        if course is None or not course.modules or any(
                completed.get(m.key, 0) < m.version for m in course.modules):
            continue
        versions = {m.key: m.version for m in course.modules}
        if (user_id, course_key, versions_hash(course_key, versions)) not in issued:
            count += _issue(user_id, course, versions,
                            versions_hash(course_key, versions)) is not None
    return count


def _issue(user_id: int, course: Course, versions: dict[str, int], key: str) -> str | None:
    """Issue once per (person, course, key): the new code; None when that key was issued."""
    issued = {"user_id": user_id, "course_key": course.key, "versions_hash": key}
    if execute(_ISSUED, issued).fetchone() is not None:  # the usual case: one statement
        return None
    issued_at = utcnow()
    expires_at = add_months(issued_at, course.valid_for_months) if course.valid_for_months \
        else None
    for _ in range(5):  # a clash of random codes is all but impossible; retry if it happens
        code = new_code()
        inserted = insert_once(Certificate, {
            **issued, "course_title": course.title[:200], "code": code,
            "module_versions": versions, "issued_at": issued_at, "expires_at": expires_at,
        })
        if inserted:
            touch_learner(user_id)  # a renewal due on a dashboard is done
            log.info("certificate issued: user %s, course %s", user_id, course.key)
            return code
        if execute(_ISSUED, issued).fetchone() is not None:  # issued at the same moment
            return None
    raise RuntimeError("could not find a free certificate code")


def revoke(certificate: Certificate, admin_id: int) -> bool:
    """Revoke a certificate (once: revoking again changes nothing). True if this call did."""
    result = db.session.execute(
        update(Certificate)
        .where(Certificate.id == certificate.id, Certificate.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_by=admin_id)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(certificate)
    if result.rowcount == 1:
        touch_learner(certificate.user_id)
        log.warning("certificate %s (user %s, course %s) revoked by user %s",
                    certificate.id, certificate.user_id, certificate.course_key, admin_id)
        return True
    return False
