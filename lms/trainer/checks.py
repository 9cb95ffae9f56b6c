"""The checks a draft must pass before it is saved: exactly what `lms courses check` reports for
the module's course with the draft in place of the file, plus two rules of the editor.

The course is checked in a temporary copy of its folder (symbolic links to every other file,
the draft written in place of the module), loaded by the same loader the app uses, so links,
duplicate keys and quiz blocks are judged exactly as they will be once the file is saved. The
editor adds: a module keeps its key (progress is recorded under it) and its version never goes
down (that would mark people up to date on content they have not seen).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lms.content.catalog import Catalog
from lms.content.diagnostics import Diagnostic, error
from lms.content.frontmatter import KEY_PATTERN, split
from lms.content.loader import load_catalog
from lms.trainer.files import ModuleFile


@dataclass(frozen=True)
class CheckResult:
    """Diagnostics about the file itself, and problems the draft would cause in other files of
    its course (a duplicated key, say) that are not there today."""

    diagnostics: tuple[Diagnostic, ...]
    elsewhere: tuple[Diagnostic, ...] = ()

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in (*self.diagnostics, *self.elsewhere) if d.is_error)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in (*self.diagnostics, *self.elsewhere) if not d.is_error)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)


def shown_path(file: ModuleFile) -> str:
    """The file as `lms courses check` names it: courses-folder-name/course/file."""
    return f"{file.root.name}/{file.relative}"


def _load(folder: Path, cache: Any | None) -> Catalog:
    return load_catalog(folder, cache) if cache is not None else load_catalog(folder)


def _mirror(source: Path, target: Path, skip: str) -> None:
    """Recreate `source` under `target`: real folders, symbolic links to the files (so the
    loader sees the same file listing), leaving out the top-level file `skip`."""
    target.mkdir(parents=True, exist_ok=True)
    for entry in source.iterdir():
        if skip and entry.name == skip:
            continue
        if entry.is_dir() and not entry.is_symlink():
            _mirror(entry, target / entry.name, skip="")
        else:
            (target / entry.name).symlink_to(entry.resolve())


def _key(diagnostic: Diagnostic) -> tuple:
    return diagnostic.path, diagnostic.line, diagnostic.code, diagnostic.message


def check_draft(file: ModuleFile, text: str, old_text: str | None,
                cache: Any | None = None) -> CheckResult:
    """Check `text` as the content of `file` (`old_text`: what the file holds now, or None)."""
    shown = shown_path(file)
    with tempfile.TemporaryDirectory(prefix="evergreen-check-") as temporary:
        overlay = Path(temporary) / file.root.name / file.course_key
        _mirror(file.folder, overlay, skip=file.name)
        (overlay / file.name).write_text(text, encoding="utf-8")
        after = _load(overlay, cache)
    before = {_key(d) for d in _load(file.folder, cache).diagnostics}
    mine = [d for d in after.diagnostics if d.path == shown]
    elsewhere = [d for d in after.diagnostics
                 if d.path != shown and d.is_error and _key(d) not in before]
    mine += editor_rules(shown, file.slug, text, old_text)
    return CheckResult(tuple(sorted(mine, key=lambda d: (d.line, d.col))), tuple(elsewhere))


def module_key(text: str, slug: str) -> str:
    """The key a module file's text gives it: `id:` when valid, else the file's slug."""
    document, _ = split(text, "")
    pinned = document.meta.get("id")
    return pinned if isinstance(pinned, str) and KEY_PATTERN.match(pinned) else slug


def module_version(text: str) -> int | None:
    """`version:` of a module's text (1 when absent), or None when it is not a whole number."""
    document, problems = split(text, "")
    if problems:
        return None
    value = document.meta.get("version", 1)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def editor_rules(shown: str, slug: str, text: str, old_text: str | None) -> list[Diagnostic]:
    if old_text is None:
        return []
    document, problems = split(text, shown)
    if problems:
        return []
    found = []
    old_key, new_key = module_key(old_text, slug), module_key(text, slug)
    if old_key != new_key:
        found.append(error(shown, document.key_lines.get("id", 1), "E001",
                           f"This module's key would change from '{old_key}' to '{new_key}', "
                           f"and everyone's progress is recorded under '{old_key}'. Keep "
                           f"'id: {old_key}' in the front matter."))
    old_version, new_version = module_version(old_text), module_version(text)
    if old_version is not None and new_version is not None and new_version < old_version:
        found.append(error(shown, document.key_lines.get("version", 1), "E002",
                           f"'version:' may only go up: the saved file is at version "
                           f"{old_version}. Lowering it would mark people up to date on "
                           "content they have not seen."))
    return found
