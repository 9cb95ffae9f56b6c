"""Who may see and do what: every access decision in one place, used by every view.

Deny by default: each function answers for one kind of access and returns False unless a rule
allows it. Views turn False into 404 (do not reveal the thing exists) or 403 as documented.
"""

from __future__ import annotations

from flask import current_app

from lms.auth.models import User
from lms.content.catalog import Course


def _signed_in(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_trainer(user: User | None) -> bool:
    return _signed_in(user) and bool(user.is_trainer or user.is_admin)


def is_admin(user: User | None) -> bool:
    return _signed_in(user) and bool(user.is_admin)


def can_browse(user: User | None) -> bool:
    """The catalog and module text: open to anyone unless the deployment makes it private."""
    return _signed_in(user) or not current_app.config["CATALOG_PRIVATE"]


def can_view_course(user: User | None, course: Course) -> bool:
    if not can_browse(user):
        return False
    return course.visibility == "public" or is_trainer(user)


def can_record_progress(user: User | None) -> bool:
    return _signed_in(user)
