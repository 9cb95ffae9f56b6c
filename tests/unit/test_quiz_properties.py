"""Property tests: the parser never raises, and generated quizzes survive a round trip.

``quizzes()`` builds a random quiz structure (every question type, feedback, hints,
multi-line text, settings) together with the model it should parse to; ``serialise`` writes
it in quiz syntax with random but legal layout (marker variants, bullets, NBSP indentation,
keyword case, blank lines, fence kinds, list and block-quote containers, CRLF).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.content.quiz import ResponseError, grade_quiz, parse_markdown
from lms.content.quiz_match import normalise_text
from lms.content.quiz_parse import derive_question_id

SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

CHARS = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
WORDS = st.sampled_from(["DoorLog", "voter", "C#", "50% = half", "{name}", "and/or", "🗳️",
                         "(x)", "[ ]", "> quote", "Q: not a question", "explain: no",
                         "`code`", "مرحبا", "Straße", "it’s", "https://example.org", "=", "\\"])
LINE = st.one_of(WORDS, st.text(CHARS, min_size=1, max_size=24)).filter(
    lambda s: s == s.strip() and s != "")
QUIZ_ID = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,12}", fullmatch=True)


def _number(draw: Any, low: int = -10**6) -> Decimal:
    whole = draw(st.integers(low, 10**6))
    return Decimal(whole).scaleb(-draw(st.integers(0, 3)))


@st.composite
def multiline(draw: Any, max_lines: int = 3) -> list[str]:
    """A first line plus continuation lines, blank lines ("") allowed in the middle."""
    lines = [draw(LINE)]
    for _ in range(draw(st.integers(0, max_lines - 1))):
        if draw(st.booleans()):
            lines.append("")
        lines.append(draw(LINE))
    return lines


@st.composite
def feedback(draw: Any) -> list[str] | None:
    return draw(st.one_of(st.none(), st.lists(LINE, min_size=1, max_size=2)))


@st.composite
def number_answer(draw: Any) -> dict[str, Any]:
    value, kind = _number(draw), draw(st.sampled_from(["exact", "abs", "pct", "range"]))
    if kind == "exact":
        spec, low, high, tol, pct = f"{value}", value, value, Decimal(0), None
    elif kind == "abs":
        tol = abs(_number(draw))
        spec, low, high, pct = f"{value} +- {tol}", value - tol, value + tol, None
    elif kind == "pct":
        pct = Decimal(draw(st.integers(0, 50)))
        tol = abs(value) * pct / 100
        spec, low, high = f"{value} ± {pct}%", value - tol, value + tol
        pct = pct or None
    else:
        low, high = sorted([value, _number(draw)])
        spec, tol, pct = f"{low}..{high}", None, None
    return {"spec": spec, "feedback": draw(feedback()),
            "model": {"min": float(low), "max": float(high),
                      "value": None if kind == "range" else float(value),
                      "tolerance": None if tol is None else float(tol),
                      "tolerance_percent": None if pct is None else float(pct)}}


@st.composite
def answers_for(draw: Any, qtype: str, case_sensitive: bool) -> Any:
    if qtype in ("single_choice", "multiple_select"):
        count = draw(st.integers(2, 5))
        if qtype == "single_choice":
            right = draw(st.integers(0, count - 1))
            flags = [i == right for i in range(count)]
        else:
            flags = draw(st.lists(st.booleans(), min_size=count, max_size=count)
                         .filter(any))
        return [{"text": draw(LINE), "correct": flag, "feedback": draw(feedback())}
                for flag in flags]
    if qtype == "true_false":
        return draw(st.booleans())
    if qtype == "numeric":
        return draw(st.lists(number_answer(), min_size=1, max_size=3))
    texts = draw(st.lists(LINE.filter(lambda s: normalise_text(s, case_sensitive)),
                          min_size=1, max_size=4,
                          unique_by=lambda s: normalise_text(s, case_sensitive)))
    accepted = draw(st.integers(1, len(texts)))
    return [{"text": t, "accepted": i < accepted, "feedback": draw(feedback())}
            for i, t in enumerate(texts)]


@st.composite
def question(draw: Any, number: int, qid: str | None) -> dict[str, Any]:
    qtype = draw(st.sampled_from(["single_choice", "multiple_select", "true_false",
                                  "short_text", "numeric"]))
    case_sensitive = qtype == "short_text" and draw(st.booleans())
    stem = draw(multiline())
    stem[0] = f"{number}. {stem[0]}"
    text_field = st.one_of(st.none(), multiline())
    return {
        "type": qtype, "id": qid, "stem": stem,
        "points": draw(st.sampled_from([None, "1", "2", "0.5", "1.5", "10"])),
        "answers": draw(answers_for(qtype, case_sensitive)),
        "hints": draw(st.lists(multiline(2), max_size=2)),
        "explain": draw(text_field), "correct": draw(text_field),
        "incorrect": draw(text_field),
        "scoring": draw(st.sampled_from([None, "partial", "all-or-nothing"]))
        if qtype == "multiple_select" else None,
        "case": ("sensitive" if case_sensitive else draw(st.sampled_from([None, "insensitive"])))
        if qtype == "short_text" else None,
    }


@st.composite
def quizzes(draw: Any) -> dict[str, Any]:
    count = draw(st.integers(1, 4))
    pinned = draw(st.lists(QUIZ_ID, min_size=count, max_size=count, unique=True))
    ids = [qid if draw(st.booleans()) else None for qid in pinned]
    return {"id": draw(QUIZ_ID), "title": draw(st.one_of(st.none(), LINE)),
            "pass": draw(st.one_of(st.none(), st.integers(0, 100))),
            "shuffle": draw(st.one_of(st.none(), st.booleans())),
            "questions": [draw(question(i + 1, qid)) for i, qid in enumerate(ids)]}


# -- serialising a generated quiz to quiz syntax ---------------------------------------------

class Writer:
    def __init__(self, draw: Any) -> None:
        self.draw = draw
        self.lines: list[str] = []

    def key(self, name: str) -> str:
        return self.draw(st.sampled_from([name, name.capitalize(), name.upper()])) + ":"

    def indent(self) -> str:
        return self.draw(st.sampled_from(["", "  ", "\u00a0", "    "]))

    def gap(self) -> None:
        if self.draw(st.integers(0, 3)) == 0:
            self.lines.append("")

    def text(self, first: str, lines: list[str]) -> None:
        self.lines.append(first + lines[0])
        self.lines.extend("\\" + line if line else "" for line in lines[1:])

    def feedback(self, lines: list[str] | None) -> None:
        """``>`` lines; a blank line before the first is allowed (between them it would be a
        paragraph break)."""
        if lines:
            self.gap()
        for line in lines or ():
            self.lines.append(self.indent() + "> " + line)


def write_question(w: Writer, q: dict[str, Any]) -> None:
    w.text("Q: ", q["stem"])
    if q["id"]:
        w.lines.append(w.key("id") + " " + q["id"])
    if q["points"]:
        w.lines.append(w.key("points") + " " + q["points"])
    for hint in q["hints"]:
        w.text(w.key("hint") + " ", hint)
    for answer in q["answers"] if isinstance(q["answers"], list) else [q["answers"]]:
        w.gap()
        if q["type"] in ("single_choice", "multiple_select"):
            pairs = {"single_choice": (["(x)", "(X)"], ["( )", "()"]),
                     "multiple_select": (["[x]", "[X]"], ["[ ]", "[]"])}[q["type"]]
            marker = w.draw(st.sampled_from(pairs[0] if answer["correct"] else pairs[1]))
            bullet = w.draw(st.sampled_from(["", "- ", "* "]))
            w.lines.append(f"{w.indent()}{bullet}{marker} {answer['text']}")
        elif q["type"] == "true_false":
            w.lines.append(w.key("answer") + " " + w.draw(st.sampled_from(
                [str(answer).lower(), str(answer).upper()])))
            continue
        elif q["type"] == "numeric":
            w.lines.append(f"{w.indent()}{w.key('number')} {answer['spec']}")
        else:
            marker = "= " if answer["accepted"] else w.draw(st.sampled_from(["not= ", "NOT="]))
            w.lines.append(w.indent() + marker + answer["text"])
        w.feedback(answer["feedback"])
    for name in ("scoring", "case"):
        if q[name]:
            w.lines.append(w.key(name) + " " + q[name])
    for name in ("explain", "correct", "incorrect"):
        if q[name]:
            w.gap()
            w.text(w.key(name) + " ", q[name])
    w.gap()


@st.composite
def documents(draw: Any) -> tuple[dict[str, Any], str]:
    quiz = draw(quizzes())
    w = Writer(draw)
    w.lines.append(f"id: {quiz['id']}")
    if quiz["title"] is not None:
        w.lines.append(f"title: {quiz['title']}")
    if quiz["pass"] is not None:
        w.lines.append(f"pass: {quiz['pass']}%")
    if quiz["shuffle"] is not None:
        w.lines.append("shuffle: " + draw(st.sampled_from(
            ["yes", "true"] if quiz["shuffle"] else ["no", "False"])))
    w.gap()
    for q in quiz["questions"]:
        write_question(w, q)
    fence = draw(st.sampled_from(["```", "~~~", "````"]))
    block = [f"{fence}quiz", *w.lines, fence]
    container = draw(st.sampled_from(["", "> ", "- "]))
    if container == "> ":
        block = [f"> {line}" if line else ">" for line in block]
    elif container == "- ":
        block = ["- Intro", ""] + [f"  {line}" if line else "" for line in block]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return quiz, "Some prose." + newline * 2 + newline.join(block) + newline + "After." + newline


# -- the model a generated quiz must parse to -------------------------------------------------

def joined(lines: list[str] | None) -> str | None:
    return None if lines is None else "\n".join(lines)


def expected_question(q: dict[str, Any]) -> dict[str, Any]:
    stem = "\n".join(q["stem"])
    data: dict[str, Any] = {"id": q["id"] or derive_question_id(stem), "type": q["type"],
                            "points": float(q["points"] or 1), "stem": stem}
    if q["type"] in ("single_choice", "multiple_select"):
        data["options"] = [{"text": a["text"], "correct": a["correct"],
                            "feedback": joined(a["feedback"])} for a in q["answers"]]
    elif q["type"] == "true_false":
        data["answers"] = q["answers"]
    elif q["type"] == "numeric":
        data["answers"] = [{**a["model"], "feedback": joined(a["feedback"])}
                           for a in q["answers"]]
    else:
        data["answers"] = [{"text": a["text"], "accepted": a["accepted"],
                            "feedback": joined(a["feedback"])} for a in q["answers"]]
    data["hint"] = [joined(h) for h in q["hints"]]
    data["explain"] = joined(q["explain"])
    data["correct_feedback"] = joined(q["correct"])
    data["incorrect_feedback"] = joined(q["incorrect"])
    if q["type"] == "multiple_select":
        data["scoring"] = q["scoring"] or "all-or-nothing"
    if q["type"] == "short_text":
        data["case"] = q["case"] or "insensitive"
    return data


def without_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_lines(v) for k, v in value.items() if k != "line"}
    if isinstance(value, list):
        return [without_lines(v) for v in value]
    return value


@SETTINGS
@given(documents())
def test_generated_quiz_round_trips(document: tuple[dict[str, Any], str]) -> None:
    spec, source = document
    parsed = parse_markdown(source, "generated.md")
    errors = [str(d) for d in parsed.diagnostics if d.is_error]
    assert errors == [], source
    (quiz,) = parsed.quizzes
    expected = {"id": spec["id"], "title": spec["title"],
                "pass": None if spec["pass"] is None else float(spec["pass"]),
                "shuffle": bool(spec["shuffle"]),
                "questions": [expected_question(q) for q in spec["questions"]]}
    assert without_lines(quiz.to_dict()) == expected, source
    lines = [q.line for q in quiz.questions]
    assert lines == sorted(lines) and lines[0] > quiz.line


# -- never raising -------------------------------------------------------------------------------

FRAGMENTS = st.sampled_from([
    "Q: x", "Q1:", "q:", "(x) a", "( ) b", "()", "[x]", "[ ] c", "[]", "(o) d", "[x](u)", "> fb",
    ">", "= a", "=", "not= a", "NOT=", "answer: true", "answer: maybe", "number: 5",
    "number: 1..2", "number: 3 +- 10%", "number: 0 ± 5%", "number: 1,5", "number: 9..1",
    "id: a", "id: a b", "title: t", "pass: 50%", "pass: 0%", "pass: 8", "shuffle: yes",
    "points: 2", "points: 0", "hint: h", "explain: e", "explanation:", "correct: c",
    "incorrect: i", "scoring: partial", "case: sensitive", "explaination: x", "Hints: h",
    "“answer:” true", "\\Q: x", "// c", "", "  ", "\u00a0(x) a", "~~~", "```", "- (x) a",
    "Note: n", "\u200b", "text",
])


@SETTINGS
@given(st.text())
def test_parser_never_raises_on_any_text(text: str) -> None:
    parsed = parse_markdown(text, "any.md", first_line=3)
    assert all(d.line >= 3 and d.col >= 1 for d in parsed.diagnostics)
    pieces = [s for s in parsed.segments if isinstance(s, str)]
    assert "".join(pieces) in text.removeprefix("\ufeff") or len(pieces) > 1


@SETTINGS
@given(st.text(), st.sampled_from(["```quiz\n", "~~~ Quiz\n", "> ```quiz\n", "- ```quiz\n"]),
       st.booleans())
def test_parser_never_raises_inside_a_quiz_fence(body: str, opener: str, close: bool) -> None:
    source = opener + body + ("\n```\n" if close else "")
    parsed = parse_markdown(source, "any.md")
    assert any(not isinstance(s, str) for s in parsed.segments)


@SETTINGS
@given(st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), max_size=40),
       st.dictionaries(st.text(max_size=12), st.lists(st.text(max_size=6), max_size=3)))
def test_quiz_shaped_noise_never_raises(lines: list[str], answers: dict[str, list[str]]) -> None:
    parsed = parse_markdown("```quiz\n" + "\n".join(lines) + "\n```\n", "noise.md")
    for quiz in parsed.quizzes:
        for candidate in (answers, {q.id: v for q, v in zip(quiz.questions, answers.values(),
                                                             strict=False)}):
            try:
                result = grade_quiz(quiz, candidate)
            except ResponseError:
                continue
            assert all(0 <= r.score <= 1 for r in result.results)
            assert 0 <= result.percent <= 100
