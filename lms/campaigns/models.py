"""Campaign, Cycle, Membership, Invite and PlanItem: a campaign outlives any one cycle.

Nothing here is deleted by normal operation: a removed member keeps a row with `removed_at`,
a closed cycle keeps `closed_at` and a snapshot of the modules its plan required then.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.models import UTCDateTime, utcnow

ROLES = ("candidate", "manager", "staff", "volunteer")
ROLE_LABELS = {"candidate": "Candidate", "manager": "Manager", "staff": "Staff",
               "volunteer": "Volunteer"}
_ROLE_CHECK = "role IN ('candidate', 'manager', 'staff', 'volunteer')"


class Campaign(db.Model):
    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(2))
    office: Mapped[str] = mapped_column(String(120))
    district: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cycles: Mapped[list[Cycle]] = relationship(
        back_populates="campaign", order_by="Cycle.election_year", lazy="selectin")

    @property
    def current_cycle(self) -> Cycle | None:
        """The open cycle, or the latest one when every cycle is closed."""
        open_cycles = [c for c in self.cycles if c.is_open]
        return open_cycles[0] if open_cycles else (self.cycles[-1] if self.cycles else None)

    @property
    def title(self) -> str:
        where = f"{self.state} {self.office}" + (f", {self.district}" if self.district else "")
        return f"{self.name} ({where})"


class Cycle(db.Model):
    __tablename__ = "cycle"
    __table_args__ = (
        UniqueConstraint("campaign_id", "election_year"),
        # At most one open cycle per campaign.
        Index("ux_cycle_one_open", "campaign_id", unique=True,
              sqlite_where=text("closed_at IS NULL"), postgresql_where=text("closed_at IS NULL")),
        CheckConstraint("election_year BETWEEN 1900 AND 2200", name="year_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    election_year: Mapped[int] = mapped_column(Integer)
    election_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # When closed: the modules the plan required then, with their versions, so the closed
    # dashboard reads the same however the courses change later.
    closed_snapshot: Mapped[dict | None] = mapped_column(JSON, nullable=True, deferred=True)
    # Raised by every write that changes what the cycle's dashboard shows (revisions.py), so
    # figures computed for one revision can be kept (lms/reports/memo.py).
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    campaign: Mapped[Campaign] = relationship(back_populates="cycles")

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Membership(db.Model):
    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("cycle_id", "user_id"),
        CheckConstraint(_ROLE_CHECK, name="role"),
        Index("ix_membership_user", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    role: Mapped[str] = mapped_column(String(20))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    cycle: Mapped[Cycle] = relationship()
    user = relationship("User")

    def active_at(self, moment: datetime | None) -> bool:
        """Was this person on the team at `moment` (None: now)?"""
        if moment is None:
            return self.removed_at is None
        return self.joined_at <= moment and (self.removed_at is None or self.removed_at > moment)


class Invite(db.Model):
    __tablename__ = "invite"
    __table_args__ = (
        CheckConstraint(_ROLE_CHECK, name="role"),
        CheckConstraint("uses >= 0 AND uses <= max_uses", name="uses"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    max_uses: Mapped[int] = mapped_column(Integer)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cycle: Mapped[Cycle] = relationship()

    def state(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        if self.uses >= self.max_uses:
            return "used up"
        return "active"


class PlanItem(db.Model):
    """A course the cycle's plan requires of one role, optionally due N days before election."""

    __tablename__ = "plan_item"
    __table_args__ = (
        UniqueConstraint("cycle_id", "course_key", "role"),
        CheckConstraint(_ROLE_CHECK, name="role"),
        CheckConstraint("due_days_before IS NULL OR due_days_before BETWEEN 0 AND 3650",
                        name="due_days"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id"), index=True)
    course_key: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    due_days_before: Mapped[int | None] = mapped_column(Integer, nullable=True)
