"""Database operations the services share: statements built once and run cheaply, idempotent
inserts on SQLite and PostgreSQL, and a request's write transaction kept short."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, NamedTuple

from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from lms.extensions import db, run_on_cursor

_prepared: dict = {}


def execute(statement, params: dict[str, Any] | None = None):
    """Run a statement built once (a module constant with bind parameters) in the current
    transaction (write_transaction's, else the ORM session's); return the DBAPI cursor (rows
    of plain values as the driver gives them: ids, keys, numbers).

    It is compiled once per dialect and set of parameter names, and its parameters go through
    the statement's own column types, so the database receives what SQLAlchemy would send; the
    cursor events still fire (the tests count statements with them) and driver errors come as
    SQLAlchemy's. What it leaves out is SQLAlchemy's per-statement machinery, 3-5 times the
    cost of running the statement on SQLite: a quiz submission runs seven of them while it
    holds the one write lock."""
    connection = _connection()
    if isinstance(statement, Bound):
        return run_on_cursor(connection, *statement)
    return run_on_cursor(connection, *_bound(connection.dialect, statement, params or {}))


class Bound(NamedTuple):
    """A statement with its parameters, compiled and converted ahead of time (bind)."""

    sql: str
    arguments: Any


def bind(statement, params: dict[str, Any]) -> Bound:
    """The statement bound for the app's database ahead of the transaction that runs it
    (execute(bound)): what a write transaction can work out before it takes the write lock."""
    return Bound(*_bound(db.engine.dialect, statement, params))


def _bound(dialect, statement, params: dict[str, Any]) -> tuple[str, Any]:
    key = (dialect.name, statement, frozenset(params))
    prepared = _prepared.get(key)
    if prepared is None:
        compiled = statement.compile(dialect=dialect, column_keys=list(params))
        names = compiled.positiontup if compiled.positional else None
        processors = {}
        for name, bind_param in compiled.binds.items():
            processor = bind_param.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                processors[name] = processor
        prepared = _prepared[key] = (compiled, names, processors)
    compiled, names, processors = prepared
    values = compiled.construct_params(params)
    for name, processor in processors.items():
        if name in values:
            values[name] = processor(values[name])
    return compiled.string, [values[name] for name in names] if names else values


def _connection():
    """The connection of the current write transaction (write_transaction), else the ORM
    session's in its current transaction (begun if need be; pending ORM changes flushed first,
    as the session would)."""
    writing = _writing.get()
    if writing is not None:
        return writing.connection
    db.session.flush()
    return db.session.connection()


def first_in_transaction(*key) -> bool:
    """Whether `key` comes up for the first time in the current transaction (or savepoint):
    raising a revision once is enough, the committed value differs from every earlier one."""
    writing = _writing.get()
    if writing is not None:
        seen = key in writing.once
        writing.once.add(key)
        return not seen
    connection = _connection()
    transaction = connection.get_nested_transaction() or connection.get_transaction()
    info = connection.info  # kept with the DBAPI connection: keyed by the transaction
    if info.get("lms.once_in") is not transaction:
        info["lms.once_in"], info["lms.once"] = transaction, set()
    if key in info["lms.once"]:
        return False
    info["lms.once"].add(key)
    return True


_inserts: dict = {}


def insert_once(model: type, values: dict[str, Any]):
    """INSERT ... ON CONFLICT DO NOTHING: the new row's primary key (a tuple), or None when
    the row was already there."""
    return execute(_insert(model, _connection().dialect.name), values).fetchone()


def bind_insert(model: type, values: dict[str, Any]) -> Bound:
    """insert_once's statement for these values, bound ahead of the write transaction:
    execute(bound).fetchone() is then what insert_once returns."""
    return bind(_insert(model, db.engine.dialect.name), values)


def _insert(model: type, dialect: str):
    statement = _inserts.get((dialect, model))
    if statement is None:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        table = model.__table__
        # RETURNING, not rowcount: PostgreSQL drivers report -1 for implicit-RETURNING inserts.
        statement = _inserts[(dialect, model)] = (insert(table).on_conflict_do_nothing()
                                                  .returning(*table.primary_key.columns))
    return statement


def reads_first(view: Callable) -> Callable:
    """Mark a view whose unsafe request only reads through the ORM session (the user row, its
    checks) and writes through write_transaction: its session transaction begins as a plain
    read (lms/extensions.py), so it never holds SQLite's write lock that the write transaction,
    on a connection of its own, will take. Put it above @login_required."""
    view.reads_first = True
    return view


_writing: ContextVar = ContextVar("lms_write_transaction", default=None)


@contextmanager
def write_transaction() -> Iterator[None]:
    """A short write transaction of its own, committed at the end of the block (rolled back on
    an exception): on SQLite queued (write_queue) and begun IMMEDIATE. Inside it execute() and
    insert_once() run on its connection, and the ORM session may not be used (it would be
    another transaction; doing so raises). A quiz submission writes this way: its statements are
    all built once, and in front of Flask the ORM session (~0.3 ms) is never even created."""
    # The pooled connection is taken and given back outside the queue: the lock is held for
    # BEGIN IMMEDIATE, the statements and the commit alone. The transaction is the driver's,
    # begun and ended on it directly: SQLAlchemy's own bookkeeping around BEGIN and COMMIT cost
    # as much as two of the statements, inside the lock.
    with db.engine.connect() as connection, write_queue():
        driver = connection.connection.driver_connection
        token = _writing.set(_Write(connection))
        try:
            if connection.dialect.name == "sqlite":  # the driver's own handling is off
                run_on_cursor(connection, "BEGIN IMMEDIATE", ())
            yield
            _end(connection, driver.commit)
        except BaseException:
            _end(connection, driver.rollback)
            raise
        finally:
            _writing.reset(token)


class _Write:
    """The current write transaction: its connection, and the keys first_in_transaction saw."""

    def __init__(self, connection) -> None:
        self.connection, self.once = connection, set()


def _end(connection, end: Callable[[], None]) -> None:
    dbapi = connection.dialect.loaded_dbapi
    try:
        end()
    except dbapi.Error as problem:
        raise DBAPIError.instance(end.__name__.upper(), (), problem, dbapi.Error) from problem


@event.listens_for(Session, "do_orm_execute")
def _not_while_writing(state) -> None:
    if _writing.get() is not None:
        raise RuntimeError("the ORM session was used inside db_ops.write_transaction")


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
