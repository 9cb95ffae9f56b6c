"""Diagnostics: every problem the course engine finds, located by file, line and column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in a course file. Lines and columns are 1-based and count characters."""

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity} {self.code}: {self.message}"


def error(path: str, line: int, code: str, message: str, col: int = 1) -> Diagnostic:
    return Diagnostic(path, line, col, "error", code, message)


def warning(path: str, line: int, code: str, message: str, col: int = 1) -> Diagnostic:
    return Diagnostic(path, line, col, "warning", code, message)
