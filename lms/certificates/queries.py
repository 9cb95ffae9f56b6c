"""Reading certificates: a person's list, a code's status, and who is due for renewal.

A certificate expires when its course sets `valid_for_months:`. "Renewal due" means the
person's latest unrevoked certificate for a course has expired and the course still asks for
renewal; an older certificate that a newer one replaced is just "expired".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from lms.auth.models import User
from lms.certificates.models import Certificate
from lms.content.catalog import Catalog, Course
from lms.extensions import db


@dataclass(frozen=True)
class CertificateState:
    """One certificate as its owner sees it on My training."""

    certificate: Certificate
    course: Course | None  # None when the course has left the catalog
    status: str  # valid, renewal-due, expired, revoked

    @property
    def label(self) -> str:
        return {"valid": "Valid", "renewal-due": "Renewal due", "expired": "Expired",
                "revoked": "Revoked"}[self.status]


def status_of(certificate: Certificate, now: datetime) -> str:
    """What a verifier is told: genuine, expired or revoked."""
    if certificate.revoked_at is not None and certificate.revoked_at <= now:
        return "revoked"
    if certificate.expires_at is not None and certificate.expires_at <= now:
        return "expired"
    return "genuine"


def certificates_of(user_id: int, catalog: Catalog, now: datetime) -> list[CertificateState]:
    """The person's certificates, newest first, each with its status (one query)."""
    certificates = list(db.session.scalars(
        select(Certificate).where(Certificate.user_id == user_id)
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    ))
    latest = _latest_unrevoked((c.user_id, c.course_key, c) for c in certificates
                               if c.revoked_at is None or c.revoked_at > now)
    states = []
    for certificate in certificates:
        course = catalog.course(certificate.course_key)
        status = status_of(certificate, now)
        if status == "genuine":
            status = "valid"
        elif status == "expired" and latest.get((user_id, certificate.course_key)) is \
                certificate and course is not None and course.valid_for_months:
            status = "renewal-due"
        states.append(CertificateState(certificate, course, status))
    return states


def renewals_due(user_ids: Iterable[int], courses: Iterable[Course],
                 as_of: datetime) -> tuple[set[tuple[int, str]], datetime | None]:
    """(user id, course key) pairs whose latest certificate had expired at `as_of`, among the
    courses that ask for renewal, and the next moment another of them expires (None: none
    will). One query; none when no course asks for renewal."""
    user_ids = list(user_ids)
    keys = sorted({c.key for c in courses if c.valid_for_months})
    if not user_ids or not keys:
        return set(), None
    rows = db.session.execute(
        select(Certificate.user_id, Certificate.course_key, Certificate.issued_at,
               Certificate.id, Certificate.expires_at)
        .where(Certificate.user_id.in_(user_ids), Certificate.course_key.in_(keys),
               Certificate.issued_at <= as_of,
               or_(Certificate.revoked_at.is_(None), Certificate.revoked_at > as_of))
    ).all()
    latest = _latest_unrevoked((row.user_id, row.course_key, row) for row in rows)
    expiring = [row.expires_at for row in latest.values() if row.expires_at is not None]
    return ({pair for pair, row in latest.items()
             if row.expires_at is not None and row.expires_at <= as_of},
            min((moment for moment in expiring if moment > as_of), default=None))


def latest_certificate(user_id: int, course_key: str, now: datetime) -> Certificate | None:
    """The person's latest certificate for the course that is not revoked (one query)."""
    return db.session.scalars(
        select(Certificate).where(Certificate.user_id == user_id,
                                  Certificate.course_key == course_key,
                                  or_(Certificate.revoked_at.is_(None),
                                      Certificate.revoked_at > now))
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc()).limit(1)).first()


def _latest_unrevoked(items) -> dict:
    latest: dict = {}
    for user_id, course_key, item in items:
        known = latest.get((user_id, course_key))
        if known is None or (item.issued_at, item.id) > (known.issued_at, known.id):
            latest[(user_id, course_key)] = item
    return latest


def by_code(code: str) -> tuple[Certificate, str] | None:
    """The certificate with this (normalised) code and its holder's name, or None."""
    row = db.session.execute(
        select(Certificate, User.name).join(User, User.id == Certificate.user_id)
        .where(Certificate.code == code)
    ).first()
    return (row[0], row[1]) if row else None


def module_lines(certificate: Certificate, catalog: Catalog) -> list[tuple[str, int]]:
    """(module title, version completed) in course order; a module that has since left the
    catalog is named by its key."""
    course = catalog.course(certificate.course_key)
    order = {m.key: (i, m.title) for i, m in enumerate(course.modules)} if course else {}
    keys = sorted(certificate.module_versions,
                  key=lambda k: (order.get(k, (len(order), k))[0], k))
    return [(order.get(k, (0, k))[1], certificate.module_versions[k]) for k in keys]


def current_certificate(user_id: int | None, course_key: str) -> Certificate | None:
    """The person's newest unrevoked certificate for the course, or None (one query)."""
    if user_id is None:
        return None
    return db.session.scalar(
        select(Certificate)
        .where(Certificate.user_id == user_id, Certificate.course_key == course_key,
               Certificate.revoked_at.is_(None))
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc()).limit(1)
    )
