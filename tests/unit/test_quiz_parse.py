"""Parsing quiz blocks into the model: every question type, the spec's full example, rendering.

The full 6-question example of QUIZ_FORMAT.md section 2 must parse to the model of section 4:
7 points, pass mark 80, with the documented line numbers.
"""

from __future__ import annotations

from lms.content.quiz import (
    QUESTION_TYPES,
    NumberAnswer,
    Option,
    TextAnswer,
    parse_markdown,
)

FULL_EXAMPLE = """\
# Module 3 — Canvassing basics

Read the section on first impressions before you start the check below.

```quiz
id: canvassing-basics
title: Check your canvassing basics
pass: 80%
shuffle: no

Q: Someone opens the door. What do you do first?
id: first-words
( ) Ask who they plan to vote for
  > Too direct for an opener. Build a little trust first.
(x) Say your name and that you're a volunteer with the campaign
  > Yes. A clear, friendly introduction gets longer conversations.
( ) Hand over a leaflet and walk away
  > You'd miss the chance to talk.
explain: Conversations that start with who you are last longer and go better.
See "The first 30 seconds" above.

Q: Which of these are personal data under our data-protection rules?
Select all that apply.
[x] A voter's mobile number
[x] A note that a voter "supports the new park"
  > Yes, and notes about opinions need extra care.
[ ] The opening hours of the town library
[ ] The date of election day
scoring: partial
explain: Anything that identifies a person, or says something about them, is personal data.

Q: If a voter smiles and nods, you may post a photo of your doorstep chat on social media.
answer: false
correct: Right. You need clear, recorded consent, and we never post voters without it.
incorrect: A smile is not consent. Ask clearly, and record the answer in DoorLog.

Q: Which app do we use to record the result of every door you knock on?
= DoorLog
= Door Log
= the DoorLog app
not= PhoneLog
  > PhoneLog is for the phone bank. At the door we use DoorLog.
hint: It's the blue icon on your volunteer phone.
explain: Log every door, even "not home", so nobody gets visited twice.

Q: You knock on 60 doors in a 3-hour shift. How many doors per hour is that?
number: 20
  > Exactly: 60 ÷ 3 = 20.
explain: Divide doors by hours. A steady 15–25 doors an hour is a good pace.

Q: About 1 in 4 doors leads to a real conversation. On a list of 200 doors,
roughly how many conversations should you expect?
number: 50 +- 10%
points: 2
explain: 200 ÷ 4 = 50. Anything from 45 to 55 counts as a good estimate.
```

Next: [Module 4 — Phone banking](module-04.md)
"""


def full_quiz():
    parsed = parse_markdown(FULL_EXAMPLE, "module-03.md")
    assert parsed.diagnostics == ()
    return parsed.quizzes[0]


def test_full_example_header_and_totals() -> None:
    quiz = full_quiz()
    assert (quiz.id, quiz.title, quiz.pass_percent, quiz.shuffle, quiz.line) == (
        "canvassing-basics", "Check your canvassing basics", 80.0, False, 5)
    assert quiz.max_points == 7
    assert [q.type for q in quiz.questions] == [
        "single_choice", "multiple_select", "true_false", "short_text", "numeric", "numeric"]
    assert [q.line for q in quiz.questions] == [11, 22, 32, 37, 46, 51]
    assert [q.points for q in quiz.questions] == [1, 1, 1, 1, 1, 2]


def test_full_example_to_dict_matches_section_4() -> None:
    data = full_quiz().to_dict()
    assert {k: data[k] for k in ("id", "pass", "shuffle", "line")} == {
        "id": "canvassing-basics", "pass": 80, "shuffle": False, "line": 5}
    first = data["questions"][0]
    assert list(first) == ["id", "line", "type", "points", "stem", "options", "hint",
                           "explain", "correct_feedback", "incorrect_feedback"]
    assert (first["id"], first["line"], first["type"], first["points"]) == (
        "first-words", 11, "single_choice", 1)
    assert first["stem"] == "Someone opens the door. What do you do first?"
    assert first["options"][0] == {"text": "Ask who they plan to vote for", "correct": False,
                                   "feedback": "Too direct for an opener. Build a little "
                                               "trust first.", "line": 13}
    assert first["hint"] == [] and first["correct_feedback"] is None
    assert first["explain"] == ("Conversations that start with who you are last longer and "
                                "go better.\nSee \"The first 30 seconds\" above.")
    last = data["questions"][5]
    assert last["type"] == "numeric"
    assert last["answers"] == [{"min": 45, "max": 55, "value": 50, "tolerance": 5,
                                "tolerance_percent": 10, "feedback": None, "line": 53}]
    assert data["questions"][1]["scoring"] == "partial"
    assert data["questions"][3]["case"] == "insensitive"
    assert data["questions"][2]["answers"] is False


def test_full_example_segments_keep_the_prose() -> None:
    parsed = parse_markdown(FULL_EXAMPLE, "module-03.md")
    before, block, after = parsed.segments
    assert before == ("# Module 3 — Canvassing basics\n\nRead the section on first "
                      "impressions before you start the check below.\n\n")
    assert block.line == 5 and block.quiz is parsed.quizzes[0]
    assert after == "\nNext: [Module 4 — Phone banking](module-04.md)\n"


def test_single_choice() -> None:
    question = full_quiz().question("first-words")
    assert question is not None and question.type == "single_choice"
    assert [o.correct for o in question.options] == [False, True, False]
    assert isinstance(question.options[1], Option)
    assert question.options[1].feedback == ("Yes. A clear, friendly introduction gets longer "
                                            "conversations.")


def test_multiple_select() -> None:
    question = full_quiz().questions[1]
    assert question.stem == ("Which of these are personal data under our data-protection "
                             "rules?\nSelect all that apply.")
    assert [o.correct for o in question.options] == [True, True, False, False]
    assert question.scoring == "partial"
    assert question.options[0].feedback is None


def test_true_false() -> None:
    question = full_quiz().questions[2]
    assert question.answers is False
    assert question.correct_feedback.startswith("Right. You need clear")
    assert question.incorrect_feedback.startswith("A smile is not consent")
    assert question.explain is None


def test_short_text() -> None:
    question = full_quiz().questions[3]
    answers = question.answers
    assert all(isinstance(a, TextAnswer) for a in answers)
    assert [(a.text, a.normalised, a.accepted) for a in answers] == [
        ("DoorLog", "doorlog", True), ("Door Log", "door log", True),
        ("the DoorLog app", "the doorlog app", True), ("PhoneLog", "phonelog", False)]
    assert answers[3].feedback == "PhoneLog is for the phone bank. At the door we use DoorLog."
    assert [h for h, _ in question.hints] == ["It's the blue icon on your volunteer phone."]
    assert question.case_sensitive is False


def test_numeric() -> None:
    exact, tolerant = full_quiz().questions[4:]
    assert exact.answers == (NumberAnswer(20, 20, 20, 0, None, "Exactly: 60 ÷ 3 = 20.",
                                          "<p>Exactly: 60 ÷ 3 = 20.</p>", 47),)
    assert (tolerant.answers[0].min, tolerant.answers[0].max) == (45, 55)
    assert tolerant.stem.endswith("On a list of 200 doors,\nroughly how many conversations "
                                  "should you expect?")


def test_registry_names() -> None:
    assert sorted(QUESTION_TYPES) == ["multiple_select", "numeric", "short_text",
                                      "single_choice", "true_false"]
    assert all(name == qtype.name for name, qtype in QUESTION_TYPES.items())


def test_render_is_called_with_inline_flags() -> None:
    calls: list[tuple[str, bool]] = []

    def render(markdown: str, inline: bool) -> str:
        calls.append((markdown, inline))
        return f"[{'inline' if inline else 'block'}:{markdown}]"

    quiz = parse_markdown(FULL_EXAMPLE, "m.md", render=render).quizzes[0]
    first = quiz.questions[0]
    assert first.stem_html == "[block:Someone opens the door. What do you do first?]"
    assert first.options[0].text_html == "[inline:Ask who they plan to vote for]"
    assert first.options[0].feedback_html.startswith("[block:Too direct")
    assert first.explain_html.startswith("[block:Conversations")
    assert quiz.questions[2].correct_feedback_html.startswith("[block:Right.")
    assert quiz.questions[2].incorrect_feedback_html.startswith("[block:A smile")
    assert quiz.questions[3].hints[0][1] == "[block:It's the blue icon on your volunteer phone.]"
    assert quiz.questions[3].answers[3].feedback_html.startswith("[block:PhoneLog is")
    assert ("Check your canvassing basics", False) not in calls  # the title is plain text


def test_default_render_escapes() -> None:
    source = "```quiz\nid: t\npass: 1%\nQ: <b>x</b> & y\n(x) <i>a</i>\n( ) b\n```\n"
    question = parse_markdown(source, "m.md").quizzes[0].questions[0]
    assert question.stem_html == "<p>&lt;b&gt;x&lt;/b&gt; &amp; y</p>"
    assert question.options[0].text_html == "&lt;i&gt;a&lt;/i&gt;"


def test_no_quiz_document_is_returned_whole() -> None:
    text = "# Title\n\n```python\nprint(1)\n```\n"
    assert parse_markdown(text, "m.md").segments == (text,)
    assert parse_markdown("", "m.md").segments == ("",)
    assert parse_markdown(text, "m.md").diagnostics == ()


def test_several_blocks_each_with_own_settings() -> None:
    source = ("Intro\n\n```quiz\nid: one\npass: 50%\nQ: a\n(x) y\n( ) n\n```\n\nMiddle\n\n"
              "~~~quiz\nid: two\npass: 100%\nshuffle: yes\nQ: b\nanswer: TRUE\n~~~\nEnd\n")
    parsed = parse_markdown(source, "m.md")
    assert parsed.diagnostics == ()
    assert [s if isinstance(s, str) else s.line for s in parsed.segments] == [
        "Intro\n\n", 3, "\nMiddle\n\n", 13, "End\n"]
    one, two = parsed.quizzes
    assert (one.id, one.pass_percent, one.shuffle) == ("one", 50, False)
    assert (two.id, two.pass_percent, two.shuffle, two.questions[0].line) == (
        "two", 100, True, 17)
    assert two.questions[0].answers is True


def test_broken_block_keeps_other_blocks() -> None:
    source = "```quiz\nid: a\nQ: x\n```\n\n```quiz\nid: b\npass: 5%\nQ: y\nanswer: false\n```\n"
    parsed = parse_markdown(source, "m.md")
    assert [s.quiz.id if s.quiz else None for s in parsed.segments if not isinstance(s, str)] \
        == [None, "b"]


def test_default_quiz_id_from_path_and_block_number() -> None:
    block = "```quiz\npass: 50%\nQ: x\nanswer: true\n```\n"
    parsed = parse_markdown(block + block, "courses/ads/01-why digital.md")
    assert [q.id for q in parsed.quizzes] == ["01-why-digital-quiz-1", "01-why-digital-quiz-2"]
    assert [d.message.split(";")[1] for d in parsed.diagnostics] == [
        " results are tracked as block #1 of this file and reset if the file is renamed.",
        " results are tracked as block #2 of this file and reset if the file is renamed."]
    assert parse_markdown(block, "C:\\x\\é.md").quizzes[0].id == "quiz-1"


def test_question_ids_are_stable() -> None:
    a = "Q: Who knocks first?\n(x) You\n( ) Me\n"
    b = "Q: Which app?\n= DoorLog\n"
    ids_ab = [q.id for q in parse_markdown(f"```quiz\nid: t\n{a}{b}```\n", "m").quizzes[0]
              .questions]
    ids_ba = [q.id for q in parse_markdown(f"```quiz\nid: t\n{b}{a}```\n", "m").quizzes[0]
              .questions]
    assert ids_ab == ids_ba[::-1]
    assert ids_ab[0].startswith("who-knocks-first-")
    rewrapped = "Q: Who   knocks\nfirst?\n(x) You\n( ) Me\n"
    again = parse_markdown(f"```quiz\nid: t\n{rewrapped}```\n", "m").quizzes[0].questions[0]
    assert again.id == ids_ab[0]
    arabic = parse_markdown("```quiz\nid: t\nQ: مرحبا؟\nanswer: true\n```\n", "m").quizzes[0]
    assert arabic.questions[0].id.startswith("q-")


def test_version_ignores_position_but_not_meaning() -> None:
    block = "```quiz\nid: t\npass: 50%\nQ: x\n(x) a\n( ) b\n```\n"
    base = parse_markdown(block, "m.md").quizzes[0].version
    moved = parse_markdown("Lots of\n\nnew prose\n\n" + block, "m.md").quizzes[0].version
    edited = parse_markdown(block.replace("(x) a", "(x) A"), "m.md").quizzes[0].version
    assert len(base) == 12 and int(base, 16) >= 0
    assert base == moved
    assert base != edited


def test_quiz_lookup_and_frozen() -> None:
    quiz = full_quiz()
    assert quiz.question("nope") is None
    assert quiz.question("first-words") is quiz.questions[0]
    assert isinstance(quiz.questions, tuple) and isinstance(quiz.questions[0].options, tuple)
    try:
        quiz.id = "x"  # type: ignore[misc]
    except AttributeError:
        pass
    else:
        raise AssertionError("Quiz must be frozen")
