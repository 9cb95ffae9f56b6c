"""The Moodle GIFT importer: mapping, HTML to Markdown, Moodle's quirks, and round-trips.

Every GIFT sample here is written for these tests. Round-trips feed the generated Markdown to
the quiz parser and require zero error diagnostics.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.content.gift import GIFT_CODES, GiftConversion, convert_gift, slugify
from lms.content.gift_markdown import TextConverter
from lms.content.gift_parse import GiftText
from lms.content.quiz import parse_markdown

FIXTURES = Path(__file__).parent / "fixtures"


def convert(gift: str, **options: object) -> GiftConversion:
    return convert_gift(textwrap.dedent(gift).lstrip("\n"), "bank.gift", **options)


def found(result: GiftConversion, code: str) -> list[int]:
    """GIFT lines of every diagnostic with this code."""
    return [d.line for d in result.diagnostics if d.code == code]


def message(result: GiftConversion, code: str) -> str:
    return next(d.message for d in result.diagnostics if d.code == code)


def questions(result: GiftConversion) -> list:
    """Parse the generated Markdown; it must have no errors."""
    doc = parse_markdown(result.markdown, "module.md")
    errors = [str(d) for d in doc.diagnostics if d.is_error]
    assert errors == [], result.markdown
    return [q for quiz in doc.quizzes for q in quiz.questions]


def only(result: GiftConversion):
    (question,) = questions(result)
    return question


def options(question) -> list[tuple[str, bool, str | None]]:
    return [(o.text, o.correct, o.feedback) for o in question.options]


# --- the mapping table -----------------------------------------------------------------


def test_single_choice_with_feedback_and_title():
    result = convert("""
        ::Capital::What is the capital of France? {
        =Paris#Right!
        ~Lyon#No, that is Lyon.
        ~Nice
        }
    """)
    assert result.imported == 1 and result.skipped == 0
    assert "// Capital\nQ: What is the capital of France?\nid: capital\n(x) Paris\n" in (
        result.markdown)
    question = only(result)
    assert question.type == "single_choice" and question.id == "capital"
    assert options(question) == [("Paris", True, "Right!"), ("Lyon", False, "No, that is Lyon."),
                                 ("Nice", False, None)]


def test_true_false_with_both_feedbacks_and_general_feedback():
    result = convert("The sun is a star. {TRUE#Look again.#Yes, it is.####Stars shine.}")
    assert "answer: true\nexplain: Stars shine.\ncorrect: Yes, it is.\nincorrect: Look again." in (
        result.markdown)
    question = only(result)
    assert question.type == "true_false" and question.answers is True
    assert question.correct_feedback == "Yes, it is."
    assert question.incorrect_feedback == "Look again."
    assert question.explain == "Stars shine."


def test_false_short_form():
    assert only(convert("Pigs fly. {F}")).answers is False


def test_multiple_answers_with_equal_shares_use_partial_scoring():
    result = convert("Pick the fruits {~%50%Apple ~%50%Pear ~%-100%Carrot}")
    assert "[x] Apple\n[x] Pear\n[ ] Carrot\nscoring: partial" in result.markdown
    assert result.diagnostics == ()
    question = only(result)
    assert question.type == "multiple_select" and question.scoring == "partial"
    assert [o.correct for o in question.options] == [True, True, False]


def test_multiple_answers_with_uneven_weights_or_custom_penalty_warn():
    result = convert("""
        Pick {
        ~%70%A
        ~%30%B
        ~%-40%C
        ~D
        }
    """)
    assert found(result, "G018") == [1, 4]
    assert "70%, 30%" in message(result, "G018")
    assert [o.correct for o in only(result).options] == [True, True, False, False]


def test_multiple_answers_with_thirds():
    result = convert("Pick {~%33.33333%A ~%33.33333%B ~%33.33333%C ~%-33.33333%D}")
    assert result.diagnostics == ()
    assert only(result).scoring == "partial"


def test_short_answer_accepted_rejected_and_catch_all():
    result = convert("""
        Which app records doors? {
        =DoorLog
        =Door Log#Fine too.
        =%0%PhoneLog#That is for the phone bank.
        =%0%*#Ask your organiser.
        }
    """)
    assert ("= DoorLog\n= Door Log\n  > Fine too.\nnot= PhoneLog\n"
            "  > That is for the phone bank.\nincorrect: Ask your organiser.") in result.markdown
    question = only(result)
    assert question.type == "short_text"
    assert [(a.text, a.accepted, a.feedback) for a in question.answers] == [
        ("DoorLog", True, None), ("Door Log", True, "Fine too."),
        ("PhoneLog", False, "That is for the phone bank.")]
    assert question.incorrect_feedback == "Ask your organiser."


def test_short_answer_partial_credit_dropped_or_kept_per_flag():
    gift = "Colour? {=colour =%50%color#US spelling}"
    dropped = convert(gift)
    assert found(dropped, "G019") == [1] and "dropped" in message(dropped, "G019")
    assert [a.text for a in only(dropped).answers] == ["colour"]
    kept = convert(gift, keep_partial=True)
    assert "kept as fully correct" in message(kept, "G019")
    assert [a.text for a in only(kept).answers] == ["colour", "color"]


def test_short_answer_wildcard_warns_and_stays_literal():
    result = convert("Colour? {=colo*r}")
    assert found(result, "G020") == [1]
    assert [a.text for a in only(result).answers] == ["colo*r"]


def test_short_answer_rejected_equal_to_accepted_is_dropped():
    result = convert("Name? {=DoorLog =%0%doorlog.#Typo}")
    assert found(result, "G021") == [1]
    assert "not=" not in result.markdown
    assert [a.text for a in only(result).answers] == ["DoorLog"]


def test_catch_all_with_credit_warns():
    result = convert("Name? {=Ann =*#Anything goes}")
    assert found(result, "G022") == [1]
    assert only(result).incorrect_feedback == "Anything goes"


def test_numerical_forms():
    result = convert("""
        ::exact:: A {#5}

        ::tol:: B {#5:1}

        ::range:: C {#1..5}

        ::zero tol:: D {#5:0}

        ::negative range:: E {#-5..-1}

        ::exponent:: F {#1e3:.5}
    """)
    specs = [line for line in result.markdown.split("\n") if line.startswith("number:")]
    assert specs == ["number: 5", "number: 5 +- 1", "number: 1..5", "number: 5",
                     "number: -5..-1", "number: 1000 +- .5"]
    parsed = questions(result)
    assert [(a.min, a.max) for q in parsed for a in q.answers] == [
        (5, 5), (4, 6), (1, 5), (5, 5), (-5, -1), (999.5, 1000.5)]


def test_numerical_partial_credit_keeps_full_answers_and_catch_all_feedback():
    result = convert("""
        Doors per hour? {#
        =20:0#Exactly.
        =%50%20:5#Close.
        ~#Divide doors by hours.
        }
    """)
    assert found(result, "G019") == [3]
    assert "number: 20\n  > Exactly.\nincorrect: Divide doors by hours." in result.markdown
    question = only(result)
    assert question.type == "numeric" and len(question.answers) == 1
    assert question.incorrect_feedback == "Divide doors by hours."


def test_missing_word_keeps_blank():
    result = convert("The cat {~dog =sat ~ran} on the mat.")
    assert "Q: The cat _____ on the mat." in result.markdown
    assert only(result).stem == "The cat _____ on the mat."


def test_missing_word_in_html_is_not_escaped():
    result = convert("[html]<p>The <b>cat</b> {=sat ~ran} here.</p>")
    assert "Q: The **cat** _____ here." in result.markdown


# --- metadata, categories, descriptions, ids -------------------------------------------------


def test_categories_make_one_block_each_with_id_and_title():
    result = convert("""
        $CATEGORY: $course$/top/Default for Training/Doorstep

        First? {=a ~b}

        $CATEGORY: $course$/top/Default for Training/Phones

        Second? {T}
    """, quiz_id_prefix="imported")
    md = result.markdown
    assert md.count("```quiz") == 2
    assert "```quiz\nid: imported-doorstep\ntitle: Doorstep\n" in md
    assert "```quiz\nid: imported-phones\ntitle: Phones\n" in md
    doc = parse_markdown(md, "module.md")
    assert [(q.id, q.title) for q in doc.quizzes] == [("imported-doorstep", "Doorstep"),
                                                     ("imported-phones", "Phones")]


def test_no_category_gives_one_block_named_after_the_file():
    result = convert_gift("A? {T}\n\nB? {F}\n", "banks/door-skills.gift", quiz_id_prefix="x")
    assert result.markdown.startswith("```quiz\nid: x-door-skills\ntitle: door-skills\n")
    assert result.markdown.count("```quiz") == 1


def test_description_becomes_markdown_outside_the_block():
    result = convert("""
        [html]<p>Read the <b>guide</b> first.</p>

        A? {T}

        That was the last question.
    """)
    assert result.markdown.startswith("Read the **guide** first.\n\n```quiz\n")
    assert result.markdown.endswith("```\n\nThat was the last question.\n")
    assert found(result, "G007") == [1, 5]
    assert result.imported == 1 and result.skipped == 0


def test_ids_are_slugs_deduplicated_with_text_fallback_and_id_comments():
    result = convert("""
        ::Doorstep basics:: A? {T}

        ::Doorstep basics:: B? {T}

        // [id:pinned_1] [tag:door]
        ::Other:: C? {T}

        Who should you greet first at the door? {T}

        ::Übung für Tür:: D? {T}

        ::日本:: 日本語 {T}
    """)
    ids = [q.id for q in questions(result)]
    assert ids == ["doorstep-basics", "doorstep-basics-2", "pinned_1",
                   "who-should-you-greet-first-at", "ubung-fur-tur", "question"]
    assert "// Other\n// tags: door\nQ: C?" in result.markdown


def test_titles_and_author_comments_kept_as_comments_export_headers_dropped():
    result = convert("""
        // question: 7  name: Greeting
        // check with the field team
        ::Greeting:: Hi? {T}
    """)
    assert "// check with the field team\n// Greeting\nQ: Hi?" in result.markdown
    assert "question: 7" not in result.markdown


def test_moodle_export_true_false_with_only_right_feedback():
    result = convert("::tf::[html]<p>Safe?</p>{TRUE##<p>Right.</p>}")
    question = only(result)
    assert (question.correct_feedback, question.incorrect_feedback) == ("Right.", None)
    assert result.diagnostics == ()


def test_invalid_id_comment_is_slugified_and_diagnostics_name_the_file():
    result = convert("// [id:Door step #1]\n::T:: A? {T}\n\nB? {#x}")
    assert only(result).id == "door-step-1"
    assert str(result.diagnostics[0]).startswith("bank.gift:4:1: error G002: ")


def test_slugify():
    assert slugify("  Ça va? Très bien!  ") == "ca-va-tres-bien"
    assert slugify("a" * 70) == "a" * 60
    assert slugify("日本") == ""


# --- HTML to Markdown -------------------------------------------------------------------------


def test_realistic_moodle_export():
    result = convert_gift((FIXTURES / "moodle_export.gift").read_text(), "export.gift")
    md = result.markdown
    assert (result.imported, result.skipped) == (5, 0)
    assert [(d.code, d.line) for d in result.diagnostics] == [("G024", 17), ("G019", 33)]
    assert "question: 101" not in md and "<p" not in md and "&#39;" not in md
    assert "```quiz\nid: imported-canvassing\ntitle: Canvassing\n" in md
    assert "```quiz\nid: imported-numbers\ntitle: Numbers\n" in md
    assert ("// First words\n// tags: doorstep, intro\n"
            "Q: Someone opens the door. What do you **say first**?\nid: first-words\n"
            "( ) Ask who they plan to vote for\n  > Too direct for an opener.\n"
            "(x) Say your name and that you're a volunteer\n"
            "  > Yes. A clear, *friendly* introduction.\n"
            "( ) Hand over a leaflet & walk away\n") in md
    assert ("explain: Conversations that start with who you are last longer. "
            "See [the guide](https://example.org/guide).") in md
    assert ("Q: Which of these are **personal data**?\n\n"
            "- Think about *identifiability*\n- Use the `DoorLog` rules\n\n"
            "Line one<br>\nLine two\n\n![A doorstep](@@PLUGINFILE@@/door%20step.png)\n"
            "id: personal-data\n") in md
    assert "answer: false\ncorrect: Right: ask clearly.\nincorrect: A smile is not consent." in md
    assert "= DoorLog\n= Door Log\nnot= PhoneLog\n  > That one is for the phone bank." in md
    assert "door%20step.png" in message(result, "G024")
    types = [q.type for q in questions(result)]
    assert types == ["single_choice", "multiple_select", "true_false", "numeric", "short_text"]


def test_html_block_elements_and_escaping():
    result = convert(
        "[html]<h3>Role-play</h3><p>The voter says:</p>"
        "<blockquote><p>I never vote &amp; never will.</p></blockquote>"
        "<ol><li>Listen<ol><li>Nod</li></ol></li><li>Reply</li></ol>"
        "<p>Keep 2*3 &lt;b&gt;calm&lt;/b&gt; and_on &amp;copy; and&nbsp;x<sup>2</sup></p>"
        '<pre>print("x")\\n(x) still code</pre>{T}')
    stem = only(result).stem
    assert stem == (
        "### Role-play\n\nThe voter says:\n\n> I never vote & never will.\n\n"
        "1. Listen\n    1. Nod\n2. Reply\n\n"
        "Keep 2\\*3 &lt;b>calm&lt;/b> and\\_on &amp;copy; and x<sup>2</sup>\n\n"
        '```\nprint("x")\n(x) still code\n```')
    assert "Q:\n### Role-play\n" in result.markdown
    assert "\n\\> I never vote & never will.\n" in result.markdown
    assert "\n(x) still code\n" in result.markdown  # code samples are not escaped


def test_html_options_and_feedback_become_single_lines_and_paragraphs():
    result = convert(
        "[html]<p>Pick</p>{=<p>Line <em>one</em><br>two</p>#<p>First.</p><p>Second.</p> ~<p>b</p>}")
    assert "(x) Line *one* two\n  > First.\n  >\n  > Second.\n( ) b" in result.markdown
    assert options(only(result))[0] == ("Line *one* two", True, "First.\n\nSecond.")


def test_short_answers_from_html_are_plain_text():
    result = convert("[html]<p>App?</p>{=<b>Door</b>Log =%0%<p>Phone&amp;Log</p>#<p>No</p>}")
    assert "= DoorLog\nnot= Phone&Log\n  > No" in result.markdown


def test_hostile_html_is_neutralised():
    result = convert(
        '[html]<p onclick\\="steal()">Click <a href\\="javascript\\:alert(1)">here</a> or '
        '<a href\\="https\\://ok.org">there</a></p><script>alert(1)</script>'
        '<iframe src\\="https\\://evil.example"></iframe>'
        '<img src\\="data\\:image/png;base64,AAA" onerror\\="x()">'
        "<p>&lt;script&gt;alert(2)&lt;/script&gt;</p>"
        '{=<span onmouseover\\="x()">ok</span> ~no}')
    md = result.markdown
    for bad in ("<script", "onclick", "onerror", "onmouseover", "javascript", "iframe", "data:"):
        assert bad not in md, bad
    assert "Click here or [there](https://ok.org)" in md
    assert "&lt;script>alert(2)&lt;/script>" in md
    assert found(result, "G026") == [1, 1]
    assert "<script>" in message(result, "G026") and "onclick=" in message(result, "G026")
    assert options(only(result))[0] == ("ok", True, None)


def test_hostile_markdown_and_moodle_text_is_scrubbed():
    result = convert("""
        [markdown]See [this](javascript:alert(1)) <img src="x" onerror="y()"> <script>z()
        </script>{T}

        Plain moodle <a href="JavaScript:evil()" onclick='a()'>link</a>{T}
    """)
    md = result.markdown
    assert "javascript" not in md.lower() and "onerror" not in md and "onclick" not in md
    assert "<script" not in md
    assert "See [this](#alert(1)) <img src=\"x\">" in md
    assert found(result, "G026") == [1, 4]


def test_plain_format_is_markdown_escaped():
    result = convert("[plain]Use *stars* & <b>tags</b>\\n# not a heading\\n1. not a list{T}")
    assert only(result).stem == (
        "Use \\*stars\\* & &lt;b>tags&lt;/b><br>\n\\# not a heading<br>\n1\\. not a list")


def test_moodle_format_keeps_line_breaks():
    result = convert("""
        First line
        second line\\n\\n- a list
        - stays {T}
    """)
    assert "Q: First line<br>\nsecond line\n\n- a list\n- stays" in result.markdown


def test_escapes():
    result = convert(r"Braces \{x\} \= \~ \# \: a\\b\nnext {=a\=b#fb\#1 ~c\~d}")
    question = only(result)
    assert question.stem == "Braces {x} = ~ # : a\\b<br>\nnext"
    assert options(question) == [("a=b", True, "fb#1"), ("c~d", False, None)]


def test_pluginfile_references_warn_each():
    result = convert("""
        [html]<p><img src\\="@@PLUGINFILE@@/a.png"> and <a href\\="@@PLUGINFILE@@/b.pdf">b</a></p>{
        =<img src\\="@@PLUGINFILE@@/c.png" alt\\="c">
        ~no
        }
    """)
    assert found(result, "G024") == [1, 1, 2]
    assert "@@PLUGINFILE@@/b.pdf" in message(result, "G024").replace("a.png", "b.pdf")


# --- quiz-line escaping and fences ----------------------------------------------------------


def test_lines_that_look_like_quiz_markers_are_escaped():
    gift = (r"[markdown]Role-play:\nQ\: Can I come back?\n> quoted\n(a) first\n[x] box"
            r"\n- (x) item\n= sign\nnot= this\n// slashes\n\\ backslash\nNote\: kept"
            r"\nexplain\: not a keyword\n“answer\:” quoted{T}")
    result = convert(gift)
    assert only(result).stem == (
        "Role-play:\nQ: Can I come back?\n> quoted\n(a) first\n[x] box\n- (x) item\n= sign\n"
        "not= this\n// slashes\n\\ backslash\nNote: kept\nexplain: not a keyword\n"
        "“answer:” quoted")
    assert "\n\\Q: Can I come back?\n\\> quoted\n\\(a) first\n" in result.markdown
    assert "\n\\\\ backslash\n" in result.markdown


def test_fence_is_longer_than_any_backtick_run():
    result = convert("[markdown]Code:\\n````\\n```\\nx\\n```\\n````{T}")
    assert result.markdown.startswith("`````quiz\n")
    assert result.markdown.rstrip().endswith("\n`````")
    assert only(result).stem == "Code:\n````\n```\nx\n```\n````"


def test_explanation_starting_with_a_list_starts_on_its_own_line():
    result = convert("[html]<p>Q</p>{T####<ul><li>one</li><li>two</li></ul>}")
    assert "explain:\n- one\n- two" in result.markdown
    assert only(result).explain == "- one\n- two"


def test_crlf_and_bom():
    result = convert_gift("\ufeff::A::One? {T}\r\n\r\n::B::Two? {F}\r\n", "x.gift")
    assert [q.id for q in questions(result)] == ["a", "b"]


def test_empty_file():
    result = convert_gift("", "x.gift")
    assert (result.markdown, result.diagnostics, result.imported, result.skipped) == ("", (), 0, 0)


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


# --- unsupported types are reported, never dropped silently ----------------------------------


def test_matching_is_reported_with_its_pairs():
    result = convert("""
        ::Kept:: A? {T}

        ::Match roles::
        Match each role to its job. {
        =Canvasser -> knocks on doors
        =Phone banker -> calls voters
        }
    """)
    assert found(result, "G005") == [3]
    text = message(result, "G005")
    assert "'Match roles'" in text
    assert "'Canvasser' -> 'knocks on doors'; 'Phone banker' -> 'calls voters'" in text
    assert (result.imported, result.skipped) == (1, 1)


def test_essay_is_reported():
    result = convert("A? {T}\n\n::Essay::Describe your best doorstep conversation. {}")
    assert found(result, "G006") == [3]
    assert "'Essay'" in message(result, "G006")
    assert (result.imported, result.skipped) == (1, 1)


def test_every_code_used_is_in_the_catalogue():
    assert sorted(GIFT_CODES) == [f"G{n:03}" for n in range(1, 28)]
    assert all(v.startswith(("error:", "warning:")) for v in GIFT_CODES.values())


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
