"""POST /my/reminders: a person turns their reminder emails on or off."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user, login_required

from lms.extensions import db
from lms.reminders.forms import RemindersForm

bp = Blueprint("reminders", __name__)


@bp.route("/my/reminders", methods=["POST"])
@login_required
def toggle():
    form = RemindersForm()
    if not form.validate_on_submit():
        abort(400)
    current_user.reminders_enabled = form.enabled.data == "on"
    db.session.commit()
    flash("Email reminders are on." if current_user.reminders_enabled else
          "Email reminders are off. You will not get reminder emails from us.", "success")
    return redirect(url_for("learn.my_training") + "#reminders")
