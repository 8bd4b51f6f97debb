"""Code suggestions accepted in one step: ``POST /api/v1/documents/{id}/codes/accept`` and the document page form.

Who may accept is who may change codes (``PATCH``): the owner organisation's contributors before release, and
coordinators. Accepting is audited as ``update``, recomputes the minimum level, and the index follows at once.
"""

from __future__ import annotations

import re

import pytest
from conftest import csrf
from conftest import login
from conftest import release
from conftest import upload

MINUTES = b"""Minutes of the Protection Sector Working Group meeting
Agenda: 1. Returns to Tawergha. 2. Flood response in Derna. 3. GBV case management referrals in Sebha.
Action points: GBV focal point to call back on +218 91 234 5678.
"""


@pytest.fixture
def doc(app, client, world):
    accounts = {
        "uploader": world.account("uploader@own.example.org", "partner", "OWN"),
        "colleague": world.account("colleague@own.example.org", "partner", "OWN"),
        "owner_staff": world.account("staff@own.example.org", "staff", "OWN"),
        "other_partner": world.account("partner@other.example.org", "partner", "OTHER"),
        "coordinator": world.account("coord@pswg.example.org", "coordinator", "PSWG"),
    }
    r = upload(
        client,
        accounts["uploader"],
        data=MINUTES,
        filename="pswg.txt",
        title="PSWG minutes",
        codes=["doc_type:assessment"],
    )
    assert r.status_code == 201, r.json
    body = r.json
    assert body["suggested_codes"]["location"] == ["location:LY0101", "location:LY0319", "location:LY0214-tawergha"]
    assert body["minimum_level"] == "confidential"
    return accounts, body["id"]


def accept(client, account, doc_id, **body):
    headers = account.headers if account is not None else {}
    return client.post(f"/api/v1/documents/{doc_id}/codes/accept", json=body, headers=headers)


def hits(client, account, **params):
    r = client.get("/api/v1/search", query_string={"per_page": 100, **params}, headers=account.headers)
    return {h["id"] for h in r.json["hits"]}


def test_accept_selected_suggestions(client, doc):
    accounts, doc_id = doc
    uploader = accounts["uploader"]
    assert hits(client, uploader, code="location:LY0214") == set()
    r = accept(
        client, uploader, doc_id, codes=["location:LY0214-tawergha", "location:LY0101", "doc_type:meeting_minutes"]
    )
    assert r.status_code == 200, r.json
    codes = r.json["codes"]
    assert codes["location"] == ["location:LY0101", "location:LY0214-tawergha"]
    assert codes["doc_type"] == ["doc_type:meeting_minutes"]  # one document type: the accepted one replaces
    # re-indexed at once: the district filter (a parent of Tawergha) finds it
    assert hits(client, uploader, code="location:LY0214") == {doc_id}
    assert hits(client, uploader, code="doc_type:assessment") == set()
    # audited as an update
    events = client.get(
        "/api/v1/audit", query_string={"document": doc_id, "action": "update"}, headers=accounts["coordinator"].headers
    ).json["events"]
    assert len(events) == 1 and events[0]["actor"] == uploader.email
    assert events[0]["detail"]["accepted_suggestions"] == [
        "location:LY0214-tawergha",
        "location:LY0101",
        "doc_type:meeting_minutes",
    ]
    assert events[0]["detail"]["removed_codes"] == ["doc_type:assessment"]


def test_accept_all_recomputes_the_minimum_level(client, doc):
    accounts, doc_id = doc
    r = accept(client, accounts["colleague"], doc_id, all=True)
    assert r.status_code == 200, r.json
    body = r.json
    assert "theme:gbv" in body["codes"]["theme"] and "sector:gbv" in body["codes"]["sector"]
    assert body["codes"]["location"] == ["location:LY0101", "location:LY0319", "location:LY0214-tawergha"]
    # GBV coding plus a phone number: the minimum level follows the new codes
    assert body["minimum_level"] == "strictly_confidential"
    assert hits(client, accounts["colleague"], code="theme:gbv") == {doc_id}
    # nothing left to accept: a second "all" changes nothing and writes no second event
    assert accept(client, accounts["colleague"], doc_id, all=True).status_code == 200
    events = client.get(
        "/api/v1/audit", query_string={"document": doc_id, "action": "update"}, headers=accounts["coordinator"].headers
    ).json["events"]
    assert len(events) == 1


def test_refusals(client, doc):
    accounts, doc_id = doc
    uploader = accounts["uploader"]
    r = accept(client, uploader, doc_id, codes=["theme:detention"])  # a real code, but not suggested
    assert r.status_code == 422 and r.json["error"] == "not_suggested"
    r = accept(client, uploader, doc_id, codes=["nope:nope"])
    assert r.status_code == 422 and r.json["error"] == "not_suggested"
    assert accept(client, uploader, doc_id, codes=[]).status_code == 422
    assert accept(client, uploader, doc_id).status_code == 422
    assert accept(client, uploader, doc_id, codes=[1, 2]).status_code == 422
    assert accept(client, uploader, doc_id, all="yes").status_code == 422
    r = client.post(
        f"/api/v1/documents/{doc_id}/codes/accept", data="[]", content_type="application/json", headers=uploader.headers
    )
    assert r.status_code == 400
    # who: the owner organisation's staff sees the document but may not change codes; others do not see it
    assert accept(client, accounts["owner_staff"], doc_id, all=True).status_code == 403
    assert accept(client, accounts["other_partner"], doc_id, all=True).status_code == 404
    assert accept(client, None, doc_id, all=True).status_code == 404
    assert accept(client, uploader, 999999, all=True).status_code == 404
    assert accept(client, uploader, "1e3", all=True).status_code == 404
    # nothing changed by any of these
    doc_json = client.get(f"/api/v1/documents/{doc_id}", headers=uploader.headers).json
    assert doc_json["codes"] == {"doc_type": ["doc_type:assessment"]}


def test_after_release_only_coordinators_accept(client, doc):
    accounts, doc_id = doc
    coordinator = accounts["coordinator"]
    r = release(client, coordinator, doc_id, "confidential", rationale="Partners only.")
    assert r.status_code == 200, r.json
    assert accept(client, accounts["uploader"], doc_id, codes=["location:LY0319"]).status_code == 403
    r = accept(client, coordinator, doc_id, codes=["location:LY0319"])
    assert r.status_code == 200 and r.json["codes"]["location"] == ["location:LY0319"]


def test_document_page_form(app, client, doc):
    accounts, doc_id = doc
    browser = app.test_client()
    assert login(browser, accounts["uploader"].email).status_code == 302
    page = browser.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "Suggested codes" in page and "Accept selected" in page
    form = page.split('id="suggestions"', 1)[1].split("</form>", 1)[0]
    assert f'action="/documents/{doc_id}/codes/accept"' in form and 'name="csrf_token"' in form
    assert 'value="location:LY0214-tawergha"' in form and "mentions &#39;Tawergha&#39; once" in form
    assert "تاورغاء" in form  # Arabic label
    token = csrf(browser, f"/documents/{doc_id}")
    # without the CSRF token: refused
    assert browser.post(f"/documents/{doc_id}/codes/accept", data={"codes": ["location:LY0101"]}).status_code == 400
    r = browser.post(
        f"/documents/{doc_id}/codes/accept", data={"codes": ["location:LY0101", "theme:gbv"], "csrf_token": token}
    )
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/documents/{doc_id}")
    page = browser.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "Suggested codes added." in page
    form = page.split('id="suggestions"', 1)[1].split("</form>", 1)[0]
    assert 'value="location:LY0101"' not in form and 'value="location:LY0319"' in form  # only what is left
    assert re.search(r"Minimum level</dt><dd>Strictly confidential", page)
    # a code that was not suggested: the page says why, nothing changes
    r = browser.post(f"/documents/{doc_id}/codes/accept", data={"codes": ["theme:psea"], "csrf_token": token})
    assert r.status_code == 302
    assert "Not among this document" in browser.get(f"/documents/{doc_id}").get_data(as_text=True)

    # the owner organisation's staff: no form, and a forged post is refused
    staff = app.test_client()
    assert login(staff, accounts["owner_staff"].email).status_code == 302
    page = staff.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "Accept selected" not in page
    token = csrf(staff, f"/documents/{doc_id}")
    assert (
        staff.post(
            f"/documents/{doc_id}/codes/accept", data={"codes": ["location:LY0319"], "csrf_token": token}
        ).status_code
        == 403
    )
    # another organisation's partner: the document does not exist
    other = app.test_client()
    assert login(other, accounts["other_partner"].email).status_code == 302
    token = csrf(other, "/")
    assert (
        other.post(
            f"/documents/{doc_id}/codes/accept", data={"codes": ["location:LY0319"], "csrf_token": token}
        ).status_code
        == 404
    )
