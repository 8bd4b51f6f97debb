"""Operations: ``/readyz`` names what is not ready and never says more; every request has an id (kept from a sane
``X-Request-ID``, else new), sent back, written on its log lines and on the audit events it writes; JSON log lines
carry no query string and no e-mail address."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import PASSWORD
from conftest import csrf
from conftest import text_report
from conftest import upload
from sqlalchemy import text

from repository import create_app
from repository.config import ConfigError
from repository.config import from_environment
from repository.data import db
from repository.data import migrate
from repository.data.models import IndexOutbox
from repository.web import logs
from repository.web import ops

CHECKS = {"database", "schema", "index", "storage", "outbox"}
GENERATED = re.compile(r"[0-9a-f]{32}")


def ready(client):
    r = client.get("/readyz")
    assert r.mimetype == "application/json"
    assert "Traceback" not in r.get_data(as_text=True)
    return r


def test_readyz_on_a_fresh_app(client):
    r = ready(client)
    assert r.status_code == 200, r.json
    assert r.json["status"] == "ready"
    assert set(r.json["checks"]) == CHECKS
    assert all(check == {"ok": True} for check in r.json["checks"].values())
    assert r.headers["Cache-Control"] == "no-store"
    # the liveness check stays, cheap and unchanged
    assert client.get("/healthz").json == {"status": "ok"}
    # the storage check leaves nothing behind
    assert not list((Path(client.application.config["DATA_DIR"]) / "files" / "tmp").iterdir())


def test_readyz_schema_behind_head(app, client):
    engine = db.engine_of(app)
    with engine.connect() as conn:
        migrate.command.stamp(migrate.config(conn), migrate.FIRST_RELEASE)
        conn.commit()
    assert migrate.head() != migrate.FIRST_RELEASE
    r = ready(client)
    assert r.status_code == 503
    assert r.json["status"] == "not_ready" and r.json["failing"] == ["schema"]
    assert r.json["checks"]["schema"] == {"ok": False, "revision": migrate.FIRST_RELEASE, "head": migrate.head()}


def test_readyz_storage_not_writable_replaced_by_a_file(app, client):
    files = Path(app.config["DATA_DIR"]) / "files"
    shutil.rmtree(files)
    files.write_bytes(b"")  # works as root too, where chmod would not stop a write
    r = ready(client)
    assert r.status_code == 503 and r.json["failing"] == ["storage"]
    assert r.json["checks"]["storage"]["ok"] is False and "error" in r.json["checks"]["storage"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_readyz_storage_not_writable_by_mode(app, client):
    tmp = Path(app.config["DATA_DIR"]) / "files" / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    tmp.chmod(0o500)
    try:
        r = ready(client)
        assert r.status_code == 503 and r.json["failing"] == ["storage"]
    finally:
        tmp.chmod(0o700)


def test_readyz_outbox_stuck_unless_someone_applies_it(app, client):
    old = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    with app.extensions["db_sessionmaker"]() as session, db.write(session):
        session.add(IndexOutbox(document_id=None, op="upsert", created_at=old))
    r = ready(client)
    assert r.status_code == 503 and r.json["failing"] == ["outbox"]
    assert r.json["checks"]["outbox"]["ok"] is False and r.json["checks"]["outbox"]["oldest_seconds"] >= 7000
    # a long rebuild (or an import) holds the apply lock meanwhile: that is progress, not a stuck outbox
    with app.extensions["repo"].index.apply_turn(1.0) as held:
        assert held
        assert ready(client).status_code == 200
    app.config["READY_OUTBOX_MAX_SECONDS"] = 3 * 3600
    assert ready(client).status_code == 200


def test_readyz_names_a_failing_check_and_nothing_of_its_error(client, monkeypatch, caplog):
    def broken():
        with db.engine_of(client.application).connect() as conn:
            conn.execute(text("SELECT * FROM no_such_table_password_hunter2"))

    monkeypatch.setitem(ops.CHECKS, "database", broken)
    r = ready(client)
    assert r.status_code == 503 and r.json["failing"] == ["database"]
    check = r.json["checks"]["database"]
    assert check["ok"] is False and check["error"] in ("OperationalError", "ProgrammingError")  # SQLite, PostgreSQL
    assert "hunter2" not in r.get_data(as_text=True)
    assert any("readiness check database failed" in rec.getMessage() and rec.exc_info for rec in caplog.records)


# ----------------------------------------------------------------------------------------------------------------
# request ids
# ----------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["abc-123", "A.b_c-9", "f" * 64, "0d6f2c1e9b8a4f3e8d7c6b5a49382716"])
def test_a_sane_request_id_is_kept(client, value):
    assert client.get("/healthz", headers={"X-Request-ID": value}).headers["X-Request-ID"] == value


@pytest.mark.parametrize(
    "value", ["", "f" * 65, "has space", "semi;colon", "a/b", "ünïcode", "<script>", "x\u2028y", "a\tb", "%0d%0a"]
)
def test_a_hostile_request_id_is_replaced(client, value):
    got = client.get("/healthz", headers={"X-Request-ID": value}).headers["X-Request-ID"]
    assert got != value and GENERATED.fullmatch(got)


def test_every_request_gets_its_own_id(client):
    ids = {client.get(path).headers["X-Request-ID"] for path in ("/healthz", "/readyz", "/login", "/nowhere")}
    assert len(ids) == 4 and all(GENERATED.fullmatch(i) for i in ids)


def test_request_id_reaches_the_audit_trail(client, people):
    partner, coord = people["partner"], people["coord"]
    token = csrf(client)
    r = client.post(
        "/login",
        data={"email": partner.email, "password": PASSWORD, "csrf_token": token},
        headers={"X-Request-ID": "login-req-1"},
    )
    assert r.status_code == 302 and r.headers["X-Request-ID"] == "login-req-1"
    r = client.post(
        "/api/v1/documents",
        data={"file": (io.BytesIO(text_report("Request id check in Sabha")), "rid.txt"), "title": "Rid"},
        headers={**partner.headers, "X-Request-ID": "upload-req-2"},
        content_type="multipart/form-data",
    )
    assert r.status_code == 201, r.json
    doc_id = r.json["id"]
    stranger = client.application.test_client()
    hostile = stranger.post("/login", data={"email": "x@y.example", "password": "wrong", "csrf_token": csrf(stranger)},
                            headers={"X-Request-ID": "bad id; X-Evil: 1"})
    assert hostile.status_code == 401
    generated = hostile.headers["X-Request-ID"]
    assert GENERATED.fullmatch(generated)

    listing = client.get("/api/v1/audit", headers=coord.headers).json["events"]
    by_action = {e["action"]: e for e in listing}
    assert by_action["login"]["request_id"] == "login-req-1"
    assert by_action["upload"]["request_id"] == "upload-req-2" and by_action["upload"]["document_id"] == doc_id
    assert by_action["login_failed"]["request_id"] == generated
    # events written outside a request (the accounts made through the services) have none
    assert by_action["user_create"]["request_id"] is None

    export = client.get("/api/v1/audit.csv", headers=coord.headers).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(export.lstrip("\ufeff"))))
    assert {row["action"]: row["request_id"] for row in rows if row["action"] in ("login", "upload")} == {
        "login": "login-req-1",
        "upload": "upload-req-2",
    }


# ----------------------------------------------------------------------------------------------------------------
# logs
# ----------------------------------------------------------------------------------------------------------------


def test_log_format_setting():
    assert from_environment({})["LOG_FORMAT"] == "text"
    assert from_environment({"REPOSITORY_LOG_FORMAT": "JSON"})["LOG_FORMAT"] == "json"
    with pytest.raises(ConfigError, match="REPOSITORY_LOG_FORMAT"):
        from_environment({"REPOSITORY_LOG_FORMAT": "xml"})


@pytest.fixture
def json_app(tmp_path):
    """An app that logs JSON lines (as with REPOSITORY_LOG_FORMAT=json)."""
    app = create_app({"DATA_DIR": str(tmp_path / "data"), "INDEX_MODE": "sync", "TESTING": True, "LOG_FORMAT": "json",
                      "RATELIMIT_LOGIN_PER_ACCOUNT": "2 per minute"})
    assert app.test_cli_runner().invoke(args=["init"]).exit_code == 0
    yield app
    app.extensions["repo"].worker.stop()
    app.extensions["repo"].extractor.close()
    db.engine_of(app).dispose()
    logs.configure("text")


def test_json_log_lines(json_app, capsys):
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.INFO)  # as under gunicorn (deploy/gunicorn.conf.py): every library's INFO records
    try:
        _json_log_lines(json_app, capsys)
    finally:
        root.setLevel(level)


def _json_log_lines(json_app, capsys):
    from conftest import World

    world = World(json_app)
    staff = world.account("watcher@unhcr.example.org", "staff", "UNHCR")
    partner = world.account("writer@drc.example.org", "partner", "DRC")
    client = json_app.test_client()
    capsys.readouterr()

    assert upload(client, partner, data=text_report("Zzyzx shelter"), filename="z.txt",
                  title="Zzyzx").status_code == 201
    search = client.get("/api/v1/search", query_string={"q": "zzyzx confidential", "org": "DRC"},
                        headers={**staff.headers, "X-Request-ID": "search-1"})
    assert search.status_code == 200
    token = csrf(client)
    client.post("/login?next=/search%3Fq%3Dzzyzx", data={"email": staff.email, "password": "nope nope nope",
                                                        "csrf_token": token})
    for _ in range(3):  # throttled at the third: Flask-Limiter's note of it names the account's e-mail
        throttled = client.post("/login", data={"email": partner.email, "password": "nope nope nope",
                                                "csrf_token": token})
    assert throttled.status_code == 429
    client.post("/login", data={"email": staff.email, "password": PASSWORD, "csrf_token": token})
    client.get("/search", query_string={"q": "zzyzx"})
    client.get("/nowhere?q=zzyzx")
    logging_err = capsys.readouterr().err

    lines = [json.loads(line) for line in logging_err.splitlines() if line.strip()]
    assert lines, logging_err
    for line in lines:
        assert {"time", "level", "logger", "message", "request_id"} <= set(line)
        at = dt.datetime.fromisoformat(line["time"])
        assert at.utcoffset() == dt.timedelta(0)
    access = [line for line in lines if line["logger"] == "repository.access"]
    assert len(access) >= 6
    for line in access:
        assert {"method", "path", "status", "duration_ms", "user_id"} <= set(line)
        assert "?" not in line["path"] and "?" not in line["message"]
        assert GENERATED.fullmatch(line["request_id"]) or line["request_id"] == "search-1"
        assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    [searched] = [line for line in access if line["request_id"] == "search-1"]
    assert searched["path"] == "/api/v1/search" and searched["status"] == 200 and searched["method"] == "GET"
    assert searched["user_id"] == staff.id and searched["message"] == "GET /api/v1/search 200"
    assert any(line["path"] == "/login" and line["user_id"] == staff.id for line in access)  # after logging in
    assert any(line["path"] == "/search" and line["user_id"] == staff.id for line in access)
    # no search words, no query strings, no e-mail addresses anywhere in the log
    assert "zzyzx" not in logging_err.lower() and "confidential" not in logging_err
    assert "@" not in logging_err and "example.org" not in logging_err


def test_text_log_lines_carry_the_request_id(client, capsys):
    capsys.readouterr()
    client.get("/healthz", headers={"X-Request-ID": "text-line-1"})
    err = capsys.readouterr().err
    assert "repository.access [text-line-1] GET /healthz 200" in err


# ----------------------------------------------------------------------------------------------------------------
# rotating the secret key
# ----------------------------------------------------------------------------------------------------------------


def test_a_new_secret_key_ends_sessions_and_keeps_api_tokens(app, client, people):
    coord = people["coord"]
    form = {"email": coord.email, "password": PASSWORD, "csrf_token": csrf(client)}
    assert client.post("/login", data=form).status_code == 302
    assert client.get("/review").status_code == 200
    cookie = client.get_cookie("session")
    assert cookie is not None

    def review_page_with(key: str) -> tuple[int, int]:
        """The session cookie and the API token on another app over the same data, signing with ``key``."""
        other = create_app({"DATA_DIR": app.config["DATA_DIR"], "DATABASE_URL": app.config["DATABASE_URL"],
                            "INDEX_MODE": "sync", "TESTING": True, "SECRET_KEY": key})
        try:
            browser = other.test_client()
            browser.set_cookie("session", cookie.value)
            return (browser.get("/review").status_code,
                    browser.get("/api/v1/reviews/due", headers=coord.headers).status_code)
        finally:
            other.extensions["repo"].worker.stop()
            other.extensions["repo"].extractor.close()
            db.engine_of(other).dispose()

    assert review_page_with(app.config["SECRET_KEY"]) == (200, 200)  # the same key: still logged in
    assert review_page_with("a-new-key-" + "0" * 54) == (302, 200)  # a new key: logged out, the token works
