"""The PostgreSQL side of the benchmark: a fresh `evergreen_bench` database on the server that
LMS_BENCH_POSTGRES_URL names (default: the local server, postgresql://postgres@127.0.0.1:5432/)."""

from __future__ import annotations

import contextlib
import os

import sqlalchemy

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE = "evergreen_bench"


def _admin_url() -> sqlalchemy.URL:
    url = sqlalchemy.make_url(os.environ.get("LMS_BENCH_POSTGRES_URL") or DEFAULT_URL)
    return url.set(drivername="postgresql+psycopg", database=url.database or "postgres")


def _execute(statement: str) -> None:
    engine = sqlalchemy.create_engine(_admin_url(), isolation_level="AUTOCOMMIT",
                                      connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(statement)
    finally:
        engine.dispose()


def fresh_database() -> str | None:
    """Drop and create the benchmark database; its URL, or None when no server answers."""
    try:
        _execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        _execute(f'CREATE DATABASE "{DATABASE}"')
    except sqlalchemy.exc.OperationalError:
        return None
    return _admin_url().set(database=DATABASE).render_as_string(hide_password=False)


def drop_database() -> None:
    with contextlib.suppress(sqlalchemy.exc.OperationalError):
        _execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def analyze(url: str) -> None:
    """Refresh the planner's statistics after the bulk load, as autovacuum soon would."""
    engine = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()
