"""Reading an archive whole and checking it before anything is restored from it."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from typing import BinaryIO

from repository.data import migrate
from repository.services.backup.archive import FILE_MEMBER
from repository.services.backup.archive import FILES
from repository.services.backup.archive import FORMAT
from repository.services.backup.archive import FORMAT_VERSION
from repository.services.backup.archive import HEADER
from repository.services.backup.archive import MANIFEST
from repository.services.backup.archive import MANIFEST_SHA
from repository.services.backup.archive import NOTHING_CHANGED
from repository.services.backup.archive import TABLES
from repository.services.backup.archive import BackupError
from repository.services.backup.archive import hash_stream
from repository.services.backup.archive import open_archive
from repository.services.backup.archive import read_small
from repository.services.backup.schema import layout_difference
from repository.services.backup.schema import schema_at
from repository.services.backup.values import decode_row


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
    with open_archive(path) as members:
        for info, fh in members:
            name = info.name
            if fh is None or manifest_sha is not None or (manifest_raw is not None and name != MANIFEST_SHA):
                unexpected.append(name)
                continue
            if name == MANIFEST:
                manifest_raw = read_small(fh, "manifest")
                continue
            if name == MANIFEST_SHA:
                manifest_sha = read_small(fh, "manifest digest")
                continue
            if name == HEADER:
                header_raw = read_small(fh, "header")
                size, sha256 = len(header_raw), hashlib.sha256(header_raw).hexdigest()
                header = _parse_header(header_raw)
                if header is not None:
                    checks = {t["member"]: _TableCheck(t) for t in header["tables"]}
            elif name in checks:
                size, sha256 = checks[name].feed(fh)
            else:
                size, sha256 = hash_stream(fh)
                match = FILE_MEMBER.match(name)
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
    difference = layout_difference(layout, schema_at(revision))
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
