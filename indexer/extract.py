"""Plain text out of the document types the repository accepts.

:data:`EXTRACTORS` maps each canonical MIME type (the keys of ``repository.knowledge.sniff.ALLOWED_TYPES``) to a
function ``Path -> str`` (or ``Path -> Extraction`` when the text may come from OCR); a new format is one more
function in that dict. :func:`extract` dispatches and normalises the result, :func:`extract_text` gives its text.

**Run this in a resource-limited subprocess** (:mod:`indexer.sandbox`), never in a web worker: PDF and Office
parsers can be made to use gigabytes of memory or minutes of CPU by a small hostile file, and PDFium aborts the
whole process when an allocation fails. The checks here limit the damage but cannot replace the sandbox.

Choices, and why:

* **PDF**: pypdfium2 first (about 40x faster than pdfminer.six and the only one that returns Arabic in logical
  order); pdfminer.six only when PDFium cannot open the file or finds no text at all. A PDF that needs a password
  gives ``ExtractionError("the PDF is encrypted")``. A page with an image and (almost) no text layer is rendered
  and read by OCR (:mod:`indexer.ocr`, Tesseract, Arabic and English) when Tesseract is installed; without it a
  PDF without any text gives ``ExtractionError("no text layer (scanned PDF?) ...")``. PDFium is not thread-safe:
  one extraction per process.
* **Images** (PNG, JPEG, TIFF): every page read by OCR.
* **Zip containers** (DOCX, XLSX, PPTX, ODT, ODS, ODP): before any parser sees the file, the central directory is
  checked by :func:`check_zip_container` (total uncompressed size, per-member compression ratio, member count,
  absolute or ``..`` member names). Python's ``zipfile`` never inflates a member beyond the size declared in the
  central directory (it stops and fails the CRC check), so these declared sizes bound what the parsers can read.
* **XML external entities** are never resolved: python-docx and python-pptx parse with an lxml parser created
  with ``resolve_entities=False`` (lxml also defaults to ``no_network=True`` and ``load_dtd=False``); openpyxl
  uses defusedxml when it is installed (it is a dependency here; ``OPENPYXL_DEFUSEDXML`` must not be set to
  ``False``), which refuses entity declarations. **odfpy is not used for reading**: although it parses with
  defusedxml's SAX parser, it builds a DOM of every part (memory), silently skips parts it cannot parse and
  *prints the whole XML part to stdout* on a parse error. ODF ``content.xml`` is instead streamed here with
  ``defusedxml.ElementTree.iterparse(forbid_dtd=True)``: any DOCTYPE (hence any entity) is refused.
* **Text/CSV**: UTF-8 (BOM optional), UTF-16 with a BOM, else Latin-1; at most ``4 * MAX_TEXT_CHARS`` bytes read.

This module is pure: no Flask, no ``repository`` import. Parser libraries are imported lazily, so a subprocess
that extracts one DOCX does not pay for importing PDFium.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
import unicodedata
import zipfile
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from indexer import ocr
from indexer.arabic import ensure_logical_order

MAX_TEXT_CHARS = 2_000_000
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 10_000
MAX_MEMBER_RATIO = 200
RATIO_CHECK_ABOVE_BYTES = 10 * 1024 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
TXT = "text/plain"
CSV = "text/csv"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"


#: Types whose text may have to be read by OCR (a scanned PDF, a photograph).
OCR_TYPES = frozenset({PDF, PNG, JPEG, TIFF})


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


class _Collector:
    """Accumulates text pieces and stops a parser early once there is more than enough."""

    def __init__(self, limit: int = MAX_TEXT_CHARS + 1000) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.limit = limit

    def add(self, piece: str | None) -> None:
        if piece:
            self.parts.append(piece)
            self.size += len(piece) + 1

    @property
    def full(self) -> bool:
        return self.size >= self.limit

    def text(self, sep: str = "\n") -> str:
        return sep.join(self.parts)


# --------------------------------------------------------------------------------------------------------------
# Zip containers
# --------------------------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------------------------

_FPDF_ERR_PASSWORD = 4
_FPDF_ERR_SECURITY = 5


_NO_OCR = "OCR is not installed on this server"


def _has_image(page) -> bool:
    import pypdfium2.raw as pdfium_c

    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def _pdf_with_pdfium(path: Path) -> tuple[Extraction, int] | None:
    """Text of every page via PDFium (pages that are images read by OCR when it is installed) and the number of
    such pages, or None when PDFium cannot open the file."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in (_FPDF_ERR_PASSWORD, _FPDF_ERR_SECURITY):
            raise ExtractionError("the PDF is encrypted") from exc
        return None
    out = _Collector()
    scanned = recognised = 0
    used_ocr = False
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_bounded()
                finally:
                    textpage.close()
                is_scan = not ocr.has_text(text) and _has_image(page)
                scanned += is_scan
                if is_scan and recognised < ocr.MAX_PAGES and ocr.available():
                    recognised += 1
                    try:
                        read = ocr.read_pdf_page(page)
                    except ocr.OCRError:
                        read = ""  # this page stays as its text layer has it; the others are still read
                    if read.strip():
                        text, used_ocr = read, True
                out.add(text)
            finally:
                page.close()
            if out.full:
                break
    finally:
        document.close()
    return Extraction(out.text("\n\n"), ocr=used_ocr), scanned


def _pdf_with_pdfminer(path: Path) -> str:
    from pdfminer.high_level import extract_text as pdfminer_extract_text
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        return pdfminer_extract_text(str(path))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ExtractionError("the PDF is encrypted") from exc
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:
        raise ExtractionError("the PDF is damaged or not a PDF") from exc


def extract_pdf(path: Path) -> Extraction:
    """PDFium first (with OCR of pages that are images); pdfminer.six when PDFium cannot open the file or finds
    no text at all."""
    found, scanned = _pdf_with_pdfium(path) or (None, 0)
    if found is None or not found.text.strip():
        found = Extraction(_pdf_with_pdfminer(path))
    if not found.text.strip():
        if not scanned:
            raise ExtractionError("no text layer (scanned PDF?)")
        if not ocr.available():
            raise ExtractionError(f"no text layer (scanned PDF?), and {_NO_OCR}")
        raise ExtractionError("no text layer, and OCR found no text on its pages")
    # Some PDFs store Arabic in visual (reversed) order and some extractors return it so: put it back.
    text, _repaired = ensure_logical_order(found.text)
    return Extraction(text, found.ocr)


def extract_image(path: Path) -> Extraction:
    """Every page of a PNG, JPEG or TIFF image, read by OCR."""
    if not ocr.available():
        raise ExtractionError(f"the image cannot be read: {_NO_OCR}")
    try:
        text = ocr.read_image(path)
    except ocr.OCRError as exc:
        raise ExtractionError(str(exc)) from exc
    if not text.strip():
        raise ExtractionError("OCR found no text in the image")
    return Extraction(text, ocr=True)


# --------------------------------------------------------------------------------------------------------------
# Office Open XML
# --------------------------------------------------------------------------------------------------------------


def _docx_blocks(container, out: _Collector, depth: int = 0) -> None:
    from docx.table import Table

    for block in container.iter_inner_content():
        if out.full:
            return
        if isinstance(block, Table):
            for row in block.rows:
                seen = []
                cells = []
                for cell in row.cells:
                    if any(cell._tc is other for other in seen):  # merged cells repeat
                        continue
                    seen.append(cell._tc)
                    inner = _Collector()
                    if depth < 20:
                        _docx_blocks(cell, inner, depth + 1)
                    cells.append(inner.text(" ").replace("\n", " ").strip())
                out.add("\t".join(c for c in cells if c))
        else:
            out.add(block.text)


def extract_docx(path: Path) -> str:
    """Body paragraphs and tables in document order (python-docx), then distinct header/footer text."""
    import docx

    check_zip_container(path)
    document = docx.Document(str(path))
    out = _Collector()
    _docx_blocks(document, out)
    seen: set[str] = set()
    for section in document.sections:
        for part in (section.header, section.footer):
            if out.full or part.is_linked_to_previous:
                continue
            text = "\n".join(p.text for p in part.paragraphs).strip()
            if text and text not in seen:
                seen.add(text)
                out.add(text)
    return out.text()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time | dt.datetime):
        return value.isoformat()
    return str(value).strip()


def _rows_text(rows: Iterable[Iterable[object]], out: _Collector) -> None:
    for row in rows:
        cells = [_cell_text(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            out.add("\t".join(cells))
        if out.full:
            return


def extract_xlsx(path: Path) -> str:
    """Cell values (cached results for formulas), one row per line with tabs, each sheet under its name."""
    from openpyxl import load_workbook

    check_zip_container(path)
    workbook = load_workbook(str(path), read_only=True, data_only=True)
    out = _Collector()
    try:
        for sheet in workbook.worksheets:
            if out.full:
                break
            out.add(f"\n{sheet.title}\n")
            sheet.reset_dimensions()  # a forged <dimension> must not make openpyxl pad millions of empty cells
            _rows_text(sheet.iter_rows(values_only=True), out)
    finally:
        workbook.close()
    return out.text()


def _pptx_shapes(shapes, out: _Collector, depth: int = 0) -> None:
    for shape in shapes:
        if out.full:
            return
        if getattr(shape, "shapes", None) is not None and depth < 20:  # group shape
            _pptx_shapes(shape.shapes, out, depth + 1)
            continue
        if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            out.add(shape.text_frame.text)
        if getattr(shape, "has_table", False) and shape.has_table:
            for row in shape.table.rows:
                cells = [cell.text.replace("\n", " ").strip() for cell in row.cells]
                out.add("\t".join(c for c in cells if c))


def extract_pptx(path: Path) -> str:
    """Text frames and tables of every slide (python-pptx), with the speaker notes; slides separated by blank lines."""
    from pptx import Presentation

    check_zip_container(path)
    presentation = Presentation(str(path))
    out = _Collector()
    for slide in presentation.slides:
        if out.full:
            break
        _pptx_shapes(slide.shapes, out)
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            if notes is not None:
                out.add(notes.text)
        out.add("\n")
    return out.text()


# --------------------------------------------------------------------------------------------------------------
# OpenDocument
# --------------------------------------------------------------------------------------------------------------

_NS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_NS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_PARAGRAPHS = {_NS_TEXT + "p", _NS_TEXT + "h"}
_CELLS = {_NS_TABLE + "table-cell", _NS_TABLE + "covered-table-cell"}
_ROW = _NS_TABLE + "table-row"
_TABLE = _NS_TABLE + "table"
_SPACE, _TAB, _BREAK = _NS_TEXT + "s", _NS_TEXT + "tab", _NS_TEXT + "line-break"
_SKIP_INLINE = {_NS_TEXT + "note-citation", _NS_TEXT + "tracked-changes"}


def _odf_inline_text(paragraph) -> str:
    """Text of a text:p / text:h: spans, links, notes, <text:s/>, <text:tab/>, <text:line-break/>; no recursion."""
    parts: list[str] = []
    stack: list[tuple[object, bool]] = [(paragraph, False)]
    while stack:
        element, closing = stack.pop()
        if closing:
            if element is not paragraph and element.tail:
                parts.append(element.tail)
            continue
        tag = element.tag
        stack.append((element, True))
        if tag == _SPACE:
            count = element.get(_NS_TEXT + "c", "1")
            parts.append(" " * min(int(count) if count.isdigit() else 1, 8))
            continue
        if tag == _TAB:
            parts.append("\t")
            continue
        if tag == _BREAK:
            parts.append("\n")
            continue
        if tag in _SKIP_INLINE:
            continue
        if element.text:
            parts.append(element.text)
        for child in reversed(list(element)):
            stack.append((child, False))
    return "".join(parts)


def _extract_odf(path: Path, *, sheet_headings: bool) -> str:
    from defusedxml.ElementTree import iterparse

    check_zip_container(path)
    out = _Collector()
    paragraph_depth = 0
    cells: list[list[str]] = []  # one list of paragraph texts per open table cell
    rows: list[list[str]] = []  # one list of cell texts per open table row

    def emit(text: str) -> None:
        if cells:
            cells[-1].append(text)
        else:
            out.add(text)

    with zipfile.ZipFile(path) as archive:
        try:
            member = archive.open("content.xml")
        except KeyError as exc:
            raise ExtractionError("the OpenDocument file has no content.xml") from exc
        with member:
            for event, element in iterparse(member, events=("start", "end"), forbid_dtd=True):
                tag = element.tag
                if event == "start":
                    if tag in _PARAGRAPHS:
                        paragraph_depth += 1
                    elif paragraph_depth == 0 and tag in _CELLS:
                        cells.append([])
                    elif paragraph_depth == 0 and tag == _ROW:
                        rows.append([])
                    elif paragraph_depth == 0 and tag == _TABLE and sheet_headings and not cells:
                        name = element.get(_NS_TABLE + "name")
                        if name:
                            out.add(f"\n{name}\n")
                    continue
                if tag in _PARAGRAPHS:
                    paragraph_depth -= 1
                    if paragraph_depth == 0:
                        emit(_odf_inline_text(element))
                        element.clear()
                elif paragraph_depth == 0 and tag in _CELLS and cells:
                    text = " ".join(t.strip() for t in cells.pop() if t.strip())
                    if rows:
                        rows[-1].append(text)
                    element.clear()
                elif paragraph_depth == 0 and tag == _ROW and rows:
                    row = rows.pop()
                    while row and not row[-1]:
                        row.pop()
                    if row:
                        emit("\t".join(row))
                    element.clear()
                if out.full:
                    break
    return out.text()


def extract_odt(path: Path) -> str:
    """Paragraphs, headings, lists, tables, notes of content.xml (streamed with defusedxml; see module docstring)."""
    return _extract_odf(path, sheet_headings=False)


def extract_ods(path: Path) -> str:
    """Cell text, one row per line with tabs, each sheet under its name."""
    return _extract_odf(path, sheet_headings=True)


def extract_odp(path: Path) -> str:
    """Text of every frame on every slide, and the speaker notes."""
    return _extract_odf(path, sheet_headings=False)


# --------------------------------------------------------------------------------------------------------------
# Plain text
# --------------------------------------------------------------------------------------------------------------


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
    limit = MAX_TEXT_CHARS * 4
    with Path(path).open("rb") as handle:
        data = handle.read(limit + 1)
    truncated = len(data) > limit
    return decode_text_bytes(data[:limit], truncated=truncated)


# --------------------------------------------------------------------------------------------------------------
# Dispatch
# --------------------------------------------------------------------------------------------------------------

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
    sandbox can report it; never call this in a process that cannot afford to die (see :mod:`indexer.sandbox`).
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
