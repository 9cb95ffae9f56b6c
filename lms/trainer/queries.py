"""Read side of the trainer tools: which file a module lives in, files the catalog left out,
and the latest saves made in the browser editor."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from lms.auth.models import User
from lms.content.catalog import Catalog
from lms.extensions import db
from lms.trainer.files import ModuleFile, PathRefused, module_file, module_files
from lms.trainer.models import ModuleSave

NEW_MODULE_TEXT = """---
title: "New module: what the learner can do"
minutes: 10
version: 1
objectives:
  - Start each objective with a verb you could check
---

## First section

Short paragraphs, plain words, written to "you".
"""


@dataclass(frozen=True)
class SaveEntry:
    path: str
    name: str
    saved_at: datetime
    version_bumped: bool
    git_commit: str | None


def find_module_file(courses_dir: str | Path, catalog: Catalog, course_key: str,
                     module_key: str) -> ModuleFile | None:
    """The file of a module: by its key in the catalog; else a file of the course whose name
    without '.md' (01-welcome) or whose slug (welcome) is `module_key`, so a file the catalog
    left out because of an error can still be opened and fixed."""
    module = catalog.module(course_key, module_key)
    try:
        if module is not None:
            return module_file(courses_dir, course_key, Path(module.path).name)
        files = module_files(courses_dir, course_key)
    except PathRefused:
        return None
    return next((f for f in files if f.name[:-3] == module_key), None) or next(
        (f for f in files if f.slug == module_key), None)


def left_out(courses_dir: str | Path, catalog: Catalog) -> dict[str, list[ModuleFile]]:
    """Module files of each course that the catalog does not serve (they have errors)."""
    out = {}
    for course in catalog.courses:
        loaded = {Path(m.path).name for m in course.modules}
        missing = [f for f in module_files(courses_dir, course.key) if f.name not in loaded]
        if missing:
            out[course.key] = missing
    return out


def next_file_name(courses_dir: str | Path, course_key: str) -> str:
    files = module_files(courses_dir, course_key)
    number = max((int(f.name.split("-", 1)[0]) for f in files), default=0) + 1
    return f"{number:02d}-new-module.md"


def recent_saves(limit: int = 15) -> list[SaveEntry]:
    rows = db.session.execute(
        select(ModuleSave.path, User.name, ModuleSave.saved_at, ModuleSave.version_bumped,
               ModuleSave.git_commit)
        .join(User, User.id == ModuleSave.user_id)
        .order_by(ModuleSave.saved_at.desc(), ModuleSave.id.desc()).limit(limit)
    ).all()
    return [SaveEntry(*row) for row in rows]


def diff_lines(theirs: str, yours: str) -> list[tuple[str, str]]:
    """(kind, text) lines of a unified diff from the saved file to the trainer's draft; kind is
    'add', 'remove', 'context' or 'hunk'."""
    kinds = {"+": "add", "-": "remove", " ": "context", "@": "hunk"}
    diff = difflib.unified_diff(theirs.splitlines(), yours.splitlines(), "saved", "yours",
                                lineterm="", n=2)
    return [(kinds.get(line[:1], "context"), line) for line in list(diff)[2:]]
