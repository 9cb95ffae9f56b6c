"""The reminders switch on My training: the form says which state to set, so a double click
or a resent form lands in the same place."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf, DataRequired


class RemindersForm(FlaskForm):
    enabled = HiddenField(validators=[DataRequired(), AnyOf(["on", "off"])])
