"""Certificate forms: the public code lookup (a GET form) and the admin's revoke button."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, ValidationError

from lms.certificates.services import normalise_code


class VerifyForm(FlaskForm):
    """Typed on the public verification page. A GET form that writes nothing: no CSRF token."""

    class Meta:
        csrf = False

    code = StringField(
        "Verification code",
        description="12 letters and digits, printed on the certificate, like 7KQ2-M9XD-4RTB.",
        validators=[DataRequired(message="Enter the code from the certificate."),
                    Length(max=64, message="That is too long to be a code.")],
    )

    def validate_code(self, field: StringField) -> None:
        normal = normalise_code(field.data)
        if normal is None:
            raise ValidationError("That is not a verification code. Codes have 12 letters and "
                                  "digits, like 7KQ2-M9XD-4RTB.")
        field.data = normal


class RevokeForm(FlaskForm):
    """Only the CSRF token: revoking is one button."""
