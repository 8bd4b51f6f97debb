"""The review workflow through the JSON API: release (levels, grants, the benefit/risk record), re-classification,
return, withhold, the owner's submit, metadata edits, and every refusal; re-classifications and grant changes
take effect at once in search hits, totals, facet counts and downloads."""

from __future__ import annotations

import re
from html import unescape

import pytest
from conftest import NONE_IDENTIFIED
from conftest import login
from conftest import release as gate_release
from conftest import text_report
from conftest import upload

from repository import protocol

pytestmark = pytest.mark.usefixtures("no_request_rate_limits")

RISKS = list(protocol.RISKS)
BENEFITS = list(protocol.BENEFITS)


# ----------------------------------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------------------------------


def new_doc(client, account, words: str, **fields) -> dict:
    """Upload a small text report and return its JSON."""
    fields.setdefault("title", words)
    fields.setdefault("codes", ["doc_type:situation_report", "location:LY0319", "population:idp"])
    r = upload(client, account, data=text_report(words), filename="report.txt", **fields)
    assert r.status_code == 201, r.json
    return r.json


def review(client, account, doc_id, **body):
    """POST a review decision."""
    headers = account.headers if account is not None else {}
    return client.post(f"/api/v1/documents/{doc_id}/review", headers=headers, json=body)


def release(client, account, doc_id, level, rationale="Aggregated to district level; no identifiers.", **body):
    """Release (or re-classify) a document, meeting the release gate (``conftest.release``); returns the response."""
    return gate_release(client, account, doc_id, level, rationale=rationale, **body)


def get(client, account, doc_id):
    """GET a document (anonymous when ``account`` is None)."""
    headers = account.headers if account is not None else {}
    return client.get(f"/api/v1/documents/{doc_id}", headers=headers)


def file_status(client, account, doc_id) -> int:
    """Status of a download (the response is closed)."""
    headers = account.headers if account is not None else {}
    r = client.get(f"/api/v1/documents/{doc_id}/file", headers=headers)
    status = r.status_code
    r.close()
    return status


def history_text(browser, doc_id) -> str:
    """The decision history on the document page, as the reader sees it (tags removed)."""
    page = browser.get(f"/documents/{doc_id}")
    assert page.status_code == 200
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", page.get_data(as_text=True))).split())
    assert "History" in text, "no decision history on the coordinator's document page"
    text = text[text.index("History"):]
    ends = [text.find(form) for form in ("Send back to review", "Edit metadata", "Review against")]
    return text[: min([e for e in ends if e > 0], default=len(text))]


def assert_in_order(text: str, *steps: list[str]) -> None:
    """Every token of every step appears in ``text``, in this order."""
    pos = 0
    for step in steps:
        for token in step:
            found = text.find(token, pos)
            assert found >= 0, (token, step, text[pos:pos + 300])
            pos = found + len(token)


def search(client, account, q: str, **params) -> dict:
    """GET /search and return its JSON (asserting 200)."""
    headers = account.headers if account is not None else {}
    r = client.get("/api/v1/search", headers=headers, query_string={"q": q, **params})
    assert r.status_code == 200, r.json
    return r.json


def assert_error(r, status: int, code: str | None = None) -> dict:
    """The documented error shape, with the expected status (and code)."""
    assert r.status_code == status, (r.status_code, r.get_data(as_text=True))
    body = r.json
    assert isinstance(body, dict) and isinstance(body.get("error"), str) and isinstance(body.get("message"), str)
    if code is not None:
        assert body["error"] == code, body
    return body


def assert_visible(client, account, doc_id, word: str, *, level: str) -> None:
    """``account`` sees the document everywhere: GET, file, search hit, total and facet counts."""
    assert get(client, account, doc_id).status_code == 200
    assert file_status(client, account, doc_id) == 200
    res = search(client, account, word)
    assert res["total"] == 1 and [h["id"] for h in res["hits"]] == [doc_id]
    assert res["hits"][0]["level"] == level
    assert res["facets"]["location"]["location:LY0319"] == 1
    assert res["facets"]["location"]["location:LY03"] == 1
    assert res["facets"]["population"]["population:idp"] == 1
    assert res["facets"]["level"] == {level: 1}
    assert res["facets"]["org"] == {"DRC": 1}
    filtered = search(client, account, "", code="location:LY03", level=level)
    assert doc_id in [h["id"] for h in filtered["hits"]]


def assert_invisible(client, account, doc_id, word: str) -> None:
    """The document does not exist for ``account``: 404 on GET and file, no hit, total 0, no facet count."""
    assert_error(get(client, account, doc_id), 404, "not_found")
    assert file_status(client, account, doc_id) == 404
    res = search(client, account, word)
    assert res["total"] == 0 and res["hits"] == [] and res["facets"] == {}
    listed = search(client, account, "", code="location:LY0319")
    assert doc_id not in [h["id"] for h in listed["hits"]]
    assert listed["facets"].get("location", {}).get("location:LY0319", 0) == listed["total"]


# ----------------------------------------------------------------------------------------------------------------
# release
# ----------------------------------------------------------------------------------------------------------------


def test_release_records_the_full_decision(client, people):
    partner, coord, staff = people["partner"], people["coord"], people["staff"]
    doc = new_doc(client, partner, "Quarzwell water points overview", proposed_level="restricted")
    assert doc["state"] == "submitted" and doc["level"] is None and doc["proposed_level"] == "restricted"
    assert doc["grant_orgs"] == [] and doc["grant_users"] == [] and doc["review_by"] is None

    r = release(
        client,
        coord,
        doc["id"],
        "restricted",
        rationale="Aggregated to district; benefits outweigh the risks.",
        risks=RISKS[:2],
        benefits=BENEFITS[:3],
        review_by="2031-06-30",
    )
    assert r.status_code == 200, r.json
    out = r.json
    assert out["id"] == doc["id"]
    assert out["state"] == "released" and out["level"] == "restricted"
    assert out["risks"] == RISKS[:2] and out["benefits"] == BENEFITS[:3]
    assert out["rationale"] == "Aggregated to district; benefits outweigh the risks."
    assert out["review_by"] == "2031-06-30"
    assert out["grant_orgs"] == [] and out["grant_users"] == []
    assert out["uploaded_by"] == partner.email

    # What GET shows afterwards, to each kind of reader.
    for who in (coord, partner, people["colleague"]):
        seen = get(client, who, doc["id"]).json
        assert seen["state"] == "released" and seen["level"] == "restricted"
        assert seen["risks"] == RISKS[:2] and seen["benefits"] == BENEFITS[:3] and seen["review_by"] == "2031-06-30"
    seen = get(client, staff, doc["id"]).json
    assert seen["state"] == "released" and seen["level"] == "restricted"
    for hidden in ("uploaded_by", "risks", "benefits", "rationale", "grant_orgs", "grant_users", "review_by"):
        assert hidden not in seen, hidden
    assert_error(get(client, None, doc["id"]), 404, "not_found")


def test_release_confidential_with_grant_orgs(client, people):
    partner, coord = people["partner"], people["coord"]
    doc = new_doc(client, partner, "Vantrel shelter gaps")
    r = release(client, coord, doc["id"], "confidential", grant_orgs=["unhcr"], risks=[RISKS[0]])
    assert r.status_code == 200, r.json
    assert r.json["level"] == "confidential" and r.json["grant_orgs"] == ["UNHCR"] and r.json["grant_users"] == []

    assert_visible(client, people["staff"], doc["id"], "Vantrel", level="confidential")  # granted org
    assert_visible(client, people["drc_staff"], doc["id"], "Vantrel", level="confidential")  # owner org
    assert_visible(client, people["colleague"], doc["id"], "Vantrel", level="confidential")
    assert_invisible(client, people["staff2"], doc["id"], "Vantrel")
    assert_invisible(client, people["other_partner"], doc["id"], "Vantrel")
    assert_invisible(client, people["admin"], doc["id"], "Vantrel")
    assert_invisible(client, None, doc["id"], "Vantrel")


def test_release_strictly_confidential_with_grant_users(client, people):
    partner, coord, staff = people["partner"], people["coord"], people["staff"]
    doc = new_doc(client, partner, "Morvicket case conference notes")
    r = release(client, coord, doc["id"], "strictly_confidential", grant_users=[staff.email.upper()])
    assert r.status_code == 200, r.json
    assert r.json["level"] == "strictly_confidential"
    assert r.json["grant_users"] == [staff.email] and r.json["grant_orgs"] == []

    assert_visible(client, partner, doc["id"], "Morvicket", level="strictly_confidential")  # the uploader
    assert_visible(client, staff, doc["id"], "Morvicket", level="strictly_confidential")  # granted
    assert_visible(client, coord, doc["id"], "Morvicket", level="strictly_confidential")
    # The uploader's own colleagues are not in the audience of a strictly confidential document.
    assert_invisible(client, people["colleague"], doc["id"], "Morvicket")
    assert_invisible(client, people["drc_staff"], doc["id"], "Morvicket")
    assert_invisible(client, people["staff2"], doc["id"], "Morvicket")


def test_public_release_reaches_anonymous_visitors(client, people):
    doc = new_doc(client, people["partner"], "Plenwick public dashboard")
    assert_invisible(client, None, doc["id"], "Plenwick")
    assert release(client, people["coord"], doc["id"], "public").status_code == 200
    assert_visible(client, None, doc["id"], "Plenwick", level="public")
    anon = get(client, None, doc["id"]).json
    assert "uploaded_by" not in anon and "rationale" not in anon and "risks" not in anon


# ----------------------------------------------------------------------------------------------------------------
# re-classification and grant changes take effect at once
# ----------------------------------------------------------------------------------------------------------------


def test_reclassification_and_grants_apply_at_once_everywhere(app, client, people):
    partner, coord = people["partner"], people["coord"]
    staff, staff2 = people["staff"], people["staff2"]
    doc = new_doc(client, partner, "Zorbathel protection monitoring round")
    doc_id = doc["id"]
    for who in (staff, staff2, None):
        assert_invisible(client, who, doc_id, "Zorbathel")

    # public -> everyone
    r = release(client, coord, doc_id, "public", rationale="Published summary.")
    assert r.status_code == 200 and r.json["level"] == "public"
    for who in (staff, staff2, None):
        assert_visible(client, who, doc_id, "Zorbathel", level="public")

    # restricted -> every account, not anonymous
    r = release(client, coord, doc_id, "restricted", rationale="Contains district figures.")
    assert r.status_code == 200 and r.json["level"] == "restricted" and r.json["state"] == "released"
    assert_visible(client, staff, doc_id, "Zorbathel", level="restricted")
    assert_visible(client, staff2, doc_id, "Zorbathel", level="restricted")
    assert_invisible(client, None, doc_id, "Zorbathel")

    # confidential without grants -> only owner org and coordinators
    r = release(client, coord, doc_id, "confidential", rationale="Names of sites.")
    assert r.status_code == 200 and r.json["level"] == "confidential" and r.json["grant_orgs"] == []
    assert_invisible(client, staff, doc_id, "Zorbathel")
    assert_invisible(client, staff2, doc_id, "Zorbathel")
    assert_visible(client, people["drc_staff"], doc_id, "Zorbathel", level="confidential")

    # grant IOM -> IOM staff again, UNHCR staff still not
    r = release(client, coord, doc_id, "confidential", rationale="IOM runs the sites.", grant_orgs=["IOM"])
    assert r.status_code == 200 and r.json["grant_orgs"] == ["IOM"]
    assert_visible(client, staff2, doc_id, "Zorbathel", level="confidential")
    assert_invisible(client, staff, doc_id, "Zorbathel")

    # swap the grant -> at once the other way round
    r = release(client, coord, doc_id, "confidential", rationale="UNHCR leads now.", grant_orgs=["UNHCR"])
    assert r.status_code == 200 and r.json["grant_orgs"] == ["UNHCR"]
    assert_visible(client, staff, doc_id, "Zorbathel", level="confidential")
    assert_invisible(client, staff2, doc_id, "Zorbathel")

    # strictly confidential to one person: the org grant is gone
    r = release(client, coord, doc_id, "strictly_confidential", rationale="Case details.", grant_users=[staff2.email])
    assert r.status_code == 200 and r.json["grant_orgs"] == [] and r.json["grant_users"] == [staff2.email]
    assert_visible(client, staff2, doc_id, "Zorbathel", level="strictly_confidential")
    assert_invisible(client, staff, doc_id, "Zorbathel")
    assert_invisible(client, people["drc_staff"], doc_id, "Zorbathel")

    # withhold a released document -> out of every staff view at once
    r = review(client, coord, doc_id, action="withhold", rationale="Consent withdrawn.")
    assert r.status_code == 200 and r.json["state"] == "withheld"
    assert_invisible(client, staff2, doc_id, "Zorbathel")
    assert get(client, partner, doc_id).status_code == 200
    assert get(client, people["colleague"], doc_id).status_code == 200  # owner org sees unreleased documents

    # The coordinator's document page lists every decision, in order.
    browser = app.test_client()
    assert login(browser, coord.email).status_code == 302
    history = history_text(browser, doc_id)
    assert_in_order(
        history,
        ["upload", partner.email, "submitted"],
        ["release", coord.email, "submitted", "released", "Public", "Published summary."],
        ["release", coord.email, "released", "released", "Restricted", "Contains district figures."],
        ["release", coord.email, "released", "released", "Confidential", "Names of sites."],
        ["release", coord.email, "Confidential", "IOM runs the sites."],
        ["release", coord.email, "Confidential", "UNHCR leads now."],
        ["release", coord.email, "Strictly confidential", "Case details."],
        ["withhold", coord.email, "released", "withheld", "Consent withdrawn."],
    )
    assert len(re.findall(r"\brelease\b", history)) == 6  # one line per decision, nothing lost


# ----------------------------------------------------------------------------------------------------------------
# return, withhold, submit
# ----------------------------------------------------------------------------------------------------------------


def test_return_submit_withhold_release_cycle(app, client, people):
    partner, coord, other = people["partner"], people["coord"], people["other_partner"]
    doc_id = new_doc(client, partner, "Dellquist referral pathways")["id"]

    r = review(client, coord, doc_id, action="return", rationale="Remove the names in annex 2.", risks=["targeting"])
    assert r.status_code == 200, r.json
    assert r.json["state"] == "returned" and r.json["level"] is None
    assert r.json["rationale"] == "Remove the names in annex 2." and r.json["risks"] == ["targeting"]
    assert get(client, partner, doc_id).json["state"] == "returned"
    assert_invisible(client, people["staff"], doc_id, "Dellquist")

    # returning a returned document is a state conflict
    assert_error(review(client, coord, doc_id, action="return", rationale="again"), 409, "invalid_state")
    # another organisation cannot even see it
    assert_error(client.post(f"/api/v1/documents/{doc_id}/submit", headers=other.headers), 404, "not_found")
    # staff of the owner organisation see it but may not submit (not a contributor)
    assert_error(client.post(f"/api/v1/documents/{doc_id}/submit", headers=people["drc_staff"].headers), 403)
    # the coordinator (not of the owner organisation) may not submit for the owner
    assert_error(client.post(f"/api/v1/documents/{doc_id}/submit", headers=coord.headers), 403, "forbidden")
    assert_error(client.post(f"/api/v1/documents/{doc_id}/submit"), 404, "not_found")

    # the owner answers: edits, then submits again
    r = client.patch(f"/api/v1/documents/{doc_id}", headers=partner.headers, json={"summary": "Names removed."})
    assert r.status_code == 200 and r.json["summary"] == "Names removed."
    r = client.post(f"/api/v1/documents/{doc_id}/submit", headers=people["colleague"].headers)
    assert r.status_code == 200, r.json
    assert r.json["state"] == "submitted"
    assert get(client, coord, doc_id).json["state"] == "submitted"
    assert_error(client.post(f"/api/v1/documents/{doc_id}/submit", headers=partner.headers), 409, "invalid_state")

    r = review(client, coord, doc_id, action="withhold", rationale="Wait for the consent check.")
    assert r.status_code == 200 and r.json["state"] == "withheld" and r.json["level"] is None
    assert_error(review(client, coord, doc_id, action="withhold", rationale="again"), 409, "invalid_state")
    assert_error(client.post(f"/api/v1/documents/{doc_id}/submit", headers=partner.headers), 409, "invalid_state")
    assert_invisible(client, people["staff"], doc_id, "Dellquist")

    r = release(client, coord, doc_id, "restricted", benefits=["coordination"], review_by="2030-01-31")
    assert r.status_code == 200 and r.json["state"] == "released" and r.json["level"] == "restricted"
    assert r.json["benefits"] == ["coordination"] and r.json["review_by"] == "2030-01-31"
    assert_visible(client, people["staff"], doc_id, "Dellquist", level="restricted")
    # a released document cannot be returned or submitted
    assert_error(review(client, coord, doc_id, action="return", rationale="late"), 409, "invalid_state")
    assert_error(client.post(f"/api/v1/documents/{doc_id}/submit", headers=partner.headers), 409, "invalid_state")
    # a release without review_by clears the previous date
    r = release(client, coord, doc_id, "restricted")
    assert r.status_code == 200 and r.json["review_by"] is None

    browser = app.test_client()
    login(browser, coord.email)
    assert_in_order(
        history_text(browser, doc_id),
        ["upload", partner.email, "submitted"],
        ["return", coord.email, "submitted", "returned", "Remove the names in annex 2."],
        ["submit", people["colleague"].email, "returned", "submitted"],
        ["withhold", coord.email, "submitted", "withheld", "Wait for the consent check."],
        ["release", coord.email, "withheld", "released", "Restricted"],
        ["release", coord.email, "released", "released", "Restricted"],
    )


# ----------------------------------------------------------------------------------------------------------------
# PATCH
# ----------------------------------------------------------------------------------------------------------------


def test_patch_metadata_by_owner_then_coordinator(client, people):
    partner, coord, staff = people["partner"], people["coord"], people["staff"]
    doc_id = new_doc(client, partner, "Hollowmere draft title")["id"]
    url = f"/api/v1/documents/{doc_id}"

    r = client.patch(
        url,
        headers=partner.headers,
        json={
            "title": "Quillanby community consultation",
            "summary": "Findings of the consultation.",
            "published": "2024-05-01",
            "codes": ["doc_type:assessment", "location:LY0319"],
        },
    )
    assert r.status_code == 200, r.json
    out = r.json
    assert out["title"] == "Quillanby community consultation" and out["summary"] == "Findings of the consultation."
    assert out["published"] == "2024-05-01"
    assert out["codes"] == {"doc_type": ["doc_type:assessment"], "location": ["location:LY0319"]}  # replaced
    assert get(client, coord, doc_id).json["codes"] == out["codes"]

    # the owner organisation's colleague may edit too while it is not released
    r = client.patch(url, headers=people["colleague"].headers, json={"codes": ["theme:gbv", "population:idp"]})
    assert r.status_code == 200, r.json
    assert r.json["codes"] == {"theme": ["theme:gbv"], "population": ["population:idp"]}
    assert r.json["title"] == "Quillanby community consultation"  # fields not sent are kept

    # refusals while submitted
    body = assert_error(client.patch(url, headers=partner.headers, json={"codes": ["location:XX9999"]}), 422)
    assert "location:XX9999" in body["message"]
    assert_error(client.patch(url, headers=partner.headers, json={"published": "01/05/2024"}), 422)
    assert_error(client.patch(url, headers=partner.headers, json={"title": ""}), 422)
    assert_error(client.patch(url, headers=partner.headers, json={"state": "released"}), 422)
    assert_error(client.patch(url, headers=partner.headers, json={"codes": "not a list", "title": 5}), 422)
    assert_error(client.patch(url, headers=partner.headers, data="not json", content_type="application/json"), 400)
    for stranger in (people["other_partner"], staff, people["admin"]):
        assert_error(client.patch(url, headers=stranger.headers, json={"title": "x"}), 404, "not_found")
    assert_error(client.patch(url, json={"title": "x"}), 404, "not_found")
    assert_error(client.patch("/api/v1/documents/999999", headers=coord.headers, json={"title": "x"}), 404)
    assert get(client, partner, doc_id).json["title"] == "Quillanby community consultation"

    # after release: the owner may no longer edit; a coordinator may, and search follows at once
    assert release(client, coord, doc_id, "restricted").status_code == 200
    assert_error(client.patch(url, headers=partner.headers, json={"title": "Owner change"}), 403, "forbidden")
    assert_error(client.patch(url, headers=staff.headers, json={"title": "Staff change"}), 403, "forbidden")
    assert_error(client.patch(url, headers=people["admin"].headers, json={"title": "Admin change"}), 403)
    assert_error(client.patch(url, headers=people["other_partner"].headers, json={"title": "Other"}), 403)
    assert search(client, staff, "Quillanby")["total"] == 1
    r = client.patch(url, headers=coord.headers, json={"title": "Tremaine consultation", "codes": ["location:LY0319"]})
    assert r.status_code == 200, r.json
    assert r.json["title"] == "Tremaine consultation" and r.json["state"] == "released"
    assert r.json["codes"] == {"location": ["location:LY0319"]}
    assert search(client, staff, "Quillanby")["total"] == 0
    res = search(client, staff, "Tremaine")
    assert res["total"] == 1 and res["hits"][0]["title"] == "Tremaine consultation"
    assert res["facets"]["location"]["location:LY0319"] == 1 and "population" not in res["facets"]


# ----------------------------------------------------------------------------------------------------------------
# refusals of review actions
# ----------------------------------------------------------------------------------------------------------------


def test_review_by_non_coordinators_is_refused(client, people):
    partner, coord = people["partner"], people["coord"]
    submitted = new_doc(client, partner, "Karnowsky submitted report")["id"]
    released = new_doc(client, partner, "Brightwater released report")["id"]
    assert release(client, coord, released, "restricted").status_code == 200
    public = new_doc(client, partner, "Lumbridge public report")["id"]
    assert release(client, coord, public, "public").status_code == 200

    body = {"action": "release", "level": "public", "rationale": "I would like it public."}
    # can see the document, but reviewing is not theirs -> 403
    for who, doc_id in (
        (partner, submitted),
        (people["colleague"], submitted),
        (people["drc_staff"], submitted),
        (partner, released),
        (people["staff"], released),
        (people["admin"], released),
        (people["other_partner"], released),
    ):
        for action_body in (body, {"action": "return"}, {"action": "withhold"}):
            assert_error(review(client, who, doc_id, **action_body), 403, "forbidden")
    # cannot see it -> 404, exactly as for an id that never existed
    for who in (people["staff"], people["admin"], people["other_partner"]):
        missing = assert_error(review(client, who, 999999, **body), 404, "not_found")
        hidden = assert_error(review(client, who, submitted, **body), 404, "not_found")
        assert hidden == missing
    assert_error(review(client, None, submitted, **body), 404, "not_found")
    # anonymous on a public document: may see it, must log in to act
    assert_error(client.post(f"/api/v1/documents/{public}/review", json=body), 401)
    assert_error(client.post(f"/api/v1/documents/{public}/review", json=body,
                             headers={"Authorization": "Bearer rp_not_a_real_token"}), 401, "bad_token")

    # nothing changed
    assert get(client, coord, submitted).json["state"] == "submitted"
    assert get(client, coord, released).json["level"] == "restricted"
    assert get(client, coord, public).json["level"] == "public"


def test_invalid_releases_are_refused_with_reasons(client, people):
    partner, coord = people["partner"], people["coord"]
    doc_id = new_doc(client, partner, "Osterfield assessment")["id"]

    def refused(status=422, **body):
        return assert_error(review(client, coord, doc_id, **body), status)

    body = refused(action="release", level="restricted")
    assert body["error"] == "refused" and any("rationale" in reason for reason in body["reasons"])
    body = refused(action="release", level="restricted", rationale="   ")
    assert any("rationale" in reason for reason in body["reasons"])
    body = refused(action="release", level="secret", rationale="ok")
    assert any("level" in reason for reason in body["reasons"])
    body = refused(action="release", rationale="ok")
    assert any("level" in reason for reason in body["reasons"])
    body = refused(action="release", level="restricted", rationale="ok", grant_orgs=["UNHCR"])
    assert any("grant_orgs" in reason for reason in body["reasons"])
    body = refused(action="release", level="public", rationale="ok", grant_users=[people["staff"].email])
    assert any("grant_users" in reason for reason in body["reasons"])
    body = refused(action="release", level="confidential", rationale="ok", grant_users=[people["staff"].email])
    assert any("grant_users" in reason for reason in body["reasons"])
    body = refused(action="release", level="strictly_confidential", rationale="ok", grant_orgs=["UNHCR"])
    assert any("grant_orgs" in reason for reason in body["reasons"])
    # several problems are all reported
    body = refused(action="release", level="bogus", grant_orgs=["UNHCR"])
    assert len(body["reasons"]) >= 2

    body = refused(action="release", level="confidential", rationale="ok", grant_orgs=["NOSUCHORG"], **NONE_IDENTIFIED)
    assert "NOSUCHORG" in body["message"]
    body = refused(action="release", level="strictly_confidential", rationale="ok",
                   grant_users=["nobody@nowhere.example.org"], **NONE_IDENTIFIED)
    assert "nobody@nowhere.example.org" in body["message"]
    body = refused(action="release", level="restricted", rationale="ok", risks=["weather"])
    assert "weather" in body["message"]
    body = refused(action="release", level="restricted", rationale="ok", benefits=["fame"])
    assert "fame" in body["message"]
    refused(action="release", level="restricted", rationale="ok", review_by="next year")
    refused(action="release", level="restricted", rationale="ok", risks="targeting, staff_safety")
    refused(action="release", level="restricted", rationale="ok", grant_orgs=[1, 2])
    refused(action="publish", level="restricted", rationale="ok")
    refused(level="restricted", rationale="ok")
    refused(action="release", level="restricted", rationale="x" * 6000)
    assert_error(client.post(f"/api/v1/documents/{doc_id}/review", headers=coord.headers, data="release",
                             content_type="text/plain"), 400, "bad_request")
    assert_error(client.post(f"/api/v1/documents/{doc_id}/review", headers=coord.headers, json=["release"]), 400)
    assert_error(review(client, coord, "abc", action="return"), 404, "not_found")
    assert_error(review(client, coord, 0, action="return"), 404, "not_found")
    assert_error(review(client, coord, 999999, action="return"), 404, "not_found")

    # none of the refusals changed the document
    doc = get(client, coord, doc_id).json
    assert doc["state"] == "submitted" and doc["level"] is None
    assert doc["grant_orgs"] == [] and doc["grant_users"] == [] and doc["risks"] == [] and doc["rationale"] == ""
    assert_invisible(client, people["staff"], doc_id, "Osterfield")


def test_refused_regrant_keeps_the_previous_audience(client, people):
    partner, coord, staff = people["partner"], people["coord"], people["staff"]
    doc_id = new_doc(client, partner, "Wendlebury site list")["id"]
    assert release(client, coord, doc_id, "confidential", grant_orgs=["UNHCR"]).status_code == 200
    r = release(client, coord, doc_id, "confidential", grant_orgs=["IOM", "NOSUCHORG"])
    assert_error(r, 422)
    assert get(client, coord, doc_id).json["grant_orgs"] == ["UNHCR"]
    assert_visible(client, staff, doc_id, "Wendlebury", level="confidential")
    assert_invisible(client, people["staff2"], doc_id, "Wendlebury")
