"""Versioned export and import of everything the database holds, as JSON.

The export lists every table of the schema in dependency order, each row a dict of column
values (times in ISO 8601 UTC). Invite token hashes and password-reset tokens are left out: an
exported file must not let anyone join a team or take over an account. Import is for an empty
database only, validates every value against the column it goes into, and runs in one
transaction: a hostile or truncated file is refused with nothing imported.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, String, func, insert, select

from lms.extensions import db

FORMAT = "evergreen-export"
VERSION = 1
SUPPORTED_VERSIONS = (1,)
SKIPPED_TABLES = {"password_reset", "alembic_version"}
SECRET_COLUMNS = {("invite", "token_hash")}
# Bookkeeping, not data: left out of exports, and an import starts it afresh.
INTERNAL_COLUMNS = {("cycle", "revision"), ("user", "revision")}
MAX_BYTES = 512 * 1024 * 1024


class ImportRefused(Exception):
    """The file cannot be imported; the message says why. Nothing was written."""


def _tables():
    return [t for t in db.metadata.sorted_tables if t.name not in SKIPPED_TABLES]


def _dump_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def export_data(progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Everything, as plain data. `progress(n)` is called as each table's rows are read."""
    tables = {}
    for table in _tables():
        columns = [c for c in table.columns
                   if (table.name, c.name) not in SECRET_COLUMNS | INTERNAL_COLUMNS]
        rows = db.session.execute(select(*columns).order_by(*table.primary_key.columns)).all()
        tables[table.name] = [{c.name: _dump_value(v) for c, v in zip(columns, row, strict=True)}
                              for row in rows]
        if progress:
            progress(len(rows))
    return {"format": FORMAT, "version": VERSION, "tables": tables}


def write_export(path: str, data: dict[str, Any]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({**data, "exported_at": datetime.now(UTC).isoformat()}, handle,
                  ensure_ascii=False, separators=(",", ":"))


def read_export(path: str) -> dict[str, Any]:
    with open(path, "rb") as handle:
        raw = handle.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ImportRefused(f"The file is larger than {MAX_BYTES // 2**20} MB.")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as problem:
        raise ImportRefused(f"The file is not a complete JSON export ({problem}).") from None


def import_data(data: Any, progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Insert every row of a validated export into an empty database; the caller commits."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportRefused("This is not an Evergreen export file.")
    if data.get("version") not in SUPPORTED_VERSIONS:
        raise ImportRefused(f"Export version {data.get('version')!r} is not supported; "
                            f"this release reads versions {SUPPORTED_VERSIONS}.")
    tables = data.get("tables")
    known = {t.name: t for t in _tables()}
    if not isinstance(tables, dict) or set(tables) - set(known):
        raise ImportRefused(f"Unknown tables in the file: {sorted(set(tables or {}) - set(known))}")
    for table in known.values():
        if db.session.scalar(select(func.count()).select_from(table)):
            raise ImportRefused(f"The database is not empty (table {table.name} has rows); "
                                "import only into a new database.")
    counts = {}
    for name, table in known.items():
        rows = [_parse_row(table, row, n) for n, row in enumerate(_rows(tables.get(name, []),
                                                                         name))]
        for start in range(0, len(rows), 2000):
            db.session.execute(insert(table), rows[start:start + 2000])
        counts[name] = len(rows)
        if progress:
            progress(len(rows))
    db.session.flush()
    _reset_sequences(known.values())
    return counts


def _rows(rows: Any, name: str) -> Iterable[dict]:
    if not isinstance(rows, list):
        raise ImportRefused(f"Table {name} must be a list of rows.")
    return rows


def _parse_row(table, row: Any, number: int) -> dict[str, Any]:
    where = f"{table.name} row {number + 1}"
    if not isinstance(row, dict):
        raise ImportRefused(f"{where} is not an object.")
    columns = {c.name: c for c in table.columns}
    unknown = set(row) - set(columns) - {n for t, n in INTERNAL_COLUMNS if t == table.name}
    if unknown:
        raise ImportRefused(f"{where} has unknown columns {sorted(unknown)}.")
    parsed = {}
    for name, column in columns.items():
        if (table.name, name) in INTERNAL_COLUMNS:
            continue  # the column's server default
        if (table.name, name) in SECRET_COLUMNS:
            parsed[name] = secrets.token_hex(32)  # imported invites cannot be used
            continue
        if name not in row:
            raise ImportRefused(f"{where} lacks the column {name}.")
        parsed[name] = _parse_value(column, row[name], f"{where}, {name}")
    return parsed


def _parse_value(column, value: Any, where: str) -> Any:
    if value is None:
        if not column.nullable:
            raise ImportRefused(f"{where} may not be empty.")
        return None
    kind = column.type
    if isinstance(kind, Boolean):
        ok = isinstance(value, bool)
    elif isinstance(kind, Integer):
        ok = isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**62
    elif isinstance(kind, Float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif isinstance(kind, String):
        ok = isinstance(value, str) and "\x00" not in value and (
            kind.length is None or len(value) <= kind.length)
    elif isinstance(kind, JSON):
        ok = isinstance(value, dict | list)
    elif isinstance(kind, DateTime) or isinstance(getattr(kind, "impl", None), DateTime):
        return _parse_time(value, where)
    elif isinstance(kind, Date):
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            ok = False
    else:
        ok = False
    if not ok:
        raise ImportRefused(f"{where} has a value of the wrong type or size.")
    return value


def _parse_time(value: Any, where: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise ImportRefused(f"{where} is not an ISO 8601 time.") from None
    if parsed.tzinfo is None:
        raise ImportRefused(f"{where} has no time zone.")
    return parsed.astimezone(UTC)


def _reset_sequences(tables) -> None:
    """PostgreSQL: move each id sequence past the imported ids."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        if "id" in table.columns:
            db.session.execute(select(func.setval(
                func.pg_get_serial_sequence(table.name, "id"),
                func.coalesce(select(func.max(table.c.id)).scalar_subquery(), 0) + 1, False)))
