"""Backup and restore (``flask --app wsgi backup FILE`` and ``restore FILE``): a backup taken while uploads go on
is one consistent snapshot; a restore into a new data folder answers as the original did (documents, downloads,
search as four roles with the API tokens of the backup, the audit trail); a database or data folder that is not
empty, a truncated archive and an archive with one altered byte are refused and nothing changes; a SQLite backup
restores into PostgreSQL when ``REPOSITORY_TEST_POSTGRES_URL`` is set (and a PostgreSQL one into SQLite: the
``app`` fixture is then on PostgreSQL)."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import tarfile
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import conftest
import pytest
from alembic import command
from conftest import GATE_CODES
from conftest import NONE_IDENTIFIED
from conftest import POSTGRES_URL
from conftest import World
from conftest import database_url
from conftest import text_report
from conftest import upload
from sqlalchemy import text

from repository.data import db
from repository.data import migrate
from repository.services import backup

# ----------------------------------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------------------------------


@contextmanager
def make_app(data_dir: Path, url: str | None = None) -> Iterator:
    """An app over ``data_dir`` (its SQLite file, or the database at ``url``); nothing is initialised."""
    with conftest.make_app(data_dir, init=False, DATABASE_URL=url or conftest.sqlite_url(data_dir)) as app:
        yield app


def cli(app, *args: str, ok: bool = True):
    result = app.test_cli_runner().invoke(args=list(args))
    if ok:
        assert result.exit_code == 0, (args, result.output, result.exception)
    return result


def refused(result, *words: str) -> str:
    """A failed command: non-zero exit, no traceback, a one-line reason on stderr naming ``words``."""
    assert result.exit_code != 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word.lower() in lines[0].lower(), (word, lines[0])
    return lines[0]


def stored_files(app) -> list[Path]:
    store = app.extensions["repo"].store
    if not store.root.is_dir():
        return []
    return sorted(p for p in store.root.rglob("*") if p.is_file() and store.tmp not in p.parents)


def row_counts(app) -> dict[str, int]:
    engine = db.engine_of(app)
    with engine.connect() as conn:
        return {t: conn.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar_one() for t in migrate.app_tables(engine)}


def assert_untouched(app) -> None:
    """The target of a refused restore: no table with a row, no stored file."""
    assert not any(n for t, n in row_counts(app).items() if t != "index_outbox"), row_counts(app)
    assert stored_files(app) == []


def members(path: Path) -> dict[str, bytes]:
    """Every member of an archive, in order."""
    with tarfile.open(path, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def table_rows(contents: dict[str, bytes], table: str) -> list[dict]:
    raw = contents[f"{backup.TABLES}{table}.jsonl"]
    return [json.loads(line) for line in raw.splitlines()]


def repack(path: Path, out: Path, change) -> None:
    """Write ``out`` with the members of ``path``, each passed through ``change(name, data)``."""
    with tarfile.open(out, "w:gz") as tar:
        for name, data in members(path).items():
            data = change(name, data)
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def one_document(app, words: str, filename: str):
    """A DRC partner and the answer (201) to its upload of a small text report of ``words``."""
    partner = World(app).account("partner@drc.example.org", "partner", "DRC")
    r = upload(app.test_client(), partner, data=text_report(words), filename=filename)
    assert r.status_code == 201
    return partner, r


WORDS = ["amber", "basalt", "cobalt", "dune", "ember", "fjord", "garnet", "harbour"]

#: Per document: the coordinator's steps (none: left submitted) and its codes.
PLAN = [
    ([{"action": "release", "level": "public"}], ["location:IQG09-zakho", GATE_CODES[0]]),
    ([{"action": "release", "level": "restricted"}], ["location:IQG09", GATE_CODES[0]]),
    ([{"action": "release", "level": "confidential", "grant_orgs": ["UNHCR"]}], list(GATE_CODES)),
    ([{"action": "release", "level": "strictly_confidential", "grant_users": ["staff@unhcr.example.org"]}],
     list(GATE_CODES)),
    ([], ["location:IQG09"]),
    ([{"action": "return"}], []),
    ([{"action": "withhold"}], []),
    ([{"action": "release", "level": "confidential"}], ["location:IQG09-zakho", GATE_CODES[0]]),
]

QUERIES = [
    {"q": "protection"},
    {"q": "monitoring report"},
    {"q": '"protection monitoring"'},
    {"q": "amber OR cobalt OR fjord"},
    {"q": "protection NOT basalt"},
    {"q": "ember"},
    {"q": "report", "sort": "date"},
    {"q": "report", "code": "location:IQG09"},
    {"q": "protection", "org": "IRC"},
    {"q": "(garnet OR harbour) AND report", "level": "confidential"},
]


def populate(app) -> tuple[dict, list[int]]:
    """Four roles with API tokens, eight documents in every state and level (grants, codes, a returned document
    with its comment and a replaced file), views and downloads in the audit trail."""
    world = World(app)
    cast = {
        "partner": world.account("partner@irc.example.org", "partner", "IRC"),
        "staff": world.account("staff@unhcr.example.org", "staff", "UNHCR"),
        "coordinator": world.account("coord@pswg.example.org", "coordinator", "PSWG"),
    }
    client = app.test_client()
    coord = cast["coordinator"]
    ids = []
    for word, (steps, codes) in zip(WORDS, PLAN, strict=True):
        r = upload(client, cast["partner"], data=text_report(f"Field notes {word} on protection risks.", 3),
                   filename=f"{word}.txt", title=f"Report {word}", summary=f"Summary {word}", codes=codes,
                   published="2026-0" + str(1 + len(ids)) + "-15")
        assert r.status_code == 201, r.json
        ids.append(r.json["id"])
        for step in steps:
            r = client.post(f"/api/v1/documents/{ids[-1]}/review", headers=coord.headers,
                            json={"rationale": f"Reviewed {word} against the ISP.", **NONE_IDENTIFIED, **step})
            assert r.status_code == 200, r.json
    returned = ids[5]
    r = client.post(f"/api/v1/documents/{returned}/file", headers=cast["partner"].headers,
                    data={"file": (io.BytesIO(text_report("Field notes fjord, second version.", 2)), "fjord2.txt")},
                    content_type="multipart/form-data")
    assert r.status_code == 200, r.json
    r = client.post(f"/api/v1/documents/{returned}/comments", headers=cast["partner"].headers,
                    json={"text": "Replaced the file as asked."})
    assert r.status_code == 201, r.json
    with client.get(f"/api/v1/documents/{ids[0]}/file") as r:
        assert r.status_code == 200
    return cast, ids


_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2})?$")


def normal(value):
    """JSON with datetimes in one form: SQLite gives them without an offset, PostgreSQL with one (both UTC)."""
    import datetime as dt

    if isinstance(value, dict):
        return {k: normal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normal(v) for v in value]
    if isinstance(value, str) and _DATETIME.match(value):
        when = dt.datetime.fromisoformat(value)
        return (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).astimezone(dt.UTC).isoformat()
    return value


def audit_trail(app, coord) -> list:
    client = app.test_client()
    pages = []
    for page in range(1, 100):
        r = client.get("/api/v1/audit", query_string={"page": page}, headers=coord.headers)
        assert r.status_code == 200, r.json
        if not r.json["events"]:
            break
        pages.append(normal(r.json))
    assert pages
    return pages


def answers(app, cast, ids) -> dict:
    """What each role gets: every document, its download, ten searches."""
    client = app.test_client()
    roles = {"anonymous": {}, **{name: account.headers for name, account in cast.items()}}
    out = {}
    for role, headers in roles.items():
        for doc_id in ids:
            r = client.get(f"/api/v1/documents/{doc_id}", headers=headers)
            out[role, "document", doc_id] = (r.status_code, normal(r.json))
            with client.get(f"/api/v1/documents/{doc_id}/file", headers=headers) as r:
                body = hashlib.sha256(r.data).hexdigest() if r.status_code == 200 else normal(r.json)
                out[role, "file", doc_id] = (r.status_code, body)
        for n, query in enumerate(QUERIES):
            r = client.get("/api/v1/search", query_string=query, headers=headers)
            assert r.status_code == 200, (query, r.json)
            out[role, "search", n] = normal(r.json)
    seen = {role: sum(1 for k, v in out.items() if k[0] == role and k[1] == "document" and v[0] == 200)
            for role in roles}
    assert 0 < seen["anonymous"] < seen["staff"] < seen["coordinator"] == len(ids), seen  # the roles differ
    assert any(out["staff", "search", n]["total"] for n in range(len(QUERIES)))
    return out


def assert_same_answers(source, target, cast, ids, trail) -> None:
    assert audit_trail(target, cast["coordinator"]) == trail  # first: views and downloads below add to it
    expected = answers(source, cast, ids)
    found = answers(target, cast, ids)
    assert found.keys() == expected.keys()
    for key in expected:
        assert found[key] == expected[key], key


# ----------------------------------------------------------------------------------------------------------------
# (1) a backup while uploads go on
# ----------------------------------------------------------------------------------------------------------------


def test_a_backup_taken_while_uploads_go_on_is_one_snapshot(app, tmp_path, monkeypatch):
    partner = World(app).account("partner@drc.example.org", "partner", "DRC")
    done: list[int] = []
    changed = threading.Condition()
    errors: list[BaseException] = []

    def uploads() -> None:
        client = app.test_client()
        try:
            for n in range(20):
                r = upload(client, partner, data=text_report(f"Stream report {n} zqstream{n}zq."), filename=f"s{n}.txt")
                assert r.status_code == 201, r.json
                with changed:
                    done.append(r.json["id"])
                    changed.notify_all()
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
            with changed:
                changed.notify_all()

    def wait_for(count: int) -> None:
        with changed:
            assert changed.wait_for(lambda: len(done) >= count or errors, timeout=120), len(done)
        assert not errors, errors

    # between the first table read and the others, two more uploads are committed: a backup that did not read one
    # snapshot would have their rows in the later tables only
    dump_table = backup.Backup._dump_table
    after_first: list[int] = []

    def slow_dump_table(self, *args, **kwargs):
        rows = dump_table(self, *args, **kwargs)
        if not after_first:
            after_first.append(len(done))
            wait_for(len(done) + 2)
        return rows

    monkeypatch.setattr(backup.Backup, "_dump_table", slow_dump_table)
    thread = threading.Thread(target=uploads)
    thread.start()
    try:
        wait_for(3)
        started = len(done)
        archive = tmp_path / "during.tar.gz"
        result = cli(app, "backup", str(archive))
    finally:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(done) == 20

    contents = members(archive)
    documents = {row["id"]: row for row in table_rows(contents, "documents")}
    assert f"{len(documents)} documents" in result.stdout and "MB" in result.stdout
    # the snapshot began after `started` uploads and before the first table was read: the two uploads committed
    # after that are in no table
    assert started <= len(documents) <= after_first[0] <= len(done) - 2 and set(documents) <= set(done)
    uploads_audited = {e["document_id"] for e in table_rows(contents, "audit_events") if e["action"] == "upload"}
    uploads_decided = {d["document_id"] for d in table_rows(contents, "decisions") if d["action"] == "upload"}
    assert uploads_audited == uploads_decided == set(documents)
    files = {row["sha256"]: row["size"] for row in table_rows(contents, "stored_files")}
    assert {doc["sha256"] for doc in documents.values()} == set(files)
    for sha256, size in files.items():
        data = contents[f"{backup.FILES}{sha256[:2]}/{sha256[2:4]}/{sha256}"]
        assert hashlib.sha256(data).hexdigest() == sha256 and len(data) == size
    stored = {n for n in contents if n.startswith(backup.FILES)}
    assert len(stored) == len(files)  # files stored after the snapshot are not in the archive

    manifest = json.loads(contents[backup.MANIFEST])
    assert [m["name"] for m in manifest["members"]] == list(contents)[:-2]
    for member in manifest["members"]:
        assert hashlib.sha256(contents[member["name"]]).hexdigest() == member["sha256"]
    assert contents[backup.MANIFEST_SHA].strip().decode() == hashlib.sha256(contents[backup.MANIFEST]).hexdigest()
    header = json.loads(contents[backup.HEADER])
    assert header["revision"] == migrate.head() and header["documents"] == len(documents)
    assert "index_outbox" not in {t["name"] for t in header["tables"]}
    assert backup.verify(archive).documents == len(documents)

    # restored elsewhere, the archive answers as the source did for what it holds, and knows nothing of the rest
    coordinator = World(app).account("coord@pswg.example.org", "coordinator", "PSWG")  # made after: not restored
    source = app.test_client()
    with make_app(tmp_path / "restored") as target:
        cli(target, "restore", str(archive))
        restored = target.test_client()
        coord = World(target).account("coord@pswg.example.org", "coordinator", "PSWG")
        for n, doc_id in enumerate(done):
            r = restored.get(f"/api/v1/documents/{doc_id}", headers=coord.headers)
            hits = restored.get("/api/v1/search", query_string={"q": f"zqstream{n}zq"}, headers=coord.headers).json
            if doc_id not in documents:
                assert r.status_code == 404 and hits["total"] == 0, doc_id
                continue
            assert r.status_code == 200 and [h["id"] for h in hits["hits"]] == [doc_id], doc_id
            original = source.get(f"/api/v1/documents/{doc_id}", headers=coordinator.headers).json
            assert r.json == original, doc_id
            with restored.get(f"/api/v1/documents/{doc_id}/file", headers=coord.headers) as download:
                assert hashlib.sha256(download.data).hexdigest() == documents[doc_id]["sha256"]


def test_a_failed_backup_leaves_no_file_and_an_existing_file_is_kept(app, tmp_path):
    partner, r = one_document(app, "Kept apart zqkeptzq.", "k.txt")
    existing = tmp_path / "existing.tar.gz"
    existing.write_bytes(b"not to be overwritten")
    refused(cli(app, "backup", str(existing), ok=False), "exists")
    assert existing.read_bytes() == b"not to be overwritten"

    stored = stored_files(app)[0]
    stored.chmod(0o600)
    stored.unlink()  # a stored file that went missing: the backup stops and leaves nothing behind
    out = tmp_path / "out"
    out.mkdir()
    refused(cli(app, "backup", str(out / "b.tar.gz"), ok=False), "missing", str(r.json["id"]))
    assert list(out.iterdir()) == []


# ----------------------------------------------------------------------------------------------------------------
# (2) restore into a new data folder
# ----------------------------------------------------------------------------------------------------------------


def test_a_restore_answers_as_the_original(no_request_rate_limits, app, tmp_path):
    cast, ids = populate(app)
    archive = tmp_path / "full.tar.gz"
    result = cli(app, "backup", str(archive))
    assert f"{len(ids)} documents, {len(ids) + 1} stored files" in result.stdout  # the replaced file is kept too
    assert archive.stat().st_mode & 0o777 == 0o600  # password hashes and every document: the owner's only
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left
    trail = audit_trail(app, cast["coordinator"])

    with make_app(tmp_path / "restored") as target:
        result = cli(target, "restore", str(archive))
        assert f"Restored {len(ids)} documents, {len(ids) + 1} stored files" in result.stdout
        assert f"Reindexed {len(ids)} documents." in result.stdout
        assert migrate.current(db.engine_of(target)) == migrate.head()
        assert_same_answers(app, target, cast, ids, trail)
        assert len(stored_files(target)) == len(ids) + 1
        assert cli(target, "restore", str(archive), ok=False).exit_code != 0  # once only


def test_an_older_backup_is_restored_at_its_revision_then_upgraded(app, tmp_path):
    previous = migrate.scripts().get_revision(migrate.head()).down_revision
    if previous is None:
        pytest.skip("there is only one schema revision")
    partner, r = one_document(app, "An older schema zqolderzq.", "o.txt")
    before = row_counts(app)
    with migrate._migration_connection(db.engine_of(app)) as conn:
        command.downgrade(migrate.config(conn), previous)
    archive = tmp_path / "older.tar.gz"
    cli(app, "backup", str(archive))
    assert json.loads(members(archive)[backup.HEADER])["revision"] == previous

    with make_app(tmp_path / "restored") as target:
        result = cli(target, "restore", str(archive))
        assert f"upgraded to {migrate.head()}" in result.stdout
        assert migrate.current(db.engine_of(target)) == migrate.head()
        restored = row_counts(target)
        assert {t: n for t, n in restored.items() if t != "index_outbox"} == {
            t: n for t, n in before.items() if t != "index_outbox"
        }
        with target.test_client().get(f"/api/v1/documents/{r.json['id']}/file", headers=partner.headers) as r:
            assert r.status_code == 200 and b"zqolderzq" in r.data


# ----------------------------------------------------------------------------------------------------------------
# (3) a target that is not empty, (4) a damaged archive
# ----------------------------------------------------------------------------------------------------------------


def test_a_restore_into_a_database_or_data_folder_that_is_not_empty_is_refused(app, tmp_path):
    partner, r = one_document(app, "Already here zqherezq.", "h.txt")
    archive = tmp_path / "one.tar.gz"
    cli(app, "backup", str(archive))

    counts, files = row_counts(app), stored_files(app)
    refused(cli(app, "restore", str(archive), ok=False), "not empty", "1 documents", "nothing was changed")
    assert row_counts(app) == counts and stored_files(app) == files

    with make_app(tmp_path / "other") as target:
        store = target.extensions["repo"].store
        store.commit(store.stage(io.BytesIO(b"a file left from another life")))
        refused(cli(target, "restore", str(archive), ok=False), "file store", "nothing was changed")
        assert migrate.app_tables(db.engine_of(target)) == set()
        assert len(stored_files(target)) == 1

    with make_app(tmp_path / "users-only") as target:
        cli(target, "init")
        World(target).org("DRC")  # one organisation is data enough
        refused(cli(target, "restore", str(archive), ok=False), "not empty", "organisations")
        assert row_counts(target)["organisations"] == 1 and not row_counts(target)["documents"]


def flip_a_bit_that_matters(data: bytes) -> bytes:
    """``data`` with one bit flipped from the middle on, at the first place where the flip changes what the gzip
    stream holds (a flip in a Huffman table entry that is never used, for one, leaves it intact and the archive
    whole)."""
    original = gzip.decompress(data)
    for at in range(len(data) // 2, len(data) - 8):
        flipped = bytearray(data)
        flipped[at] ^= 0x01
        try:
            if gzip.decompress(bytes(flipped)) != original:
                return bytes(flipped)
        except (OSError, EOFError, zlib.error):
            return bytes(flipped)
    raise AssertionError("no bit flip changes the archive")


def test_a_truncated_or_altered_archive_is_refused_and_changes_nothing(app, tmp_path):
    partner, r = one_document(app, "The original bytes zqoriginalzq.", "o.txt")
    archive = tmp_path / "good.tar.gz"
    cli(app, "backup", str(archive))
    data = archive.read_bytes()
    sha256 = r.json["sha256"]
    file_member = f"{backup.FILES}{sha256[:2]}/{sha256[2:4]}/{sha256}"

    damaged = {}
    for cut in (len(data) // 3, len(data) - 40):
        damaged[f"cut-{cut}"] = data[:cut]
    damaged["flipped"] = flip_a_bit_that_matters(data)
    for name in damaged:
        (tmp_path / f"{name}.tar.gz").write_bytes(damaged[name])

    def alter(member: str):
        def change(name: str, content: bytes) -> bytes:
            if name != member:
                return content
            altered = bytearray(content)
            altered[len(altered) // 2] ^= 0x20
            return bytes(altered)

        return change

    repack(archive, tmp_path / "altered-file.tar.gz", alter(file_member))
    repack(archive, tmp_path / "altered-rows.tar.gz", alter(f"{backup.TABLES}documents.jsonl"))
    repack(archive, tmp_path / "altered-manifest.tar.gz", alter(backup.MANIFEST))
    repack(archive, tmp_path / "no-file.tar.gz", lambda name, content: b"" if name == file_member else content)

    with make_app(tmp_path / "target") as target:
        cli(target, "init")  # an initialised, empty data folder is a good target
        for name in damaged:
            reason = refused(cli(target, "restore", str(tmp_path / f"{name}.tar.gz"), ok=False), "nothing was changed")
            assert re.search(r"damaged|incomplete|truncated", reason), reason
            assert_untouched(target)
        for name, words in (
            ("altered-file", (file_member, "damaged")),
            ("altered-rows", ("documents.jsonl", "damaged")),
            ("altered-manifest", ("manifest", "damaged")),
            ("no-file", (file_member, "damaged")),
        ):
            refused(cli(target, "restore", str(tmp_path / f"{name}.tar.gz"), ok=False), *words, "nothing was changed")
            assert_untouched(target)
        refused(cli(target, "restore", str(tmp_path / "absent.tar.gz"), ok=False), "no archive")

        cli(target, "restore", str(archive))  # the refusals left it as it was
        with target.test_client().get(f"/api/v1/documents/{r.json['id']}/file", headers=partner.headers) as r:
            assert r.status_code == 200 and hashlib.sha256(r.data).hexdigest() == sha256


def test_a_manifest_of_another_archive_is_refused(app, tmp_path):
    partner = World(app).account("partner@drc.example.org", "partner", "DRC")
    client = app.test_client()
    assert upload(client, partner, data=text_report("First zqfirstzq."), filename="a.txt").status_code == 201
    first = tmp_path / "first.tar.gz"
    cli(app, "backup", str(first))
    assert upload(client, partner, data=text_report("Second zqsecondzq."), filename="b.txt").status_code == 201
    second = tmp_path / "second.tar.gz"
    cli(app, "backup", str(second))
    old = members(first)
    mixed = tmp_path / "mixed.tar.gz"  # the rows of the second with the manifest (and its digest) of the first
    meta = (backup.MANIFEST, backup.MANIFEST_SHA)
    repack(second, mixed, lambda name, content: old[name] if name in meta else content)
    with make_app(tmp_path / "target") as target:
        refused(cli(target, "restore", str(mixed), ok=False), "nothing was changed")
        assert_untouched(target)


# ----------------------------------------------------------------------------------------------------------------
# (5) SQLite to PostgreSQL
# ----------------------------------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="set REPOSITORY_TEST_POSTGRES_URL to run on PostgreSQL")
def test_a_sqlite_backup_restores_into_postgresql(no_request_rate_limits, tmp_path):
    archive = tmp_path / "sqlite.tar.gz"
    with make_app(tmp_path / "sqlite") as source:
        cli(source, "init")
        assert db.engine_of(source).dialect.name == "sqlite"
        cast, ids = populate(source)
        cli(source, "backup", str(archive))
        trail = audit_trail(source, cast["coordinator"])
        with database_url() as url, make_app(tmp_path / "postgresql", url) as target:
            assert db.engine_of(target).dialect.name == "postgresql"
            cli(target, "restore", str(archive))
            assert_same_answers(source, target, cast, ids, trail)
            # the sequences follow the restored keys: new rows get new ids
            r = upload(target.test_client(), cast["partner"], data=text_report("After the restore zqafterzq."),
                       filename="after.txt")
            assert r.status_code == 201 and r.json["id"] == max(ids) + 1, r.json
            # and back: a backup of the PostgreSQL database restores into SQLite
            again = tmp_path / "postgresql.tar.gz"
            cli(target, "backup", str(again))
            with make_app(tmp_path / "sqlite-again") as back:
                cli(back, "restore", str(again))
                r = back.test_client().get(f"/api/v1/documents/{max(ids) + 1}", headers=cast["partner"].headers)
                assert r.status_code == 200 and r.json["title"] == "after"


def test_values_survive_the_portable_form():
    import datetime as dt
    import decimal

    samples = {
        "datetime": dt.datetime(2026, 1, 2, 3, 4, 5, 6789, tzinfo=dt.timezone(dt.timedelta(hours=3))),
        "date": dt.date(2026, 2, 28),
        "boolean": False,
        "integer": 2**40,
        "float": 0.1,
        "numeric": decimal.Decimal("12.3400"),
        "binary": bytes(range(256)),
        "json": {"a": [1, None, "ب"], "b": True},
        "string": "نص \u2028 line\nbreak",
    }
    for kind, value in samples.items():
        back = backup.decode(kind, json.loads(json.dumps(backup.encode(kind, value))))
        assert back == value, kind
    naive = dt.datetime(2026, 1, 2, 3, 4, 5)  # SQLite's: taken as UTC
    assert backup.decode("datetime", backup.encode("datetime", naive)) == naive.replace(tzinfo=dt.UTC)
    for kind, bad in (("integer", True), ("boolean", 1), ("datetime", "2026-01-02T03:04:05"), ("string", 3)):
        with pytest.raises(ValueError):
            backup.decode(kind, bad)
