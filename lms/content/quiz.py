"""TEMPORARY STUB so the app imports while the quiz engine is written; it is overwritten by it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class QuizBlock:
    line: int
    quiz: object


@dataclass(frozen=True)
class ParsedDocument:
    segments: tuple
    diagnostics: tuple


def parse_markdown(text, path, *, first_line=1, render=None):
    return ParsedDocument((text,), ())
