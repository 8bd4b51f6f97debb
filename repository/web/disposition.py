"""``Content-Disposition`` for downloads (RFC 6266 with RFC 8187 ``filename*``), built by hand.

Werkzeug's fallback for a name without Latin letters is a bare extension (``.txt``, a hidden file on most systems)
or a name starting with a space, and it keeps ``%`` sequences that some browsers decode. Here the ASCII fallback is
always quoted, holds only letters, digits, ``_``, ``-``, ``.``, spaces and parentheses, never starts with a dot or
a space, and falls back to ``document.<ext>``; the exact UTF-8 name travels in ``filename*``.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

_UNSAFE = re.compile(r"[^A-Za-z0-9_.() -]+")
MAX_FALLBACK = 150


def ascii_fallback(filename: str) -> str:
    """A safe ASCII stand-in for ``filename`` (for clients that ignore ``filename*``)."""
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    ext = _UNSAFE.sub("", ext)[:16]
    folded = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    folded = " ".join(_UNSAFE.sub("_", folded).split()).strip("._ -")
    if not folded.strip("_"):
        folded = "document"
    folded = folded[:MAX_FALLBACK]
    return f"{folded}.{ext}" if ext else folded


def attachment(filename: str) -> str:
    """The full header value: ``attachment; filename="..."; filename*=UTF-8''...``."""
    name = "".join(ch for ch in filename if unicodedata.category(ch)[0] != "C") or "document"
    return f"attachment; filename=\"{ascii_fallback(name)}\"; filename*=UTF-8''{quote(name, safe='')}"
