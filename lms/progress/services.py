"""Recording progress: views (for resume) and completions (append-only, exactly once)."""

from __future__ import annotations

from sqlalchemy import update

from lms.content.catalog import Module
from lms.db_ops import insert_once
from lms.extensions import db
from lms.models import utcnow
from lms.progress.models import Completion, ModuleView


def record_view(user_id: int, module: Module) -> None:
    """Remember that the person opened the module now (first view kept, last view moved)."""
    now = utcnow()
    values = {"user_id": user_id, "course_key": module.course_key, "module_key": module.key}
    if not insert_once(ModuleView, {**values, "first_viewed_at": now, "last_viewed_at": now}):
        db.session.execute(
            update(ModuleView).filter_by(**values).values(last_viewed_at=now)
        )


def complete_module(user_id: int, module: Module) -> bool:
    """Record a completion of the module's current version; False if it was already recorded."""
    record_view(user_id, module)
    return insert_once(Completion, {
        "user_id": user_id,
        "course_key": module.course_key,
        "module_key": module.key,
        "module_version": module.version,
        "completed_at": utcnow(),
    })
