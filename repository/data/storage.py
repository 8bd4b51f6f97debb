"""Content-addressed file store: originals are kept under the SHA-256 of their bytes, written atomically.

The client's filename never reaches the file system. Layout: ``<root>/ab/cd/<sha256>``; uploads in progress live
in ``<root>/tmp/`` under random names until they are checked and moved into place.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024


class TooLarge(Exception):
    """The stream was longer than allowed."""


@dataclass(frozen=True)
class Staged:
    """An upload written to a temporary file, with its digest and size."""

    path: Path
    sha256: str
    size: int


class FileStore:
    """A folder of originals named by content hash."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.tmp = self.root / "tmp"

    def ensure(self) -> None:
        """Create the folders (idempotent)."""
        self.tmp.mkdir(parents=True, exist_ok=True)

    def path_for(self, sha256: str) -> Path:
        """Where the file with this digest lives (whether or not it exists)."""
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        """Whether the file with this digest is stored."""
        return self.path_for(sha256).is_file()

    def stage(self, stream: BinaryIO, max_bytes: int | None = None) -> Staged:
        """Copy ``stream`` into a new temporary file while hashing it; fsync before returning."""
        self.ensure()
        tmp = self.tmp / f"upload-{secrets.token_hex(16)}"
        digest = hashlib.sha256()
        size = 0
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                while True:
                    chunk = stream.read(CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise TooLarge()
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return Staged(tmp, digest.hexdigest(), size)

    def commit(self, staged: Staged) -> Path:
        """Move a staged file to its content-addressed place (atomic rename, then fsync of the folder).

        If the same content is already stored, the staged copy is discarded.
        """
        final = self.path_for(staged.sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.is_file():
            staged.path.unlink(missing_ok=True)
            return final
        os.chmod(staged.path, 0o400)
        os.replace(staged.path, final)
        fsync_dir(final.parent)
        return final

    def discard(self, staged: Staged) -> None:
        """Delete a staged file that will not be kept."""
        staged.path.unlink(missing_ok=True)


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in the folder ``path`` durable (fsync of the folder itself)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
