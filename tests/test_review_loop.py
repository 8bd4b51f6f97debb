"""The review loop of the sharing protocol: a return carries the coordinator's comment, the owner organisation
replies, replaces the file (checked like an upload, scanned again, the old file kept) and submits; the uploader
sees the scan and the minimum level right after upload; the coordinators' review form, history and re-review list
(API, HTML page and CLI). Every action, role and refusal, through the real routes, with its audit trail."""

from __future__ import annotations

import datetime as dt
import gc
import io
import warnings
from html import unescape

import pytest
from conftest import GATE_CODES
from conftest import NONE_IDENTIFIED
from conftest import browser_for
from conftest import plain
from conftest import text_report
from conftest import token_of
from conftest import upload

from repository import protocol
from repository.data import db
from repository.data.models import Decision
from repository.data.models import StoredFile

pytestmark = pytest.mark.usefixtures("no_request_rate_limits")

PHONES = "Focal point Ahmed on +218 91 234 5678 and Salma on +218 92 765 4321 for referrals.\n"
RAW_PHONES = ("+218 91 234 5678", "+218 92 765 4321", "912345678")


# ----------------------------------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------------------------------


def new_doc(client, account, words: str, body: bytes | None = None, **fields) -> dict:
    fields.setdefault("title", words)
    fields.setdefault("codes", list(GATE_CODES))  # coded as the release gate needs
    r = upload(client, account, data=body if body is not None else text_report(words), filename="report.txt",
               **fields)
    assert r.status_code == 201, r.json
    return r.json


def review(client, account, doc_id, **body):
    """POST a review decision; a release carries "none identified" risks and benefits unless ``body`` says."""
    headers = account.headers if account is not None else {}
    if body.get("action") == "release":
        body = {**NONE_IDENTIFIED, **body}
    return client.post(f"/api/v1/documents/{doc_id}/review", headers=headers, json=body)


def replace(client, account, doc_id, data: bytes, filename: str = "redacted.txt"):
    headers = account.headers if account is not None else {}
    return client.post(f"/api/v1/documents/{doc_id}/file", headers=headers,
                       data={"file": (io.BytesIO(data), filename)}, content_type="multipart/form-data")


def comment(client, account, doc_id, text):
    headers = account.headers if account is not None else {}
    return client.post(f"/api/v1/documents/{doc_id}/comments", headers=headers, json={"text": text})


def comments(client, account, doc_id):
    headers = account.headers if account is not None else {}
    return client.get(f"/api/v1/documents/{doc_id}/comments", headers=headers)


def get(client, account, doc_id):
    headers = account.headers if account is not None else {}
    return client.get(f"/api/v1/documents/{doc_id}", headers=headers)


def assert_error(r, status: int, code: str | None = None) -> dict:
    assert r.status_code == status, (r.status_code, r.get_data(as_text=True))
    body = r.json
    assert isinstance(body.get("error"), str) and isinstance(body.get("message"), str)
    if code is not None:
        assert body["error"] == code, body
    return body


def events(client, coord, **params) -> list[dict]:
    r = client.get("/api/v1/audit", headers=coord.headers, query_string=params)
    assert r.status_code == 200, r.json
    assert r.json["total"] <= 50, "narrow the filter"
    return r.json["events"]


def page(browser, doc_id) -> str:
    r = browser.get(f"/documents/{doc_id}")
    assert r.status_code == 200, r.status_code
    return r.get_data(as_text=True)


def download(client, account, doc_id) -> tuple[int, bytes]:
    r = client.get(f"/api/v1/documents/{doc_id}/file", headers=account.headers)
    out = (r.status_code, r.get_data())
    r.close()
    return out


# ----------------------------------------------------------------------------------------------------------------
# the comment exchange (API)
# ----------------------------------------------------------------------------------------------------------------


def test_return_carries_the_comment_and_the_owner_replies(client, people):
    partner, coord = people["partner"], people["coord"]
    doc_id = new_doc(client, partner, "Quillmere monthly report")["id"]
    assert get(client, partner, doc_id).json["comments"] == []

    # a return without a comment is refused with the reason; nothing changes
    body = assert_error(review(client, coord, doc_id, action="return"), 422, "refused")
    assert any("comment" in reason for reason in body["reasons"])
    body = assert_error(review(client, coord, doc_id, action="return", rationale="   "), 422, "refused")
    assert get(client, coord, doc_id).json["state"] == "submitted"
    assert events(client, coord, action="return") == []

    r = review(client, coord, doc_id, action="return", rationale="Remove the names in annex 2.")
    assert r.status_code == 200 and r.json["state"] == "returned"
    [opening] = r.json["comments"]
    assert opening["kind"] == "return" and opening["text"] == "Remove the names in annex 2."
    assert opening["author"] == coord.email and opening["org"] == "PSWG" and opening["role"] == "coordinator"

    # the owner organisation reads the request and replies (any contributor of the organisation)
    listed = comments(client, partner, doc_id)
    assert listed.status_code == 200 and listed.json["total"] == 1
    assert listed.json["comments"][0]["text"] == "Remove the names in annex 2."
    r = comment(client, people["colleague"], doc_id, "Annex 2 is the attendance list; we will drop it.")
    assert r.status_code == 201, r.json
    assert r.json["kind"] == "comment" and r.json["author"] == people["colleague"].email and r.json["org"] == "DRC"
    r = comment(client, coord, doc_id, "  Thanks, also check the phone numbers.  ")
    assert r.status_code == 201 and r.json["text"] == "Thanks, also check the phone numbers."

    for account in (partner, coord):
        thread = comments(client, account, doc_id).json["comments"]
        assert [c["text"] for c in thread] == [
            "Remove the names in annex 2.",
            "Annex 2 is the attendance list; we will drop it.",
            "Thanks, also check the phone numbers.",
        ]
        assert [c["id"] for c in thread] == sorted(c["id"] for c in thread)
        assert get(client, account, doc_id).json["comments"] == thread

    # audited: the return (with its comment) and each comment, with the actor and the text
    [returned] = events(client, coord, action="return", document=doc_id)
    assert returned["actor"] == coord.email and returned["detail"]["rationale"] == "Remove the names in annex 2."
    said = events(client, coord, action="comment", document=doc_id)
    assert [(e["actor"], e["detail"]["text"]) for e in reversed(said)] == [
        (people["colleague"].email, "Annex 2 is the attendance list; we will drop it."),
        (coord.email, "Thanks, also check the phone numbers."),
    ]
    assert all(isinstance(e["detail"]["comment_id"], int) for e in said)


def test_comment_refusals(client, people):
    partner, coord = people["partner"], people["coord"]
    doc_id = new_doc(client, partner, "Tarnbeck assessment")["id"]
    assert comment(client, partner, doc_id, "First note.").status_code == 201

    # outside the owner organisation and the coordinators, the exchange does not exist
    for who in ("other_partner", "staff", "admin"):
        assert_error(comments(client, people[who], doc_id), 404, "not_found")
        assert_error(comment(client, people[who], doc_id, "hello"), 404, "not_found")
        assert_error(get(client, people[who], doc_id), 404)
    assert_error(comments(client, None, doc_id), 404)
    assert_error(comment(client, None, doc_id, "hello"), 404)
    for bad_id in ("abc", "0", "999999", "-1"):
        assert_error(comment(client, coord, bad_id, "hello"), 404, "not_found")
        assert_error(comments(client, coord, bad_id), 404, "not_found")

    # the owner organisation's staff see the document but take no part in the exchange
    staff = people["drc_staff"]
    assert get(client, staff, doc_id).status_code == 200 and "comments" not in get(client, staff, doc_id).json
    assert_error(comments(client, staff, doc_id), 403, "forbidden")
    assert_error(comment(client, staff, doc_id, "hello"), 403, "forbidden")

    # bad bodies
    assert_error(comment(client, partner, doc_id, ""), 422, "invalid_value")
    assert_error(comment(client, partner, doc_id, " \n "), 422, "invalid_value")
    assert_error(comment(client, partner, doc_id, ["a list"]), 422, "invalid_value")
    assert_error(comment(client, partner, doc_id, "x" * 5001), 422, "invalid_value")
    r = client.post(f"/api/v1/documents/{doc_id}/comments", headers=partner.headers, data="not json",
                    content_type="application/json")
    assert_error(r, 400, "bad_request")
    r = client.post(f"/api/v1/documents/{doc_id}/comments", headers=partner.headers, json=["text"])
    assert_error(r, 400, "bad_request")
    assert len(comments(client, partner, doc_id).json["comments"]) == 1
    assert len(events(client, coord, action="comment", document=doc_id)) == 1

    # once released, readers of the document still do not see the exchange
    assert review(client, coord, doc_id, action="release", level="restricted", rationale="ok").status_code == 200
    reader = people["staff"]
    assert get(client, reader, doc_id).status_code == 200
    assert "comments" not in get(client, reader, doc_id).json
    assert_error(comments(client, reader, doc_id), 403, "forbidden")
    assert_error(comment(client, reader, doc_id, "hello"), 403, "forbidden")
    assert review(client, coord, doc_id, action="release", level="public", rationale="ok").status_code == 200
    assert "comments" not in get(client, None, doc_id).json
    assert_error(comments(client, None, doc_id), 401, "login_required")
    assert_error(comment(client, None, doc_id, "hello"), 401, "login_required")
    # the owner organisation and coordinators may still write after release
    assert comment(client, partner, doc_id, "Thanks for releasing.").status_code == 201
    assert len(comments(client, coord, doc_id).json["comments"]) == 2


# ----------------------------------------------------------------------------------------------------------------
# replacing the file (API)
# ----------------------------------------------------------------------------------------------------------------


def test_replaced_file_is_rescanned_and_the_old_one_kept(app, client, people):
    partner, coord = people["partner"], people["coord"]
    clean = text_report("Wrenfold clean situation update on water trucking")
    doc = new_doc(client, partner, "Wrenfold update", body=clean, proposed_level="public")
    doc_id, old_sha = doc["id"], doc["sha256"]
    assert doc["detected"] == [] and doc["minimum_level"] is None

    assert review(client, coord, doc_id, action="return", rationale="Add the referral contacts.").status_code == 200
    with_phones = text_report("Wrenfold update with the referral focal points") + PHONES.encode()
    r = replace(client, partner, doc_id, with_phones, filename="wrenfold_v2.txt")
    assert r.status_code == 200, r.json
    after = r.json
    assert after["state"] == "returned" and after["id"] == doc_id
    assert after["sha256"] != old_sha and after["filename"] == "wrenfold_v2.txt" and after["size"] == len(with_phones)
    assert after["minimum_level"] == "confidential"
    assert any("Phone numbers" in reason for reason in after["minimum_reasons"])
    [phone] = [f for f in after["detected"] if f["kind"] == "phone"]
    assert phone["count"] == 2 and phone["where"] and phone["example"].startswith("+218 9")
    assert not any(raw in str(after) for raw in RAW_PHONES)
    assert after["title"] == "Wrenfold update" and after["proposed_level"] == "public"

    # the download is the new file; the old one is still stored, and its digest is in the record
    assert download(client, partner, doc_id) == (200, with_phones)
    store = app.extensions["repo"].store
    assert store.path_for(old_sha).read_bytes() == clean
    with app.extensions["db_sessionmaker"]() as session:
        assert session.get(StoredFile, old_sha) is not None
        decision = session.query(Decision).filter_by(document_id=doc_id, action="replace").one()
        assert decision.detail["previous_sha256"] == old_sha and decision.detail["sha256"] == after["sha256"]
        assert decision.from_state == decision.to_state == "returned"
    [event] = events(client, coord, action="replace", document=doc_id)
    assert event["actor"] == partner.email
    assert event["detail"]["previous_sha256"] == old_sha and event["detail"]["sha256"] == after["sha256"]
    assert event["detail"]["minimum_level"] == "confidential" and event["detail"]["detected"] == ["phone"]

    # search follows the new text at once, for the owner
    hits = client.get("/api/v1/search", headers=partner.headers, query_string={"q": "referral focal points"}).json
    assert [h["id"] for h in hits["hits"]] == [doc_id]
    hits = client.get("/api/v1/search", headers=partner.headers, query_string={"q": "trucking"}).json
    assert hits["total"] == 0

    # submit, then a release below the new minimum is refused with its reasons
    r = client.post(f"/api/v1/documents/{doc_id}/submit", headers=partner.headers)
    assert r.status_code == 200 and r.json["state"] == "submitted"
    body = assert_error(review(client, coord, doc_id, action="release", level="public", rationale="Fine.",
                               considered=["phone"]), 422, "below_minimum")
    assert any("Phone numbers" in reason for reason in body["reasons"])
    assert review(client, coord, doc_id, action="release", level="confidential", rationale="Referral partners only.",
                  grant_orgs=["UNHCR"]).status_code == 200

    # once released, the reviewed file stays the stored one
    assert_error(replace(client, partner, doc_id, clean), 409, "invalid_state")
    assert download(client, people["other_partner"], doc_id)[0] == 404  # not granted
    assert download(client, coord, doc_id) == (200, with_phones)


def test_replace_while_submitted_and_redacting_lowers_the_minimum(client, people):
    partner, coord = people["partner"], people["coord"]
    risky = text_report("Harrowgate contact sheet") + PHONES.encode()
    doc = new_doc(client, partner, "Harrowgate", body=risky)
    assert doc["minimum_level"] == "confidential"
    redacted = text_report("Harrowgate contact sheet, contacts removed")
    r = replace(client, people["colleague"], doc["id"], redacted)
    assert r.status_code == 200 and r.json["state"] == "submitted"
    assert r.json["minimum_level"] is None and r.json["detected"] == []
    assert review(client, coord, doc["id"], action="release", level="public", rationale="Redacted.").status_code == 200


def test_replace_refusals(app, client, people):
    partner, coord = people["partner"], people["coord"]
    doc = new_doc(client, partner, "Ashcombe notes")
    doc_id, sha = doc["id"], doc["sha256"]
    other = new_doc(client, partner, "Ashcombe other notes")
    fresh = text_report("Ashcombe notes v2")

    for who in ("other_partner", "staff", "admin"):
        assert_error(replace(client, people[who], doc_id, fresh), 404, "not_found")
    assert_error(replace(client, None, doc_id, fresh), 404, "not_found")
    for bad_id in ("abc", "0", "999999"):
        assert_error(replace(client, partner, bad_id, fresh), 404, "not_found")
    # coordinators review but do not rewrite a partner's file; the owner's staff cannot upload
    assert_error(replace(client, coord, doc_id, fresh), 403, "forbidden")
    assert_error(replace(client, people["drc_staff"], doc_id, fresh), 403, "forbidden")

    # the checks of an upload
    r = client.post(f"/api/v1/documents/{doc_id}/file", headers=partner.headers, data={},
                    content_type="multipart/form-data")
    assert_error(r, 400, "bad_request")
    assert_error(replace(client, partner, doc_id, b"MZ\x90\x00\x03\x00\x00\x00" + bytes(range(256)) * 8, "x.exe"),
                 415, "unsupported_type")
    r = assert_error(replace(client, partner, doc_id, text_report("Ashcombe other notes")), 409, "duplicate")
    assert r["document_id"] == other["id"]
    assert_error(replace(client, partner, doc_id, text_report("Ashcombe notes")), 409, "duplicate")
    repo = app.extensions["repo"]
    repo.config["MAX_UPLOAD_MB"] = 1
    try:
        with warnings.catch_warnings():
            # the test client spools a large request body to a temporary file that it may leave to the garbage
            # collector (a test-client wart, not the app's)
            warnings.simplefilter("ignore", ResourceWarning)
            r = replace(client, partner, doc_id, b"a" * (1024 * 1024 + 10))
            assert_error(r, 413, "too_large")
            r.close()
            del r
            gc.collect()
    finally:
        repo.config["MAX_UPLOAD_MB"] = 100

    # state: not once released or withheld
    assert review(client, coord, doc_id, action="withhold", rationale="Hold.").status_code == 200
    assert_error(replace(client, partner, doc_id, fresh), 409, "invalid_state")
    assert review(client, coord, doc_id, action="release", level="confidential", rationale="ok").status_code == 200
    assert_error(replace(client, partner, doc_id, fresh), 409, "invalid_state")

    # nothing changed, nothing was recorded as a replacement
    assert get(client, partner, doc_id).json["sha256"] == sha
    assert events(client, coord, action="replace") == []


# ----------------------------------------------------------------------------------------------------------------
# the pages: the uploader sees the scan at once; the loop through the forms
# ----------------------------------------------------------------------------------------------------------------


def test_the_loop_in_the_browser(app, people):
    partner = browser_for(app, people["partner"])
    coord = browser_for(app, people["coord"])
    outsider = browser_for(app, people["other_partner"])
    drc_staff = browser_for(app, people["drc_staff"])

    # upload through the form: the next page is the document, with the scan and the minimum level
    form = partner.get("/upload").get_data(as_text=True)
    body = text_report("Elderbrook distribution contacts") + PHONES.encode()
    r = partner.post("/upload", data={"csrf_token": token_of(form), "file": (io.BytesIO(body), "contacts.txt"),
                                      "title": "Elderbrook contacts", "proposed_level": "restricted",
                                      "codes": list(GATE_CODES)},
                     content_type="multipart/form-data")
    assert r.status_code == 302
    doc_id = int(r.headers["Location"].rsplit("/", 1)[1])
    html = page(partner, doc_id)
    text = plain(html)
    assert "What the sensitivity scan found" in text and "Phone numbers" in text and "line" in text
    assert "+218 9• ••• ••78" in text or "+218 9" in text
    assert not any(raw in html for raw in RAW_PHONES)
    assert "Minimum sharing level: Confidential" in text and "Phone numbers of individuals (2)" in text
    assert "Replace the file" in text  # they can redact before the review
    assert "Review against" not in text and "Proposed level Restricted" in text

    # the coordinator's page: proposal, minimum, the review form with the controlled lists and their labels
    html = page(coord, doc_id)
    text = plain(html)
    assert "Proposed by the uploader: Restricted" in text and "Minimum for this content: Confidential" in text
    for key, label in list(protocol.RISKS.items()) + list(protocol.BENEFITS.items()):
        assert f'value="{key}"' in html and label in unescape(html)
    for name in ("level", "rationale", "override", "grant_orgs", "grant_users", "review_by"):
        assert f'name="{name}"' in html
    assert "Replace the file" not in text

    # return with a comment through the form
    r = coord.post(f"/documents/{doc_id}/review", data={"csrf_token": token_of(html), "action": "return",
                                                        "rationale": "Please remove the phone numbers."})
    assert r.status_code == 302
    text = plain(page(partner, doc_id))
    assert "Review exchange" in text and "Please remove the phone numbers." in text and "returned for changes" in text

    # the partner replies and replaces the file through the forms
    html = page(partner, doc_id)
    r = partner.post(f"/documents/{doc_id}/comments",
                     data={"csrf_token": token_of(html), "text": "Done: numbers removed, see the new file."})
    assert r.status_code == 302
    r = partner.post(f"/documents/{doc_id}/comments", data={"csrf_token": token_of(html), "text": ""})
    assert r.status_code == 302 and "is required" in plain(page(partner, doc_id))
    redacted = text_report("Elderbrook distribution contacts, redacted")
    r = partner.post(f"/documents/{doc_id}/file", data={"csrf_token": token_of(html),
                                                        "file": (io.BytesIO(redacted), "contacts_redacted.txt")},
                     content_type="multipart/form-data")
    assert r.status_code == 302
    text = plain(page(partner, doc_id))
    assert "File replaced" in text and "contacts_redacted.txt" in text
    assert "Minimum sharing level: none" in text and "Nothing sensitive was found" in text
    # a refused replacement is explained on the page
    r = partner.post(f"/documents/{doc_id}/file", data={"csrf_token": token_of(html),
                                                        "file": (io.BytesIO(redacted), "again.txt")},
                     content_type="multipart/form-data")
    assert r.status_code == 302 and "already in the repository" in plain(page(partner, doc_id))
    html = page(partner, doc_id)
    assert partner.post(f"/documents/{doc_id}/submit", data={"csrf_token": token_of(html)}).status_code == 302

    # outsiders: the document and its exchange do not exist; the owner's staff may not write
    assert outsider.get(f"/documents/{doc_id}").status_code == 404
    token = token_of(outsider.get("/").get_data(as_text=True))
    assert outsider.post(f"/documents/{doc_id}/comments", data={"csrf_token": token, "text": "hi"}).status_code == 404
    r = outsider.post(f"/documents/{doc_id}/file", data={"csrf_token": token, "file": (io.BytesIO(b"x"), "a.txt")},
                      content_type="multipart/form-data")
    assert r.status_code == 404
    staff_html = page(drc_staff, doc_id)
    assert "Review exchange" not in plain(staff_html) and "Done: numbers removed" not in staff_html
    r = drc_staff.post(f"/documents/{doc_id}/comments", data={"csrf_token": token_of(staff_html), "text": "hi"})
    assert r.status_code == 403
    r = drc_staff.post(f"/documents/{doc_id}/file", data={"csrf_token": token_of(staff_html),
                                                          "file": (io.BytesIO(b"new"), "a.txt")},
                       content_type="multipart/form-data")
    assert r.status_code == 403
    # forms without a CSRF token are refused
    assert partner.post(f"/documents/{doc_id}/comments", data={"text": "no token"}).status_code == 400
    r = partner.post(f"/documents/{doc_id}/file", data={"file": (io.BytesIO(b"x"), "a.txt")},
                     content_type="multipart/form-data")
    assert r.status_code == 400

    # the coordinator sees the whole exchange and the history, then releases below the minimum with an override
    html = page(coord, doc_id)
    text = plain(html)
    assert text.index("Please remove the phone numbers.") < text.index("Done: numbers removed, see the new file.")
    history = text[text.index("History"):]
    for step in ("upload", "return", "replace", "contacts_redacted.txt", "submit"):
        assert step in history, step
    r = coord.post(f"/documents/{doc_id}/review", data={
        "csrf_token": token_of(html), "action": "release", "level": "restricted",
        "rationale": "District-level distribution figures only.", "risks": ["re_identification"],
        "benefits": ["coordination", "anonymised"], "review_by": "2027-05-01"})
    assert r.status_code == 302
    text = plain(page(coord, doc_id))
    assert "Restricted" in text and "Review by 2027-05-01" in text
    assert "Names and identifiers removed; small cells suppressed" in text

    # the override is visible on the page and in the history, and audited
    with app.extensions["db_sessionmaker"]() as session, db.write(session):
        from repository.data.models import Document

        session.get(Document, doc_id).minimum_level = "confidential"
    html = page(coord, doc_id)
    r = coord.post(f"/documents/{doc_id}/review", data={
        "csrf_token": token_of(html), "action": "release", "level": "restricted", "rationale": "Still fine.",
        "override": "The contacts are the cluster's public hotline.", **NONE_IDENTIFIED})
    assert r.status_code == 302
    text = plain(page(coord, doc_id))
    assert "Released below the minimum level: The contacts are the cluster's public hotline." in text
    assert "Override below the minimum level: “The contacts are the cluster's public hotline.”" in text


def test_refusals_in_the_browser_show_their_reasons(app, people):
    partner = browser_for(app, people["partner"])
    coord = browser_for(app, people["coord"])
    client = app.test_client()
    body = text_report("Millbrook case list") + PHONES.encode()
    doc_id = new_doc(client, people["partner"], "Millbrook", body=body)["id"]
    html = page(coord, doc_id)
    # a return without comment, a release below the minimum: 422 reasons shown, nothing changes
    r = coord.post(f"/documents/{doc_id}/review", data={"csrf_token": token_of(html), "action": "return"})
    text = plain(r.get_data(as_text=True))
    assert r.status_code == 422
    assert "The return was refused." in text and "what should the uploader change?" in text
    r = coord.post(f"/documents/{doc_id}/review", data={"csrf_token": token_of(html), "action": "release",
                                                        "level": "public", "rationale": "ok", "considered": ["phone"],
                                                        **NONE_IDENTIFIED})
    text = plain(r.get_data(as_text=True))
    assert r.status_code == 422
    assert "below the minimum level" in text and "Phone numbers of individuals (2)" in text
    assert get(client, people["coord"], doc_id).json["state"] == "submitted"
    # the partner may not review through the form
    html = page(partner, doc_id)
    r = partner.post(f"/documents/{doc_id}/review", data={"csrf_token": token_of(html), "action": "release",
                                                          "level": "public", "rationale": "mine"})
    assert r.status_code == 302
    assert "may not" in plain(page(partner, doc_id))
    assert get(client, people["coord"], doc_id).json["state"] == "submitted"


# ----------------------------------------------------------------------------------------------------------------
# re-review: API, page and CLI
# ----------------------------------------------------------------------------------------------------------------


def test_documents_due_for_re_review(app, client, people):
    partner, coord = people["partner"], people["coord"]
    today = dt.datetime.now(dt.UTC).date()
    ids = {}
    for name, review_by in (("old", "2020-01-01"), ("today", today.isoformat()), ("later", "2099-01-01"),
                            ("none", None)):
        ids[name] = new_doc(client, partner, f"Dunmore {name} review")["id"]
        body = {"review_by": review_by} if review_by else {}
        r = review(client, coord, ids[name], action="release", level="restricted", rationale="ok", **body)
        assert r.status_code == 200, r.json
    held = new_doc(client, partner, "Dunmore withheld")["id"]
    assert review(client, coord, held, action="withhold", rationale="Hold.", review_by="2020-01-01").status_code == 200

    r = client.get("/api/v1/reviews/due", headers=coord.headers)
    assert r.status_code == 200, r.json
    assert r.json["date"] == today.isoformat() and r.json["total"] == 2
    assert [d["id"] for d in r.json["documents"]] == [ids["old"], ids["today"]]
    assert r.json["documents"][0]["review_by"] == "2020-01-01" and r.json["documents"][0]["state"] == "released"
    r = client.get("/api/v1/reviews/due", headers=coord.headers, query_string={"date": "2099-06-01"})
    assert [d["id"] for d in r.json["documents"]] == [ids["old"], ids["today"], ids["later"]]
    assert_error(client.get("/api/v1/reviews/due", headers=coord.headers, query_string={"date": "soon"}), 422)
    for who in ("partner", "staff", "admin"):
        assert_error(client.get("/api/v1/reviews/due", headers=people[who].headers), 403, "forbidden")
    assert_error(client.get("/api/v1/reviews/due"), 401, "login_required")

    # a new review date takes it off the list
    assert review(client, coord, ids["old"], action="release", level="restricted", rationale="Checked again.",
                  review_by="2099-01-01").status_code == 200
    r = client.get("/api/v1/reviews/due", headers=coord.headers)
    assert [d["id"] for d in r.json["documents"]] == [ids["today"]]

    # the coordinators' page
    browser = browser_for(app, coord)
    html = browser.get("/review").get_data(as_text=True)
    due = plain(html[html.index('id="due"'):])
    assert "Due for re-review (1)" in due and "Dunmore today review" in due and "Dunmore later" not in due
    for who in ("partner", "staff"):
        assert browser_for(app, people[who]).get("/review").status_code == 403

    # the CLI
    runner = app.test_cli_runner()
    result = runner.invoke(args=["review", "due"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].split("\t")[:4] == [str(ids["today"]), today.isoformat(), "Restricted", "DRC"]
    assert "Dunmore today review" in lines[0] and "1 document(s) due" in lines[-1]
    result = runner.invoke(args=["review", "due", "--date", "2099-12-31"])
    assert result.exit_code == 0 and "3 document(s) due" in result.output
    result = runner.invoke(args=["review", "due", "--date", "2000-01-01"])
    assert result.exit_code == 0 and "No document is due" in result.output
    result = runner.invoke(args=["review", "due", "--date", "tomorrow"])
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output


# ----------------------------------------------------------------------------------------------------------------
# the policy as data (pure: no app)
# ----------------------------------------------------------------------------------------------------------------

OWNER_PARTNER = protocol.Actor(user_id=1, org_id=10, role="partner")
OWNER_STAFF = protocol.Actor(user_id=2, org_id=10, role="staff")
OTHER_PARTNER = protocol.Actor(user_id=3, org_id=20, role="partner")
COORD = protocol.Actor(user_id=4, org_id=30, role="coordinator")
ADMIN = protocol.Actor(user_id=5, org_id=10, role="admin")


def facts(state: str, level: str | None = None) -> protocol.DocFacts:
    return protocol.DocFacts(state=state, level=level, org_id=10, uploader_id=1)


@pytest.mark.parametrize("state", protocol.STATES)
def test_review_loop_policy_matrix(state):
    f = facts(state, "restricted" if state == "released" else None)
    replace_ok = state in ("submitted", "returned")
    assert protocol.possible(OWNER_PARTNER, "replace", f) is replace_ok
    assert protocol.possible(COORD, "replace", f) is False
    assert protocol.possible(OWNER_STAFF, "replace", f) is False
    for actor in (OWNER_PARTNER, COORD):
        assert protocol.allowed(actor, "comment", f) and protocol.allowed(actor, "see_comments", f)
    for actor in (OWNER_STAFF, ADMIN, protocol.ANONYMOUS, protocol.SYSTEM):
        assert not protocol.allowed(actor, "comment", f)
    assert not protocol.allowed(protocol.SYSTEM, "replace", f)
    # an invisible document answers 404 whatever the action; a visible one 403, then 409 for the state
    for action in ("comment", "see_comments", "replace"):
        if state != "released":
            with pytest.raises(protocol.Denied) as refused:
                protocol.require_in_state(OTHER_PARTNER, action, f)
            assert refused.value.status == 404
    with pytest.raises(protocol.Denied) as refused:
        protocol.require_in_state(COORD, "replace", f)
    assert refused.value.status == 403
    if not replace_ok:
        with pytest.raises(protocol.Denied) as refused:
            protocol.require_in_state(OWNER_PARTNER, "replace", f)
        assert refused.value.status == 409 and refused.value.code == "invalid_state"
    assert protocol.possible(OWNER_PARTNER, "submit", f) is (state == "returned")
    assert protocol.possible(COORD, "release", f) is (state in ("submitted", "withheld", "released"))
    assert {"replace", "comment", "audit_export"} <= set(protocol.AUDIT_ACTIONS)
