"""Saving a module from the browser editor: check, write atomically, record, commit to git.

`save_module` is the one write operation of the trainer tools. It refuses (with a domain error
the view turns into a message) when the file changed on disk since the editor opened it, when
the draft has errors, or when nothing changed; otherwise it writes the file, commits it to git
when the courses folder is in a work tree, and adds a ModuleSave row (flushed, not committed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lms.content.frontmatter import normalise_newlines
from lms.extensions import db
from lms.trainer.checks import CheckResult, check_draft, module_version
from lms.trainer.files import (
    ModuleFile,
    content_hash,
    exclusive,
    git_commit,
    read,
    write_atomically,
)
from lms.trainer.models import ModuleSave

VERSION_LINE = re.compile(r"^version\s*:.*$")


class SaveRefused(Exception):
    """The save did not happen; nothing was written."""


class SaveConflict(SaveRefused):
    """The file on disk is not the one the editor opened: someone else saved in between."""

    def __init__(self, current_text: str | None, current_hash: str | None) -> None:
        super().__init__("The file changed since you opened it.")
        self.current_text = current_text
        self.current_hash = current_hash


class DraftHasErrors(SaveRefused):
    def __init__(self, check: CheckResult) -> None:
        super().__init__(f"The module has {len(check.errors)} error(s); fix them to save.")
        self.check = check


class NothingChanged(SaveRefused):
    def __init__(self) -> None:
        super().__init__("Nothing changed: the file already holds this text.")


@dataclass(frozen=True)
class SaveResult:
    record: ModuleSave
    check: CheckResult
    version: int | None


def normalise(text: str) -> str:
    """What is written: Unix line endings (browsers send CRLF), one final newline."""
    return normalise_newlines(text).rstrip("\n") + "\n"


def set_version(text: str, version: int) -> str:
    """`text` with `version: <version>` in its front matter (replaced, or added at its end)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return text
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            lines.insert(index, f"version: {version}")
            return "\n".join(lines)
        if VERSION_LINE.match(lines[index]):
            lines[index] = f"version: {version}"
            return "\n".join(lines)
    return text


def _bumped_text(text: str, old_text: str | None, substantive: bool) -> str:
    """Raise the version by one above the saved file's, unless the trainer already did."""
    if not substantive or old_text is None:
        return text
    old_version, new_version = module_version(old_text), module_version(text)
    if old_version is None or new_version is None or new_version > old_version:
        return text
    return set_version(text, old_version + 1)


def save_module(file: ModuleFile, text: str, *, base_hash: str | None, substantive: bool,
                user_id: int, author: tuple[str, str], lock_path: str | Path,
                cache: Any | None = None) -> SaveResult:
    """Save `text` as `file`. `base_hash` is the SHA-256 of the file as the editor opened it
    (None: the editor is creating a new file); `author` is (name, email) for the git commit.

    Raises SaveConflict, DraftHasErrors or NothingChanged, having written nothing.
    """
    text = normalise(text)
    with exclusive(lock_path):
        current = read(file)
        old_text, old_hash = current if current else (None, None)
        if old_hash != base_hash:
            raise SaveConflict(old_text, old_hash)
        text = _bumped_text(text, old_text, substantive)
        check = check_draft(file, text, old_text, cache)
        if check.has_errors:
            raise DraftHasErrors(check)
        data = text.encode("utf-8")
        new_hash = content_hash(data)
        if new_hash == old_hash:
            raise NothingChanged()
        write_atomically(file, data)
        old_version, version = (module_version(old_text) if old_text else None,
                                module_version(text))
        bumped = old_version is not None and version is not None and version > old_version
        message = (f"{'Update' if old_text is not None else 'Add'} {file.relative}"
                   f"{f' (version {version})' if bumped else ''}\n\nSaved in the Evergreen "
                   "browser editor.")
        commit = git_commit(file, author[0], author[1], message)
    record = ModuleSave(user_id=user_id, path=file.relative, hash_before=old_hash,
                        hash_after=new_hash, version_bumped=bumped, git_commit=commit)
    db.session.add(record)
    db.session.flush()
    return SaveResult(record, check, version)
