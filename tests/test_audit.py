"""The audit trail: every audited action reaches ``GET /api/v1/audit`` with the documented shape and details;
the filters work; only coordinators may read it (API and HTML)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import PASSWORD
from conftest import csrf
from conftest import login
from conftest import new_doc
from conftest import post_review as review
from conftest import text_report

from repository.data import db
from repository.data.models import Document

pytestmark = pytest.mark.usefixtures("no_request_rate_limits")

EVENT_KEYS = {"at", "actor", "action", "document_id", "detail"}


def cell(html: str, value: str) -> bool:
    """Whether an HTML table cell holds exactly ``value``."""
    return re.search(rf"<td[^>]*>\s*{re.escape(value)}\s*</td>", html) is not None


def audit(client, coord, **params) -> dict:
    """GET /api/v1/audit as a coordinator; checks the documented shape of the answer."""
    r = client.get("/api/v1/audit", headers=coord.headers, query_string=params)
    assert r.status_code == 200, r.get_data(as_text=True)
    body = r.json
    assert isinstance(body["total"], int) and isinstance(body["events"], list)
    for event in body["events"]:
        assert EVENT_KEYS <= set(event), event
        assert isinstance(event["action"], str) and isinstance(event["detail"], dict)
        assert event["document_id"] is None or isinstance(event["document_id"], int)
        at = dt.datetime.fromisoformat(event["at"])
        assert abs((at.replace(tzinfo=at.tzinfo or dt.UTC) - dt.datetime.now(dt.UTC)).total_seconds()) < 600
    return body


def events(client, coord, **params) -> list[dict]:
    """Every matching event (all pages), newest first."""
    out: list[dict] = []
    page = 1
    while True:
        body = audit(client, coord, page=page, **params)
        out.extend(body["events"])
        if not body["events"] or len(out) >= body["total"]:
            assert len(out) == body["total"]
            return out
        page += 1


def one(client, coord, **params) -> dict:
    """The single event matching the filters."""
    found = events(client, coord, **params)
    assert len(found) == 1, found
    return found[0]


# ----------------------------------------------------------------------------------------------------------------


def test_account_events(app, client, people):
    coord, partner = people["coord"], people["partner"]
    # token_create: the fixture created one token per account
    for account in people.values():
        event = one(client, coord, action="token_create", actor=account.email)
        assert event["actor"] == account.email and event["document_id"] is None

    browser = app.test_client()
    assert login(browser, partner.email, "a wrong password entirely").status_code == 401
    assert login(browser, "ghost@nowhere.example.org", PASSWORD).status_code == 401
    assert login(browser, partner.email.upper()).status_code == 302
    logout_token = csrf(browser, "/")
    assert browser.post("/logout", data={"csrf_token": logout_token}).status_code == 302

    failed = events(client, coord, action="login_failed")
    assert {e["actor"] for e in failed} == {partner.email, "ghost@nowhere.example.org"}
    assert all(e["document_id"] is None for e in failed)
    assert one(client, coord, action="login")["actor"] == partner.email
    assert one(client, coord, action="logout")["actor"] == partner.email
    # newest first: login_failed, login_failed, login, logout
    mine = [e["action"] for e in events(client, coord, actor=partner.email)]
    assert mine[:4] == ["logout", "login", "login_failed", "token_create"]
    # passwords never reach the trail
    everything = str(events(client, coord))
    assert "a wrong password entirely" not in everything and PASSWORD not in everything


def test_document_events_with_details(app, client, people):
    coord, partner, staff = people["coord"], people["partner"], people["staff"]
    doc_id = new_doc(client, partner, "Auditmoor water report")

    event = one(client, coord, action="upload", document=doc_id)
    assert event["actor"] == partner.email
    assert event["detail"]["filename"] == "report.txt" and event["detail"]["mime"] == "text/plain"
    assert event["detail"]["size"] == len(text_report("Auditmoor water report"))

    # view: API GET and HTML page
    assert client.get(f"/api/v1/documents/{doc_id}", headers=partner.headers).status_code == 200
    browser = app.test_client()
    login(browser, coord.email)
    assert browser.get(f"/documents/{doc_id}").status_code == 200
    views = events(client, coord, action="view", document=doc_id)
    assert [e["actor"] for e in views] == [coord.email, partner.email]

    # download: API and HTML
    r = client.get(f"/api/v1/documents/{doc_id}/file", headers=partner.headers)
    assert r.status_code == 200
    r.close()
    r = browser.get(f"/documents/{doc_id}/file")
    assert r.status_code == 200
    r.close()
    assert [e["actor"] for e in events(client, coord, action="download", document=doc_id)] == [
        coord.email,
        partner.email,
    ]

    # update
    r = client.patch(f"/api/v1/documents/{doc_id}", headers=partner.headers,
                     json={"title": "Auditmoor water points", "codes": ["doc_type:assessment", "location:LY0319"]})
    assert r.status_code == 200
    event = one(client, coord, action="update", document=doc_id)
    assert event["actor"] == partner.email and event["detail"]["fields"] == ["codes", "title"]

    # return, submit, withhold
    assert review(client, coord, doc_id, action="return", rationale="Remove the annex.").status_code == 200
    event = one(client, coord, action="return", document=doc_id)
    assert event["actor"] == coord.email and event["detail"]["rationale"] == "Remove the annex."
    assert client.post(f"/api/v1/documents/{doc_id}/submit", headers=partner.headers).status_code == 200
    assert one(client, coord, action="submit", document=doc_id)["actor"] == partner.email
    assert review(client, coord, doc_id, action="withhold", rationale="Consent unclear.").status_code == 200
    event = one(client, coord, action="withhold", document=doc_id)
    assert event["detail"]["rationale"] == "Consent unclear."

    # release with grants: a release event and a grant event
    r = review(client, coord, doc_id, action="release", level="confidential", rationale="Site names; UNHCR leads.",
               grant_orgs=["UNHCR"], risks=["targeting"], benefits=["coordination"], review_by="2031-01-01")
    assert r.status_code == 200, r.json
    event = one(client, coord, action="release", document=doc_id)
    assert event["actor"] == coord.email
    detail = event["detail"]
    assert detail["rationale"] == "Site names; UNHCR leads." and detail["level"] == "confidential"
    assert detail["grant_orgs"] == ["UNHCR"] and detail["risks"] == ["targeting"]
    assert detail["benefits"] == ["coordination"] and detail["review_by"] == "2031-01-01"
    grant = one(client, coord, action="grant", document=doc_id)
    assert grant["actor"] == coord.email and grant["detail"]["grant_orgs"] == ["UNHCR"]

    # re-classification to strictly confidential: grants change again
    r = review(client, coord, doc_id, action="release", level="strictly_confidential",
               rationale="Case details found.", grant_users=[staff.email])
    assert r.status_code == 200, r.json
    releases = events(client, coord, action="release", document=doc_id)
    assert [e["detail"]["level"] for e in releases] == ["strictly_confidential", "confidential"]
    assert releases[0]["detail"]["grant_users"] == [staff.email]
    grants = events(client, coord, action="grant", document=doc_id)
    assert len(grants) == 2
    assert grants[0]["detail"]["grant_users"] == [staff.email]
    assert grants[0]["detail"]["previous_orgs"] == ["UNHCR"]
    # the same release again changes no grant: no new grant event
    r = review(client, coord, doc_id, action="release", level="strictly_confidential",
               rationale="Confirmed.", grant_users=[staff.email])
    assert r.status_code == 200
    assert len(events(client, coord, action="grant", document=doc_id)) == 2

    # the document filter returns this document's events only, newest first, in workflow order
    trail = [e["action"] for e in events(client, coord, document=doc_id)]
    assert trail[::-1] == [
        "upload", "view", "view", "download", "download", "update", "return", "submit", "withhold",
        "grant", "release", "grant", "release", "release",
    ]
    # the HTML page shows the same trail
    page = browser.get(f"/audit?document={doc_id}").get_data(as_text=True)
    assert re.search(r">\s*14 events\s*<", page)  # reading the trail adds no event
    for action in ("upload", "view", "download", "update", "return", "submit", "withhold", "release", "grant"):
        assert cell(page, action)
    assert "Site names; UNHCR leads." in page


def test_override_below_minimum_level(app, client, people):
    coord, partner = people["coord"], people["partner"]
    doc_id = new_doc(client, partner, "Minimoor incident log")
    with app.extensions["db_sessionmaker"]() as session, db.write(session):
        doc = session.get(Document, doc_id)
        doc.minimum_level = "confidential"
        doc.minimum_reasons = ["Names people and places of detention."]
    assert client.get(f"/api/v1/documents/{doc_id}", headers=coord.headers).json["minimum_level"] == "confidential"

    base = {"action": "release", "level": "restricted", "rationale": "Needed for the referral network."}
    r = review(client, coord, doc_id, **base)
    assert r.status_code == 422, r.json
    assert r.json["error"] == "below_minimum" and isinstance(r.json["message"], str)
    assert "Names people and places of detention." in r.json["reasons"]
    assert any("minimum" in reason for reason in r.json["reasons"])
    assert events(client, coord, action="override") == [] and events(client, coord, action="release") == []
    assert client.get(f"/api/v1/documents/{doc_id}", headers=coord.headers).json["state"] == "submitted"
    assert client.get(f"/api/v1/documents/{doc_id}", headers=people["staff"].headers).status_code == 404

    r = review(client, coord, doc_id, **base, override="Names were checked and replaced by codes.")
    assert r.status_code == 200, r.json
    assert r.json["state"] == "released" and r.json["level"] == "restricted"
    assert r.json["override"] == "Names were checked and replaced by codes."
    event = one(client, coord, action="override", document=doc_id)
    assert event["actor"] == coord.email
    assert event["detail"]["override"] == "Names were checked and replaced by codes."
    assert event["detail"]["level"] == "restricted" and event["detail"]["minimum_level"] == "confidential"
    release = one(client, coord, action="release", document=doc_id)
    assert release["detail"]["override"] == "Names were checked and replaced by codes."
    assert release["detail"]["rationale"] == "Needed for the referral network."
    assert client.get(f"/api/v1/documents/{doc_id}", headers=people["staff"].headers).status_code == 200

    # at or above the minimum, no override is needed and none is kept
    r = review(client, coord, doc_id, action="release", level="confidential", rationale="Tightened.",
               override="not needed")
    assert r.status_code == 200 and r.json["override"] is None
    assert len(events(client, coord, action="override")) == 1


def test_filters_and_pages(client, people):
    coord, partner, staff = people["coord"], people["partner"], people["staff"]
    first = new_doc(client, partner, "Pagewick first report")
    second = new_doc(client, partner, "Pagewick second report")
    assert review(client, coord, second, action="release", level="restricted", rationale="ok").status_code == 200
    for _ in range(30):
        assert client.get(f"/api/v1/documents/{first}", headers=partner.headers).status_code == 200
        assert client.get(f"/api/v1/documents/{second}", headers=staff.headers).status_code == 200

    everything = audit(client, coord)
    total = everything["total"]
    assert total > 60 and len(everything["events"]) == 50
    page2 = audit(client, coord, page=2)
    assert page2["total"] == total and len(page2["events"]) == total - 50
    assert audit(client, coord, page=99)["events"] == []
    stamps = [e["at"] for e in everything["events"] + page2["events"]]
    assert stamps == sorted(stamps, reverse=True)  # newest first across pages

    views_first = events(client, coord, document=first, action="view")
    assert len(views_first) == 30 and {e["actor"] for e in views_first} == {partner.email}
    assert {e["document_id"] for e in events(client, coord, document=second)} == {second}
    staff_events = events(client, coord, actor=staff.email)
    assert {e["action"] for e in staff_events} == {"token_create", "view"} and len(staff_events) == 31
    assert events(client, coord, actor=staff.email.upper(), action="view") == staff_events[:30]
    assert audit(client, coord, actor=staff.email, action="upload")["total"] == 0
    assert {e["action"] for e in events(client, coord, action="upload")} == {"upload"}
    assert audit(client, coord, action="upload")["total"] == 2
    assert audit(client, coord, document=999999)["total"] == 0
    today = dt.datetime.now(dt.UTC).date()
    assert audit(client, coord, **{"from": today.isoformat()})["total"] == total
    assert audit(client, coord, to=(today - dt.timedelta(days=2)).isoformat())["total"] == 0

    for bad in ({"page": "0"}, {"page": "abc"}, {"document": "abc"}):
        r = client.get("/api/v1/audit", headers=coord.headers, query_string=bad)
        assert r.status_code == 400 and r.json["error"] == "bad_request", (bad, r.json)
    r = client.get("/api/v1/audit", headers=coord.headers, query_string={"from": "yesterday"})
    assert r.status_code == 422


def test_only_coordinators_read_the_audit_trail(app, client, people):
    new_doc(client, people["partner"], "Secretburn report")
    for role in ("partner", "staff", "admin"):
        r = client.get("/api/v1/audit", headers=people[role].headers)
        assert r.status_code == 403 and r.json["error"] == "forbidden", role
        assert "events" not in r.json
    r = client.get("/api/v1/audit")
    assert r.status_code == 401 and r.json["error"] == "login_required" and "events" not in r.json
    r = client.get("/api/v1/audit", headers={"Authorization": "Bearer rp_forged"})
    assert r.status_code == 401 and r.json["error"] == "bad_token"

    for role in ("partner", "staff", "admin"):
        browser = app.test_client()
        assert login(browser, people[role].email).status_code == 302
        page = browser.get("/audit")
        assert page.status_code == 403, role
        assert not cell(page.get_data(as_text=True), "upload")
        assert 'href="/audit"' not in browser.get("/").get_data(as_text=True)  # not offered in the menu
    anonymous = app.test_client().get("/audit")
    assert anonymous.status_code in (401, 302)
    if anonymous.status_code == 302:
        assert anonymous.headers["Location"].startswith("/login")
    assert not cell(anonymous.get_data(as_text=True), "upload")

    browser = app.test_client()
    login(browser, people["coord"].email)
    page = browser.get("/audit")
    assert page.status_code == 200 and cell(page.get_data(as_text=True), "upload")
    assert 'href="/audit"' in browser.get("/").get_data(as_text=True)
