"""No data lost: concurrent writers, a crash before commit, and a killed worker under load."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from lms import create_app
from lms.extensions import db
from lms.progress.models import Completion, QuizAttempt
from tests.support.live import Client, free_port, start_lms, stop, wait_for

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
ANSWERS = {"q-first-words": "1", "q-personal-data": ["0", "1"], "q-photo-consent": "false",
           "q-door-app": "door log", "q-pace": "20"}


def migrated_app(url: str, courses: Path, tmp_path: Path):
    os.environ["LMS_INSTANCE_PATH"] = str(tmp_path / "instance")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "COURSES_DIR": str(courses),
                      "SECRET_KEY": "k" * 40, "TESTING": True})
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
    return app


def test_two_processes_of_four_threads_record_each_write_exactly_once(database_url,
                                                                      courses_dir, tmp_path):
    app = migrated_app(database_url, courses_dir, tmp_path)
    with app.app_context():
        from lms.auth.services import register

        users = [register(f"U{n}", f"u{n}@example.org", PASSWORD).id for n in range(10)]
        db.session.commit()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LMS_INSTANCE_PATH": str(tmp_path / "i")}
    command = [sys.executable, "-m", "tests.support.concurrent_writer", database_url,
               str(courses_dir), ",".join(map(str, users))]
    processes = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, cwd=ROOT,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = []
    for process in processes:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err[-2000:]
        outcomes.append(json.loads(out.strip().splitlines()[-1]))
    assert [o["errors"] for o in outcomes] == [[], []]
    assert sum(o["recorded"] for o in outcomes) == 200
    assert sum(o["recorded"] + o["already"] for o in outcomes) == 2 * 4 * 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Completion)) == 200
        assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 200
        db.engine.dispose()


def quiz_submission(client: Client, n: int) -> dict:
    return {"submission": f"{n:032x}", **ANSWERS}


def prepare(tmp_path: Path, courses: Path) -> tuple[dict, Path]:
    database = tmp_path / "live.sqlite3"
    env = {**os.environ, "LMS_INSTANCE_PATH": str(tmp_path / "instance"),
           "LMS_DATABASE_URL": f"sqlite:///{database}", "LMS_COURSES_DIR": str(courses)}
    subprocess.run([sys.executable, "-m", "lms.cli", "db", "upgrade"], env=env, check=True,
                   capture_output=True, timeout=120)
    subprocess.run([sys.executable, "-m", "lms.cli", "user", "create", "--email",
                    "ana@example.org", "--name", "Ana", "--password", PASSWORD], env=env,
                   check=True, capture_output=True, timeout=120)
    return env, database


def test_a_crash_before_commit_leaves_nothing_half_written(tmp_path, courses_dir):
    env, database = prepare(tmp_path, courses_dir)
    log = tmp_path / "server.log"
    process, url = start_lms({**env, "LMS_FAULT_INJECTION": "quiz-before-commit"}, log)
    client = Client(url)
    try:
        assert client.login("ana@example.org", PASSWORD) == 302
        path = "/courses/quizzing/canvass"
        with pytest.raises(OSError):  # the server dies mid-request
            client.post(path + "/quiz/canvass-check", quiz_submission(client, 1),
                        token_from=path)
        process.wait(timeout=10)
        assert process.returncode == 70
    finally:
        stop(process)
    live = sqlite3.connect(database)
    assert live.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert live.execute("PRAGMA foreign_key_check").fetchall() == []
    assert live.execute("SELECT count(*) FROM quiz_attempt").fetchone()[0] == 0
    assert live.execute("SELECT count(*) FROM completion").fetchone()[0] == 0
    live.close()
    process, url = start_lms(env, log, port=int(url.rsplit(":", 1)[1]))
    try:
        status, headers, _ = client.post("/courses/quizzing/canvass/quiz/canvass-check",
                                         quiz_submission(client, 1),
                                         token_from="/courses/quizzing/canvass")
        assert status == 302 and "/attempts/" in headers["Location"], headers
    finally:
        stop(process)
    live = sqlite3.connect(database)
    assert live.execute("SELECT count(*) FROM quiz_attempt").fetchone()[0] == 1
    assert live.execute("SELECT count(*) FROM completion").fetchone()[0] == 1


def test_killing_a_worker_under_load_loses_no_acknowledged_write(tmp_path, courses_dir):
    pytest.importorskip("gunicorn", reason="gunicorn is in the test extra")
    env, database = prepare(tmp_path, courses_dir)
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("w") as handle:
        master = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
             "--graceful-timeout", "1", "lms:create_app()"],
            env={**env, "LMS_SECRET_KEY": "s" * 64}, stdout=handle, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url, master, log)
        acknowledged, failed = [], []
        lock = threading.Lock()

        def load(thread: int) -> None:
            client, logged_in = Client(url), False
            path = "/courses/quizzing/canvass"
            for n in range(thread * 1000, thread * 1000 + 30):
                stored = False
                try:  # a request the killed worker was serving fails: not acknowledged
                    logged_in = logged_in or client.login("ana@example.org", PASSWORD) == 302
                    status, headers, _ = client.post(path + "/quiz/canvass-check",
                                                     quiz_submission(client, n), token_from=path)
                    stored = status == 302 and "/attempts/" in headers.get("Location", "")
                except (OSError, AttributeError):
                    pass
                with lock:
                    (acknowledged if stored else failed).append(n)

        threads = [threading.Thread(target=load, args=(t,)) for t in range(4)]
        for thread in threads:
            thread.start()
        while len(acknowledged) < 20:
            time.sleep(0.05)
        workers = subprocess.run(["pgrep", "-P", str(master.pid)], capture_output=True,
                                 text=True).stdout.split()
        os.kill(int(workers[0]), signal.SIGKILL)
        for thread in threads:
            thread.join(timeout=300)
    finally:
        master.terminate()
        master.wait(timeout=30)
    live = sqlite3.connect(database)
    stored = {int(token, 16) for (token,) in live.execute(
        "SELECT submission_token FROM quiz_attempt")}
    assert live.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert set(acknowledged) <= stored, "every acknowledged write is in the database"
    assert len(acknowledged) >= 60
