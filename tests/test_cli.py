"""The command line: ``flask --app wsgi COMMAND``, through Flask's test runner and once as a real process."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PASSWORD
from conftest import login
from conftest import start_app
from conftest import stop_app
from filefactory import make_docx
from filefactory import make_exe
from filefactory import make_pdf
from filefactory import make_txt

from repository.data import db
from repository.demo.content import DEMO_DOCUMENTS
from repository.demo.content import DEMO_USERS

REPO_ROOT = Path(__file__).resolve().parent.parent
TOKEN_RE = re.compile(r"^rp_[A-Za-z0-9_-]{20,}$")


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def run(runner, *args: str, input: str | None = None, ok: bool = True):
    """Invoke a command; by default assert success."""
    result = runner.invoke(args=list(args), input=input)
    if ok:
        assert result.exit_code == 0, (args, result.output, result.exception)
    return result


def refused(result, *words: str) -> str:
    """A failed command: non-zero exit and a one-line reason on stderr naming ``words``."""
    assert result.exit_code != 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word.lower() in lines[0].lower(), (word, lines[0])
    return lines[0]


def add_account(runner, email: str, org: str, role: str) -> str:
    """org add (if needed), user add --password-stdin, token create; returns the token."""
    runner.invoke(args=["org", "add", org, "--name", f"{org} organisation"])
    run(runner, "user", "add", email, "--org", org, "--role", role, "--password-stdin", input=PASSWORD + "\n")
    result = run(runner, "token", "create", email)
    token = result.stdout.strip().splitlines()[-1]
    assert TOKEN_RE.match(token), result.stdout
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# ----------------------------------------------------------------------------------------------------------------
# accounts
# ----------------------------------------------------------------------------------------------------------------


def test_init_orgs_users_and_tokens(app, runner, client):
    result = run(runner, "init")  # the fixture ran it once already
    assert "Initialised" in result.stdout

    result = run(runner, "org", "add", "drc", "--name", "Danish Refugee Council")
    assert "DRC" in result.stdout
    refused(run(runner, "org", "add", "DRC", "--name", "Again", ok=False), "DRC", "exists")
    refused(run(runner, "org", "add", "bad acronym!", "--name", "Bad", ok=False), "acronym")
    assert run(runner, "org", "add", "IRC", ok=False).exit_code != 0  # --name is required

    run(runner, "init")  # idempotent: nothing is lost
    refused(run(runner, "org", "add", "DRC", "--name", "Again", ok=False), "exists")

    # accounts
    result = run(runner, "user", "add", "Partner@DRC.example.org", "--org", "drc", "--role", "partner",
                 "--password-stdin", input=PASSWORD + "\nsecond line ignored\n")
    assert "partner@drc.example.org" in result.stdout
    refused(run(runner, "user", "add", "short@drc.example.org", "--org", "DRC", "--role", "partner",
                "--password-stdin", input="tooshort\n", ok=False), "12 characters")
    refused(run(runner, "user", "add", "partner@drc.example.org", "--org", "DRC", "--role", "staff",
                "--password-stdin", input=PASSWORD + "\n", ok=False), "already exists")
    refused(run(runner, "user", "add", "x@nowhere.example.org", "--org", "NOPE", "--role", "staff",
                "--password-stdin", input=PASSWORD + "\n", ok=False), "NOPE")
    refused(run(runner, "user", "add", "not-an-email", "--org", "DRC", "--role", "staff",
                "--password-stdin", input=PASSWORD + "\n", ok=False), "e-mail")
    bad_role = run(runner, "user", "add", "boss@drc.example.org", "--org", "DRC", "--role", "boss",
                   "--password-stdin", input=PASSWORD + "\n", ok=False)
    assert bad_role.exit_code != 0 and "role" in bad_role.stderr and "boss" in bad_role.stderr
    # the refused accounts were not created
    for email in ("short@drc.example.org", "boss@drc.example.org"):
        assert login(app.test_client(), email).status_code == 401
    assert login(app.test_client(), "partner@drc.example.org").status_code == 302

    # tokens: the last line works on the API
    result = run(runner, "token", "create", "PARTNER@drc.example.org")
    token = result.stdout.strip().splitlines()[-1]
    assert TOKEN_RE.match(token)
    r = client.post("/api/v1/documents", headers=bearer(token), content_type="multipart/form-data",
                    data={"file": (io.BytesIO(b"Cli token upload check.\n"), "cli.txt")})
    assert r.status_code == 201 and r.json["uploaded_by"] == "partner@drc.example.org"
    short = run(runner, "token", "create", "partner@drc.example.org", "--days", "1").stdout.strip().splitlines()[-1]
    assert short != token and client.get("/api/v1/audit", headers=bearer(short)).status_code == 403  # known: 403
    refused(run(runner, "token", "create", "nobody@drc.example.org", ok=False), "nobody@drc.example.org")
    assert client.get("/api/v1/audit", headers=bearer(token + "x")).status_code == 401

    coord_token = add_account(runner, "coord@pswg.example.org", "PSWG", "coordinator")
    audit = client.get("/api/v1/audit", headers=bearer(coord_token), query_string={"action": "token_create"})
    assert audit.status_code == 200 and audit.json["total"] == 3

    # the operator's tokens for scripts: as many as needed, for longer than a year or for ever; an account minting
    # its own on the page stops at 20 (tests/test_tokens.py)
    issued = {run(runner, "token", "create", "partner@drc.example.org", "--days", days).stdout.strip().splitlines()[-1]
              for days in ["0", "3650"] + ["30"] * 20}
    assert len(issued) == 22 and all(TOKEN_RE.match(t) for t in issued)
    assert all(client.get("/api/v1/search", headers=bearer(t)).status_code == 200 for t in issued)
    refused(run(runner, "token", "create", "partner@drc.example.org", "--days", "-1", ok=False), "days")


# ----------------------------------------------------------------------------------------------------------------
# import and reindex
# ----------------------------------------------------------------------------------------------------------------


def test_import_folder_skips_on_rerun_and_reports_refusals(app, runner, client, tmp_path):
    coord = add_account(runner, "coord@pswg.example.org", "PSWG", "coordinator")
    add_account(runner, "partner@drc.example.org", "DRC", "partner")
    add_account(runner, "staff@drc.example.org", "DRC", "staff")
    add_account(runner, "partner@irc.example.org", "IRC", "partner")

    folder = tmp_path / "dropbox export"
    make_txt(folder / "a_note.txt", "Quillfeather distribution notes for the municipality.\n")
    make_txt(folder / "copy_of_note.txt", "Quillfeather distribution notes for the municipality.\n")  # same bytes
    make_docx(folder / "sub" / "minutes.docx", ["Meeting minutes of the Brackenridge working group."])
    make_pdf(folder / "sub" / "deeper" / "report.pdf", ["Protection monitoring in Sorrowdale district."])
    make_exe(folder / "tool.exe")
    (folder / "page.html").write_bytes(b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n")
    make_txt(folder / ".hidden.txt", "Hidden file from the sync client.\n")

    result = run(runner, "import", str(folder), "--org", "drc", "--as", "partner@drc.example.org")
    assert "Imported 3, skipped 1 already imported, refused 2." in result.stdout
    refusals = [line for line in result.stderr.splitlines() if "refused" in line]
    assert len(refusals) == 2
    assert any("tool.exe" in line for line in refusals) and any("page.html" in line for line in refusals)

    found = client.get("/api/v1/search", headers=bearer(coord), query_string={"q": ""}).json
    assert found["total"] == 3
    docs = [client.get(f"/api/v1/documents/{h['id']}", headers=bearer(coord)).json for h in found["hits"]]
    assert sorted(d["filename"] for d in docs) == ["a_note.txt", "minutes.docx", "report.pdf"]
    for d in docs:
        assert d["state"] == "submitted" and d["org"] == "DRC" and d["uploaded_by"] == "partner@drc.example.org"
        assert d["text_status"] == "ok", d
    for word in ("Quillfeather", "Brackenridge", "Sorrowdale"):
        assert client.get("/api/v1/search", headers=bearer(coord), query_string={"q": word}).json["total"] == 1

    # re-running skips everything already imported
    result = run(runner, "import", str(folder), "--org", "DRC", "--as", "partner@drc.example.org")
    assert "Imported 0, skipped 4 already imported, refused 2." in result.stdout
    make_txt(folder / "sub" / "new.txt", "Wexhampton follow-up visit.\n")
    result = run(runner, "import", str(folder), "--org", "DRC", "--as", "partner@drc.example.org")
    assert "Imported 1, skipped 4 already imported, refused 2." in result.stdout
    assert client.get("/api/v1/search", headers=bearer(coord), query_string={"q": ""}).json["total"] == 4

    # refusals of the whole import: one line on stderr, nothing imported
    refused(run(runner, "import", str(folder), "--org", "IRC", "--as", "partner@drc.example.org", ok=False), "IRC")
    refused(run(runner, "import", str(folder), "--org", "NOPE", "--as", "partner@drc.example.org", ok=False), "NOPE")
    refused(run(runner, "import", str(folder), "--org", "DRC", "--as", "ghost@drc.example.org", ok=False), "ghost")
    refused(run(runner, "import", str(folder), "--org", "DRC", "--as", "staff@drc.example.org", ok=False))
    assert run(runner, "import", str(tmp_path / "missing"), "--org", "DRC", "--as", "partner@drc.example.org",
               ok=False).exit_code != 0
    assert client.get("/api/v1/search", headers=bearer(coord), query_string={"q": ""}).json["total"] == 4

    # reindex rebuilds from the database; search answers the same afterwards
    result = run(runner, "reindex")
    assert "Reindexed 4 documents." in result.stdout
    for word in ("Quillfeather", "Brackenridge", "Sorrowdale", "Wexhampton"):
        assert client.get("/api/v1/search", headers=bearer(coord), query_string={"q": word}).json["total"] == 1


def test_parallel_import_gives_each_file_its_own_text(app, runner, client, tmp_path):
    """``import --jobs 3``: every file imported once, each with its own text (no answer of one worker or thread
    lands on another file), duplicates skipped, a file that breaks its extractor refused alone, and everything
    searchable when the command returns."""
    coord = add_account(runner, "coord@pswg.example.org", "PSWG", "coordinator")
    add_account(runner, "partner@drc.example.org", "DRC", "partner")
    folder = tmp_path / "export"
    words = [f"zq{chr(97 + i // 26)}{chr(97 + i % 26)}marker" for i in range(24)]
    for i, word in enumerate(words):
        if i % 6 == 0:
            make_pdf(folder / f"r{i:02d}.pdf", [f"Report {i} mentions {word} once.", f"Annex of report {i}."])
        elif i % 6 == 1:
            make_docx(folder / "docs" / f"r{i:02d}.docx", [f"Minutes {i}: {word} was discussed."])
        else:
            make_txt(folder / "txt" / f"r{i:02d}.txt", f"Note {i} about {word}.\n" * (1 + i))
    make_txt(folder / "txt" / "copy.txt", f"Note 2 about {words[2]}.\n" * 3)  # same bytes as r02.txt
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100)  # stored, without text
    make_exe(folder / "tool.exe")  # refused

    result = run(runner, "import", str(folder), "--org", "DRC", "--as", "partner@drc.example.org", "--jobs", "3")
    assert "Imported 25, skipped 1 already imported, refused 1." in result.stdout, result.stdout + result.stderr
    assert "tool.exe" in result.stderr
    for i, word in enumerate(words):
        found = client.get("/api/v1/search", headers=bearer(coord), query_string={"q": word}).json
        assert found["total"] == 1, (i, word, found)
        # r02.txt and copy.txt hold the same bytes: whichever came first is the document
        assert found["hits"][0]["title"] in ({f"r{i:02d}"} | ({"copy"} if i == 2 else set())), found["hits"][0]
    everything = client.get("/api/v1/search", headers=bearer(coord), query_string={"q": "", "per_page": 100}).json
    assert everything["total"] == 25
    broken = [h for h in everything["hits"] if h["title"] == "broken"]
    broken_doc = client.get(f"/api/v1/documents/{broken[0]['id']}", headers=bearer(coord)).json
    assert broken_doc["text_status"] == "unavailable"
    assert run(runner, "import", str(folder), "--org", "DRC", "--as", "partner@drc.example.org", "--jobs", "0",
               ok=False).exit_code != 0


def test_taxonomy_check(runner, tmp_path):
    result = run(runner, "taxonomy", "check")
    assert re.search(r"taxonomy OK: \d+ facets, \d+ codes", result.stdout)
    broken = tmp_path / "broken.yaml"
    broken.write_text("facets:\n  - id: doc_type\n    codes: [{id: x}, {id: x}]\n")
    result = run(runner, "taxonomy", "check", "--path", str(broken), ok=False)
    assert result.exit_code != 0 and "taxonomy check failed" in result.stderr


# ----------------------------------------------------------------------------------------------------------------
# demo
# ----------------------------------------------------------------------------------------------------------------


def test_demo_if_empty_on_a_populated_instance_loads_nothing(world, runner):
    world.account("someone@drc.example.org", "partner", "DRC")
    result = run(runner, "demo", "--if-empty")
    assert "Loaded" not in result.stdout
    result = run(runner, "demo", "--logins")
    assert "No demo logins" in result.stdout


def test_demo_loads_once_and_prints_logins(app, runner, client):
    result = run(runner, "demo")
    assert f"Loaded the demo: {len(DEMO_DOCUMENTS)} documents." in result.stdout
    logins = dict(re.findall(r"^\s+\w+\s+(\S+@\S+)\s+(\S+)\s*$", result.stdout, re.MULTILINE))
    assert set(logins) == {u["email"] for u in DEMO_USERS}

    # on a populated instance --if-empty loads nothing (and still prints the logins)
    again = run(runner, "demo", "--if-empty")
    assert "Loaded" not in again.stdout and dict(re.findall(r"^\s+\w+\s+(\S+@\S+)\s+(\S+)\s*$", again.stdout,
                                                                re.MULTILINE)) == logins
    refused(run(runner, "demo", ok=False), "already")
    assert run(runner, "demo", "--logins").stdout == again.stdout

    # the printed logins work, one per role
    for spec in DEMO_USERS:
        browser = app.test_client()
        assert login(browser, spec["email"], logins[spec["email"]]).status_code == 302, spec
    coordinator = next(u["email"] for u in DEMO_USERS if u["role"] == "coordinator")
    token = run(runner, "token", "create", coordinator).stdout.strip().splitlines()[-1]
    found = client.get("/api/v1/search", headers=bearer(token), query_string={"q": "", "per_page": 100}).json
    assert found["total"] == len(DEMO_DOCUMENTS)
    # every released demo document went through the release gate: coded, with a benefit/risk record
    for hit in found["hits"]:
        doc = client.get(f"/api/v1/documents/{hit['id']}", headers=bearer(token)).json
        if doc["state"] != "released":
            continue
        assert doc["codes"].get("doc_type") and set(doc["codes"]) - {"doc_type"}, doc["title"]
        assert doc["risks"] and doc["benefits"] and doc["rationale"], doc["title"]


def test_demo_without_its_pdf_tooling_says_what_to_install_and_writes_nothing(app, runner, monkeypatch):
    import importlib.util

    from sqlalchemy import func
    from sqlalchemy import select

    from repository.data.models import User

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "fpdf" else find_spec(name, *a))
    line = refused(run(runner, "demo", ok=False), "fpdf2", "pip install -e '.[demo]'")
    assert "Traceback" not in line and "uharfbuzz" not in line
    assert "No demo logins" in run(runner, "demo", "--logins").stdout
    with app.app_context():
        assert db.get_session().scalar(select(func.count(User.id))) == 0


# ----------------------------------------------------------------------------------------------------------------
# a real process
# ----------------------------------------------------------------------------------------------------------------


def test_real_flask_process(tmp_path):
    flask = Path(sys.executable).parent / "flask"
    assert flask.is_file(), flask
    data_dir = tmp_path / "instance"
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPOSITORY_")}
    env["REPOSITORY_DATA_DIR"] = str(data_dir)

    def flask_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(flask), "--app", "wsgi", *args],
            cwd=REPO_ROOT,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )

    for _ in range(2):
        done = flask_cli("init")
        assert done.returncode == 0, done.stderr
    assert (data_dir / "repository.sqlite3").is_file() and (data_dir / "secret_key").is_file()
    assert (data_dir / "secret_key").stat().st_mode & 0o077 == 0

    assert flask_cli("org", "add", "DRC", "--name", "Danish Refugee Council").returncode == 0
    dup = flask_cli("org", "add", "drc", "--name", "Again")
    assert dup.returncode != 0
    lines = [line for line in dup.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "DRC" in lines[0] and "exists" in lines[0], dup.stderr

    short = flask_cli("user", "add", "p@drc.example.org", "--org", "DRC", "--role", "partner", "--password-stdin",
                      stdin="short\n")
    assert short.returncode != 0 and "12" in short.stderr
    added = flask_cli("user", "add", "p@drc.example.org", "--org", "DRC", "--role", "partner", "--password-stdin",
                      stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    made = flask_cli("token", "create", "p@drc.example.org")
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip().splitlines()[-1]
    assert TOKEN_RE.match(token)

    # the token works on the API of an app over the same data folder (and its SQLite database)
    app = start_app(data_dir, init=False, DATABASE_URL=f"sqlite:///{data_dir / 'repository.sqlite3'}")
    try:
        client = app.test_client()
        r = client.post("/api/v1/documents", headers=bearer(token), content_type="multipart/form-data",
                        data={"file": (io.BytesIO(b"Real process token check.\n"), "real.txt")})
        assert r.status_code == 201, r.json
        assert r.json["org"] == "DRC" and r.json["uploaded_by"] == "p@drc.example.org"
        assert login(client, "p@drc.example.org").status_code == 302
    finally:
        stop_app(app)


def test_init_refuses_a_database_of_an_older_version(app, runner):
    """create_all adds tables, not columns: init names the missing columns instead of letting requests fail."""
    from sqlalchemy import text

    run(runner, "init")
    with db.engine_of(app).begin() as conn:
        conn.execute(text("ALTER TABLE users DROP COLUMN totp_last_step"))
    refused(run(runner, "init", ok=False), "older version", "users.totp_last_step")
