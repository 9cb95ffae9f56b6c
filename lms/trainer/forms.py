"""Trainer forms: the module editor and preview (POST, CSRF), and the report filters (GET).

Report filters read the query string: they carry no CSRF token and write nothing. Their choices
are allowlists (a sort key, a split, a state), so a value no page offers is a 400.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

MAX_SOURCE = 200_000  # characters of Markdown: far more than any module needs
SHA256 = Regexp(r"^[0-9a-f]{64}$", message="This form is damaged; reload the page.")


class PreviewForm(FlaskForm):
    """The scratch preview page, and the live preview the editor's script asks for."""

    source = TextAreaField("Module Markdown, front matter included",
                           validators=[InputRequired(), Length(max=MAX_SOURCE)])
    course_key = SelectField("Course, for links and images", choices=[])
    file_name = StringField(validators=[Optional(), Length(max=120)])
    preview = SubmitField("Preview")


class EditorForm(FlaskForm):
    source = TextAreaField("Module Markdown, front matter included",
                           validators=[InputRequired(), Length(max=MAX_SOURCE)])
    base_hash = HiddenField(validators=[Optional(), SHA256])
    substantive = BooleanField(
        "Substantive change: raise the version",
        description="Tick this when people who completed the module need to do it again. "
                    "Not for typos, rewording or better feedback.")
    preview = SubmitField("Preview")
    save = SubmitField("Save")


class NewModuleForm(EditorForm):
    file_name = StringField("File name", validators=[InputRequired(), Length(max=120)],
                            description="NN-slug.md, for example 04-door-scripts.md. The slug "
                                        "becomes the module's key in its web address.")


class _QueryForm(FlaskForm):
    class Meta:
        csrf = False  # read from the query string of a GET: nothing is written


SORT_CHOICES = [
    SelectChoice("position", "Course order"),
    SelectChoice("respondents", "People"),
    SelectChoice("correct", "Share correct"),
    SelectChoice("discrimination", "Discrimination"),
    SelectChoice("flags", "Flags"),
]
SPLIT_CHOICES = [SelectChoice("version", "Quiz version"),
                 SelectChoice("cycle", "Quiz version and election cycle")]
ORDER_CHOICES = [SelectChoice("asc", "Ascending"), SelectChoice("desc", "Descending")]


class QuestionFilterForm(_QueryForm):
    course = SelectField("Course", choices=[], default="")
    module = SelectField("Module", choices=[], default="")
    split = SelectField("Split by", choices=SPLIT_CHOICES, default="version")
    sort = SelectField("Sort by", choices=SORT_CHOICES, default="position")
    order = SelectField("Order", choices=ORDER_CHOICES, default="asc")


class HealthFilterForm(_QueryForm):
    course = SelectField("Course", choices=[], default="")


class OrganisationFilterForm(_QueryForm):
    state = SelectField("State", choices=[], default="")
    year = SelectField("Cycle", choices=[], default="")
    office = SelectField("Office", choices=[], default="")
    page = IntegerField("Page", default=1, validators=[Optional(), NumberRange(min=1, max=100000)])
