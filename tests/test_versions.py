"""Versions of a released document (issue 13, item 1), through the HTTP API and the pages: the owner organisation
uploads a new version, it goes through the intake of an upload and enters review; until a coordinator releases it
the audience keeps the released version (search, snippets, download, JSON); release, return and withhold act on
the version in review; the history lists every version with its hash and decisions; the audit trail names it."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import pytest
from conftest import GATE_CODES
from conftest import accounts
from conftest import browser_for
from conftest import coordinator_view
from conftest import post_page_form
from conftest import release
from conftest import release_body
from conftest import text_report
from conftest import upload

from repository import protocol


@pytest.fixture
def cast(world):
    return accounts(world, "partner", "colleague", "drc_staff", "other_partner", "coord", "staff")


def released(client, owner, coord, words: str, level: str = "restricted") -> int:
    r = upload(client, owner, data=text_report(words), filename="report.txt", title="Monthly report",
               codes=list(GATE_CODES))
    assert r.status_code == 201, r.json
    doc_id = r.json["id"]
    r = release(client, coord, doc_id, level)
    assert r.status_code == 200, r.json
    return doc_id


def new_version(client, account, doc_id, data: bytes, filename: str = "report-v2.txt"):
    return client.post(f"/api/v1/documents/{doc_id}/versions", headers=account.headers,
                       data={"file": (io.BytesIO(data), filename)}, content_type="multipart/form-data")


def hits(client, account, q: str) -> list[int]:
    headers = account.headers if account else {}
    r = client.get("/api/v1/search", headers=headers, query_string={"q": q})
    assert r.status_code == 200, r.json
    return [h["id"] for h in r.json["hits"]]


@dataclass
class Answer:
    status_code: int
    data: bytes


def file_of(client, account, doc_id, version=None, path="/api/v1/documents/{}/file") -> Answer:
    headers = account.headers if account else {}
    query = {"version": version} if version is not None else {}
    r = client.get(path.format(doc_id), headers=headers, query_string=query)
    try:
        return Answer(r.status_code, r.get_data())
    finally:
        r.close()


def test_a_new_version_waits_for_review_while_the_audience_keeps_the_released_one(client, cast):
    owner, coord, staff = cast["partner"], cast["coord"], cast["staff"]
    v1 = text_report("oldwording lemonade")
    doc_id = released(client, owner, coord, "oldwording lemonade")
    v2 = text_report("newwording lemonade")
    r = new_version(client, owner, doc_id, v2)
    assert r.status_code == 201, r.json
    assert {k: r.json[k] for k in ("document_id", "version", "state")} == {
        "document_id": doc_id, "version": 2, "state": "submitted"}

    for who in (owner, cast["colleague"], cast["drc_staff"], cast["other_partner"], coord, staff):
        assert hits(client, who, "newwording") == []  # the index holds the released version
        assert hits(client, who, "oldwording") == [doc_id]
        assert file_of(client, who, doc_id).data == v1
        assert file_of(client, who, doc_id, 1).data == v1
    for who in (owner, cast["colleague"], coord):
        assert file_of(client, who, doc_id, 2).data == v2
        doc = client.get(f"/api/v1/documents/{doc_id}", headers=who.headers).json
        assert (doc["version"], doc["pending_version"]) == (1, 2)
        assert doc["sha256"] == hashlib.sha256(v1).hexdigest()
    for who in (cast["drc_staff"], cast["other_partner"], staff):
        assert file_of(client, who, doc_id, 2).status_code == 403
        assert file_of(client, who, doc_id, 7).status_code == 403  # not a probe of which versions exist
        doc = client.get(f"/api/v1/documents/{doc_id}", headers=who.headers).json
        assert doc["version"] == 1 and "pending_version" not in doc
        assert client.get(f"/api/v1/documents/{doc_id}/versions", headers=who.headers).status_code == 403
    assert file_of(client, None, doc_id, 2).status_code == 404  # restricted: anonymous visitors do not see it
    assert client.get(f"/api/v1/documents/{doc_id}/versions").status_code == 404

    history = client.get(f"/api/v1/documents/{doc_id}/versions", headers=coord.headers).json["versions"]
    assert [(v["version"], v["state"], v["sha256"]) for v in history] == [
        (1, "released", hashlib.sha256(v1).hexdigest()), (2, "submitted", hashlib.sha256(v2).hexdigest())]
    assert history[0]["released_at"] and history[1]["released_at"] is None
    assert [d["action"] for d in history[0]["decisions"]] == ["upload", "release"]
    assert [d["action"] for d in history[1]["decisions"]] == ["new_version"]

    r = client.post(f"/api/v1/documents/{doc_id}/review", headers=coord.headers,
                    json=release_body(coordinator_view(client, coord, doc_id), "restricted"))
    assert r.status_code == 200, r.json
    assert (r.json["version"], r.json["pending_version"]) == (2, None)
    for who in (owner, cast["drc_staff"], cast["other_partner"], coord, staff):
        assert hits(client, who, "newwording") == [doc_id]
        assert hits(client, who, "oldwording") == []
        assert file_of(client, who, doc_id).data == v2
        assert file_of(client, who, doc_id, 2).data == v2
        assert client.get(f"/api/v1/documents/{doc_id}", headers=who.headers).json["version"] == 2
    assert file_of(client, staff, doc_id, 1).status_code == 403
    assert file_of(client, owner, doc_id, 1).data == v1  # files stay stored
    history = client.get(f"/api/v1/documents/{doc_id}/versions", headers=owner.headers).json["versions"]
    assert [(v["version"], v["state"]) for v in history] == [(1, "superseded"), (2, "released")]
    assert [d["action"] for d in history[1]["decisions"]] == ["new_version", "release"]

    trail = client.get("/api/v1/audit", headers=coord.headers, query_string={"document_id": doc_id}).json
    events = trail.get("events", trail)
    named = {(e["action"], (e["detail"] or {}).get("version")) for e in events}
    assert {("new_version", 2), ("release", 2), ("download", 2), ("download", 1)} <= named


def test_return_and_withhold_act_on_the_version_in_review(client, cast):
    owner, coord, staff = cast["partner"], cast["coord"], cast["staff"]
    doc_id = released(client, owner, coord, "stableoriginal text")
    assert new_version(client, owner, doc_id, text_report("returnedrevision")).status_code == 201
    r = client.post(f"/api/v1/documents/{doc_id}/review", headers=coord.headers,
                    json={"action": "return", "rationale": "Please remove the annex."})
    assert r.status_code == 200, r.json
    assert (r.json["state"], r.json["version"], r.json["pending_version"]) == ("released", 1, None)
    assert r.json["comments"][-1]["text"] == "Please remove the annex."
    assert hits(client, staff, "stableoriginal") == [doc_id]

    assert new_version(client, owner, doc_id, text_report("withheldrevision")).status_code == 201
    r = client.post(f"/api/v1/documents/{doc_id}/review", headers=coord.headers,
                    json={"action": "withhold", "rationale": "Not now."})
    assert r.status_code == 200, r.json
    assert r.json["state"] == "released"
    doc = client.get(f"/api/v1/documents/{doc_id}", headers=staff.headers)
    assert doc.status_code == 200 and doc.json["version"] == 1
    assert hits(client, staff, "stableoriginal") == [doc_id]
    assert hits(client, coord, "withheldrevision") == [] and hits(client, coord, "returnedrevision") == []
    history = client.get(f"/api/v1/documents/{doc_id}/versions", headers=coord.headers).json["versions"]
    assert [(v["version"], v["state"]) for v in history] == [(1, "released"), (2, "returned"), (3, "withheld")]
    assert [d["action"] for d in history[1]["decisions"]] == ["new_version", "return"]
    assert history[2]["decisions"][-1]["rationale"] == "Not now."
    # with no version in review a decision is on the document again
    r = client.post(f"/api/v1/documents/{doc_id}/review", headers=coord.headers,
                    json={"action": "withhold", "rationale": "Withdrawn."})
    assert r.status_code == 200 and r.json["state"] == "withheld"
    assert client.get(f"/api/v1/documents/{doc_id}", headers=staff.headers).status_code == 404


def test_who_may_upload_a_version_and_when(client, cast):
    owner, coord = cast["partner"], cast["coord"]
    doc_id = released(client, owner, coord, "permissions original")
    body = text_report("permissions revision")
    assert new_version(client, cast["other_partner"], doc_id, body).status_code == 403
    assert new_version(client, cast["drc_staff"], doc_id, body).status_code == 403  # staff do not contribute
    assert new_version(client, coord, doc_id, body).status_code == 403  # the owner organisation's, not theirs
    public = released(client, owner, coord, "permissions public", "public")
    anonymous = client.post(f"/api/v1/documents/{public}/versions", data={"file": (io.BytesIO(body), "a.txt")},
                            content_type="multipart/form-data")
    assert anonymous.status_code == 401
    anonymous = client.post(f"/api/v1/documents/{doc_id}/versions", data={"file": (io.BytesIO(body), "a.txt")},
                            content_type="multipart/form-data")
    assert anonymous.status_code == 404  # restricted: not theirs to know of
    assert new_version(client, owner, 987654, body).status_code == 404
    submitted = upload(client, owner, data=text_report("still submitted"), filename="s.txt").json["id"]
    assert new_version(client, owner, submitted, body).status_code == 409
    confidential = released(client, owner, coord, "confidential original", "confidential")
    assert new_version(client, cast["other_partner"], confidential, body).status_code == 404
    r = client.post(f"/api/v1/documents/{doc_id}/versions", headers=owner.headers, data={},
                    content_type="multipart/form-data")
    assert r.status_code == 400
    assert new_version(client, cast["colleague"], doc_id, body).status_code == 201  # any contributor of the org
    r = new_version(client, owner, doc_id, text_report("a third one"))
    assert r.status_code == 409 and r.json["error"] == "version_pending"


def test_a_version_goes_through_the_intake_of_an_upload(client, cast):
    owner, coord = cast["partner"], cast["coord"]
    doc_id = released(client, owner, coord, "intake original")
    other_id = released(client, owner, coord, "another document entirely")
    assert new_version(client, owner, doc_id, text_report("intake original")).status_code == 409  # itself
    assert new_version(client, owner, doc_id, text_report("another document entirely")).status_code == 409
    assert new_version(client, owner, doc_id, b"\x7fELF\x02\x01\x01binary", "tool.txt").status_code == 415
    r = new_version(client, owner, doc_id, b"<html><script>alert(1)</script></html>", "page.html")
    assert r.status_code == 415
    contact = text_report("Contact the caseworker at +218 91 234 5678 or case.worker@example.org")
    r = new_version(client, owner, doc_id, contact)
    assert r.status_code == 201, r.json
    kinds = {f["kind"] for f in r.json["detected"]}
    assert {"phone", "email"} <= kinds
    assert protocol.level_rank(r.json["minimum_level"]) > protocol.level_rank("public")
    # its bytes are taken: neither a new document nor another version may repeat them
    assert upload(client, owner, data=contact, filename="again.txt").status_code == 409
    assert new_version(client, owner, other_id, contact).status_code == 409
    # the release is judged on the new version's findings and minimum level
    doc = coordinator_view(client, coord, doc_id)
    r = client.post(f"/api/v1/documents/{doc_id}/review", headers=coord.headers, json=release_body(doc, "public"))
    assert r.status_code == 422, r.json
    assert client.get(f"/api/v1/documents/{doc_id}", headers=owner.headers).json["pending_version"] == 2
    r = client.post(f"/api/v1/documents/{doc_id}/review", headers=coord.headers,
                    json=release_body(doc, r.json.get("minimum_level") or "confidential"))
    assert r.status_code in (200, 422), r.json
    assert client.get(f"/api/v1/documents/{doc_id}", headers=coord.headers).json["pending_version"] == (
        None if r.status_code == 200 else 2)


def test_bad_version_numbers_are_clear_refusals(client, cast):
    owner, coord = cast["partner"], cast["coord"]
    doc_id = released(client, owner, coord, "numbers original", "public")
    assert file_of(client, coord, doc_id, "abc").status_code == 422
    assert file_of(client, coord, doc_id, "-1").status_code == 422
    assert file_of(client, coord, doc_id, "99").status_code == 404
    assert file_of(client, None, doc_id, "1").status_code == 200
    assert file_of(client, None, doc_id, "2").status_code == 401
    assert file_of(client, None, 987654, "1").status_code == 404
    history = client.get(f"/api/v1/documents/{doc_id}/versions", headers=owner.headers).json["versions"]
    assert [(v["version"], v["state"]) for v in history] == [(1, "released")]


def test_reindex_changes_no_answer(app, client, cast):
    owner, coord = cast["partner"], cast["coord"]
    doc_id = released(client, owner, coord, "reindexed original sunflower")
    assert new_version(client, owner, doc_id, text_report("reindexed pending sunflower")).status_code == 201
    who_all = [None, *cast.values()]
    queries = ("sunflower", "pending", "original")
    before = {(i, q): hits(client, w, q) for i, w in enumerate(who_all) for q in queries}
    assert app.test_cli_runner().invoke(args=["reindex"]).exit_code == 0
    after = {(i, q): hits(client, w, q) for i, w in enumerate(who_all) for q in queries}
    assert before == after
    assert all(after[(i, "pending")] == [] for i in range(len(who_all)))


def test_the_document_page_shows_the_history_and_the_form(app, client, cast):
    owner, coord, staff = cast["partner"], cast["coord"], cast["staff"]
    doc_id = released(client, owner, coord, "page original")
    browser = browser_for(app, owner)
    page = browser.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert f'action="/documents/{doc_id}/versions"' in page
    r = browser.post(f"/documents/{doc_id}/versions", data={
        "csrf_token": _token(page), "file": (io.BytesIO(text_report("page revision")), "page-v2.txt")},
        content_type="multipart/form-data")
    assert r.status_code == 302, r.get_data(as_text=True)
    page = browser.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "page-v2.txt" in page and "Version history" in page
    assert f'action="/documents/{doc_id}/versions"' not in page  # one version in review at a time
    coord_page = browser_for(app, coord).get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "page-v2.txt" in coord_page and "Version history" in coord_page
    staff_page = browser_for(app, staff).get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "page-v2.txt" not in staff_page and "Version history" not in staff_page
    assert "/versions" not in staff_page
    # a version's file from the page (owner and coordinators)
    r = file_of(browser, None, doc_id, 2, "/documents/{}/file")
    assert r.status_code == 200 and r.data == text_report("page revision")
    assert file_of(browser_for(app, staff), None, doc_id, 2, "/documents/{}/file").status_code == 403
    # a page form without a file is a clear refusal
    r = post_page_form(browser, f"/documents/{doc_id}/versions", page, {})
    assert r.status_code in (302, 400, 409)


def _token(html: str) -> str:
    from conftest import token_of

    return token_of(html)


def test_a_released_version_brings_its_near_duplicates(client, cast):
    owner, coord = cast["partner"], cast["coord"]
    words = " ".join(f"word{i} district{i % 7} shelter{i % 5}" for i in range(120))
    doc_id = released(client, owner, coord, "an unrelated short note about something else entirely")
    twin = released(client, owner, coord, words)
    assert twin not in [s["id"] for s in client.get(f"/api/v1/documents/{doc_id}", headers=coord.headers).json.get(
        "similar", [])]
    assert new_version(client, owner, doc_id, text_report(words + " revised")).status_code == 201
    r = client.post(f"/api/v1/documents/{doc_id}/review", headers=coord.headers,
                    json=release_body(coordinator_view(client, coord, doc_id), "restricted"))
    assert r.status_code == 200, r.json
    similar = client.get(f"/api/v1/documents/{doc_id}", headers=coord.headers).json.get("similar", [])
    assert twin in [s["id"] for s in similar]
