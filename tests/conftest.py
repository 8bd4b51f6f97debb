"""Shared fixtures: a real app on a temporary SQLite file (or a new PostgreSQL database, see ``POSTGRES_URL``),
file store and Whoosh index; accounts and tokens made through the services; a browser-like login that posts the
real form with its CSRF token."""

from __future__ import annotations

import io
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from repository import create_app
from repository import db
from repository import protocol
from repository.services import Service

PASSWORD = "correct horse battery staple"


#: Set to a PostgreSQL server URL (e.g. ``postgresql+psycopg://postgres@127.0.0.1``) to run the tests that use the
#: ``app`` fixture on PostgreSQL, each in a new database, instead of a SQLite file (``make test-postgres``).
POSTGRES_URL = os.environ.get("REPOSITORY_TEST_POSTGRES_URL", "").rstrip("/")


@contextmanager
def database_url() -> Iterator[str | None]:
    """None (the app's default SQLite file), or a new PostgreSQL database dropped afterwards."""
    if not POSTGRES_URL:
        yield None
        return
    from sqlalchemy import create_engine
    from sqlalchemy import text

    name = f"repository_test_{uuid.uuid4().hex[:12]}"
    server = create_engine(f"{POSTGRES_URL}/postgres", isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{POSTGRES_URL}/{name}"
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture
def app(tmp_path):
    """A fresh application with its own data folder; the index is updated before each request returns."""
    with database_url() as url:
        config = {"DATA_DIR": str(tmp_path / "data"), "INDEX_MODE": "sync", "TESTING": True}
        if url:
            config["DATABASE_URL"] = url
        app = create_app(config)
        runner = app.test_cli_runner()
        result = runner.invoke(args=["init"])
        assert result.exit_code == 0, result.output
        yield app
        app.extensions["repo"].worker.stop()
        app.extensions["repo"].extractor.close()
        db.engine_of(app).dispose()


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


def svc(app) -> Service:
    """A service on a new session of ``app``."""
    return Service(app.extensions["repo"], app.extensions["db_sessionmaker"](), ip="test")


@dataclass
class Account:
    """A test account: its e-mail, ids and an API token."""

    email: str
    id: int
    org_id: int
    org: str
    role: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        """Authorization headers for the API."""
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def actor(self) -> protocol.Actor:
        """The protocol actor of this account."""
        return protocol.Actor(user_id=self.id, org_id=self.org_id, role=self.role)


class World:
    """Organisations and accounts, made on demand."""

    def __init__(self, app) -> None:
        self.app = app

    def org(self, acronym: str) -> int:
        s = svc(self.app)
        org = s.find_org(acronym) or s.add_org(protocol.SYSTEM, acronym, f"{acronym} organisation")
        s.session.close()
        return org.id

    def account(self, email: str, role: str, org: str) -> Account:
        org_id = self.org(org)
        s = svc(self.app)
        user = s.add_user(protocol.SYSTEM, email, org, role, PASSWORD)
        token = s.create_token(protocol.SYSTEM, email)
        s.session.close()
        return Account(email=email, id=user.id, org_id=org_id, org=org, role=role, token=token)


@pytest.fixture
def world(app) -> World:
    """Factory of organisations and accounts."""
    return World(app)


def upload(client, account: Account, path: Path | None = None, data: bytes | None = None, filename: str = "r.txt",
           **fields):
    """POST /api/v1/documents with a file (from ``path`` or raw ``data``) and form fields."""
    if path is not None:
        data = path.read_bytes()
        filename = fields.pop("filename", path.name)
    form = {"file": (io.BytesIO(data or b""), filename)}
    for key, value in fields.items():
        form[key] = value
    return client.post("/api/v1/documents", data=form, headers=account.headers, content_type="multipart/form-data")


def text_report(words: str, n: int = 1) -> bytes:
    """A small plain-text report body (unique per call through ``words``)."""
    return ("Protection monitoring report.\n" + words + "\n") .encode() * n


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(client, path: str = "/login") -> str:
    """The CSRF token of a page's form."""
    page = client.get(path)
    match = CSRF_RE.search(page.get_data(as_text=True))
    assert match, f"no csrf token on {path}"
    return match.group(1)


def login(client, email: str, password: str = PASSWORD):
    """Log in through the real form."""
    token = csrf(client)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


@pytest.fixture
def people(world) -> dict[str, Account]:
    """One account per role, in several organisations (the cast of the workflow, audit and page tests)."""
    return {
        "partner": world.account("partner@drc.example.org", "partner", "DRC"),
        "colleague": world.account("colleague@drc.example.org", "partner", "DRC"),
        "drc_staff": world.account("staff@drc.example.org", "staff", "DRC"),
        "other_partner": world.account("partner@irc.example.org", "partner", "IRC"),
        "coord": world.account("coord@pswg.example.org", "coordinator", "PSWG"),
        "staff": world.account("staff@unhcr.example.org", "staff", "UNHCR"),
        "staff2": world.account("staff@iom.example.org", "staff", "IOM"),
        "admin": world.account("admin@pswg.example.org", "admin", "PSWG"),
    }


@pytest.fixture
def no_request_rate_limits(monkeypatch):
    """For tests that send bursts of searches, uploads and downloads, as a bulk script would: the documented
    switch turns request rate limits off (login throttling stays on). Use it before the ``app`` fixture."""
    monkeypatch.setenv("REPOSITORY_RATE_LIMITS", "off")
