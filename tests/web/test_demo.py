"""`lms demo`: a living sample on an empty database, refused on one with people."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms import create_app
from lms.auth.models import User
from lms.campaigns.models import Campaign, Cycle
from lms.extensions import db
from tests.conftest import login

REAL_COURSES = Path(__file__).resolve().parents[2] / "courses"


@pytest.fixture
def demo_app(app_config, monkeypatch, tmp_path):
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({**app_config, "COURSES_DIR": str(REAL_COURSES)})
    yield app  # `lms demo` applies the migrations itself
    with app.app_context():
        db.engine.dispose()


def test_demo_fills_an_empty_database_and_refuses_a_second_time(demo_app):
    runner = demo_app.test_cli_runner()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "manager@demo.test" in result.output and "evergreen-demo" in result.output
    with demo_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 12
        assert db.session.scalar(select(func.count()).select_from(Campaign)) == 2
        cycles = db.session.scalars(select(Cycle)).all()
        assert len(cycles) == 3 and sum(not c.is_open for c in cycles) == 1
    again = runner.invoke(args=["demo"])
    assert again.exit_code != 0 and "--force" in again.output
    with demo_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 12


def test_the_demo_manager_sees_a_living_dashboard(demo_app):
    demo_app.test_cli_runner().invoke(args=["demo"])
    client = demo_app.test_client()
    login(client, "manager@demo.test", "evergreen-demo")
    page = client.get("/campaigns/1/dashboard").get_data(as_text=True)
    assert "Sam Staffer" in page and "Carla Lopez" in page
    assert "cell--completed" in page and "Digital advertising" in page
    history = client.get("/campaigns/1/history").get_data(as_text=True)
    assert "2024" in history and "Closed" in history
