"""Every Flask extension, created once here and bound to the app in create_app."""

from __future__ import annotations

from flask import current_app, has_request_context, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

# Stable constraint names, so migrations can find constraints on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """Durable, consistent SQLite: WAL, full sync, foreign keys, a busy timeout."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    # Let SQLAlchemy's BEGIN (issued below) control transactions, so writes can BEGIN IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in (
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=FULL",
        "PRAGMA foreign_keys=ON",
        "PRAGMA busy_timeout=10000",
    ):
        cursor.execute(pragma)
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn) -> None:
    """Begin SQLite transactions ourselves (pysqlite's own handling is switched off above).

    A request that may write (any unsafe method) and every command outside a request begin
    IMMEDIATE, so concurrent writers queue on the busy timeout instead of failing half-way;
    GET and HEAD requests begin a plain read transaction, so readers never wait on writers, and
    so does a reads-first view (lms/db_ops.py), which writes on a connection of its own.
    """
    if conn.dialect.name != "sqlite":
        return
    run_on_cursor(conn, "BEGIN" if _reading() else "BEGIN IMMEDIATE", ())


def run_on_cursor(connection, sql: str, arguments):
    """Run SQL on the connection's DBAPI cursor, firing the cursor events (statement counts and
    logs see it) and raising driver errors as SQLAlchemy's: what SQLAlchemy does around a
    statement that matters here, for a fifth of its cost (lms/db_ops.py)."""
    cursor = connection.connection.driver_connection.cursor()
    dispatch, dbapi = connection.dispatch, connection.dialect.loaded_dbapi
    dispatch.before_cursor_execute(connection, cursor, sql, arguments, None, False)
    try:
        cursor.execute(sql, arguments)
    except dbapi.Error as problem:
        raise DBAPIError.instance(sql, arguments, problem, dbapi.Error) from problem
    dispatch.after_cursor_execute(connection, cursor, sql, arguments, None, False)
    return cursor


def _reading() -> bool:
    if not has_request_context():
        return False
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return True
    view = current_app.view_functions.get(request.endpoint)
    return getattr(view, "reads_first", False)
