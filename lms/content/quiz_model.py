"""The parsed quiz model: frozen dataclasses that the quiz parser emits and the grader reads.

Everything here is immutable (tuples, not lists) so a parsed catalog can be shared by every
request. Markdown-bearing fields carry a companion ``*_html`` field, rendered once at parse
time by the caller's renderer.

``to_dict()`` follows section 4 of QUIZ_FORMAT.md. Numbers that are whole come out as ``int``
(``"points": 1``, ``"min": 45``), other numbers as ``float``. Type-specific keys: choice
questions have ``options``; short-text and numeric questions have ``answers`` (a list);
true/false questions have ``answers`` holding the boolean, mirroring ``Question.answers``.
``scoring`` appears only on ``multiple_select`` and ``case`` only on ``short_text``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any, Literal

from lms.content.diagnostics import Diagnostic

QuestionTypeName = Literal[
    "single_choice", "multiple_select", "true_false", "short_text", "numeric"]
Scoring = Literal["all-or-nothing", "partial"]


def json_number(value: float | None) -> int | float | None:
    """A float as JSON wants to see it: whole numbers as ``int`` (``-0.0`` becomes ``0``)."""
    if value is None:
        return None
    if value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


@dataclass(frozen=True)
class Option:
    """One ``( )``/``(x)`` or ``[ ]``/``[x]`` line of a choice question."""

    text: str
    text_html: str
    correct: bool
    feedback: str | None
    feedback_html: str | None
    line: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "correct": self.correct, "feedback": self.feedback,
                "line": self.line}


@dataclass(frozen=True)
class TextAnswer:
    """One ``=`` (accepted) or ``not=`` (known wrong) line of a short-text question.

    ``normalised`` is the text after the spec's normalisation, using the question's ``case:``.
    """

    text: str
    normalised: str
    accepted: bool
    feedback: str | None
    feedback_html: str | None
    line: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "accepted": self.accepted, "feedback": self.feedback,
                "line": self.line}


@dataclass(frozen=True)
class NumberAnswer:
    """One ``number:`` line: correct when ``min <= x <= max``.

    ``value`` and ``tolerance`` are ``None`` for a range (``a..b``); ``tolerance_percent`` is
    set only for a percentage tolerance (``50 +- 10%``). An exact number has tolerance 0.
    """

    min: float
    max: float
    value: float | None
    tolerance: float | None
    tolerance_percent: float | None
    feedback: str | None
    feedback_html: str | None
    line: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "min": json_number(self.min), "max": json_number(self.max),
            "value": json_number(self.value), "tolerance": json_number(self.tolerance),
            "tolerance_percent": json_number(self.tolerance_percent),
            "feedback": self.feedback, "line": self.line,
        }


Answers = tuple[TextAnswer, ...] | tuple[NumberAnswer, ...] | bool | None


@dataclass(frozen=True)
class Question:
    """One question. ``options`` is used by choice types, ``answers`` by the others."""

    id: str
    line: int
    type: QuestionTypeName
    points: float
    stem: str
    stem_html: str
    options: tuple[Option, ...] = ()
    answers: Answers = None
    hints: tuple[tuple[str, str], ...] = ()
    explain: str | None = None
    explain_html: str | None = None
    correct_feedback: str | None = None
    correct_feedback_html: str | None = None
    incorrect_feedback: str | None = None
    incorrect_feedback_html: str | None = None
    scoring: Scoring = "all-or-nothing"
    case_sensitive: bool = False

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "line": self.line, "type": self.type,
                                "points": json_number(self.points), "stem": self.stem}
        if self.type in ("single_choice", "multiple_select"):
            data["options"] = [option.to_dict() for option in self.options]
        elif isinstance(self.answers, tuple):
            data["answers"] = [answer.to_dict() for answer in self.answers]
        else:
            data["answers"] = self.answers
        data["hint"] = [markdown for markdown, _html in self.hints]
        data["explain"] = self.explain
        data["correct_feedback"] = self.correct_feedback
        data["incorrect_feedback"] = self.incorrect_feedback
        if self.type == "multiple_select":
            data["scoring"] = self.scoring
        if self.type == "short_text":
            data["case"] = "sensitive" if self.case_sensitive else "insensitive"
        return data


def _without_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_lines(v) for k, v in value.items() if k != "line"}
    if isinstance(value, list):
        return [_without_lines(v) for v in value]
    return value


@dataclass(frozen=True)
class Quiz:
    """One quiz block. ``pass_percent`` is ``None`` for a practice quiz (no ``pass:``)."""

    id: str
    title: str | None
    pass_percent: float | None
    shuffle: bool
    line: int
    questions: tuple[Question, ...]

    @property
    def max_points(self) -> float:
        """Total points, summed exactly as written (0.1 + 0.2 is 0.3)."""
        return float(sum((Fraction(repr(q.points)) for q in self.questions), Fraction(0)))

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.id == qid), None)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "pass": json_number(self.pass_percent),
                "shuffle": self.shuffle, "line": self.line,
                "questions": [question.to_dict() for question in self.questions]}

    @cached_property
    def version(self) -> str:
        """12 hex digits hashing what the quiz means: ``to_dict()`` without line numbers."""
        meaning = json.dumps(_without_lines(self.to_dict()), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(meaning.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class QuizBlock:
    """Where a quiz block stood in the document; ``quiz`` is None if the block has errors."""

    line: int
    quiz: Quiz | None


@dataclass(frozen=True)
class ParsedDocument:
    """Markdown pieces and quiz blocks in document order, plus every diagnostic found."""

    segments: tuple[str | QuizBlock, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=())

    @property
    def quizzes(self) -> tuple[Quiz, ...]:
        """The quizzes that parsed without errors, in document order."""
        return tuple(s.quiz for s in self.segments
                     if isinstance(s, QuizBlock) and s.quiz is not None)

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.diagnostics)
