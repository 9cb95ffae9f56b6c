"""Finding ```quiz blocks in a Markdown document, with real CommonMark positions.

markdown-it-py parses the document; every ``fence`` token whose info string's first word is
``quiz`` (any case) is a quiz block. So fences in list items and block quotes, ``~~~`` fences,
longer fences and fences indented up to 3 spaces all work, while a ```` ```quiz ```` shown
inside a longer ```` ````markdown ```` fence, or an indented code block, is not a quiz.
Decisions: text after ``quiz`` in the info string (```` ```quiz {#intro} ````) is allowed and
ignored. A fence that CommonMark runs to the end of the document (or of its list item or
block quote) is reported as unclosed (Q001) by the caller.

Lines are split on ``\\r\\n``, ``\\r`` and ``\\n`` only (never on the other characters
``str.splitlines`` breaks at), so line numbers agree with editors and CommonMark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
# Fences are block tokens: the inline pass (half the parse time) is not needed.
_MARKDOWN = MarkdownIt("commonmark").disable("inline")


@dataclass(frozen=True)
class FenceBlock:
    """One quiz fence: source lines ``start`` (the opening fence) to ``end`` (exclusive).

    ``lines`` are the content lines with container prefixes (``>``, list indentation) and
    the fence's own indentation removed; ``lines[i]`` is source line ``start + 1 + i``.
    """

    start: int
    end: int
    markup: str
    info: str
    lines: tuple[str, ...]
    closed: bool


def split_lines(text: str) -> list[str]:
    """The lines of ``text``, each with its original line ending (if any)."""
    return _LINE.findall(text)


def _is_quiz(info: str) -> bool:
    words = info.split()
    return bool(words) and words[0].casefold() == "quiz"


def find_quiz_fences(lines: list[str]) -> list[FenceBlock]:
    """Every quiz fence in the document made of ``lines``, in document order."""
    normalised = "".join(line.rstrip("\r\n") + "\n" for line in lines)
    blocks = []
    for token in _MARKDOWN.parse(normalised):
        if token.type != "fence" or token.map is None or not _is_quiz(token.info):
            continue
        start, end = token.map
        content = token.content.split("\n")[:-1] if token.content else []
        closed = len(content) == end - start - 2
        expected = end - start - (2 if closed else 1)
        content = (content + [""] * expected)[:expected]
        blocks.append(FenceBlock(start, end, token.markup, token.info, tuple(content), closed))
    return blocks


def column(source_line: str, content: str) -> int:
    """1-based character column where ``content``'s text starts in its source line."""
    body = content.strip()
    index = source_line.find(body) if body else -1
    return index + 1 if index >= 0 else 1
