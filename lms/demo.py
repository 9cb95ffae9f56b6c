"""`lms demo`: a living sample database, for a first look around and for the benchmarks.

Two named campaigns with three cycles (one closed), a dozen people with realistic progress, and
accounts whose passwords are printed. Options scale it up: more campaigns and people, each with
progress, written in bulk. It refuses a database that already holds people unless forced.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, insert, select

from lms.auth.models import User
from lms.auth.passwords import hash_password
from lms.auth.services import canonical_email
from lms.campaigns.models import Campaign, Cycle, Membership, PlanItem
from lms.content.catalog import Catalog
from lms.extensions import db
from lms.models import utcnow
from lms.progress.models import Completion, ModuleView, QuizAttempt

PASSWORD = "evergreen-demo"  # noqa: S105 - the demo accounts' published password
ACCOUNTS = [  # email, name, trainer, role in the first campaign
    ("manager@demo.test", "Mia Manager", False, "manager"),
    ("candidate@demo.test", "Carla Lopez", False, "candidate"),
    ("staff@demo.test", "Sam Staffer", False, "staff"),
    ("trainer@demo.test", "Tess Trainer", True, None),
]
FIRST = ["Ana", "Ben", "Chloe", "Dev", "Elena", "Femi", "Gus", "Hana", "Ivan", "Jo", "Kai",
         "Lena", "Marco", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sol", "Tomas"]
LAST = ["Alvarez", "Brooks", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Hughes", "Ito",
        "Jones", "Khan", "Lee", "Moreno", "Nguyen", "Okafor", "Patel", "Reyes", "Smith"]
STATES = ["OH", "AZ", "PA", "WI", "MI", "GA", "NC", "NV", "VA", "MN"]
PLAN = {  # role -> (course keys, days before election day)
    "candidate": (["digital-for-candidates"], 120),
    "manager": (["digital-for-candidates", "hiring-consultants"], 150),
    "staff": (["digital-advertising", "campaign-data"], 90),
    "volunteer": (["campaign-data"], 60),
}


class DemoRefused(Exception):
    """The database already holds people."""


@dataclass
class DemoResult:
    accounts: list[tuple[str, str, str]]  # email, name, what they can see
    campaigns: int
    people: int


def build_demo(catalog: Catalog, *, campaigns: int = 2, people: int = 12, force: bool = False,
               seed: int = 2026) -> DemoResult:
    """Fill the database; one transaction, committed by the caller."""
    if db.session.scalar(select(func.count()).select_from(User)) and not force:
        raise DemoRefused("This database already has accounts. Use --force to add demo data.")
    rng = random.Random(seed)  # noqa: S311 - sample data, not security
    password_hash = hash_password(PASSWORD)
    suffix = "" if not force else "-" + secrets.token_hex(3)
    named = [_user(email.replace("@", suffix + "@"), name, password_hash, trainer)
             for email, name, trainer, _ in ACCOUNTS]
    extra = _bulk_users(max(people - len(named), 0), password_hash, rng, suffix)
    plan = {role: ([c for c in keys if catalog.course(c)], days)
            for role, (keys, days) in PLAN.items()}
    now = utcnow()
    first = _campaign("Lopez for State House", "OH", "State House", "District 41")
    second = _campaign("Reyes for County Commission", "AZ", "County Commission", "District 3")
    all_campaigns = [first, second] + [
        _campaign(f"{rng.choice(LAST)} for State Senate", rng.choice(STATES), "State Senate",
                  f"District {n}") for n in range(3, campaigns + 1)]
    old = _cycle(first, 2024, date(2024, 11, 5), closed=datetime(2024, 11, 8, tzinfo=now.tzinfo))
    cycles = [_cycle(c, 2026, date(2026, 11, 3)) for c in all_campaigns]
    for cycle in [old, *cycles]:
        db.session.add_all(PlanItem(cycle_id=cycle.id, course_key=key, role=role,
                                    due_days_before=days)
                           for role, (keys, days) in plan.items() for key in keys)
    members = _assign(named, extra, old, cycles, rng)
    _progress(members, plan, catalog, rng, now)
    from lms.reports.dashboard import snapshot_plan

    old.closed_snapshot = snapshot_plan(old, catalog)
    db.session.flush()
    accounts = [(u.email, u.name, a[3] or "trainer: every campaign") for u, a in
                zip(named, ACCOUNTS, strict=True)]
    return DemoResult(accounts, len(all_campaigns), len(named) + len(extra))


def _user(email: str, name: str, password_hash: str, trainer: bool = False) -> User:
    user = User(email=email, email_canonical=canonical_email(email), name=name,
                password_hash=password_hash, is_trainer=trainer)
    db.session.add(user)
    db.session.flush()
    return user


def _bulk_users(count: int, password_hash: str, rng: random.Random, suffix: str) -> list[int]:
    if not count:
        return []
    rows = []
    for n in range(count):
        email = f"person{n + 1}{suffix}@demo.test"
        rows.append({"email": email, "email_canonical": email, "password_hash": password_hash,
                     "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "is_admin": False,
                     "is_trainer": False, "disabled": False, "session_generation": 0,
                     "created_at": utcnow()})
    db.session.execute(insert(User), rows)
    pattern = f"person%{suffix}@demo.test"
    return list(db.session.scalars(select(User.id).where(User.email.like(pattern))))


def _campaign(name: str, state: str, office: str, district: str) -> Campaign:
    campaign = Campaign(name=name, state=state, office=office, district=district)
    db.session.add(campaign)
    db.session.flush()
    return campaign


def _cycle(campaign: Campaign, year: int, election: date, closed: datetime | None = None):
    cycle = Cycle(campaign_id=campaign.id, election_year=year, election_date=election,
                  closed_at=closed, created_at=datetime(year - 1, 12, 1, tzinfo=utcnow().tzinfo))
    db.session.add(cycle)
    db.session.flush()
    return cycle


def _assign(named: list[User], extra: list[int], old: Cycle, cycles: list[Cycle],
            rng: random.Random) -> list[tuple[int, Cycle, str]]:
    """(user id, cycle, role) for every membership; the named people on the first campaign."""
    members = [(u.id, cycles[0], role) for u, (*_, role) in zip(named, ACCOUNTS, strict=True)
               if role]
    members += [(named[0].id, old, "manager"), (named[2].id, old, "staff")]
    for n, user_id in enumerate(extra):
        cycle = cycles[n % len(cycles)]
        role = rng.choices(["staff", "volunteer", "manager"], weights=[6, 3, 1])[0]
        members.append((user_id, cycle, role))
        if cycle is cycles[0] and n % 3 == 0:
            members.append((user_id, old, role))
    rows = [{"cycle_id": c.id, "user_id": u, "role": r,
             "joined_at": c.created_at + timedelta(days=rng.randint(1, 60)), "removed_at": None}
            for u, c, r in members]
    db.session.execute(insert(Membership), rows)
    return members


def _progress(members, plan, catalog: Catalog, rng: random.Random, now: datetime) -> None:
    completions, views, attempts, seen = [], [], [], set()
    for user_id, cycle, role in members:
        start = cycle.created_at + timedelta(days=30)
        end = cycle.closed_at or now
        for key in plan[role][0]:
            modules = catalog.course(key).modules
            done = rng.randint(0, len(modules))
            for index, module in enumerate(modules[: done + 1]):
                if (user_id, key, module.key) in seen:
                    continue
                seen.add((user_id, key, module.key))
                at = start + (end - start) * rng.random()
                views.append({"user_id": user_id, "course_key": key, "module_key": module.key,
                              "first_viewed_at": at, "last_viewed_at": at})
                if index == done:
                    continue
                completions.append({"user_id": user_id, "course_key": key,
                                    "module_key": module.key, "module_version": module.version,
                                    "completed_at": at})
                for quiz in module.graded_quizzes:
                    attempts.append(_attempt(user_id, module, quiz, at))
    for model, rows in ((ModuleView, views), (Completion, completions), (QuizAttempt, attempts)):
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(model), rows[start:start + 5000])


def _attempt(user_id: int, module, quiz, at: datetime) -> dict:
    max_points = quiz.max_points
    return {"user_id": user_id, "submission_token": secrets.token_hex(16),
            "course_key": module.course_key, "module_key": module.key,
            "module_version": module.version, "quiz_id": quiz.id,
            "quiz_version": quiz.version, "record": {"quiz_id": quiz.id, "questions": []},
            "earned": max_points, "max_points": max_points, "percent": 100.0, "passed": True,
            "created_at": at}
