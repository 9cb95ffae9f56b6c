"""Helpers shared by the GIFT importer's tests (test_gift*.py)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from lms.content.gift import GiftConversion, convert_gift
from lms.content.quiz import parse_markdown

FIXTURES = Path(__file__).parent / "fixtures"


def convert(gift: str, **options: object) -> GiftConversion:
    return convert_gift(textwrap.dedent(gift).lstrip("\n"), "bank.gift", **options)


def found(result: GiftConversion, code: str) -> list[int]:
    """GIFT lines of every diagnostic with this code."""
    return [d.line for d in result.diagnostics if d.code == code]


def message(result: GiftConversion, code: str) -> str:
    return next(d.message for d in result.diagnostics if d.code == code)


def questions(result: GiftConversion) -> list:
    """Parse the generated Markdown; it must have no errors."""
    doc = parse_markdown(result.markdown, "module.md")
    errors = [str(d) for d in doc.diagnostics if d.is_error]
    assert errors == [], result.markdown
    return [q for quiz in doc.quizzes for q in quiz.questions]


def only(result: GiftConversion):
    (question,) = questions(result)
    return question


def options(question) -> list[tuple[str, bool, str | None]]:
    return [(o.text, o.correct, o.feedback) for o in question.options]
