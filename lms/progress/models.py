"""Progress records. They point at content by stable keys (course, module, version), never by
foreign key, so content can change under them. Completions are append-only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db
from lms.models import UTCDateTime, utcnow


class Completion(db.Model):
    """A person completed one version of one module. Inserted once, never updated or deleted."""

    __tablename__ = "completion"
    __table_args__ = (
        UniqueConstraint("user_id", "course_key", "module_key", "module_version"),
        # Reports read completions by course across people, up to a moment (dashboards,
        # organisation overview, content health).
        Index("ix_completion_course_module", "course_key", "module_key", "completed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    course_key: Mapped[str] = mapped_column(String(100))
    module_key: Mapped[str] = mapped_column(String(100))
    module_version: Mapped[int] = mapped_column(Integer)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ModuleView(db.Model):
    """When a person first and last opened a module: 'started', and where to resume."""

    __tablename__ = "module_view"
    __table_args__ = (
        UniqueConstraint("user_id", "course_key", "module_key"),
        Index("ix_module_view_course_module", "course_key", "module_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    course_key: Mapped[str] = mapped_column(String(100))
    module_key: Mapped[str] = mapped_column(String(100))
    first_viewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_viewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class QuizAttempt(db.Model):
    """One graded submission of a quiz: the answers given, each question's result and the
    quiz version it was graded against. Inserted once (per submission token), never changed."""

    __tablename__ = "quiz_attempt"
    __table_args__ = (
        UniqueConstraint("user_id", "submission_token"),
        Index("ix_quiz_attempt_user_module", "user_id", "course_key", "module_key"),
        Index("ix_quiz_attempt_course_module", "course_key", "module_key", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    submission_token: Mapped[str] = mapped_column(String(64))
    course_key: Mapped[str] = mapped_column(String(100))
    module_key: Mapped[str] = mapped_column(String(100))
    module_version: Mapped[int] = mapped_column(Integer)
    quiz_id: Mapped[str] = mapped_column(String(100))
    quiz_version: Mapped[str] = mapped_column(String(64))
    record: Mapped[dict] = mapped_column(JSON)  # answers given and per-question results
    earned: Mapped[float] = mapped_column(Float)
    max_points: Mapped[float] = mapped_column(Float)
    percent: Mapped[float] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)  # None: practice quiz
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
