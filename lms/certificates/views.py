"""Certificate pages: the printable certificate, the public verification page, revoking."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from lms import policy
from lms.auth.models import User
from lms.catalog_store import current_catalog
from lms.certificates import queries, services
from lms.certificates.forms import RevokeForm, VerifyForm
from lms.certificates.models import Certificate
from lms.extensions import db, limiter
from lms.mail import absolute_url
from lms.models import utcnow

bp = Blueprint("certificates", __name__)

# Codes carry 60 random bits; a limit on unknown-code lookups keeps guessing pointless anyway.
lookup_limit = limiter.limit("60 per minute", scope="certificate-lookup",
                             deduct_when=lambda response: response.status_code == 404)


def _certificate_or_404(certificate_id: int) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or not policy.can_view_certificate(current_user, certificate):
        abort(404)
    return certificate


@bp.route("/certificates/<id:certificate_id>")
@login_required
def show(certificate_id: int):
    certificate = _certificate_or_404(certificate_id)
    catalog = current_catalog()
    now = utcnow()
    return render_template(
        "certificates/certificate.html", certificate=certificate,
        latest=queries.latest_certificate(certificate.user_id, certificate.course_key, now),
        holder=db.session.get(User, certificate.user_id),
        modules=queries.module_lines(certificate, catalog),
        status=queries.status_of(certificate, now),
        verify_url=absolute_url(url_for(".verify", code=certificate.code)),
    )


@bp.route("/verify")
@lookup_limit
def lookup():
    form = VerifyForm(request.args)
    if "code" in request.args and form.validate():
        return redirect(url_for(".verify", code=form.code.data))
    return render_template("certificates/verify.html", form=form, found=None), \
        400 if "code" in request.args else 200


@bp.route("/verify/<code>")
@lookup_limit
def verify(code: str):
    normal = services.normalise_code(code)
    if normal is not None and normal != code:
        return redirect(url_for(".verify", code=normal))
    found = queries.by_code(normal) if normal else None
    form = VerifyForm(data={"code": normal or ""})
    if found is None:
        return render_template("certificates/verify.html", form=form, found=None,
                               looked_up=True), 404
    certificate, name = found
    return render_template(
        "certificates/verify.html", form=form, found=certificate, holder_name=name,
        status=queries.status_of(certificate, utcnow()), looked_up=True,
        can_revoke=policy.can_revoke_certificate(current_user),
    )


@bp.route("/certificates/<id:certificate_id>/revoke", methods=["POST"])
@login_required
def revoke(certificate_id: int):
    form = RevokeForm()
    if not form.validate_on_submit():
        abort(400)
    certificate = _certificate_or_404(certificate_id)
    if not policy.can_revoke_certificate(current_user):
        abort(403)
    if services.revoke(certificate, current_user.id):
        flash(f"Certificate {certificate.code} is revoked.", "success")
    else:
        flash("That certificate was already revoked.", "info")
    db.session.commit()
    return redirect(url_for(".verify", code=certificate.code))
