"""Mutable drafts the quiz parser fills line by line, and the context question types build in.

The block parser (``quiz_parse``) collects each question into a ``QuestionDraft``; a question
type (``quiz_types``) then checks the draft's answers and turns them into the frozen model.
``BuildContext`` carries the file path, the caller's Markdown renderer and the diagnostics list.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field

from lms.content.diagnostics import Diagnostic, error, warning
from lms.content.quiz_lines import NumSpec, QuizLine

Render = Callable[[str, bool], str]


@dataclass
class TextField:
    """Markdown text gathered from a marker line (``Q:``, ``explain:``…) and following lines.

    Following lines keep their relative indentation (common indentation is removed) and
    blank lines are kept as paragraph breaks; leading and trailing blank lines are dropped.
    """

    line: QuizLine
    first: str
    lines: list[str] = field(default_factory=list)

    def text(self) -> str:
        rest = textwrap.dedent("\n".join(self.lines)).split("\n") if self.lines else []
        parts = ([self.first] if self.first else []) + rest
        while parts and not parts[0].strip():
            parts.pop(0)
        while parts and not parts[-1].strip():
            parts.pop()
        return "\n".join(parts)


@dataclass
class AnswerDraft:
    """One answer line (option, ``=``, ``not=``, ``answer:``, ``number:``) and its feedback.

    ``kind`` is ``one`` (``( )``), ``many`` (``[ ]``), ``text`` (``=``/``not=``), ``tf``
    (``answer:``) or ``number``. ``value`` is the true/false value, ``spec`` the parsed number;
    either is None when the line had an error.
    """

    kind: str
    line: QuizLine
    accepted: bool = True
    value: bool | None = None
    spec: NumSpec | None = None
    feedback_lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.line.rest

    def add_feedback(self, text: str, after_blank: bool) -> None:
        if after_blank and self.feedback_lines:
            self.feedback_lines.append("")
        self.feedback_lines.append(text)

    def feedback(self) -> str | None:
        text = "\n".join(self.feedback_lines).strip("\n")
        return text if text.strip() else None


@dataclass
class QuestionDraft:
    """Everything one question's lines said, before its type checks and builds it."""

    number: int
    stem: TextField
    answers: list[AnswerDraft] = field(default_factory=list)
    saw_answer: bool = False
    saw_bad_option: bool = False
    seen: dict[str, QuizLine] = field(default_factory=dict)
    qid: str | None = None
    points: float = 1.0
    scoring: str = "all-or-nothing"
    case_sensitive: bool = False
    hints: list[TextField] = field(default_factory=list)
    explain: TextField | None = None
    correct: TextField | None = None
    incorrect: TextField | None = None
    invalid: bool = False

    @property
    def line(self) -> int:
        return self.stem.line.line

    @property
    def at(self) -> QuizLine:
        """The ``Q:`` line, where question-wide diagnostics point."""
        return self.stem.line


@dataclass
class BuildContext:
    """Where diagnostics go and how Markdown is rendered while building one quiz block."""

    path: str
    render: Render
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, line: QuizLine | int, code: str, message: str) -> None:
        lineno, col = (line, 1) if isinstance(line, int) else (line.line, line.col)
        self.diagnostics.append(error(self.path, lineno, code, message, col))

    def warning(self, line: QuizLine | int, code: str, message: str) -> None:
        lineno, col = (line, 1) if isinstance(line, int) else (line.line, line.col)
        self.diagnostics.append(warning(self.path, lineno, code, message, col))

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.diagnostics)

    def block(self, markdown: str | None) -> str | None:
        return None if markdown is None else self.render(markdown, False)

    def inline(self, markdown: str) -> str:
        return self.render(markdown, True)
