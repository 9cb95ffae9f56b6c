"""Quizzes: parse ```quiz blocks out of a module's Markdown, and grade a learner's answers.

This is the public API of the quiz engine (plain Python: no Flask, no database). The syntax
is specified in QUIZ_FORMAT.md; the work is split over:

* ``quiz_blocks``  finds quiz fences with markdown-it (CommonMark positions);
* ``quiz_lines``   classifies each line of a block; ``quiz_parse`` is the line state machine;
* ``quiz_build``   turns a parsed block into the frozen model (``quiz_model``);
* ``quiz_types``   the question-type registry (build, read a response, grade);
* ``quiz_match``   short-text normalisation and loose reading of learner numbers;
* ``quiz_results`` graded results and rounding.

``parse_markdown`` never raises on any text: every problem is a ``Diagnostic``. A leading BOM
is dropped and CRLF / lone CR line endings are understood; the text segments between quiz
blocks are otherwise returned verbatim (with their original line endings). Empty segments
are left out. A quiz block inside a list item or block quote is cut out of its container,
so the text around it may render as two separate lists or quotes.

Diagnostics are sorted by line and column (stable, so messages on one line keep the order
they were found in). Every field holding Markdown has a ``*_html`` twin rendered at parse
time with ``render(markdown, inline)``: stems, hints, explanations, ``correct:``,
``incorrect:`` and all ``>`` feedback as blocks (feedback may span lines); option text
inline. The quiz title is plain text.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence

from lms.content.diagnostics import Diagnostic, error
from lms.content.quiz_blocks import FenceBlock, column, find_quiz_fences, split_lines
from lms.content.quiz_build import build_quiz
from lms.content.quiz_draft import BuildContext, Render
from lms.content.quiz_lines import QuizLine
from lms.content.quiz_model import (
    NumberAnswer,
    Option,
    ParsedDocument,
    Question,
    Quiz,
    QuizBlock,
    TextAnswer,
)
from lms.content.quiz_parse import BlockParser
from lms.content.quiz_results import QuestionResult, QuizResult, ResponseError
from lms.content.quiz_types import QUESTION_TYPES, QuestionType

__all__ = [
    "QUESTION_TYPES", "NumberAnswer", "Option", "ParsedDocument", "Question", "QuestionResult",
    "QuestionType", "Quiz", "QuizBlock", "QuizResult", "ResponseError", "TextAnswer",
    "default_render", "grade_quiz", "parse_markdown",
]


def default_render(markdown: str, inline: bool) -> str:
    """Escape the Markdown source as text; wrap it in ``<p>`` unless inline."""
    escaped = html.escape(markdown)
    return escaped if inline else f"<p>{escaped}</p>"


def _parse_block(block: FenceBlock, source: list[str], number: int, ctx: BuildContext,
                 first_line: int) -> Quiz | None:
    opening = source[block.start]
    fence = QuizLine("fence", first_line + block.start, column(opening, block.markup),
                     opening.rstrip("\r\n"))
    parser = BlockParser(ctx, fence, block.markup + block.info.split()[0])
    for offset, content in enumerate(block.lines):
        index = block.start + 1 + offset
        parser.feed(content, first_line + index, column(source[index], content))
    if not block.closed:
        ctx.diagnostics.append(error(
            ctx.path, fence.line, "Q001", "The quiz block opened here is never closed. Add a "
            f"line with {block.markup} after the last question.", fence.col))
    return build_quiz(parser, number)


def parse_markdown(text: str, path: str, *, first_line: int = 1,
                   render: Callable[[str, bool], str] | None = None) -> ParsedDocument:
    """Cut the quiz blocks out of a module's Markdown body and parse them.

    ``first_line`` is the file line number of the first line of ``text`` (after front
    matter), so diagnostics carry file line numbers.
    """
    renderer: Render = render or default_render
    if text.startswith("\ufeff"):
        text = text[1:]
    source = split_lines(text)
    fences = find_quiz_fences(source)
    if not fences:
        return ParsedDocument((text,), ())
    segments: list[str | QuizBlock] = []
    diagnostics: list[Diagnostic] = []
    position = 0
    for number, block in enumerate(fences, start=1):
        if block.start > position:
            segments.append("".join(source[position:block.start]))
        ctx = BuildContext(path, renderer)
        quiz = _parse_block(block, source, number, ctx, first_line)
        segments.append(QuizBlock(first_line + block.start, quiz))
        diagnostics.extend(ctx.diagnostics)
        position = block.end
    if position < len(source):
        segments.append("".join(source[position:]))
    diagnostics.sort(key=lambda d: (d.line, d.col))
    return ParsedDocument(tuple(segments), tuple(diagnostics))


def grade_quiz(quiz: Quiz, answers: Mapping[str, Sequence[str]]) -> QuizResult:
    """Grade one attempt. ``answers`` maps question id to the raw form values sent for it.

    Raises ``ResponseError`` for a question id not in the quiz or a value no honest form
    sends; a missing question or an empty value is a blank answer (score 0).
    """
    for qid in answers:
        if quiz.question(qid) is None:
            raise ResponseError(f"There is no question '{qid}' in quiz '{quiz.id}'.")
    results = []
    for question in quiz.questions:
        qtype = QUESTION_TYPES[question.type]
        response = qtype.read_response(question, answers.get(question.id, ()))
        results.append(qtype.grade(question, response))
    return QuizResult(quiz_id=quiz.id, version=quiz.version, pass_percent=quiz.pass_percent,
                      results=tuple(results))
