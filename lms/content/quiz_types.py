"""Question types as a registry of classes sharing one interface.

Each type knows three things: how to check and build its answers from a parsed draft
(``build``), how to read the raw form values a learner submitted (``read_response``, which
raises ``ResponseError`` for values no honest form sends), and how to grade a response to a
score in [0, 1] (``grade``). Types render nothing themselves; the ``*_html`` they hand on was
rendered at parse time by the caller's renderer.

Form values: single choice sends one option index ("0".."n-1", in document order, whatever
the display order), multiple select zero or more indexes, true/false "true" or "false" (any
case), short text and numeric one string. An absent question or an empty value is a blank
response: allowed, score 0. Empty strings among multiple-select values are ignored. Every
value must be text of at most 500 characters with no control characters (Unicode category
Cc: NUL, tab, newline...).
"""

from __future__ import annotations

import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar, TypeVar

from lms.content.quiz_draft import AnswerDraft, BuildContext, QuestionDraft
from lms.content.quiz_match import normalise_text, read_learner_number
from lms.content.quiz_model import NumberAnswer, Option, Question, TextAnswer
from lms.content.quiz_results import QuestionResult, ResponseError

MAX_VALUE_LENGTH = 500
T = TypeVar("T")


@dataclass(frozen=True)
class Parts:
    """The type-specific part of a question, as ``build`` returns it."""

    options: tuple[Option, ...] = ()
    answers: Any = None


def _text_values(question: Question, values: Sequence[str] | str | None) -> list[str]:
    """The submitted values, checked for type, length and control characters."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    checked = []
    for value in values:
        if not isinstance(value, str):
            raise ResponseError(f"The answer to question '{question.id}' must be text.")
        if len(value) > MAX_VALUE_LENGTH:
            raise ResponseError(f"The answer to question '{question.id}' is longer than "
                                f"{MAX_VALUE_LENGTH} characters.")
        if any(unicodedata.category(char) == "Cc" for char in value):
            raise ResponseError(f"The answer to question '{question.id}' contains a control "
                                "character.")
        checked.append(value)
    return checked


def _single_value(question: Question, values: Sequence[str] | str | None) -> str | None:
    """The one submitted value, or None for a blank response."""
    checked = _text_values(question, values)
    if len(checked) > 1:
        raise ResponseError(f"Question '{question.id}' takes one answer, but "
                            f"{len(checked)} were sent.")
    if not checked or not checked[0].strip():
        return None
    return checked[0]


def _option_index(question: Question, value: str) -> int:
    count = len(question.options)
    if not (value.isascii() and value.isdigit()):
        raise ResponseError(f"'{value}' is not an option number for question '{question.id}'.")
    index = int(value)
    if index >= count:
        raise ResponseError(f"Question '{question.id}' has no option {index} (its {count} "
                            f"options are numbered 0 to {count - 1}).")
    return index


def _result(question: Question, fraction: Fraction, *, blank: bool = False,
            values: tuple[str, ...] = (), echo: tuple[str, ...] = (),
            selected: tuple[int, ...] = (),
            feedback: tuple[str | None, ...] = ()) -> QuestionResult:
    correct = fraction == 1
    outcome = question.correct_feedback_html if correct else question.incorrect_feedback_html
    return QuestionResult(
        question_id=question.id, type=question.type, fraction=fraction,
        points=question.points, correct=correct, blank=blank, values=values, echo=echo,
        selected=selected, feedback_html=tuple(f for f in feedback if f),
        outcome_html=outcome, explain_html=question.explain_html)


class QuestionType(ABC):
    """One kind of question: build from a draft, read a response, grade it."""

    name: ClassVar[str]
    kind: ClassVar[str]  # the answer-line kind that selects this type
    kind_label: ClassVar[str]  # how Q011 names the kind

    @abstractmethod
    def build(self, draft: QuestionDraft, ctx: BuildContext) -> Parts | None:
        """Check the draft's answers (emitting diagnostics); None when they have errors."""

    @abstractmethod
    def read_response(self, question: Question, values: Sequence[str]) -> Any:
        """The learner's response from raw form values (None when blank)."""

    @abstractmethod
    def grade(self, question: Question, response: Any) -> QuestionResult:
        """Score a response read by ``read_response``."""


class _ChoiceType(QuestionType):
    """Shared building for ( ) and [ ] questions."""

    def _options(self, draft: QuestionDraft, ctx: BuildContext) -> tuple[Option, ...] | None:
        answers = draft.answers
        ok = True
        if len(answers) < 2:
            ctx.error(draft.at, "Q014", f"Question {draft.number} needs at least 2 options "
                                        f"(found {len(answers)}).")
            ok = False
        seen: dict[str, int] = {}
        for answer in answers:
            key = " ".join(answer.text.split()).casefold()
            if key and key in seen:
                ctx.warning(answer.line, "W105", f"Same option text as line {seen[key]}.")
            seen.setdefault(key, answer.line.line)
        if not ok or not all(a.text for a in answers):
            return None
        return tuple(Option(text=a.text, text_html=ctx.inline(a.text), correct=a.line.correct,
                            feedback=a.feedback(), feedback_html=ctx.block(a.feedback()),
                            line=a.line.line) for a in answers)


def _answers(question: Question, kind: type[T]) -> list[T]:
    """The question's typed answers of the given class (short text or numeric)."""
    answers = question.answers if isinstance(question.answers, tuple) else ()
    return [a for a in answers if isinstance(a, kind)]


def _lines_list(lines: list[int]) -> str:
    words = [str(n) for n in lines]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


class SingleChoice(_ChoiceType):
    name = "single_choice"
    kind = "one"
    kind_label = "pick-one options ( )"

    def build(self, draft: QuestionDraft, ctx: BuildContext) -> Parts | None:
        options = self._options(draft, ctx)
        marked = [a.line for a in draft.answers if a.line.correct]
        if not marked:
            ctx.error(draft.at, "Q012", f"Question {draft.number} has no correct option. "
                                        "Mark the right answer with (x).")
        elif len(marked) > 1:
            lines = _lines_list([m.line for m in marked])
            ctx.error(marked[1], "Q013", f"Question {draft.number} has {len(marked)} options "
                      f"marked (x) (lines {lines}), but ( ) options mean 'pick one'. Use [x] "
                      "and [ ] if learners should pick several.")
        return Parts(options=options) if options is not None and len(marked) == 1 else None

    def read_response(self, question: Question, values: Sequence[str]) -> int | None:
        value = _single_value(question, values)
        return None if value is None else _option_index(question, value.strip())

    def grade(self, question: Question, response: int | None) -> QuestionResult:
        if response is None:
            return _result(question, Fraction(0), blank=True)
        option = question.options[response]
        return _result(question, Fraction(int(option.correct)), values=(str(response),),
                       echo=(option.text,), selected=(response,),
                       feedback=(option.feedback_html,))


class MultipleSelect(_ChoiceType):
    name = "multiple_select"
    kind = "many"
    kind_label = "pick-several options [ ]"

    def build(self, draft: QuestionDraft, ctx: BuildContext) -> Parts | None:
        options = self._options(draft, ctx)
        marked = [a for a in draft.answers if a.line.correct]
        if not marked:
            ctx.error(draft.at, "Q012", f"Question {draft.number} has no correct option. "
                                        "Mark the right answers with [x].")
        elif len(marked) == len(draft.answers) >= 2:
            ctx.warning(draft.at, "W104",
                        f"Every option in question {draft.number} is marked correct.")
        return Parts(options=options) if options is not None and marked else None

    def read_response(self, question: Question, values: Sequence[str]) -> tuple[int, ...]:
        indexes: list[int] = []
        for value in _text_values(question, values):
            if not value.strip():
                continue
            index = _option_index(question, value.strip())
            if index in indexes:
                raise ResponseError(f"Option {index} was sent twice for question "
                                    f"'{question.id}'.")
            indexes.append(index)
        return tuple(sorted(indexes))

    def grade(self, question: Question, response: tuple[int, ...]) -> QuestionResult:
        if not response:
            return _result(question, Fraction(0), blank=True)
        correct = {i for i, option in enumerate(question.options) if option.correct}
        chosen = set(response)
        if question.scoring == "partial":
            right, wrong = len(chosen & correct), len(chosen - correct)
            fraction = max(Fraction(0), Fraction(right - wrong, len(correct)))
        else:
            fraction = Fraction(int(chosen == correct))
        options = [question.options[i] for i in response]
        return _result(question, fraction, values=tuple(str(i) for i in response),
                       echo=tuple(o.text for o in options), selected=response,
                       feedback=tuple(o.feedback_html for o in options))


class TrueFalse(QuestionType):
    name = "true_false"
    kind = "tf"
    kind_label = "'answer:'"

    def build(self, draft: QuestionDraft, ctx: BuildContext) -> Parts | None:
        value = draft.answers[0].value
        return None if value is None else Parts(answers=value)

    def read_response(self, question: Question, values: Sequence[str]) -> bool | None:
        value = _single_value(question, values)
        if value is None:
            return None
        word = value.strip().lower()
        if word not in ("true", "false"):
            raise ResponseError(f"The answer to question '{question.id}' must be 'true' or "
                                f"'false' (got '{value}').")
        return word == "true"

    def grade(self, question: Question, response: bool | None) -> QuestionResult:
        if response is None:
            return _result(question, Fraction(0), blank=True)
        word = "true" if response else "false"
        return _result(question, Fraction(int(response == question.answers)),
                       values=(word,), echo=(word,))


class ShortText(QuestionType):
    name = "short_text"
    kind = "text"
    kind_label = "typed answers '=' / 'not='"

    def build(self, draft: QuestionDraft, ctx: BuildContext) -> Parts | None:
        accepted = [a for a in draft.answers if a.accepted]
        ok = bool(accepted) and all(a.text for a in draft.answers)
        if not accepted:
            ctx.error(draft.at, "Q015", f"Question {draft.number} has only 'not=' lines; add "
                                        "at least one accepted answer with '= …'.")
        ignored = "spacing is" if draft.case_sensitive else "case and spacing are"
        first: dict[tuple[bool, str], AnswerDraft] = {}
        for answer in draft.answers:
            norm = normalise_text(answer.text, draft.case_sensitive)
            if answer.text and not norm:
                ctx.error(answer.line, "Q017", "This answer is empty once spacing and a final "
                                               "'.', '!' or '?' are ignored.")
                ok = False
            if not norm:
                continue
            if (answer.accepted, norm) in first:
                earlier = first[(answer.accepted, norm)].line.line
                ctx.warning(answer.line, "W105", f"Same answer as line {earlier}.")
            first.setdefault((answer.accepted, norm), answer)
            clash = first.get((not answer.accepted, norm))
            if clash is not None:
                yes, no = (answer, clash) if answer.accepted else (clash, answer)
                ctx.error(no.line, "Q016", f"'not= {no.text}' (line {no.line.line}) is the same "
                          f"answer as '= {yes.text}' (line {yes.line.line}) once {ignored} "
                          "ignored.")
                ok = False
        if not ok:
            return None
        return Parts(answers=tuple(
            TextAnswer(text=a.text, normalised=normalise_text(a.text, draft.case_sensitive),
                       accepted=a.accepted, feedback=a.feedback(),
                       feedback_html=ctx.block(a.feedback()), line=a.line.line)
            for a in draft.answers))

    def read_response(self, question: Question, values: Sequence[str]) -> str | None:
        return _single_value(question, values)

    def grade(self, question: Question, response: str | None) -> QuestionResult:
        if response is None:
            return _result(question, Fraction(0), blank=True)
        norm = normalise_text(response, question.case_sensitive)
        match = next((a for a in _answers(question, TextAnswer) if a.normalised == norm), None)
        fraction = Fraction(int(match is not None and match.accepted))
        feedback = (match.feedback_html,) if match is not None else ()
        return _result(question, fraction, values=(response,), echo=(response,),
                       feedback=feedback)


class Numeric(QuestionType):
    name = "numeric"
    kind = "number"
    kind_label = "'number:' answers"

    def build(self, draft: QuestionDraft, ctx: BuildContext) -> Parts | None:
        answers = []
        for a in draft.answers:
            if a.spec is None:
                return None
            answers.append(NumberAnswer(
                min=a.spec.min, max=a.spec.max, value=a.spec.value, tolerance=a.spec.tolerance,
                tolerance_percent=a.spec.tolerance_percent, feedback=a.feedback(),
                feedback_html=ctx.block(a.feedback()), line=a.line.line))
        return Parts(answers=tuple(answers))

    def read_response(self, question: Question, values: Sequence[str]) -> str | None:
        return _single_value(question, values)

    def grade(self, question: Question, response: str | None) -> QuestionResult:
        if response is None:
            return _result(question, Fraction(0), blank=True)
        number = read_learner_number(response)
        match = None
        if number is not None:
            x = float(number)
            match = next((a for a in _answers(question, NumberAnswer) if a.min <= x <= a.max),
                         None)
        feedback = (match.feedback_html,) if match is not None else ()
        return _result(question, Fraction(int(match is not None)), values=(response,),
                       echo=(response,), feedback=feedback)


QUESTION_TYPES: dict[str, QuestionType] = {
    qtype.name: qtype
    for qtype in (SingleChoice(), MultipleSelect(), TrueFalse(), ShortText(), Numeric())
}
TYPE_FOR_KIND: dict[str, QuestionType] = {qtype.kind: qtype for qtype in QUESTION_TYPES.values()}
