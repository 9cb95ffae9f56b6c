"""Turning a parsed quiz block into the frozen model: per-question checks, ids, the Quiz.

Runs after ``quiz_parse.BlockParser`` has read every line of a block. Each question's answer
kinds pick its type from the registry (``quiz_types``), which checks and builds the answers;
this module adds the checks that span questions (Q006, Q030) and the block (W101, W102).
"""

from __future__ import annotations

import re

from lms.content.quiz_draft import BuildContext, QuestionDraft
from lms.content.quiz_model import Question, Quiz
from lms.content.quiz_parse import BlockParser, derive_question_id
from lms.content.quiz_types import TYPE_FOR_KIND, QuestionType


def default_quiz_id(path: str, block_number: int) -> str:
    """``<file stem>-quiz-<n>``, made a valid id (``quiz-<n>`` if the stem has no letters)."""
    name = re.split(r"[\\/]", path)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).lstrip("-_").rstrip("-")
    return f"{slug}-quiz-{block_number}" if slug else f"quiz-{block_number}"


def _no_answers(draft: QuestionDraft, ctx: BuildContext, has_next: bool) -> None:
    message = (f"Question {draft.number} has no answers. Add options like '(x) …' and "
               "'( ) …', or an answer line such as '= …', 'answer: true' or 'number: …'.")
    if has_next:
        message += (" (If the next 'Q:' line is part of this question's text, write it as "
                    "'\\Q:'.)")
    ctx.error(draft.at, "Q010", message)


def _question_type(draft: QuestionDraft, ctx: BuildContext, has_next: bool) -> QuestionType | None:
    """The one type the draft's answer kinds select; Q010/Q011 when there is none or several."""
    kinds: dict[str, int] = {}
    for answer in draft.answers:
        kinds.setdefault(answer.kind, answer.line.line)
    if not kinds:
        if not draft.saw_bad_option:
            _no_answers(draft, ctx, has_next)
        return None
    if len(kinds) > 1:
        found = ", ".join(f"{TYPE_FOR_KIND[kind].kind_label} (line {line})"
                          for kind, line in kinds.items())
        ctx.error(draft.at, "Q011", f"Question {draft.number} mixes answer kinds: {found}. "
                                    "Use one kind per question.")
        return None
    return TYPE_FOR_KIND[next(iter(kinds))]


def _applies(draft: QuestionDraft, qtype: QuestionType, ctx: BuildContext) -> bool:
    """Q029 when ``scoring:`` or ``case:`` is used on a type it does not apply to."""
    ok = True
    if "scoring" in draft.seen and qtype.name != "multiple_select":
        ctx.error(draft.seen["scoring"], "Q029",
                  "'scoring:' only applies to [ ] / [x] (multiple-select) questions.")
        ok = False
    if "case" in draft.seen and qtype.name != "short_text":
        ctx.error(draft.seen["case"], "Q029",
                  "'case:' only applies to '=' / 'not=' (short-text) questions.")
        ok = False
    return ok


def build_question(draft: QuestionDraft, ctx: BuildContext, qid: str,
                   has_next: bool) -> Question | None:
    """The frozen question, or None if it has errors (all of which are reported)."""
    qtype = _question_type(draft, ctx, has_next)
    if qtype is None:
        return None
    applies = _applies(draft, qtype, ctx)
    parts = qtype.build(draft, ctx)
    if parts is None or not applies or draft.invalid:
        return None
    stem = draft.stem.text()
    fields = {name: getattr(draft, name).text() if getattr(draft, name) else None
              for name in ("explain", "correct", "incorrect")}
    return Question(
        id=qid, line=draft.line, type=qtype.name, points=draft.points,
        stem=stem, stem_html=ctx.render(stem, False), options=parts.options,
        answers=parts.answers,
        hints=tuple((hint.text(), ctx.render(hint.text(), False)) for hint in draft.hints),
        explain=fields["explain"], explain_html=ctx.block(fields["explain"]),
        correct_feedback=fields["correct"], correct_feedback_html=ctx.block(fields["correct"]),
        incorrect_feedback=fields["incorrect"],
        incorrect_feedback_html=ctx.block(fields["incorrect"]),
        scoring=draft.scoring, case_sensitive=draft.case_sensitive)


def _question_ids(drafts: list[QuestionDraft], ctx: BuildContext) -> list[str]:
    """Each question's id (pinned or derived), with Q030 for every repeat."""
    ids: list[str] = []
    first: dict[str, int] = {}
    for draft in drafts:
        pinned = draft.seen.get("id")
        qid = draft.qid or derive_question_id(draft.stem.text())
        at = pinned if pinned is not None and draft.qid else draft.at
        line = at.line
        if qid in first:
            if draft.qid:
                message = f"Question id '{qid}' is already used on line {first[qid]}."
            else:
                message = (f"Question {draft.number} has the same text as the question on line "
                           f"{first[qid]}, so both get the id '{qid}'. Give one of them an "
                           "'id:'.")
            ctx.error(at, "Q030", message)
        first.setdefault(qid, line)
        ids.append(qid)
    return ids


def _optional_float(value: object) -> float | None:
    return value if isinstance(value, float) else None


def build_quiz(parser: BlockParser, block_number: int) -> Quiz | None:
    """Check the whole block and build its Quiz; None if the block has any error."""
    ctx, drafts, fence = parser.ctx, parser.drafts, parser.fence
    if not drafts:
        ctx.error(fence, "Q006", "This quiz block has no questions (each question starts "
                                 "with 'Q:').")
    ids = _question_ids(drafts, ctx)
    questions = [build_question(draft, ctx, qid, has_next=i + 1 < len(drafts))
                 for i, (draft, qid) in enumerate(zip(drafts, ids, strict=True))]
    settings = {key: value for key, (_line, value) in parser.settings.items()}
    if "id" not in settings:
        ctx.warning(fence, "W102", f"No 'id:' setting; results are tracked as block "
                                   f"#{block_number} of this file and reset if the file is "
                                   "renamed.")
    if "pass" not in settings:
        ctx.warning(fence, "W101", "No 'pass:' setting; this quiz will be treated as practice "
                                   "(not graded).")
    if ctx.has_errors or not all(questions):
        return None
    title = settings.get("title")
    return Quiz(
        id=str(settings.get("id") or default_quiz_id(ctx.path, block_number)),
        title=str(title) if title else None,
        pass_percent=_optional_float(settings.get("pass")),
        shuffle=bool(settings.get("shuffle")), line=fence.line,
        questions=tuple(q for q in questions if q is not None))
