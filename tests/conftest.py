"""Shared fixtures: a real app on a temporary SQLite file (or a new PostgreSQL database, see ``POSTGRES_URL``),
file store and Whoosh index; accounts and tokens made through the services; a browser-like login that posts the
real form with its CSRF token."""

from __future__ import annotations

import gc
import io
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest
from browser_utils import pytest_terminal_summary  # noqa: F401 - names the browser screenshot folder after a run

from repository import create_app
from repository import protocol
from repository.data import db
from repository.services import Service

PASSWORD = "correct horse battery staple"


#: Set to a PostgreSQL server URL (e.g. ``postgresql+psycopg://postgres@127.0.0.1``) for the PostgreSQL pass: every
#: test that uses a database runs on PostgreSQL, each app in a new database, instead of a SQLite file.
POSTGRES_URL = os.environ.get("REPOSITORY_TEST_POSTGRES_URL", "").rstrip("/")


#: Hash method of the accounts the tests make: scrypt at a cost of 2**10 instead of werkzeug's 2**15 (the suite
#: makes thousands of accounts; test_passwords checks the default).
TEST_HASH_METHOD = "scrypt:1024:8:1"


#: Modules that use no database: the PostgreSQL pass leaves them out (the SQLite pass runs them).
NO_DATABASE = frozenset({
    "test_arabic.py", "test_bench_smoke.py", "test_coding.py", "test_demo_content.py", "test_deploy.py",
    "test_extract.py", "test_fast_analyzer.py", "test_pool.py", "test_scan.py", "test_search_engine.py",
    "test_sniff.py",
})


def pytest_collection_modifyitems(config, items):
    """On the PostgreSQL pass, run every test that uses a database (all but the modules of ``NO_DATABASE``)."""
    if not POSTGRES_URL:
        return
    dropped = [item for item in items if item.path.name in NO_DATABASE]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item.path.name not in NO_DATABASE]


def _server():
    from sqlalchemy import create_engine

    return create_engine(f"{POSTGRES_URL}/postgres", isolation_level="AUTOCOMMIT")


def new_database() -> str:
    """A new empty PostgreSQL database (its URL); dropped by ``drop_database`` or at the end of the session."""
    from sqlalchemy import text

    name = f"repository_test_{uuid.uuid4().hex[:12]}"
    server = _server()
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    _CREATED.append(name)
    return f"{POSTGRES_URL}/{name}"


def drop_database(url: str) -> None:
    """Drop a database made by ``new_database`` (connections still open are closed by the server)."""
    from sqlalchemy import text

    name = url.rsplit("/", 1)[1]
    server = _server()
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()
    if name in _CREATED:
        _CREATED.remove(name)


_CREATED: list[str] = []


def pytest_sessionfinish(session, exitstatus):
    """Drop the databases a test left behind (a server test's instance, an interrupted test)."""
    for name in list(_CREATED):
        drop_database(f"{POSTGRES_URL}/{name}")


def instance_database() -> dict[str, str]:
    """Environment for a server or command-line instance (``server_utils.make_instance``): on the PostgreSQL
    pass a new database (dropped at the end of the session), else nothing (SQLite in the data folder)."""
    return {"REPOSITORY_DATABASE_URL": new_database()} if POSTGRES_URL else {}


@contextmanager
def database_url() -> Iterator[str | None]:
    """None (the app's default SQLite file), or a new PostgreSQL database dropped afterwards."""
    if not POSTGRES_URL:
        yield None
        return
    url = new_database()
    try:
        yield url
    finally:
        drop_database(url)


def start_app(data_dir: Path, init: bool = True, **config):
    """An application on ``data_dir`` and this pass's database (SQLite in the folder, or a new PostgreSQL
    database), initialised with ``init`` unless told otherwise; ``stop_app`` ends it. ``config`` adds or
    overrides settings (``INDEX_MODE`` is ``sync`` unless given)."""
    settings = {"DATA_DIR": str(data_dir), "INDEX_MODE": "sync", "TESTING": True,
                "PASSWORD_HASH_METHOD": TEST_HASH_METHOD}
    if POSTGRES_URL and "DATABASE_URL" not in config:
        settings["DATABASE_URL"] = new_database()
    settings.update(config)
    app = create_app(settings)
    if init:
        result = app.test_cli_runner().invoke(args=["init"])
        assert result.exit_code == 0, result.output
    return app


def stop_app(app, drop: bool = True) -> None:
    """Stop an app of ``start_app``: its index thread, extraction workers, connections and (with ``drop``) its
    test database; an app started again on the same data passes ``DATABASE_URL=app.config["DATABASE_URL"]``."""
    app.extensions["repo"].worker.stop()
    app.extensions["repo"].extractor.close()
    # answers a test left unread (a streamed catalogue) are finalised first: their sessions then give their
    # connections back to the pool, which dispose() closes, instead of being collected later with them open
    gc.collect()
    db.engine_of(app).dispose()
    url = app.config.get("DATABASE_URL", "")
    if drop and POSTGRES_URL and url.rsplit("/", 1)[-1] in _CREATED:
        drop_database(url)


@contextmanager
def database_engine(tmp_path: Path) -> Iterator:
    """A SQLAlchemy engine on this pass's database: a SQLite file in ``tmp_path``, or a new PostgreSQL database
    (dropped afterwards); disposed afterwards."""
    from sqlalchemy import create_engine

    with database_url() as url:
        engine = create_engine(url or f"sqlite:///{tmp_path / 'p.sqlite3'}")
        try:
            yield engine
        finally:
            engine.dispose()


def sqlite_url(data_dir: Path) -> str:
    """The URL of the SQLite file an app keeps in ``data_dir`` by default (to stay on SQLite in either pass)."""
    return f"sqlite:///{Path(data_dir) / 'repository.sqlite3'}"


@contextmanager
def make_app(data_dir: Path, init: bool = True, **config) -> Iterator:
    """``start_app`` … ``stop_app`` as a context."""
    app = start_app(data_dir, init, **config)
    try:
        yield app
    finally:
        stop_app(app)


@pytest.fixture
def app(tmp_path):
    """A fresh application with its own data folder; the index is updated before each request returns."""
    with make_app(tmp_path / "data") as app:
        yield app


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
        org = s.accounts.find_org(acronym) or s.accounts.create_org(protocol.SYSTEM, acronym, f"{acronym} organisation")
        s.session.close()
        return org.id

    def account(self, email: str, role: str, org: str) -> Account:
        org_id = self.org(org)
        s = svc(self.app)
        user = s.accounts.create_user(protocol.SYSTEM, email, org, role, PASSWORD)
        token = s.tokens.create(protocol.SYSTEM, email=email)
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


def pdf_text(data: bytes) -> str:
    """What the text layer of a PDF reads, page after page."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


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


def browser_for(app, account: Account):
    """A test client logged in as ``account`` through the real form."""
    browser = app.test_client()
    r = login(browser, account.email)
    assert r.status_code == 302, r.get_data(as_text=True)
    return browser


def token_of(html: str) -> str:
    """The first CSRF token of a page's HTML."""
    match = CSRF_RE.search(html)
    assert match, "no csrf token"
    return match.group(1)


def plain(html: str) -> str:
    """The text a reader sees: tags removed, entities decoded, white space collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def post_page_form(browser, path: str, html: str, fields: dict):
    """POST ``fields`` to ``path`` with the CSRF token of the page ``html`` (as its form would)."""
    return browser.post(path, data={"csrf_token": token_of(html), **fields})


#: Codes that meet the release gate's coding conditions: a document type and a code of another facet.
GATE_CODES = ("doc_type:situation_report", "theme:protection_monitoring")
#: A benefit/risk record that meets the release gate: both lists weighed, nothing identified.
NONE_IDENTIFIED = {"risks": ["none_identified"], "benefits": ["none_identified"]}


def _code_list(codes) -> list[str]:
    if isinstance(codes, dict):  # the JSON's {facet: [code, ...]}
        return [c for values in codes.values() for c in values]
    return list(codes or ())


def gate_codes(codes) -> list[str]:
    """``codes`` (code ids, or a document JSON's map of them by facet) with what the release gate's coding
    conditions still lack: a document type, a code of another facet (from :data:`GATE_CODES`)."""
    out = _code_list(codes)
    facets = {c.partition(":")[0] for c in out}
    if "doc_type" not in facets:
        out.append(GATE_CODES[0])
    if not facets & set(protocol.DESCRIPTIVE_FACETS):
        out.append(GATE_CODES[1])
    return out


def release_body(doc: dict, level: str, **extra) -> dict:
    """A review body releasing ``doc`` (its JSON as a coordinator sees it) at ``level`` that meets the release
    gate: ``extra``, then for what it does not say a rationale, "none identified" risks and benefits, and for a
    public release every kind the scan found as considered."""
    body = {"action": "release", "level": level, "rationale": "Checked against the sharing protocol.",
            **NONE_IDENTIFIED}
    if level == protocol.PUBLIC:
        body["considered"] = protocol.found_kinds(doc.get("detected") or [])
    body.update(extra)
    return body


def coordinator_view(client, coordinator: Account, doc_id) -> dict:
    """A document's JSON as ``coordinator`` sees it, read through the services: no ``view`` in the audit trail."""
    from repository.web.serialize import document_json

    s = svc(client.application)
    try:
        doc = s.documents.get(coordinator.actor, doc_id, audit=False)
        return document_json(coordinator.actor, doc, client.application.extensions["repo"].taxonomy)
    finally:
        s.session.close()


def release(client, coordinator: Account, doc_id, level: str, **extra):
    """Release (or re-classify) a document through the API so that it meets the release gate: the codes it lacks
    are added first (``PATCH``, audited as ``update``), then :func:`release_body`. Returns the review answer."""
    doc = coordinator_view(client, coordinator, doc_id)
    codes = gate_codes(doc["codes"])
    if codes != _code_list(doc["codes"]):
        r = client.patch(f"/api/v1/documents/{doc_id}", headers=coordinator.headers, json={"codes": codes})
        assert r.status_code == 200, r.get_data(as_text=True)
        doc = r.json
    return client.post(f"/api/v1/documents/{doc_id}/review", headers=coordinator.headers,
                       json=release_body(doc, level, **extra))


def new_doc(client, account: Account, words: str) -> int:
    """The id of a new text report of ``words`` (titled so), uploaded by ``account`` with :data:`GATE_CODES`."""
    r = upload(client, account, data=text_report(words), filename="report.txt", title=words, codes=list(GATE_CODES))
    assert r.status_code == 201, r.json
    return r.json["id"]


def post_review(client, coordinator: Account, doc_id, **body):
    """POST a review decision through the API (a release with "none identified" risks and benefits unless
    ``body`` says); returns the answer."""
    if body.get("action") == "release":
        body = {**NONE_IDENTIFIED, **body}
    return client.post(f"/api/v1/documents/{doc_id}/review", headers=coordinator.headers, json=body)


#: The accounts tests make by name: name -> (e-mail, role, organisation). ``accounts`` makes those a test names.
CAST = {
    "partner": ("partner@drc.example.org", "partner", "DRC"),
    "colleague": ("colleague@drc.example.org", "partner", "DRC"),
    "other": ("other@drc.example.org", "partner", "DRC"),
    "drc_staff": ("staff@drc.example.org", "staff", "DRC"),
    "other_partner": ("partner@irc.example.org", "partner", "IRC"),
    "coord": ("coord@pswg.example.org", "coordinator", "PSWG"),
    "staff": ("staff@unhcr.example.org", "staff", "UNHCR"),
    "staff2": ("staff@iom.example.org", "staff", "IOM"),
    "admin": ("admin@pswg.example.org", "admin", "PSWG"),
}


def accounts(world: World, *names: str) -> dict[str, Account]:
    """The accounts of :data:`CAST` named ``names``, made in that order."""
    return {name: world.account(*CAST[name]) for name in names}


@pytest.fixture
def people(world) -> dict[str, Account]:
    """One account per role, in several organisations (the cast of the workflow, audit and page tests)."""
    return accounts(world, "partner", "colleague", "drc_staff", "other_partner", "coord", "staff", "staff2", "admin")


@pytest.fixture
def no_request_rate_limits(monkeypatch):
    """For tests that send bursts of searches, uploads and downloads, as a bulk script would: the documented
    switch turns request rate limits off (login throttling stays on). Use it before the ``app`` fixture."""
    monkeypatch.setenv("REPOSITORY_RATE_LIMITS", "off")
