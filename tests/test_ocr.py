"""Scanned reports and photographs read by OCR (Tesseract, Arabic and English) for real, through the upload API:
found by the words on them, scanned for personal data like any text, and hostile images refused or kept as
"text unavailable" without harm."""

from __future__ import annotations

import struct
import zlib

import filefactory as ff
import pytest
from conftest import upload

from indexer import ocr
from indexer.extract import extract
from indexer.extractors.base import ExtractionError
from indexer.formats import PDF

pytestmark = pytest.mark.skipif(
    not ocr.available(),
    reason="Tesseract with Arabic and English is not installed (make installs tesseract-ocr, -ara, -eng as root)",
)

ARABIC_PAGE = ("rtl", ["تقرير رصد الحماية في سبها", "الأسر النازحة في مدرسة الحي الجديد"])
ENGLISH_PAGE = ("ltr", ["Protection monitoring report", "Displaced families sheltering in Ghadames school"])
CONTACTS = [
    "Contact sheet of the outreach volunteers",
    "Huda Salem +218 91 234 5678",
    "Omar Khaled +218 92 765 4321",
    "Mariam Ali +218 94 111 2233",
]


@pytest.fixture
def people(world):
    return {
        "partner": world.account("partner@drc.example.org", "partner", "DRC"),
        "coord": world.account("coord@pswg.example.org", "coordinator", "PSWG"),
    }


def hits(client, account, q: str) -> list[int]:
    r = client.get("/api/v1/search", query_string={"q": q}, headers=account.headers)
    assert r.status_code == 200, r.get_json()
    return [h["id"] for h in r.get_json()["hits"]]


def test_a_scanned_two_page_pdf_is_found_by_its_arabic_and_english_words(client, people, tmp_path):
    path = ff.make_scanned_pdf(tmp_path / "scan.pdf", [ARABIC_PAGE, ENGLISH_PAGE])
    assert extract(path, PDF).ocr  # no text layer at all: every word comes from the page images
    r = upload(client, people["partner"], path)
    assert r.status_code == 201, r.get_json()
    doc = r.get_json()
    assert doc["text_status"] == "ocr" and doc["mime"] == PDF
    for word in ("سبها", "النازحة", "Ghadames", "displaced"):
        assert hits(client, people["coord"], word) == [doc["id"]], word
    assert hits(client, people["coord"], '"monitoring report"') == [doc["id"]]
    page = client.get(f"/api/v1/documents/{doc['id']}", headers=people["coord"].headers).get_json()
    assert page["text_status"] == "ocr" and "text_reason" not in page


def test_a_photo_of_a_contact_sheet_is_found_and_its_phones_and_names_raise_the_minimum(client, people, tmp_path):
    path = ff.make_photo(tmp_path / "contacts.jpg", CONTACTS)
    r = upload(client, people["partner"], path)
    assert r.status_code == 201, r.get_json()
    doc = r.get_json()
    assert doc["mime"] == "image/jpeg" and doc["text_status"] == "ocr"
    kinds = {f["kind"]: f["count"] for f in doc["detected"]}
    assert kinds.get("phone", 0) >= 3, doc["detected"]
    assert doc["minimum_level"] in ("restricted", "confidential", "strictly_confidential"), doc
    assert hits(client, people["coord"], "volunteers") == [doc["id"]]
    assert hits(client, people["coord"], "Huda") == [doc["id"]]
    # the filename keeps its extension; the download is the photograph itself, as an attachment
    with client.get(f"/api/v1/documents/{doc['id']}/file", headers=people["coord"].headers) as download:
        assert download.status_code == 200 and download.data == path.read_bytes()
        assert download.headers["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("fmt,suffix,mime", [("PNG", "png", "image/png"), ("TIFF", "tif", "image/tiff")])
def test_png_and_tiff_scans_are_read(client, people, tmp_path, fmt, suffix, mime):
    path = ff.make_photo(tmp_path / f"notes.{suffix}", ["Minutes of the coordination meeting in Zawiya"], fmt=fmt)
    r = upload(client, people["partner"], path)
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["mime"] == mime and r.get_json()["text_status"] == "ocr"
    assert hits(client, people["coord"], "Zawiya") == [r.get_json()["id"]]


def _png(width: int, height: int, rows: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def test_images_without_text_and_image_bombs_are_kept_with_text_unavailable(client, people, tmp_path):
    blank = ff.make_png(tmp_path / "blank.png", 64, 64)
    r = upload(client, people["partner"], blank)
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["text_status"] == "unavailable" and "no text" in r.get_json()["text_reason"]

    # 40,000 x 40,000 pixels declared in a few kilobytes: refused before decoding, nothing else is affected
    bomb = _png(40_000, 40_000, b"\0" * 41 * 100)
    r = upload(client, people["partner"], data=bomb, filename="bomb.png")
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["text_status"] == "unavailable", r.get_json()
    (tmp_path / "bomb.png").write_bytes(bomb)
    with pytest.raises(ExtractionError, match="too large"):
        extract(tmp_path / "bomb.png", "image/png")
    r = upload(client, people["partner"], ff.make_photo(tmp_path / "after.png", ["Still reading Misrata"], fmt="PNG"))
    assert r.status_code == 201 and r.get_json()["text_status"] == "ocr"


def test_a_text_file_named_like_an_image_is_not_an_image(client, people):
    r = upload(client, people["partner"], data=b"Plain words only.\n", filename="photo.jpg")
    assert r.status_code == 201 and r.get_json()["mime"] == "text/plain"
    r = upload(client, people["partner"], data=b"\xff\xd8\xff" + b"\0" * 64, filename="broken.jpg")
    assert r.status_code in (201, 415)
    if r.status_code == 201:
        assert r.get_json()["text_status"] == "unavailable"


def test_the_document_page_says_the_text_was_read_by_ocr(client, people, tmp_path):
    from conftest import login

    path = ff.make_photo(tmp_path / "minutes.png", ["Minutes of the Tobruk coordination meeting"], fmt="PNG")
    doc = upload(client, people["partner"], path).get_json()
    assert login(client, people["coord"].email).status_code == 302
    page = client.get(f"/documents/{doc['id']}").get_data(as_text=True)
    assert "read from page images by OCR" in page and "unavailable" not in page
