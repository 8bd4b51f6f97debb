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

The package's modules: ``archive`` (the members' names, writing and reading the tar stream), ``values`` (column
values as JSON and back), ``schema`` (the tables and columns of a revision), ``dump`` (writing a backup),
``check`` (reading and checking an archive) and ``load`` (restoring it).
"""

from __future__ import annotations

from repository.services.backup.archive import BATCH
from repository.services.backup.archive import CHUNK
from repository.services.backup.archive import FILES
from repository.services.backup.archive import FORMAT
from repository.services.backup.archive import FORMAT_VERSION
from repository.services.backup.archive import HEADER
from repository.services.backup.archive import MANIFEST
from repository.services.backup.archive import MANIFEST_SHA
from repository.services.backup.archive import MAX_META_BYTES
from repository.services.backup.archive import NOTHING_CHANGED
from repository.services.backup.archive import PREFIX
from repository.services.backup.archive import TABLES
from repository.services.backup.archive import BackupError
from repository.services.backup.check import Verified
from repository.services.backup.check import verify
from repository.services.backup.dump import Backup
from repository.services.backup.dump import BackupSummary
from repository.services.backup.load import RestoreSummary
from repository.services.backup.load import check_empty
from repository.services.backup.load import restore
from repository.services.backup.schema import SKIPPED_TABLES
from repository.services.backup.schema import Layout
from repository.services.backup.schema import schema_at
from repository.services.backup.values import column_kind
from repository.services.backup.values import decode
from repository.services.backup.values import decode_row
from repository.services.backup.values import encode

__all__ = [
    "BATCH",
    "Backup",
    "BackupError",
    "BackupSummary",
    "CHUNK",
    "FILES",
    "FORMAT",
    "FORMAT_VERSION",
    "HEADER",
    "Layout",
    "MANIFEST",
    "MANIFEST_SHA",
    "MAX_META_BYTES",
    "NOTHING_CHANGED",
    "PREFIX",
    "RestoreSummary",
    "SKIPPED_TABLES",
    "TABLES",
    "Verified",
    "check_empty",
    "column_kind",
    "decode",
    "decode_row",
    "encode",
    "restore",
    "schema_at",
    "verify",
]
