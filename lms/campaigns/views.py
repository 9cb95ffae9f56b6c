"""Campaign pages: list, start, overview, plan, members, invites and joining by invite."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from lms import policy
from lms.auth.forms import EmptyForm
from lms.campaigns import services
from lms.campaigns.forms import CampaignForm, InviteForm, PlanForm, RoleForm
from lms.campaigns.models import Campaign, Cycle, Invite, Membership, PlanItem
from lms.campaigns.queries import campaigns_for, due_date
from lms.catalog_store import current_catalog
from lms.extensions import db
from lms.models import utcnow
from lms.reports.dashboard import build_dashboard

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")
join_bp = Blueprint("join", __name__)


def load_campaign(campaign_id: int, ability: str) -> tuple[Campaign, policy.CampaignAccess]:
    """The campaign if the viewer may `ability` it: 404 when they are not in it, 403 when they
    are in it without the role."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        abort(404)
    access = policy.campaign_access(current_user, campaign)
    if not access.visible:
        abort(404)
    if not access.can(ability):
        abort(403)
    return campaign, access


def open_cycle_or_400(campaign: Campaign) -> Cycle:
    cycle = campaign.current_cycle
    if cycle is None or not cycle.is_open:
        abort(400, "This campaign has no open cycle. Start the next cycle first.")
    return cycle


@bp.route("/")
@login_required
def index():
    if policy.is_trainer(current_user):
        campaigns = db.session.scalars(select(Campaign).order_by(Campaign.name).limit(200)).all()
    else:
        campaigns = campaigns_for(current_user.id)
    return render_template("campaigns/index.html", campaigns=campaigns)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = CampaignForm()
    if form.validate_on_submit():
        campaign = services.create_campaign(
            current_user.id, name=form.name.data, state=form.state.data,
            office=form.office.data, district=form.district.data or "",
            election_year=form.election_year.data, election_date=form.election_date.data,
            role=form.role.data)
        db.session.commit()
        flash("Your campaign is ready. Next: choose the training your team needs.", "success")
        return redirect(url_for(".plan", campaign_id=campaign.id))
    return render_template("campaigns/new.html", form=form)


@bp.route("/<id:campaign_id>")
@login_required
def overview(campaign_id: int):
    campaign, access = load_campaign(campaign_id, "view")
    cycle = campaign.current_cycle
    own_row = None
    if access.can("view_plan") and cycle is not None:
        dashboard = build_dashboard(cycle, current_catalog())
        own_row = next((r for r in dashboard.rows if r.user_id == current_user.id), None)
        columns = dashboard.columns
    else:
        dashboard, columns = None, ()
    return render_template("campaigns/overview.html", campaign=campaign, cycle=cycle,
                           access=access, dashboard=dashboard, own_row=own_row,
                           columns=columns)


@bp.route("/<id:campaign_id>/plan", methods=["GET", "POST"])
@login_required
def plan(campaign_id: int):
    campaign, access = load_campaign(campaign_id, "view_plan")
    cycle = campaign.current_cycle
    catalog = current_catalog()
    courses = catalog.visible_courses(trainer=False)
    items = db.session.scalars(select(PlanItem).where(PlanItem.cycle_id == cycle.id)).all()
    form = PlanForm()
    if request.method == "POST":
        if not access.can("manage"):
            abort(403)
        open_cycle_or_400(campaign)
        if not form.validate():
            abort(400, "The training plan form was not valid.")
        known = {c.key for c in courses}
        chosen = []
        for row in form.rows.entries:
            if row.course_key.data not in known:
                abort(400, "The plan names a course that does not exist.")
            chosen += [(row.course_key.data, role, row.due_days_before.data)
                       for role in row.roles.data]
        services.set_plan(cycle, chosen)
        db.session.commit()
        flash("Training plan saved.", "success")
        return redirect(url_for(".plan", campaign_id=campaign.id))
    by_course = {c.key: {"roles": set(), "due": None, "due_date": None} for c in courses}
    for item in items:
        if item.course_key in by_course:
            entry = by_course[item.course_key]
            entry["roles"].add(item.role)
            entry["due"], entry["due_date"] = item.due_days_before, due_date(
                cycle, item.due_days_before)
    return render_template("campaigns/plan.html", campaign=campaign, cycle=cycle, access=access,
                           courses=courses, by_course=by_course, form=form)


@bp.route("/<id:campaign_id>/members")
@login_required
def members(campaign_id: int):
    campaign, access = load_campaign(campaign_id, "view_dashboard")
    cycle = campaign.current_cycle
    rows = db.session.scalars(select(Membership).where(Membership.cycle_id == cycle.id)
                              .order_by(Membership.joined_at)).all()
    return render_template("campaigns/members.html", campaign=campaign, cycle=cycle,
                           access=access, memberships=rows, role_form=RoleForm(),
                           form=EmptyForm())


def _membership(campaign: Campaign, membership_id: int) -> Membership:
    cycle = open_cycle_or_400(campaign)
    membership = db.session.scalar(select(Membership).filter_by(id=membership_id,
                                                                cycle_id=cycle.id))
    if membership is None:
        abort(404)
    return membership


@bp.route("/<id:campaign_id>/members/<id:membership_id>/role", methods=["POST"])
@login_required
def change_role(campaign_id: int, membership_id: int):
    campaign, access = load_campaign(campaign_id, "manage")
    membership = _membership(campaign, membership_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400, "Choose one of the listed roles.")
    if not policy.can_grant_role(access, form.role.data) or not policy.can_grant_role(
            access, membership.role):
        abort(403)
    services.change_role(membership, form.role.data, current_user.id)
    db.session.commit()
    flash(f"{membership.user.name} is now {form.role.data}.", "success")
    return redirect(url_for(".members", campaign_id=campaign.id))


@bp.route("/<id:campaign_id>/members/<id:membership_id>/remove", methods=["POST"])
@login_required
def remove_member(campaign_id: int, membership_id: int):
    campaign, access = load_campaign(campaign_id, "manage")
    membership = _membership(campaign, membership_id)
    if not policy.can_grant_role(access, membership.role):
        abort(403)
    services.remove_member(membership, current_user.id)
    db.session.commit()
    flash(f"{membership.user.name} was removed from this cycle. Their training record stays "
          "with them.", "info")
    return redirect(url_for(".members", campaign_id=campaign.id))


@bp.route("/<id:campaign_id>/invites", methods=["GET", "POST"])
@login_required
def invites(campaign_id: int):
    campaign, access = load_campaign(campaign_id, "manage")
    cycle = campaign.current_cycle
    form = InviteForm()
    new_link = None
    if form.validate_on_submit():
        if not policy.can_grant_role(access, form.role.data):
            abort(403)
        try:
            _, token = services.create_invite(open_cycle_or_400(campaign), current_user.id,
                                              form.role.data, form.days.data, form.max_uses.data)
        except services.CampaignError as problem:
            abort(400, str(problem))
        db.session.commit()
        new_link = url_for("join.join", token=token, _external=True)
    elif request.method == "POST":
        abort(400, "The invite form was not valid: " + "; ".join(
            f"{getattr(form, name).label.text}: {' '.join(errors)}"
            for name, errors in form.errors.items()))
    rows = db.session.scalars(select(Invite).where(Invite.cycle_id == cycle.id)
                              .order_by(Invite.created_at.desc())).all()
    return render_template("campaigns/invites.html", campaign=campaign, cycle=cycle, form=form,
                           invites=rows, new_link=new_link, now=utcnow(), access=access)


@bp.route("/<id:campaign_id>/invites/<id:invite_id>/revoke", methods=["POST"])
@login_required
def revoke_invite(campaign_id: int, invite_id: int):
    campaign, _ = load_campaign(campaign_id, "manage")
    invite = db.session.scalar(select(Invite).join(Cycle).where(
        Invite.id == invite_id, Cycle.campaign_id == campaign.id))
    if invite is None:
        abort(404)
    services.revoke_invite(invite)
    db.session.commit()
    flash("The invite link no longer works.", "info")
    return redirect(url_for(".invites", campaign_id=campaign.id))


@join_bp.route("/join/<token>", methods=["GET", "POST"])
def join(token: str):
    """An invite link: GET shows what it offers (or why it cannot be used), POST joins."""
    if request.method == "POST":
        if not current_user.is_authenticated:
            abort(401)
        if not EmptyForm().validate_on_submit():
            abort(400)
        try:
            membership, joined = services.accept_invite(token, current_user.id)
        except services.InviteUnusable as unusable:
            db.session.rollback()
            return _join_page(services.find_invite(token), str(unusable), token)
        db.session.commit()
        flash(f"You joined {membership.cycle.campaign.name} as {membership.role}."
              if joined else "You are already on this team.", "success")
        return redirect(url_for("campaigns.overview", campaign_id=membership.cycle.campaign_id))
    invite = services.find_invite(token)
    problem = None
    if invite is None:
        problem = "This invite link is not valid. Check that you copied all of it."
    elif invite.state(utcnow()) != "active" or not invite.cycle.is_open:
        problem = (f"This invite link is {invite.state(utcnow())}. Ask your campaign manager "
                   "for a new one.")
    return _join_page(invite, problem, token)


def _join_page(invite: Invite | None, problem: str | None, token: str):
    status = 200 if problem is None else (404 if invite is None else 410)
    return render_template("campaigns/join.html", invite=invite, problem=problem,
                           form=EmptyForm(), token=token), status
