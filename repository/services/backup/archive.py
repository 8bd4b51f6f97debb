"""The archive's format: its members' names, the error every backup and restore step raises, and writing and
reading the gzip-compressed tar stream (each member hashed as it goes through).
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import re
import tarfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from typing import BinaryIO

FORMAT = "protection-repository-backup"
FORMAT_VERSION = 1

PREFIX = "repository-backup/"
HEADER = PREFIX + "backup.json"
FILES = PREFIX + "files/"
TABLES = PREFIX + "db/"
MANIFEST = PREFIX + "manifest.json"
MANIFEST_SHA = PREFIX + "manifest.sha256"


#: Rows per insert while restoring.
BATCH = 500
CHUNK = 1024 * 1024
#: The largest backup.json or manifest accepted (they are small; a bigger one is not ours).
MAX_META_BYTES = 64 * 1024 * 1024

FILE_MEMBER = re.compile(r"^" + re.escape(FILES) + r"([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})$")

NOTHING_CHANGED = "Nothing was changed."


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why in one sentence or two."""


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


def json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def _tarinfo(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(mtime)
    info.mode = 0o600
    return info


def add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mtime: float) -> dict[str, Any]:
    return add_stream(tar, name, io.BytesIO(data), len(data), mtime)


def add_stream(tar: tarfile.TarFile, name: str, fh: BinaryIO, size: int, mtime: float) -> dict[str, Any]:
    reader = _Hashing(fh)
    tar.addfile(_tarinfo(name, size, mtime), reader)  # type: ignore[arg-type]
    return {"name": name, "size": size, "sha256": reader.digest.hexdigest()}


@contextlib.contextmanager
def open_archive(path: Path) -> Iterator[Iterator[tuple[tarfile.TarInfo, BinaryIO | None]]]:
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


def read_small(fh: BinaryIO, what: str) -> bytes:
    data = fh.read(MAX_META_BYTES + 1)
    if len(data) > MAX_META_BYTES:
        raise BackupError(f"The archive's {what} is too large to be one of ours. {NOTHING_CHANGED}")
    return data


def hash_stream(fh: BinaryIO) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    while chunk := fh.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return size, digest.hexdigest()
