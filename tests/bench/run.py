"""The benchmark suite: Evergreen's pages against the framework's floor, measured in one run.

    .venv/bin/python tests/bench/run.py            # full run, about 10 minutes
    .venv/bin/python tests/bench/run.py --quick    # 1 round of 2 s, a smaller dataset
    .venv/bin/python tests/bench/run.py --quick --only submission   # one page

It builds a dataset in a temporary folder (`lms demo --campaigns N --people M`, the shipped
courses plus generated modules up to 200, a 60-member cycle with a 40-module plan), serves the
app and a bare Flask floor app (tests/bench/floor_app.py) each under gunicorn with 2 sync
workers and --preload on a loopback port, logs in where a page needs it and loads every page
with wrk -t2 -c8 (or a bounded Python client without wrk), the floor just before each page, in
every round. It prints requests/s, p50 and p99 latency (median of the rounds) and the ratio to
the floor (median over the rounds of the page's rate over the floor's just before it), then
catalog load, memory and page weight figures. Absolute times on a shared machine are noise;
the ratios are the figures.
Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import catalog_load  # noqa: E402 - the bench folder is not a package
import dataset  # noqa: E402
import generate  # noqa: E402
import load  # noqa: E402
import postgres  # noqa: E402
from servers import ROOT, Server  # noqa: E402

PASSWORD = "evergreen-demo"  # noqa: S105 - lms demo's published sample password
LEARNER, SUBMITTER = "staff@demo.test", "candidate@demo.test"
MANAGER, TRAINER = "manager@demo.test", "trainer@demo.test"
ANONYMOUS = ""  # no session: the public catalog as a visitor sees it
MEMORY_TARGET_MB = 150
WEIGHT_TARGET_KB = 60


@dataclass
class Page:
    name: str
    path: str
    who: str
    target: float | None  # None: a figure for comparison, no target
    marker: str
    form: dict | None = None  # a POST (quiz submission): the body without the token
    results: list = field(default_factory=list)
    floors: list = field(default_factory=list)  # the floor's requests/s loaded just before
    problems: list = field(default_factory=list)

    def ratio(self) -> float:
        """Median over the rounds of this page's rate over the floor's measured just before
        it: the machine is shared, and its speed drifts within a round."""
        return statistics.median(r.rps / f for r, f in zip(self.results, self.floors,
                                                            strict=True))


def learner_pages(quiz_paths: list[str]) -> list[Page]:
    answers = [(f"q-{qid}", value) for qid, values in generate.QUIZ_ANSWERS.items()
               for value in values]
    return [
        # Not a page: what every request of a signed-in person costs before any page work
        # (session, user row, limiter, CSRF, headers), measured on a static file the app serves.
        Page("app's own floor: static file, signed in", "/static/img/favicon.svg", LEARNER,
             None, "<svg"),
        Page("catalog (anonymous)", "/", ANONYMOUS, 0.5, "Generated course 1"),
        Page("module page (anonymous)", "/courses/bench-01/topic-2", ANONYMOUS, 0.5,
             "Log in to submit"),
        Page("catalog", "/", LEARNER, 0.5, "Generated course 1"),
        Page("course page (20 modules)", "/courses/bench-01/", LEARNER, 0.5,
             "Generated module 20 of bench-01"),
        Page("module page (with quiz)", "/courses/bench-01/topic-2", LEARNER, 0.5,
             "Submit answers"),
        # Courses outside the dashboard's plan, so the attempts the benchmark stores do not
        # change the other pages' data; the requests go round their modules' quizzes.
        Page("quiz submission (SQLite write)", quiz_paths[0],
             SUBMITTER, 0.2, "", form={"answers": answers, "paths": quiz_paths}),
        Page("My training", "/my", LEARNER, 0.5, "Required by your campaign"),
    ]


def prepare(page: Page, sessions: dict, server: Server) -> str:
    """Check the page answers as expected before loading it; return the POST body if any."""
    session = sessions[page.who]
    if page.form is None:
        response = session.get(page.path)
        if response.status != 200 or page.marker not in response.body:
            raise RuntimeError(f"{page.name}: {page.path} answered {response.status} without "
                               f"'{page.marker}'")
        return ""
    module_path = page.path.split("/quiz/")[0]
    token = session.csrf_token(module_path)
    body = urlencode([("csrf_token", token), *page.form["answers"]])
    check = session.request("POST", page.path, [("csrf_token", token), *page.form["answers"],
                                                ("submission", secrets.token_hex(16))])
    if check.status != 302 or "/attempts/" not in check.headers.get("Location", ""):
        raise RuntimeError(f"{page.name}: a valid submission answered {check.status}")
    return body


def measure(page: Page, server: Server, sessions: dict, body: str, seconds: float, app) -> None:
    # The app re-signs the session cookie at most once a minute (the idle clock); a browser
    # keeps the new cookie, wrk replays one: take the current one as a browser would have it.
    sessions[page.who].get(page.path.split("/quiz/")[0])
    cookie = sessions[page.who].cookie
    if not page.form:
        page.results.append(load.load(server.base + page.path, seconds, cookie=cookie))
        return
    before = dataset.count_attempts(app, page.who)
    result = load.load(server.base + page.path, seconds, cookie=cookie, form=body,
                       paths=page.form["paths"], nonce=secrets.token_hex(4))
    stored = dataset.count_attempts(app, page.who) - before
    # wrk stops counting at the deadline; up to one request per connection may finish later.
    if not result.requests <= stored <= result.requests + 8:
        page.problems.append(f"{result.requests} submissions answered, {stored} stored")
    page.results.append(result)


def row(name: str, result: load.LoadResult | None, ratio: float, target: float | None,
        note: str = "") -> tuple[str, bool]:
    if result is None:
        return f"| {name} | – | – | – | – | ≥ {target} | {note} |", True
    ok = (target is None or ratio >= target) and result.errors == 0 and not note
    verdict = "–" if target is None else ("pass" if ok else "FAIL")
    extra = f" ({note})" if note else ""
    extra += f" ({result.errors} errors)" if result.errors else ""
    return (f"| {name} | {result.rps:.0f} | {result.p50_ms:.1f} | {result.p99_ms:.1f} | "
            f"{ratio:.2f} | {'≥ ' + str(target) if target else '–'} | {verdict}{extra} |"), ok


def login_all(base: str, who: set[str]) -> dict:
    sessions = {}
    for email in sorted(who):
        sessions[email] = load.Session(base)
        if email != ANONYMOUS:
            sessions[email].login(email, PASSWORD)
    return sessions


def environment(work: Path, courses: Path, database_url: str, name: str) -> dict[str, str]:
    instance = work / name
    instance.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith("LMS_")}
    env.update({"LMS_INSTANCE_PATH": str(instance), "LMS_COURSES_DIR": str(courses),
                "LMS_DATABASE_URL": database_url, "LMS_ENV": "development",
                "LMS_SECRET_KEY": secrets.token_hex(32), "FLASK_DEBUG": "0"})
    return env


def postgres_overview(args, work: Path, courses: Path, path: str,
                      floor: Server) -> tuple[str, bool]:
    """The organisation overview on a fresh PostgreSQL database with the same demo data."""
    name = "organisation overview (PostgreSQL)"
    url = postgres.fresh_database()
    if url is None:
        return f"| {name} | – | – | – | – | ≥ 0.2 | skipped: no PostgreSQL server answers |", True
    try:
        env = environment(work, courses, url, "postgres")
        dataset.run_demo(env, args.campaigns, args.people)
        postgres.analyze(url)
        page = Page(name, path, TRAINER, 0.2, "")
        with Server("lms:create_app()", env, work / "app-postgres.log") as server:
            server.wait_ready()
            sessions = login_all(server.base, {TRAINER})
            prepare(page, sessions, server)
            for _ in range(args.rounds):
                page.floors.append(load.load(floor.base + "/", args.seconds).rps)
                measure(page, server, sessions, "", args.seconds, None)
        return row(name, load.LoadResult.median(page.results), page.ratio(), 0.2)
    finally:
        if not args.keep:
            postgres.drop_database()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--campaigns", type=int, default=1000)
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--modules", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="1 round of 2 s, 200 campaigns")
    parser.add_argument("--no-catalog-load", action="store_true")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--only", default="", metavar="TEXT",
                        help="load only the pages whose name contains TEXT (when working on "
                             "one page; PostgreSQL and catalog load only if TEXT names them)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--markdown", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.seconds, args.campaigns, args.people = 1, 2, 200, 4000
    work = Path(tempfile.mkdtemp(prefix="evergreen-bench-"))
    try:
        report, ok = run(args, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(report)
    if args.markdown:
        args.markdown.write_text(report + "\n")
    return 0 if ok else 1


def run(args, work: Path) -> tuple[str, bool]:
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    courses = work / "courses"
    plan_courses = generate.build_courses(courses, args.modules)[:2]
    env = environment(work, courses, f"sqlite:///{work / 'sqlite' / 'lms.sqlite3'}", "sqlite")
    say(f"dataset: lms demo --campaigns {args.campaigns} --people {args.people} ...")
    dataset.run_demo(env, args.campaigns, args.people)
    app = dataset.bench_app(env)
    team = dataset.setup_dashboard(app, plan_courses)
    overview_path = dataset.organisation_overview_path(app)
    lines = [f"Dataset: {args.campaigns} campaigns, {args.people} people with progress, "
             f"{args.modules} modules; dashboard: {team['members']} members x "
             f"{team['modules']} modules. Load: "
             f"{'wrk -t2 -c8' if load.have_wrk() else 'Python client, 8 connections'}, "
             f"{args.rounds} round(s) of {args.seconds:g} s, median; gunicorn 2 sync workers "
             "--preload.", ""]
    pages = learner_pages(dataset.quiz_paths(app, plan_courses)) + [
        Page(f"campaign dashboard ({team['members']} x {team['modules']})",
             f"/campaigns/{team['campaign_id']}/dashboard", MANAGER, 0.2, "Team dashboard")]
    if overview_path:
        pages.append(Page("organisation overview (SQLite)", overview_path, TRAINER, 0.2, ""))
    if args.only:
        pages = [page for page in pages if args.only.lower() in page.name.lower()]
        args.no_postgres |= args.only.lower() not in "organisation overview (postgresql)"
        args.no_catalog_load |= args.only.lower() not in "catalog load"

    with Server("lms:create_app()", env, work / "app.log") as server:
        server.wait_ready()
        sessions = login_all(server.base, {LEARNER} | {page.who for page in pages})
        bodies = {page.name: prepare(page, sessions, server) for page in pages}
        module_page = sessions[LEARNER].get("/courses/bench-01/topic-2").body.encode()
        css = (ROOT / "static" / "css" / "app.css").read_bytes()
        floor_env = {**env, "FLOOR_BYTES": str(len(module_page))}
        with Server("floor_app:app", floor_env, work / "floor.log",
                    extra=["--pythonpath", str(Path(__file__).parent)]) as floor:
            floor.wait_ready()
            floor_results = []
            for number in range(args.rounds):
                say(f"round {number + 1} of {args.rounds} ...")
                for page in pages:
                    floor_results.append(load.load(floor.base + "/", args.seconds))
                    page.floors.append(floor_results[-1].rps)
                    measure(page, server, sessions, bodies[page.name], args.seconds, app)
            rss = server.worker_rss_mb()
            floor_rss = floor.worker_rss_mb()
            floor_result = load.LoadResult.median(floor_results)
            table = ["| page | requests/s | p50 ms | p99 ms | ratio to floor | target | result |",
                     "| --- | ---: | ---: | ---: | ---: | --- | --- |"]
            text, ok = row(f"floor (bare Flask, {len(module_page) / 1024:.0f} KB)",
                           floor_result, 1.0, None)
            table.append(text)
            for page in pages:
                text, good = row(page.name, load.LoadResult.median(page.results), page.ratio(),
                                 page.target, "; ".join(page.problems))
                table.append(text)
                ok &= good
            if not overview_path:
                table.append("| organisation overview (1,000 campaigns) | – | – | – | – | ≥ 0.2 "
                             "| not built yet: no /trainer overview route in this build |")
            if overview_path and not args.no_postgres:
                say("organisation overview on PostgreSQL ...")
                text, good = postgres_overview(args, work, courses, overview_path, floor)
                table.append(text)
                ok &= good
    lines += table
    memory_ok = bool(rss) and max(rss) < MEMORY_TARGET_MB
    weight_kb = (len(module_page) + len(css)) / 1024
    lines += ["", "| figure | value | target | result |", "| --- | ---: | --- | --- |",
              f"| app worker RSS, {args.modules} modules loaded (each worker) | "
              f"{', '.join(f'{mb:.0f} MB' for mb in rss)} | < {MEMORY_TARGET_MB} MB | "
              f"{'pass' if memory_ok else 'FAIL'} |",
              f"| floor worker RSS (for scale) | {', '.join(f'{mb:.0f} MB' for mb in floor_rss)}"
              " | – | – |",
              f"| module page weight: HTML {len(module_page) / 1024:.1f} KB + CSS "
              f"{len(css) / 1024:.1f} KB | {weight_kb:.1f} KB | < {WEIGHT_TARGET_KB} KB | "
              f"{'pass' if weight_kb < WEIGHT_TARGET_KB else 'FAIL'} |"]
    ok &= memory_ok and weight_kb < WEIGHT_TARGET_KB
    if not args.no_catalog_load:
        say("catalog load figures ...")
        figures = catalog_load.run(work / "load", courses)
        lines += ["", catalog_load.table(figures)]
        ok &= all(f.passed for f in figures)
    return "\n".join(lines), ok


if __name__ == "__main__":
    sys.exit(main())
