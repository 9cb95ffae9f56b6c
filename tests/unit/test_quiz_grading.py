"""Grading: per-type tables of right, wrong, partial, blank and edge inputs; whole attempts."""

from __future__ import annotations

import json
import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.content.quiz import ResponseError, grade_quiz, parse_markdown
from lms.content.quiz_results import QuestionResult, QuizResult

QUIZ = """\
```quiz
id: grading
pass: 80%

Q: Pick one
id: one
( ) Wrong
  > Not this one.
(x) Right
  > Yes.
( ) Also wrong
explain: Because.
correct: Well done.
incorrect: Have another look.

Q: Pick several
id: many
[x] A
  > A is right.
[x] B
[x] C
[ ] D
  > D is wrong.
[ ] E

Q: Pick several, partial credit
id: partial
[x] A
[x] B
[x] C
[ ] D
[ ] E
scoring: partial
points: 3

Q: True?
id: tf
answer: false

Q: Which app?
id: text
= DoorLog
= Straße
= it's here
= 2 – 3
not= PhoneLog
  > PhoneLog is for the phone bank.

Q: Case matters
id: case
case: sensitive
= DoorLog

Q: How many?
id: num
number: 20
  > Exactly.
number: 18..22
  > Close enough.

Q: Tolerance
id: tol
number: 0.3 +- 0.1

Q: Percent
id: pct
number: 1000 +- 10%
```
"""


@pytest.fixture(scope="module")
def quiz():
    parsed = parse_markdown(QUIZ, "grading.md")
    assert parsed.diagnostics == ()
    return parsed.quizzes[0]


def grade_one(quiz, qid: str, values):
    return grade_quiz(quiz, {qid: values}).result(qid)


@pytest.mark.parametrize(("values", "score", "feedback", "echo"), [
    (["1"], 1, ("<p>Yes.</p>",), ("Right",)),
    (["0"], 0, ("<p>Not this one.</p>",), ("Wrong",)),
    (["2"], 0, (), ("Also wrong",)),
    ([], 0, (), ()),
    ([""], 0, (), ()),
    ("1", 1, ("<p>Yes.</p>",), ("Right",)),
])
def test_single_choice(quiz, values, score, feedback, echo) -> None:
    result = grade_one(quiz, "one", values)
    assert (result.score, result.correct, result.feedback_html, result.echo) == (
        score, score == 1, feedback, echo)
    assert result.blank == (not echo)
    assert result.explain_html == "<p>Because.</p>"
    assert result.outcome_html == ("<p>Well done.</p>" if score else
                                   "<p>Have another look.</p>")


@pytest.mark.parametrize(("values", "score"), [
    (["0", "1", "2"], 1), (["2", "0", "1"], 1), (["0", "1"], 0), (["0", "1", "2", "3"], 0),
    ([], 0), (["", ""], 0), (["3", "4"], 0)])
def test_multiple_select_all_or_nothing(quiz, values, score) -> None:
    assert grade_one(quiz, "many", values).score == score


def test_multiple_select_feedback_for_selected_options(quiz) -> None:
    result = grade_one(quiz, "many", ["3", "0"])
    assert result.feedback_html == ("<p>A is right.</p>", "<p>D is wrong.</p>")
    assert result.selected == (0, 3) and result.values == ("0", "3")
    assert result.echo == ("A", "D")


@pytest.mark.parametrize(("values", "score", "earned"), [
    (["0", "1", "2"], 1, 3), (["0", "1"], 0.6666, 2), (["0"], 0.3333, 1),
    (["0", "1", "2", "3"], 0.6666, 2), (["0", "3"], 0, 0), (["0", "3", "4"], 0, 0),
    (["3", "4"], 0, 0), ([], 0, 0)])
def test_multiple_select_partial(quiz, values, score, earned) -> None:
    result = grade_one(quiz, "partial", values)
    assert (result.score, result.earned, result.correct) == (score, earned, score == 1)


@pytest.mark.parametrize(("values", "score", "blank"), [
    (["false"], 1, False), (["FALSE"], 1, False), (["true"], 0, False), ([], 0, True),
    ([""], 0, True)])
def test_true_false(quiz, values, score, blank) -> None:
    result = grade_one(quiz, "tf", values)
    assert (result.score, result.blank) == (score, blank)


@pytest.mark.parametrize(("typed", "score", "feedback"), [
    ("DoorLog", 1, ()), ("doorlog", 1, ()), ("  DOORLOG  ", 1, ()), ("DoorLog.", 1, ()),
    ("DoorLog!", 1, ()), ("DoorLog..", 0, ()), ("Door Log", 0, ()),
    ("STRASSE", 1, ()), ("strasse", 1, ()),
    ("it’s   here", 1, ()), ("IT'S HERE?", 1, ()),
    ("2 - 3", 1, ()), ("2 — 3", 1, ()),
    ("PhoneLog", 0, ("<p>PhoneLog is for the phone bank.</p>",)),
    ("phonelog.", 0, ("<p>PhoneLog is for the phone bank.</p>",)),
    ("Something else", 0, ()), (".", 0, ())])
def test_short_text(quiz, typed, score, feedback) -> None:
    result = grade_one(quiz, "text", [typed])
    assert (result.score, result.feedback_html, result.echo) == (score, feedback, (typed,))


def test_short_text_nfd_accents() -> None:
    quiz = parse_markdown("```quiz\nid: t\npass: 50%\nQ: x\n= Café\n```\n", "m").quizzes[0]
    assert grade_one(quiz, quiz.questions[0].id, ["Cafe\u0301"]).correct
    assert grade_one(quiz, quiz.questions[0].id, ["CAFÉ"]).correct
    assert not grade_one(quiz, quiz.questions[0].id, ["Cafe"]).correct


@pytest.mark.parametrize(("typed", "score"), [("DoorLog", 1), ("doorlog", 0), ("DoorLog?", 1)])
def test_short_text_case_sensitive(quiz, typed, score) -> None:
    assert grade_one(quiz, "case", [typed]).score == score


@pytest.mark.parametrize(("typed", "score", "feedback"), [
    ("20", 1, ("<p>Exactly.</p>",)), ("20.0", 1, ("<p>Exactly.</p>",)),
    (" 20 doors ", 1, ("<p>Exactly.</p>",)), ("20%", 1, ("<p>Exactly.</p>",)),
    ("19", 1, ("<p>Close enough.</p>",)), ("18", 1, ("<p>Close enough.</p>",)),
    ("22", 1, ("<p>Close enough.</p>",)), ("17.999", 0, ()), ("22.001", 0, ()),
    ("2,0", 0, ()), ("20,0", 1, ("<p>Exactly.</p>",)), ("twenty", 0, ()), ("20-22", 0, ()),
    ("1e1", 0, ())])
def test_numeric(quiz, typed, score, feedback) -> None:
    result = grade_one(quiz, "num", [typed])
    assert (result.score, result.feedback_html, result.blank) == (score, feedback, False)


@pytest.mark.parametrize(("typed", "score"), [
    ("0.2", 1), ("0.4", 1), ("0,2", 1), ("0,4", 1), ("0.3", 1), (".3", 1),
    ("0.19999", 0), ("0.40001", 0)])
def test_numeric_tolerance_bounds(quiz, typed, score) -> None:
    assert grade_one(quiz, "tol", [typed]).score == score


@pytest.mark.parametrize(("typed", "score"), [
    ("900", 1), ("1100", 1), ("1,100", 1), ("1 100", 1), ("1.100,0", 1), ("899", 0),
    ("1 101", 0), ("1,000.5", 1), ("-1000", 0)])
def test_numeric_percent_tolerance_and_grouping(quiz, typed, score) -> None:
    assert grade_one(quiz, "pct", [typed]).score == score


def test_blank_numeric(quiz) -> None:
    result = grade_one(quiz, "num", ["   "])
    assert (result.score, result.blank) == (0, True)


@pytest.mark.parametrize(("answers", "fragment"), [
    ({"nope": ["1"]}, "There is no question 'nope' in quiz 'grading'."),
    ({"one": ["0", "1"]}, "takes one answer, but 2 were sent"),
    ({"tf": ["true", "false"]}, "takes one answer"),
    ({"text": ["a", "b"]}, "takes one answer"),
    ({"one": ["x"]}, "'x' is not an option number"),
    ({"one": ["-1"]}, "is not an option number"),
    ({"one": ["1.0"]}, "is not an option number"),
    ({"one": ["3"]}, "has no option 3 (its 3 options are numbered 0 to 2)"),
    ({"many": ["0", "0"]}, "Option 0 was sent twice"),
    ({"many": ["0", "9"]}, "has no option 9"),
    ({"tf": ["yes"]}, "must be 'true' or 'false' (got 'yes')"),
    ({"text": ["a" * 501]}, "longer than 500 characters"),
    ({"num": ["2\x000"]}, "control character"),
    ({"text": ["a\tb"]}, "control character"),
    ({"text": ["a\u0085"]}, "control character"),
    ({"text": [3]}, "must be text"),
])
def test_response_errors(quiz, answers, fragment) -> None:
    with pytest.raises(ResponseError, match=None) as caught:
        grade_quiz(quiz, answers)
    assert fragment in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_long_but_allowed_value(quiz) -> None:
    assert not grade_one(quiz, "text", ["a" * 500]).correct


def test_whole_attempt_and_record(quiz) -> None:
    answers = {"one": ["1"], "many": ["0", "1", "2"], "partial": ["0", "1"], "tf": ["false"],
               "text": ["doorlog"], "num": ["21"], "tol": ["0.5"]}
    result = grade_quiz(quiz, answers)
    assert [r.question_id for r in result.results] == [q.id for q in quiz.questions]
    assert quiz.max_points == 11
    assert (result.earned, result.max_points) == (7, 11)
    assert result.percent == 63.6  # 7 / 11 = 63.63…, floored
    assert result.passed is False
    record = result.to_record()
    assert json.loads(json.dumps(record)) == record
    assert record["quiz_id"] == "grading" and record["version"] == quiz.version
    assert record["questions"][2] == {"id": "partial", "answer": ["0", "1"], "score": 0.6666,
                                      "earned": 2.0, "correct": False}
    assert record["questions"][-1] == {"id": "pct", "answer": [], "score": 0.0, "earned": 0.0,
                                       "correct": False}


def test_pass_mark_is_exact_and_percent_floors() -> None:
    source = ("```quiz\nid: t\npass: 80%\nQ: a\n[x] a\n[x] b\n[x] c\n[ ] d\nscoring: partial\n"
              "points: 2\nQ: b\nanswer: true\npoints: 3\n```\n")
    quiz = parse_markdown(source, "m").quizzes[0]
    qa, qb = (q.id for q in quiz.questions)
    # 2/3 of 2 points + 3 = 4.333 of 5 = 86.66%
    result = grade_quiz(quiz, {qa: ["0", "1"], qb: ["true"]})
    assert (result.earned, result.percent, result.passed) == (4.33, 86.6, True)
    # exactly at the pass mark: 1/3 * 2 + ... use 4 of 5 = 80%
    source80 = source.replace("points: 2\n", "points: 1\n").replace("points: 3", "points: 4")
    quiz80 = parse_markdown(source80, "m").quizzes[0]
    result80 = grade_quiz(quiz80, {quiz80.questions[1].id: ["true"]})
    assert (result80.earned, result80.percent, result80.passed) == (4, 80, True)


def test_fractional_pass_mark_and_points_compare_exactly() -> None:
    source = ("```quiz\nid: t\npass: 70%\nQ: a\nanswer: true\npoints: 0.7\n"
              "Q: b\nanswer: true\npoints: 0.3\n```\n")
    quiz = parse_markdown(source, "m").quizzes[0]
    result = grade_quiz(quiz, {quiz.questions[0].id: ["true"]})
    assert (result.earned, result.max_points, result.percent, result.passed) == (
        0.7, 1.0, 70.0, True)


def test_practice_quiz_has_no_pass() -> None:
    quiz = parse_markdown("```quiz\nid: t\nQ: a\nanswer: true\n```\n", "m").quizzes[0]
    result = grade_quiz(quiz, {})
    assert (result.passed, result.percent, result.earned) == (None, 0, 0)
    assert result.results[0].blank


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.fractions(min_value=0, max_value=1, max_denominator=12),
                          st.integers(0, 10_000).map(lambda n: n / 100)), max_size=12),
       st.none() | st.integers(0, 1000).map(lambda n: n / 10))
def test_figures_are_the_exact_sums_floored(graded, pass_percent) -> None:
    """A result's figures against the rules worked out with Fractions: earned and max points
    floored to 2 places, percent to 1, and passed decided on the exact ratio."""
    results = tuple(QuestionResult(question_id=f"q{n}", type="true_false", fraction=share,
                                   points=points, correct=share == 1, blank=False)
                    for n, (share, points) in enumerate(graded))
    result = QuizResult(quiz_id="t", version="v", pass_percent=pass_percent, results=results)
    earned = sum((share * Fraction(repr(points)) for share, points in graded), Fraction(0))
    most = sum((Fraction(repr(points)) for _, points in graded), Fraction(0))
    assert result.earned == math.floor(earned * 100) / 100
    assert result.max_points == math.floor(most * 100) / 100
    assert result.percent == (math.floor(earned * 1000 / most) / 10 if most else 0.0)
    assert result.passed == (None if pass_percent is None else
                             bool(most) and earned * 100 >= Fraction(repr(pass_percent)) * most)
