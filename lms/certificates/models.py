"""Certificate: proof that a person completed a course, with the module versions they did."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db
from lms.models import UTCDateTime, utcnow


class Certificate(db.Model):
    __tablename__ = "certificate"
    __table_args__ = (
        # One certificate per person, course and set of module versions: completing the same
        # versions again issues nothing new; a renewal after a version bump does.
        UniqueConstraint("user_id", "course_key", "versions_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    course_key: Mapped[str] = mapped_column(String(100))
    course_title: Mapped[str] = mapped_column(String(200))  # as it was when issued
    code: Mapped[str] = mapped_column(String(32), unique=True)  # public verification code
    module_versions: Mapped[dict] = mapped_column(JSON)  # module key -> version completed
    versions_hash: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)
