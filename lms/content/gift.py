"""Importing Moodle GIFT question banks as quiz blocks: `convert_gift`.

GIFT is imported once, into readable quiz blocks (QUIZ_FORMAT.md, "Importing Moodle GIFT
question banks"). `gift_parse` reads the file the way Moodle does, `gift_markdown` turns the
GIFT text formats into Markdown, and this module maps each question to our syntax.

Layout: one quiz block per `$CATEGORY` (or one for the whole file), `id: <prefix>-<slug>` and
`title:` from the category's last path segment or the file name; no `pass:` (GIFT has none, so
the quiz is practice until an author adds one). Descriptions become Markdown above their
category's block, or below it when they follow its first question. Each question keeps its
GIFT title as a `// Title` comment (and tags as `// tags: ...`); its `id:` comes from an
`[id:...]` comment, else the title, else the first words of its text, made unique in the file.
Every problem is a `Diagnostic` on the GIFT line, coded as in `GIFT_CODES`; errors mean the
question was skipped, and unsupported questions are reported, never dropped silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

from lms.content.diagnostics import Diagnostic, error, warning
from lms.content.gift_markdown import TextConverter, escape_text, fence_for, quiz_lines
from lms.content.gift_parse import GiftAnswer, GiftQuestion, GiftText, read_gift
from lms.content.quiz_match import normalise_text

# One code per kind of problem. Errors mean the question was skipped.
GIFT_CODES: dict[str, str] = {
    "G001": "error: braces do not pair up ('{' without '}' or the reverse)",
    "G002": "error: a numerical answer is not a number (Moodle makes it a catch-all silently)",
    "G003": "error: reversed numerical range or negative tolerance (Moodle keeps it silently)",
    "G004": "error: no usable answers (no correct answer, or fewer than two options)",
    "G005": "warning: matching question, not supported; skipped, with its pairs listed",
    "G006": "warning: essay question, not supported (no automatic marking); skipped",
    "G007": "warning: description, converted to Markdown next to its category's quiz block",
    "G008": "warning: unescaped '=' inside a multiple-choice option starts a correct option",
    "G009": "warning: '#' inside an answer starts its feedback ('=C#' is the answer 'C')",
    "G010": "warning: '~' inside feedback starts a new wrong option",
    "G011": "warning: a weight after '=' in multiple choice stays in the option text",
    "G012": "warning: text after the answer block ('{T} // note') makes a missing-word question",
    "G013": "warning: Moodle trims every line, so indentation (code, nested lists) is lost",
    "G014": "warning: a line holding just '0' counts as blank and splits the question",
    "G015": "warning: only the first {...} is the answer block; a later one stays in the text",
    "G016": "warning: a $CATEGORY line without a blank line after it swallows what follows",
    "G017": "warning: weight not in Moodle's grade list; Moodle rejects or rounds it on save",
    "G018": "warning: choice weights or penalties that our scoring cannot express exactly",
    "G019": "warning: partial-credit answer dropped (short answer: or kept, per keep_partial)",
    "G020": "warning: wildcard '*' in a short answer; we match literally",
    "G021": "warning: 'not=' answer equal to an accepted answer once normalised; dropped",
    "G022": "warning: catch-all '*' answer with credit (Moodle accepts any answer)",
    "G023": "warning: several fully correct options in single choice; made pick-several",
    "G024": "warning: @@PLUGINFILE@@ file reference; GIFT exports do not contain the file",
    "G025": "warning: lower-case true/false is a short-answer question in Moodle",
    "G026": "warning: dangerous HTML (script, event handlers, javascript: links) removed",
    "G027": "warning: question without text; its title is used as the question text",
}
_EXPORT_COMMENT = re.compile(r"//\s*question:\s*\d+\s+name:", re.I)
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class GiftConversion:
    """The result of converting one GIFT file."""

    markdown: str  # ready to append to a module file
    diagnostics: tuple[Diagnostic, ...]  # sorted by GIFT line
    imported: int  # questions converted
    skipped: int  # questions not converted


@dataclass
class _Section:
    category: str | None
    intro: list[str] = field(default_factory=list)  # descriptions before its first question
    questions: list[list[str]] = field(default_factory=list)
    outro: list[str] = field(default_factory=list)  # descriptions after that


@dataclass
class _Body:
    """What a question type contributes: answer lines plus optional keywords."""

    answers: list[str]
    scoring: str | None = None
    correct: str = ""
    incorrect: str = ""


def convert_gift(text: str, path: str, *, quiz_id_prefix: str = "imported",
                 keep_partial: bool = False) -> GiftConversion:
    """Convert a GIFT file's text to quiz blocks. `path` is only used in diagnostics.

    `keep_partial=True` keeps short answers with partial credit (`=%50%colour`) as accepted
    answers; by default they are dropped. Both ways warn (G019).
    """
    records, diags = read_gift(text, path)
    unreadable = sum(1 for d in diags if d.is_error)  # each error dropped one question
    builder = _Builder(path, diags, keep_partial)
    for record in records:
        builder.add(record)
    markdown = builder.markdown(slugify(quiz_id_prefix), PurePath(path).stem or "questions")
    ordered = tuple(sorted(diags, key=lambda d: d.line))
    return GiftConversion(markdown, ordered, builder.imported, builder.skipped + unreadable)


def slugify(text: str, limit: int = 60) -> str:
    """ASCII lower-case words joined by '-', at most `limit` characters; may be empty."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return slug


class _Builder:
    """Collects converted questions into sections, one per category."""

    def __init__(self, path: str, diags: list[Diagnostic], keep_partial: bool) -> None:
        self.path = path
        self.diags = diags
        self.keep_partial = keep_partial
        self.text = TextConverter(path, diags)
        self.sections = [_Section(None)]
        self.ids: set[str] = set()
        self.imported = self.skipped = 0

    def warn(self, line: int, code: str, msg: str) -> None:
        self.diags.append(warning(self.path, line, code, msg))

    def fail(self, line: int, code: str, msg: str) -> None:
        self.diags.append(error(self.path, line, code, msg + " Question skipped."))
        self.skipped += 1

    def add(self, q: GiftQuestion) -> None:
        if q.kind == "category":
            self.sections.append(_Section(q.category))
            self.skipped += q.swallowed
        elif q.kind == "description":
            section = self.sections[-1]
            where = "below" if section.questions else "above"
            self.warn(q.line, "G007", "A description (text without answers) is not a question; "
                      f"it becomes Markdown {where} this category's quiz block.")
            (section.outro if section.questions else section.intro).append(
                self.text.block(q.text, q.line))
        elif q.kind == "match":
            pairs = "; ".join(f"'{self.text.inline(left, q.line)}' -> '{right}'"
                              for left, right in q.pairs)
            self.warn(q.line, "G005", f"Matching question{_named(q)} is not supported and was "
                      f"skipped. Its pairs: {pairs}.")
            self.skipped += 1
        elif q.kind == "essay":
            self.warn(q.line, "G006", f"Essay question{_named(q)} is not supported (nothing "
                      "can mark it automatically) and was skipped.")
            self.skipped += 1
        else:
            stem = self.text.block(q.text, q.line)
            body = _EMITTERS[q.kind](self, q)
            if body is not None:
                self.sections[-1].questions.append(self._question(q, stem, body))
                self.imported += 1

    def _question(self, q: GiftQuestion, stem: str, body: _Body) -> list[str]:
        if not stem:
            self.warn(q.line, "G027", "This question has no text; its title (or 'Question') "
                      "is used instead.")
            stem = escape_text(q.title or "Question")
        lines = [f"// {c[2:].strip()}" for c in q.comments if not _EXPORT_COMMENT.match(c)
                 and not re.fullmatch(r"//\s*(\[(id|tag):[^\]]*\]\s*)+", c)]
        if q.title:
            lines.append("// " + " ".join(q.title.split()))
        if q.tags:
            lines.append("// tags: " + ", ".join(q.tags))
        lines += [*quiz_lines(stem, "Q:"), f"id: {self._question_id(q, stem)}", *body.answers]
        if body.scoring:
            lines.append(f"scoring: {body.scoring}")
        if q.general_feedback and q.general_feedback.text:
            explain = self.text.block(q.general_feedback, q.line)
            lines += quiz_lines(explain, "explain:") if explain else []
        for key, md in (("correct:", body.correct), ("incorrect:", body.incorrect)):
            lines += quiz_lines(md, key) if md else []
        return lines

    def _question_id(self, q: GiftQuestion, stem: str) -> str:
        if q.idnumber and _ID.fullmatch(q.idnumber):
            base = q.idnumber
        else:
            words = re.sub(r"[^\w\s-]|_", " ", stem).split()[:6]
            base = (slugify(q.idnumber or "") or slugify(q.title or "")
                    or slugify(" ".join(words)) or "question")
        return _unique(base, self.ids)

    def feedback(self, gt: GiftText, line: int) -> list[str]:
        md = self.text.block(gt, line) if gt.text else ""
        return [f"  > {ln}".rstrip() for ln in md.split("\n")] if md else []

    def markdown(self, prefix: str, stem: str) -> str:
        parts: list[str] = []
        block_ids: set[str] = set()
        for section in self.sections:
            parts += [md for md in section.intro if md]
            if section.questions:
                title = _category_title(section.category) if section.category else stem
                base = "-".join(p for p in (prefix, slugify(title)) if p) or "imported"
                lines = [f"id: {_unique(base, block_ids)}", f"title: {title}"]
                for question in section.questions:
                    lines += ["", *question]
                fence = fence_for(lines)
                parts.append("\n".join([f"{fence}quiz", *lines, fence]))
            parts += [md for md in section.outro if md]
        return "\n\n".join(parts) + "\n" if parts else ""


def _named(q: GiftQuestion) -> str:
    return f" '{q.title}'" if q.title else ""


def _unique(base: str, used: set[str]) -> str:
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    used.add(candidate)
    return candidate


def _category_title(category: str) -> str:
    parts = [p.strip() for p in category.split("/")]
    parts = [p for p in parts if p and p != "top" and not re.fullmatch(r"\$\w+\$", p)]
    return parts[-1] if parts else category.strip() or "Questions"


def _options(b: _Builder, q: GiftQuestion) -> list[tuple[GiftAnswer, str]]:
    opts = [(a, b.text.inline(a.text, a.line)) for a in q.answers]
    return [(a, text) for a, text in opts if text]


def _multichoice(b: _Builder, q: GiftQuestion) -> _Body | None:
    opts = _options(b, q)
    if len(opts) < 2:
        b.fail(q.line, "G004", f"A choice question needs at least two options (found "
               f"{len(opts)}).")
        return None
    if q.single:
        return _single_choice(b, q, opts)
    positive = [a.fraction for a, _ in opts if a.fraction > 0]
    if not positive:
        b.fail(q.line, "G004", "No option has a positive weight, so no answer is correct.")
        return None
    share = 1 / len(positive)
    if any(abs(f - share) > 5e-4 for f in positive):
        weights = ", ".join(f"{f * 100:g}%" for f in positive)
        b.warn(q.line, "G018", f"The correct options have uneven weights ({weights}); with "
               "'scoring: partial' each correct option counts the same.")
    odd = [a for a, _ in opts if a.fraction < 0
           and abs(a.fraction + 1) > 1e-6 and abs(a.fraction + share) > 5e-4]
    for a in odd:
        b.warn(a.line, "G018", f"Penalty {a.fraction * 100:g}% cannot be expressed; with "
               "'scoring: partial' a wrong tick costs as much as a right tick earns.")
    lines = _choice_lines(b, opts, lambda a: a.fraction > 0, "[x]", "[ ]")
    return _Body(lines, scoring="partial")


def _single_choice(b: _Builder, q: GiftQuestion,
                   opts: list[tuple[GiftAnswer, str]]) -> _Body | None:
    best = [a for a, _ in opts if a.fraction >= 1]
    if not best:
        b.fail(q.line, "G004", "No option is fully correct.")
        return None
    for a, text in opts:
        if 0 < a.fraction < 1:
            b.warn(a.line, "G019", f"Option '{text}' gives {a.fraction * 100:g}% credit in "
                   "Moodle; single choice has no partial credit, so it is a wrong option.")
        elif a.fraction < 0:
            b.warn(a.line, "G018", f"Option '{text}' has a {a.fraction * 100:g}% penalty, which "
                   "single choice cannot express; it is a plain wrong option.")
    if len(best) > 1:
        b.warn(q.line, "G023", f"{len(best)} options are fully correct, which Moodle allows in "
               "single choice (any one is right). Converted to pick-several: learners must now "
               "tick all of them. Review this question.")
        return _Body(_choice_lines(b, opts, lambda a: a.fraction >= 1, "[x]", "[ ]"))
    return _Body(_choice_lines(b, opts, lambda a: a.fraction >= 1, "(x)", "( )"))


def _choice_lines(b: _Builder, opts: list[tuple[GiftAnswer, str]],
                  correct: Callable[[GiftAnswer], bool], yes: str, no: str) -> list[str]:
    lines: list[str] = []
    for a, text in opts:
        lines.append(f"{yes if correct(a) else no} {text}")
        lines += b.feedback(a.feedback, a.line)
    return lines


def _truefalse(b: _Builder, q: GiftQuestion) -> _Body:
    right = b.text.block(q.tf_right, q.line) if q.tf_right else ""
    wrong = b.text.block(q.tf_wrong, q.line) if q.tf_wrong else ""
    return _Body([f"answer: {'true' if q.tf_value else 'false'}"], correct=right, incorrect=wrong)


def _catch_all(b: _Builder, q: GiftQuestion, a: GiftAnswer, found: list[str]) -> None:
    if a.fraction > 0:
        b.warn(a.line, "G022", "A '*' answer with credit makes Moodle accept any answer; it is "
               "imported as the feedback for wrong answers ('incorrect:').")
    if a.feedback.text:
        found.append(b.text.block(a.feedback, a.line))


def _shortanswer(b: _Builder, q: GiftQuestion) -> _Body | None:
    accepted: list[tuple[GiftAnswer, str]] = []
    rejected: list[tuple[GiftAnswer, str]] = []
    catch_all: list[str] = []
    for a in q.answers:
        text = b.text.plain(a.text, a.line)
        if text == "*":
            _catch_all(b, q, a, catch_all)
        elif not text:
            continue
        elif a.fraction >= 1 or (a.fraction > 0 and b.keep_partial):
            accepted.append((a, text))
        elif a.fraction > 0:
            pass
        else:
            rejected.append((a, text))
        if text not in ("", "*") and 0 < a.fraction < 1:
            kept = "kept as fully correct" if b.keep_partial else "dropped"
            b.warn(a.line, "G019", f"Answer '{text}' gives {a.fraction * 100:g}% credit in "
                   f"Moodle; we have no partial credit, so it is {kept}.")
        if "*" in text and text != "*":
            b.warn(a.line, "G020", f"'{text}' uses '*' as a Moodle wildcard; we match answers "
                   "literally, so list the spellings you accept instead.")
    if not accepted:
        b.fail(q.line, "G004", "This short-answer question has no fully correct answer.")
        return None
    seen = {normalise_text(text) for _, text in accepted}
    lines = _typed_lines(b, accepted, "=", set())
    for a, text in rejected:
        if normalise_text(text) in seen:
            b.warn(a.line, "G021", f"'not= {text}' is the same answer as an accepted one once "
                   "case and spacing are ignored; dropped.")
    lines += _typed_lines(b, [(a, t) for a, t in rejected if normalise_text(t) not in seen],
                          "not=", set())
    return _Body(lines, incorrect="\n\n".join(catch_all))


def _typed_lines(b: _Builder, answers: list[tuple[GiftAnswer, str]], marker: str,
                 seen: set[str]) -> list[str]:
    lines: list[str] = []
    for a, text in answers:
        key = normalise_text(text)
        if key in seen:
            continue
        seen.add(key)
        lines.append(f"{marker} {text}")
        lines += b.feedback(a.feedback, a.line)
    return lines


def _numerical(b: _Builder, q: GiftQuestion) -> _Body | None:
    lines: list[str] = []
    catch_all: list[str] = []
    for a in q.answers:
        if a.numspec == "*":
            _catch_all(b, q, a, catch_all)
        elif a.fraction >= 1:
            lines.append(f"number: {a.numspec}")
            lines += b.feedback(a.feedback, a.line)
        else:
            b.warn(a.line, "G019", f"Answer '{a.numspec}' gives {a.fraction * 100:g}% credit "
                   "in Moodle; we have no partial credit, so it is dropped.")
    if not lines:
        b.fail(q.line, "G004", "This numerical question has no fully correct answer.")
        return None
    if q.wrong_feedback and q.wrong_feedback.text:
        catch_all.append(b.text.block(q.wrong_feedback, q.line))
    return _Body(lines, incorrect="\n\n".join(catch_all))


_EMITTERS: dict[str, Callable[[_Builder, GiftQuestion], _Body | None]] = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "numerical": _numerical,
}
