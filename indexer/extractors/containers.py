"""Zip containers (DOCX, XLSX, PPTX, ODT, ODS, ODP) are checked before any parser sees them.

:func:`check_zip_container` reads the central directory only: total uncompressed size, per-member compression
ratio, member count, absolute or ``..`` member names. Python's ``zipfile`` never inflates a member beyond the size
declared in the central directory (it stops and fails the CRC check), so these declared sizes bound what the
parsers can read.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from indexer.extractors.base import ExtractionError

MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 10_000
MAX_MEMBER_RATIO = 200
RATIO_CHECK_ABOVE_BYTES = 10 * 1024 * 1024


def check_zip_container(path: Path) -> None:
    """Refuse a zip that could exhaust memory or that names paths outside itself. Reads the central directory only.

    Limits: at most :data:`MAX_ZIP_MEMBERS` members; total declared uncompressed size at most
    :data:`MAX_UNZIPPED_BYTES`; no member above :data:`RATIO_CHECK_ABOVE_BYTES` with a compression ratio above
    :data:`MAX_MEMBER_RATIO`:1; no absolute member name (``/x``, ``\\x``, ``C:x``) and no ``..`` component.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise ExtractionError("the file is not a readable zip container") from exc
    if len(infos) > MAX_ZIP_MEMBERS:
        raise ExtractionError(f"the archive has more than {MAX_ZIP_MEMBERS:,} members")
    total = 0
    for info in infos:
        name = info.filename.replace("\\", "/")
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in name.split("/"):
            raise ExtractionError("the archive contains an unsafe member name")
        total += info.file_size
        if info.file_size > RATIO_CHECK_ABOVE_BYTES and info.file_size > MAX_MEMBER_RATIO * max(info.compress_size, 1):
            raise ExtractionError("the archive is a zip bomb (a member is compressed more than 200:1)")
    if total > MAX_UNZIPPED_BYTES:
        raise ExtractionError(f"the archive expands to more than {MAX_UNZIPPED_BYTES // 2**20} MiB")

