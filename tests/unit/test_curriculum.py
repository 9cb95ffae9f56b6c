"""The shipped curriculum's shape: four courses for candidates and staff, plus the trainers'
authoring course; every module with objectives, minutes and a quiz that explains itself."""

from __future__ import annotations

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
