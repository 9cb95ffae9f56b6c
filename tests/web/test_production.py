"""The README's production section, for real: PostgreSQL, gunicorn with two workers, and
login throttling shared through Redis between two app processes."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy

from tests.conftest import POSTGRES_URL
from tests.support.live import Client, free_port, start_lms, stop, wait_for

REDIS_URL = os.environ.get("LMS_TEST_REDIS_URL", "")
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"


@pytest.fixture
def fresh_postgres():
    if not POSTGRES_URL:
        pytest.skip("LMS_TEST_DATABASE_URL is not set (CI sets it)")
    url = sqlalchemy.make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
    name = f"evergreen_prod_{uuid.uuid4().hex[:8]}"
    admin = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def test_db_upgrade_then_gunicorn_serves_a_logged_in_module_page(fresh_postgres, tmp_path):
    env = {**os.environ, "LMS_ENV": "production", "LMS_SECRET_KEY": "p" * 64,
           "LMS_BASE_URL": "https://training.example.org",
           "LMS_DATABASE_URL": fresh_postgres, "LMS_INSTANCE_PATH": str(tmp_path / "i"),
           "LMS_COURSES_DIR": str(ROOT / "tests/fixtures/courses")}
    for command in (["db", "upgrade"], ["user", "create", "--email", "ana@example.org",
                                        "--name", "Ana", "--password", PASSWORD]):
        result = subprocess.run([sys.executable, "-m", "lms.cli", *command], env=env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr[-2000:]
    port, log = free_port(), tmp_path / "gunicorn.log"
    with log.open("w") as handle:
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "2", "--bind",
                                   f"127.0.0.1:{port}", "lms:create_app()"], env=env,
                                  stdout=handle, stderr=subprocess.STDOUT)
    try:
        wait_for(f"http://127.0.0.1:{port}", server, log)
        client = Client(f"http://127.0.0.1:{port}")
        assert client.login("ana@example.org", PASSWORD) == 302
        for _ in range(4):  # both workers serve the same session
            status, headers, html = client.get("/courses/quizzing/canvass")
            assert status == 200 and "Check your canvassing basics" in html
            assert "Log in to submit" not in html
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_two_app_processes_share_the_login_limit_through_redis(tmp_path):
    if not REDIS_URL:
        pytest.skip("LMS_TEST_REDIS_URL is not set (CI sets it)")
    prefix = f"evergreen-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "LMS_INSTANCE_PATH": str(tmp_path / "i"),
           "LMS_DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
           "LMS_COURSES_DIR": str(ROOT / "tests/fixtures/courses"),
           "LMS_RATELIMIT_STORAGE_URL": REDIS_URL, "LMS_RATELIMIT_KEY_PREFIX": prefix,
           "LMS_LOGIN_RATE_LIMIT": "4 per minute"}
    first, url_a = start_lms(env, tmp_path / "a.log")
    second, url_b = start_lms(env, tmp_path / "b.log")
    try:
        a, b = Client(url_a), Client(url_b)
        statuses = [a.login("ana@example.org", "wrong one"), b.login("ana@example.org", "wrong"),
                    a.login("ana@example.org", "wrong"), b.login("ana@example.org", "wrong"),
                    b.login("ana@example.org", "wrong"), a.login("ana@example.org", "wrong")]
    finally:
        stop(first)
        stop(second)
    assert statuses[:4] == [200] * 4
    assert statuses[4:] == [429, 429], "the fifth failure, on either process, is refused"
