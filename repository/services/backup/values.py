"""Column values as JSON and back: each column type has a portable kind, so that a backup does not depend on the
database it came from.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import json
from typing import Any

from sqlalchemy.types import JSON
from sqlalchemy.types import Boolean
from sqlalchemy.types import Date
from sqlalchemy.types import DateTime
from sqlalchemy.types import Float
from sqlalchemy.types import Integer
from sqlalchemy.types import LargeBinary
from sqlalchemy.types import Numeric
from sqlalchemy.types import String
from sqlalchemy.types import Time

from repository.services.backup.archive import BackupError

#: Column types and the kind each is written as (the first that matches; JSON and Float before their bases).
_KINDS: tuple[tuple[type, str], ...] = (
    (JSON, "json"),
    (Boolean, "boolean"),
    (DateTime, "datetime"),
    (Date, "date"),
    (Time, "time"),
    (Integer, "integer"),
    (Float, "float"),
    (Numeric, "numeric"),
    (LargeBinary, "binary"),
    (String, "string"),
)


def column_kind(type_: Any) -> str:
    """The portable kind of a column type (``datetime``, ``json``, ``string``...)."""
    for cls, kind in _KINDS:
        if isinstance(type_, cls):
            return kind
    raise BackupError(f"columns of type {type_!r} cannot be backed up.")


def encode(kind: str, value: Any) -> Any:
    """A column value as JSON; a datetime without a time zone is taken as UTC (SQLite keeps none)."""
    if value is None:
        return None
    if kind == "datetime":
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat()
    if kind in ("date", "time"):
        return value.isoformat()
    if kind == "binary":
        return base64.b64encode(bytes(value)).decode("ascii")
    if kind == "numeric":
        return str(value)
    if kind == "boolean":
        return bool(value)
    return value


def decode(kind: str, value: Any) -> Any:
    """The column value written by :func:`encode` (datetimes come back aware, in UTC); ValueError when it is not
    one of that kind."""
    if value is None or kind == "json":
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise ValueError("not true or false")
        return value
    if kind == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError("not a whole number")
        return value
    if kind == "float":
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise ValueError("not a number")
        return float(value)
    if not isinstance(value, str):
        raise ValueError(f"not a {kind} in text form")
    if kind == "string":
        return value
    if kind == "datetime":
        when = dt.datetime.fromisoformat(value)
        if when.tzinfo is None:
            raise ValueError("a datetime without its UTC offset")
        return when.astimezone(dt.UTC)
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "time":
        return dt.time.fromisoformat(value)
    if kind == "binary":
        return base64.b64decode(value, validate=True)
    if kind == "numeric":
        try:
            return decimal.Decimal(value)
        except decimal.InvalidOperation:
            raise ValueError("not a decimal number") from None
    raise ValueError(f"unknown kind {kind!r}")


def for_column(value: Any, column: Any) -> Any:
    """A decoded value as the target column takes it: datetimes naive (in UTC) for columns without a time zone."""
    if isinstance(value, dt.datetime) and not getattr(column.type, "timezone", False):
        return value.replace(tzinfo=None)
    return value


def decode_row(line: bytes, kinds: dict[str, str]) -> dict[str, Any]:
    """One JSON line of a table member, decoded (ValueError when it is not a row of these columns)."""
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"not JSON ({exc})") from None
    if not isinstance(record, dict) or set(record) != set(kinds):
        raise ValueError("not an object with the table's columns")
    out = {}
    for name, kind in kinds.items():
        try:
            out[name] = decode(kind, record[name])
        except (ValueError, TypeError) as exc:
            raise ValueError(f"column {name}: {exc}") from None
    return out
