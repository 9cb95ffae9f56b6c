"""Admin pages: the people list and one person's access (disable, enable, trainer, admin).

Admins only (policy.is_admin): anyone else signed in gets 403, anonymous visitors the login page.
Every change is a CSRF-protected POST that redirects back to the person's page.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from lms import policy
from lms.admin import queries, services
from lms.admin.forms import PeopleSearchForm
from lms.auth.forms import EmptyForm
from lms.auth.models import User
from lms.extensions import db
from lms.security import start_session

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def require_admin() -> None:
    if not policy.is_admin(current_user):
        abort(403)


@bp.app_context_processor
def admin_nav() -> dict:
    """The header shows the Admin link to admins."""
    return {"show_admin_link": policy.is_admin(current_user)}


def _person_or_404(user_id: int) -> User:
    person = db.session.get(User, user_id)
    if person is None:
        abort(404)
    return person


@bp.route("/")
def index():
    return redirect(url_for(".people"))


@bp.route("/people")
def people():
    form = PeopleSearchForm(request.args)
    if not form.validate():
        abort(400, "The search was not valid.")
    found = queries.people_page(form.q.data or "", form.page.data or 1)
    return render_template("admin/people.html", form=form, found=found, search=form.q.data or "")


@bp.route("/people/<id:user_id>")
def person(user_id: int):
    person = _person_or_404(user_id)
    return render_template("admin/person.html", person=person,
                           memberships=queries.memberships_of(person.id))


def _apply(user_id: int, change, message: str):
    """Validate the one-button form, make the change, commit, and come back to the person."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    person = _person_or_404(user_id)
    actor = current_user._get_current_object()
    try:
        changed = change(actor, person)
    except services.SelfLockout as lockout:
        db.session.rollback()
        abort(400, str(lockout))
    db.session.commit()
    if changed and person.id == actor.id:
        # A privilege change gives the acting admin a fresh session (R22), with no more time
        # than the old one had: no password was given.
        login_at = session.get("_login_at")
        start_session(actor)
        if login_at:
            session["_login_at"] = login_at
    flash(message.format(name=person.name) if changed else "Nothing to change.",
          "success" if changed else "info")
    return redirect(url_for(".person", user_id=person.id))


@bp.route("/people/<id:user_id>/disable", methods=["POST"])
def disable(user_id: int):
    return _apply(user_id, lambda actor, person: services.set_disabled(actor, person, True),
                  "{name} is disabled and logged out everywhere.")


@bp.route("/people/<id:user_id>/enable", methods=["POST"])
def enable(user_id: int):
    return _apply(user_id, lambda actor, person: services.set_disabled(actor, person, False),
                  "{name} can log in again.")


def _role_or_404(role: str) -> str:
    if role not in services.ROLES:
        abort(404)
    return role


@bp.route("/people/<id:user_id>/grant/<role>", methods=["POST"])
def grant(user_id: int, role: str):
    role = _role_or_404(role)
    return _apply(user_id, lambda actor, person: services.set_role(actor, person, role, True),
                  f"{{name}} is now {'a trainer' if role == 'trainer' else 'an admin'}.")


@bp.route("/people/<id:user_id>/revoke/<role>", methods=["POST"])
def revoke(user_id: int, role: str):
    role = _role_or_404(role)
    return _apply(user_id, lambda actor, person: services.set_role(actor, person, role, False),
                  f"{{name}} is no longer {'a trainer' if role == 'trainer' else 'an admin'}.")
