"""A record of each reminder sent, so no one gets the same reminder twice in one period."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db
from lms.models import UTCDateTime, utcnow


class ReminderSent(db.Model):
    __tablename__ = "reminder_sent"
    __table_args__ = (UniqueConstraint("user_id", "kind", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(String(40))  # "due" (learner) or "team-summary" (manager)
    period: Mapped[str] = mapped_column(String(20))  # e.g. ISO week "2026-W48"
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
