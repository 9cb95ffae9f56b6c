"""Data written by an earlier release still loads: each release leaves a small database made
by `lms demo` under tests/fixtures/db (add one per release); upgrading a copy to head keeps
every row, and the app still serves it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "db").glob("*.sqlite3"))


def rows(database: Path) -> dict[str, list[tuple]]:
    connection = sqlite3.connect(database)
    tables = [name for (name,) in connection.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
        "AND name != 'alembic_version'")]
    data = {table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)  # noqa: S608 - names from sqlite_master
            for table in tables}
    connection.close()
    return data


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.name for f in FIXTURES])
def test_upgrading_an_old_release_keeps_every_row(fixture: Path, tmp_path: Path):
    database = tmp_path / fixture.name
    shutil.copy(fixture, database)
    before = rows(database)
    assert sum(map(len, before.values())) > 100
    env = {**os.environ, "LMS_DATABASE_URL": f"sqlite:///{database}",
           "LMS_INSTANCE_PATH": str(tmp_path / "instance")}
    result = subprocess.run([sys.executable, "-m", "lms.cli", "db", "upgrade"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    after = rows(database)
    for table, old_rows in before.items():
        assert len(after[table]) == len(old_rows), table
        if old_rows:  # every old column value survives (new columns may be added at the end)
            assert [row[:len(old_rows[0])] for row in after[table]] == old_rows, table
    check = subprocess.run([sys.executable, "-m", "lms.cli", "export", str(tmp_path / "e.json")],
                           env=env, capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stderr
