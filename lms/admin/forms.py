"""Admin forms: the people search (a GET form, so no CSRF token) and one-button actions."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SearchField
from wtforms.validators import Length, NumberRange, Optional


class PeopleSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a search: GET, writes nothing

    q = SearchField("Search by name or email", validators=[Optional(), Length(max=254)])
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=100_000)])
