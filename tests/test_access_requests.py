"""Metadata-only discovery and access requests through the API and the pages: a coordinator makes a confidential or
strictly confidential release discoverable; accounts outside the audience see its metadata only and ask for access;
coordinators grant (a user grant, audited as a grant) or refuse (nothing changes); every step is audited."""

from __future__ import annotations

import pytest
from conftest import GATE_CODES
from conftest import accounts
from conftest import browser_for
from conftest import coordinator_view
from conftest import post_page_form
from conftest import release
from conftest import text_report
from conftest import upload

METADATA_KEYS = {"id", "title", "summary", "org", "level", "codes", "published", "state", "metadata_only"}


@pytest.fixture
def cast(world):
    return accounts(world, "partner", "other_partner", "staff", "staff2", "coord")


def _doc(client, owner, words: str) -> int:
    r = upload(client, owner, data=text_report(f"Body {words}bodyword"), filename=f"{words}file.txt",
               title=f"Title {words}titleword", summary=f"Summary of {words}", codes=list(GATE_CODES))
    assert r.status_code == 201, r.json
    return r.json["id"]


def _search(client, who, q):
    r = client.get("/api/v1/search", query_string={"q": q}, headers=who.headers if who else {})
    assert r.status_code == 200, r.json
    return r.json


def _audit(client, coord, doc_id):
    return client.get("/api/v1/audit", query_string={"document": doc_id}, headers=coord.headers).json["events"]


@pytest.mark.parametrize("level", ["confidential", "strictly_confidential"])
def test_a_discoverable_release_shows_metadata_only_and_a_grant_opens_it(client, cast, level):
    partner, outsider, coord = cast["partner"], cast["other_partner"], cast["coord"]
    doc_id = _doc(client, partner, "alpha")
    r = release(client, coord, doc_id, level, discoverable=True)
    assert r.status_code == 200, r.json
    assert r.json["discoverable"] is True

    # outside the audience: the metadata only
    r = client.get(f"/api/v1/documents/{doc_id}", headers=outsider.headers)
    assert r.status_code == 200 and set(r.json) == METADATA_KEYS and r.json["metadata_only"] is True
    assert r.json["title"] == "Title alphatitleword" and r.json["level"] == level and r.json["org"] == "DRC"
    assert client.get(f"/api/v1/documents/{doc_id}/file", headers=outsider.headers).status_code == 404
    assert client.get(f"/api/v1/documents/{doc_id}/comments", headers=outsider.headers).status_code == 404
    found = _search(client, outsider, "alphatitleword")
    assert found["total"] == 1 and found["hits"][0]["metadata_only"] is True and "snippet" not in found["hits"][0]
    assert _search(client, outsider, "alphabodyword")["total"] == 0  # never found by its text
    assert "alphabodyword" not in str(found)
    # anonymous visitors never see it
    assert client.get(f"/api/v1/documents/{doc_id}").status_code == 404
    assert _search(client, None, "alphatitleword")["total"] == 0
    # the owner organisation and coordinators see it whole
    assert "filename" in client.get(f"/api/v1/documents/{doc_id}", headers=coord.headers).json
    assert "snippet" in _search(client, partner, "alphatitleword")["hits"][0]

    # the request
    r = client.post(f"/api/v1/documents/{doc_id}/access-requests", headers=outsider.headers,
                    json={"reason": "Case management referral."})
    assert r.status_code == 201 and r.json["state"] == "pending", r.json
    rid = r.json["id"]
    again = client.post(f"/api/v1/documents/{doc_id}/access-requests", headers=outsider.headers, json={"reason": "x"})
    assert again.status_code == 409 and again.json["error"] == "already_pending"
    mine = client.get("/api/v1/access-requests", headers=outsider.headers).json["requests"]
    assert mine == [{"id": rid, "document_id": doc_id, "requester": outsider.email,
                     "reason": "Case management referral.", "state": "pending", "answered_by": None, "note": ""}]

    # the grant
    r = client.post(f"/api/v1/access-requests/{rid}", headers=coord.headers, json={"action": "grant", "note": "OK"})
    assert r.status_code == 200 and r.json["state"] == "granted" and r.json["answered_by"] == coord.email
    full = client.get(f"/api/v1/documents/{doc_id}", headers=outsider.headers).json
    assert "metadata_only" not in full and full["sha256"]
    with client.get(f"/api/v1/documents/{doc_id}/file", headers=outsider.headers) as r:
        assert r.status_code == 200
    hit = _search(client, outsider, "alphabodyword")["hits"][0]
    assert "alphabodyword" in hit["snippet"] and "metadata_only" not in hit
    assert outsider.email in coordinator_view(client, coord, doc_id)["grant_users"]
    events = _audit(client, coord, doc_id)
    actions = [e["action"] for e in events]
    assert {"access_request", "grant", "access_grant"} <= set(actions)
    grant = next(e for e in events if e["action"] == "grant" and e["detail"].get("access_request") == rid)
    assert grant["actor"] == coord.email and grant["detail"]["grant_users"] == [outsider.email]
    assert any(e["action"] == "view" and e["detail"].get("metadata_only") for e in events)
    # answered once only
    assert client.post(f"/api/v1/access-requests/{rid}", headers=coord.headers,
                       json={"action": "refuse"}).status_code == 409


def test_refuse_changes_nothing_and_is_audited(client, cast):
    partner, outsider, coord = cast["partner"], cast["staff"], cast["coord"]
    doc_id = _doc(client, partner, "beta")
    assert release(client, coord, doc_id, "confidential", discoverable=True).status_code == 200
    rid = client.post(f"/api/v1/documents/{doc_id}/access-requests", headers=outsider.headers,
                      json={"reason": "Please."}).json["id"]
    r = client.post(f"/api/v1/access-requests/{rid}", headers=coord.headers, json={"action": "refuse", "note": "No."})
    assert r.status_code == 200 and r.json["state"] == "refused" and r.json["note"] == "No."
    assert client.get(f"/api/v1/documents/{doc_id}", headers=outsider.headers).json["metadata_only"] is True
    assert client.get(f"/api/v1/documents/{doc_id}/file", headers=outsider.headers).status_code == 404
    actions = [e["action"] for e in _audit(client, coord, doc_id)]
    assert "access_refuse" in actions and "grant" not in actions
    assert coordinator_view(client, coord, doc_id)["grant_users"] == []
    # a refused request may be followed by a new one
    assert client.post(f"/api/v1/documents/{doc_id}/access-requests", headers=outsider.headers,
                       json={"reason": "Again."}).status_code == 201


def test_who_may_ask_list_and_answer(client, cast):
    partner, outsider, other, coord = cast["partner"], cast["other_partner"], cast["staff2"], cast["coord"]
    doc_id = _doc(client, partner, "gamma")
    hidden = _doc(client, partner, "delta")
    assert release(client, coord, doc_id, "confidential", discoverable=True).status_code == 200
    assert release(client, coord, hidden, "confidential").status_code == 200

    def ask(who, target, body=None):
        return client.post(f"/api/v1/documents/{target}/access-requests", headers=who.headers if who else {},
                           json=body if body is not None else {"reason": "Need it."})

    assert ask(None, doc_id).status_code == 404  # anonymous: it does not exist
    assert ask(outsider, hidden).status_code == 404  # not discoverable: it does not exist
    assert ask(outsider, 987654).status_code == 404
    assert ask(partner, doc_id).json["error"] == "has_access"
    assert ask(coord, doc_id).status_code == 409
    assert ask(outsider, doc_id, {"reason": ""}).status_code == 422
    assert ask(outsider, doc_id, {"reason": 5}).status_code == 422
    assert client.post(f"/api/v1/documents/{doc_id}/access-requests", headers=outsider.headers,
                       data="x").status_code == 400
    first = ask(outsider, doc_id).json["id"]
    second = ask(other, doc_id).json["id"]

    assert client.get("/api/v1/access-requests").status_code == 401
    assert [r["id"] for r in client.get("/api/v1/access-requests", headers=other.headers).json["requests"]] == [second]
    every = client.get("/api/v1/access-requests", headers=coord.headers).json["requests"]
    assert [r["id"] for r in every] == [second, first]
    assert client.get("/api/v1/access-requests", headers=coord.headers,
                      query_string={"state": "granted"}).json["requests"] == []
    assert client.get("/api/v1/access-requests", headers=coord.headers,
                      query_string={"state": "bogus"}).status_code == 422

    answer = f"/api/v1/access-requests/{first}"
    assert client.post(answer, json={"action": "grant"}).status_code == 401
    assert client.post(answer, headers=outsider.headers, json={"action": "grant"}).status_code == 403
    assert client.post(answer, headers=coord.headers, json={"action": "approve"}).status_code == 422
    assert client.post("/api/v1/access-requests/987654", headers=coord.headers,
                       json={"action": "grant"}).status_code == 404
    assert client.post("/api/v1/access-requests/99999999999", headers=coord.headers,
                       json={"action": "grant"}).status_code == 404
    # withheld since: a grant would not apply
    assert client.post(f"/api/v1/documents/{doc_id}/review", headers=coord.headers,
                       json={"action": "withhold", "rationale": "Pulled."}).status_code == 200
    assert client.post(answer, headers=coord.headers, json={"action": "grant"}).status_code == 409
    assert client.post(answer, headers=coord.headers, json={"action": "refuse"}).status_code == 200


def test_discoverable_needs_a_closed_level_and_a_rerelease_decides_again(client, cast):
    partner, outsider, coord = cast["partner"], cast["other_partner"], cast["coord"]
    doc_id = _doc(client, partner, "epsilon")
    for level in ("public", "restricted"):
        r = release(client, coord, doc_id, level, discoverable=True)
        assert r.status_code == 422 and any("discoverable" in x for x in r.json["reasons"])
    assert release(client, coord, doc_id, "confidential", discoverable="yes").status_code == 200
    assert client.get(f"/api/v1/documents/{doc_id}", headers=outsider.headers).status_code == 200
    assert release(client, coord, doc_id, "confidential", discoverable=[1]).status_code == 422
    assert release(client, coord, doc_id, "confidential").status_code == 200  # not said: not discoverable
    assert client.get(f"/api/v1/documents/{doc_id}", headers=outsider.headers).status_code == 404
    assert _search(client, outsider, "epsilontitleword")["total"] == 0


def test_the_pages(app, client, cast):
    partner, outsider, coord = cast["partner"], cast["other_partner"], cast["coord"]
    doc_id = _doc(client, partner, "zeta")
    assert release(client, coord, doc_id, "strictly_confidential", discoverable=True).status_code == 200
    browser = browser_for(app, outsider)
    page = browser.get(f"/documents/{doc_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Title zetatitleword" in html and "Metadata only" in html
    assert "zetabodyword" not in html and "zetafile" not in html and f"/documents/{doc_id}/file" not in html
    results = browser.get("/search", query_string={"q": "zetatitleword"}).get_data(as_text=True)
    assert "Title zetatitleword" in results and "Metadata only" in results and "zetabodyword" not in results
    assert browser.post(f"/documents/{doc_id}/access-request", data={"reason": "x"}).status_code == 400  # no CSRF
    r = post_page_form(browser, f"/documents/{doc_id}/access-request", html, {"reason": "Referral follow-up."})
    assert r.status_code == 302
    assert "waiting for a coordinator" in browser.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert browser.get("/access-requests").status_code == 200  # one's own

    desk = browser_for(app, coord)
    listing = desk.get("/access-requests")
    text = listing.get_data(as_text=True)
    assert listing.status_code == 200 and "Referral follow-up." in text and "Title zetatitleword" in text
    rid = client.get("/api/v1/access-requests", headers=coord.headers).json["requests"][0]["id"]
    assert post_page_form(desk, f"/access-requests/{rid}", text, {"action": "grant", "note": ""}).status_code == 302
    assert "granted" in desk.get("/access-requests?state=granted").get_data(as_text=True)
    opened = browser.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert f"/documents/{doc_id}/file" in opened
    assert browser_for(app, cast["staff"]).post(f"/access-requests/{rid}", data={}).status_code == 400  # CSRF
    assert app.test_client().get("/access-requests").status_code == 302  # to the login page


def test_a_grant_on_request_survives_a_rerelease_at_confidential(app, client, cast):
    partner, outsider, coord = cast["partner"], cast["other_partner"], cast["coord"]
    doc_id = _doc(client, partner, "eta")
    assert release(client, coord, doc_id, "confidential", discoverable=True).status_code == 200
    rid = client.post(f"/api/v1/documents/{doc_id}/access-requests", headers=outsider.headers,
                      json={"reason": "Please."}).json["id"]
    assert client.post(f"/api/v1/access-requests/{rid}", headers=coord.headers,
                       json={"action": "grant"}).status_code == 200
    r = release(client, coord, doc_id, "confidential", rationale="Re-checked.")  # the body names no people
    assert r.status_code == 200 and r.json["grant_users"] == [outsider.email]
    assert "sha256" in client.get(f"/api/v1/documents/{doc_id}", headers=outsider.headers).json
    desk = browser_for(app, coord)
    page = desk.get(f"/documents/{doc_id}").get_data(as_text=True)
    form = {"action": "release", "level": "confidential", "rationale": "Again.", "risks": "none_identified",
            "benefits": "none_identified"}
    assert post_page_form(desk, f"/documents/{doc_id}/review", page, form).status_code == 302
    assert coordinator_view(client, coord, doc_id)["grant_users"] == [outsider.email]
    assert release(client, coord, doc_id, "restricted").json["grant_users"] == []  # in the audience anyway
