"""Module files in the courses folder: find them without escaping it, hash them, write them
atomically, and commit them to git when the folder is part of a git work tree.

Nothing here knows about Flask or the database; `lms.trainer.services` puts the pieces together.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from lms.content.loader import MODULE_FILE, SLUG

log = logging.getLogger("lms.trainer")
GIT_TIMEOUT = 30  # seconds for any one git command
MAX_KEY = 100  # characters of a course key (Completion.course_key holds 100)
MAX_NAME = 120  # characters of a module file name (ModuleSave.path holds 255 in all)


class PathRefused(ValueError):
    """A course or file name the editor will not open or write; the message is a sentence."""


@dataclass(frozen=True)
class ModuleFile:
    """One module file, known to lie directly inside a course folder of the courses folder."""

    root: Path  # the courses folder, resolved
    course_key: str
    name: str  # NN-slug.md

    @property
    def folder(self) -> Path:
        return self.root / self.course_key

    @property
    def path(self) -> Path:
        return self.folder / self.name

    @property
    def relative(self) -> str:
        """The path recorded in ModuleSave and git: relative to the courses folder."""
        return f"{self.course_key}/{self.name}"

    @property
    def slug(self) -> str:
        return MODULE_FILE.match(self.name).group(2)  # type: ignore[union-attr]

    def exists(self) -> bool:
        return self.path.is_file()


def module_file(courses_dir: str | Path, course_key: str, name: str) -> ModuleFile:
    """The module file `name` of course `course_key`, or PathRefused.

    Refused: anything but a plain `NN-slug.md` name (so no `../`, no folders, no other file
    types), a course that is not a folder holding course.md, and anything whose real location
    (after following symbolic links) is not directly inside that course folder.
    """
    root = Path(courses_dir).resolve()
    if not SLUG.fullmatch(course_key or "") or len(course_key) > MAX_KEY:
        raise PathRefused("There is no such course folder.")
    if len(name or "") > MAX_NAME:
        raise PathRefused(f"A file name may be at most {MAX_NAME} characters long.")
    if not name or "/" in name or "\\" in name or "\x00" in name or name.startswith("."):
        raise PathRefused("Give a file name only (like 03-logging-calls.md), without folders.")
    if not name.endswith(".md"):
        raise PathRefused("Only Markdown module files (ending in .md) can be edited here.")
    match = MODULE_FILE.fullmatch(name)
    if not match or not SLUG.fullmatch(match.group(2)):
        raise PathRefused("A module file is named NN-slug.md, for example 03-logging-calls.md: "
                          "a number, a dash, then lowercase letters, digits and dashes.")
    folder = root / course_key
    if not (folder / "course.md").is_file() or folder.resolve() != folder:
        raise PathRefused("There is no such course folder.")
    target = folder / name
    if target.is_symlink() or (target.exists() and target.resolve().parent != folder):
        raise PathRefused("This file is not inside the courses folder.")
    if target.exists() and not target.is_file():
        raise PathRefused("This is not a file.")
    return ModuleFile(root, course_key, name)


def module_files(courses_dir: str | Path, course_key: str) -> list[ModuleFile]:
    """Every module file of a course folder, in the loader's order (refused names left out)."""
    found = []
    folder = Path(courses_dir).resolve() / course_key
    for path in folder.glob("*.md") if SLUG.fullmatch(course_key) else ():
        match = MODULE_FILE.fullmatch(path.name)
        if not match:
            continue
        try:
            found.append((int(match.group(1)), path.name,
                          module_file(courses_dir, course_key, path.name)))
        except PathRefused:
            continue
    return [file for _, _, file in sorted(found)]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read(file: ModuleFile) -> tuple[str, str] | None:
    """(text, SHA-256 of its bytes) of the file as it is on disk, or None if there is none."""
    try:
        data = file.path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        return data.decode("utf-8"), content_hash(data)
    except UnicodeDecodeError as problem:
        raise PathRefused("This file is not UTF-8 text; fix it outside the browser.") from problem


def write_atomically(file: ModuleFile, data: bytes) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename it over the
    file: a reader sees the old text or the new, never half of it."""
    mode = file.path.stat().st_mode & 0o777 if file.exists() else 0o644
    fd, temporary = tempfile.mkstemp(dir=file.folder, prefix=f".{file.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, file.path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory = os.open(file.folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


@contextmanager
def exclusive(lock_path: str | Path) -> Iterator[None]:
    """Hold an exclusive lock on `lock_path` (created if missing), so the check-then-write of a
    save is not interleaved with another process's save on this machine."""
    Path(lock_path).parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


_UNSAFE_IDENTITY = re.compile(r"[<>\x00-\x1f\x7f]")


def _git(folder: Path, *args: str, env: dict[str, str] | None = None,
         quiet: bool = False) -> str | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        done = subprocess.run(  # noqa: S603 - a fixed program and a list of arguments, no shell
            [git, "-C", str(folder), *args], capture_output=True, text=True,
            timeout=GIT_TIMEOUT, env={**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})},
            check=False)
    except (OSError, subprocess.SubprocessError) as problem:
        log.warning("git %s failed: %s", args[0], problem)
        return None
    if done.returncode != 0:
        if not quiet:
            log.warning("git %s failed: %s", args[0], done.stderr.strip()[:500])
        return None
    return done.stdout.strip()


def in_git_work_tree(folder: Path) -> bool:
    return _git(folder, "rev-parse", "--is-inside-work-tree", quiet=True) == "true"


def git_commit(file: ModuleFile, author_name: str, author_email: str,
               message: str) -> str | None:
    """Commit this one file (nothing else staged is included) with the trainer as author.

    Returns the new commit's hash, or None when the courses folder is not in a git work tree
    or git failed (logged: the file is saved either way).
    """
    folder = file.folder
    if not in_git_work_tree(folder):
        return None
    name = _UNSAFE_IDENTITY.sub("", author_name).strip() or "Evergreen trainer"
    email = _UNSAFE_IDENTITY.sub("", author_email).strip() or "trainer@localhost"
    committer = {"GIT_COMMITTER_NAME": os.environ.get("GIT_COMMITTER_NAME", "Evergreen editor"),
                 "GIT_COMMITTER_EMAIL": os.environ.get("GIT_COMMITTER_EMAIL",
                                                       "evergreen@localhost")}
    if _git(folder, "add", "--", file.name) is None:
        return None
    # --only: just this file, whatever else is staged; --no-verify: the checks already ran, and
    # a hook that waits for input or fails would leave the saved file uncommitted.
    if _git(folder, "-c", "commit.gpgsign=false", "commit", "--only", "--no-verify",
            "--author", f"{name} <{email}>", "-m", message, "--", file.name,
            env=committer) is None:
        return None
    return _git(folder, "rev-parse", "HEAD")
