"""Forgotten password: ask for a link, open it, choose a new password (auth blueprint routes).

Asking answers the same whether or not the address has an account (R13) and is throttled per
address and per client. The emailed link /reset/<token> moves the token into the session and
redirects, so it leaves the address bar and browser history before the form is shown.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import logout_user

from lms.auth import notices, resets, services
from lms.auth.forms import NewPasswordForm, ResetRequestForm
from lms.auth.views import bp
from lms.extensions import db, limiter

SESSION_KEY = "reset_token"
PER_ADDRESS_LIMIT = "5 per hour"  # also bounds the mail one person can be sent
PER_CLIENT_LIMIT = "20 per hour"


def _address_key() -> str:
    return "reset:" + services.canonical_email(request.form.get("email", ""))[:254]


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(PER_ADDRESS_LIMIT, methods=["POST"], key_func=_address_key)
@limiter.limit(PER_CLIENT_LIMIT, methods=["POST"], scope="reset-client")
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        created = resets.create_reset(form.email.data)
        db.session.commit()
        if created is not None:
            notices.reset_link(*created)
        return redirect(url_for(".reset_sent"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/sent")
def reset_sent():
    return render_template("auth/reset_sent.html")


@bp.route("/reset/<token>")
def reset_link(token: str):
    """The emailed link: keep the token in the session, show the form at a plain address."""
    session[SESSION_KEY] = token[: resets.MAX_TOKEN_LENGTH + 1]
    return redirect(url_for(".reset_password"))


@bp.route("/reset/password", methods=["GET", "POST"])
def reset_password():
    token = session.get(SESSION_KEY)
    try:
        user = resets.check_reset(token)
    except resets.ResetUnusable as unusable:
        return _unusable(unusable)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = resets.use_reset(token, form.new_password.data)
        except resets.ResetUnusable as unusable:
            db.session.rollback()
            return _unusable(unusable)
        db.session.commit()
        session.pop(SESSION_KEY, None)
        logout_user()
        notices.password_changed(user)
        flash("Your password is changed and every session of your account has ended. Log in "
              "with your new password.", "success")
        return redirect(url_for(".login"))
    return render_template("auth/reset_password.html", form=form, email=user.email)


def _unusable(unusable: resets.ResetUnusable):
    return render_template("auth/reset_unusable.html", problem=str(unusable)), unusable.status
