"""Grading results: what one question and one whole attempt scored, and how it is rounded.

Scores are kept as exact fractions while grading; only the reported numbers are rounded, and
always toward zero (scores are never negative, so this is a floor):

* a question's ``score`` (in [0, 1]) to 4 decimal places,
* points (``earned``, per question and in total) to 2 decimal places,
* ``percent`` to 1 decimal place.

``passed`` is decided on the exact fractions (earned / max >= pass / 100). Because the percent
is floored, a shown percent never reaches the pass mark when the attempt failed: 79.96% shows
as 79.9%, not 80.0%. ``passed`` is None for a practice quiz (no ``pass:``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property, lru_cache
from typing import Any


class ResponseError(ValueError):
    """A submitted answer that no honest form could send; the message is a plain sentence."""


def floor_to(value: Fraction, places: int) -> float:
    """``value`` (never negative) rounded toward zero to ``places`` decimal places, as a float:
    the float nearest that decimal (Python divides integers with correct rounding)."""
    return floor_ratio(value.numerator, value.denominator, places)


def floor_ratio(numerator: int, denominator: int, places: int) -> float:
    """floor_to of numerator / denominator (numerator >= 0, denominator > 0), without
    making the Fraction."""
    scale = 10 ** places
    return numerator * scale // denominator / scale


@lru_cache(maxsize=4096)
def exact(value: float) -> Fraction:
    """The decimal a float was written as (``0.1`` is 1/10, not its binary neighbour)."""
    return Fraction(repr(value))


@dataclass(frozen=True)
class QuestionResult:
    """How one question was answered and graded.

    ``values`` are the submitted form values in canonical form (what to store and to refill the
    form with); ``echo`` is what the learner answered as raw text for display (option text for
    choice questions, the typed text otherwise): NOT HTML, the template escapes it.
    ``feedback_html`` holds the ``>`` feedback of the selected options or of the matched
    ``=``/``not=``/``number:`` line; ``outcome_html`` is ``correct:`` or ``incorrect:``.
    """

    question_id: str
    type: str
    fraction: Fraction = field(repr=False)
    points: float
    correct: bool
    blank: bool
    values: tuple[str, ...] = ()
    echo: tuple[str, ...] = ()
    selected: tuple[int, ...] = ()
    feedback_html: tuple[str, ...] = ()
    outcome_html: str | None = None
    explain_html: str | None = None

    @property
    def score(self) -> float:
        """The share of the question's points earned, in [0, 1]."""
        return floor_to(self.fraction, 4)

    @property
    def earned(self) -> float:
        points = exact(self.points)  # fraction x points, without reducing the product
        return floor_ratio(self.fraction.numerator * points.numerator,
                           self.fraction.denominator * points.denominator, 2)

    def to_record(self) -> dict[str, Any]:
        return {"id": self.question_id, "answer": list(self.values), "score": self.score,
                "earned": self.earned, "correct": self.correct}


@dataclass(frozen=True)
class QuizResult:
    """One graded attempt at a quiz, with per-question results in quiz order. Its figures are
    worked out once (exact fractions are slow, and a submission reads each a few times)."""

    quiz_id: str
    version: str
    pass_percent: float | None
    results: tuple[QuestionResult, ...]

    @cached_property
    def _exact(self) -> tuple[int, int, int]:
        """(earned, max points, denominator): both exact sums as integers over one common
        denominator, not reduced (floor_ratio takes them as they are). Summing Fractions would
        reduce every step, several times the cost of the grading itself."""
        parts = [(r.fraction, exact(r.points)) for r in self.results]
        denominator = math.lcm(*(share.denominator * points.denominator
                                 for share, points in parts))
        earned = sum(share.numerator * points.numerator
                     * (denominator // (share.denominator * points.denominator))
                     for share, points in parts)
        most = sum(points.numerator * (denominator // points.denominator)
                   for _, points in parts)
        return earned, most, denominator

    @cached_property
    def earned(self) -> float:
        earned, _, denominator = self._exact
        return floor_ratio(earned, denominator, 2)

    @cached_property
    def max_points(self) -> float:
        _, most, denominator = self._exact
        return floor_ratio(most, denominator, 2)

    @cached_property
    def percent(self) -> float:
        earned, most, _ = self._exact
        return floor_ratio(earned * 100, most, 1) if most else 0.0

    @cached_property
    def passed(self) -> bool | None:
        if self.pass_percent is None:
            return None
        earned, most, _ = self._exact
        mark = exact(self.pass_percent)  # earned / most >= mark / 100, in integers
        return bool(most) and earned * 100 * mark.denominator >= mark.numerator * most

    def result(self, qid: str) -> QuestionResult | None:
        return next((r for r in self.results if r.question_id == qid), None)

    def to_record(self) -> dict[str, Any]:
        """A JSON-able summary for storage: answers given and the score of each question."""
        return {"quiz_id": self.quiz_id, "version": self.version, "earned": self.earned,
                "max_points": self.max_points, "percent": self.percent,
                "passed": self.passed, "questions": [r.to_record() for r in self.results]}
