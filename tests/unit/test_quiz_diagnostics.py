"""Every error and warning code of the quiz format, each triggered on its own, with its line.

The table at the top pairs a small quiz with the diagnostic it must produce (code, file line
and, where QUIZ_FORMAT.md gives a template, the exact message). The spec's own
``module-broken.md`` example is reproduced line for line at the bottom.
"""

from __future__ import annotations

import pytest

from lms.content.quiz import parse_markdown

HEADER = "id: t\npass: 50%\n"
OK = "Q: Fine question\n(x) yes\n( ) no\n"


def doc(body: str, header: str = HEADER, fence: str = "```") -> str:
    """A quiz block: the fence is line 1, the default header lines 2-3, the body from line 4."""
    return f"{fence}quiz\n{header}{body}{fence}\n"


def diagnostics(source: str, path: str = "m.md") -> list:
    return list(parse_markdown(source, path).diagnostics)


def only(source: str, code: str) -> list:
    return [d for d in diagnostics(source) if d.code == code]


# (id, source, code, line, exact message or None)
CASES = [
    ("Q001", "text\n\n```quiz\nid: t\npass: 50%\n" + OK, "Q001", 3,
     "The quiz block opened here is never closed. Add a line with ``` after the last "
     "question."),
    ("Q001-tilde", "~~~~quiz\nid: t\n" + OK, "Q001", 1,
     "The quiz block opened here is never closed. Add a line with ~~~~ after the last "
     "question."),
    ("Q002", doc(OK, "id: t\npassmark: 80%\npass: 50%\n"), "Q002", 3,
     "Unknown setting 'passmark:'. Settings before the first question are: id, title, pass, "
     "shuffle."),
    ("Q002-question-key", doc(OK, "id: t\npass: 50%\npoints: 2\n"), "Q002", 4,
     "Unknown setting 'points:'. Settings before the first question are: id, title, pass, "
     "shuffle."),
    ("Q003-pass", doc(OK, "id: t\npass: 8\n"), "Q003", 3,
     "'pass:' must be a percentage from 0% to 100%, e.g. 'pass: 80%' (got '8')."),
    ("Q003-pass-over-100", doc(OK, "id: t\npass: 120%\n"), "Q003", 3, None),
    ("Q003-shuffle", doc(OK, "id: t\npass: 50%\nshuffle: maybe\n"), "Q003", 4,
     "'shuffle:' must be yes or no (got 'maybe')."),
    ("Q004", doc(OK, "id: t\npass: 50%\nWelcome to the quiz!\n"), "Q004", 4,
     "This line is not a setting and no question has started yet. Start the first question "
     "with 'Q:', or put introductory text above the ```quiz line."),
    ("Q004-option", doc(OK, "id: t\npass: 50%\n(x) early\n"), "Q004", 4, None),
    ("Q005-quiz", doc(OK, "id: data protection\npass: 50%\n"), "Q005", 2,
     "The quiz id 'data protection' may only use letters, digits, '-' and '_' (no spaces)."),
    ("Q005-question", doc("Q: x\nid: café\n(x) a\n( ) b\n"), "Q005", 5,
     "The question id 'café' may only use letters, digits, '-' and '_' (plain ASCII, "
     "starting with a letter or digit)."),
    ("Q006", doc(""), "Q006", 1,
     "This quiz block has no questions (each question starts with 'Q:')."),
    ("Q010", doc("Q: A role-play\nVoter: who are you?\n" + OK), "Q010", 4,
     "Question 1 has no answers. Add options like '(x) …' and '( ) …', or an answer line "
     "such as '= …', 'answer: true' or 'number: …'. (If the next 'Q:' line is part of this "
     "question's text, write it as '\\Q:'.)"),
    ("Q011", doc("Q: x\n[x] a\n( ) b\n"), "Q011", 4,
     "Question 1 mixes answer kinds: pick-several options [ ] (line 5), pick-one options "
     "( ) (line 6). Use one kind per question."),
    ("Q011-typed", doc("Q: x\n= a\nnumber: 3\n"), "Q011", 4,
     "Question 1 mixes answer kinds: typed answers '=' / 'not=' (line 5), 'number:' answers "
     "(line 6). Use one kind per question."),
    ("Q012", doc(OK + "Q: x\n( ) a\n( ) b\n"), "Q012", 7,
     "Question 2 has no correct option. Mark the right answer with (x)."),
    ("Q012-many", doc("Q: x\n[ ] a\n[ ] b\n"), "Q012", 4,
     "Question 1 has no correct option. Mark the right answers with [x]."),
    ("Q013", doc("Q: x\n(x) a\n(x) b\n( ) c\n"), "Q013", 6,
     "Question 1 has 2 options marked (x) (lines 5 and 6), but ( ) options mean 'pick one'. "
     "Use [x] and [ ] if learners should pick several."),
    ("Q014", doc(OK + OK + "Q: x\n(x) a\n"), "Q014", 10,
     "Question 3 needs at least 2 options (found 1)."),
    ("Q015", doc("Q: x\nnot= a\n"), "Q015", 4,
     "Question 1 has only 'not=' lines; add at least one accepted answer with '= …'."),
    ("Q016", doc("Q: app?\n= DoorLog\nnot= Doorlog\n"), "Q016", 6,
     "'not= Doorlog' (line 6) is the same answer as '= DoorLog' (line 5) once case and "
     "spacing are ignored."),
    ("Q017-option", doc("Q: x\n(x)\n( ) b\n"), "Q017", 5,
     "This option has no text after its marker."),
    ("Q017-answer", doc("Q: x\n= a\n=\n"), "Q017", 6, "This answer has no text after '='."),
    ("Q017-number", doc("Q: x\nnumber:\n"), "Q017", 5, None),
    ("Q020-stem", doc("Q: x\n> a quote\n(x) a\n( ) b\n"), "Q020", 5,
     "'>' feedback must come right after an answer line, but it follows the question text. "
     "To quote text inside the question, write '\\>' at the start of the line."),
    ("Q020-answer", doc("Q: x\nanswer: true\n> yes\n"), "Q020", 6, None),
    ("Q020-explain", doc("Q: x\n(x) a\n( ) b\nexplain: because\n> fb\n"), "Q020", 8, None),
    ("Q021", doc("Q: x\n(x) a\nmore text\n( ) b\n"), "Q021", 6,
     "Unexpected text after an answer. Continue with another answer, '> feedback', "
     "'explain: ...', or start the next question with 'Q:'. (To keep this line as text, it "
     "must come before the first answer.)"),
    ("Q021-keyword", doc("Q: x\npoints: 2\nmore question text\n(x) a\n( ) b\n"), "Q021", 6,
     None),
    ("Q022", doc("Q: x\n(x) a\n[o] b\n( ) c\n"), "Q022", 6,
     "'[o]' is not an option marker. Use (x) / ( ) for pick-one, [x] / [ ] for "
     "pick-several. To start a text line with brackets, write '\\[o]'."),
    ("Q023", doc("Q: x\nanswer: no\n"), "Q023", 5,
     "'answer:' must be true or false (got 'no'). For a typed answer write '= no'; for a "
     "number write 'number: no'."),
    ("Q024", doc("Q: x\nnumber: 1,5\n"), "Q024", 5,
     "In 'number: 1,5': '1,5' uses a comma; use a dot for decimals, e.g. '1.5'."),
    ("Q024-reversed", doc("Q: x\nnumber: 30..10\n"), "Q024", 5,
     "In 'number: 30..10': the range '30..10' is reversed; write the smaller number first, "
     "e.g. '10..30'."),
    ("Q024-negative-tolerance", doc("Q: x\nnumber: 5 +- -1\n"), "Q024", 5,
     "In 'number: 5 +- -1': the tolerance '-1' is negative; a tolerance counts both ways, "
     "e.g. '5 +- 1'."),
    ("Q025", doc("Q: x\n(x) a\n( ) b\nexplaination: because\n"), "Q025", 7,
     "Unknown keyword 'explaination:'; did you mean 'explanation:'? (If this line is meant "
     "as plain text, start it with a backslash.)"),
    ("Q025-setting-in-question", doc("Q: x\n(x) a\n( ) b\npass: 80%\n"), "Q025", 7, None),
    ("Q026", doc("Q: x\nexplain: too early\n(x) a\n( ) b\n"), "Q026", 5,
     "'explain:' appears before any answer. If this line is part of the question text, write "
     "'\\explain:' instead."),
    ("Q027", doc("Q: x\n(x) a\n( ) b\nexplain: one\nexplain: two\n"), "Q027", 8,
     "Question 1 already has 'explain:' (line 7); merge them into one."),
    ("Q027-answer", doc("Q: x\nanswer: true\nanswer: false\n"), "Q027", 6, None),
    ("Q027-header", doc(OK, "id: t\nid: u\npass: 50%\n"), "Q027", 3, None),
    ("Q028", doc("Q: x\npoints: 0\n(x) a\n( ) b\n"), "Q028", 5,
     "'points:' must be a positive number (got '0')."),
    ("Q028-negative", doc("Q: x\npoints: -1\n(x) a\n( ) b\n"), "Q028", 5, None),
    ("Q029", doc("Q: x\n(x) a\n( ) b\nscoring: partial\n"), "Q029", 7,
     "'scoring:' only applies to [ ] / [x] (multiple-select) questions."),
    ("Q029-case", doc("Q: x\nnumber: 4\ncase: sensitive\n"), "Q029", 6, None),
    ("Q029-value", doc("Q: x\n[x] a\n[ ] b\nscoring: half\n"), "Q029", 7, None),
    ("Q030", doc("Q: x\nid: reply\n(x) a\n( ) b\nQ: y\nid: reply\n(x) a\n( ) b\n"), "Q030", 9,
     "Question id 'reply' is already used on line 5."),
    ("Q030-same-text", doc(OK + OK), "Q030", 7, None),
]

WARNINGS = [
    ("W101", doc(OK, "id: t\n"), "W101", 1,
     "No 'pass:' setting; this quiz will be treated as practice (not graded)."),
    ("W102", "Intro\n\n```quiz\npass: 50%\n" + OK + "```\n", "W102", 3,
     "No 'id:' setting; results are tracked as block #1 of this file and reset if the file "
     "is renamed."),
    ("W103-pass", doc(OK, "id: t\npass: 0%\n"), "W103", 3, None),
    ("W103-zero-percent", doc("Q: x\nnumber: 0 +- 10%\n"), "W103", 5, None),
    ("W104", doc(OK + OK.replace("Fine", "Other") + "Q: x\n[x] a\n[x] b\n"), "W104", 10,
     "Every option in question 3 is marked correct."),
    ("W105", doc("Q: x\n(x) a\n( ) b\n( ) B\n"), "W105", 7, "Same option text as line 6."),
    ("W105-answer", doc("Q: x\n= Door Log\n=  door log.\n"), "W105", 6, "Same answer as line 5."),
    ("W106", doc("Q: x\nExplaination: read as text\n(x) a\n( ) b\n"), "W106", 5,
     "'Explaination:' is read as question text; did you mean 'explanation:'?"),
]


@pytest.mark.parametrize(("source", "code", "line", "message"),
                         [pytest.param(*case[1:], id=case[0]) for case in CASES])
def test_error_code(source: str, code: str, line: int, message: str | None) -> None:
    found = only(source, code)
    assert [(d.line, d.severity) for d in found] == [(line, "error")], diagnostics(source)
    if message is not None:
        assert found[0].message == message
    blocks = [s for s in parse_markdown(source, "m.md").segments if not isinstance(s, str)]
    assert blocks and blocks[0].quiz is None


@pytest.mark.parametrize(("source", "code", "line", "message"),
                         [pytest.param(*case[1:], id=case[0]) for case in WARNINGS])
def test_warning_code(source: str, code: str, line: int, message: str | None) -> None:
    found = only(source, code)
    assert [(d.line, d.severity) for d in found] == [(line, "warning")], diagnostics(source)
    if message is not None:
        assert found[0].message == message
    assert not any(d.is_error for d in diagnostics(source)), diagnostics(source)
    blocks = [s for s in parse_markdown(source, "m.md").segments if not isinstance(s, str)]
    assert blocks[0].quiz is not None


def test_catalogue_is_covered() -> None:
    codes = {case[2] for case in CASES + WARNINGS}
    expected = {f"Q{n:03d}" for n in (1, 2, 3, 4, 5, 6, 10, 11, 12, 13, 14, 15, 16, 17,
                                      20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30)}
    expected |= {"W101", "W102", "W103", "W104", "W105", "W106"}
    assert codes == expected


def test_str_format_and_file_lines() -> None:
    source = "line one\nline two\n" + doc("Q: x\nanswer: maybe\n")
    found = parse_markdown(source, "courses/a/m.md", first_line=5).diagnostics
    q023 = [d for d in found if d.code == "Q023"][0]
    assert q023.line == 5 + 2 + 4  # first_line, two prose lines, then block line 5
    assert str(q023).startswith("courses/a/m.md:11:1: error Q023: 'answer:' must be")


def test_diagnostics_sorted_and_all_collected() -> None:
    source = doc("Q: x\n(x) a\n(x) b\n\nQ: y\n[o] z\nanswer: yes\n", "id: a b\npass: 8\n")
    found = diagnostics(source)
    assert [(d.line, d.code) for d in found] == sorted((d.line, d.code) for d in found)
    assert {d.code for d in found} >= {"Q005", "Q003", "Q013", "Q022", "Q023"}


def test_columns_count_characters() -> None:
    source = "- é item\n\n  ```quiz\n  id: t\n  pass: 50%\n  Q: x\n  (x) a\n  [o] b\n  ```\n"
    q022 = only(source, "Q022")[0]
    assert (q022.line, q022.col) == (8, 3)
    quoted = "> ```quiz\n> id: t\n> pass: 50%\n> Q: x\n>   (x) ä\n>   [ö] b\n> ```\n"
    assert [(d.line, d.col) for d in only(quoted, "Q022")] == [(6, 5)]


@pytest.mark.parametrize("value", ["yes", "no", "T", "F", "1", "0", ""])
def test_q023_true_false_values(value: str) -> None:
    found = only(doc(f"Q: x\nanswer: {value}\n"), "Q023")
    assert [d.line for d in found] == [5]
    assert f"(got '{value}')" in found[0].message


@pytest.mark.parametrize(("value", "message"), [
    ("1,5", "'1,5' uses a comma; use a dot for decimals, e.g. '1.5'."),
    ("1,000", "'1,000' uses a comma to group digits; write numbers without separators, "
              "e.g. '1000'."),
    ("1 000", "'1 000' uses spaces to group digits; write it without separators, e.g. '1000'."),
    ("1e3", "'1e3' uses an exponent; write the number out in full, e.g. '1000'."),
    ("-5..-9", "the range '-5..-9' is reversed; write the smaller number first, e.g. "
               "'-9..-5'."),
    ("20 +- -10%", "the tolerance '-10' is negative; a tolerance counts both ways, e.g. "
                   "'20 +- 10%'."),
    ("twenty", "'twenty' is not a number. Write an exact number ('20'), a tolerance ('20 +- 2' "
               "or '20 +- 10%') or a range ('18..22'), with a dot for decimals."),
    ("1" + "0" * 400, "'1" + "0" * 400 + "' is too large to use."),
])
def test_q024_number_problems(value: str, message: str) -> None:
    found = only(doc(f"Q: x\nnumber: {value}\n"), "Q024")
    assert [(d.line, d.message) for d in found] == [(5, f"In 'number: {value}': {message}")]


@pytest.mark.parametrize("marker", ["(o)", "(a)", "[*]", "[v]", "(✓)", "(✔️)"])
def test_q022_near_miss_markers(marker: str) -> None:
    found = only(doc(f"Q: x\n(x) a\n( ) b\n{marker} c\n"), "Q022")
    assert [d.line for d in found] == [7]
    assert found[0].message.startswith(f"'{marker}' is not an option marker.")


@pytest.mark.parametrize(("key", "written"), [("explain", "explain:"), ("correct", "Correct:"),
                                              ("incorrect", "INCORRECT:")])
def test_q026_text_keywords_before_answers(key: str, written: str) -> None:
    found = only(doc(f"Q: x\n{written} early\n(x) a\n( ) b\n"), "Q026")
    assert [d.line for d in found] == [5]
    assert f"write '\\{written}' instead" in found[0].message


def test_q030_derived_id_collision_message() -> None:
    found = only(doc("Q: Same words\n(x) a\n( ) b\nQ: same   WORDS\n(x) a\n( ) b\n"), "Q030")
    assert [d.line for d in found] == [7]
    assert "same text as the question on line 4" in found[0].message


def test_q030_pinned_id_against_derived_id() -> None:
    first = parse_markdown(doc(OK), "m.md").quizzes[0].questions[0].id
    found = only(doc(OK + f"Q: Other\nid: {first}\n(x) a\n( ) b\n"), "Q030")
    assert [d.line for d in found] == [8]


def test_one_mistake_gives_one_error() -> None:
    source = doc("Q: x\n(x) a\n( ) b\nexplain: one\nexplain: two\nstill two\n\nmore two\n"
                 "Q: y\n> quote line 1\n> quote line 2\nanswer: true\n")
    assert [(d.code, d.line) for d in diagnostics(source)] == [("Q027", 8), ("Q020", 13)]


def test_misspelt_keyword_swallows_its_continuation() -> None:
    source = doc("Q: x\n(x) a\n( ) b\nexplaination: one\nstill the same\n")
    assert [(d.code, d.line) for d in diagnostics(source)] == [("Q025", 7)]


def test_q004_reported_once_per_run_of_lines() -> None:
    source = doc(OK, "id: t\npass: 50%\nWelcome!\nThis quiz has three parts.\n\nReally.\n")
    assert [d.line for d in only(source, "Q004")] == [4, 7]


MODULE_BROKEN = """\
# A deliberately broken module

```quiz
id: data protection
passmark: 80%
pass: 8

Q: Someone opens the door. What do you say first?
(x) Say your name
(x) Say you're a volunteer
( ) Ask how they vote

// Each question below has one mistake.
Q: Which of these are personal data? Select all that apply.
[x] A voter's phone number
( ) The date of election day
[o] The library's opening hours

Q: A smile and a nod mean you may post a photo of the voter.
answer: no

Q: Which app do we use at the door? A volunteer once told us:
I can never remember its name:
> Is it PhoneLog or DoorLog?
= DoorLog

Q: How many doors per hour is 60 doors in a 3-hour shift?
number: 1,5
number: 30..10
Remember to show your working.

Q: What do you do when nobody is home?
( ) Knock again and again
(x) Log "not home" and move on

explaination: Logging it means nobody gets visited twice.
```
"""

MODULE_BROKEN_OUTPUT = """\
module-broken.md:4:1: error Q005: The quiz id 'data protection' may only use letters, digits, '-' and '_' (no spaces).
module-broken.md:5:1: error Q002: Unknown setting 'passmark:'. Settings before the first question are: id, title, pass, shuffle.
module-broken.md:6:1: error Q003: 'pass:' must be a percentage from 0% to 100%, e.g. 'pass: 80%' (got '8').
module-broken.md:10:1: error Q013: Question 1 has 2 options marked (x) (lines 9 and 10), but ( ) options mean 'pick one'. Use [x] and [ ] if learners should pick several.
module-broken.md:14:1: error Q011: Question 2 mixes answer kinds: pick-several options [ ] (line 15), pick-one options ( ) (line 16). Use one kind per question.
module-broken.md:17:1: error Q022: '[o]' is not an option marker. Use (x) / ( ) for pick-one, [x] / [ ] for pick-several. To start a text line with brackets, write '\\[o]'.
module-broken.md:20:1: error Q023: 'answer:' must be true or false (got 'no'). For a typed answer write '= no'; for a number write 'number: no'.
module-broken.md:24:1: error Q020: '>' feedback must come right after an answer line, but it follows the question text. To quote text inside the question, write '\\>' at the start of the line.
module-broken.md:28:1: error Q024: In 'number: 1,5': '1,5' uses a comma; use a dot for decimals, e.g. '1.5'.
module-broken.md:29:1: error Q024: In 'number: 30..10': the range '30..10' is reversed; write the smaller number first, e.g. '10..30'.
module-broken.md:30:1: error Q021: Unexpected text after an answer. Continue with another answer, '> feedback', 'explain: ...', or start the next question with 'Q:'. (To keep this line as text, it must come before the first answer.)
module-broken.md:36:1: error Q025: Unknown keyword 'explaination:'; did you mean 'explanation:'? (If this line is meant as plain text, start it with a backslash.)
"""  # noqa: E501  (the spec's output, verbatim)


def test_module_broken_matches_the_spec_output() -> None:
    parsed = parse_markdown(MODULE_BROKEN, "module-broken.md")
    assert "".join(f"{d}\n" for d in parsed.diagnostics) == MODULE_BROKEN_OUTPUT
    assert [s.quiz for s in parsed.segments if not isinstance(s, str)] == [None]
