"""The account page: change your name, password or email (routes on the auth blueprint).

Each change posts to its own URL; a refused form re-renders the page with its errors and writes
nothing. A new password or email ends every other session: the generation moves on and this
person gets a fresh session on it (they just gave their password, so the lifetime restarts).
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from lms.auth import notices, services
from lms.auth.forms import ChangeEmailForm, ChangePasswordForm, NameForm
from lms.auth.views import bp
from lms.extensions import db, limiter
from lms.security import start_session


def _change_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_key() -> str:
    return f"account-change:{getattr(current_user, 'id', None)}"


# A wrong current password is a guess at it: throttled like failed logins (R14).
throttled = limiter.limit(_change_limit, key_func=_account_key,
                          deduct_when=lambda response: response.status_code != 302)


def _page(**bound: FlaskForm):
    """The account page; `bound` holds the submitted form (with its errors), the others are
    fresh."""
    fresh = {
        "name_form": lambda: NameForm(formdata=None, name=current_user.name),
        "password_form": lambda: ChangePasswordForm(formdata=None),
        "email_form": lambda: ChangeEmailForm(formdata=None),
    }
    forms = {key: bound[key] if key in bound else make() for key, make in fresh.items()}
    return render_template("auth/account.html", **forms)


def _refused(what: str, **bound: FlaskForm):
    db.session.rollback()  # nothing of a refused change is written
    flash(f"Your {what} was not changed: see the form below.", "error")
    return _page(**bound)


@bp.route("/account")
@login_required
def account():
    return _page()


@bp.route("/account/name", methods=["POST"])
@login_required
def change_name():
    form = NameForm()
    if not form.validate_on_submit():
        return _refused("name", name_form=form)
    services.change_name(current_user, form.name.data)
    db.session.commit()
    flash("Your name is saved.", "success")
    return redirect(url_for(".account"))


@bp.route("/account/password", methods=["POST"])
@login_required
@throttled
def change_password():
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return _refused("password", password_form=form)
    user = current_user._get_current_object()
    try:
        services.change_password(user, form.current_password.data, form.new_password.data)
    except services.WrongPassword:
        form.current_password.errors.append("That is not your current password.")
        return _refused("password", password_form=form)
    db.session.commit()
    start_session(user)  # a fresh session on the new generation; every other one ended
    notices.password_changed(user)
    flash("Your password is changed. You are logged out everywhere else.", "success")
    return redirect(url_for(".account"))


@bp.route("/account/email", methods=["POST"])
@login_required
@throttled
def change_email():
    form = ChangeEmailForm()
    if not form.validate_on_submit():
        return _refused("email", email_form=form)
    user = current_user._get_current_object()
    try:
        old_email = services.change_email(user, form.password.data, form.email.data)
    except services.WrongPassword:
        form.password.errors.append("That is not your password.")
        return _refused("email", email_form=form)
    except services.EmailTaken:
        form.email.errors.append("Another account uses this email address.")
        return _refused("email", email_form=form)
    except services.EmailUnchanged:
        form.email.errors.append("That is already your email address.")
        return _refused("email", email_form=form)
    db.session.commit()
    start_session(user)
    notices.email_changed(user, old_email)
    flash(f"Your email is now {user.email}. We told your old address about the change.",
          "success")
    return redirect(url_for(".account"))
