"""Question statistics: item analysis of every quiz question of a course, split by quiz version
and, if asked, by election cycle. Two queries, however many people, quizzes or versions.

A person counts once per quiz version, by their first attempt at it (lms/reports/item_analysis
has the rules). Versions are the quiz's content hash (QuizAttempt.quiz_version): a rewrite
starts fresh statistics while the old version's stay. The current version's questions are
labelled from the catalog; an older version's options are known only by number, and its keyed
answers are read from the stored results (the options people who got it right chose).

Cycle rule: an attempt belongs to the election cycle, among those the person was a member of,
whose window (from the cycle's creation until it closed, or now) contains the attempt's time;
when two such cycles have different election years, the later year; with none, "No cycle".
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Text, cast, select

from lms.campaigns.models import Cycle, Membership
from lms.content.catalog import Catalog, Module
from lms.content.quiz import Question, Quiz
from lms.extensions import db
from lms.progress.models import QuizAttempt
from lms.reports.item_analysis import Choice, ItemStats, Response, analyse

SPLITS = ("version", "cycle")
NO_CYCLE = "No cycle"
MAX_STEM = 160


@dataclass(frozen=True)
class QuestionRow:
    module_key: str
    module_title: str
    quiz_id: str
    question_id: str
    number: int | None  # position in the current quiz, None if the question is gone
    stem: str  # plain Markdown source, shortened; "" for a question no longer in the quiz
    quiz_version: str
    current: bool
    module_versions: tuple[int, ...]
    first_at: datetime
    last_at: datetime
    cycle: str | None
    stats: ItemStats
    order: tuple


@dataclass(frozen=True)
class _Attempt:
    user_id: int
    module_key: str
    module_version: int
    quiz_id: str
    quiz_version: str
    percent: float
    questions: tuple[dict, ...]
    created_at: datetime


def first_attempts(course_key: str, module_key: str | None = None) -> list[_Attempt]:
    """Query 1: each person's first attempt at each quiz version of the course (or module).

    One scan in time order; the first row of each (person, module, quiz, version) is kept and
    only its stored record is decoded (records are read as text: decoding every retake's JSON
    would cost more than the rest of the report)."""
    where = [QuizAttempt.course_key == course_key]
    if module_key:
        where.append(QuizAttempt.module_key == module_key)
    rows = db.session.execute(
        select(QuizAttempt.user_id, QuizAttempt.module_key, QuizAttempt.module_version,
               QuizAttempt.quiz_id, QuizAttempt.quiz_version, QuizAttempt.percent,
               cast(QuizAttempt.record, Text), QuizAttempt.created_at)
        .where(*where).order_by(QuizAttempt.created_at, QuizAttempt.id)
    ).all()
    seen: set[tuple] = set()
    firsts = []
    for user_id, mkey, mversion, quiz_id, qversion, percent, record, at in rows:
        if (user_id, mkey, quiz_id, qversion) in seen:
            continue
        seen.add((user_id, mkey, quiz_id, qversion))
        questions = (json.loads(record) or {}).get("questions") if record else None
        firsts.append(_Attempt(user_id, mkey, mversion, quiz_id, qversion, percent,
                               tuple(questions or ()), at))
    return firsts


def cycle_windows(course_key: str) -> dict[int, list[tuple[int, datetime, datetime | None]]]:
    """Query 2: (election year, window start, window end) of every cycle of every person who
    attempted a quiz of the course."""
    people = select(QuizAttempt.user_id).where(QuizAttempt.course_key == course_key).distinct()
    rows = db.session.execute(
        select(Membership.user_id, Cycle.election_year, Cycle.created_at, Cycle.closed_at)
        .join(Cycle, Cycle.id == Membership.cycle_id)
        .where(Membership.user_id.in_(people.scalar_subquery()))
    ).all()
    windows: dict[int, list] = defaultdict(list)
    for user_id, year, start, end in rows:
        windows[user_id].append((year, start, end))
    return windows


def cycle_of(windows: list[tuple[int, datetime, datetime | None]], moment: datetime) -> str:
    years = [year for year, start, end in windows
             if start <= moment and (end is None or moment < end)]
    return f"{max(years)} cycle" if years else NO_CYCLE


def _plain(markdown: str) -> str:
    text = " ".join(markdown.split())
    return text if len(text) <= MAX_STEM else text[:MAX_STEM - 1] + "…"


def _choices(question: Question | None, current: bool,
             responses: list[Response]) -> list[Choice] | None:
    """The options to count for a question; None for a typed answer."""
    if question is not None and current:
        if question.type in ("single_choice", "multiple_select"):
            return [Choice(str(i), _plain(o.text), o.correct)
                    for i, o in enumerate(question.options)]
        if question.type == "true_false":
            return [Choice("true", "True", question.answers is True),
                    Choice("false", "False", question.answers is False)]
        return None
    if question is not None and question.type in ("short_text", "numeric"):
        return None
    seen = {value for r in responses for value in r.answer}
    keyed = {value for r in responses if r.correct for value in r.answer}
    if seen and seen <= {"true", "false"}:
        return [Choice(v, v.capitalize(), v in keyed) for v in ("true", "false")]
    if seen and all(v.isascii() and v.isdigit() for v in seen):
        return [Choice(str(i), f"Option {i + 1}", str(i) in keyed)
                for i in range(max(int(v) for v in seen) + 1)]
    return None


def _question_ids(quiz: Quiz | None, current: bool, attempts: list[_Attempt]) -> list[str]:
    if quiz is not None and current:
        return [q.id for q in quiz.questions]
    return list(dict.fromkeys(q.get("id") for a in attempts for q in a.questions if q.get("id")))


def _cycle_order(label: str | None) -> tuple:
    if not label:
        return (0, 0)
    return (1, 0) if label == NO_CYCLE else (0, -int(label.split()[0]))


def question_rows(catalog: Catalog, course_key: str, module_key: str | None = None,
                  split: str = "version") -> list[QuestionRow]:
    """A row per question per quiz version (per cycle when `split` is 'cycle')."""
    attempts = [a for a in first_attempts(course_key, module_key) if a.questions]
    windows = cycle_windows(course_key) if split == "cycle" and attempts else {}
    grouped: dict[tuple, list[_Attempt]] = defaultdict(list)
    for attempt in attempts:
        cycle = cycle_of(windows.get(attempt.user_id, []), attempt.created_at) \
            if split == "cycle" else None
        grouped[(attempt.module_key, attempt.quiz_id, attempt.quiz_version, cycle)].append(
            attempt)
    course = catalog.course(course_key)
    rows = []
    for (mkey, quiz_id, version, cycle), members in grouped.items():
        module: Module | None = course.module(mkey) if course else None
        quiz = module.quiz(quiz_id) if module else None
        current = quiz is not None and quiz.version == version
        quiz_index = next((i for i, q in enumerate(module.quizzes) if q.id == quiz_id), 99) \
            if module else 99
        last_at = max(a.created_at for a in members)
        for index, qid in enumerate(_question_ids(quiz, current, members)):
            question = quiz.question(qid) if quiz else None
            responses = []
            for a in members:
                answer = next((q for q in a.questions if q.get("id") == qid), None)
                if answer is not None:
                    responses.append(Response(a.user_id, a.percent, bool(answer.get("correct")),
                                              tuple(str(v) for v in answer.get("answer") or ())))
            if not responses:
                continue
            number = quiz.questions.index(question) + 1 if question is not None else None
            rows.append(QuestionRow(
                mkey, module.title if module else mkey, quiz_id, qid, number,
                _plain(question.stem) if question is not None else "", version, current,
                tuple(sorted({a.module_version for a in members})),
                min(a.created_at for a in members), last_at, cycle,
                analyse(responses, _choices(question, current, responses)),
                (module.position if module else 999, mkey, quiz_index,
                 number if number is not None else 1000 + index, not current,
                 -last_at.timestamp(), version, _cycle_order(cycle))))
    return sorted(rows, key=lambda r: r.order)


SORT_KEYS = {
    "respondents": lambda r: r.stats.respondents,
    "correct": lambda r: r.stats.share_correct,
    "discrimination": lambda r: r.stats.discrimination,
    "flags": lambda r: len(r.stats.flags),
}


def sort_rows(rows: list[QuestionRow], key: str, descending: bool) -> list[QuestionRow]:
    """Sort by an allowlisted key (anything else: course order); rows without a value last."""
    if key not in SORT_KEYS:
        return sorted(rows, key=lambda r: r.order, reverse=descending)
    value = SORT_KEYS[key]
    present = [r for r in rows if value(r) is not None]
    missing = [r for r in rows if value(r) is None]
    present.sort(key=lambda r: r.order)
    present.sort(key=value, reverse=descending)  # stable: ties keep course order
    return present + missing


def _percent(value: float | None) -> str:
    return "" if value is None else f"{round(100 * value)}%"


def table(rows: list[QuestionRow]) -> list[list[str]]:
    """The rows as text, for the CSV export."""
    header = ["Module", "Quiz", "Question", "Question text", "Quiz version", "Current version",
              "Module versions", "Cycle", "People", "Correct on first attempt",
              "Discrimination (upper-lower 27%)", "Choices (share; * keyed)", "No answer",
              "Flags"]
    out = [header]
    for r in rows:
        s = r.stats
        choices = "; ".join(f"{'*' if o.keyed else ''}{o.label}: {_percent(o.share)}"
                            for o in s.options)
        out.append([r.module_title, r.quiz_id, r.question_id, r.stem, r.quiz_version,
                    "yes" if r.current else "no",
                    " ".join(f"v{v}" for v in r.module_versions), r.cycle or "",
                    str(s.respondents), _percent(s.share_correct),
                    "" if s.discrimination is None else f"{s.discrimination:.2f}",
                    choices, _percent(s.blank_share), "; ".join(s.flag_labels)])
    return out
