"""Text extraction (indexer.extract) and the resource-limited worker process around it (indexer.pool)."""

from __future__ import annotations

import time
import zipfile

import filefactory as ff
import pytest

from indexer.extract import EXTRACTORS
from indexer.extract import extract_text
from indexer.extractors.base import MAX_TEXT_CHARS
from indexer.extractors.base import ExtractionError
from indexer.extractors.base import normalise_text
from indexer.extractors.containers import MAX_ZIP_MEMBERS
from indexer.pool import PoolResult
from indexer.pool import extract_once
from repository.knowledge.sniff import ALLOWED_TYPES
from repository.knowledge.sniff import CSV
from repository.knowledge.sniff import DOCX
from repository.knowledge.sniff import ODP
from repository.knowledge.sniff import ODS
from repository.knowledge.sniff import ODT
from repository.knowledge.sniff import PDF
from repository.knowledge.sniff import PPTX
from repository.knowledge.sniff import TXT
from repository.knowledge.sniff import XLSX
from repository.knowledge.sniff import sniff_file

ARABIC = ["محضر اجتماع مجموعة الحماية في سبها", "ناقش المشاركون أوضاع النازحين في الجنوب"]

SAMPLES = {
    "pdf": (
        PDF,
        lambda p: ff.make_pdf(p, ["Protection cluster minutes from Sabha.", "Referral pathways were reviewed."]),
        ["Protection", "Sabha", "Referral pathways"],
    ),
    "docx": (
        DOCX,
        lambda p: ff.make_docx(
            p, ["Monitoring report for Ubari", "Shelter needs increased."], [["District", "Cases"], ["Murzuq", "17"]]
        ),
        ["Ubari", "Shelter needs", "Murzuq\t17", "District"],
    ),
    "xlsx": (
        XLSX,
        lambda p: ff.make_xlsx(
            p, [["District", "Cases", "Ratio"], ["Ghat", 12, 0.5], ["Kufra", 7.0, None]], "Caseload"
        ),
        ["Caseload", "District\tCases\tRatio", "Ghat\t12\t0.5", "Kufra\t7"],
    ),
    "pptx": (
        PPTX,
        lambda p: ff.make_pptx(p, [["Briefing on Derna", "Water access"], ["Next steps", "Mobile teams"]]),
        ["Briefing on Derna", "Water access", "Mobile teams"],
    ),
    "odt": (
        ODT,
        lambda p: ff.make_odt(p, ["Assessment in Tawergha", "Families returned in spring."]),
        ["Tawergha", "Families returned"],
    ),
    "ods": (
        ODS,
        lambda p: ff.make_ods(p, [["Site", "Households"], ["Zliten", "40"]], "Returns"),
        ["Returns", "Site\tHouseholds", "Zliten\t40"],
    ),
    "odp": (
        ODP,
        lambda p: ff.make_odp(p, [["Coordination meeting Misrata"], ["Gaps in legal aid"]]),
        ["Misrata", "legal aid"],
    ),
    "txt": (
        TXT,
        lambda p: ff.make_txt(p, "Field notes from Gharyan\r\nchild protection\n"),
        ["Gharyan", "child protection"],
    ),
    "csv": (
        CSV,
        lambda p: ff.make_csv(p, [["name", "site"], ["Ali", "Sirte"], ["Mona", "Tobruk"]]),
        ["Sirte", "Tobruk", "Mona,Tobruk"],
    ),
}


def test_registry_covers_every_allowed_type():
    assert set(EXTRACTORS) == set(ALLOWED_TYPES)


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_each_format_recovers_its_words(tmp_path, kind):
    mime, build, words = SAMPLES[kind]
    path = build(tmp_path / f"sample.{kind}")
    assert sniff_file(path) == mime
    text = extract_text(path, mime)
    for word in words:
        assert word in text
    assert "\r" not in text


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_each_format_through_the_sandbox(tmp_path, kind):
    mime, build, words = SAMPLES[kind]
    path = build(tmp_path / f"sample.{kind}")
    result = extract_once(path, mime)
    assert result == PoolResult(extract_text(path, mime), "ok", None)
    assert all(word in result.text for word in words)


def test_arabic_pdf_in_logical_order(tmp_path):
    path = ff.make_arabic_pdf(tmp_path / "ar.pdf", ARABIC)
    result = extract_once(path, PDF)
    assert result.status == "ok", result.reason
    assert "سبها" in result.text
    assert ARABIC[0] in result.text
    assert "النازحين" in result.text
    assert not any(c in result.text for c in "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def test_docx_header_and_nested_order(tmp_path):
    import docx

    path = tmp_path / "h.docx"
    document = docx.Document()
    document.add_paragraph("First paragraph")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "left cell"
    table.cell(0, 1).text = "right cell"
    document.add_paragraph("Last paragraph")
    document.sections[0].header.paragraphs[0].text = "Confidential header"
    document.save(str(path))
    text = extract_text(path, DOCX)
    assert text.index("First paragraph") < text.index("left cell\tright cell") < text.index("Last paragraph")
    assert "Confidential header" in text


def test_text_fallbacks(tmp_path):
    latin1 = tmp_path / "l.txt"
    latin1.write_bytes("café crème\n".encode("latin-1"))
    assert extract_text(latin1, TXT) == "café crème"
    utf16 = ff.make_txt(tmp_path / "u.txt", "تقرير الحماية\nsecond\n", "utf-16")
    assert extract_text(utf16, TXT) == "تقرير الحماية\nsecond"
    bom = ff.make_txt(tmp_path / "b.txt", "\ufeffwith bom\n".removeprefix("\ufeff"), "utf-8-sig")
    assert extract_text(bom, TXT) == "with bom"


def test_normalisation():
    raw = (
        "\u202bمحضر\u202c \u200fسبها\u200e\x00\x01\x1b"
        "\r\n\r\n\r\n\r\n"
        "cafe\u0301   \n\n\n\n\x0cnext\u2066page\u2069\t tab"
        "\ufefb \ufb01le"
    )
    text = normalise_text(raw)
    assert text.startswith("محضر سبها\n\ncafé\n\nnextpage\t tab")
    assert "لا" in text  # U+FEFB (lam-alef ligature) decomposed
    assert text.endswith("file")
    assert "\n\n\n" not in text
    assert not any(ord(c) < 32 and c not in "\n\t" for c in text)


def test_text_is_capped(tmp_path):
    path = ff.make_txt(tmp_path / "big.txt", ("word " * 100 + "\n") * 5000)
    text = extract_text(path, TXT)
    assert len(text) == MAX_TEXT_CHARS


def test_unknown_type_refused(tmp_path):
    path = ff.make_txt(tmp_path / "x.html", "<p>x</p>")
    with pytest.raises(ExtractionError, match="no text extractor"):
        extract_text(path, "text/html")


def test_image_only_pdf_has_no_text_layer(tmp_path):
    path = ff.make_image_only_pdf(tmp_path / "scan.pdf")
    with pytest.raises(ExtractionError, match=r"no text layer \(scanned PDF\?\)"):
        extract_text(path, PDF)
    assert extract_once(path, PDF) == PoolResult("", "unavailable", "no text layer (scanned PDF?)")


def test_encrypted_pdf_in_process(tmp_path):
    with pytest.raises(ExtractionError, match="the PDF is encrypted"):
        extract_text(ff.make_encrypted_pdf(tmp_path / "e.pdf"), PDF)


# --------------------------------------------------------------------------------------------------------------
# Zip containers and XML
# --------------------------------------------------------------------------------------------------------------


def test_docx_bomb_refused_before_parsing(tmp_path):
    path = ff.make_docx_bomb(tmp_path / "bomb.docx")
    started = time.monotonic()
    with pytest.raises(ExtractionError, match="zip bomb|expands to more than"):
        extract_text(path, DOCX)
    assert time.monotonic() - started < 1


def test_zip_member_traversal_refused(tmp_path):
    with pytest.raises(ExtractionError, match="unsafe member name"):
        extract_text(ff.make_zip_traversal_docx(tmp_path / "t.docx"), DOCX)


def test_too_many_members_refused(tmp_path):
    path = ff.make_docx(tmp_path / "many.docx", ["x"])
    with zipfile.ZipFile(path, "a") as archive:
        for i in range(MAX_ZIP_MEMBERS):
            archive.writestr(f"extra/item{i}.xml", b"")
    with pytest.raises(ExtractionError, match="more than 10,000 members"):
        extract_text(path, DOCX)


def test_expanded_size_limit_without_a_large_member(tmp_path):
    # 21 members of exactly 10 MiB: none is large enough for the ratio rule, only the 200 MiB total applies.
    path = ff.make_docx(tmp_path / "wide.docx", ["x"])
    blob = bytes(10 * 1024 * 1024)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for i in range(21):
            archive.writestr(f"word/media/blob{i}.bin", blob)
    with pytest.raises(ExtractionError, match="expands to more than 200 MiB"):
        extract_text(path, DOCX)


@pytest.mark.parametrize(("kind", "mime"), [("docx", DOCX), ("xlsx", XLSX), ("pptx", PPTX), ("odt", ODT)])
def test_xml_external_entities_are_not_resolved(tmp_path, kind, mime):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRETCANARY")
    path = ff.make_xxe_document(tmp_path / f"xxe.{kind}", kind, secret)
    try:
        text = extract_text(path, mime)
    except ExtractionError:
        return  # refusing the document is fine too
    assert "TOPSECRETCANARY" not in text
    assert "before" in text


# --------------------------------------------------------------------------------------------------------------
# Hostile files through the sandbox
# --------------------------------------------------------------------------------------------------------------


def _sandboxed(path, mime, **limits) -> tuple[PoolResult, float]:
    started = time.monotonic()
    result = extract_once(path, mime, **limits)
    return result, time.monotonic() - started


@pytest.mark.parametrize(
    ("builder", "mime", "reason"),
    [
        (ff.make_pdf_stream_bomb, PDF, "extraction needed more than 768 MB of memory"),
        (ff.make_docx_bomb, DOCX, "zip bomb"),
        (ff.make_encrypted_pdf, PDF, "the PDF is encrypted"),
        (ff.make_truncated_pdf, PDF, "the PDF is damaged or not a PDF"),
        (ff.make_malformed_pdf, PDF, "the PDF is damaged or not a PDF"),
        (ff.make_polyglot_html_pdf, PDF, "the PDF is damaged or not a PDF"),
        (ff.make_png, DOCX, "not a readable zip container"),
    ],
    ids=["pdf-stream-bomb", "docx-bomb", "encrypted", "truncated", "malformed", "polyglot", "png-as-docx"],
)
def test_hostile_files_are_unavailable_not_errors(tmp_path, builder, mime, reason):
    path = builder(tmp_path / "hostile.bin")
    result, elapsed = _sandboxed(path, mime)
    assert result.status == "unavailable"
    assert result.text == ""
    assert reason in result.reason
    assert elapsed < 20


def test_wall_clock_timeout(tmp_path):
    path = ff.make_pdf(tmp_path / "a.pdf", ["ordinary"])
    result, elapsed = _sandboxed(path, PDF, timeout=0.05)
    assert result == PoolResult("", "unavailable", "extraction took longer than 0.05 s")
    assert elapsed < 2


def test_cpu_limit(tmp_path):
    path = ff.make_many_tj_pdf(tmp_path / "tj.pdf", 5_000_000)  # about 5 s of CPU unlimited, well over the limit
    result, elapsed = _sandboxed(path, PDF, cpu_seconds=1, memory_mb=3072)
    assert result.status == "unavailable"
    assert result.reason == "extraction used more than 1 s of CPU time"
    assert elapsed < 10


def test_missing_file_and_unknown_type(tmp_path):
    missing = extract_once(tmp_path / "nope.pdf", PDF)
    assert missing.status == "unavailable" and missing.reason
    unknown = extract_once(ff.make_txt(tmp_path / "a.txt", "x"), "text/html")
    assert unknown == PoolResult("", "unavailable", "no text extractor for 'text/html'")
