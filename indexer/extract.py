"""Plain text out of the document types the repository accepts: the registry of extractors and the dispatch.

:data:`EXTRACTORS` maps each canonical MIME type (:mod:`indexer.formats`, the keys of
``repository.knowledge.sniff.ALLOWED_TYPES``) to a function ``Path -> str`` (or ``Path -> Extraction`` when the
text may come from OCR), one module per format family in :mod:`indexer.extractors`; a new format is one more
function in that dict. :func:`extract` dispatches and normalises the result, :func:`extract_text` gives its text.

**Run this in a resource-limited worker process** (:mod:`indexer.pool`), never in a web worker: PDF and Office
parsers can be made to use gigabytes of memory or minutes of CPU by a small hostile file, and PDFium aborts the
whole process when an allocation fails. The checks in the extractors limit the damage but cannot replace the
sandbox.

The choices per format, and why, are in each module's docstring: PDF (:mod:`indexer.extractors.pdf`), images
(:mod:`~indexer.extractors.images`), Office Open XML (:mod:`~indexer.extractors.ooxml`), OpenDocument
(:mod:`~indexer.extractors.odf`), text and CSV (:mod:`~indexer.extractors.plain`); zip containers are checked
before any parser sees them (:mod:`~indexer.extractors.containers`).

This module is pure: no Flask, no ``repository`` import. Parser libraries are imported lazily, so a worker that
extracts one DOCX does not pay for importing PDFium.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from indexer.extractors.base import Extraction
from indexer.extractors.base import ExtractionError
from indexer.extractors.base import normalise_text
from indexer.extractors.images import extract_image
from indexer.extractors.odf import extract_odp
from indexer.extractors.odf import extract_ods
from indexer.extractors.odf import extract_odt
from indexer.extractors.ooxml import extract_docx
from indexer.extractors.ooxml import extract_pptx
from indexer.extractors.ooxml import extract_xlsx
from indexer.extractors.pdf import extract_pdf
from indexer.extractors.plain import extract_plain_text
from indexer.formats import CSV
from indexer.formats import DOCX
from indexer.formats import JPEG
from indexer.formats import ODP
from indexer.formats import ODS
from indexer.formats import ODT
from indexer.formats import PDF
from indexer.formats import PNG
from indexer.formats import PPTX
from indexer.formats import TIFF
from indexer.formats import TXT
from indexer.formats import XLSX

#: Canonical MIME type -> extractor. Add a format (or OCR) by adding one function here.
EXTRACTORS: dict[str, Callable[[Path], str | Extraction]] = {
    PDF: extract_pdf,
    DOCX: extract_docx,
    XLSX: extract_xlsx,
    PPTX: extract_pptx,
    ODT: extract_odt,
    ODS: extract_ods,
    ODP: extract_odp,
    TXT: extract_plain_text,
    CSV: extract_plain_text,
    PNG: extract_image,
    JPEG: extract_image,
    TIFF: extract_image,
}

_LABELS = {
    PDF: "PDF",
    DOCX: "Word document",
    XLSX: "spreadsheet",
    PPTX: "presentation",
    ODT: "OpenDocument text",
    ODS: "OpenDocument spreadsheet",
    ODP: "OpenDocument presentation",
    TXT: "text file",
    CSV: "CSV file",
    PNG: "image",
    JPEG: "image",
    TIFF: "image",
}


def extract_text(path: str | Path, mime: str) -> str:
    """The text of :func:`extract`."""
    return extract(path, mime).text


def extract(path: str | Path, mime: str) -> Extraction:
    """Extract and normalise the text of the file at ``path``, whose type ``mime`` was sniffed from its content.

    Raises :class:`ExtractionError` with a short reason for anything that cannot be read (unknown type,
    encrypted or damaged file, zip bomb, no text layer, parser error). ``MemoryError`` is re-raised as is so a
    sandbox can report it; never call this in a process that cannot afford to die (see :mod:`indexer.pool`).
    """
    extractor = EXTRACTORS.get(mime)
    if extractor is None:
        raise ExtractionError(f"no text extractor for {mime!r}")
    path = Path(path)
    try:
        raw = extractor(path)
    except (ExtractionError, MemoryError):
        raise
    except RecursionError as exc:
        raise ExtractionError("the document is nested too deeply") from exc
    except Exception as exc:
        raise ExtractionError(f"the {_LABELS.get(mime, 'file')} could not be read ({type(exc).__name__})") from exc
    if isinstance(raw, Extraction):
        return Extraction(normalise_text(raw.text), raw.ocr)
    return Extraction(normalise_text(raw))
