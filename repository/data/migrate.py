"""Schema migrations (Alembic), configured in code: the scripts are in ``repository/migrations``, the app's engine
gives the connection. ``flask --app wsgi db upgrade`` and ``db current`` call these functions; ``init`` stamps a
new database at :func:`head`.

On SQLite a migration runs with foreign keys off (``PRAGMA foreign_keys`` cannot change inside a transaction, so it
is switched before the transaction starts) and ``PRAGMA foreign_key_check`` must find nothing before the commit:
batch mode rebuilds a table by copying it and dropping the old one, and with foreign keys on that drop would run
the ``ON DELETE CASCADE`` of every row that refers to it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import Connection
from sqlalchemy import Engine
from sqlalchemy import MetaData
from sqlalchemy import inspect

from repository.data import models  # noqa: F401  (registers the tables)
from repository.data.db import Base
from repository.data.db import engine_of

#: The folder of env.py, script.py.mako and versions/ (shipped as package data).
SCRIPT_LOCATION = Path(__file__).parent / "migrations"

#: The revision that is the schema of the last release made before migrations existed.
FIRST_RELEASE = "0001"

#: The table Alembic records the revision in.
VERSION_TABLE = "alembic_version"


class MigrationError(Exception):
    """A migration cannot run (unknown revision, a schema that is not the one expected, broken foreign keys)."""


def config(connection: Connection | None = None) -> Config:
    """An Alembic configuration of the package's scripts; ``connection`` is the one env.py migrates."""
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPT_LOCATION))
    cfg.attributes["connection"] = connection
    return cfg


def scripts() -> ScriptDirectory:
    """The revision scripts."""
    return ScriptDirectory.from_config(config())


def head() -> str:
    """The newest revision: the schema this code needs."""
    revision = scripts().get_current_head()
    assert revision is not None  # there is always revision 0001
    return revision


def current(engine: Engine) -> str | None:
    """The revision the database is stamped at (None: no schema revision yet)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def is_at_head(engine: Engine) -> bool:
    """True when the database is stamped at :func:`head`."""
    return current(engine) == head()


def is_known(revision: str) -> bool:
    """True when ``revision`` is one of this code's revisions."""
    try:
        return scripts().get_revision(revision) is not None
    except Exception:  # alembic raises several kinds of errors for an unknown or malformed id
        return False


def app_tables(engine_or_conn: Engine | Connection) -> set[str]:
    """The tables of the database other than Alembic's own."""
    return set(inspect(engine_or_conn).get_table_names()) - {VERSION_TABLE}


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (default: head); nothing happens when it is there already."""
    with _migration_connection(engine) as conn:
        command.upgrade(config(conn), revision)


def stamp_head(engine: Engine) -> None:
    """Record the database as being at head without running any migration (its tables must already be head's)."""
    with _migration_connection(engine) as conn:
        command.stamp(config(conn), "head")


def revision(engine: Engine, message: str) -> Path:
    """Write a new revision after head, its operations found by comparing the models with the database (which must
    be at head), as ``alembic revision --autogenerate`` does; returns the script's path (read and complete it)."""
    if not is_at_head(engine):
        raise MigrationError(f"the database is not at head ({head()}): run `flask --app wsgi db upgrade` first")
    number = head()
    rev_id = f"{int(number) + 1:04d}" if number.isdigit() else None
    with _migration_connection(engine) as conn:
        script = command.revision(config(conn), message=message, autogenerate=True, rev_id=rev_id)
    assert script is not None and not isinstance(script, list)
    return Path(script.path)


def create_at_head(engine: Engine, metadata: MetaData) -> None:
    """On an empty database, create every table of ``metadata`` and stamp head, in one transaction: what ``init``
    does (tests/test_migrations.py proves it gives the schema the migrations give)."""
    with _migration_connection(engine) as conn:
        metadata.create_all(conn)
        command.stamp(config(conn), "head")


def adopt_first_release(engine: Engine) -> list[str]:
    """A database made before migrations existed (tables, no revision): when its tables, columns and indexes are
    those of revision 0001, stamp it 0001 and upgrade it to head (no row is touched by the stamp). Returns the
    differences instead, and changes nothing, when they are not."""
    differences = compare_structure(structure(engine), first_release_structure())
    if differences:
        return differences
    with _migration_connection(engine) as conn:
        cfg = config(conn)
        command.stamp(cfg, FIRST_RELEASE)
        command.upgrade(cfg, "head")
    return []


def structure(engine_or_conn: Engine | Connection) -> dict[str, dict[str, object]]:
    """The dialect-independent outline of a schema: per table, its columns with nullability and its index names."""
    inspector = inspect(engine_or_conn)
    return {
        table: {
            "columns": {c["name"]: bool(c["nullable"]) for c in inspector.get_columns(table)},
            "indexes": sorted(i["name"] for i in inspector.get_indexes(table) if i["name"]),
        }
        for table in sorted(app_tables(engine_or_conn))
    }


def first_release_structure() -> dict[str, dict[str, object]]:
    """The outline of revision 0001, made by running the migrations up to it on an in-memory SQLite database."""
    from sqlalchemy import create_engine

    engine = create_engine("sqlite://")
    try:
        with engine.begin() as conn:
            command.upgrade(config(conn), FIRST_RELEASE)
        return structure(engine)
    finally:
        engine.dispose()


def compare_structure(found: dict[str, dict[str, object]], expected: dict[str, dict[str, object]]) -> list[str]:
    """Human-readable differences between two outlines (empty: they match)."""
    out = [f"table {t} is missing" for t in expected if t not in found]
    out += [f"table {t} is not expected" for t in found if t not in expected]
    for table in sorted(set(found) & set(expected)):
        have, want = found[table], expected[table]
        for column in want["columns"]:  # type: ignore[union-attr]
            if column not in have["columns"]:  # type: ignore[operator]
                out.append(f"column {table}.{column} is missing")
            elif have["columns"][column] != want["columns"][column]:  # type: ignore[index]
                out.append(f"column {table}.{column} differs in nullability")
        out += [f"column {table}.{c} is not expected" for c in have["columns"] if c not in want["columns"]]  # type: ignore[operator,union-attr]
        if have["indexes"] != want["indexes"]:
            out.append(f"the indexes of {table} differ: {have['indexes']} instead of {want['indexes']}")
    return out


@contextlib.contextmanager
def _migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction, committed when the block succeeds; on SQLite with foreign keys off for
    the migration and checked before the commit (see the module's docstring)."""
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with conn.execution_options(write=True).begin():
                yield conn
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise MigrationError(
                            f"the migration would leave {len(broken)} row(s) referring to missing rows "
                            f"(first: table {broken[0][0]}, row {broken[0][1]}); nothing was changed"
                        )
        finally:
            if sqlite:
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


class SchemaOutOfDate(Exception):
    """The database is not at the schema this code needs (an older release's, a revision behind, missing columns)."""


UPGRADE_HINT = "back up the database, then run `flask --app wsgi db upgrade`"


def create_schema(app: Flask) -> None:
    """Create the schema on an empty database and stamp it at the newest migration; on a database that has one
    already, check that it is the schema this code needs (idempotent).

    Raises :class:`SchemaOutOfDate`, naming ``flask --app wsgi db upgrade`` where that brings it up to date, when
    the database was made by a release from before migrations, is stamped at an older (or unknown) revision, or
    lacks tables or columns the code needs.
    """
    engine = engine_of(app)
    revision = current(engine)
    if revision is None and not app_tables(engine):
        create_at_head(engine, Base.metadata)
        return
    head_revision = head()
    if revision is None:
        raise SchemaOutOfDate(
            "The database was created by an earlier release, before schema migrations: "
            + UPGRADE_HINT
            + " (it recognises that schema and brings it up to date)."
        )
    if revision != head_revision:
        if not is_known(revision):
            raise SchemaOutOfDate(
                f"The database schema is at revision {revision}, which this version of the application does not "
                f"know (made by a newer version?); `flask --app wsgi db upgrade` cannot bring it to {head_revision}: "
                "run the version that made it, or restore a backup."
            )
        raise SchemaOutOfDate(
            f"The database schema is at revision {revision} and this version of the application needs {head_revision}: "
            + UPGRADE_HINT
            + "."
        )
    inspector = inspect(engine)
    tables = set(inspector.get_table_names())
    missing = [table.name for table in Base.metadata.sorted_tables if table.name not in tables]
    missing += [
        f"{table.name}.{column.name}"
        for table in Base.metadata.sorted_tables
        if table.name in tables
        for column in table.columns
        if column.name not in {c["name"] for c in inspector.get_columns(table.name)}
    ]
    if missing:
        raise SchemaOutOfDate(
            "The database was created by an older version of this application or changed by hand; "
            f"it is stamped at revision {head_revision} but these tables or columns are missing: "
            + ", ".join(missing)
            + ". Export what you need and start from a new database (or add them by hand)."
        )
