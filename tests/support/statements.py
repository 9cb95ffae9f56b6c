"""Counting the SQL a piece of code sends: the query-count tests' one listener."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def recorded(engine, reads_only: bool = False) -> Iterator[list[str]]:
    """Every statement sent on `engine` inside the block (only SELECT/WITH if reads_only)."""
    seen: list[str] = []

    def listener(conn, cursor, statement, *args) -> None:
        if not reads_only or statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listener)
