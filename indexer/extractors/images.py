"""Images (PNG, JPEG, TIFF): every page read by OCR (:mod:`indexer.ocr`)."""

from __future__ import annotations

from pathlib import Path

from indexer import ocr
from indexer.extractors.base import Extraction
from indexer.extractors.base import ExtractionError


def extract_image(path: Path) -> Extraction:
    """Every page of a PNG, JPEG or TIFF image, read by OCR."""
    if not ocr.available():
        raise ExtractionError(f"the image cannot be read: {ocr.NOT_INSTALLED}")
    try:
        text = ocr.read_image(path)
    except ocr.OCRError as exc:
        raise ExtractionError(str(exc)) from exc
    if not text.strip():
        raise ExtractionError("OCR found no text in the image")
    return Extraction(text, ocr=True)
