"""The catalog: immutable Course and Module records, built once from a courses folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from lms.content.diagnostics import Diagnostic

if TYPE_CHECKING:
    from lms.content.quiz import Quiz, QuizBlock

AUDIENCES = ("candidates", "managers", "staff", "volunteers", "trainers")


@dataclass(frozen=True)
class Module:
    """One module file, rendered: `parts` are sanitised HTML strings and QuizBlocks in order."""

    course_key: str
    key: str
    path: str
    position: int
    title: str
    minutes: int
    version: int
    objectives: tuple[str, ...]
    audience: tuple[str, ...]
    parts: tuple[str | QuizBlock, ...]
    outline: tuple[tuple[str, str], ...] = ()  # (anchor id, heading text) of the h2 sections

    @property
    def quiz_blocks(self) -> tuple[QuizBlock, ...]:
        return tuple(part for part in self.parts if not isinstance(part, str))

    @property
    def quizzes(self) -> tuple[Quiz, ...]:
        return tuple(block.quiz for block in self.quiz_blocks if block.quiz is not None)

    @property
    def graded_quizzes(self) -> tuple[Quiz, ...]:
        return tuple(quiz for quiz in self.quizzes if quiz.pass_percent is not None)

    def quiz(self, quiz_id: str) -> Quiz | None:
        return next((quiz for quiz in self.quizzes if quiz.id == quiz_id), None)


@dataclass(frozen=True)
class Course:
    key: str
    path: str
    title: str
    summary: str
    audience: tuple[str, ...]
    order: int
    visibility: str  # "public" or "trainers"
    overview_html: str
    modules: tuple[Module, ...]
    valid_for_months: int | None = None  # certificates expire after this long; None: never

    @property
    def minutes(self) -> int:
        return sum(module.minutes for module in self.modules)

    @cached_property
    def _by_key(self) -> dict[str, Module]:
        return {module.key: module for module in self.modules}

    def module(self, key: str) -> Module | None:
        return self._by_key.get(key)

    def neighbours(self, module: Module) -> tuple[Module | None, Module | None]:
        index = self.modules.index(module)
        before = self.modules[index - 1] if index > 0 else None
        after = self.modules[index + 1] if index + 1 < len(self.modules) else None
        return before, after


@dataclass(frozen=True)
class Catalog:
    courses: tuple[Course, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    _index: dict[str, Course] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({course.key: course for course in self.courses})

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.is_error)

    def course(self, key: str) -> Course | None:
        return self._index.get(key)

    def module(self, course_key: str, module_key: str) -> Module | None:
        course = self.course(course_key)
        return course.module(module_key) if course else None

    def visible_courses(self, trainer: bool) -> tuple[Course, ...]:
        return tuple(c for c in self.courses if trainer or c.visibility == "public")
