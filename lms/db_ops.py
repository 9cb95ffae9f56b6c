"""Database operations the services share: statements built once and run cheaply, idempotent
inserts on SQLite and PostgreSQL, and a request's write transaction kept short."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import g
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from lms.extensions import db

_prepared: dict = {}


def execute(statement, params: dict[str, Any] | None = None):
    """Run a statement built once (a module constant with bind parameters) in the session's
    transaction; return the DBAPI cursor (rows of plain values: ids, keys, numbers).

    It is compiled once per dialect and set of parameter names, and its parameters go through
    the statement's own column types, so the database receives what SQLAlchemy would send; the
    cursor events still fire (the tests count statements with them) and driver errors come as
    SQLAlchemy's. What it leaves out is SQLAlchemy's per-statement machinery, 3-5 times the
    cost of running the statement on SQLite: a quiz submission runs seven of them while it
    holds the one write lock."""
    params = params or {}
    connection = _connection()
    dialect = connection.dialect
    key = (dialect.name, statement, frozenset(params))
    prepared = _prepared.get(key)
    if prepared is None:
        compiled = statement.compile(dialect=dialect, column_keys=list(params))
        names = compiled.positiontup if compiled.positional else None
        processors = {}
        for name, bind in compiled.binds.items():
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                processors[name] = processor
        prepared = _prepared[key] = (compiled, names, processors)
    compiled, names, processors = prepared
    values = compiled.construct_params(params)
    for name, processor in processors.items():
        if name in values:
            values[name] = processor(values[name])
    sql, arguments = compiled.string, [values[name] for name in names] if names else values
    cursor = connection.connection.driver_connection.cursor()
    connection.dispatch.before_cursor_execute(connection, cursor, sql, arguments, None, False)
    try:
        cursor.execute(sql, arguments)
    except dialect.loaded_dbapi.Error as problem:
        raise DBAPIError.instance(sql, arguments, problem, dialect.loaded_dbapi.Error) \
            from problem
    connection.dispatch.after_cursor_execute(connection, cursor, sql, arguments, None, False)
    return cursor


def _connection():
    """The session's connection in its current transaction (begun if need be), found once per
    transaction; pending ORM changes are flushed first, as the session would."""
    session = db.session()
    session.flush()
    kept = session.info.get("lms.connection")
    transaction = session.get_transaction()
    if transaction is None or kept is None or kept[0] is not transaction:
        connection = session.connection()
        kept = session.info["lms.connection"] = (session.get_transaction(), connection)
    return kept[1]


_inserts: dict = {}


def insert_once(model: type, values: dict[str, Any]):
    """INSERT ... ON CONFLICT DO NOTHING: the new row's primary key (a tuple), or None when
    the row was already there."""
    dialect = _connection().dialect.name
    statement = _inserts.get((dialect, model))
    if statement is None:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        table = model.__table__
        # RETURNING, not rowcount: PostgreSQL drivers report -1 for implicit-RETURNING inserts.
        statement = _inserts[(dialect, model)] = (insert(table).on_conflict_do_nothing()
                                                  .returning(*table.primary_key.columns))
    return execute(statement, values).fetchone()


def reads_first(view: Callable) -> Callable:
    """Mark a view whose unsafe request reads in a plain transaction (the user row, its checks)
    and writes in a second one it begins with `begin_writing()`: on SQLite the one write lock is
    held for the writes alone, not the whole request (lms/extensions.py). Put it above
    @login_required."""
    view.reads_first = True
    return view


def begin_writing() -> None:
    """End the request's reads (the caller has written nothing yet; the session's objects
    expire) so that its next statement begins the write transaction, immediately on SQLite.
    The caller commits."""
    db.session.rollback()
    g.lms_writing = True


@contextmanager
def write_queue() -> Iterator[None]:
    """Around a short write transaction on an SQLite file, up to its commit: writers wait their
    turn on a lock file beside the database, which the kernel hands to the next one the moment
    it is free. Waiting in SQLite's busy handler instead sleeps 1, 2, 5, 10... ms between
    tries, longer than a submission holds the lock. It only orders the waiting: SQLite's own
    lock still makes every write correct, queued here or not."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        yield
        return
    handle = os.open(f"{url.database}.write-queue", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # and the lock with it
