"""Database engine and sessions (SQLAlchemy 2): one engine per app, one session per request."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from flask import Flask
from flask import current_app
from flask import g
from sqlalchemy import Engine
from sqlalchemy import create_engine
from sqlalchemy import event
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker


class Base(DeclarativeBase):
    """Declarative base of every model."""


def make_engine(url: str) -> Engine:
    """Create the engine; SQLite gets WAL, a busy timeout, foreign keys and write transactions that start
    with ``BEGIN IMMEDIATE`` (so two writers queue instead of failing with "database is locked")."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):  # pragma: no cover - trivial
            dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            # A checkpointed WAL is truncated back to 64 MB: a long import must not leave gigabytes behind.
            cur.execute("PRAGMA journal_size_limit=67108864")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):
            mode = "IMMEDIATE" if conn.get_execution_options().get("write") else "DEFERRED"
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    return create_engine(url, pool_pre_ping=True)


def init_app(app: Flask) -> None:
    """Bind an engine and a session factory to ``app``; close the request's session on teardown."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["db_engine"] = engine
    app.extensions["db_sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def engine_of(app: Flask) -> Engine:
    """The engine bound to ``app``."""
    return app.extensions["db_engine"]


def new_session(app: Flask | None = None) -> Session:
    """A new session of ``app`` (or of the current app); the caller closes it."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    return app.extensions["db_sessionmaker"]()


def get_session() -> Session:
    """The session of the current request or app context (created on first use)."""
    if "db_session" not in g:
        g.db_session = new_session()
    return g.db_session


@contextlib.contextmanager
def write(session: Session) -> Iterator[Session]:
    """Run a write transaction on ``session``: committed on success, rolled back on any error.

    On SQLite the transaction starts with ``BEGIN IMMEDIATE``, so the write lock is taken up front.
    """
    if session.in_transaction():
        session.rollback()  # end any read transaction so the write one starts fresh
    session.connection(execution_options={"write": True})
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
