"""What every extractor shares: the result (:class:`Extraction`), the error whose reason users see
(:class:`ExtractionError`), the cap on a document's text and its normalisation (:func:`normalise_text`), and the
:class:`Collector` that stops a parser once there is more than enough text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: The most text kept of one document, in characters.
MAX_TEXT_CHARS = 2_000_000


@dataclass(frozen=True)
class Extraction:
    """Extracted text; ``ocr`` when some or all of it was recognised from images of pages."""

    text: str
    ocr: bool = False


class ExtractionError(Exception):
    """Text could not be extracted; ``str(exc)`` (also ``exc.reason``) is a short reason fit for users."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --------------------------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------------------------

# Bidi controls (LRM, RLM, ALM, embeddings/overrides, isolates), C0 controls except \t and \n (\r, \v and \f are
# turned into newlines first), DEL, C1 controls, BOM/ZWNBSP, lone surrogates and the non-characters U+FFFE/FFFF.
_STRIP_RE = re.compile(
    "[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c\x00-\x08\x0e-\x1f\x7f-\x9f\ufeff\ud800-\udfff\ufffe\uffff]"
)
_NEWLINE_RE = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Latin ligatures (U+FB00-FB06) and Arabic presentation forms (U+FB50-FDFF, U+FE70-FEFE): PDFs often carry the
# shaped glyph's code point; compatibility-decompose just these so "ﻻ" searches as "لا" and "ﬁ" as "fi".
_COMPAT_RE = re.compile("[\ufb00-\ufb06\ufb50-\ufdff\ufe70-\ufefe]+")
_TRAILING_SPACE_RE = re.compile("[ \t]+\n")
_BLANK_LINES_RE = re.compile("\n{3,}")


def normalise_text(text: str) -> str:
    """Clean extracted text for indexing and display (see the module docstring), capped at MAX_TEXT_CHARS."""
    text = text[: MAX_TEXT_CHARS * 2]
    text = _NEWLINE_RE.sub("\n", text)
    text = _STRIP_RE.sub("", text)
    text = _COMPAT_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    text = unicodedata.normalize("NFC", text)
    text = _TRAILING_SPACE_RE.sub("\n", text + "\n")
    text = _BLANK_LINES_RE.sub("\n\n", text).strip()
    return text[:MAX_TEXT_CHARS]


class Collector:
    """Accumulates text pieces and stops a parser early once there is more than enough."""

    def __init__(self, limit: int = MAX_TEXT_CHARS + 1000) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.limit = limit

    def add(self, piece: str | None) -> None:
        """Keep ``piece`` (nothing when empty)."""
        if piece:
            self.parts.append(piece)
            self.size += len(piece) + 1

    @property
    def full(self) -> bool:
        """Whether there is more than enough text: the parser may stop."""
        return self.size >= self.limit

    def text(self, sep: str = "\n") -> str:
        """The pieces joined by ``sep``."""
        return sep.join(self.parts)

