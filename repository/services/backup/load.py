"""Restoring: into an empty database and file store, the files copied and the rows inserted in one transaction."""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from typing import BinaryIO

from alembic import command
from alembic.util import CommandError
from sqlalchemy import Connection
from sqlalchemy import Engine
from sqlalchemy import MetaData
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import literal_column
from sqlalchemy import select
from sqlalchemy import table as table_clause
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.types import Integer

from repository.data import migrate
from repository.data.storage import FileStore
from repository.services.backup.archive import BATCH
from repository.services.backup.archive import FILES
from repository.services.backup.archive import HEADER
from repository.services.backup.archive import MANIFEST
from repository.services.backup.archive import MANIFEST_SHA
from repository.services.backup.archive import NOTHING_CHANGED
from repository.services.backup.archive import BackupError
from repository.services.backup.archive import open_archive
from repository.services.backup.check import Verified
from repository.services.backup.check import verify
from repository.services.backup.schema import SKIPPED_TABLES
from repository.services.backup.schema import ancestors
from repository.services.backup.values import decode_row
from repository.services.backup.values import for_column


@dataclass
class RestoreSummary:
    """What a restore wrote."""

    revision: str
    upgraded_to: str | None
    documents: int
    files: int
    rows: dict[str, int]


def check_empty(engine: Engine, store: FileStore) -> None:
    """Refuse (:class:`BackupError`) a database with rows in any table (but the index outbox) or a file store that
    holds a stored file."""
    tables = migrate.app_tables(engine) - SKIPPED_TABLES
    with engine.connect() as conn:
        filled = [
            name
            for name in sorted(tables)
            if conn.execute(select(literal_column("1")).select_from(table_clause(name)).limit(1)).first()
        ]
        if filled:
            count = ""
            if "documents" in filled:
                n = conn.execute(select(func.count()).select_from(table_clause("documents"))).scalar_one()
                count = f"{n} documents; "
            raise BackupError(
                f"The database is not empty ({count}rows in {', '.join(filled)}): restore needs an empty database. "
                + NOTHING_CHANGED
            )
    if store.root.is_dir():
        for item in store.root.rglob("*"):
            if item.is_file() and store.tmp not in item.parents:
                raise BackupError(
                    f"The file store {store.root} already holds stored files: restore needs an empty data folder. "
                    + NOTHING_CHANGED
                )


def _check_schema(engine: Engine, revision: str) -> None:
    """The empty database's schema, if it has one, must be the archive's revision or one before it (it is then
    upgraded to the archive's before the rows go in)."""
    if not migrate.app_tables(engine):
        return
    current = migrate.current(engine)
    if current is None:
        raise BackupError("The database has tables but no schema revision: restore into a new, empty database. "
                          + NOTHING_CHANGED)
    if current not in ancestors(revision):
        raise BackupError(
            f"The database's schema is at revision {current}, which is not the backup's ({revision}) nor one before "
            f"it: restore into a new, empty database. {NOTHING_CHANGED}"
        )


def restore(engine: Engine, store: FileStore, path: str | os.PathLike[str]) -> RestoreSummary:
    """Restore the archive at ``path`` into an empty database and file store (see the module's docstring); the
    search index is then rebuilt by whoever applies the outbox (``reindex`` waits for it)."""
    path = Path(path)
    check_empty(engine, store)
    verified = verify(path)
    _check_schema(engine, verified.revision)
    copied: list[Path] = []
    try:
        upgraded = _write(engine, store, path, verified, copied)
    except BaseException as exc:
        for stored in copied:
            with contextlib.suppress(OSError):
                stored.unlink()
        if isinstance(exc, OSError | ValueError | SQLAlchemyError | migrate.MigrationError | CommandError):
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
            raise BackupError(f"The restore failed and was undone ({reason}). {NOTHING_CHANGED}") from None
        raise
    return RestoreSummary(
        revision=verified.revision,
        upgraded_to=upgraded,
        documents=verified.documents,
        files=verified.files,
        rows={t["name"]: t["rows"] for t in verified.tables},
    )


def _write(engine: Engine, store: FileStore, path: Path, verified: Verified, copied: list[Path]) -> str | None:
    """Copy the files, then the rows in one transaction; returns the revision upgraded to, if any."""
    tables = {t["member"]: t for t in verified.tables}
    changed = f"The archive {path} changed while it was restored; the restore was undone."
    upgraded: str | None = None
    left = set(verified.members)
    # the transaction commits after the whole archive was read (and its gzip CRC checked)
    with contextlib.ExitStack() as stack, open_archive(path) as members:
        conn: Connection | None = None
        metadata = MetaData()
        for info, fh in members:
            left.discard(info.name)
            name = info.name
            expected = verified.members.get(name)
            if fh is None or name in (MANIFEST, MANIFEST_SHA, HEADER):
                continue
            if expected is None:
                raise BackupError(changed)
            if name.startswith(FILES):
                staged = store.stage(fh)
                if staged.sha256 != expected["sha256"]:
                    store.discard(staged)
                    raise BackupError(changed)
                copied.append(store.commit(staged))
                continue
            item = tables[name]
            if conn is None:
                # one transaction for schema, rows and upgrade (on SQLite with foreign keys checked at the end)
                conn = stack.enter_context(migrate._migration_connection(engine))
                command.upgrade(migrate.config(conn), verified.revision)
                metadata.reflect(bind=conn, only=[t["name"] for t in verified.tables])
            if _insert_rows(conn, metadata.tables[item["name"]], item["columns"], fh) != expected["sha256"]:
                raise BackupError(changed)
        if conn is None or left:
            raise BackupError(changed)
        if verified.revision != migrate.head():
            command.upgrade(migrate.config(conn), "head")
            upgraded = migrate.head()
        _after_rows(conn)
    return upgraded


def _insert_rows(conn: Connection, table: Any, kinds: dict[str, str], fh: BinaryIO) -> str:
    """Insert the rows of one table member; returns the SHA-256 of what was read."""
    digest = hashlib.sha256()
    batch: list[dict[str, Any]] = []
    columns = table.columns
    for line in fh:
        digest.update(line)
        row = decode_row(line, kinds)
        batch.append({name: for_column(value, columns[name]) for name, value in row.items()})
        if len(batch) >= BATCH:
            conn.execute(insert(table), batch)
            batch = []
    if batch:
        conn.execute(insert(table), batch)
    return digest.hexdigest()


def _after_rows(conn: Connection) -> None:
    """PostgreSQL's sequences follow the restored keys; a rebuild of the search index is queued."""
    from repository.data.models import IndexOutbox
    from repository.data.models import utcnow

    if conn.dialect.name == "postgresql":
        metadata = MetaData()
        metadata.reflect(bind=conn)
        for table in metadata.sorted_tables:
            keys = list(table.primary_key.columns)
            if len(keys) != 1 or not isinstance(keys[0].type, Integer):
                continue
            key = keys[0]
            sequence = func.pg_get_serial_sequence(table.name, key.name)
            conn.execute(
                select(func.setval(sequence, func.coalesce(select(func.max(key)).scalar_subquery(), 0) + 1, False))
            )
    conn.execute(insert(IndexOutbox.__table__).values(document_id=None, op="rebuild", created_at=utcnow()))
