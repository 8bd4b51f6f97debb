"""Optical character recognition of scanned pages and photographs, in Arabic and English, with Tesseract.

Tesseract (Debian ``tesseract-ocr`` with ``tesseract-ocr-ara`` and ``tesseract-ocr-eng``) runs as one
``tesseract stdin stdout`` process per page, started by the extraction worker, so it inherits the worker's memory,
CPU and file-size limits, and killed after :data:`PAGE_SECONDS`. The page goes in through a pipe as PNG and the text
comes back through another: nothing is written to disk. (pytesseract, the usual wrapper, passes images and text
through temporary files, which the worker may not write, and which would leave copies of confidential scans in
``/tmp``; its other services, output formats and configuration parsing, are not needed here.)
PDF pages are rendered by PDFium (already used for the text layer) and images read by Pillow, each with a cap on
its pixels so that a small file cannot expand into gigabytes.

Pure functions of a file; run them only inside an extraction worker (see :mod:`indexer.pool`).
"""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

#: Tesseract's language models, Arabic first (its script detection then prefers it on mixed pages).
LANGUAGES = "ara+eng"
#: Pages of one file read by OCR at most (a scanned book would otherwise hold a worker for an hour).
MAX_PAGES = 40
#: Wall-clock limit of one page's recognition.
PAGE_SECONDS = 40
#: PDF pages are rendered at this resolution (Tesseract reads printed text best at about 300 dpi).
RENDER_DPI = 300
#: Largest image recognised, in pixels (a 300 dpi A3 page is about 17 million); larger ones are scaled down.
MAX_PIXELS = 25_000_000
#: Larger images are refused outright, before decoding (a decompression bomb).
REFUSE_PIXELS = 200_000_000
#: A page whose text layer has fewer letters or digits than this is treated as a scan.
MIN_TEXT_CHARS = 20
#: The reason users see for a scan that cannot be read because Tesseract is missing.
NOT_INSTALLED = "OCR is not installed on this server"


class OCRError(Exception):
    """The image cannot be read; the message is a short reason for people."""


@functools.cache
def _tesseract() -> str | None:
    return shutil.which("tesseract")


@functools.cache
def available() -> bool:
    """Whether Tesseract and both language models are installed."""
    program = _tesseract()
    if program is None:
        return False
    try:
        listed = subprocess.run(  # noqa: S603 - a fixed argv, no shell
            [program, "--list-langs"], capture_output=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    languages = {line.strip() for line in listed.stdout.decode("utf-8", "replace").splitlines()}
    return listed.returncode == 0 and {"ara", "eng"} <= languages


def has_text(text: str) -> bool:
    """Whether a page's text layer holds real text (not a scan with a stray header or page number)."""
    return sum(ch.isalnum() for ch in text) >= MIN_TEXT_CHARS


def recognise(image) -> str:
    """The text of one PIL image (scaled down to :data:`MAX_PIXELS` first)."""
    program = _tesseract()
    if program is None:
        raise OCRError("OCR is not installed")
    pixels = image.width * image.height
    if pixels > MAX_PIXELS:
        scale = (MAX_PIXELS / pixels) ** 0.5
        image = image.resize((max(1, int(image.width * scale)), max(1, int(image.height * scale))))
    if image.mode not in ("1", "L", "RGB"):
        image = image.convert("RGB")
    encoded = io.BytesIO()
    image.save(encoded, "PNG")
    try:
        done = subprocess.run(  # noqa: S603 - a fixed argv, no shell; the image goes through stdin
            [program, "stdin", "stdout", "-l", LANGUAGES],
            input=encoded.getvalue(),
            capture_output=True,
            timeout=PAGE_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:  # the child is killed by subprocess.run
        raise OCRError(f"reading a page took longer than {PAGE_SECONDS} seconds") from exc
    except OSError as exc:
        raise OCRError("OCR could not be started") from exc
    if done.returncode != 0:
        raise OCRError("the image could not be read by OCR")
    return done.stdout.decode("utf-8", "replace")


def image_frames(path: Path) -> Iterator:
    """The frames (pages) of an image file, at most :data:`MAX_PAGES`, as PIL images."""
    from PIL import Image
    from PIL import ImageSequence
    from PIL import UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = REFUSE_PIXELS // 2  # Pillow refuses twice this, warns above it
    try:
        with Image.open(path) as image:
            for number, frame in enumerate(ImageSequence.Iterator(image)):
                if number >= MAX_PAGES:
                    break
                frame.load()
                yield frame.copy()
    except Image.DecompressionBombError as exc:
        raise OCRError("the image is too large") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise OCRError("the image is damaged or not an image") from exc


def read_image(path: Path) -> str:
    """The text of every page of an image file (PNG, JPEG, TIFF), pages separated by a blank line."""
    return "\n\n".join(recognise(frame) for frame in image_frames(path)).strip()


def read_pdf_page(page) -> str:
    """The text of one PDFium page, rendered and recognised."""
    width, height = page.get_size()
    scale = RENDER_DPI / 72
    if width * height * scale * scale > REFUSE_PIXELS:
        scale = (MAX_PIXELS / (width * height)) ** 0.5
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        return recognise(bitmap.to_pil())
    finally:
        bitmap.close()
