"""Content-based type detection and display-filename cleaning (repository.knowledge.sniff), on real files."""

from __future__ import annotations

import shutil
import zipfile

import filefactory as ff
import pytest

from repository.knowledge.sniff import ALLOWED_TYPES
from repository.knowledge.sniff import CSV
from repository.knowledge.sniff import DOCX
from repository.knowledge.sniff import EXTENSIONS
from repository.knowledge.sniff import MAX_FILENAME_CHARS
from repository.knowledge.sniff import ODP
from repository.knowledge.sniff import ODS
from repository.knowledge.sniff import ODT
from repository.knowledge.sniff import PDF
from repository.knowledge.sniff import PPTX
from repository.knowledge.sniff import TXT
from repository.knowledge.sniff import XLSX
from repository.knowledge.sniff import UnsupportedType
from repository.knowledge.sniff import safe_filename
from repository.knowledge.sniff import sniff_file

GOOD = {
    "pdf": (lambda p: ff.make_pdf(p, ["Protection cluster minutes"]), PDF),
    "docx": (lambda p: ff.make_docx(p, ["Minutes"], [["a", "b"]]), DOCX),
    "xlsx": (lambda p: ff.make_xlsx(p, [["site", "cases"], ["Sabha", 3]]), XLSX),
    "pptx": (lambda p: ff.make_pptx(p, [["Title", "Body"]]), PPTX),
    "odt": (lambda p: ff.make_odt(p, ["Heading", "Body"]), ODT),
    "ods": (lambda p: ff.make_ods(p, [["site", "cases"], ["Sabha", "3"]]), ODS),
    "odp": (lambda p: ff.make_odp(p, [["Slide one"]]), ODP),
    "txt": (lambda p: ff.make_txt(p, "Plain meeting notes\nsecond line\n"), TXT),
    "csv": (
        lambda p: ff.make_csv(p, [["name", "site", "count"], ["Ali", "Sabha", 3], ["Mona", "Tripoli", 5]]),
        CSV,
    ),
}


@pytest.mark.parametrize("kind", sorted(GOOD))
def test_every_allowed_type_is_detected(tmp_path, kind):
    build, expected = GOOD[kind]
    path = build(tmp_path / f"sample.{kind}")
    assert sniff_file(path) == expected
    assert expected in ALLOWED_TYPES
    assert EXTENSIONS[expected] == kind


def test_allowed_types_and_extensions_agree():
    assert set(ALLOWED_TYPES) == set(EXTENSIONS)
    assert len(ALLOWED_TYPES) == 12


@pytest.mark.parametrize("kind", sorted(GOOD))
def test_the_name_is_ignored(tmp_path, kind):
    build, expected = GOOD[kind]
    real = build(tmp_path / f"real.{kind}")
    disguised = tmp_path / "renamed.exe"
    shutil.copyfile(real, disguised)
    assert sniff_file(disguised) == expected


def test_pdf_renamed_docx_is_still_pdf(tmp_path):
    pdf = ff.make_pdf(tmp_path / "a.pdf", ["hello"])
    renamed = tmp_path / "a.docx"
    pdf.rename(renamed)
    assert sniff_file(renamed) == PDF


def test_docx_renamed_pdf_is_still_docx(tmp_path):
    docx = ff.make_docx(tmp_path / "a.docx", ["hello"])
    renamed = tmp_path / "a.pdf"
    docx.rename(renamed)
    assert sniff_file(renamed) == DOCX


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("تقرير الحماية\nسبها\n", "utf-8"),
        ("Notes with BOM\n", "utf-8-sig"),
        ("UTF-16 notes تقرير\n", "utf-16"),
        ("UTF-16 big endian\n", "utf-16-be"),
    ],
)
def test_text_encodings_accepted(tmp_path, text, encoding):
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path = tmp_path / "notes.txt"
    path.write_bytes(data)
    assert sniff_file(path) == TXT


def test_arabic_csv_detected(tmp_path):
    path = ff.make_csv(tmp_path / "a.csv", [["الاسم", "الموقع", "العدد"], ["علي", "سبها", 3], ["منى", "طرابلس", 5]])
    assert sniff_file(path) == CSV


def test_empty_file_refused(tmp_path):
    with pytest.raises(UnsupportedType) as info:
        sniff_file(ff.make_empty(tmp_path / "empty.pdf"))
    assert info.value.message == "empty file"
    assert str(info.value) == "empty file"


HOSTILE = {
    "html_as_pdf": ff.make_html_as_pdf,
    "polyglot_html_pdf": ff.make_polyglot_html_pdf,
    "svg": ff.make_svg,
    "js": ff.make_js,
    "exe": ff.make_exe,
    "gif": ff.make_gif,
    "png_signature_but_not_png": lambda p: _write(p, b"\x89PNX\r\n\x1a\n" + b"\0" * 64),
    "zip": ff.make_zip,
    "xml": ff.make_xml,
    "macro_docx": ff.make_macro_docx,
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_types_refused(tmp_path, kind):
    path = HOSTILE[kind](tmp_path / "upload.pdf")
    with pytest.raises(UnsupportedType) as info:
        sniff_file(path)
    assert info.value.message
    assert info.value.mime != PDF or kind == "polyglot_html_pdf"


def test_polyglot_reported_as_pdf_by_libmagic_is_refused(tmp_path):
    import magic

    path = ff.make_polyglot_html_pdf(tmp_path / "x.pdf")
    assert magic.from_file(str(path), mime=True) == PDF  # the libmagic behaviour this guards against
    with pytest.raises(UnsupportedType) as info:
        sniff_file(path)
    assert info.value.mime == PDF
    assert "%PDF-" in info.value.message


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def test_exe_and_gif_report_detected_mime(tmp_path):
    with pytest.raises(UnsupportedType) as info:
        sniff_file(ff.make_exe(tmp_path / "x.exe"))
    assert "executable" in info.value.mime or "dosexec" in info.value.mime
    with pytest.raises(UnsupportedType) as info:
        sniff_file(ff.make_gif(tmp_path / "x.gif"))
    assert info.value.mime == "image/gif" and info.value.message == "Image files are not accepted"


def test_scans_and_photographs_are_accepted_by_content(tmp_path):
    """PNG, JPEG and TIFF (read by OCR) are typed by their bytes, whatever they are called."""
    from PIL import Image

    image = Image.new("L", (8, 8), 255)
    for fmt, mime in (("PNG", "image/png"), ("JPEG", "image/jpeg"), ("TIFF", "image/tiff")):
        path = tmp_path / f"scan-{fmt}.pdf"
        image.save(path, fmt)
        assert sniff_file(path) == mime, fmt


@pytest.mark.parametrize(
    "data",
    [
        b"caf\xe9 au lait\n",  # Latin-1, not UTF-8
        b"abc\x00def\nmore text here\n",  # NUL
        "text with nul\x00 inside\n".encode("utf-16"),
    ],
)
def test_bad_text_refused(tmp_path, data):
    path = tmp_path / "notes.txt"
    path.write_bytes(data)
    with pytest.raises(UnsupportedType):
        sniff_file(path)


def test_truncated_docx_refused(tmp_path):
    whole = ff.make_docx(tmp_path / "a.docx", ["hello " * 500]).read_bytes()
    cut = tmp_path / "cut.docx"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(UnsupportedType):
        sniff_file(cut)


def test_zip_with_foreign_mimetype_refused(tmp_path):
    path = ff.make_zip(tmp_path / "book.odt", {"mimetype": b"application/epub+zip", "content.xml": b"<x/>"})
    with pytest.raises(UnsupportedType):
        sniff_file(path)


def test_odf_mimetype_decides_between_odf_types(tmp_path):
    odt = ff.make_odt(tmp_path / "a.odt", ["x"])
    forged = tmp_path / "forged.ods"
    with zipfile.ZipFile(odt) as source, zipfile.ZipFile(forged, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "mimetype":
                data = ODS.encode()
            target.writestr(info, data)
    assert sniff_file(forged) == ODS


def test_bombs_are_still_their_type(tmp_path):
    # Zip-bomb limits belong to extraction; the sniffer must not inflate anything to decide.
    assert sniff_file(ff.make_docx_bomb(tmp_path / "bomb.docx")) == DOCX
    assert sniff_file(ff.make_pdf_stream_bomb(tmp_path / "bomb.pdf")) == PDF


def test_missing_file_is_unsupported(tmp_path):
    with pytest.raises(UnsupportedType):
        sniff_file(tmp_path / "does-not-exist.pdf")


# --------------------------------------------------------------------------------------------------------------
# safe_filename
# --------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "ext", "expected"),
    [
        ("../../etc/passwd", "pdf", "passwd.pdf"),
        ("..\\..\\Windows\\system32\\evil.pdf", "pdf", "evil.pdf"),
        ("/absolute/path/report.pdf", "pdf", "report.pdf"),
        ("report\r\nSet-Cookie: x=1.pdf", "pdf", "reportSet-Cookie_ x=1.pdf"),
        ("minutes\x00.pdf.html", "pdf", "minutes.pdf.html.pdf"),
        ("evil\u202egpj.pdf", "pdf", "evilgpj.pdf"),
        ("\u2066\u200fname\u2069\u061c\u200e.pdf", "pdf", "name.pdf"),
        ("a\u200bb\ufeff.docx", "docx", "ab.docx"),
        ("  lots \t of   space .pdf", "pdf", "lots of space .pdf"),
        ("...hidden.pdf", "pdf", "hidden.pdf"),
        ("--rf.pdf", "pdf", "rf.pdf"),
        ("Report.PDF", "pdf", "Report.PDF"),
        ("notes.csv", "txt", "notes.csv"),
        ("table.txt", "csv", "table.txt"),
        ("slides", "pptx", "slides.pptx"),
        ("تقرير الحماية.pdf", "pdf", "تقرير الحماية.pdf"),
        ("报告.docx", "docx", "报告.docx"),
        ("", "pdf", "document.pdf"),
        (None, "docx", "document.docx"),
        ("..", "pdf", "document.pdf"),
        ("../", "xlsx", "document.xlsx"),
        ("\u202e\u200f", "odt", "document.odt"),
        (" . - ", ".csv", "document.csv"),
        ('a<b>c:d"e|f?g*h.pdf', "pdf", "a_b_c_d_e_f_g_h.pdf"),
    ],
)
def test_safe_filename(raw, ext, expected):
    assert safe_filename(raw, ext) == expected


def test_safe_filename_nfc():
    decomposed = "cafe\u0301.pdf"
    assert safe_filename(decomposed, "pdf") == "caf\u00e9.pdf"


def test_safe_filename_caps_length_and_keeps_extension():
    name = safe_filename("x" * 5000 + ".docx", "docx")
    assert len(name) == MAX_FILENAME_CHARS
    assert name.endswith(".docx")
    arabic = safe_filename("تقرير " * 1000 + ".pdf", "pdf")
    assert len(arabic) <= MAX_FILENAME_CHARS
    assert arabic.startswith("تقرير تقرير")
    assert arabic.endswith(".pdf")


def test_safe_filename_without_extension_matching():
    assert safe_filename("../../etc/passwd", "pdf", match_ext=False) == "passwd"
    assert safe_filename("evil.html", "pdf", match_ext=False) == "evil.html"


@pytest.mark.parametrize("raw", ["a\u0085b.pdf", "a\u2028b.pdf", "a\x7fb.pdf", "a\x9bb.pdf", "a\x1bb.pdf"])
def test_safe_filename_never_contains_controls(raw):
    import unicodedata

    name = safe_filename(raw, "pdf")
    assert all(unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp") for c in name)
    assert name.endswith(".pdf")


@pytest.mark.parametrize("name", ["notes.js", "page.HTML", "drawing.svg", "data.xml", "setup.exe", "run.bat",
                                  "report.pdf.exe", "script.ps1", "page.htm. ", "tool.sh"])
def test_names_of_active_content_are_refused_whatever_the_bytes(tmp_path, name):
    path = ff.make_txt(tmp_path / "upload.bin", "Plain words of a field report.")
    assert sniff_file(path) == TXT
    with pytest.raises(UnsupportedType) as info:
        sniff_file(path, filename=name)
    assert "not accepted" in info.value.message and info.value.message.startswith(".")


@pytest.mark.parametrize("name", ["report.txt", "report.exe.txt", "minutes", "js", "notes.json.txt", None, ""])
def test_other_names_leave_the_decision_to_the_content(tmp_path, name):
    path = ff.make_txt(tmp_path / "upload.bin", "Plain words of a field report.")
    assert sniff_file(path, filename=name) == TXT
