"""YAML front matter: split it from a Markdown file and validate its fields, with line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from lms.content.diagnostics import Diagnostic, error, warning

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Document:
    meta: dict[str, Any]
    body: str
    body_line: int  # file line number of the body's first line
    key_lines: dict[str, int]  # file line of each top-level front-matter key


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _safe_load(raw: str) -> Any:
    """YAML with libyaml's safe loader when it is installed (ten times faster, same values);
    a document it refuses is read again by the pure-Python one, whose error messages and line
    numbers the diagnostics quote."""
    try:
        return yaml.load(raw, Loader=_FAST_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        return yaml.safe_load(raw)


def normalise_newlines(text: str) -> str:
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def split(text: str, path: str) -> tuple[Document, list[Diagnostic]]:
    """Split `---` front matter from the body. A file without front matter has empty meta."""
    text = normalise_newlines(text)
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return Document({}, text, 1, {}), []
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        return Document({}, "", 1, {}), [
            error(path, 1, "C002", "The front matter opened here is never closed with '---'.")
        ]
    raw = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :])
    try:
        meta = _safe_load(raw) if raw.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        hint = " (put quotes around a title that contains ': ')" if "mapping" in problem else ""
        return Document({}, body, end + 2, {}), [
            error(path, line, "C002", f"Front matter is not valid YAML: {problem}{hint}.")
        ]
    if not isinstance(meta, dict):
        return Document({}, body, end + 2, {}), [
            error(path, 2, "C002", "Front matter must be 'key: value' lines.")
        ]
    key_lines = {}
    for number, line in enumerate(lines[1:end], start=2):
        match = re.match(r"^([A-Za-z_][\w-]*)\s*:", line)
        if match:
            key_lines.setdefault(match.group(1), number)
    return Document(meta, body, end + 2, key_lines), []


class FieldReader:
    """Reads typed fields out of front matter, collecting a diagnostic per bad value."""

    def __init__(self, document: Document, path: str, known: set[str]) -> None:
        self.doc = document
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        for key in document.meta:
            if key not in known:
                self.diagnostics.append(
                    warning(path, self.line(key), "C008",
                            f"Unknown front-matter key '{key}'; known keys: "
                            f"{', '.join(sorted(known))}.")
                )

    def line(self, key: str) -> int:
        return self.doc.key_lines.get(key, 1)

    def fail(self, key: str, message: str) -> None:
        self.diagnostics.append(error(self.path, self.line(key), "C004", message))

    def text(self, key: str, required: bool = False, default: str = "") -> str:
        value = self.doc.meta.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.diagnostics.append(
                    error(self.path, self.line(key), "C003",
                          f"Missing '{key}:' in the front matter.")
                )
            return default
        if not isinstance(value, str | int | float):
            self.fail(key, f"'{key}:' must be text.")
            return default
        return str(value).strip()

    def integer(self, key: str, default: int, minimum: int = 0) -> int:
        value = self.doc.meta.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(key, f"'{key}:' must be a whole number of at least {minimum} "
                           f"(got {value!r}).")
            return default
        return value

    def text_list(self, key: str, allowed: tuple[str, ...] | None = None) -> tuple[str, ...]:
        value = self.doc.meta.get(key, [])
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",")]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(key, f"'{key}:' must be a list of text items.")
            return ()
        if allowed is not None:
            unknown = [v for v in value if v not in allowed]
            if unknown:
                self.fail(key, f"'{key}:' has unknown values {unknown}; use: {', '.join(allowed)}.")
                return tuple(v for v in value if v in allowed)
        return tuple(value)

    def key(self, key: str) -> str | None:
        value = self.doc.meta.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not KEY_PATTERN.match(value):
            self.fail(key, f"'{key}:' may only use lowercase letters, digits and '-' "
                           f"(got {value!r}).")
            return None
        return value
