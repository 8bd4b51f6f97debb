"""Redacted copies (``POST /api/v1/documents/{id}/redactions``, the review page's form): a coordinator makes a new
document with every finding of the chosen scan kinds masked in its text and in a regenerated PDF; it is scanned again
(the masked kinds are not found), has its own minimum level, enters review as ``submitted`` in the original's
organisation, ``derived_from`` the original; the original (file, level, state, audience) is unchanged.

Contact sheets are real files: DOCX files with a table of names, phones, e-mails and national numbers, one in
English and one in Arabic; the copies are PDFs (Arabic shaped with HarfBuzz)."""

from __future__ import annotations

import hashlib
import io

import filefactory
import pypdfium2
import pytest
from conftest import accounts
from conftest import browser_for
from conftest import pdf_text
from conftest import release
from conftest import svc
from conftest import upload

from repository import protocol
from repository.data.models import AuditEvent
from repository.data.models import Document
from repository.knowledge import redaction
from repository.knowledge.scan import scan_text
from repository.services import redaction as redaction_service

EN_ROWS = [
    ["Name", "Area", "Phone", "Email", "National ID"],
    ["Ahmed Salem Bukhris", "Souq al-Juma", "+218 91 000 0101", "a.bukhris@example.org", "119850012345"],
    ["Fatima Al-Zawi", "Janzour", "092-000-0102", "fatima.zawi@example.ly", "219900054321"],
    ["Khaled Omar Ghanem", "Tajoura", "0940000103", "k.ghanem@example.org", "119770098765"],
    ["Mariam Ben Halim", "Abu Salim", "+218.91.000.0104", "mariam.bh@example.org", "219880011223"],
    ["Salma Mahmoud Elfituri", "Ain Zara", "091 000 0106", "s.elfituri@example.net", "219950044556"],
]
EN_SECRETS = ["Bukhris", "0101", "a.bukhris@example.org", "119850012345", "Elfituri", "s.elfituri", "219950044556"]

AR_LINES = [
    "قائمة جهات الاتصال - نقاط الاتصال المجتمعية في مصراتة",
    "الاسم | المنطقة | رقم الهاتف | البريد | الرقم الوطني",
    "محمد علي الصويعي | الزروق | 0910000801 | m.swei@example.org | 119850077801",
    "فاطمة سالم بن عمران | قصر أحمد | 0920000802 | f.omran@example.ly | 219900077802",
    "خالد عمر الدرسي | السكت | 0940000803 | k.dersi@example.org | 119770077803",
    "مريم يوسف الشريف | الغيران | +218 91 000 0804 | m.sharif@example.org | 219880077804",
    "أحمد مصطفى الفيتوري | طمينة | 00218920000805 | a.fitouri@example.net | 119950077805",
    "يرجى عدم مشاركة هذه القائمة خارج فريق الحماية.",
]
AR_SECRETS = ["0910000801", "m.swei@example.org", "119850077801", "الصويعي", "a.fitouri", "119950077805", "0804"]

IDENTIFIERS = {"phone", "email", "id_number"}


@pytest.fixture
def cast(world):
    return accounts(world, "partner", "colleague", "other_partner", "drc_staff", "coord", "staff", "admin")


def _kinds(doc: dict) -> set[str]:
    return {f["kind"] for f in doc["detected"]}


def _floor(level: str | None) -> int:
    """A minimum level's rank (no minimum ranks below public)."""
    return -1 if level is None else protocol.level_rank(level)


def _download(client, account, doc_id) -> bytes:
    r = client.get(f"/api/v1/documents/{doc_id}/file", headers=account.headers)
    try:
        assert r.status_code == 200
        return r.get_data()
    finally:
        r.close()


def _coordinator_json(client, coord, doc_id) -> dict:
    r = client.get(f"/api/v1/documents/{doc_id}", headers=coord.headers)
    assert r.status_code == 200, r.json
    return r.json


def _redact(client, account, doc_id, body=None):
    if body is None:
        return client.post(f"/api/v1/documents/{doc_id}/redactions", headers=account.headers)
    return client.post(f"/api/v1/documents/{doc_id}/redactions", headers=account.headers, json=body)


def _english_sheet(client, partner, tmp_path) -> dict:
    path = filefactory.make_docx(
        tmp_path / "focal-points-tripoli.docx",
        ["Community focal points - Tripoli and Janzour", "Contact sheet, updated 3 March 2025. For partner use only."],
        EN_ROWS,
    )
    r = upload(client, partner, path, title="Community focal points - Tripoli", summary="Focal points by area.")
    assert r.status_code == 201, r.json
    return r.json


def _arabic_sheet(client, partner, tmp_path) -> dict:
    rows = [line.split(" | ") for line in AR_LINES[1:-1]]
    path = filefactory.make_docx(tmp_path / "misrata-contacts.docx", [AR_LINES[0], AR_LINES[-1]], rows)
    r = upload(client, partner, path, title="قائمة جهات الاتصال - مصراتة")
    assert r.status_code == 201, r.json
    return r.json


def _check_copy(app, client, coord, original: dict, copy: dict, secrets: list[str], masks: list[str]) -> None:
    """The acceptance of a redacted contact sheet (every kind found masked, the default)."""
    assert copy["derived_from"] == original["id"] and copy["id"] != original["id"]
    assert copy["state"] == protocol.SUBMITTED and copy["level"] is None
    assert copy["org"] == original["org"] and copy["mime"] == "application/pdf"
    assert copy["sha256"] != original["sha256"]
    assert not _kinds(copy) & IDENTIFIERS and not _kinds(copy) & _kinds(original)
    assert _floor(original["minimum_level"]) > _floor(copy["minimum_level"])
    # the copy's file and stored text hold none of the values
    data = _download(client, coord, copy["id"])
    assert hashlib.sha256(data).hexdigest() == copy["sha256"]
    file_text = pdf_text(data)
    s = svc(app)
    try:
        stored = s.session.get(Document, copy["id"]).text
    finally:
        s.session.close()
    for secret in secrets:
        assert secret not in file_text and secret not in stored, secret
    assert all(mask in stored for mask in masks), stored
    assert not IDENTIFIERS & {f.kind for f in scan_text(file_text)}


def test_english_contact_sheet_copy_has_no_identifiers_and_a_lower_minimum(app, client, cast, tmp_path):
    original = _english_sheet(client, cast["partner"], tmp_path)
    assert IDENTIFIERS | {"person_name"} <= _kinds(original)
    assert original["minimum_level"] == protocol.CONFIDENTIAL
    before = _coordinator_json(client, cast["coord"], original["id"])
    file_before = _download(client, cast["coord"], original["id"])

    r = _redact(client, cast["coord"], original["id"])
    assert r.status_code == 201, r.json
    copy = r.json
    _check_copy(app, client, cast["coord"], original, copy, EN_SECRETS, ["[name]", "[phone]", "[e-mail]", "[id]"])
    assert copy["title"] == "Community focal points - Tripoli (redacted)"
    assert copy["uploaded_by"] == cast["coord"].email and copy["summary"] == "Focal points by area."

    after = _coordinator_json(client, cast["coord"], original["id"])
    for field in ("sha256", "level", "state", "minimum_level", "detected", "grant_orgs", "grant_users", "title"):
        assert after[field] == before[field], field
    assert _download(client, cast["coord"], original["id"]) == file_before
    assert hashlib.sha256(file_before).hexdigest() == original["sha256"]


def test_arabic_contact_sheet_copy_has_no_identifiers_and_a_lower_minimum(app, client, cast, tmp_path):
    original = _arabic_sheet(client, cast["partner"], tmp_path)
    assert IDENTIFIERS | {"person_name"} <= _kinds(original), original["detected"]
    r = _redact(client, cast["coord"], original["id"], {})
    assert r.status_code == 201, r.json
    copy = r.json
    _check_copy(app, client, cast["coord"], original, copy, AR_SECRETS, ["■اسم■", "■هاتف■", "■بريد■", "■رقم■"])
    assert copy["language"] == "ar"
    assert "مصراتة" in copy["title"] and copy["title"].endswith("(redacted)")
    assert "مصراتة" in pdf_text(_download(client, cast["coord"], copy["id"]))  # Arabic kept, in logical order


def test_only_the_chosen_kinds_are_masked(app, client, cast, tmp_path):
    original = _english_sheet(client, cast["partner"], tmp_path)
    r = _redact(client, cast["coord"], original["id"], {"kinds": ["phone", "email"]})
    assert r.status_code == 201, r.json
    copy = r.json
    assert not _kinds(copy) & {"phone", "email"}
    assert {"person_name", "id_number"} <= _kinds(copy)
    s = svc(app)
    try:
        rows = s.session.query(AuditEvent).filter(AuditEvent.action == "redact").order_by(AuditEvent.id).all()
        assert [(e.document_id, e.detail.get("kinds")) for e in rows] == [
            (original["id"], ["phone", "email"]),
            (copy["id"], ["phone", "email"]),
        ]
        assert rows[0].detail["copy"] == copy["id"] and rows[1].detail["derived_from"] == original["id"]
        assert rows[1].detail["sha256"] == copy["sha256"] and rows[1].actor_email == cast["coord"].email
    finally:
        s.session.close()


def test_a_released_original_keeps_its_audience_and_the_copy_enters_review(app, client, cast, tmp_path):
    original = _english_sheet(client, cast["partner"], tmp_path)
    r = release(client, cast["coord"], original["id"], "confidential", grant_orgs=["UNHCR"])
    assert r.status_code == 200, r.json
    before = _coordinator_json(client, cast["coord"], original["id"])
    r = _redact(client, cast["coord"], original["id"])
    assert r.status_code == 201, r.json
    copy = r.json
    after = _coordinator_json(client, cast["coord"], original["id"])
    for field in ("sha256", "level", "state", "grant_orgs", "grant_users", "minimum_level"):
        assert after[field] == before[field], field
    assert after["state"] == protocol.RELEASED and after["grant_orgs"] == ["UNHCR"]
    # UNHCR staff still see the original, not the copy (submitted: owner organisation and coordinators only)
    assert client.get(f"/api/v1/documents/{original['id']}", headers=cast["staff"].headers).status_code == 200
    assert client.get(f"/api/v1/documents/{copy['id']}", headers=cast["staff"].headers).status_code == 404
    # the owner organisation sees its copy, which names the original it sees too
    seen = client.get(f"/api/v1/documents/{copy['id']}", headers=cast["colleague"].headers)
    assert seen.status_code == 200 and seen.json["derived_from"] == original["id"]
    # the copy is reviewed like any document: released below the original's minimum without an override
    r = release(client, cast["coord"], copy["id"], "restricted")
    assert r.status_code == 200, r.json
    assert r.json["level"] == "restricted"


def test_derived_from_is_not_shown_to_those_who_cannot_see_the_original(app, client, cast, tmp_path):
    original = _english_sheet(client, cast["partner"], tmp_path)
    copy = _redact(client, cast["coord"], original["id"]).json
    r = release(client, cast["coord"], copy["id"], "public")
    assert r.status_code == 200, r.json
    for who in ("staff", "other_partner", "admin"):
        seen = client.get(f"/api/v1/documents/{copy['id']}", headers=cast[who].headers)
        assert seen.status_code == 200 and seen.json["derived_from"] is None, who
        assert f"/documents/{original['id']}" not in seen.get_data(as_text=True)
    anonymous = client.get(f"/api/v1/documents/{copy['id']}")
    assert anonymous.status_code == 200 and anonymous.json["derived_from"] is None
    page = client.get(f"/documents/{copy['id']}").get_data(as_text=True)
    assert "Redacted copy of" not in page and f"/documents/{original['id']}" not in page
    assert _coordinator_json(client, cast["coord"], copy["id"])["derived_from"] == original["id"]
    assert _coordinator_json(client, cast["coord"], original["id"])["derived_from"] is None


def _count(app) -> int:
    s = svc(app)
    try:
        return s.session.query(Document).count()
    finally:
        s.session.close()


def test_who_may_make_a_copy(app, client, cast, tmp_path):
    original = _english_sheet(client, cast["partner"], tmp_path)
    doc_id = original["id"]
    n = _count(app)
    # not visible: 404, as for an id that does not exist
    for who in ("other_partner", "staff", "admin"):
        assert _redact(client, cast[who], doc_id).status_code == 404, who
        assert _redact(client, cast[who], 987654).status_code == 404, who
    assert client.post(f"/api/v1/documents/{doc_id}/redactions").status_code == 404
    # visible but not theirs: 403 (the owner organisation, its staff)
    for who in ("partner", "colleague", "drc_staff"):
        r = _redact(client, cast[who], doc_id)
        assert r.status_code == 403 and r.json["error"] == "forbidden", who
    # released at public: anonymous visitors are asked to log in, accounts refused
    r = release(client, cast["coord"], doc_id, "public", override="Published with the consent of each focal point.")
    assert r.status_code == 200, r.json
    assert client.post(f"/api/v1/documents/{doc_id}/redactions").status_code == 401
    for who in ("other_partner", "staff", "admin", "partner"):
        assert _redact(client, cast[who], doc_id).status_code == 403, who
    assert _count(app) == n
    assert _redact(client, cast["coord"], doc_id).status_code == 201
    assert _count(app) == n + 1


def test_bad_requests_are_clear_4xx_and_make_nothing(app, client, cast, tmp_path):
    original = _english_sheet(client, cast["partner"], tmp_path)
    doc_id = original["id"]
    coord = cast["coord"]
    n = _count(app)
    cases = [
        ({"kinds": ["passport"]}, 422, "invalid_value"),
        ({"kinds": []}, 422, "invalid_value"),
        ({"kinds": "phone"}, 422, "invalid_value"),
        ({"kinds": [1, 2]}, 422, "invalid_value"),
        ({"kinds": ["coordinates"]}, 422, "invalid_value"),  # not found in this document
    ]
    for body, status, code in cases:
        r = _redact(client, coord, doc_id, body)
        assert (r.status_code, r.json["error"]) == (status, code), (body, r.json)
    r = client.post(f"/api/v1/documents/{doc_id}/redactions", headers=coord.headers, data="{not json",
                    content_type="application/json")
    assert r.status_code == 400
    r = _redact(client, coord, "abc")
    assert r.status_code == 404
    clean = upload(client, cast["partner"], data=b"Protection monitoring: access to services improved.\n",
                   filename="clean.txt").json
    r = _redact(client, coord, clean["id"])
    assert (r.status_code, r.json["error"]) == (422, "nothing_to_redact")
    assert _count(app) == n + 1  # only the clean upload


def test_a_copy_whose_scan_still_finds_a_masked_kind_is_refused(app, client, cast, tmp_path, monkeypatch):
    original = _english_sheet(client, cast["partner"], tmp_path)
    n = _count(app)
    store = app.extensions["repo"].store
    files_before = sorted(p.name for p in store.root.rglob("*") if p.is_file())
    # the masking misses the phones: the service's own check refuses before any file is written
    monkeypatch.setattr(redaction_service.redaction, "redact", lambda text, kinds: text)
    r = _redact(client, cast["coord"], original["id"], {"kinds": ["phone"]})
    assert (r.status_code, r.json["error"], r.json["kinds"]) == (422, "still_found", ["phone"])
    assert "phone" in r.json["message"]
    # the check of the text passes but the regenerated file's scan finds them: refused, nothing recorded or kept
    monkeypatch.setattr(redaction_service.redaction, "remaining", lambda text, kinds: [])
    r = _redact(client, cast["coord"], original["id"], {"kinds": ["phone", "email"]})
    assert (r.status_code, r.json["error"], r.json["kinds"]) == (422, "still_found", ["phone", "email"])
    assert _count(app) == n
    assert sorted(p.name for p in store.root.rglob("*") if p.is_file()) == files_before


def test_the_copy_is_indexed_for_its_audience_only(app, client, cast, tmp_path):
    original = _english_sheet(client, cast["partner"], tmp_path)
    copy = _redact(client, cast["coord"], original["id"]).json

    def ids(account, q):
        r = client.get("/api/v1/search", headers=account.headers, query_string={"q": q})
        assert r.status_code == 200
        return {h["id"] for h in r.json["hits"]}

    assert copy["id"] in ids(cast["coord"], "Janzour")
    assert copy["id"] in ids(cast["colleague"], "Janzour")
    assert copy["id"] not in ids(cast["staff"], "Janzour") and copy["id"] not in ids(cast["other_partner"], "Janzour")
    # the copy's text in the index holds no masked value
    assert copy["id"] not in ids(cast["coord"], "Bukhris")


def test_review_page_form_for_coordinators(app, client, cast, tmp_path):
    original = _english_sheet(client, cast["partner"], tmp_path)
    doc_id = original["id"]
    partner_page = browser_for(app, cast["partner"]).get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "Make a redacted copy" not in partner_page
    browser = browser_for(app, cast["coord"])
    page = browser.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "Make a redacted copy" in page
    for kind in _kinds(original):
        assert f'name="kinds" value="{kind}"' in page
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    # nothing ticked: the page says so
    r = browser.post(f"/documents/{doc_id}/redactions", data={"csrf_token": token})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/documents/{doc_id}#redact")
    assert "at least one scan kind" in browser.get(f"/documents/{doc_id}").get_data(as_text=True)
    r = browser.post(f"/documents/{doc_id}/redactions", data={"csrf_token": token, "kinds": ["phone", "email"]})
    assert r.status_code == 302
    copy_path = r.headers["Location"]
    assert copy_path.rstrip("/").rsplit("/", 1)[-1] != str(doc_id)
    copy_page = browser.get(copy_path).get_data(as_text=True)
    assert "Redacted copy made" in copy_page and "Redacted copy of" in copy_page
    assert f"/documents/{doc_id}" in copy_page
    # a partner posting the form is refused with the page of its refusal
    partner = browser_for(app, cast["partner"])
    ptoken = partner.get(f"/documents/{doc_id}").get_data(as_text=True).split('name="csrf_token" value="', 1)[1]
    r = partner.post(f"/documents/{doc_id}/redactions", data={"csrf_token": ptoken.split('"', 1)[0]})
    assert r.status_code == 403


def test_masking_is_pure_and_keeps_lines():
    text = "Name | Phone\nAhmed Salem Bukhris | +218 91 000 0101\n\fPage two: e-mail a.bukhris@example.org\n"
    masked = redaction.redact(text, ["person_name", "phone", "email"])
    assert masked == "Name | Phone\n[name] | [phone]\n\fPage two: e-mail [e-mail]\n"
    assert redaction.remaining(masked, ["phone", "email", "person_name"]) == []
    assert redaction.remaining(text, ["email", "phone"]) == ["phone", "email"]
    with pytest.raises(ValueError):
        redaction.check_kinds(["phone", "nope"])
    # Arabic-Indic digits are masked too (the scan's prepared text); an Arabic line gets an Arabic mark, no brackets
    assert redaction.redact("رقم الهاتف: ٠٩١٠٠٠٠٨٠١\nTel 0910000801", ["phone"]) == "رقم الهاتف: ■هاتف■\nTel [phone]"


def test_pdf_writer_is_shared_with_the_demo(tmp_path):
    from repository.demo import generate
    from repository.knowledge import pdfwrite

    assert generate.find_arabic_font is pdfwrite.find_arabic_font
    path = pdfwrite.write_text_pdf(tmp_path / "x.pdf", "Line one\n\fLine two [phone]", title="T", language="en")
    text = pdf_text(path.read_bytes())
    assert "Line one" in text and "Line two [phone]" in text
    assert len(pypdfium2.PdfDocument(io.BytesIO(path.read_bytes()))) == 2
