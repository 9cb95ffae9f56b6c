"""Campaign forms: start a campaign, invite, roles, training plan, rollover."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from lms.campaigns.models import ROLE_LABELS

STATES = (  # noqa: SIM905 - a list of 56 codes reads better as one string
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI"
).split()
ROLE_CHOICES = [SelectChoice(role, label) for role, label in ROLE_LABELS.items()]


class CampaignForm(FlaskForm):
    name = StringField("Campaign name", validators=[DataRequired(), Length(max=120)],
                       description="For example: Maria Lopez for State House")
    state = SelectField("State", choices=[SelectChoice(s) for s in STATES])
    office = StringField("Office", validators=[DataRequired(), Length(max=120)],
                         description="For example: State House")
    district = StringField("District", validators=[Optional(), Length(max=60)],
                           description="Leave empty for a statewide or at-large race.")
    election_year = IntegerField("Election year", validators=[
        InputRequired(), NumberRange(min=2000, max=2100)])
    election_date = DateField("Election day", validators=[InputRequired()])
    role = SelectField("Your role", choices=[SelectChoice("manager", "Manager"),
                                             SelectChoice("candidate", "Candidate")])


class InviteForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES, default="staff")
    days = IntegerField("Expires after (days)", default=14,
                        validators=[InputRequired(), NumberRange(min=1, max=90)])
    max_uses = IntegerField("How many people may use it", default=10,
                            validators=[InputRequired(), NumberRange(min=1, max=500)])


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


class PlanRowForm(FlaskForm):
    class Meta:
        csrf = False  # a row of the plan form, which carries the token

    course_key = StringField(validators=[DataRequired(), Length(max=100)])
    roles = SelectMultipleField("Required for", choices=ROLE_CHOICES,
                                option_widget=CheckboxInput(),
                                widget=ListWidget(prefix_label=False))
    due_days_before = IntegerField("Due (days before election day)",
                                   validators=[Optional(), NumberRange(min=0, max=3650)])


class PlanForm(FlaskForm):
    rows = FieldList(FormField(PlanRowForm), max_entries=200)


class RolloverForm(FlaskForm):
    election_year = IntegerField("Next election year", validators=[
        InputRequired(), NumberRange(min=2000, max=2100)])
    election_date = DateField("Next election day", validators=[InputRequired()])
    returning = SelectMultipleField("Who returns", coerce=int, option_widget=CheckboxInput(),
                                    widget=ListWidget(prefix_label=False))
    confirm = BooleanField("Close the current cycle and start the next one",
                           validators=[DataRequired()])
