"""Walks a courses folder into a Catalog, reporting every problem with file and line.

A broken module is left out (and reported); every other module still loads.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from lms.content.cache import RenderCache, folder_listing
from lms.content.catalog import AUDIENCES, Catalog, Course, Module
from lms.content.diagnostics import Diagnostic, error
from lms.content.frontmatter import FieldReader, split
from lms.content.quiz import parse_markdown
from lms.content.render import LinkResolver, render_for_quiz, render_markdown

MODULE_FILE = re.compile(r"^(\d+)-(.+)\.md$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
COURSE_KEYS = {"title", "summary", "audience", "order", "visibility", "valid_for_months"}
MAX_VALID_MONTHS = 600  # fifty years: anything longer is a typo
MODULE_KEYS = {"title", "minutes", "version", "objectives", "audience", "id"}
H2 = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>', re.S)
TAG = re.compile(r"<[^>]+>")


def load_catalog(courses_dir: str | Path, cache: RenderCache | None = None) -> Catalog:
    """Load every course folder (a folder holding course.md) under `courses_dir`; given one
    course folder itself, load just that course. With a `cache`, modules loaded before with
    the same inputs are read back from it instead of being rendered again."""
    root = Path(courses_dir)
    diagnostics: list[Diagnostic] = []
    courses = []
    if not root.is_dir():
        return Catalog((), (error(str(root), 1, "C001", "The courses folder does not exist."),))
    if (root / "course.md").is_file():
        folders, root = [root], root.parent
    else:
        folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    for folder in folders:
        course = _load_course(folder, root, diagnostics, cache)
        if course is not None:
            courses.append(course)
    courses.sort(key=lambda c: (c.order, c.title))
    return Catalog(tuple(courses), tuple(sorted(diagnostics)))


def _display(path: Path, root: Path) -> str:
    return str(path.relative_to(root.parent)) if path.is_relative_to(root.parent) else str(path)


def _read(path: Path, shown: str, diagnostics: list[Diagnostic]) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        diagnostics.append(error(shown, 1, "C009", f"Cannot read the file as UTF-8 text: {exc}."))
        return None


def _load_course(folder: Path, root: Path, diagnostics: list[Diagnostic],
                 cache: RenderCache | None = None) -> Course | None:
    course_file = folder / "course.md"
    shown = _display(course_file, root)
    if not course_file.is_file():
        diagnostics.append(error(_display(folder, root), 1, "C001",
                                 "This course folder has no course.md."))
        return None
    if not SLUG.match(folder.name):
        diagnostics.append(error(shown, 1, "C007", "A course folder name may only use lowercase "
                                 "letters, digits and '-'."))
        return None
    text = _read(course_file, shown, diagnostics)
    if text is None:
        return None
    doc, problems = split(text, shown)
    fields = FieldReader(doc, shown, COURSE_KEYS)
    title = fields.text("title", required=True)
    visibility = fields.text("visibility", default="public")
    if visibility not in ("public", "trainers"):
        fields.fail("visibility", "'visibility:' must be 'public' or 'trainers'.")
        visibility = "trainers"
    summary = fields.text("summary")
    audience = fields.text_list("audience", AUDIENCES)
    order = fields.integer("order", 100)
    valid_for_months = _valid_for_months(fields)
    module_files = _module_files(folder, root, diagnostics)
    resolver = link_resolver(folder, module_files)
    overview = render_markdown(doc.body, resolver)
    diagnostics += problems + fields.diagnostics
    diagnostics += broken_links(resolver, doc.body, doc.body_line, shown)
    modules = _load_modules(folder.name, module_files, root, diagnostics, cache)
    if not title:
        return None
    return Course(folder.name, shown, title, summary, audience, order, visibility, overview,
                  modules, valid_for_months)


def _valid_for_months(fields: FieldReader) -> int | None:
    """`valid_for_months:` (optional): certificates for the course expire after this long."""
    if fields.doc.meta.get("valid_for_months") is None:
        return None
    months = fields.integer("valid_for_months", 0, minimum=1)
    if months > MAX_VALID_MONTHS:
        fields.fail("valid_for_months", f"'valid_for_months:' must be at most {MAX_VALID_MONTHS}.")
        return None
    return months or None


def _module_files(folder: Path, root: Path, diagnostics: list[Diagnostic]) -> dict[str, Path]:
    """Module files by file name, in order; bad names are reported."""
    found = []
    for path in folder.glob("*.md"):
        match = MODULE_FILE.match(path.name)
        if not match:
            continue
        if not SLUG.match(match.group(2)):
            diagnostics.append(error(_display(path, root), 1, "C007",
                                     "A module file is named NN-slug.md, the slug in lowercase "
                                     "letters, digits and '-'."))
            continue
        found.append((int(match.group(1)), path.name, path))
    return {name: path for _, name, path in sorted(found)}


def link_resolver(folder: Path, module_names, prefix: str = "") -> LinkResolver:
    """Relative links of a course folder: module files (`module_names`) to their module pages,
    other files in the folder to the course's files, each under `prefix` (the loader keeps
    them relative; the trainer's preview makes them absolute). Anything else is broken."""
    def resolve(target: str) -> str | None:
        location, _, fragment = target.partition("#")
        anchor = f"#{fragment}" if fragment else ""
        clean = posixpath.normpath(location)
        if clean.startswith("..") or clean.startswith("/"):
            resolver.broken.append(target)
            return None
        if clean in module_names:
            return prefix + MODULE_FILE.match(clean).group(2) + anchor  # type: ignore[union-attr]
        if clean != "course.md" and (folder / clean).is_file():
            return f"{prefix}files/{clean}{anchor}"
        resolver.broken.append(target)
        return None

    resolver = LinkResolver(resolve)
    return resolver


def broken_links(resolver: LinkResolver, body: str, first_line: int,
                 shown: str) -> list[Diagnostic]:
    """C006 for each link the resolver found pointing at nothing, on the line that has it."""
    out = []
    lines = body.split("\n")
    for target in dict.fromkeys(resolver.broken):
        number = next((i for i, line in enumerate(lines) if f"({target}" in line), 0)
        kind = "module" if target.partition("#")[0].endswith(".md") else "file"
        out.append(error(shown, first_line + number, "C006",
                         f"The link '{target}' points to a {kind} that does not exist "
                         "in this course folder."))
    resolver.broken.clear()
    return out


def _load_modules(course_key: str, files: dict[str, Path], root: Path,
                  diagnostics: list[Diagnostic],
                  cache: RenderCache | None = None) -> tuple[Module, ...]:
    modules: list[Module] = []
    seen: dict[str, str] = {}
    folder = files[next(iter(files))].parent if files else None
    resolver = link_resolver(folder, files) if folder else None
    listing = folder_listing(folder) if cache and folder else ""
    for position, (name, path) in enumerate(files.items(), start=1):
        shown = _display(path, root)
        text = _read(path, shown, diagnostics)
        if text is None or resolver is None:
            continue
        key = cache.key(course_key, name, shown, str(position), text, listing) if cache else ""
        cached = cache.get(key) if cache else None
        if cached is None:
            found: list[Diagnostic] = []
            cached = _load_module(course_key, name, shown, text, position, resolver, found), found
            if cache:
                cache.put(key, cached)
        module, found = cached
        diagnostics += found
        if module is None:
            continue
        if module.key in seen:
            diagnostics.append(error(shown, 1, "C005", f"The module key '{module.key}' is already "
                                     f"used by {seen[module.key]}; pin a different 'id:'."))
            continue
        seen[module.key] = shown
        modules.append(module)
    return tuple(modules)


def _load_module(course_key: str, name: str, shown: str, text: str, position: int,
                 resolver: LinkResolver, diagnostics: list[Diagnostic]) -> Module | None:
    doc, problems = split(text, shown)
    diagnostics += problems
    if problems:
        return None
    fields = FieldReader(doc, shown, MODULE_KEYS)
    key = fields.key("id") or MODULE_FILE.match(name).group(2)  # type: ignore[union-attr]
    title = fields.text("title", required=True)
    minutes = fields.integer("minutes", 10, minimum=1)
    version = fields.integer("version", 1, minimum=1)
    objectives = fields.text_list("objectives")
    audience = fields.text_list("audience", AUDIENCES)
    parsed = parse_markdown(doc.body, shown, first_line=doc.body_line, render=render_for_quiz)
    parts = [
        render_markdown(segment, resolver) if isinstance(segment, str) else segment
        for segment in parsed.segments
    ]
    diagnostics += fields.diagnostics + list(parsed.diagnostics)
    diagnostics += broken_links(resolver, doc.body, doc.body_line, shown)
    if not title:
        return None
    outline = tuple(
        (anchor, TAG.sub("", heading).strip())
        for part in parts if isinstance(part, str) for anchor, heading in H2.findall(part)
    )
    return Module(course_key, key, shown, position, title, minutes, version, objectives,
                  audience, tuple(parts), outline)
