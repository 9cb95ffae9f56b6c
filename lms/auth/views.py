"""Register, log in, log out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, logout_user

from lms.auth import services
from lms.auth.forms import EmptyForm, LoginForm, RegisterForm
from lms.extensions import db, limiter
from lms.security import start_session

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """Only same-origin relative paths; anything else goes to My training."""
    if target:
        parts = urlsplit(target)
        if (not parts.scheme and not parts.netloc and target.startswith("/")
                and not target.startswith("//") and "\\" not in target
                and not any(ord(c) < 32 for c in target)):
            return target
    return url_for("learn.my_training")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_account_key() -> str:
    return "login:" + services.canonical_email(request.form.get("email", ""))[:254]


@bp.route("/register", methods=["GET", "POST"])
def register():
    if not current_app.config["REGISTRATION_OPEN"]:
        abort(404)
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register(form.name.data, form.email.data, form.password.data)
        except services.EmailTaken:
            form.email.errors.append(
                "An account with this email already exists. Log in instead, or reset your "
                "password."
            )
        else:
            db.session.commit()
            start_session(user)
            flash(f"Welcome, {user.name}. Your account is ready.", "success")
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_login_account_key,
               deduct_when=lambda response: response.status_code != 302)
@limiter.limit(_login_limit, methods=["POST"], scope="login-client",
               deduct_when=lambda response: response.status_code != 302)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            db.session.commit()  # a rehashed password
            start_session(user)
            return redirect(safe_next(request.args.get("next")))
        form.password.errors.append("That email and password do not match an account.")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.end_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("learn.catalog"))
