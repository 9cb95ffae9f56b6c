"""Moodle's GIFT quirks, reproduced with a warning on the GIFT line; and the questions refused
with an error (the question is skipped)."""

from __future__ import annotations

import pytest

from tests.unit.gift_support import convert, found, message, only, options, questions

# --- Moodle's quirks: reproduced, with a warning on the GIFT line ----------------------------


def test_quirk_equals_inside_option_adds_a_correct_option():
    result = convert("""
        ::Sum::
        Which is wrong? {
        =2+2 is four
        ~1+1=3
        }
    """)
    assert found(result, "G008") == [4]
    assert "'1+1=3'" in message(result, "G008")
    assert found(result, "G023") == [1]  # two fully correct options now
    assert options(only(result)) == [("2+2 is four", True, None), ("1+1", False, None),
                                     ("3", True, None)]


def test_quirk_equals_as_a_marker_after_a_space_is_not_reported():
    result = convert("Capital? {~Lyon =Paris ~Nice}")
    assert result.diagnostics == ()
    assert options(only(result))[1] == ("Paris", True, None)


def test_quirk_hash_inside_answer_starts_feedback():
    result = convert("""
        Which language?
        {
        =C# is the answer
        ~Java
        }
    """)
    assert found(result, "G009") == [3]
    assert options(only(result))[0] == ("C", True, "is the answer")


def test_quirk_hash_at_end_of_answer():
    result = convert("Language? {=F# ~Java}")
    assert found(result, "G009") == [1]
    assert options(only(result))[0] == ("F", True, None)


def test_moodle_export_empty_feedback_hash_is_not_a_quirk():
    result = convert("App? {\n=%100%DoorLog#\n=%100%B#\n}")
    assert found(result, "G009") == []


def test_quirk_tilde_inside_feedback_starts_a_wrong_option():
    result = convert("""
        Greeting? {
        =Hello#Right ~ well done
        ~Go away#No
        }
    """)
    assert found(result, "G010") == [2]
    assert options(only(result)) == [("Hello", True, "Right"), ("well done", False, None),
                                     ("Go away", False, "No")]


def test_quirk_weight_after_equals_stays_in_text():
    result = convert("Pick {=%50%half ~other}")
    assert found(result, "G011") == [1]
    assert options(only(result))[0] == ("%50%half", True, None)


def test_quirk_comment_after_closing_brace_makes_missing_word():
    result = convert("The sky is blue. {T} // easy one")
    assert found(result, "G012") == [1]
    question = only(result)
    assert question.type == "true_false"
    assert question.stem == "The sky is blue. _____ // easy one"


def test_quirk_indentation_in_pre_is_lost():
    result = convert("""
        [html]<p>What does this print?</p><pre>
        for x in range(2):
            print(x)
        </pre>{#1}
    """)
    assert found(result, "G013") == [3]
    assert only(result).stem == "What does this print?\n\n```\nfor x in range(2):\nprint(x)\n```"


def test_quirk_indentation_in_markdown_is_lost():
    result = convert("""
        [markdown]Steps:
        - knock
            - wait
        {T}
    """)
    assert found(result, "G013") == [3]


def test_indentation_of_answers_is_not_reported():
    result = convert("::T::\n    Question?\n    {\n        =a\n        ~b\n    }\n")
    assert found(result, "G013") == []


def test_quirk_line_holding_zero_splits_the_question():
    result = convert("""
        How many doors are left?
        0
        {=none ~some}
    """)
    assert found(result, "G014") == [2]
    assert found(result, "G007") == [1]  # the first half became a description
    assert found(result, "G027") == [3]  # the second half has no text
    assert result.markdown.startswith("How many doors are left?\n\n```quiz\n")
    assert options(only(result)) == [("none", True, None), ("some", False, None)]


def test_quirk_second_brace_block_stays_in_text():
    result = convert("Name {=Ann ~Bob} and {=Cy}.")
    assert found(result, "G015") == [1]
    assert only(result).stem == "Name _____ and {=Cy}."


def test_quirk_category_without_blank_line_swallows_the_next_question():
    result = convert("""
        $CATEGORY: Doorstep
        ::Lost:: Is this imported? {T}

        ::Kept:: And this? {T}
    """)
    assert found(result, "G016") == [2]
    assert (result.imported, result.skipped) == (1, 1)
    assert "title: Doorstep" in result.markdown
    assert [q.id for q in questions(result)] == ["kept"]


def test_quirk_weights_outside_moodles_grade_list():
    result = convert("Pick {~%33.3%A ~%33.3%B ~%33.4%C ~%-33.3%D ~%5%E}")
    assert found(result, "G017") == [1, 1, 1, 1]
    assert "%33.4%" in " ".join(d.message for d in result.diagnostics)
    assert [o.correct for o in only(result).options] == [True, True, True, False, True]


def test_quirk_lower_case_true_is_short_answer():
    result = convert("Is it? {true}")
    assert found(result, "G025") == [1]
    question = only(result)
    assert question.type == "short_text" and [a.text for a in question.answers] == ["true"]


# --- errors: the question is skipped ---------------------------------------------------------


@pytest.mark.parametrize("answer", ["abc", "2,5", "=5 =x", "1..b"])
def test_non_numeric_numerical_answer_is_an_error(answer):
    result = convert(f"A\n\nHow much? {{#{answer}}}\n\nB? {{T}}")
    assert found(result, "G002") == [3]
    assert result.diagnostics[-1].is_error
    assert (result.imported, result.skipped) == (1, 1)
    assert "How much" not in result.markdown


@pytest.mark.parametrize("answer", ["5..1", "5:-1"])
def test_reversed_range_or_negative_tolerance_is_an_error(answer):
    result = convert(f"How much? {{#\n={answer}\n}}")
    assert found(result, "G003") == [2]
    assert (result.imported, result.skipped, result.markdown) == (0, 1, "")


def test_unpaired_braces_are_an_error():
    result = convert("Missing close {=a ~b\n\nStray } here\n\nFine? {T}")
    assert found(result, "G001") == [1, 3]
    assert (result.imported, result.skipped) == (1, 2)


@pytest.mark.parametrize("gift", [
    "One option {~a}",
    "No correct {~a ~b =}",
    "No positive {~%-50%a ~b}",
    "Only partial {=%50%a}",
    "Only partial number {#=%50%5}",
])
def test_questions_without_a_usable_correct_answer_are_errors(gift):
    result = convert(gift)
    assert found(result, "G004") == [1]
    assert (result.imported, result.skipped) == (0, 1)
