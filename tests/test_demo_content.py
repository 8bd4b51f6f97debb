"""The demo content: every document renders to a file its reading library opens, and the data make
sense (codes from the taxonomy's demo subset, uploaders from the right organisation, every state and
level shown)."""

from __future__ import annotations

import re

import openpyxl
import pypdfium2
import pytest
from docx import Document

from repository import protocol
from repository.demo import content as demo_content
from repository.demo import generate
from repository.demo.content import DEMO_DOCUMENTS
from repository.demo.content import DEMO_ORGS
from repository.demo.content import DEMO_USERS
from repository.demo.content import LEVELS
from repository.demo.content import DemoDocument
from repository.demo.generate import render

ALLOWED_CODES = {
    "doc_type:meeting_minutes", "doc_type:situation_report", "doc_type:assessment",
    "doc_type:protection_monitoring_report", "doc_type:concept_note", "doc_type:training_report",
    "doc_type:dataset", "doc_type:analysis",
    "sector:protection", "sector:gbv", "sector:child_protection", "sector:hlp", "sector:mine_action",
    "theme:detention", "theme:durable_solutions", "theme:civil_documentation", "theme:gbv",
    "theme:mixed_migration",
    "theme:access", "theme:freedom_of_movement", "theme:housing_land_property",
    "population:idp", "population:returnees", "population:migrants", "population:migrants_in_detention",
    "population:refugees", "population:asylum_seekers", "population:host_community",
    "location:LY", "location:LY01", "location:LY02", "location:LY03", "location:LY0101", "location:LY0103",
    "location:LY0211", "location:LY0214", "location:LY021401", "location:LY0214-tawergha", "location:LY0319",
    "location:LY0320", "location:LY0107", "location:IQ", "location:IQG09", "location:IQG15",
    "location:IQG15-sinjar", "location:IQG15-mosul", "location:IQG01", "location:IQG08", "location:IQG11",
}

USERS = {u["email"]: u for u in DEMO_USERS}
ORGS = dict(DEMO_ORGS)
ARABIC_PLACES = ("سبها", "تاورغاء")


def _words(doc: DemoDocument) -> int:
    count = len(doc.title.split())
    for kind, content in doc.body:
        if kind == "table":
            count += sum(len(str(cell).split()) for row in content for cell in row)
        else:
            count += len(content.split())
    return count


def _distinctive_word(doc: DemoDocument) -> str:
    """A long word from the body prose. Arabic words with a lam-alef ligature are skipped: pdfium extracts
    the ligature's two letters in visual order."""
    for kind, content in doc.body:
        if kind != "p":
            continue
        for word in re.findall(r"[^\W\d_]{8,}", content):
            if not re.search("ل[اأإآ]", word):
                return word
    raise AssertionError(f"no distinctive word in {doc.key}")


def _pdf_text(path) -> str:
    pdf = pypdfium2.PdfDocument(path)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def _docx_text(path) -> tuple[str, str]:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts), document.core_properties.title


@pytest.mark.parametrize("doc", DEMO_DOCUMENTS, ids=[d.key for d in DEMO_DOCUMENTS])
def test_every_document_renders_and_opens(doc, tmp_path):
    path = render(doc, tmp_path)
    assert path.parent == tmp_path and path.is_file() and path.stem == doc.key
    word = _distinctive_word(doc)
    arabic_font = generate.find_arabic_font()
    if doc.fmt == "pdf" and (doc.language == "en" or arabic_font is not None):
        assert path.suffix == ".pdf"
        text = _pdf_text(path)
        assert word in text
        if doc.language == "ar":
            assert any(place in text for place in ARABIC_PLACES)
            assert not any(place[::-1] in text for place in ARABIC_PLACES)
    elif doc.fmt in ("pdf", "docx"):
        assert path.suffix == ".docx"
        text, title = _docx_text(path)
        assert word in text
        assert title == doc.title
    else:
        assert path.suffix == ".xlsx"
        workbook = openpyxl.load_workbook(path, read_only=True)
        try:
            assert workbook.sheetnames[0] == "data" and "notes" in workbook.sheetnames
            header = next(workbook["data"].iter_rows(min_row=1, max_row=1, values_only=True))
            table = next(content for kind, content in doc.body if kind == "table")
            assert list(header) == table[0]
            assert workbook["data"].max_row == len(table)
            rows = workbook["notes"].iter_rows(values_only=True)
            notes = "\n".join(str(v) for row in rows for v in row if v)
            assert word in notes
        finally:
            workbook.close()


def test_arabic_pdf_keeps_logical_order(tmp_path):
    if generate.find_arabic_font() is None:
        pytest.skip("no TTF font with Arabic glyphs on this machine (render falls back to DOCX)")
    doc = next(d for d in DEMO_DOCUMENTS if d.language == "ar" and d.fmt == "pdf")
    text = _pdf_text(render(doc, tmp_path))
    assert "سبها" in text
    assert "مجموعة عمل الحماية" in text
    assert "اهبس" not in text  # visual (reversed) order


def test_arabic_pdf_falls_back_to_docx_without_a_font(tmp_path, monkeypatch):
    monkeypatch.setattr(generate, "find_arabic_font", lambda: None)
    doc = next(d for d in DEMO_DOCUMENTS if d.language == "ar" and d.fmt == "pdf")
    path = render(doc, tmp_path)
    assert path.suffix == ".docx"
    text, title = _docx_text(path)
    assert "سبها" in text and title == doc.title


def test_latin_pdf_replaces_characters_the_core_font_cannot_encode(tmp_path):
    doc = DemoDocument(
        key="quotes",
        title="\u201cCurly\u201d \u2013 quotes \u2014 and \u2026 dots",
        summary="s",
        published=DEMO_DOCUMENTS[0].published,
        org="PSWG",
        uploader="coordinator@pswg.example.org",
        language="en",
        fmt="pdf",
        codes=("sector:protection",),
        proposed_level="public",
        body=[
            ("h", "It\u2019s fine"),
            ("p", "Checkpoint \u2192 Tawergha"),
            ("table", [["a", "b"], ["\u2018c\u2019", "d"]]),
        ],
    )
    text = _pdf_text(render(doc, tmp_path))
    assert '"Curly" - quotes - and ... dots' in text
    assert "It's fine" in text and "Tawergha" in text


def test_documents_are_varied_and_of_realistic_length():
    keys = [d.key for d in DEMO_DOCUMENTS]
    assert len(DEMO_DOCUMENTS) >= 12 and len(set(keys)) == len(keys)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", k) for k in keys)
    for doc in DEMO_DOCUMENTS:
        assert 300 <= _words(doc) <= 900, (doc.key, _words(doc))
        assert doc.language in ("en", "ar") and doc.fmt in ("pdf", "docx", "xlsx")
        assert doc.title and doc.summary and doc.proposed_level in LEVELS
        assert all(kind in ("h", "p", "table") for kind, _ in doc.body)
        for kind, content in doc.body:
            if kind == "table":
                assert len({len(row) for row in content}) == 1, doc.key
    arabic = {d.fmt for d in DEMO_DOCUMENTS if d.language == "ar"}
    assert {"pdf", "docx"} <= arabic
    assert {d.fmt for d in DEMO_DOCUMENTS} == {"pdf", "docx", "xlsx"}


def test_codes_are_from_the_allowed_list():
    for doc in DEMO_DOCUMENTS:
        assert set(doc.codes) <= ALLOWED_CODES, (doc.key, set(doc.codes) - ALLOWED_CODES)
        assert len(set(doc.codes)) == len(doc.codes)
        assert any(c.startswith("doc_type:") for c in doc.codes)
        assert any(c.startswith("location:") for c in doc.codes)


def test_users_and_uploaders():
    assert len(USERS) == len(DEMO_USERS)
    roles = {u["role"] for u in DEMO_USERS}
    assert roles == {"partner", "staff", "coordinator", "admin"}
    assert len({u["org"] for u in DEMO_USERS if u["role"] == "partner"}) >= 2
    for user in DEMO_USERS:
        assert user["org"] in ORGS
        assert user["email"].endswith(".example.org")
    coordinator_orgs = {u["org"] for u in DEMO_USERS if u["role"] == "coordinator"}
    assert "PSWG" in coordinator_orgs
    for doc in DEMO_DOCUMENTS:
        uploader = USERS[doc.uploader]
        assert uploader["org"] == doc.org, doc.key
        assert uploader["role"] == "partner" or (uploader["role"] == "coordinator" and doc.org == "PSWG")


def test_reviews_are_valid_decisions():
    for doc in DEMO_DOCUMENTS:
        review = doc.review
        if review is None:
            continue
        keys = {"action", "level", "rationale", "risks", "benefits", "grant_orgs", "grant_users"}
        assert set(review) == keys
        assert review["action"] in ("release", "return", "withhold")
        assert review["level"] in LEVELS and review["rationale"]
        assert set(review["risks"]) <= set(protocol.RISKS), doc.key
        assert set(review["benefits"]) <= set(protocol.BENEFITS), doc.key
        assert set(review["grant_orgs"]) <= set(ORGS)
        assert set(review["grant_users"]) <= set(USERS)
        if review["action"] == "release":
            assert protocol.check_release(review["level"], review["grant_orgs"], review["grant_users"]) == []
            record = protocol.ReleaseRecord(doc.codes, tuple(review["risks"]), tuple(review["benefits"]),
                                            review["rationale"])
            assert protocol.release_missing(record) == [], doc.key  # the release gate
        else:
            assert not review["grant_orgs"] and not review["grant_users"]


def test_every_state_and_level_is_shown():
    covered = {(d.state, d.level) for d in DEMO_DOCUMENTS}
    assert {level for state, level in covered if state == "released"} == set(LEVELS)
    assert {"submitted", "returned", "withheld"} <= {state for state, _ in covered}
    states = [d.state for d in DEMO_DOCUMENTS]
    assert states.count("submitted") == 2
    released = [d for d in DEMO_DOCUMENTS if d.state == "released"]
    confidential = [d for d in released if d.level == "confidential"]
    assert len(confidential) == 2 and any(d.review["grant_orgs"] for d in confidential)
    strictly = [d for d in released if d.level == "strictly_confidential"]
    assert len(strictly) == 1 and strictly[0].review["grant_users"]


def test_phone_numbers_are_fictional():
    numbers = re.compile(r"\+\d{3}[\d ]{6,}")
    for doc in DEMO_DOCUMENTS:
        cells = [str(c) for kind, content in doc.body if kind == "table" for row in content for c in row]
        prose = [content for kind, content in doc.body if kind != "table"]
        for found in numbers.findall("\n".join([*cells, *prose])):
            assert re.fullmatch(r"\+218 91 000 0\d{3}", found.strip()), (doc.key, found)


def test_the_data_files_are_checked_when_read(tmp_path):
    (tmp_path / "documents").mkdir()
    for name in ("demo.yaml", f"documents/{DEMO_DOCUMENTS[0].key}.yaml"):
        (tmp_path / name).write_text((demo_content.DATA_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(demo_content.DemoDataError, match="no file"):
        demo_content.load(tmp_path)  # demo.yaml lists documents that are not there
    index = f"orgs: {{PSWG: P}}\nusers: []\ndocuments: [{DEMO_DOCUMENTS[0].key}]\n"
    (tmp_path / "demo.yaml").write_text(index, encoding="utf-8")
    orgs, users, (doc,) = demo_content.load(tmp_path)
    assert doc == DEMO_DOCUMENTS[0] and orgs == [("PSWG", "P")] and users == []
    path = tmp_path / "documents" / f"{doc.key}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('- ["1", ', "- [1, "), encoding="utf-8")
    with pytest.raises(demo_content.DemoDataError, match="quote numbers"):
        demo_content.load(tmp_path)
