"""Migrations: the real `lms db upgrade` builds the schema, and the models match it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from lms import create_app
from lms.extensions import db


def test_lms_db_upgrade_creates_the_schema_on_an_empty_file(tmp_path: Path):
    database = tmp_path / "fresh.sqlite3"
    env = {**os.environ, "LMS_DATABASE_URL": f"sqlite:///{database}",
           "LMS_INSTANCE_PATH": str(tmp_path / "instance")}
    result = subprocess.run([sys.executable, "-m", "lms.cli", "db", "upgrade"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    tables = {row[0] for row in sqlite3.connect(database).execute(
        "SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"user", "completion", "module_view", "alembic_version"} <= tables


def test_models_match_the_migrations(app_config, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(app_config)
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert diff == [], f"models and migrations differ: {diff}"
