"""Operations endpoints, without login: ``/healthz`` (liveness) and ``/readyz`` (readiness).

Both answer JSON and never a traceback: a failing check is logged with its exception and named in the answer by
its check name and exception class only. Counts (documents, pending changes) are not shown, since they would tell
anonymous visitors how busy the archive is.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
from collections.abc import Callable
from typing import Any

from flask import Blueprint
from flask import current_app
from flask import jsonify
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import text

from repository.data import db
from repository.data.models import IndexOutbox
from repository.services.maintenance import schema_revisions
from repository.web.common import repo

log = logging.getLogger(__name__)

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz():
    """Liveness: the database and the index answer."""
    try:
        with db.engine_of(current_app).connect() as conn:
            conn.execute(text("SELECT 1"))
        repo().index.doc_count()
    except Exception:
        log.exception("health check failed")
        return jsonify({"status": "error"}), 503
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz():
    """Readiness: database, schema at the newest migration, search index, writable file store, outbox moving."""
    checks: dict[str, dict[str, Any]] = {}
    for name, check in CHECKS.items():
        try:
            checks[name] = check()
        except Exception as exc:
            log.exception("readiness check %s failed", name)
            checks[name] = {"ok": False, "error": type(exc).__name__}
    failing = [name for name, result in checks.items() if not result["ok"]]
    if failing:
        return jsonify({"status": "not_ready", "failing": failing, "checks": checks}), 503
    return jsonify({"status": "ready", "checks": checks})


def _database() -> dict[str, Any]:
    with db.engine_of(current_app).connect() as conn:
        conn.execute(text("SELECT 1"))
    return {"ok": True}


def _schema() -> dict[str, Any]:
    revision, head = schema_revisions(db.engine_of(current_app))
    if revision == head:
        return {"ok": True}
    return {"ok": False, "revision": revision, "head": head}


def _index() -> dict[str, Any]:
    repo().index.doc_count()  # reads the index's table of contents from disk
    return {"ok": True}


def _storage() -> dict[str, Any]:
    store = repo().store
    store.ensure()
    fd, name = tempfile.mkstemp(prefix="readyz-", dir=store.tmp)
    try:
        os.write(fd, b"ok")
    finally:
        os.close(fd)
        os.unlink(name)
    return {"ok": True}


def _outbox() -> dict[str, Any]:
    """Stuck: the oldest pending change is older than READY_OUTBOX_MAX_SECONDS and nobody is applying changes (a
    rebuild or an import holds the index's apply lock or bulk mark for as long as it takes)."""
    with db.new_session() as session:
        oldest = session.scalar(select(func.min(IndexOutbox.created_at)))
    if oldest is None:
        return {"ok": True}
    if oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=dt.UTC)
    age = (dt.datetime.now(dt.UTC) - oldest).total_seconds()
    if age <= float(current_app.config["READY_OUTBOX_MAX_SECONDS"]):
        return {"ok": True}
    index = repo().index
    if index.bulk_running():
        return {"ok": True}
    with index.apply_turn(0.0) as free:
        pass
    if not free:
        return {"ok": True}
    return {"ok": False, "oldest_seconds": round(age)}


CHECKS: dict[str, Callable[[], dict[str, Any]]] = {
    "database": _database,
    "schema": _schema,
    "index": _index,
    "storage": _storage,
    "outbox": _outbox,
}
