"""PDF: pypdfium2 first, pdfminer.six when PDFium cannot open the file or finds no text at all.

pypdfium2 is about 40x faster than pdfminer.six and the only one that returns Arabic in logical order. A PDF that
needs a password gives ``ExtractionError("the PDF is encrypted")``. A page with an image and (almost) no text
layer is rendered and read by OCR (:mod:`indexer.ocr`, Tesseract, Arabic and English) when Tesseract is
installed; without it a PDF without any text gives ``ExtractionError("no text layer (scanned PDF?) ...")``.
PDFium is not thread-safe: one extraction per process.
"""

from __future__ import annotations

from pathlib import Path

from indexer import ocr
from indexer.arabic import ensure_logical_order
from indexer.extractors.base import Collector
from indexer.extractors.base import Extraction
from indexer.extractors.base import ExtractionError

_FPDF_ERR_PASSWORD = 4
_FPDF_ERR_SECURITY = 5


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
    out = Collector()
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
            raise ExtractionError(f"no text layer (scanned PDF?), and {ocr.NOT_INSTALLED}")
        raise ExtractionError("no text layer, and OCR found no text on its pages")
    # Some PDFs store Arabic in visual (reversed) order and some extractors return it so: put it back.
    text, _repaired = ensure_logical_order(found.text)
    return Extraction(text, found.ocr)
