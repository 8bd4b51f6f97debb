"""Schema migrations: ``init`` and ``db upgrade`` give the same schema, the one the models describe (SQLite and,
when ``REPOSITORY_TEST_POSTGRES_URL`` is set, PostgreSQL); a database of the last release before migrations
(tests/migration_fixtures/release_a6ebafd.sql) upgrades without losing a row; ``init`` refuses a database that is
not at head, naming ``db upgrade``."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import conftest
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from conftest import POSTGRES_URL
from sqlalchemy import inspect
from sqlalchemy import text

from repository.data import db
from repository.data import migrate
from repository.data.db import Base

FIXTURES = Path(__file__).parent / "migration_fixtures"
RELEASE_DUMP = FIXTURES / "release_a6ebafd.sql"

BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(not POSTGRES_URL, reason="set REPOSITORY_TEST_POSTGRES_URL to run on PostgreSQL"),
        ],
    ),
]


@contextmanager
def make_app(data_dir: Path, backend: str = "sqlite") -> Iterator:
    """An app over ``data_dir`` (its SQLite file) or over a new PostgreSQL database; nothing is initialised."""
    if backend == "sqlite":
        config = {"DATABASE_URL": conftest.sqlite_url(data_dir)}
    else:
        assert POSTGRES_URL
        config = {}  # start_app gives it a new database, dropped afterwards
    with conftest.make_app(data_dir, init=False, **config) as app:
        yield app


def cli(app, *args: str, ok: bool = True):
    result = app.test_cli_runner().invoke(args=list(args))
    if ok:
        assert result.exit_code == 0, (args, result.output, result.exception)
    else:
        assert result.exit_code != 0, (args, result.output)
    return result


def schema(engine) -> dict:
    """Tables, columns (type, nullability), primary keys, indexes, unique constraints and foreign keys."""
    inspector = inspect(engine)
    dialect = engine.dialect
    out = {}
    for table in sorted(migrate.app_tables(engine)):
        out[table] = {
            "columns": [
                (c["name"], c["type"].compile(dialect=dialect), c["nullable"]) for c in inspector.get_columns(table)
            ],
            "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in inspector.get_indexes(table)
            ),
            "unique": sorted(
                (u["name"] or "", tuple(u["column_names"])) for u in inspector.get_unique_constraints(table)
            ),
            "foreign_keys": sorted(
                (
                    tuple(f["constrained_columns"]),
                    f["referred_table"],
                    tuple(f["referred_columns"]),
                    (f.get("options") or {}).get("ondelete") or "",
                )
                for f in inspector.get_foreign_keys(table)
            ),
        }
    return out


def differences_from_models(engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def load_release_dump(data_dir: Path) -> Path:
    data_dir.mkdir(parents=True)
    path = data_dir / "repository.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(RELEASE_DUMP.read_text(encoding="utf-8"))
    conn.close()
    return path


def columns(path: Path) -> dict[str, list[str]]:
    """The columns of every table but Alembic's."""
    conn = sqlite3.connect(path)
    try:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {
            t: [c[1] for c in conn.execute(f'PRAGMA table_info("{t}")')]
            for t in sorted(tables)
            if t != migrate.VERSION_TABLE and not t.startswith("sqlite_")
        }
    finally:
        conn.close()


def rows(path: Path, of: dict[str, list[str]]) -> dict[str, list[tuple]]:
    """Every row of the tables and columns ``of`` names, in rowid order: the data of a release can be compared
    after migrations that added columns."""
    conn = sqlite3.connect(path)
    try:
        return {
            table: conn.execute(
                "SELECT " + ", ".join(f'"{c}"' for c in names) + f' FROM "{table}" ORDER BY rowid'
            ).fetchall()
            for table, names in of.items()
        }
    finally:
        conn.close()


def counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar_one() for t in migrate.app_tables(engine)}


def same_counts(after: dict[str, int], before: dict[str, int]) -> bool:
    """The tables of ``before`` hold as many rows in ``after``; tables that migrations added since are empty."""
    return {t: n for t, n in after.items() if t in before} == before and not any(
        n for t, n in after.items() if t not in before
    )


def document_hashes(engine) -> list[tuple[int, str]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT id, sha256 FROM documents ORDER BY id"))]


# ----------------------------------------------------------------------------------------------------------------
# init == upgrade == models
# ----------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_init_and_upgrade_give_the_schema_of_the_models(tmp_path, backend):
    with make_app(tmp_path / "a", backend) as by_init, make_app(tmp_path / "b", backend) as by_upgrade:
        cli(by_init, "init")
        result = cli(by_upgrade, "db", "upgrade")
        assert f"to {migrate.head()}" in result.output
        init_engine, upgrade_engine = db.engine_of(by_init), db.engine_of(by_upgrade)

        assert migrate.current(init_engine) == migrate.current(upgrade_engine) == migrate.head()
        assert migrate.is_at_head(init_engine) and migrate.is_at_head(upgrade_engine)
        made_by_init = schema(init_engine)
        assert set(made_by_init) == set(Base.metadata.tables)
        assert made_by_init == schema(upgrade_engine)
        assert differences_from_models(init_engine) == []
        assert differences_from_models(upgrade_engine) == []

        # a second run changes nothing, and init accepts the migrated database
        assert "up to date" in cli(by_upgrade, "db", "upgrade").output
        assert "up to date" in cli(by_init, "db", "upgrade").output
        cli(by_upgrade, "init")
        assert schema(upgrade_engine) == made_by_init
        assert cli(by_upgrade, "db", "current").output.startswith(migrate.head())


def test_db_current_on_a_new_database(tmp_path):
    with make_app(tmp_path / "data") as app:
        assert "no schema revision" in cli(app, "db", "current").output
        assert migrate.current(db.engine_of(app)) is None and not migrate.is_at_head(db.engine_of(app))


# ----------------------------------------------------------------------------------------------------------------
# a database of the previous release
# ----------------------------------------------------------------------------------------------------------------


def test_a_previous_release_database_upgrades_without_loss(tmp_path):
    path = load_release_dump(tmp_path / "data")
    with make_app(tmp_path / "data") as app:  # (a new index folder: the app queues a rebuild)
        engine = db.engine_of(app)
        release_columns = columns(path)
        data_before = rows(path, release_columns)
        assert data_before["api_tokens"]
        assert len(data_before["documents"]) >= 10
        counts_before, hashes_before = counts(engine), document_hashes(engine)
        assert migrate.current(engine) is None

        refusal = cli(app, "init", ok=False)
        assert "flask --app wsgi db upgrade" in refusal.output and "earlier release" in refusal.output

        result = cli(app, "db", "upgrade")
        assert "first release" in result.output
        assert cli(app, "db", "current").output.startswith(f"{migrate.head()} (head)")
        assert same_counts(counts(engine), counts_before)
        assert document_hashes(engine) == hashes_before
        assert differences_from_models(engine) == []
        engine.dispose()
        assert rows(path, release_columns) == data_before
        # columns added since the release are empty in its rows
        added = {
            t: [c for c in cols if c not in release_columns[t]]
            for t, cols in columns(path).items()
            if t in release_columns  # (tables added since are empty: same_counts)
        }
        for table, names in ((t, n) for t, n in added.items() if n):
            assert all(value is None for row in rows(path, {table: names})[table] for value in row), table

        assert "up to date" in cli(app, "db", "upgrade").output
        engine.dispose()
        assert rows(path, release_columns) == data_before

        assert "Initialised" in cli(app, "init").output  # and the index is rebuilt from the upgraded database
        after_init = counts(engine)
        assert after_init.pop("index_outbox") == 0
        assert same_counts(after_init, {t: n for t, n in counts_before.items() if t != "index_outbox"})
        assert app.extensions["repo"].index.doc_count() == counts_before["documents"]
        assert_routes_answer(app, engine, [doc_id for doc_id, _sha256 in hashes_before])


def assert_routes_answer(app, engine, doc_ids: list[int]) -> None:
    """The upgraded data through the routes: a coordinator of the release (a new token through the command line)
    reads every document, finds all of them, pages the audit trail; the public pages and /readyz answer."""
    with engine.connect() as conn:
        email = conn.execute(text("SELECT email FROM users WHERE role = 'coordinator' ORDER BY id")).scalar()
        audit_rows = conn.execute(text("SELECT count(*) FROM audit_events")).scalar()
    engine.dispose()
    token = cli(app, "token", "create", email).output.strip().splitlines()[-1]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    for doc_id in doc_ids:
        r = client.get(f"/api/v1/documents/{doc_id}", headers=headers)
        assert r.status_code == 200 and r.json["id"] == doc_id, (doc_id, r.json)
    found = client.get("/api/v1/search", headers=headers, query_string={"per_page": 100}).json
    assert found["total"] == len(doc_ids) and {h["id"] for h in found["hits"]} == set(doc_ids)
    trail = client.get("/api/v1/audit", headers=headers).json
    assert trail["total"] >= audit_rows  # the release's events, and the reads just made
    for path in ("/", "/search", "/login", "/api/v1/search", "/api/v1/openapi.json", "/readyz"):
        assert client.get(path).status_code == 200, path


def test_a_database_with_foreign_tables_is_not_adopted(tmp_path):
    with make_app(tmp_path / "data") as app:
        engine = db.engine_of(app)
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE organisations (id INTEGER PRIMARY KEY, acronym VARCHAR(32))"))
        result = cli(app, "db", "upgrade", ok=False)
        assert "not those of the first release" in result.output and "Nothing was changed" in result.output
        assert migrate.current(engine) is None and migrate.app_tables(engine) == {"organisations"}


# ----------------------------------------------------------------------------------------------------------------
# init refuses what is not at head
# ----------------------------------------------------------------------------------------------------------------


def test_init_refuses_an_unknown_revision(tmp_path):
    with make_app(tmp_path / "data") as app:
        cli(app, "init")
        with db.engine_of(app).begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = 'ffffffffffff'"))
        refusal = cli(app, "init", ok=False)
        assert "ffffffffffff" in refusal.output and "db upgrade" in refusal.output
        assert "does not know" in cli(app, "db", "upgrade", ok=False).output


SECOND_REVISION = '''"""A test revision: documents gain a column, in a table rebuild on SQLite."""

import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{down_revision}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    recreate = "always" if op.get_bind().dialect.name == "sqlite" else "auto"  # SQLite: copy the table
    with op.batch_alter_table("documents", recreate=recreate) as b:
        b.add_column(sa.Column("test_note", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents") as b:
        b.drop_column("test_note")
'''


@pytest.fixture
def second_revision(tmp_path, monkeypatch) -> str:
    """The package's migrations plus a revision after their head that rebuilds ``documents`` (the newest
    release's head); returns its id."""
    head = migrate.head()
    revision = next_revision(head)
    location = tmp_path / "migrations"
    shutil.copytree(migrate.SCRIPT_LOCATION, location, ignore=shutil.ignore_patterns("__pycache__"))
    (location / "versions" / f"{revision}_test.py").write_text(
        SECOND_REVISION.format(revision=revision, down_revision=head)
    )
    monkeypatch.setattr(migrate, "SCRIPT_LOCATION", location)
    return revision


def next_revision(revision: str) -> str:
    """The id ``db revision`` gives the revision after ``revision``."""
    return f"{int(revision) + 1:04d}"


def test_init_refuses_an_older_revision_and_upgrade_keeps_every_row(tmp_path, second_revision):
    """A revision behind head: init names db upgrade; the upgrade rebuilds ``documents`` on SQLite, and the rows
    that refer to documents with ON DELETE CASCADE (codes, grants, decisions, comments) all survive it."""
    load_release_dump(tmp_path / "data")
    with make_app(tmp_path / "data") as app:
        engine = db.engine_of(app)
        counts_before, hashes_before = counts(engine), document_hashes(engine)
        with engine.connect() as conn:
            migrate.command.stamp(migrate.config(conn), "0001")
            conn.commit()
        assert migrate.head() == second_revision and not migrate.is_at_head(engine)

        refusal = cli(app, "init", ok=False)
        assert "revision 0001" in refusal.output and second_revision in refusal.output
        assert "flask --app wsgi db upgrade" in refusal.output

        assert f"from 0001 to {second_revision}" in cli(app, "db", "upgrade").output
        assert migrate.is_at_head(engine)
        assert same_counts(counts(engine), counts_before) and counts_before["document_codes"] > 0
        assert document_hashes(engine) == hashes_before
        assert "test_note" in {c["name"] for c in inspect(engine).get_columns("documents")}
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1  # switched back on
        assert "up to date" in cli(app, "db", "upgrade").output


def test_db_revision_finds_nothing_to_do_on_a_database_at_head(tmp_path, monkeypatch):
    """The contributors' command: on a database at head, the models differ from the newest revision in nothing."""
    head = migrate.head()
    location = tmp_path / "migrations"
    shutil.copytree(migrate.SCRIPT_LOCATION, location, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrate, "SCRIPT_LOCATION", location)
    with make_app(tmp_path / "data") as app:
        refusal = cli(app, "db", "revision", "-m", "too early", ok=False)  # no schema yet: not at head
        assert "db upgrade" in refusal.output
        cli(app, "init")
        result = cli(app, "db", "revision", "-m", "nothing changed")
        written = location / "versions" / f"{next_revision(head)}_nothing_changed.py"
        assert str(written) in result.output
        script = written.read_text()
        assert f"down_revision = '{head}'" in script
        upgrade_body = script.split("def upgrade() -> None:")[1].split("def downgrade")[0]
        statements = [line.strip() for line in upgrade_body.splitlines() if line.strip() and "#" not in line]
        assert statements == ["pass"], upgrade_body
        assert migrate.head() == next_revision(head)
