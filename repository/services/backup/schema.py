"""The tables and columns of a schema revision (its layout), that of the database being backed up, and what
differs between two layouts.
"""

from __future__ import annotations

import functools

from alembic import command
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection
from sqlalchemy import MetaData
from sqlalchemy import create_engine

from repository.data import migrate
from repository.services.backup.archive import BackupError
from repository.services.backup.values import column_kind

#: Tables that are not backed up: Alembic's (the revision is in backup.json) and the index outbox.
SKIPPED_TABLES = frozenset({migrate.VERSION_TABLE, "index_outbox"})


#: Per table (in load order: a table after those it refers to), its columns and their kinds.
Layout = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]


def layout_of(conn: Connection, names: list[str] | None = None, metadata: MetaData | None = None) -> Layout:
    if metadata is None:
        metadata = MetaData()
        metadata.reflect(bind=conn, only=names)
    return tuple(
        (t.name, tuple((c.name, column_kind(c.type)) for c in t.columns))
        for t in metadata.sorted_tables
        if t.name not in SKIPPED_TABLES
    )


@functools.lru_cache(maxsize=8)
def schema_at(revision: str) -> Layout:
    """The tables and columns of ``revision``, made by running the migrations up to it on an in-memory SQLite
    database (the kinds of columns are the same on PostgreSQL)."""
    engine = create_engine("sqlite://")
    try:
        with engine.begin() as conn:
            command.upgrade(migrate.config(conn), revision)
            return layout_of(conn)
    finally:
        engine.dispose()


def ancestors(revision: str) -> set[str]:
    """``revision`` and every revision before it."""
    return {script.revision for script in migrate.scripts().iterate_revisions(revision, "base")}


def source_revision(conn: Connection) -> str:
    revision = MigrationContext.configure(conn).get_current_revision()
    if revision is None:
        if not migrate.app_tables(conn):
            raise BackupError("The database has no schema yet: there is nothing to back up.")
        if migrate.compare_structure(migrate.structure(conn), migrate.first_release_structure()):
            raise BackupError(
                "The database has tables but no schema revision, and they are not those of the first release: "
                "it cannot be backed up."
            )
        return migrate.FIRST_RELEASE  # a release from before migrations (db upgrade would stamp it so)
    if not migrate.is_known(revision):
        raise BackupError(
            f"The database schema is at revision {revision}, which this version of the application does not know "
            "(made by a newer version?): back it up with the version that made it."
        )
    return revision


def layout_difference(found: Layout, expected: Layout) -> str:
    """What differs between two layouts, in a few words ("" when they have the same tables and columns; the order
    of the columns does not matter)."""
    have = {name: dict(columns) for name, columns in found}
    want = {name: dict(columns) for name, columns in expected}
    for name, columns in want.items():
        if name not in have:
            return f"table {name} is missing"
        for column, kind in columns.items():
            if column not in have[name]:
                return f"column {name}.{column} is missing"
            if have[name][column] != kind:
                return f"column {name}.{column} is {have[name][column]}, not {kind}"
        extra = sorted(set(have[name]) - set(columns))
        if extra:
            return f"column {name}.{extra[0]} is not expected"
    extra = sorted(set(have) - set(want))
    return f"table {extra[0]} is not expected" if extra else ""
