"""Backup and restore: one archive with every database row (the audit trail included), every stored file the rows
name and the schema revision. ``flask --app wsgi backup FILE`` and ``restore FILE`` call these functions; no
request context is needed.

The archive is a gzip-compressed tar file; its members, in this order:

    repository-backup/backup.json                what it holds: format, schema revision, source database, and per
                                                 table (in the order rows are loaded) its member, row count and
                                                 columns with their kind
    repository-backup/files/ab/cd/<sha256>       every stored file the rows name, in the file store's layout
    repository-backup/db/<table>.jsonl           one JSON object per row, ordered by primary key
    repository-backup/manifest.json              the size and SHA-256 of every member above, in archive order
    repository-backup/manifest.sha256            the SHA-256 of manifest.json

The rows are read in one read transaction (on SQLite a deferred ``BEGIN`` in WAL mode reads one snapshot; on
PostgreSQL ``REPEATABLE READ``), so uploads may go on meanwhile. A file is stored before the row that names it is
committed, so every file the snapshot names exists; files stored after it are named by no dumped row and are left
out. Values do not depend on the database they came from: datetimes in ISO 8601 in UTC, dates in ISO form, binary
in base64, JSON columns as JSON; so a SQLite backup restores into PostgreSQL and back.

A restore goes into an empty database and an empty file store only. It reads the whole archive and checks it
(every member present and matching the manifest, each file matching its SHA-256 and its row, every row of the
columns the archive's schema revision has) before it writes anything. Then it copies the files, and in one
transaction creates the schema at the archive's revision with the migrations, inserts the rows with their primary
keys, upgrades the schema to head, resets PostgreSQL's sequences and queues a rebuild of the search index. The
index outbox is not backed up (it is the index's bookkeeping, and the rebuild covers it).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import decimal
import functools
import gzip
import hashlib
import io
import json
import os
import re
import secrets
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any
from typing import BinaryIO

from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.util import CommandError
from sqlalchemy import Connection
from sqlalchemy import Engine
from sqlalchemy import MetaData
from sqlalchemy import create_engine
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import inspect
from sqlalchemy import literal_column
from sqlalchemy import select
from sqlalchemy import table as table_clause
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.types import JSON
from sqlalchemy.types import Boolean
from sqlalchemy.types import Date
from sqlalchemy.types import DateTime
from sqlalchemy.types import Float
from sqlalchemy.types import Integer
from sqlalchemy.types import LargeBinary
from sqlalchemy.types import Numeric
from sqlalchemy.types import String
from sqlalchemy.types import Time

from repository.data import migrate
from repository.data.storage import FileStore
from repository.data.storage import fsync_dir

FORMAT = "protection-repository-backup"
FORMAT_VERSION = 1

PREFIX = "repository-backup/"
HEADER = PREFIX + "backup.json"
FILES = PREFIX + "files/"
TABLES = PREFIX + "db/"
MANIFEST = PREFIX + "manifest.json"
MANIFEST_SHA = PREFIX + "manifest.sha256"

#: Tables that are not backed up: Alembic's (the revision is in backup.json) and the index outbox.
SKIPPED_TABLES = frozenset({migrate.VERSION_TABLE, "index_outbox"})

#: Rows per insert while restoring.
BATCH = 500
CHUNK = 1024 * 1024
#: The largest backup.json or manifest accepted (they are small; a bigger one is not ours).
MAX_META_BYTES = 64 * 1024 * 1024

_FILE_MEMBER = re.compile(r"^" + re.escape(FILES) + r"([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})$")

NOTHING_CHANGED = "Nothing was changed."


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why in one sentence or two."""


# ----------------------------------------------------------------------------------------------------------------
# values
# ----------------------------------------------------------------------------------------------------------------

#: Column types and the kind each is written as (the first that matches; JSON and Float before their bases).
_KINDS: tuple[tuple[type, str], ...] = (
    (JSON, "json"),
    (Boolean, "boolean"),
    (DateTime, "datetime"),
    (Date, "date"),
    (Time, "time"),
    (Integer, "integer"),
    (Float, "float"),
    (Numeric, "numeric"),
    (LargeBinary, "binary"),
    (String, "string"),
)


def column_kind(type_: Any) -> str:
    """The portable kind of a column type (``datetime``, ``json``, ``string``...)."""
    for cls, kind in _KINDS:
        if isinstance(type_, cls):
            return kind
    raise BackupError(f"columns of type {type_!r} cannot be backed up.")


def encode(kind: str, value: Any) -> Any:
    """A column value as JSON; a datetime without a time zone is taken as UTC (SQLite keeps none)."""
    if value is None:
        return None
    if kind == "datetime":
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat()
    if kind in ("date", "time"):
        return value.isoformat()
    if kind == "binary":
        return base64.b64encode(bytes(value)).decode("ascii")
    if kind == "numeric":
        return str(value)
    if kind == "boolean":
        return bool(value)
    return value


def decode(kind: str, value: Any) -> Any:
    """The column value written by :func:`encode` (datetimes come back aware, in UTC); ValueError when it is not
    one of that kind."""
    if value is None or kind == "json":
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise ValueError("not true or false")
        return value
    if kind == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError("not a whole number")
        return value
    if kind == "float":
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise ValueError("not a number")
        return float(value)
    if not isinstance(value, str):
        raise ValueError(f"not a {kind} in text form")
    if kind == "string":
        return value
    if kind == "datetime":
        when = dt.datetime.fromisoformat(value)
        if when.tzinfo is None:
            raise ValueError("a datetime without its UTC offset")
        return when.astimezone(dt.UTC)
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "time":
        return dt.time.fromisoformat(value)
    if kind == "binary":
        return base64.b64decode(value, validate=True)
    if kind == "numeric":
        try:
            return decimal.Decimal(value)
        except decimal.InvalidOperation:
            raise ValueError("not a decimal number") from None
    raise ValueError(f"unknown kind {kind!r}")


def _for_column(value: Any, column: Any) -> Any:
    """A decoded value as the target column takes it: datetimes naive (in UTC) for columns without a time zone."""
    if isinstance(value, dt.datetime) and not getattr(column.type, "timezone", False):
        return value.replace(tzinfo=None)
    return value


# ----------------------------------------------------------------------------------------------------------------
# schema
# ----------------------------------------------------------------------------------------------------------------

#: Per table (in load order: a table after those it refers to), its columns and their kinds.
Layout = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]


def _layout(conn: Connection, names: list[str] | None = None, metadata: MetaData | None = None) -> Layout:
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
            return _layout(conn)
    finally:
        engine.dispose()


def _ancestors(revision: str) -> set[str]:
    """``revision`` and every revision before it."""
    return {script.revision for script in migrate.scripts().iterate_revisions(revision, "base")}


def _source_revision(conn: Connection) -> str:
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


# ----------------------------------------------------------------------------------------------------------------
# backup
# ----------------------------------------------------------------------------------------------------------------


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


class _Hashing:
    """A reader that hashes and counts what is read through it."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data


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
            revision = _source_revision(conn)
            layout = schema_at(revision)
            present = set(inspect(conn).get_table_names())
            metadata = MetaData()
            metadata.reflect(bind=conn, only=[name for name, _ in layout if name in present])
            difference = _layout_difference(_layout(conn, metadata=metadata), layout)
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
                members.append(_add_bytes(tar, HEADER, _json_bytes(header), now))
                for sha256, size in sorted(dump.files.items()):
                    members.append(self._add_stored_file(tar, sha256, size, dump, now))
                for item in dump.tables:
                    with open(dump.paths[item["name"]], "rb") as fh:
                        members.append(_add_stream(tar, item["member"], fh, os.fstat(fh.fileno()).st_size, now))
                manifest = _json_bytes({"format": FORMAT, "format_version": FORMAT_VERSION, "members": members})
                _add_bytes(tar, MANIFEST, manifest, now)
                _add_bytes(tar, MANIFEST_SHA, hashlib.sha256(manifest).hexdigest().encode("ascii") + b"\n", now)
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
            member = _add_stream(tar, f"{FILES}{sha256[:2]}/{sha256[2:4]}/{sha256}", fh, size, now)
        if member["sha256"] != sha256:
            raise BackupError(
                f"The stored file {sha256}{owner} is damaged (its bytes no longer have that SHA-256); "
                "the backup was not written."
            )
        return member


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def _tarinfo(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(mtime)
    info.mode = 0o600
    return info


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mtime: float) -> dict[str, Any]:
    return _add_stream(tar, name, io.BytesIO(data), len(data), mtime)


def _add_stream(tar: tarfile.TarFile, name: str, fh: BinaryIO, size: int, mtime: float) -> dict[str, Any]:
    reader = _Hashing(fh)
    tar.addfile(_tarinfo(name, size, mtime), reader)  # type: ignore[arg-type]
    return {"name": name, "size": size, "sha256": reader.digest.hexdigest()}


def _layout_difference(found: Layout, expected: Layout) -> str:
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


# ----------------------------------------------------------------------------------------------------------------
# reading an archive
# ----------------------------------------------------------------------------------------------------------------


@dataclass
class Verified:
    """What a checked archive holds."""

    header: dict[str, Any]
    members: dict[str, dict[str, Any]]  # name -> {"size", "sha256"}

    @property
    def revision(self) -> str:
        return self.header["revision"]

    @property
    def documents(self) -> int:
        return self.header["documents"]

    @property
    def files(self) -> int:
        return self.header["files"]

    @property
    def tables(self) -> list[dict[str, Any]]:
        return self.header["tables"]


@contextlib.contextmanager
def _archive(path: Path) -> Iterator[Iterator[tuple[tarfile.TarInfo, BinaryIO | None]]]:
    """The members of the archive in order, each with a reader of its bytes, read as one stream; a damaged or cut
    archive (read here or by the caller) raises :class:`BackupError`. When the caller is done, the rest of the
    stream is read, so that gzip checks its length and CRC at the end."""
    try:
        with open(path, "rb") as raw, gzip.GzipFile(fileobj=raw, mode="rb") as stream:
            with tarfile.open(fileobj=stream, mode="r|") as tar:

                def members() -> Iterator[tuple[tarfile.TarInfo, BinaryIO | None]]:
                    for info in tar:
                        yield info, (tar.extractfile(info) if info.isfile() else None)  # type: ignore[misc]

                yield members()
            while stream.read(CHUNK):
                pass
    except FileNotFoundError:
        raise BackupError(f"There is no archive at {path}.") from None
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise BackupError(
            f"The archive {path} is damaged or incomplete (truncated?): {exc}. {NOTHING_CHANGED}"
        ) from None


def _read_small(fh: BinaryIO, what: str) -> bytes:
    data = fh.read(MAX_META_BYTES + 1)
    if len(data) > MAX_META_BYTES:
        raise BackupError(f"The archive's {what} is too large to be one of ours. {NOTHING_CHANGED}")
    return data


def _hash_stream(fh: BinaryIO) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    while chunk := fh.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


class _TableCheck:
    """Checks the rows of one table member as they are read (every line an object of the table's columns, each
    value of its column's kind); the first problem is kept, reported once the hashes are known to match."""

    def __init__(self, item: dict[str, Any]) -> None:
        self.name = item["name"]
        self.kinds: dict[str, str] = item["columns"]
        self.rows = 0
        self.problem: str | None = None
        self.values: list[dict[str, Any]] = []  # the rows of stored_files and documents, which the files must match

    def feed(self, fh: BinaryIO) -> tuple[int, str]:
        digest = hashlib.sha256()
        size = 0
        keep = self.name in ("stored_files", "documents")
        for line in fh:
            digest.update(line)
            size += len(line)
            self.rows += 1
            if self.problem is None:
                try:
                    row = decode_row(line, self.kinds)
                except ValueError as exc:
                    self.problem = f"row {self.rows} of table {self.name}: {exc}"
                    continue
                if keep:
                    self.values.append({k: row[k] for k in ("id", "sha256", "size") if k in row})
        return size, digest.hexdigest()


def decode_row(line: bytes, kinds: dict[str, str]) -> dict[str, Any]:
    """One JSON line of a table member, decoded (ValueError when it is not a row of these columns)."""
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"not JSON ({exc})") from None
    if not isinstance(record, dict) or set(record) != set(kinds):
        raise ValueError("not an object with the table's columns")
    out = {}
    for name, kind in kinds.items():
        try:
            out[name] = decode(kind, record[name])
        except (ValueError, TypeError) as exc:
            raise ValueError(f"column {name}: {exc}") from None
    return out


def verify(path: str | os.PathLike[str]) -> Verified:
    """Read the whole archive and check it; raises :class:`BackupError` naming the first problem.

    Checked: the manifest is there and matches its SHA-256; every member it lists is there, in its order, with its
    size and SHA-256, and nothing else; the schema revision is one of this code's and the tables and columns are
    that revision's; every row decodes; every stored file matches its SHA-256 and its ``stored_files`` row, and
    every document's file is there.
    """
    path = Path(path)
    header_raw: bytes | None = None
    manifest_raw: bytes | None = None
    manifest_sha: bytes | None = None
    seen: list[dict[str, Any]] = []
    files: dict[str, int] = {}
    checks: dict[str, _TableCheck] = {}
    unexpected: list[str] = []
    with _archive(path) as members:
        for info, fh in members:
            name = info.name
            if fh is None or manifest_sha is not None or (manifest_raw is not None and name != MANIFEST_SHA):
                unexpected.append(name)
                continue
            if name == MANIFEST:
                manifest_raw = _read_small(fh, "manifest")
                continue
            if name == MANIFEST_SHA:
                manifest_sha = _read_small(fh, "manifest digest")
                continue
            if name == HEADER:
                header_raw = _read_small(fh, "header")
                size, sha256 = len(header_raw), hashlib.sha256(header_raw).hexdigest()
                header = _parse_header(header_raw)
                if header is not None:
                    checks = {t["member"]: _TableCheck(t) for t in header["tables"]}
            elif name in checks:
                size, sha256 = checks[name].feed(fh)
            else:
                size, sha256 = _hash_stream(fh)
                match = _FILE_MEMBER.match(name)
                if match and match.group(3) == sha256:
                    files[sha256] = size
            seen.append({"name": name, "size": size, "sha256": sha256})

    if manifest_raw is None:
        raise BackupError(f"The archive {path} has no manifest: it is incomplete (truncated?). {NOTHING_CHANGED}")
    if manifest_sha is None or manifest_sha.strip() != hashlib.sha256(manifest_raw).hexdigest().encode("ascii"):
        raise BackupError(f"The manifest of {path} does not match its SHA-256: it is damaged. {NOTHING_CHANGED}")
    try:
        manifest = json.loads(manifest_raw)
        listed = [{"name": m["name"], "size": m["size"], "sha256": m["sha256"]} for m in manifest["members"]]
        if manifest["format"] != FORMAT or manifest["format_version"] != FORMAT_VERSION:
            raise ValueError
    except (ValueError, KeyError, TypeError):
        raise BackupError(f"{path} is not a backup this version of the application reads. {NOTHING_CHANGED}") from None
    if unexpected:
        raise BackupError(f"The archive {path} has a member its manifest does not list: {unexpected[0]}. "
                          + NOTHING_CHANGED)
    by_name = {m["name"]: m for m in seen}
    for entry in listed:
        found = by_name.get(entry["name"])
        if found is None:
            raise BackupError(f"The archive {path} lacks {entry['name']}, which its manifest lists. {NOTHING_CHANGED}")
        if found != entry:
            raise BackupError(
                f"The member {entry['name']} of {path} does not match the manifest (size or SHA-256): it is damaged. "
                + NOTHING_CHANGED
            )
    if seen != listed:
        raise BackupError(f"The archive {path} has members its manifest does not list. {NOTHING_CHANGED}")

    # every byte is as the backup wrote it: now what it says
    header = _parse_header(header_raw) if header_raw is not None else None
    if header is None:
        raise BackupError(f"{path} is not a backup this version of the application reads. {NOTHING_CHANGED}")
    revision = header["revision"]
    if not migrate.is_known(revision):
        raise BackupError(
            f"The backup's schema revision {revision} is not one this version of the application knows (made by a "
            f"newer version?): restore it with that version. {NOTHING_CHANGED}"
        )
    layout = tuple((t["name"], tuple(t["columns"].items())) for t in header["tables"])
    difference = _layout_difference(layout, schema_at(revision))
    if difference:
        raise BackupError(
            f"The backup's tables are not those of its schema revision {revision} ({difference}). {NOTHING_CHANGED}"
        )
    expected_order = [HEADER] + sorted(m["name"] for m in listed if m["name"].startswith(FILES))
    expected_order += [t["member"] for t in header["tables"]]
    if [m["name"] for m in listed] != expected_order:
        raise BackupError(f"The members of {path} are not those of a backup, or not in its order. {NOTHING_CHANGED}")
    for item in header["tables"]:
        check = checks[item["member"]]
        if check.problem:
            raise BackupError(f"The backup's {check.problem}. {NOTHING_CHANGED}")
        if check.rows != item["rows"]:
            raise BackupError(f"The backup's table {item['name']} has {check.rows} rows, not {item['rows']}. "
                              + NOTHING_CHANGED)
    _check_files(path, header, files, checks)
    return Verified(header=header, members={m["name"]: m for m in listed})


def _parse_header(raw: bytes) -> dict[str, Any] | None:
    """backup.json, or None when it is not one this code reads."""
    try:
        header = json.loads(raw)
        if header["format"] != FORMAT or header["format_version"] != FORMAT_VERSION:
            return None
        if not isinstance(header["revision"], str):
            return None
        if not isinstance(header["documents"], int) or not isinstance(header["files"], int):
            return None
        for item in header["tables"]:
            if not (isinstance(item["name"], str) and item["member"] == f"{TABLES}{item['name']}.jsonl"):
                return None
            if not isinstance(item["rows"], int) or not isinstance(item["columns"], dict):
                return None
        return header
    except (ValueError, KeyError, TypeError):
        return None


def _check_files(path: Path, header: dict[str, Any], files: dict[str, int], checks: dict[str, _TableCheck]) -> None:
    by_table = {c.name: c for c in checks.values()}
    rows = {r["sha256"]: r["size"] for r in by_table["stored_files"].values}
    if len(files) != header["files"] or set(rows) != set(files):
        missing = sorted(set(rows) - set(files))
        what = f"the stored file {missing[0]}" if missing else "a file no row names"
        raise BackupError(f"The archive {path} does not hold every stored file its rows name ({what}). "
                          + NOTHING_CHANGED)
    for sha256, size in rows.items():
        if files[sha256] != size:
            raise BackupError(f"The stored file {sha256} has {files[sha256]} bytes and its row says {size}. "
                              + NOTHING_CHANGED)
    for row in by_table["documents"].values:
        if row["sha256"] not in files:
            raise BackupError(f"The file of document {row['id']} is not in the archive. {NOTHING_CHANGED}")


# ----------------------------------------------------------------------------------------------------------------
# restore
# ----------------------------------------------------------------------------------------------------------------


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
    if current not in _ancestors(revision):
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
    with contextlib.ExitStack() as stack, _archive(path) as members:
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
        batch.append({name: _for_column(value, columns[name]) for name, value in row.items()})
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
