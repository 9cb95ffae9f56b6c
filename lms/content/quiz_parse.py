"""The quiz block parser: content lines of one ```quiz block in, a Quiz (or None) out.

A line-by-line state machine over the lines ``quiz_lines.classify`` labels. States: ``header``
(before the first ``Q:``), ``stem`` (question text), ``answer`` (after an answer line, where
``>`` feedback may follow), ``tf`` (after ``answer:``), ``field`` (inside a multi-line
``hint:``/``explain:``/``correct:``/``incorrect:``), ``single`` (after ``id:``/``points:``/
``scoring:``/``case:``) and ``skip`` (after a line already reported as an error: its
continuation text is swallowed, so one mistake gives one error). Decisions where the spec is
silent:

* In question text and multi-line keywords, a ```` ``` ````/``~~~`` line opens a code sample:
  the lines up to its closing fence are kept verbatim, not classified (so ``= x`` in a code
  sample is code). Use ``~~~`` or a longer fence around the quiz for this.
* Q004 is reported once per run of consecutive stray header lines, not once per line.
* A header setting (``title:``, ``pass:``, ``shuffle:``) inside a question is Q025; a repeated
  header setting is Q027. ``'>'`` lines right after a reported Q020 are not reported again.
* ``pass: 0%`` is allowed with warning W103 (everyone passes); W103 also flags a percentage
  tolerance on 0 (``number: 0 +- 10%`` is exact). W103 is not in the spec's table.
* Two questions with the same text and no ``id:`` get the same derived id: Q030.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from lms.content.quiz_draft import AnswerDraft, BuildContext, QuestionDraft, TextField
from lms.content.quiz_lines import (
    FENCE,
    HEADER_KEYS,
    QuizLine,
    classify,
    near_keyword,
    parse_numspec,
    word_colon,
)

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z", re.ASCII)
_PASS = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*%\Z")
_SHUFFLE = {"yes": True, "true": True, "no": False, "false": False}
_STRAY = ("Unexpected text after an answer. Continue with another answer, '> feedback', "
          "'explain: ...', or start the next question with 'Q:'. (To keep this line as text, "
          "it must come before the first answer.)")
_BACKSLASH = "(If this line is meant as plain text, start it with a backslash.)"


def id_problem(kind: str, value: str) -> str | None:
    """The Q005 message if ``value`` is not a valid quiz or question id."""
    if ID_PATTERN.match(value):
        return None
    why = "(no spaces)" if " " in value else "(plain ASCII, starting with a letter or digit)"
    return f"The {kind} id '{value}' may only use letters, digits, '-' and '_' {why}."


def derive_question_id(stem: str) -> str:
    """A stable id from the question text: a slug of its first words plus a short hash.

    Whitespace and letter case do not matter, so re-wrapping a question keeps its id.
    """
    norm = " ".join(unicodedata.normalize("NFC", stem).split()).casefold()
    digest = hashlib.sha256(norm.encode("utf-8")).hexdigest()[:6]
    ascii_text = unicodedata.normalize("NFKD", norm).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text)[:6]
    slug = "-".join(words)[:40].rstrip("-")
    return f"{slug}-{digest}" if slug else f"q-{digest}"


def _number(value: str) -> float | None:
    try:
        number = float(Decimal(value))
    except InvalidOperation:
        return None
    return number if number < float("inf") else None


class BlockParser:
    """Feeds the content lines of one quiz block through the state machine."""

    def __init__(self, ctx: BuildContext, fence: QuizLine, opener: str) -> None:
        self.ctx = ctx
        self.fence = fence
        self.opener = opener
        self.state = "header"
        self.settings: dict[str, tuple[QuizLine, object]] = {}
        self.header_run = False
        self.drafts: list[QuestionDraft] = []
        self.field: TextField | None = None
        self.target: AnswerDraft | None = None
        self.pending_blank = False
        self.swallow_feedback = False
        self.code: str | None = None
        self.keyword: QuizLine | None = None

    @property
    def draft(self) -> QuestionDraft:
        return self.drafts[-1]

    def feed(self, content: str, line: int, col: int) -> None:
        if self.code is not None and self.field is not None:
            self.field.lines.append(content.rstrip())
            body = content.strip()
            if body.startswith(self.code) and not body.strip(self.code[0]):
                self.code = None
            return
        item = classify(content, line, col)
        if item.kind not in ("blank", "comment", "feedback"):
            self.swallow_feedback = False
        if item.kind == "question":
            self._start_question(item)
        elif self.state == "header":
            self._header(item)
        elif item.kind == "blank":
            self._on_blank()
        elif item.kind == "text":
            self._on_text(item)
        elif item.kind == "feedback":
            self._on_feedback(item)
        elif item.kind == "keyword":
            self._on_keyword(item)
        elif item.kind != "comment":
            self._on_answer(item)

    # -- header -----------------------------------------------------------------------------

    def _header(self, item: QuizLine) -> None:
        if item.kind in ("blank", "comment"):
            self.header_run = False
            return
        if item.kind == "keyword" and item.key in HEADER_KEYS:
            self.header_run = False
            self._setting(item)
            return
        word = None if item.literal else word_colon(item.raw)
        if word:
            self.header_run = False
            self.ctx.error(item, "Q002", f"Unknown setting '{word}'. Settings before the "
                                         "first question are: id, title, pass, shuffle.")
        elif not self.header_run:
            self.header_run = True
            self.ctx.error(item, "Q004", "This line is not a setting and no question has "
                           "started yet. Start the first question with 'Q:', or put "
                           f"introductory text above the {self.opener} line.")

    def _setting(self, item: QuizLine) -> None:
        if item.key in self.settings:
            earlier = self.settings[item.key][0].line
            self.ctx.error(item, "Q027", f"This quiz already has '{item.key}:' (line "
                                         f"{earlier}); keep only one.")
            return
        value: object = item.rest
        if item.key == "id" and (problem := id_problem("quiz", item.rest)):
            self.ctx.error(item, "Q005", problem)
            value = None
        elif item.key == "pass":
            value = self._pass_value(item)
        elif item.key == "shuffle":
            value = _SHUFFLE.get(item.rest.lower())
            if value is None:
                self.ctx.error(item, "Q003", f"'shuffle:' must be yes or no (got '{item.rest}').")
        self.settings[item.key] = (item, value)

    def _pass_value(self, item: QuizLine) -> float | None:
        m = _PASS.match(item.rest)
        number = _number(m.group(1)) if m else None
        if number is None or number > 100:
            self.ctx.error(item, "Q003", "'pass:' must be a percentage from 0% to 100%, e.g. "
                                         f"'pass: 80%' (got '{item.rest}').")
            return None
        if number == 0:
            self.ctx.warning(item, "W103", "'pass: 0%' means every attempt passes, whatever "
                                           "the answers. Leave 'pass:' out for a practice quiz.")
        return number

    # -- question text and stray lines -------------------------------------------------------

    def _start_question(self, item: QuizLine) -> None:
        stem = TextField(item, item.rest)
        self.drafts.append(QuestionDraft(number=len(self.drafts) + 1, stem=stem))
        self.state, self.field, self.target = "stem", stem, None

    def _on_blank(self) -> None:
        if self.state in ("stem", "field") and self.field is not None:
            self.field.lines.append("")
        elif self.state == "answer":
            self.pending_blank = True

    def _on_text(self, item: QuizLine) -> None:
        near = None if item.literal else near_keyword(item.raw)
        if self.state in ("stem", "field") and self.field is not None:
            if near and self.state == "field" and self.draft.saw_answer:
                self._near_miss_error(item, near)
                return
            if near:
                where = "question text" if self.state == "stem" else "part of the text above"
                self.ctx.warning(item, "W106", f"'{near[0]}' is read as {where}; did you "
                                               f"mean '{near[1]}'?")
            if not item.literal and (m := FENCE.match(item.raw.lstrip())):
                self.code = m.group(1)
            self.field.lines.append(item.raw)
        elif self.state != "skip":
            if near:
                self._near_miss_error(item, near)
            elif self.state == "single":
                self.ctx.error(item, "Q021", f"Unexpected text after '{self.keyword_name}'. This "
                               "keyword takes one line; question text goes before it.")
            else:
                self.ctx.error(item, "Q021", _STRAY)

    def _near_miss_error(self, item: QuizLine, near: tuple[str, str]) -> None:
        self.state = "skip"
        self.ctx.error(item, "Q025", f"Unknown keyword '{near[0]}'; did you mean "
                                     f"'{near[1]}'? {_BACKSLASH}")

    def _on_feedback(self, item: QuizLine) -> None:
        if self.state == "answer" and self.target is not None:
            self.target.add_feedback(item.rest, self.pending_blank)
            self.pending_blank = False
            return
        if self.state == "skip" or self.swallow_feedback:
            return
        self.swallow_feedback = True
        if self.state == "tf":
            message = ("'>' feedback cannot follow 'answer:'; true/false questions use "
                       "'correct:' and 'incorrect:' for feedback.")
        elif self.state == "stem":
            message = ("'>' feedback must come right after an answer line, but it follows the "
                       "question text. To quote text inside the question, write '\\>' at the "
                       "start of the line.")
        else:
            message = ("'>' feedback must come right after an answer line, but it follows "
                       f"'{self.keyword_name}'.")
        self.ctx.error(item, "Q020", message)

    @property
    def keyword_name(self) -> str:
        """The last keyword line, as written (lower case), for messages."""
        return self.keyword.written.lower() if self.keyword else "a keyword"

    # -- answer lines ---------------------------------------------------------------------

    def _on_answer(self, item: QuizLine) -> None:
        draft = self.draft
        draft.saw_answer = True
        self.state, self.field, self.pending_blank = "answer", None, False
        self.target = answer = None
        if item.kind == "option":
            answer = AnswerDraft("many" if item.many else "one", item)
            if not item.rest:
                self.ctx.error(item, "Q017", "This option has no text after its marker.")
        elif item.kind == "bad_option":
            draft.saw_bad_option = True
            self.target = AnswerDraft("bad", item)
            mark = item.written
            self.ctx.error(item, "Q022", f"'{mark}' is not an option marker. Use (x) / ( ) for "
                           "pick-one, [x] / [ ] for pick-several. To start a text line with "
                           f"brackets, write '\\{mark}'.")
        elif item.kind in ("accepted", "rejected"):
            answer = AnswerDraft("text", item, accepted=item.kind == "accepted")
            if not item.rest:
                marker = "=" if item.kind == "accepted" else "not="
                self.ctx.error(item, "Q017", f"This answer has no text after '{marker}'.")
        elif item.kind == "answer":
            self._true_false(item)
            return
        else:
            answer = self._number(item)
        if answer is not None:
            draft.answers.append(answer)
            self.target = answer

    def _true_false(self, item: QuizLine) -> None:
        self.state = "tf"
        if "answer" in self.draft.seen:
            earlier = self.draft.seen["answer"].line
            self.ctx.error(item, "Q027", f"Question {self.draft.number} already has 'answer:' "
                                         f"(line {earlier}); keep only one.")
            return
        self.draft.seen["answer"] = item
        word = item.rest.lower()
        value = {"true": True, "false": False}.get(word)
        if value is None:
            self.ctx.error(item, "Q023", f"'answer:' must be true or false (got '{item.rest}'). "
                           f"For a typed answer write '= {item.rest}'; for a number write "
                           f"'number: {item.rest}'.")
        self.draft.answers.append(AnswerDraft("tf", item, value=value))

    def _number(self, item: QuizLine) -> AnswerDraft:
        if not item.rest:
            self.ctx.error(item, "Q017", "This answer has no number after 'number:'.")
            return AnswerDraft("number", item)
        spec, problem, zero_percent = parse_numspec(item.rest)
        if problem:
            self.ctx.error(item, "Q024", f"In 'number: {item.rest}': {problem}")
        if zero_percent:
            self.ctx.warning(item, "W103", f"In 'number: {item.rest}': a percentage of 0 is 0, "
                             "so only exactly 0 is accepted. Use an absolute tolerance, e.g. "
                             "'0 +- 0.5'.")
        return AnswerDraft("number", item, spec=spec)

    # -- keywords ---------------------------------------------------------------------------

    def _on_keyword(self, item: QuizLine) -> None:
        draft, key = self.draft, item.key
        self.keyword, self.target = item, None
        if key in ("title", "pass", "shuffle"):
            self.state = "skip"
            self.ctx.error(item, "Q025", f"'{item.written.lower()}' is a quiz setting; settings "
                           f"go before the first 'Q:' line. {_BACKSLASH}")
        elif key == "hint":
            self.field = TextField(item, item.rest)
            draft.hints.append(self.field)
            self.state = "field"
        elif key in ("explain", "correct", "incorrect"):
            self._text_keyword(item)
        elif self._once(item):
            self.state = "single"
            self._single_value(item)
        else:
            self.state = "single"

    def _once(self, item: QuizLine) -> bool:
        """Record a keyword that may appear once per question; Q027 if it is repeated."""
        earlier = self.draft.seen.get(item.key)
        if earlier is None:
            self.draft.seen[item.key] = item
            return True
        merge = item.key in ("explain", "correct", "incorrect")
        advice = "merge them into one" if merge else "keep only one"
        self.ctx.error(item, "Q027", f"Question {self.draft.number} already has "
                       f"'{earlier.written.lower()}' (line {earlier.line}); {advice}.")
        return False

    def _text_keyword(self, item: QuizLine) -> None:
        self.state = "skip"
        if not self.draft.saw_answer:
            self.ctx.error(item, "Q026", f"'{item.written}' appears before any answer. If this "
                           "line is part of the question text, write "
                           f"'\\{item.written}' instead.")
            return
        if not self._once(item):
            return
        self.field = TextField(item, item.rest)
        setattr(self.draft, item.key, self.field)
        self.state = "field"

    def _single_value(self, item: QuizLine) -> None:
        draft, value = self.draft, item.rest
        if item.key == "id":
            if problem := id_problem("question", value):
                self.ctx.error(item, "Q005", problem)
                draft.invalid = True
            else:
                draft.qid = value
        elif item.key == "points":
            number = _number(value) if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", value) else None
            if not number:
                self.ctx.error(item, "Q028", f"'points:' must be a positive number (got "
                                             f"'{value}').")
                draft.invalid = True
            else:
                draft.points = number
        elif item.key == "scoring":
            if value.lower() not in ("all-or-nothing", "partial"):
                self.ctx.error(item, "Q029", "'scoring:' must be 'all-or-nothing' or 'partial' "
                                             f"(got '{value}').")
                draft.invalid = True
            else:
                draft.scoring = value.lower()
        elif value.lower() not in ("sensitive", "insensitive"):
            self.ctx.error(item, "Q029", f"'case:' must be 'insensitive' or 'sensitive' (got "
                                         f"'{value}').")
            draft.invalid = True
        else:
            draft.case_sensitive = value.lower() == "sensitive"
