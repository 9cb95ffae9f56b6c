"""The Moodle GIFT importer: the mapping of each question type, metadata and unsupported types.
HTML to Markdown is in test_gift_markdown.py, Moodle's quirks and refused questions in
test_gift_quirks.py, round-trips through the quiz parser in test_gift_roundtrip.py.

Every GIFT sample here is written for these tests; each conversion's Markdown is read back by
the quiz parser (gift_support.questions), which must report no error.
"""

from __future__ import annotations

from lms.content.gift import GIFT_CODES, convert_gift, slugify
from lms.content.quiz import parse_markdown
from tests.unit.gift_support import convert, found, message, only, options, questions

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
