"""Writing a backup: the rows of one read snapshot dumped to JSON lines, then packed with the stored files they
name, the header and the manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import tarfile
import tempfile
import time
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection
from sqlalchemy import Engine
from sqlalchemy import MetaData
from sqlalchemy import inspect
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from repository.data.storage import FileStore
from repository.data.storage import fsync_dir
from repository.services.backup.archive import BATCH
from repository.services.backup.archive import FILES
from repository.services.backup.archive import FORMAT
from repository.services.backup.archive import FORMAT_VERSION
from repository.services.backup.archive import HEADER
from repository.services.backup.archive import MANIFEST
from repository.services.backup.archive import MANIFEST_SHA
from repository.services.backup.archive import TABLES
from repository.services.backup.archive import BackupError
from repository.services.backup.archive import add_bytes
from repository.services.backup.archive import add_stream
from repository.services.backup.archive import json_bytes
from repository.services.backup.schema import layout_difference
from repository.services.backup.schema import layout_of
from repository.services.backup.schema import schema_at
from repository.services.backup.schema import source_revision
from repository.services.backup.values import encode


@dataclass
class BackupSummary:
    """What a backup wrote."""

    path: Path
    size: int
    revision: str
    documents: int
    files: int
    rows: dict[str, int]


@dataclass
class _Dump:
    """The rows of one snapshot, written to temporary files, and the stored files they name."""

    revision: str
    source: str
    tables: list[dict[str, Any]] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)  # table -> its JSON-lines file
    files: dict[str, int] = field(default_factory=dict)  # sha256 -> size, from stored_files
    named_by: dict[str, int] = field(default_factory=dict)  # sha256 -> a document naming it
    documents: int = 0


class Backup:
    """Writes backups of one database and its file store."""

    def __init__(self, engine: Engine, store: FileStore) -> None:
        self.engine = engine
        self.store = store

    def write(self, path: str | os.PathLike[str]) -> BackupSummary:
        """Write the archive to ``path`` (which must not exist; mode 0600) through a temporary file next to it,
        renamed at the end: a failed backup leaves nothing under ``path``."""
        path = Path(path)
        folder = path.parent
        if path.exists():
            raise BackupError(f"{path} exists already: give the backup a new name (a backup never overwrites a file).")
        if not folder.is_dir():
            raise BackupError(f"The folder {folder} does not exist.")
        part = folder / f".{path.name}.{secrets.token_hex(6)}.part"
        try:
            with tempfile.TemporaryDirectory(dir=folder, prefix=f".{path.name}.") as work:
                dump = self._dump(Path(work))
                self._pack(part, dump)
            if path.exists():
                raise BackupError(f"{path} appeared while the backup was written; the backup was not kept.")
            os.replace(part, path)
            fsync_dir(folder)
            size = path.stat().st_size
        except OSError as exc:
            raise BackupError(f"The backup could not be written to {path}: {exc.strerror or exc}.") from None
        except SQLAlchemyError as exc:
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
            raise BackupError(f"The database could not be read ({reason}); the backup was not written.") from None
        finally:
            part.unlink(missing_ok=True)
        return BackupSummary(
            path=path,
            size=size,
            revision=dump.revision,
            documents=dump.documents,
            files=len(dump.files),
            rows={t["name"]: t["rows"] for t in dump.tables},
        )

    def _snapshot(self) -> Connection:
        """A connection in one read transaction that sees a single snapshot of the database."""
        conn = self.engine.connect()
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        return conn

    def _dump(self, work: Path) -> _Dump:
        with self._snapshot() as conn, conn.begin():
            # the first read starts the snapshot: every later read of this transaction sees the database as it was
            revision = source_revision(conn)
            layout = schema_at(revision)
            present = set(inspect(conn).get_table_names())
            metadata = MetaData()
            metadata.reflect(bind=conn, only=[name for name, _ in layout if name in present])
            difference = layout_difference(layout_of(conn, metadata=metadata), layout)
            if difference:
                raise BackupError(
                    f"The database's tables are not those of its schema revision {revision} ({difference}): "
                    "it cannot be backed up."
                )
            dump = _Dump(revision=revision, source=conn.dialect.name)
            for number, (name, columns) in enumerate(layout, start=1):
                dump.paths[name] = work / f"{number:03d}-{name}.jsonl"
                rows = self._dump_table(conn, metadata.tables[name], dict(columns), dump, dump.paths[name])
                dump.tables.append(
                    {"name": name, "member": f"{TABLES}{name}.jsonl", "rows": rows, "columns": dict(columns)}
                )
        missing = sorted(set(dump.named_by) - set(dump.files))
        if missing:
            raise BackupError(f"Document {dump.named_by[missing[0]]} names a file that has no stored_files row.")
        return dump

    def _dump_table(self, conn: Connection, table: Any, kinds: dict[str, str], dump: _Dump, out_path: Path) -> int:
        rows = 0
        order = list(table.primary_key.columns) or list(table.columns)
        result = conn.execution_options(yield_per=BATCH).execute(select(table).order_by(*order))
        with open(out_path, "wb") as out:
            for row in result.mappings():
                record = {name: encode(kinds[name], row[name]) for name in kinds}
                try:
                    line = json.dumps(record, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
                except ValueError as exc:
                    raise BackupError(f"A row of {table.name} cannot be written as JSON: {exc}.") from None
                out.write(line.encode("utf-8") + b"\n")
                rows += 1
                if table.name == "stored_files":
                    dump.files[record["sha256"]] = record["size"]
                elif table.name == "documents":
                    dump.documents += 1
                    dump.named_by[record["sha256"]] = record["id"]
        return rows

    def _pack(self, part: Path, dump: _Dump) -> None:
        now = time.time()
        members: list[dict[str, Any]] = []
        header = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "revision": dump.revision,
            "source": dump.source,
            "documents": dump.documents,
            "files": len(dump.files),
            "tables": dump.tables,
        }
        # the archive holds password hashes and every document: readable by its owner only
        with os.fdopen(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT) as tar:
                members.append(add_bytes(tar, HEADER, json_bytes(header), now))
                for sha256, size in sorted(dump.files.items()):
                    members.append(self._add_stored_file(tar, sha256, size, dump, now))
                for item in dump.tables:
                    with open(dump.paths[item["name"]], "rb") as fh:
                        members.append(add_stream(tar, item["member"], fh, os.fstat(fh.fileno()).st_size, now))
                manifest = json_bytes({"format": FORMAT, "format_version": FORMAT_VERSION, "members": members})
                add_bytes(tar, MANIFEST, manifest, now)
                add_bytes(tar, MANIFEST_SHA, hashlib.sha256(manifest).hexdigest().encode("ascii") + b"\n", now)
            raw.flush()
            os.fsync(raw.fileno())

    def _add_stored_file(self, tar: tarfile.TarFile, sha256: str, size: int, dump: _Dump, now: float) -> dict:
        owner = f" (document {dump.named_by[sha256]})" if sha256 in dump.named_by else ""
        try:
            fh = open(self.store.path_for(sha256), "rb")
        except FileNotFoundError:
            raise BackupError(
                f"The stored file {sha256}{owner} is missing from the file store; the backup was not written."
            ) from None
        with fh:
            actual = os.fstat(fh.fileno()).st_size
            if actual != size:
                raise BackupError(
                    f"The stored file {sha256}{owner} has {actual} bytes and its record says {size}; "
                    "the backup was not written."
                )
            member = add_stream(tar, f"{FILES}{sha256[:2]}/{sha256[2:4]}/{sha256}", fh, size, now)
        if member["sha256"] != sha256:
            raise BackupError(
                f"The stored file {sha256}{owner} is damaged (its bytes no longer have that SHA-256); "
                "the backup was not written."
            )
        return member
