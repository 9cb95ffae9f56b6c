"""Learner forms. A quiz's answer fields depend on the quiz, so the quiz type registry reads and
validates them (lms/content/quiz); this form carries the CSRF token and the submission token."""

from __future__ import annotations

import secrets

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import DataRequired, Regexp

ANSWER_PREFIX = "q-"
SUBMISSION_PATTERN = r"^[0-9a-f]{32}$"  # a submission token: one per quiz form, one attempt


class QuizForm(FlaskForm):
    submission = HiddenField(validators=[DataRequired(), Regexp(SUBMISSION_PATTERN)])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_submitted():
            self.submission.data = secrets.token_hex(16)


def submitted_answers(form_data) -> dict[str, list[str]]:
    """The quiz answers in a POST: question id -> every value sent for it."""
    return {
        key[len(ANSWER_PREFIX):]: form_data.getlist(key)
        for key in form_data
        if key.startswith(ANSWER_PREFIX)
    }
