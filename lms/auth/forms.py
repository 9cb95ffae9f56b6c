"""Sign-up and sign-in forms."""

from __future__ import annotations

import re
import unicodedata

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from lms.auth.passwords import MAX_LENGTH, password_problem

EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def valid_email(form: FlaskForm, field: EmailField) -> None:
    """Plain ASCII addresses only (after NFKC), so look-alike letters cannot make a second
    identity for the same person."""
    value = unicodedata.normalize("NFKC", field.data or "").strip()
    if not EMAIL.match(value):
        raise ValidationError("Enter an email address like name@example.org.")


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_LENGTH)])


class RegisterForm(FlaskForm):
    name = StringField("Your name", validators=[DataRequired(), Length(max=120)])
    email = EmailField("Email", validators=[DataRequired(), Length(max=254), valid_email])
    password = PasswordField(
        "Password",
        description="At least 8 characters. A short sentence is easy to remember.",
        validators=[DataRequired()],
    )
    confirm = PasswordField(
        "Repeat the password",
        validators=[DataRequired(), EqualTo("password", message="The passwords do not match.")],
    )

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for one-button POSTs."""
