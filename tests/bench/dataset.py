"""The benchmark dataset: `lms demo` at scale, then one campaign made into the dashboard case.

`lms demo --campaigns N --people M` fills the database (progress for every person). Then the
first demo campaign's open cycle gets 60 active members, a plan of two generated courses
(40 modules) for every role, and progress for those members on those modules, so its
dashboard is the 60 x 40 grid the targets name. Everything goes through the app's own models
and services.
"""

from __future__ import annotations

import os
import random
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LMS = str(Path(sys.executable).with_name("lms"))
TEAM = 60


def run_demo(env: dict[str, str], campaigns: int, people: int) -> str:
    """`lms demo` into the environment's instance folder and database; its output."""
    result = subprocess.run([LMS, "demo", "--campaigns", str(campaigns), "--people", str(people)],
                            env=env, capture_output=True, text=True, cwd=ROOT, timeout=900)
    if result.returncode:
        raise RuntimeError(f"lms demo failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def bench_app(env: dict[str, str]):
    """The app as the servers see it (same instance folder, database and courses)."""
    os.environ.update(env)
    from lms import create_app

    return create_app()


def setup_dashboard(app, plan_courses: list[str], seed: int = 60) -> dict:
    """Give the first demo campaign a 60-member cycle and a plan of `plan_courses` for every
    role, with progress; return what the benchmark needs to know about it."""
    from sqlalchemy import func, insert, select

    from lms.auth.models import User
    from lms.campaigns import services
    from lms.campaigns.models import ROLES, Campaign, Membership
    from lms.catalog_store import current_catalog
    from lms.extensions import db
    from lms.models import utcnow

    rng = random.Random(seed)  # noqa: S311 - sample data
    with app.app_context():
        campaign = db.session.scalar(select(Campaign).order_by(Campaign.id).limit(1))
        cycle = campaign.current_cycle
        active = set(db.session.scalars(select(Membership.user_id).where(
            Membership.cycle_id == cycle.id, Membership.removed_at.is_(None))))
        needed = TEAM - len(active)
        if needed > 0:
            extra = db.session.scalars(
                select(User.id).where(User.id.not_in(active), User.email.like("person%"))
                .order_by(User.id).limit(needed)).all()
            db.session.execute(insert(Membership), [
                {"cycle_id": cycle.id, "user_id": user_id,
                 "role": rng.choice(["staff", "staff", "volunteer"]),
                 "joined_at": cycle.created_at + timedelta(days=5), "removed_at": None}
                for user_id in extra])
        services.set_plan(cycle, [(key, role, 60) for key in plan_courses for role in ROLES])
        catalog = current_catalog()
        members = db.session.scalars(select(Membership.user_id).where(
            Membership.cycle_id == cycle.id, Membership.removed_at.is_(None))).all()
        _progress(members, [catalog.course(key) for key in plan_courses], rng, utcnow())
        db.session.commit()
        modules = sum(len(catalog.course(key).modules) for key in plan_courses)
        count = db.session.scalar(select(func.count()).select_from(Membership).where(
            Membership.cycle_id == cycle.id, Membership.removed_at.is_(None)))
        return {"campaign_id": campaign.id, "cycle_id": cycle.id, "members": count,
                "modules": modules}


def _progress(user_ids, courses, rng: random.Random, now) -> None:
    """Each member is somewhere in each course: modules done (quiz passed), one started, some
    with a failed quiz attempt."""
    from sqlalchemy import insert, select

    from lms.extensions import db
    from lms.progress.models import Completion, ModuleView, QuizAttempt

    existing = set(db.session.execute(select(ModuleView.user_id, ModuleView.course_key,
                                             ModuleView.module_key)
                                      .where(ModuleView.user_id.in_(user_ids))).all())
    views, completions, attempts = [], [], []
    for user_id in user_ids:
        for course in courses:
            done = rng.randint(0, len(course.modules))
            for index, module in enumerate(course.modules[: done + 1]):
                if (user_id, course.key, module.key) in existing:
                    continue
                at = now - timedelta(days=rng.randint(1, 90))
                views.append({"user_id": user_id, "course_key": course.key,
                              "module_key": module.key, "first_viewed_at": at,
                              "last_viewed_at": at})
                passed = index < done
                for quiz in module.graded_quizzes:
                    attempts.append({
                        "user_id": user_id, "submission_token": secrets.token_hex(16),
                        "course_key": course.key, "module_key": module.key,
                        "module_version": module.version, "quiz_id": quiz.id,
                        "quiz_version": quiz.version,
                        "record": {"quiz_id": quiz.id, "questions": []},
                        "earned": quiz.max_points if passed else 0.0,
                        "max_points": quiz.max_points, "percent": 100.0 if passed else 25.0,
                        "passed": passed, "created_at": at})
                if passed:
                    completions.append({"user_id": user_id, "course_key": course.key,
                                        "module_key": module.key,
                                        "module_version": module.version, "completed_at": at})
    for model, rows in ((ModuleView, views), (Completion, completions), (QuizAttempt, attempts)):
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(model), rows[start:start + 5000])


def quiz_paths(app, skip: list[str]) -> list[str]:
    """The submit URL of every generated module's quiz outside the courses in `skip`."""
    catalog = app.extensions["lms.catalog"].catalog
    return [f"/courses/{course.key}/{module.key}/quiz/{module.quizzes[0].id}"
            for course in catalog.courses if course.key.startswith("bench-")
            and course.key not in skip for module in course.modules]


def count_attempts(app, email: str) -> int:
    from sqlalchemy import func, select

    from lms.auth.models import User
    from lms.extensions import db
    from lms.progress.models import QuizAttempt

    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(QuizAttempt).join(
            User, User.id == QuizAttempt.user_id).where(User.email == email))
        db.session.remove()
        return count


def organisation_overview_path(app) -> str | None:
    """The trainer's organisation overview, if this build has one: /trainer/campaigns, or a GET
    rule under /trainer without arguments whose endpoint names an overview or the organisation."""
    rules = [rule for rule in app.url_map.iter_rules()
             if rule.rule.startswith("/trainer") and not rule.arguments and "GET" in rule.methods]
    for rule in rules:
        if rule.rule.rstrip("/") == "/trainer/campaigns":
            return rule.rule
    for rule in rules:
        if any(word in rule.endpoint for word in ("overview", "organisation", "organization")):
            return rule.rule
    return None
