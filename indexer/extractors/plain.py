"""Text and CSV files: UTF-8 (BOM optional), UTF-16 with a BOM, else Latin-1."""

from __future__ import annotations

import codecs
from pathlib import Path

from indexer.extractors.base import MAX_TEXT_CHARS


def decode_text_bytes(data: bytes, *, truncated: bool = False) -> str:
    """UTF-8 (BOM optional) or UTF-16 with BOM; otherwise Latin-1 (never fails)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return codecs.getincrementaldecoder("utf-16")("replace").decode(data, final=not truncated)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return codecs.getincrementaldecoder("utf-8")("strict").decode(data, final=not truncated)
    except UnicodeDecodeError:
        return data.decode("latin-1")


def extract_plain_text(path: Path) -> str:
    """The text of a text or CSV file: at most ``4 * MAX_TEXT_CHARS`` bytes read, decoded by
    :func:`decode_text_bytes`."""
    limit = MAX_TEXT_CHARS * 4
    with Path(path).open("rb") as handle:
        data = handle.read(limit + 1)
    truncated = len(data) > limit
    return decode_text_bytes(data[:limit], truncated=truncated)
