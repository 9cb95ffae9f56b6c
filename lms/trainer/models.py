"""A record of every module file saved from the browser editor."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db
from lms.models import UTCDateTime, utcnow


class ModuleSave(db.Model):
    """Who saved which course file when, with the SHA-256 of its content before and after."""

    __tablename__ = "module_save"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    path: Mapped[str] = mapped_column(String(255))  # relative to the courses folder
    hash_before: Mapped[str | None] = mapped_column(String(64), nullable=True)  # None: new file
    hash_after: Mapped[str] = mapped_column(String(64))
    version_bumped: Mapped[bool] = mapped_column(default=False)
    git_commit: Mapped[str | None] = mapped_column(String(64), nullable=True)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
