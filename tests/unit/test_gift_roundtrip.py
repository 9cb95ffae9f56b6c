"""GIFT round-trips: what the importer writes, the quiz parser reads with zero errors, for
every supported type and (Hypothesis) any text in any format."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from lms.content.gift import GiftConversion, convert_gift
from lms.content.gift_markdown import TextConverter
from lms.content.gift_parse import GiftText
from lms.content.quiz import parse_markdown
from tests.unit.gift_support import convert, only, options, questions

# --- round-trips through the quiz parser -----------------------------------------------------


def test_every_supported_type_round_trips():
    result = convert("""
        $CATEGORY: Mixed

        ::choice::[html]<p>Pick <b>one</b></p>{=<p>yes</p>#<p>Good.</p> ~<p>no</p>#<p>Bad.</p>}

        ::many:: Pick many {~%50%a#fine ~%50%b ~%-100%c}

        ::truth:: True? {TRUE#Wrong.#Right.}

        ::typed:: Name? {=Ann =Anne =%0%Bob#Not Bob. =%0%*#Try again.}

        ::number:: How many? {#=4:0.5#Yes. =%50%5 ~#Count again.}

        ::blank:: The {=cat ~dog} sat.

        ::explained:: Why? {T####Because.}
    """)
    parsed = questions(result)
    assert [q.type for q in parsed] == ["single_choice", "multiple_select", "true_false",
                                        "short_text", "numeric", "single_choice", "true_false"]
    choice, many, truth, typed, number, blank, explained = parsed
    assert options(choice) == [("yes", True, "Good."), ("no", False, "Bad.")]
    assert choice.stem == "Pick **one**"
    assert options(many) == [("a", True, "fine"), ("b", True, None), ("c", False, None)]
    assert many.scoring == "partial"
    assert (truth.answers, truth.correct_feedback, truth.incorrect_feedback) == (
        True, "Right.", "Wrong.")
    assert [(a.text, a.accepted) for a in typed.answers] == [
        ("Ann", True), ("Anne", True), ("Bob", False)]
    assert typed.incorrect_feedback == "Try again."
    assert [(a.min, a.max, a.feedback) for a in number.answers] == [(3.5, 4.5, "Yes.")]
    assert number.incorrect_feedback == "Count again."
    assert blank.stem == "The _____ sat."
    assert explained.explain == "Because."
    assert [d.code for d in result.diagnostics] == ["G019"]


def _gift_escape(text: str) -> str:
    out = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        out = out.replace(char, "\\" + char)
    return out.replace("\n", "\\n")


_PIECES = st.sampled_from([
    *"Qq:()[]>=\\/-*+#~`{}xX ab1.\t\"\u201c<&;", "not=", "explain:", "answer: ", "```", "~~~",
    "Hint:", "//", "<p>", "</p>", "<br>", "<li>", "<ul>", "</ul>", "<pre>", "</pre>", "&lt;",
    "<b>", "</b>", "<blockquote>", "Q1:", "- (x)", "[x]",
])
_TEXT = st.lists(st.lists(_PIECES, max_size=8).map("".join), min_size=1, max_size=5).map(
    "\n".join)
_QUIET = ("W101", "W105")  # no pass mark; same option text twice


def _noise(result: GiftConversion) -> list[str]:
    doc = parse_markdown(result.markdown, "module.md")
    # a code fence whose info string looks like a keyword ("```hint:") only gets W106
    return [str(d) for d in doc.diagnostics if d.code not in _QUIET
            and not (d.code == "W106" and ("```" in d.message or "~~~" in d.message))]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["[html]", "[plain]", "[moodle]", "[markdown]", ""]), _TEXT, _TEXT, _TEXT)
def test_any_text_in_any_format_round_trips_without_errors(fmt, stem, option, feedback):
    gift = (f"{fmt}Start {_gift_escape(stem)}{{={_gift_escape(option)}x#{_gift_escape(feedback)}"
            f" ~other####{_gift_escape(feedback)}}}")
    result = convert_gift(gift, "p.gift")
    assert _noise(result) == [], result.markdown
    assert len(questions(result)) == 1


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_markdown_stems_survive_quiz_escaping(text):
    result = convert_gift(f"[markdown]Start\\n{_gift_escape(text)}{{T}}", "p.gift")
    assert _noise(result) == [], result.markdown
    stem = only(result).stem
    expected = TextConverter("p.gift", []).block(GiftText(f"Start\n{text}".strip(), "markdown"),
                                                 1)

    def tidy(markdown: str) -> str:
        lines = (re.sub(r"^(`{3,}|~{3,}) +", r"\1", line.strip()) for line in markdown.split("\n"))
        return "\n".join(lines).strip()

    got, want = tidy(stem), tidy(expected)
    # an unclosed code sample gets a closing fence, so it cannot swallow the answers
    assert got == want or (got.startswith(want + "\n") and not got[len(want):].strip(" \n`~"))


_RAW = st.lists(st.sampled_from([
    *"{}~=#:%\\\n -.0123456789abTF*>()[]`<&;/$", "->", "::", "####", "%50%", "%-100%", "[html]",
    "[markdown]", "[plain]", "<p>", "</p>", "$CATEGORY:", "TRUE", "..", "\n\n", "//",
    "@@PLUGINFILE@@/x.png", "<pre>", "</pre>", "  ",
]), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(_RAW)
def test_any_gift_converts_to_quiz_blocks_without_errors(gift):
    result = convert_gift(gift, "f.gift")
    assert len(questions(result)) == result.imported
