"""The "Edge cases the parser must handle" list of QUIZ_FORMAT.md, one test (or table) each."""

from __future__ import annotations

import pytest

from lms.content.quiz import parse_markdown

HEADER = "id: t\npass: 50%\n"


def parse(source: str, path: str = "m.md", **kwargs):
    return parse_markdown(source, path, **kwargs)


def quiz_of(body: str, header: str = HEADER, fence: str = "```"):
    """Parse one block (fence line 1, header 2-3, body from line 4); require no errors."""
    parsed = parse(f"{fence}quiz\n{header}{body}{fence}\n")
    errors = [d for d in parsed.diagnostics if d.is_error]
    assert errors == [], errors
    return parsed.quizzes[0]


def codes(body: str, header: str = HEADER) -> list[tuple[str, int]]:
    parsed = parse(f"```quiz\n{header}{body}```\n")
    return [(d.code, d.line) for d in parsed.diagnostics]


# -- finding quiz blocks -------------------------------------------------------------------

def test_fence_in_list_item() -> None:
    source = "1. Read this.\n2. Then answer:\n\n   ```quiz\n   id: t\n   pass: 50%\n" \
             "   Q: x\n     - (x) a\n     - ( ) b\n   ```\n3. Done.\n"
    parsed = parse(source)
    assert parsed.diagnostics == ()
    quiz = parsed.quizzes[0]
    assert quiz.line == 4 and quiz.questions[0].options[1].line == 9
    assert parsed.segments[0] == "1. Read this.\n2. Then answer:\n\n"
    assert parsed.segments[2] == "3. Done.\n"


def test_fence_in_block_quote() -> None:
    source = "> Quoted intro\n>\n> ```quiz\n> id: t\n> pass: 50%\n> Q: x\n> (x) a\n> ( ) b\n> ```\n"
    quiz = parse(source).quizzes[0]
    assert (quiz.line, quiz.questions[0].line, quiz.questions[0].options[0].text) == (3, 6, "a")


def test_unclosed_fence_in_block_quote_ends_with_the_quote() -> None:
    source = "> ```quiz\n> id: t\n> Q: x\n> answer: true\n\nAfter the quote.\n"
    parsed = parse(source)
    assert [(d.code, d.line) for d in parsed.diagnostics if d.is_error] == [("Q001", 1)]
    assert parsed.segments[-1] == "\nAfter the quote.\n"


@pytest.mark.parametrize("fence", ["~~~", "````", "~~~~~"])
def test_tilde_and_longer_fences_hold_code_samples(fence: str) -> None:
    body = ("Q: What does this print?\n```python\nprint('= not an answer')\n"
            "(x) not an option\n```\n( ) nothing\n(x) = not an answer\n")
    question = quiz_of(body, fence=fence).questions[0]
    assert question.stem == ("What does this print?\n```python\nprint('= not an answer')\n"
                             "(x) not an option\n```")
    assert [o.text for o in question.options] == ["nothing", "= not an answer"]


def test_fence_indented_three_spaces_but_not_four() -> None:
    three = "   ```quiz\n   id: t\n   pass: 50%\n   Q: x\n   answer: true\n   ```\n"
    assert parse(three).quizzes[0].questions[0].answers is True
    four = "para\n\n    ```quiz\n    Q: x\n    ```\n"
    assert parse(four).segments == (four,)


@pytest.mark.parametrize("info", ["quiz", "Quiz", "QUIZ", "quiz {#intro}", "quiz  title=x"])
def test_info_string_case_and_trailing_text(info: str) -> None:
    parsed = parse(f"```{info}\nid: t\npass: 50%\nQ: x\nanswer: false\n```\n")
    assert parsed.diagnostics == ()
    assert len(parsed.quizzes) == 1


@pytest.mark.parametrize("info", ["quizz", "python", "", "{quiz}", "quiz-1"])
def test_other_info_strings_are_not_quizzes(info: str) -> None:
    text = f"```{info}\nQ: x\n```\n"
    assert parse(text).segments == (text,)


def test_quiz_shown_inside_a_longer_markdown_fence_is_not_a_quiz() -> None:
    text = "````markdown\n```quiz\nQ: x\n```\n````\n"
    assert parse(text).segments == (text,)
    assert parse(text).diagnostics == ()


def test_html_comment_outside_the_fence_is_ignored() -> None:
    text = "<!--\n```quiz\nQ: x\n```\n-->\n"
    assert parse(text).segments == (text,)


def test_bom_crlf_and_lone_cr() -> None:
    source = ("\ufeffIntro\r\n\r\n```quiz\r\nid: t\rpass: 50%\r\nQ: x\r\n(x) a  \r\n"
              "( ) b\t\r\n```\r\nEnd\r")
    parsed = parse(source)
    assert parsed.diagnostics == ()
    quiz = parsed.quizzes[0]
    assert quiz.line == 3 and quiz.questions[0].line == 6
    assert [o.text for o in quiz.questions[0].options] == ["a", "b"]
    assert parsed.segments[0] == "Intro\r\n\r\n" and parsed.segments[2] == "End\r"


def test_lines_are_file_relative_with_first_line() -> None:
    parsed = parse("```quiz\nQ: x\nanswer: maybe\n```\n", first_line=6)
    assert [(d.code, d.line) for d in parsed.diagnostics if d.is_error] == [("Q023", 8)]
    assert parsed.segments[0].line == 6


def test_only_newlines_split_lines() -> None:
    source = "```quiz\nid: t\npass: 5%\nQ: a\u2028b\x0bc\x1cd\nanswer: true\n```\n"
    quiz = parse(source).quizzes[0]
    assert quiz.questions[0].stem == "a\u2028b\x0bc\x1cd"
    assert quiz.questions[0].line == 4


def test_nbsp_tabs_and_zero_width_indentation() -> None:
    body = "Q: x\n\u00a0\u00a0(x) a\n\t( ) b\n\u200b( ) c\n \u00a0 > fb\n"
    options = quiz_of(body).questions[0].options
    assert [(o.text, o.feedback) for o in options] == [("a", None), ("b", None), ("c", "fb")]


# -- markers and answer lines ---------------------------------------------------------------

@pytest.mark.parametrize(("right", "wrong"), [
    ("(x)", "( )"), ("(X)", "()"), ("- (x)", "- ( )"), ("* (X)", "+ ()")])
def test_pick_one_marker_variants(right: str, wrong: str) -> None:
    question = quiz_of(f"Q: x\n{wrong} a\n{right} b\n").questions[0]
    assert question.type == "single_choice"
    assert [o.correct for o in question.options] == [False, True]


@pytest.mark.parametrize(("right", "wrong"), [
    ("[x]", "[ ]"), ("[X]", "[]"), ("- [x]", "- [ ]"), ("* [X]", "+ []")])
def test_pick_several_marker_variants(right: str, wrong: str) -> None:
    question = quiz_of(f"Q: x\n{wrong} a\n{right} b\n").questions[0]
    assert question.type == "multiple_select"


def test_link_at_line_start_is_not_an_option() -> None:
    question = quiz_of("Q: See\n[x](https://example.org) first.\n(x) a\n( ) b\n").questions[0]
    assert question.stem == "See\n[x](https://example.org) first."
    assert codes("Q: x\n(x) a\n( ) b\n[x](https://example.org)\n") == [("Q021", 7)]


@pytest.mark.parametrize("text", ["C#", "50% = half", "{name}", "https://example.org/a?b=c",
                                  "and/or", "🗳️ vote", "![](img.png)", "`code`", "x" * 2000,
                                  "مرحبا بالعالم", "Note: a note"])
def test_option_text_is_free(text: str) -> None:
    options = quiz_of(f"Q: x\n(x) {text}\n( ) other\n").questions[0].options
    assert options[0].text == text


def test_escapes() -> None:
    body = ("Q: Role-play.\n\\Q: Can I come back later?\n\\> I am busy\n\\(a) first\n"
            "\\explain: not a keyword\n\\\\ one backslash\n(x) a\n( ) b\n")
    question = quiz_of(body).questions[0]
    assert question.stem == ("Role-play.\nQ: Can I come back later?\n> I am busy\n(a) first\n"
                             "explain: not a keyword\n\\ one backslash")


def test_q_numbering_and_empty_q_line() -> None:
    quiz = quiz_of("Q12:\nWhat now?\n\nSecond paragraph.\nanswer: true\nq: b\nanswer: false\n")
    assert quiz.questions[0].stem == "What now?\n\nSecond paragraph."
    assert quiz.questions[1].stem == "b"


def test_comments_are_never_shown() -> None:
    question = quiz_of("// author note\nQ: x\n// another\n(x) a\n// and one\n( ) b\n").questions[0]
    assert question.stem == "x" and len(question.options) == 2


def test_question_text_with_markdown_list() -> None:
    question = quiz_of("Q: Which?\n- one\n  - nested\n* two\n1. three\n(x) a\n( ) b\n").questions[0]
    assert question.stem == "Which?\n- one\n  - nested\n* two\n1. three"


@pytest.mark.parametrize("prose", ["Note: read carefully", "Voter: who are you?",
                                   "Tip: smile", "Name: Sam", "Date: today", "Score: 3"])
def test_keyword_like_prose_stays_text(prose: str) -> None:
    parsed = parse(f"```quiz\n{HEADER}Q: Role-play\n{prose}\n(x) a\n( ) b\n```\n")
    assert parsed.diagnostics == ()
    assert parsed.quizzes[0].questions[0].stem == f"Role-play\n{prose}"


def test_hint_and_explain_are_keywords_in_any_case() -> None:
    question = quiz_of("Q: x\nHint: look\n(x) a\n( ) b\nExplain: because\n").questions[0]
    assert question.hints[0][0] == "look" and question.explain == "because"


@pytest.mark.parametrize(("line", "suggestion"), [
    ("Hints: look", "hint:"), ("Explaination: x", "explanation:"), ("Answers: a", "answer:"),
    ("“answer:” true", "answer:"), ("**Hint:** look", "hint:"), ("Ponits: 2", "points:")])
def test_keyword_near_misses(line: str, suggestion: str) -> None:
    in_text = parse(f"```quiz\n{HEADER}Q: x\n{line}\n(x) a\n( ) b\n```\n").diagnostics
    assert [(d.code, d.line) for d in in_text] == [("W106", 5)]
    assert in_text[0].message.endswith(f"did you mean '{suggestion}'?")
    after = codes(f"Q: x\n(x) a\n( ) b\n{line}\n")
    assert after == [("Q025", 7)]


def test_feedback_after_blank_lines_and_across_lines() -> None:
    body = "Q: x\n(x) a\n\n  > first line\n  > second line\n\n  > new paragraph\n( ) b\n"
    option = quiz_of(body).questions[0].options[0]
    assert option.feedback == "first line\nsecond line\n\nnew paragraph"


def test_feedback_on_typed_answers() -> None:
    question = quiz_of("Q: x\n= a\n> good\nnot= b\n> no\n").questions[0]
    assert [(a.text, a.feedback) for a in question.answers] == [("a", "good"), ("b", "no")]


def test_multi_line_fields_keep_paragraph_breaks() -> None:
    body = ("Q: x\nhint: first\nstill first\nhint: second\n(x) a\n( ) b\n"
            "explain: One.\n\nTwo,\n  indented.\ncorrect: Well\ndone.\nincorrect: No.\n\n")
    question = quiz_of(body).questions[0]
    assert [h for h, _ in question.hints] == ["first\nstill first", "second"]
    assert question.explain == "One.\n\nTwo,\n  indented."
    assert question.correct_feedback == "Well\ndone."
    assert question.incorrect_feedback == "No."


def test_keyword_without_space_and_explanation_alias() -> None:
    question = quiz_of("Q: x\nhint:Look left\n(x) a\n( ) b\nEXPLANATION: why\n").questions[0]
    assert question.hints[0][0] == "Look left" and question.explain == "why"


def test_multiple_select_scoring_and_all_correct() -> None:
    question = quiz_of("Q: x\n[x] a\n[ ] b\nSCORING: Partial\n").questions[0]
    assert question.scoring == "partial"
    assert codes("Q: x\n[x] a\n[x] b\n") == [("W104", 4)]
    assert codes("Q: x\n[ ] a\n[ ] b\n") == [("Q012", 4)]


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("TRUE", True),
                                                 ("False", False), ("fAlSe", False)])
def test_true_false_values_any_case(value: str, expected: bool) -> None:
    assert quiz_of(f"Q: x\nanswer: {value}\n").questions[0].answers is expected


def test_short_answer_numbers_stay_text_and_case() -> None:
    question = quiz_of("Q: Which year?\n= 2024\ncase: sensitive\n= DoorLog\n").questions[0]
    assert [(a.text, a.normalised) for a in question.answers] == [
        ("2024", "2024"), ("DoorLog", "DoorLog")]
    assert question.case_sensitive is True


def test_sensitive_case_allows_answers_differing_in_case() -> None:
    question = quiz_of("Q: x\ncase: sensitive\n= DoorLog\nnot= doorlog\n").questions[0]
    assert [a.accepted for a in question.answers] == [True, False]


def test_short_answer_that_normalises_to_nothing() -> None:
    assert codes("Q: x\n= a\n= .\n") == [("Q017", 6)]


# -- numbers in the answer key ---------------------------------------------------------------

@pytest.mark.parametrize(("spec", "expected"), [
    ("20", (20, 20, 20, 0, None)),
    (".5", (0.5, 0.5, 0.5, 0, None)),
    ("-0", (0, 0, 0, 0, None)),
    ("+3", (3, 3, 3, 0, None)),
    ("20 +- 2", (18, 22, 20, 2, None)),
    ("20+-2", (18, 22, 20, 2, None)),
    ("20 ± 2", (18, 22, 20, 2, None)),
    ("20 +- 10%", (18, 22, 20, 2, 10)),
    ("-50 +- 10 %", (-55, -45, -50, 5, 10)),
    ("7 +- 0", (7, 7, 7, 0, None)),
    ("7 +- 0%", (7, 7, 7, 0, None)),
    ("0.3 +- 0.1", (0.2, 0.4, 0.3, 0.1, None)),
    ("-5..-1", (-5, -1, None, None, None)),
    ("1 .. 5", (1, 5, None, None, None)),
    ("2..2", (2, 2, None, None, None)),
])
def test_number_specs(spec: str, expected: tuple) -> None:
    answer = quiz_of(f"Q: x\nnumber: {spec}\n").questions[0].answers[0]
    assert (answer.min, answer.max, answer.value, answer.tolerance,
            answer.tolerance_percent) == expected


def test_plus_minus_zero_is_the_same_as_exact() -> None:
    exact = quiz_of("Q: x\nnumber: 7\n")
    zero = quiz_of("Q: x\nnumber: 7 +- 0\n")
    assert exact.to_dict() == zero.to_dict() and exact.version == zero.version


@pytest.mark.parametrize("spec", ["1,5", "1,000", "1 000", "1e3", "30..10", "5 +- -1", "abc",
                                  "20%", "1..5%", "--3"])
def test_bad_number_specs(spec: str) -> None:
    assert codes(f"Q: x\nnumber: {spec}\n") == [("Q024", 5)]


def test_percent_tolerance_on_zero_warns() -> None:
    assert codes("Q: x\nnumber: 0 +- 10%\n") == [("W103", 5)]


def test_several_number_lines() -> None:
    answers = quiz_of("Q: x\nnumber: 20\n> exact\nnumber: 15..25\n> close\n").questions[0].answers
    assert [(a.min, a.max, a.feedback) for a in answers] == [(20, 20, "exact"),
                                                               (15, 25, "close")]


# -- settings, points and ids -----------------------------------------------------------------

def test_pass_mark_settings() -> None:
    assert codes("Q: x\nanswer: true\n", "id: t\npass: 80\n") == [("Q003", 3)]
    assert codes("Q: x\nanswer: true\n", "id: t\npass: 0%\n") == [("W103", 3)]
    assert quiz_of("Q: x\nanswer: true\n", "id: t\npass: 66.5 %\n").pass_percent == 66.5
    assert quiz_of("Q: x\nanswer: true\n", "id: t\npass: 100%\n").pass_percent == 100


@pytest.mark.parametrize(("value", "ok"), [("2", True), ("1.5", True), ("0.25", True),
                                           ("0", False), ("-1", False), ("0.0", False),
                                           ("two", False), ("", False)])
def test_points(value: str, ok: bool) -> None:
    found = codes(f"Q: x\npoints: {value}\nanswer: true\n")
    assert found == ([] if ok else [("Q028", 5)])


@pytest.mark.parametrize("qid", ["a b", "café", "-lead", "", "id!", "日本"])
def test_bad_question_ids(qid: str) -> None:
    assert codes(f"Q: x\nid: {qid}\nanswer: true\n") == [("Q005", 5)]


def test_good_ids() -> None:
    quiz = quiz_of("Q: x\nid: Reply_2-b\nanswer: true\n", "id: 0day_quiz-1\npass: 1%\n")
    assert (quiz.id, quiz.questions[0].id) == ("0day_quiz-1", "Reply_2-b")


def test_shuffle_values() -> None:
    for value, expected in (("yes", True), ("TRUE", True), ("No", False), ("false", False)):
        header = f"id: t\npass: 5%\nshuffle: {value}\n"
        assert quiz_of("Q: x\nanswer: true\n", header).shuffle is expected


def test_title_is_optional() -> None:
    assert quiz_of("Q: x\nanswer: true\n").title is None
    assert quiz_of("Q: x\nanswer: true\n", "id: t\ntitle: Check: it\n").title == "Check: it"


# -- scripts and pasted characters -------------------------------------------------------------

def test_non_latin_rtl_emoji_and_zero_width() -> None:
    body = ("Q: ما هو اسم التطبيق؟ 🗳️\n= دور\u200cلوج\n"
            "Q: Zero\u200bwidth\n\u200b(x) a\u200b\n( ) b\n")
    quiz = quiz_of(body)
    assert quiz.questions[0].answers[0].text == "دور\u200cلوج"
    assert quiz.questions[1].options[0].text == "a\u200b"


def test_duplicate_option_text_is_compared_loosely() -> None:
    assert codes("Q: x\n(x) Door  Log\n( ) door log\n") == [("W105", 6)]
