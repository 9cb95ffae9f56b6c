"""Sign-up, sign-in, account and password-reset forms."""

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


class NameForm(FlaskForm):
    name = StringField("Your name", validators=[DataRequired(), Length(max=120)])


class NewPasswordForm(FlaskForm):
    """Choose a new password (the reset page); the account page adds the current one."""

    new_password = PasswordField(
        "New password",
        description="At least 8 characters. A short sentence is easy to remember.",
        validators=[DataRequired()],
    )
    confirm_password = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(),
                    EqualTo("new_password", message="The passwords do not match.")],
    )

    def validate_new_password(self, field: PasswordField) -> None:
        problem = password_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=MAX_LENGTH)])


class ChangeEmailForm(FlaskForm):
    email = EmailField(
        "New email", validators=[DataRequired(), Length(max=254), valid_email],
        description="Signed up with a campaign address? Move to one you will keep: your "
                    "training stays with you, whichever campaign you work for next.")
    password = PasswordField(
        "Your password", validators=[DataRequired(), Length(max=MAX_LENGTH)],
        description="To confirm it is you.")


class ResetRequestForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254), valid_email])


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for one-button POSTs."""
