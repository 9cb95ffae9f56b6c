"""Preview: turn module Markdown into the Module learners would see, with every diagnostic.

The steps are the loader's own (front matter split, the same field rules, quiz blocks parsed
with `render_for_quiz`, text rendered and sanitised by `render_markdown`), so the preview looks
exactly like the module page. Only relative links differ: the module page resolves them against
its own URL, the preview turns them into absolute URLs of the course (`/courses/<key>/...`), so
images and links work on the trainer's page too. Nothing is written anywhere.

With a course and file name, the diagnostics are those of `lms courses check` (see checks.py);
without, those the text shows on its own (links cannot be checked without a course folder).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lms.content.catalog import AUDIENCES, Module
from lms.content.diagnostics import Diagnostic
from lms.content.frontmatter import FieldReader, normalise_newlines, split
from lms.content.loader import H2, MODULE_FILE, MODULE_KEYS, TAG, broken_links, link_resolver
from lms.content.quiz import parse_markdown
from lms.content.render import LinkResolver, render_for_quiz, render_markdown
from lms.trainer.checks import CheckResult, check_draft, shown_path
from lms.trainer.files import ModuleFile, module_files

SCRATCH_PATH = "preview.md"


@dataclass(frozen=True)
class Preview:
    """What learners would see (`module`, None if the text has no usable front matter), the
    module's place in its course, and every diagnostic, by line."""

    module: Module | None
    diagnostics: tuple[Diagnostic, ...]
    elsewhere: tuple[Diagnostic, ...] = ()
    module_count: int = 1
    checked_links: bool = False

    @property
    def errors(self) -> int:
        return sum(d.is_error for d in (*self.diagnostics, *self.elsewhere))

    @property
    def warnings(self) -> int:
        return len(self.diagnostics) + len(self.elsewhere) - self.errors

    @property
    def shown_to_learners(self) -> bool:
        """The loader leaves a module out when its front matter is broken or it has no title."""
        return self.module is not None and not any(
            d.code in ("C002", "C003") and d.is_error for d in self.diagnostics)


def course_links(folder: Path, course_url: str, extra_name: str = "") -> LinkResolver:
    """Relative links as the loader resolves them, but to absolute URLs under `course_url`
    (which ends in '/'): module files to module pages, other files to the course's files."""
    names = {p.name for p in folder.glob("*.md") if MODULE_FILE.match(p.name)}
    if extra_name:
        names.add(extra_name)
    return link_resolver(folder, names, course_url)


def render_module(text: str, shown: str, *, course_key: str, slug: str, position: int,
                  links: LinkResolver | None) -> tuple[Module | None, list[Diagnostic]]:
    """The loader's steps for one module file, on text that need not be saved anywhere."""
    document, problems = split(normalise_newlines(text), shown)
    if problems and not document.body:
        return None, problems
    # With broken front matter the body is still known: show it, with default fields.
    fields = FieldReader(document, shown, MODULE_KEYS)
    key = fields.key("id") or slug
    title = fields.text("title", required=not problems)
    minutes = fields.integer("minutes", 10, minimum=1)
    version = fields.integer("version", 1, minimum=1)
    objectives = fields.text_list("objectives")
    audience = fields.text_list("audience", AUDIENCES)
    parsed = parse_markdown(document.body, shown, first_line=document.body_line,
                            render=render_for_quiz)
    parts = tuple(render_markdown(segment, links) if isinstance(segment, str) else segment
                  for segment in parsed.segments)
    outline = tuple(
        (anchor, TAG.sub("", heading).strip())
        for part in parts if isinstance(part, str) for anchor, heading in H2.findall(part)
    )
    module = Module(course_key, key, shown, position, title or "(no title yet)", minutes,
                    version, objectives, audience, parts, outline)
    broken = broken_links(links, document.body, document.body_line, shown) if links else []
    return module, [*problems, *fields.diagnostics, *parsed.diagnostics, *broken]


def preview_scratch(text: str, course_folder: Path | None = None,
                    course_url: str = "") -> Preview:
    """A preview of text saved nowhere: diagnostics of the text on its own, and, given a course
    folder, its links and images resolved against that course."""
    links = course_links(course_folder, course_url) if course_folder else None
    module, diagnostics = render_module(
        text, SCRATCH_PATH, course_key=course_folder.name if course_folder else "preview",
        slug="preview", position=1, links=links)
    return Preview(module, tuple(sorted(diagnostics, key=lambda d: (d.line, d.col))),
                   checked_links=links is not None)


def preview_in_course(file: ModuleFile, text: str, old_text: str | None, course_url: str,
                      cache: Any | None = None) -> Preview:
    """A preview of `text` as the content of `file`, checked as `lms courses check` would."""
    files = [f.name for f in module_files(file.root, file.course_key)]
    if file.name not in files:
        files = sorted([*files, file.name], key=lambda n: int(MODULE_FILE.match(n).group(1)))  # type: ignore[union-attr]
    module, _ = render_module(text, shown_path(file), course_key=file.course_key,
                              slug=file.slug, position=files.index(file.name) + 1,
                              links=course_links(file.folder, course_url, file.name))
    check: CheckResult = check_draft(file, normalise_newlines(text), old_text, cache)
    return Preview(module, check.diagnostics, check.elsewhere, len(files), checked_links=True)
