"""Decide what an uploaded file *is* from its bytes, and clean the client's filename for display.

The type comes from the content only (libmagic plus a structural check), never from the name or the client's
``Content-Type``. libmagic alone is not enough:

* an HTML/PDF polyglot (``<html>…</html>\\n%PDF-1.4``) is reported as ``application/pdf``, so a PDF must start
  with ``%PDF-`` at byte 0;
* OOXML and ODF files are zip archives and libmagic sometimes answers ``application/zip`` or
  ``application/octet-stream``, so the zip's central directory is read and the document part that defines the
  format (``word/document.xml``, ``xl/workbook.xml``, ``ppt/presentation.xml``, or the ODF ``mimetype`` member)
  must be present; an archive of anything else is refused, and so are macro-enabled Office files;
* text is accepted only as UTF-8 (optional BOM) or UTF-16 with a BOM, without NUL characters.

Nothing here decompresses archive members beyond the few bytes of an ODF ``mimetype`` member: zip-bomb limits
are enforced at extraction time (``indexer.extract``), which runs in a resource-limited subprocess.

This module is pure (standard library, python-magic and the MIME table of ``indexer.formats``); it does not import
Flask.
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
import zipfile
from pathlib import Path

import magic

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

#: Canonical MIME type -> short human label.
ALLOWED_TYPES: dict[str, str] = {
    PDF: "PDF",
    DOCX: "Word document",
    XLSX: "Excel workbook",
    PPTX: "PowerPoint presentation",
    ODT: "OpenDocument text",
    ODS: "OpenDocument spreadsheet",
    ODP: "OpenDocument presentation",
    TXT: "plain text",
    CSV: "CSV",
    PNG: "PNG image",
    JPEG: "JPEG image",
    TIFF: "TIFF image",
}

#: Canonical MIME type -> file extension (without the dot), used for fallback and corrected names.
EXTENSIONS: dict[str, str] = {
    PDF: "pdf",
    DOCX: "docx",
    XLSX: "xlsx",
    PPTX: "pptx",
    ODT: "odt",
    ODS: "ods",
    ODP: "odp",
    TXT: "txt",
    CSV: "csv",
    PNG: "png",
    JPEG: "jpg",
    TIFF: "tif",
}

#: Scans and photographs (read by OCR): libmagic's answer and the signature the file must start with.
_IMAGE_SIGNATURES = {
    PNG: (b"\x89PNG\r\n\x1a\n",),
    JPEG: (b"\xff\xd8\xff",),
    TIFF: (b"II*\x00", b"MM\x00*"),
}

# The member whose presence defines each OOXML format.
_OOXML_MAIN_PART = {
    DOCX: "word/document.xml",
    XLSX: "xl/workbook.xml",
    PPTX: "ppt/presentation.xml",
}
_ODF_TYPES = (ODT, ODS, ODP)
_ZIP_ANSWERS = frozenset(
    {
        "application/zip",
        "application/x-zip",
        "application/x-zip-compressed",
        "application/octet-stream",
        "application/encrypted",
        *_OOXML_MAIN_PART,
        *_ODF_TYPES,
    }
)
_TEXT_ANSWERS = {"text/plain": TXT, "text/csv": CSV, "application/csv": CSV, "text/x-csv": CSV}

_HEAD_BYTES = 8192
_TEXT_CHUNK = 1 << 20
_MAX_MIMETYPE_MEMBER = 200


class UnsupportedType(Exception):  # noqa: N818 - public name fixed by the interface
    """The file is not one of :data:`ALLOWED_TYPES` (or is empty, damaged or disguised).

    ``mime`` is what was detected (libmagic's answer, or a short pseudo-type), ``message`` a sentence that can be
    shown to the uploader.
    """

    def __init__(self, message: str, mime: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.mime = mime


#: Names that browsers, mail clients and operating systems run or render as active content, whatever the bytes: a
#: file called ``report.html`` or ``setup.exe`` is refused even when it holds plain text, so that no copy of it
#: (a download, a backup, a Dropbox export) can become a page or a program on someone's machine.
ACTIVE_EXTENSIONS = frozenset({
    "htm", "html", "xhtml", "shtml", "mht", "mhtml", "svg", "svgz", "xml", "xsl", "xslt", "hta", "chm",
    "js", "mjs", "cjs", "jse", "vbs", "vbe", "wsf", "wsh", "ps1", "psm1", "bat", "cmd", "com", "exe", "dll", "scr",
    "msi", "msp", "cpl", "lnk", "reg", "jar", "apk", "app", "dmg", "iso", "sh", "bash", "php", "phtml", "asp",
    "aspx", "jsp", "cgi", "pl", "py", "rb", "swf", "url", "desktop", "appimage",
})


def active_name(filename: str | None) -> str | None:
    """The extension of ``filename`` when it names active content (see :data:`ACTIVE_EXTENSIONS`), else None."""
    name = (filename or "").strip().rstrip(". ").lower()
    _stem, dot, extension = name.rpartition(".")
    return extension if dot and extension in ACTIVE_EXTENSIONS else None


def sniff_file(path: str | os.PathLike[str], filename: str | None = None) -> str:
    """Return the canonical MIME type of the file at ``path`` (a key of :data:`ALLOWED_TYPES`); a ``filename``
    (the uploader's) that names active content is refused first, whatever the bytes.

    Raises :class:`UnsupportedType` for everything that is not an allowed type, including empty files,
    HTML/SVG/JS/XML, executables, images other than PNG/JPEG/TIFF (or that do not start as their type does),
    archives of other things, PDFs that do not start with ``%PDF-``, unreadable zips and text that is not
    UTF-8/UTF-16.
    """
    extension = active_name(filename)
    if extension:
        raise UnsupportedType(f".{extension} files are not accepted, whatever they contain", None)
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError as exc:
        raise UnsupportedType("the file could not be read", None) from exc
    if size == 0:
        raise UnsupportedType("empty file", "inode/x-empty")

    try:
        detected = magic.from_file(str(path), mime=True) or "application/octet-stream"
    except Exception as exc:  # magic.MagicException and friends
        raise UnsupportedType("the file type could not be determined", None) from exc
    detected = detected.strip().lower()

    if detected == PDF:
        if not head.startswith(b"%PDF-"):
            raise UnsupportedType("the file is not a well-formed PDF (it does not start with %PDF-)", detected)
        return PDF

    if head.startswith(b"PK\x03\x04") and (detected in _ZIP_ANSWERS or detected.startswith("application/vnd.")):
        return _sniff_zip(path, detected)

    if detected in _IMAGE_SIGNATURES:
        if not head.startswith(_IMAGE_SIGNATURES[detected]):
            raise UnsupportedType(f"the file is not a well-formed {ALLOWED_TYPES[detected]}", detected)
        return detected

    if detected in _TEXT_ANSWERS:
        if not _is_clean_text(path, head):
            raise UnsupportedType("text files must be UTF-8 or UTF-16 (with a byte-order mark)", detected)
        return _TEXT_ANSWERS[detected]

    label = _describe(detected)
    raise UnsupportedType(f"{label} files are not accepted", detected)


def _describe(detected: str) -> str:
    known = {
        "text/html": "HTML",
        "image/svg+xml": "SVG",
        "application/javascript": "JavaScript",
        "text/javascript": "JavaScript",
        "text/xml": "XML",
        "application/xml": "XML",
        "application/zip": "ZIP archive",
        "application/x-dosexec": "Executable",
        "application/vnd.microsoft.portable-executable": "Executable",
        "application/x-executable": "Executable",
    }
    if detected in known:
        return known[detected]
    if detected.startswith("image/"):
        return "Image"
    return f"'{detected}'"


def _sniff_zip(path: Path, detected: str) -> str:
    """Map a zip container to an OOXML/ODF type by the members it holds (no member is decompressed)."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = {info.filename: info for info in archive.infolist()}
            mimetype_info = infos.get("mimetype")
            if mimetype_info is not None:
                if mimetype_info.file_size > _MAX_MIMETYPE_MEMBER:
                    raise UnsupportedType("the archive is not an OpenDocument file", detected)
                declared = archive.read(mimetype_info).decode("ascii", "replace").strip()
                if declared in _ODF_TYPES and "content.xml" in infos:
                    return declared
                raise UnsupportedType("the archive is not a supported OpenDocument file", detected)
    except UnsupportedType:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise UnsupportedType("the file is a damaged or unreadable archive", detected) from exc
    except RuntimeError as exc:  # encrypted "mimetype" member
        raise UnsupportedType("encrypted archives are not accepted", detected) from exc

    if any(name.lower().endswith("vbaproject.bin") for name in infos):
        raise UnsupportedType("macro-enabled Office documents are not accepted", detected)
    if "[Content_Types].xml" not in infos:
        raise UnsupportedType("ZIP archive files are not accepted", detected)
    candidates = [mime for mime, part in _OOXML_MAIN_PART.items() if part in infos]
    if len(candidates) == 1:
        return candidates[0]
    if detected in candidates:
        return detected
    raise UnsupportedType("ZIP archive files are not accepted", detected)


def _is_clean_text(path: Path, head: bytes) -> bool:
    """UTF-8 (optional BOM) or UTF-16 with BOM, decoded over the whole file, with no NUL character."""
    if head.startswith(codecs.BOM_UTF8):
        encoding, skip = "utf-8", len(codecs.BOM_UTF8)
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, skip = "utf-16", 0  # the utf-16 codec reads and drops the BOM itself
    else:
        encoding, skip = "utf-8", 0
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        with path.open("rb") as handle:
            handle.seek(skip)
            while chunk := handle.read(_TEXT_CHUNK):
                if "\x00" in decoder.decode(chunk):
                    return False
            return "\x00" not in decoder.decode(b"", final=True)
    except (UnicodeDecodeError, OSError):
        return False


# --------------------------------------------------------------------------------------------------------------
# Display filenames
# --------------------------------------------------------------------------------------------------------------

MAX_FILENAME_CHARS = 200
_MAX_EXT_CHARS = 16
# Characters Windows refuses in file names (a downloaded file keeps this name).
_RESERVED = str.maketrans({c: "_" for c in '<>:"|?*'})
_EXT_RE = re.compile(r"\.([^\W_]{1,16})$")
# Extensions that may stand for the same type; anything else gets the right extension appended.
_EXT_ALIASES = {
    "txt": {"txt", "text", "csv", "tsv", "md", "log"},
    "csv": {"csv", "txt", "tsv"},
    "jpg": {"jpg", "jpeg", "jpe"},
    "tif": {"tif", "tiff"},
}


def safe_filename(name: str | None, fallback_ext: str, *, match_ext: bool = True) -> str:
    """Clean the client's filename for use as display metadata and as a download name.

    NFC-normalised; path components (``/`` and ``\\``) dropped; control characters (C0, C1, DEL, CR/LF),
    Unicode format characters (bidi controls such as U+202E, U+2066–U+2069, U+200E/F, U+061C, zero-width
    characters, BOM) and surrogates removed; whitespace collapsed to single spaces; ``<>:"|?*`` replaced with
    ``_``; leading dots, hyphens and spaces stripped; letters of every script kept. At most
    :data:`MAX_FILENAME_CHARS` characters, shortened in the stem so the extension survives. When nothing is left
    the name is ``document.<fallback_ext>``.

    With ``match_ext`` (the default) a name whose extension does not fit ``fallback_ext`` (the extension of the
    sniffed type, see :data:`EXTENSIONS`) gets it appended, so ``evil.html`` holding a PDF becomes
    ``evil.html.pdf`` and a downloaded file never opens in the wrong program.

    The result is never a path: store files under generated names and use this only as metadata.
    """
    ext = (fallback_ext or "").strip().lstrip(".").lower()
    text = unicodedata.normalize("NFC", name or "")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char.isspace() or category in ("Zs", "Zl", "Zp"):
            # CR, LF, tab etc. are control characters: drop them; every other space becomes a plain space.
            kept.append("" if category == "Cc" else " ")
        elif category in ("Cc", "Cf", "Cs", "Cn"):
            continue
        else:
            kept.append(char)
    text = " ".join("".join(kept).split())
    text = text.translate(_RESERVED)
    text = text.lstrip(". -").rstrip(" .")

    if match_ext and ext and text:
        current = _EXT_RE.search(text)
        current_ext = current.group(1).lower() if current else ""
        if current_ext not in _EXT_ALIASES.get(ext, {ext}):
            text = f"{text}.{ext}"

    if len(text) > MAX_FILENAME_CHARS:
        match = _EXT_RE.search(text)
        suffix = match.group(0) if match and len(match.group(0)) <= _MAX_EXT_CHARS + 1 else ""
        stem = text[: MAX_FILENAME_CHARS - len(suffix)]
        # Do not leave a dangling combining mark, space or dot at the cut.
        while stem and (unicodedata.combining(stem[-1]) or stem[-1] in " ."):
            stem = stem[:-1]
        text = (stem + suffix).lstrip(". -")
        text = text[:MAX_FILENAME_CHARS]

    if not text or text.startswith(".") or not text.strip(". -_"):
        return f"document.{ext}" if ext else "document"
    return text
