"""Logging: one line per record, as JSON (``REPOSITORY_LOG_FORMAT=json``) or text, each with the request id.

Every request gets an id: the incoming ``X-Request-ID`` when it is sane (1-64 characters of ``A-Za-z0-9._-``),
otherwise a new uuid4. It is kept in ``flask.g.request_id``, sent back in the ``X-Request-ID`` header, written on
every log record of the request and on every audit event the request writes.

Each request also writes one access line (logger ``repository.access``) with method, path, status, duration and
the account id. The query string is never logged (it may hold search terms), nor the e-mail address.

Only the standard library is used: the formatter is a few lines, and python-json-logger would add a dependency
for no feature needed here.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
import time
import uuid
from typing import Any

#: A request id accepted from the client or the proxy.
REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._-]{1,64}")
HEADER = "X-Request-ID"

access_log = logging.getLogger("repository.access")

#: Libraries whose INFO records must not be written: Flask-Limiter names the throttled key (``login:<e-mail>``),
#: Alembic writes two lines each time /readyz reads the schema revision.
QUIET = ("flask-limiter", "alembic")

#: Attributes of every LogRecord; anything else on a record came from ``extra=`` and is written out.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName", "request_id"}


def request_id_from(header: str | None) -> str:
    """The incoming id when it is sane, else a new one."""
    if header and REQUEST_ID_RE.fullmatch(header):
        return header
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    """The id of the request being served (None outside a request: CLI, background threads)."""
    from flask import g
    from flask import has_request_context

    if not has_request_context():
        return None
    return g.get("request_id")


class _Base(logging.Formatter):
    """Common part of both formats: the record's request id."""

    @staticmethod
    def request_id(record: logging.LogRecord) -> str | None:
        rid = getattr(record, "request_id", None)
        return rid if rid is not None else current_request_id()


class JsonFormatter(_Base):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id, extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": self.request_id(record),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                out[key] = value
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            out["stack"] = self.formatStack(record.stack_info)
        return json.dumps(out, ensure_ascii=False, default=str)


class TextFormatter(_Base):
    """A readable line: time, level, logger, [request id], message."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        record.request_id = self.request_id(record) or "-"
        return super().format(record)


def formatter(fmt: str) -> logging.Formatter:
    """The formatter of a ``REPOSITORY_LOG_FORMAT`` value."""
    return JsonFormatter() if fmt == "json" else TextFormatter()


class _Stderr(logging.StreamHandler):
    """A handler writing to whatever ``sys.stderr`` is when the record is emitted."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr


def configure(fmt: str) -> logging.Handler:
    """Give the root logger one handler with the chosen format (reusing the one a previous call or gunicorn's
    ``logconfig_dict`` installed), and let access lines through."""
    root = logging.getLogger()
    handler = next((h for h in root.handlers if isinstance(h.formatter, _Base)), None)
    if handler is None:
        handler = _Stderr()
        root.addHandler(handler)
    handler.setFormatter(formatter(fmt))
    access_log.setLevel(logging.INFO)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    return handler


def init_app(app) -> None:
    """Configure logging and give each request its id and its access line."""
    from flask import g
    from flask import request

    configure(app.config.get("LOG_FORMAT", "text"))

    @app.before_request
    def _start() -> None:
        g.request_id = request_id_from(request.headers.get(HEADER))
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish(response):
        if "request_id" not in g:  # an earlier hook answered first
            g.request_id = request_id_from(request.headers.get(HEADER))
        response.headers[HEADER] = g.request_id
        started = g.get("request_started")
        duration = round((time.perf_counter() - started) * 1000, 1) if started is not None else None
        access_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration,
                "user_id": _user_id(),
            },
        )
        return response


def _user_id() -> int | None:
    """The account of this request (bearer token or session), when it is already known; no database query."""
    from flask import g
    from sqlalchemy import inspect

    user = g.get("api_user")
    if user is None:
        user = getattr(g.get("_login_user"), "user", None)
    if user is None:
        return None
    try:
        identity = inspect(user).identity
    except Exception:  # not a mapped object
        return None
    return identity[0] if identity else None
