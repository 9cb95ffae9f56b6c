"""Cycle pages: the team dashboard and its CSV, the history of cycles, and the rollover."""

from __future__ import annotations

import csv
import io
import logging

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from lms.campaigns import services
from lms.campaigns.forms import RolloverForm
from lms.campaigns.models import Cycle, Membership
from lms.campaigns.views import bp, load_campaign, open_cycle_or_400
from lms.catalog_store import current_catalog
from lms.extensions import db
from lms.reports.dashboard import build_dashboard, grid_html

log = logging.getLogger("lms.reports")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    """Neutralise spreadsheet formulas: a cell starting with = + - @ is read as text."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _cycle(campaign, cycle_id: int | None) -> Cycle:
    if cycle_id is None:
        return campaign.current_cycle or abort(404)
    cycle = db.session.scalar(select(Cycle).filter_by(id=cycle_id, campaign_id=campaign.id))
    return cycle or abort(404)


@bp.route("/<id:campaign_id>/dashboard")
@bp.route("/<id:campaign_id>/cycles/<id:cycle_id>/dashboard")
@login_required
def dashboard(campaign_id: int, cycle_id: int | None = None):
    campaign, access = load_campaign(campaign_id, "view_dashboard")
    cycle = _cycle(campaign, cycle_id)
    dashboard = build_dashboard(cycle, current_catalog())
    return render_template("campaigns/dashboard.html", campaign=campaign, cycle=cycle,
                           access=access, dashboard=dashboard, grid=grid_html(dashboard))


@bp.route("/<id:campaign_id>/cycles/<id:cycle_id>/dashboard.csv")
@login_required
def dashboard_csv(campaign_id: int, cycle_id: int):
    campaign, _ = load_campaign(campaign_id, "view_dashboard")
    cycle = _cycle(campaign, cycle_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in build_dashboard(cycle, current_catalog()).table():
        writer.writerow([csv_cell(cell) for cell in row])
    log.info("user %s exported the dashboard of cycle %s", current_user.id, cycle.id)
    name = f"evergreen-campaign-{campaign.id}-{cycle.election_year}.csv"
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/<id:campaign_id>/history")
@login_required
def history(campaign_id: int):
    campaign, access = load_campaign(campaign_id, "view_dashboard")
    catalog = current_catalog()
    cycles = [(cycle, build_dashboard(cycle, catalog)) for cycle in reversed(campaign.cycles)]
    return render_template("campaigns/history.html", campaign=campaign, cycles=cycles,
                           access=access)


@bp.route("/<id:campaign_id>/rollover", methods=["GET", "POST"])
@login_required
def rollover(campaign_id: int):
    campaign, access = load_campaign(campaign_id, "rollover")
    cycle = open_cycle_or_400(campaign)
    members = db.session.scalars(select(Membership).where(
        Membership.cycle_id == cycle.id, Membership.removed_at.is_(None))).all()
    form = RolloverForm()
    form.returning.choices = [SelectChoice(m.user_id, f"{m.user.name} ({m.role})")
                              for m in members]
    if not form.is_submitted():
        form.election_year.data = cycle.election_year + 2
        form.returning.data = [m.user_id for m in members]
    if form.validate_on_submit():
        try:
            services.roll_over(cycle, current_catalog(), election_year=form.election_year.data,
                               election_date=form.election_date.data,
                               returning_user_ids=set(form.returning.data))
        except services.CampaignError as problem:
            form.election_year.errors.append(str(problem))
        else:
            db.session.commit()
            flash(f"The {cycle.election_year} cycle is closed and kept as it was. Welcome to "
                  f"{form.election_year.data}.", "success")
            return redirect(url_for(".overview", campaign_id=campaign.id))
    return render_template("campaigns/rollover.html", campaign=campaign, cycle=cycle, form=form,
                           access=access)
