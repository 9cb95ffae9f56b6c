"""Reading Moodle GIFT files the way Moodle's own reader does, quirks included.

This module turns GIFT text into plain `GiftQuestion` records and reports, with file line
numbers, every place where Moodle's behaviour is surprising (the quirks listed in
QUIZ_FORMAT.md, "Importing Moodle GIFT question banks", section 3). It knows nothing about
our quiz syntax: `lms.content.gift` maps the records to quiz blocks.

The reading follows Moodle's `qformat_gift::readquestion` step by step: questions are
separated by blank lines (a line holding just `0` counts as blank, as PHP's `empty("0")`),
every line is trimmed, `//` lines are comments, the first `{` and the first `}` delimit the
answers, and the answer text is split on `~`, `=` and `#` exactly as Moodle splits it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from lms.content.diagnostics import Diagnostic, error, warning
from lms.content.gift_numbers import numspec

BLANK = "\ue000"  # where a missing-word question's answer block was; becomes "_____"
_ESCAPABLE = ":#={}~n"
_PLACEHOLDER = {c: chr(0xE100 + i) for i, c in enumerate(_ESCAPABLE)}
_RESTORE = {v: ("\n" if k == "n" else k) for k, v in _PLACEHOLDER.items()}
_WEIGHT = re.compile(r"%-*[0-9]{1,2}\.?[0-9]*%")
_FORMATS = ("html", "moodle", "markdown", "plain")
_GRADES = (1, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25,
           0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0)


class GiftText(NamedTuple):
    """A piece of GIFT text (escapes already resolved) and its format name."""

    text: str
    fmt: str


@dataclass
class GiftAnswer:
    """One answer of a choice, short-answer or numerical question."""

    text: GiftText
    fraction: float  # Moodle's weight: 1 is full credit
    feedback: GiftText
    line: int
    numspec: str = ""  # numerical only: "5", "5 +- 1" or "1..5"; "*" for a catch-all


@dataclass
class GiftQuestion:
    """One GIFT record: a question, a description or a category switch."""

    kind: str  # multichoice truefalse shortanswer numerical match essay description category
    line: int
    title: str | None = None
    text: GiftText = GiftText("", "moodle")
    general_feedback: GiftText | None = None
    answers: list[GiftAnswer] = field(default_factory=list)
    single: bool = True
    tf_value: bool = True
    tf_wrong: GiftText | None = None
    tf_right: GiftText | None = None
    wrong_feedback: GiftText | None = None  # numerical '~' catch-all
    pairs: list[tuple[GiftText, str]] = field(default_factory=list)
    idnumber: str | None = None
    tags: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    category: str = ""
    swallowed: bool = False  # a category that swallowed a question


class _Src:
    """The escaped text of one question and the file line of every character."""

    def __init__(self, lines: list[tuple[int, str]]) -> None:
        self.lines = [n for n, _ in lines]
        joined = "\n".join(" " if s.startswith("//") else s for _, s in lines)
        self.t = re.sub(r"\\([\\" + _ESCAPABLE + "])", _escape, joined)

    def line(self, pos: int) -> int:
        return self.lines[min(self.t.count("\n", 0, pos), len(self.lines) - 1)]

    def strip(self, a: int, b: int) -> tuple[int, int]:
        while a < b and self.t[a].isspace():
            a += 1
        while b > a and self.t[b - 1].isspace():
            b -= 1
        return a, b


def _escape(m: re.Match[str]) -> str:
    return "\\" if m.group(1) == "\\" else _PLACEHOLDER[m.group(1)]


def unescape(s: str) -> str:
    """Turn escape placeholders back into the characters they stand for."""
    return "".join(_RESTORE.get(c, c) for c in s)


def with_format(s: str, default: str = "moodle") -> GiftText:
    """Moodle's parse_text_with_format: an optional leading [html], [markdown], ..."""
    m = re.match(r"\[(\w+)\]", s)
    if m and m.group(1).lower() in _FORMATS:
        return GiftText(unescape(s[m.end():]).strip(), m.group(1).lower())
    return GiftText(unescape(s).strip(), default)


def read_gift(text: str, path: str) -> tuple[list[GiftQuestion], list[Diagnostic]]:
    """Read a whole GIFT file into records, with Moodle's quirks and their warnings."""
    diags: list[Diagnostic] = []
    out: list[GiftQuestion] = []
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    for group in _groups(text.split("\n"), path, diags):
        q = _Reader(group, path, diags).read()
        if q is not None:
            out.append(q)
    return out, diags


def _groups(lines: list[str], path: str, diags: list[Diagnostic]) -> list[list[tuple[int, str]]]:
    groups: list[list[tuple[int, str]]] = [[]]
    raw: list[list[str]] = [[]]
    for n, line in enumerate(lines, 1):
        s = line.strip()
        if s in ("", "0"):
            if s == "0":
                diags.append(warning(path, n, "G014", "This line holds just '0', which Moodle "
                                     "reads as a blank line: the question is split in two here. "
                                     "Put the 0 on a line with other text."))
            if groups[-1]:
                groups.append([])
                raw.append([])
            continue
        groups[-1].append((n, s))
        raw[-1].append(line)
    for group, originals in zip(groups, raw, strict=True):
        _check_indentation(group, originals, path, diags)
    return [g for g in groups if g]


def _check_indentation(group: list[tuple[int, str]], originals: list[str], path: str,
                       diags: list[Diagnostic]) -> None:
    body = re.sub(r"^::.*?::\s*", "", "\n".join(s for _, s in group), flags=re.S)
    markdown, in_pre, in_text = body.lower().startswith("[markdown]"), False, True
    for i, ((n, s), original) in enumerate(zip(group, originals, strict=True)):
        if i and original[:1].isspace() and (in_pre or (markdown and in_text)):
            diags.append(warning(path, n, "G013", "Moodle trims every line, so the indentation "
                                 "here is lost (code and nested lists flatten). Use \\n escapes "
                                 "in the GIFT file or fix the layout in the converted quiz."))
            return
        lower = s.lower()
        if "<pre" in lower or "</pre>" in lower:
            in_pre = lower.rfind("<pre") > lower.rfind("</pre>")
        in_text = in_text and "{" not in s


class _Reader:
    """Moodle's readquestion for one blank-line separated group."""

    def __init__(self, group: list[tuple[int, str]], path: str, diags: list[Diagnostic]) -> None:
        self.src = _Src(group)
        self.path = path
        self.diags = diags
        self.comments = [s for _, s in group if s.startswith("//")]

    def warn(self, pos: int, code: str, msg: str) -> None:
        self.diags.append(warning(self.path, self.src.line(pos), code, msg))

    def fail(self, pos: int, code: str, msg: str) -> None:
        self.diags.append(error(self.path, self.src.line(pos), code, msg))

    def read(self) -> GiftQuestion | None:
        t = self.src.t
        a, b = self.src.strip(0, len(t))
        if a == b:
            return None
        if t.startswith("$CATEGORY:", a):
            return self._category(a, b)
        q = GiftQuestion("description", self.src.line(a), comments=self.comments)
        _ids_and_tags(q, "\n".join(self.comments))
        if t.startswith("::", a):
            end = t.find("::", a + 2, b)
            if end != -1:
                q.title = unescape(t[a + 2:end]).strip()
                a = self.src.strip(end + 2, b)[0]
            else:
                a += 2
        return self._body(q, a, b)

    def _category(self, a: int, b: int) -> GiftQuestion:
        name = self.src.t[a + 10:b].strip()
        q = GiftQuestion("category", self.src.line(a), category=unescape(name.split("\n")[0]))
        if "\n" in name:
            rest = self.src.t.find("\n", a)
            q.swallowed = "{" in name
            self.warn(rest + 1, "G016", "No blank line after the $CATEGORY line, so Moodle "
                      "makes this line part of the category name and imports nothing from it. "
                      "Add a blank line after the $CATEGORY line.")
        return q

    def _body(self, q: GiftQuestion, a: int, b: int) -> GiftQuestion | None:
        t = self.src.t
        op, cl = t.find("{", a, b), t.find("}", a, b)
        if op == -1 and cl == -1:
            q.text = with_format(t[a:b])
            return q
        if op == -1 or cl == -1 or cl < op:
            where = op if cl == -1 else cl
            self.fail(where, "G001", "This question's '{' and '}' do not pair up, so Moodle "
                      "rejects it. Escape literal braces as '\\{' and '\\}'.")
            return None
        if t[b - 1] == "}":
            stem = t[a:op] + t[cl + 1:b]
        else:
            stem = t[a:op] + BLANK + t[cl + 1:b]
            after = t[cl + 1:b].strip()
            if after.startswith("//"):
                self.warn(cl + 1, "G012", "A '//' comment after '}' on the same line is not a "
                          "comment: Moodle makes this a missing-word question whose text ends "
                          f"with '_____ {unescape(after)}'. Put the comment on its own line.")
        if "{" in t[cl + 1:b] or "}" in t[cl + 1:b]:
            self.warn(cl + 1, "G015", "Only the first {...} is the answer block; this later "
                      "brace stays in the question text. Escape it as '\\{' / '\\}' or split "
                      "the question.")
        q.text = with_format(stem)
        ans_a, ans_b = self.src.strip(op + 1, cl)
        gf = t.rfind("####", ans_a, ans_b)
        if gf != -1:
            q.general_feedback = with_format(t[gf + 4:ans_b], q.text.fmt)
            ans_a, ans_b = self.src.strip(ans_a, gf)
        return self._typed(q, ans_a, ans_b)

    def _typed(self, q: GiftQuestion, a: int, b: int) -> GiftQuestion | None:
        t = self.src.t
        body = t[a:b]
        if a == b:
            q.kind = "essay"
        elif body[0] == "#":
            q.kind = "numerical"
            return _read_numerical(self, q, a + 1, b)
        elif "~" in body:
            q.kind = "multichoice"
            return self._multichoice(q, a, b)
        elif "=" in body and "->" in body:
            q.kind = "match"
            for s, e in _split(t, a, b, "="):
                left, _, right = t[s:e].partition("->")
                q.pairs.append((with_format(left, q.text.fmt), unescape(right).strip()))
        else:
            self._tf_or_short(q, a, b)
        return q

    def _tf_or_short(self, q: GiftQuestion, a: int, b: int) -> None:
        body = self.src.t[a:b]
        check = body.split("#", 1)[0].strip() if "#" in body[1:] else body
        if check in ("T", "TRUE", "F", "FALSE"):
            q.kind = "truefalse"
            parts = body.split("#", 2) + ["", ""]
            q.tf_value = check in ("T", "TRUE")
            q.tf_wrong = with_format(parts[1].strip(), q.text.fmt)
            q.tf_right = with_format(parts[2].strip(), q.text.fmt)
            return
        if check.lower() in ("t", "true", "f", "false"):
            self.warn(a, "G025", f"'{check}' is not a true/false answer for Moodle (only T, "
                      "TRUE, F and FALSE in capitals are), so this imports as a short-answer "
                      f"question whose answer is the word '{check}'.")
        q.kind = "shortanswer"
        for s, e in _split(self.src.t, a, b, "="):
            q.answers.append(self._answer(q, s, e, default=1.0))

    def _multichoice(self, q: GiftQuestion, a: int, b: int) -> GiftQuestion:
        t = self.src.t
        q.single = "=" in t[a:b]
        self._check_choice_quirks(a, b)
        for s, e in _split(t, a, b, "~="):
            if t[s] == "=":
                if _WEIGHT.match(t, s + 1, e):
                    self.warn(s, "G011", f"In multiple choice a weight only works after '~': "
                              f"'{unescape(t[s:e].strip())}' is a fully correct option whose "
                              "text starts with the weight. Write '~%50%...' instead.")
                q.answers.append(self._answer(q, s + 1, e, default=1.0, weights=False))
            else:
                q.answers.append(self._answer(q, s, e, default=0.0))
        return q

    def _check_choice_quirks(self, a: int, b: int) -> None:
        t = self.src.t
        for s, e in _split(t, a, b, "~"):
            s, e = self.src.strip(s, e)
            for p in range(s + 1, e):
                before = t[max(s, t.rfind("\n", s, p) + 1):p]
                if t[p] == "=" and before.strip() and (not before[-1].isspace() or "#" in before):
                    self.warn(p, "G008", f"The '=' inside '{unescape(t[s:e])}' starts an extra "
                              "correct option, as in Moodle. Escape it as '\\=' if it is part "
                              "of the text.")
        lines = [(a + m.start(), m.group()) for m in re.finditer(r"[^\n]+", t[a:b])]
        if sum(1 for _, ln in lines if ln[0] in "~=") < 2:
            return  # options are not laid out one per line
        for pos, ln in lines:
            tilde = ln.find("~", ln.find("#")) if "#" in ln else -1
            if tilde != -1:
                self.warn(pos + tilde, "G010", "This '~' comes after '#' feedback on the same "
                          "line, so Moodle starts a new wrong option here. Escape it as '\\~' "
                          "if it is part of the feedback.")

    def _answer(self, q: GiftQuestion, s: int, e: int, default: float,
                weights: bool = True) -> GiftAnswer:
        t = self.src.t
        s, e = self.src.strip(s, e)
        fraction = default
        m = _WEIGHT.match(t, s, e) if weights else None
        if m:
            fraction = _weight(m.group(0))
            if not any(abs(abs(fraction) - g) < 5e-5 for g in _GRADES):
                self.warn(s, "G017", f"Weight {m.group(0)} is not in Moodle's grade list "
                          "(100, 90, 83.33333, 80, 75, 70, ..., 10, 5, and the negatives); "
                          "Moodle rejects or rounds it when saving the question.")
            s = m.end()
        text, hash_, fb = t[s:e].partition("#")
        if hash_ and not m and re.search(r"(^|\s)[A-Za-z]$", text) and fb[:1] in ("", " "):
            self.warn(s + len(text), "G009", f"'#' starts feedback here, so the answer is only "
                      f"'{unescape(text.strip())}' (Moodle does the same). Escape it as '\\#' "
                      "if it is part of the answer, e.g. 'C\\#'.")
        return GiftAnswer(with_format(text.strip(), q.text.fmt), fraction,
                          with_format(fb.strip(), q.text.fmt), self.src.line(s))


def _read_numerical(r: _Reader, q: GiftQuestion, a: int, b: int) -> GiftQuestion | None:
    t = r.src.t
    tilde = t.find("~", a, b)
    if tilde != -1:
        q.wrong_feedback = with_format(t[tilde:b].partition("#")[2].strip(), q.text.fmt)
        b = tilde
    pieces = _split(t, a, b, "=")
    if not pieces:
        r.fail(a, "G004", "This numerical question has no answers after '#'.")
        return None
    for s, e in pieces:
        ans = r._answer(q, s, e, default=1.0)
        spec = numspec(ans.text.text)
        if spec is None or spec.startswith("!"):
            code = "G002" if spec is None else "G003"
            msg = (f"'{ans.text.text}' is not a number, and Moodle silently imports it as "
                   "'any other answer'. Use a dot for decimals, e.g. '2.5'." if spec is None
                   else f"'{ans.text.text}' {spec[1:]}.")
            r.diags.append(error(r.path, ans.line, code, msg + " Question skipped."))
            return None
        ans.numspec = spec
        q.answers.append(ans)
    return q


def _weight(w: str) -> float:
    """'%-33.3%' -> -0.333 (Moodle allows several '-'; one is enough to make it negative)."""
    value = float(w.strip("%").lstrip("-")) / 100
    return -value if w.startswith("%-") else value


def _split(t: str, a: int, b: int, seps: str) -> list[tuple[int, int]]:
    """Moodle's explode on `seps`; with '~=' an '=' stays at the start of its piece."""
    pieces: list[tuple[int, int]] = []
    start = a
    for p in range(a, b + 1):
        if p == b or t[p] in seps:
            pieces.append((start, p))
            start = p if p < b and t[p] == "=" and "~" in seps else p + 1
    if t[pieces[0][0]:pieces[0][1]].strip() in ("", "0"):
        pieces.pop(0)
    return pieces


def _ids_and_tags(q: GiftQuestion, comments: str) -> None:
    m = re.search(r"\[id:((?:\\.|[^\]])*)\]", comments)
    if m:
        q.idnumber = m.group(1).replace("\\]", "]").strip() or None
    q.tags = [t.replace("\\]", "]").strip()
              for t in re.findall(r"\[tag:((?:\\.|[^\]])*)\]", comments)]
