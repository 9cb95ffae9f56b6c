"""Line classification for quiz blocks: what each line is, decided by how it starts.

Implements the ``line`` grammar of QUIZ_FORMAT.md section 3, first matching rule wins. Leading
whitespace (spaces, tabs, NBSP and other Unicode spaces, zero-width spaces) is ignored for
classification; trailing whitespace is dropped from every line. Decisions where the spec is
silent:

* ``answer:``, ``number:`` and every keyword are case-insensitive, and the space after the
  colon is optional (``hint:Look left`` is a hint).
* ``bad-option`` follows the grammar: one character in brackets, no ``-``/``*``/``+`` bullet
  (so ``- (a) item`` stays text); a character plus an emoji variation selector (``(✔️)``)
  counts as one character.
* Keyword near-misses (spec rule 6): a line that starts ``Word:``, where Word is at least four
  letters and within edit distance 2 of a keyword (distance 1 for four-letter words, so
  ``Name:`` and ``Date:`` are not taken for ``case:``), or any keyword wrapped in quotes or
  emphasis (``“answer:”``, ``**Hint:**``). ``answer`` and ``number`` count as keywords here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

HEADER_KEYS = ("id", "title", "pass", "shuffle")
QUESTION_KEYS = ("id", "points", "hint", "explain", "explanation", "correct", "incorrect",
                 "scoring", "case")
_NEAR_TARGETS = ("id", "title", "pass", "shuffle", "points", "hint", "explain", "explanation",
                 "correct", "incorrect", "scoring", "case", "answer", "number")

_LEAD = re.compile(r"[\s\u200b\u2060\ufeff]*")
_QUESTION = re.compile(r"[Qq]([0-9]*):(.*)\Z")
_OPTION = re.compile(
    r"(?:[-*+]\s+)?(\((?:[ \u00a0]|[xX])?\)|\[(?:[ \u00a0]|[xX])?\])(?:\s+(.*))?\Z")
_BAD_OPTION = re.compile(r"(\(.[\ufe0e\ufe0f]?\)|\[.[\ufe0e\ufe0f]?\])(?:\s|\Z)")
_FEEDBACK = re.compile(r">[ ]?(.*)\Z")
_REJECTED = re.compile(r"not=(.*)\Z", re.IGNORECASE)
_ACCEPTED = re.compile(r"=(.*)\Z")
_ANSWER = re.compile(r"answer:(.*)\Z", re.IGNORECASE)
_NUMBER = re.compile(r"number:(.*)\Z", re.IGNORECASE)
_KEYWORD = re.compile(r"(" + "|".join(sorted(set(HEADER_KEYS + QUESTION_KEYS))) + r"):(.*)\Z",
                      re.IGNORECASE)
_WORD_COLON = re.compile(r"[A-Za-z][A-Za-z0-9_-]*:")
_QUOTES = "\"'`*_\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e"
_NEAR = re.compile(rf"([{_QUOTES}]*)([^\W\d_]+)([{_QUOTES}]*):([{_QUOTES}]*)")
FENCE = re.compile(r"(`{3,}|~{3,})")


@dataclass(frozen=True)
class QuizLine:
    """One classified content line of a quiz block.

    ``kind`` is one of: blank, comment, question, option, bad_option, feedback, rejected,
    accepted, answer, number, keyword, text. ``raw`` is the line with its indentation kept
    (NBSP turned into spaces, trailing whitespace dropped; for a ``\\`` line, the backslash
    removed). ``rest`` is the text after the marker, stripped (feedback keeps inner spacing).
    ``key`` is the canonical keyword (``explanation`` -> ``explain``) or the option marker;
    ``written`` is the keyword or marker as the author wrote it.
    """

    kind: str
    line: int
    col: int
    raw: str
    rest: str = ""
    key: str = ""
    written: str = ""
    correct: bool = False
    many: bool = False
    literal: bool = False


def _tidy(content: str) -> tuple[str, int]:
    """The line with NBSP/zero-width indentation normalised, and the indentation width."""
    content = content.rstrip()
    lead = content[: len(content) - len(_LEAD.sub("", content, count=1))]
    indent = "".join("\t" if c == "\t" else " " for c in lead if c not in "\u200b\u2060\ufeff")
    return indent + content[len(lead):], len(indent)


def classify(content: str, line: int, col: int) -> QuizLine:
    """Classify one content line (container prefixes already removed) by the spec's grammar."""
    raw, indent = _tidy(content)
    body = raw[indent:]
    if not body:
        return QuizLine("blank", line, col, "")
    if body.startswith("\\"):
        return QuizLine("text", line, col, raw[:indent] + body[1:], literal=True)
    if body.startswith("//"):
        return QuizLine("comment", line, col, raw)
    if m := _QUESTION.match(body):
        return QuizLine("question", line, col, raw, m.group(2).strip(), written=m.group(1))
    if m := _OPTION.match(body):
        marker = m.group(1)
        return QuizLine("option", line, col, raw, (m.group(2) or "").strip(), key=marker,
                        written=marker, correct=marker[1] in "xX", many=marker[0] == "[")
    if m := _BAD_OPTION.match(body):
        return QuizLine("bad_option", line, col, raw, written=m.group(1))
    for kind, pattern in (("feedback", _FEEDBACK), ("rejected", _REJECTED),
                          ("accepted", _ACCEPTED), ("answer", _ANSWER), ("number", _NUMBER)):
        if m := pattern.match(body):
            rest = m.group(1) if kind == "feedback" else m.group(1).strip()
            return QuizLine(kind, line, col, raw, rest)
    if m := _KEYWORD.match(body):
        key = m.group(1).lower()
        key = "explain" if key == "explanation" else key
        return QuizLine("keyword", line, col, raw, m.group(2).strip(), key=key,
                        written=m.group(1) + ":")
    return QuizLine("text", line, col, raw)


def word_colon(text: str) -> str | None:
    """``'Note:'`` if the line starts with a ``word:`` (the shape of an unknown setting)."""
    m = _WORD_COLON.match(text.lstrip())
    return m.group() if m else None


def _distance(a: str, b: str) -> int:
    """Optimal-string-alignment edit distance (a swap of neighbours counts as one edit)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def near_keyword(text: str) -> tuple[str, str] | None:
    """``(as written, suggested keyword)`` if a text line looks like a misspelt keyword."""
    m = _NEAR.match(text.lstrip())
    if m is None:
        return None
    word = m.group(2).lower()
    quoted = bool(m.group(1) or m.group(3) or m.group(4))
    if word in _NEAR_TARGETS:
        return (m.group(), word + ":") if quoted else None
    if len(word) < 4 or len(word) > 30:
        return None
    limit = 1 if len(word) == 4 else 2
    best = min(_NEAR_TARGETS, key=lambda key: _distance(word, key))
    if _distance(word, best) > limit:
        return None
    return m.group(), best + ":"


@dataclass(frozen=True)
class NumSpec:
    """A parsed ``number:`` value: the inclusive range and how it was written."""

    min: float
    max: float
    value: float | None
    tolerance: float | None
    tolerance_percent: float | None


_NUM = r"[+-]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)"
_EXACT = re.compile(rf"({_NUM})\Z")
_TOLERANCE = re.compile(rf"({_NUM})\s*(?:\+-|±)\s*({_NUM})\s*(%?)\Z")
_RANGE = re.compile(rf"({_NUM})\s*\.\.\s*({_NUM})\Z")


def _spec(low: Decimal, high: Decimal, value: Decimal | None = None,
          tolerance: Decimal | None = None, percent: Decimal | None = None) -> NumSpec | None:
    """The spec as floats (each the nearest float to the exact decimal); None on overflow."""
    def number(x: Decimal | None) -> float | None:
        return None if x is None else float(x)

    spec = NumSpec(float(low), float(high), number(value), number(tolerance), number(percent))
    return spec if math.isfinite(spec.min) and math.isfinite(spec.max) else None


def _number_problem(rest: str) -> str:
    """Why ``rest`` is not a valid ``number:`` value, as the second half of a Q024 message."""
    if m := re.search(r"[0-9]{1,3}(?:,[0-9]{3})+(?![0-9.,])", rest):
        token = m.group()
        return (f"'{token}' uses a comma to group digits; write numbers without separators, "
                f"e.g. '{token.replace(',', '')}'.")
    if m := re.search(r"(?<![0-9])[0-9]*,[0-9]+", rest):
        token = m.group()
        return f"'{token}' uses a comma; use a dot for decimals, e.g. '{token.replace(',', '.')}'."
    if m := re.search(r"[0-9]{1,3}(?: [0-9]{3})+(?![0-9])", rest):
        token = m.group()
        return (f"'{token}' uses spaces to group digits; write it without separators, "
                f"e.g. '{token.replace(' ', '')}'.")
    if m := re.search(r"(?<![0-9.])[0-9.]+[eE][+-]?[0-9]+", rest):
        token = m.group()
        try:
            plain = Decimal(token)
            example = format(plain, "f") if abs(plain.adjusted()) <= 30 else None
        except InvalidOperation:
            example = None
        hint = f", e.g. '{example}'" if example else ""
        return f"'{token}' uses an exponent; write the number out in full{hint}."
    return (f"'{rest}' is not a number. Write an exact number ('20'), a tolerance ('20 +- 2' "
            "or '20 +- 10%') or a range ('18..22'), with a dot for decimals.")


def parse_numspec(rest: str) -> tuple[NumSpec | None, str | None, bool]:
    """Parse a ``number:`` value: (spec, Q024 problem or None, warn-percent-of-zero)."""
    too_large = f"'{rest}' is too large to use."
    if m := _EXACT.match(rest):
        value = Decimal(m.group(1))
        spec = _spec(value, value, value, Decimal(0))
        return spec, None if spec else too_large, False
    if m := _TOLERANCE.match(rest):
        value, tolerance, percent = Decimal(m.group(1)), Decimal(m.group(2)), m.group(3) == "%"
        if tolerance < 0:
            plain = m.group(2).lstrip("+-")
            return None, (f"the tolerance '{m.group(2)}' is negative; a tolerance counts both "
                          f"ways, e.g. '{m.group(1)} +- {plain}{m.group(3)}'."), False
        absolute = abs(value) * tolerance / 100 if percent else tolerance
        spec = _spec(value - absolute, value + absolute, value, absolute,
                     tolerance if percent and tolerance else None)
        return spec, None if spec else too_large, percent and value == 0 and tolerance != 0
    if m := _RANGE.match(rest):
        low, high = Decimal(m.group(1)), Decimal(m.group(2))
        if low > high:
            return None, (f"the range '{m.group(1)}..{m.group(2)}' is reversed; write the "
                          f"smaller number first, e.g. '{m.group(2)}..{m.group(1)}'."), False
        spec = _spec(low, high)
        return spec, None if spec else too_large, False
    return None, _number_problem(rest), False
