"""`lms backup`: a consistent copy of a live database.

SQLite uses the online backup API, which copies a consistent snapshot while writers go on
(never a file copy of a live database). PostgreSQL uses pg_dump, which reads one snapshot.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupFailed(Exception):
    pass


def backup_database(database_url: str, target: str) -> str:
    """Write a backup of the database to `target`; returns what was written."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return _backup_sqlite(url.database, target)
    if url.get_backend_name() == "postgresql":
        return _backup_postgres(url, target)
    raise BackupFailed(f"No backup method for {url.get_backend_name()}.")


def _backup_sqlite(source: str | None, target: str) -> str:
    if not source or not Path(source).is_file():
        raise BackupFailed(f"The SQLite database {source} does not exist.")
    if Path(target).exists():
        raise BackupFailed(f"{target} exists already; choose a new file.")
    with sqlite3.connect(source, timeout=30) as live, sqlite3.connect(target) as copy:
        live.backup(copy, pages=1024)
        result = copy.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise BackupFailed(f"The backup failed its integrity check: {result}")
    return f"SQLite online backup of {source} -> {target}"


def _backup_postgres(url, target: str) -> str:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupFailed("pg_dump is not installed.")
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    subprocess.run([pg_dump, "--format=custom", "--file", target, plain.split("?")[0]],  # noqa: S603 - fixed argv, no shell
                   check=True, timeout=3600)
    return f"pg_dump of {url.database} -> {target}"
