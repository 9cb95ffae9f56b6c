"""The shipped curriculum's shape: four courses for candidates and staff, plus the trainers'
authoring course; every module with objectives, minutes and a quiz that explains itself."""

from __future__ import annotations

import re
from pathlib import Path

from lms.content.loader import load_catalog

COURSES = Path(__file__).resolve().parents[2] / "courses"
EXPECTED = {  # course key -> modules
    "digital-for-candidates": 4,
    "digital-advertising": 6,
    "campaign-data": 7,
    "hiring-consultants": 6,
    "authoring": 4,
}


def test_the_shipped_catalog_has_no_errors_and_the_expected_courses():
    catalog = load_catalog(COURSES)
    assert catalog.errors == ()
    assert {c.key: len(c.modules) for c in catalog.courses} == EXPECTED
    public = [c for c in catalog.courses if c.visibility == "public"]
    assert len(public) == 4
    assert catalog.course("authoring").visibility == "trainers"
    assert sum(m.minutes for m in catalog.course("digital-for-candidates").modules) <= 50


def test_every_module_has_objectives_minutes_and_an_explained_quiz():
    catalog = load_catalog(COURSES)
    keys = set()
    for course in catalog.courses:
        for module in course.modules:
            where = f"{course.key}/{module.key}"
            assert (course.key, module.key) not in keys, where
            keys.add((course.key, module.key))
            assert 3 <= len(module.objectives) <= 5, where
            assert 8 <= module.minutes <= 15, where
            assert len(module.graded_quizzes) == 1, where
            questions = module.graded_quizzes[0].questions
            assert 4 <= len(questions) <= 8, where
            for question in questions:
                assert question.explain, f"{where}: {question.id} has no explanation"
                for option in question.options:
                    if not option.correct:
                        assert option.feedback, f"{where}: {question.id} wrong option bare"
    assert len({key for _, key in keys}) == len(keys), "no two modules share a key"


def prose_words(text: str) -> int:
    """Words of a module's own writing: front matter and quiz blocks left out."""
    body = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    body = re.sub(r"```quiz.*?```", "", body, flags=re.S)
    return sum(1 for word in body.split() if re.search(r"[A-Za-z0-9]", word))


def test_every_learner_module_is_700_to_1500_words():
    catalog = load_catalog(COURSES)
    counts = {f"{course.key}/{module.key}": prose_words(Path(module.path).read_text())
              for course in catalog.courses if course.visibility == "public"
              for module in course.modules}
    assert len(counts) == 23
    assert {where: n for where, n in counts.items() if not 700 <= n <= 1500} == {}


def test_prose_words_leave_out_front_matter_and_quizzes():
    text = "---\ntitle: A b c\n---\nOne two, three.\n\n| x | 4 |\n\n```quiz\nid: q\n```\nfive\n"
    assert prose_words(text) == 6
