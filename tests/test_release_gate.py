"""The release gate, through the real routes: a release (and a re-classification) needs an accepted document type,
one accepted code of another facet, at least one risk and one benefit ("none identified" counts) and a rationale;
suggestions may be accepted in the same step; a public release of a document with scan findings needs every found
kind marked as considered; GBV/CP case details and named sensitive sites raise the minimum to restricted; the
review page shows what is missing and what needs a look, and a refused form keeps what was typed."""

from __future__ import annotations

import re
from html import unescape

import pytest
from conftest import NONE_IDENTIFIED
from conftest import csrf
from conftest import login
from conftest import upload

from repository import protocol
from repository.data import db
from repository.data.models import Document
from repository.knowledge import scan

pytestmark = pytest.mark.usefixtures("no_request_rate_limits")

CLEAN = "Protection monitoring report, {word}.\nWater points in Sebha were repaired; 120 households have access.\n"
MINUTES = (
    "Minutes of the protection working group meeting held in Sebha, {word}\n"
    "Agenda: 1. Returns to Tawergha. 2. Water supply in Sebha.\n"
    "Action points: partners to share figures by Friday.\nNext meeting: 2 June.\n"
)
CASE_DETAILS = (
    "Protection case note, {word}.\nSurvivor: a girl aged 15, referred for medical care.\n"
    "Alleged perpetrator: a neighbour.\n"
    "The survivor reported sexual assault in March; follow-up by the case worker.\n"
)
DETENTION_SITE = (
    "Monitoring visit report, {word}.\n"
    "The team visited the Tajoura detention centre on 3 May and met the management.\n"
    "Conditions have worsened since the last visit.\n"
)
LONE_NAME = (
    "Protection monitoring report, {word}.\nWater points in Sebha were repaired.\nBest regards,\nNadia Elmehdi\n"
)
NAME_AND_SITE = LONE_NAME + "The team also visited the Tajoura detention centre.\n"

CODED = ["doc_type:situation_report", "location:LY0319"]
FULL = {"rationale": "District figures; no identifiers.", **NONE_IDENTIFIED}


def new_doc(client, account, template: str, word: str, codes=CODED, **fields) -> dict:
    """Upload a small text report (``template`` with a unique ``word``) and return its JSON."""
    data = template.format(word=word).encode()
    r = upload(client, account, data=data, filename=f"{word}.txt", title=fields.pop("title", word),
               codes=list(codes), **fields)
    assert r.status_code == 201, r.json
    return r.json


def review(client, account, doc_id, **body):
    return client.post(f"/api/v1/documents/{doc_id}/review", headers=account.headers, json=body)


def get(client, account, doc_id) -> dict:
    r = client.get(f"/api/v1/documents/{doc_id}", headers=account.headers)
    assert r.status_code == 200, r.json
    return r.json


def refused(r, *names: str, code: str = "refused") -> dict:
    """A 422 of the documented shape whose reasons name each of ``names``."""
    assert r.status_code == 422, (r.status_code, r.get_data(as_text=True))
    body = r.json
    assert body["error"] == code and isinstance(body["message"], str) and body["reasons"], body
    text = " ".join(body["reasons"])
    for name in names:
        assert name in text, (name, body["reasons"])
    return body


def audit(client, coord, **params) -> list[dict]:
    r = client.get("/api/v1/audit", headers=coord.headers, query_string=params)
    assert r.status_code == 200
    return r.json["events"]


def plain(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def browser_for(app, account):
    browser = app.test_client()
    assert login(browser, account.email).status_code == 302
    return browser


# ----------------------------------------------------------------------------------------------------------------
# the API: each condition, at every level
# ----------------------------------------------------------------------------------------------------------------

GRANTS = {"confidential": {"grant_orgs": ["IRC"]}, "strictly_confidential": {}}

#: condition -> (codes at upload, body changes, words the reason must contain)
MISSING = {
    "doc_type": (["location:LY0319", "population:idp"], {}, "document type"),
    "descriptive_code": (["doc_type:situation_report"], {}, "sector, theme, population or location"),
    "risks": (CODED, {"risks": []}, "risk"),
    "benefits": (CODED, {"benefits": []}, "benefit"),
    "rationale": (CODED, {"rationale": ""}, "rationale"),
}


@pytest.mark.parametrize("condition", list(MISSING))
def test_a_release_without_a_condition_is_refused_at_every_level(client, people, condition):
    partner, coord, staff = people["partner"], people["coord"], people["staff"]
    codes, changes, named = MISSING[condition]
    for level in protocol.LEVELS:
        doc = new_doc(client, partner, CLEAN, f"Gatewick {condition} {level}", codes=codes)
        assert doc["detected"] == [] and doc["minimum_level"] is None
        body = refused(review(client, coord, doc["id"], action="release", level=level,
                              **{**FULL, **GRANTS.get(level, {}), **changes}), named)
        assert body["missing"] == [condition], body
        after = get(client, coord, doc["id"])
        assert after["state"] == "submitted" and after["level"] is None
        assert audit(client, coord, action="release", document=doc["id"]) == []
        # with the condition met it passes: the missing code added, or the record completed
        if condition in ("doc_type", "descriptive_code"):
            fix = {"doc_type": "doc_type:assessment", "descriptive_code": "sector:protection"}[condition]
            r = client.patch(f"/api/v1/documents/{doc['id']}", headers=coord.headers, json={"codes": [*codes, fix]})
            assert r.status_code == 200, r.json
        r = review(client, coord, doc["id"], action="release", level=level, **FULL, **GRANTS.get(level, {}))
        assert r.status_code == 200, r.json
        assert r.json["state"] == "released" and r.json["level"] == level
        assert r.json["risks"] == ["none_identified"] and r.json["benefits"] == ["none_identified"]
    # the released documents are found by their codes
    found = client.get("/api/v1/search", headers=staff.headers, query_string={"code": "doc_type:assessment"}).json
    assert condition != "doc_type" or found["total"] == 2  # public and restricted: staff's audience


def test_every_missing_condition_is_named_at_once(client, people):
    doc = new_doc(client, people["partner"], CLEAN, "Allmissing", codes=[])
    body = refused(review(client, people["coord"], doc["id"], action="release", level="restricted"),
                   "document type", "sector, theme, population or location", "risk", "benefit", "rationale")
    assert body["missing"] == ["doc_type", "descriptive_code", "risks", "benefits", "rationale"]


def test_none_identified_is_an_answer_that_stands_alone(client, people):
    partner, coord = people["partner"], people["coord"]
    doc = new_doc(client, partner, CLEAN, "Noneford")
    body = refused(review(client, coord, doc["id"], action="release", level="restricted",
                          **{**FULL, "risks": ["none_identified", "targeting"]}), "risks")
    assert body["missing"] == ["risks"]
    body = refused(review(client, coord, doc["id"], action="release", level="restricted",
                          **{**FULL, "benefits": ["coordination", "none_identified"]}), "benefits")
    assert body["missing"] == ["benefits"]
    r = review(client, coord, doc["id"], action="release", level="restricted", rationale="Reviewed.",
               risks=["targeting"], benefits=["none_identified"])
    assert r.status_code == 200 and r.json["risks"] == ["targeting"] and r.json["benefits"] == ["none_identified"]
    assert "none_identified" in protocol.RISKS and "none_identified" in protocol.BENEFITS


def test_return_and_withhold_do_not_need_the_gate(client, people):
    partner, coord = people["partner"], people["coord"]
    doc = new_doc(client, partner, CLEAN, "Returnham", codes=[])
    assert review(client, coord, doc["id"], action="return", rationale="Add the dates.").status_code == 200
    assert client.post(f"/api/v1/documents/{doc['id']}/submit", headers=partner.headers).status_code == 200
    assert review(client, coord, doc["id"], action="withhold", rationale="Consent unclear.").status_code == 200


# ----------------------------------------------------------------------------------------------------------------
# suggestions accepted in the review step
# ----------------------------------------------------------------------------------------------------------------


def test_suggestions_accepted_in_the_review_step_meet_the_coding_condition(client, people):
    partner, coord = people["partner"], people["coord"]
    doc = new_doc(client, partner, MINUTES, "Acceptwell", codes=[], title="PSWG minutes, Sebha")
    assert doc["suggested_codes"]["doc_type"] == ["doc_type:meeting_minutes"]
    assert "location:LY0319" in doc["suggested_codes"]["location"]
    doc_id = doc["id"]

    # not a suggestion: refused, nothing changes
    r = review(client, coord, doc_id, action="release", level="restricted", **FULL,
               accept_codes=["doc_type:meeting_minutes", "theme:detention"])
    assert r.status_code == 422 and r.json["error"] == "not_suggested"
    # accepted, but the release is refused for another reason: the codes are not kept either (one transaction)
    refused(review(client, coord, doc_id, action="release", level="restricted", rationale="ok",
                   accept_codes=["doc_type:meeting_minutes", "location:LY0319"]), "risk", "benefit")
    assert get(client, coord, doc_id)["codes"] == {}
    assert audit(client, coord, action="update", document=doc_id) == []

    # the type alone: the second facet is still missing
    body = refused(review(client, coord, doc_id, action="release", level="restricted", **FULL,
                          accept_codes=["doc_type:meeting_minutes"]), "sector, theme, population or location")
    assert body["missing"] == ["descriptive_code"]

    r = review(client, coord, doc_id, action="release", level="restricted", **FULL,
               accept_codes=["doc_type:meeting_minutes", "location:LY0319"])
    assert r.status_code == 200, r.json
    assert r.json["state"] == "released"
    assert r.json["codes"] == {"doc_type": ["doc_type:meeting_minutes"], "location": ["location:LY0319"]}
    update = audit(client, coord, action="update", document=doc_id)
    assert len(update) == 1 and update[0]["actor"] == coord.email
    assert update[0]["detail"]["accepted_suggestions"] == ["doc_type:meeting_minutes", "location:LY0319"]
    release = audit(client, coord, action="release", document=doc_id)
    assert release[0]["detail"]["accepted_codes"] == ["doc_type:meeting_minutes", "location:LY0319"]
    # the index followed: the facet finds it
    found = client.get("/api/v1/search", headers=people["staff"].headers,
                       query_string={"code": "doc_type:meeting_minutes"}).json
    assert [h["id"] for h in found["hits"]] == [doc_id]


def test_bad_review_values_are_4xx(client, people):
    doc = new_doc(client, people["partner"], CLEAN, "Badvalue")
    coord = people["coord"]
    for body in ({"considered": "person_name,phone"}, {"considered": [1]}, {"considered": ["nonsense"]},
                 {"accept_codes": [5]}, {"accept_codes": {"a": 1}}, {"accept_codes": ["x" * 300]}):
        r = review(client, coord, doc["id"], action="release", level="public", **FULL, **body)
        assert r.status_code == 422, (body, r.get_data(as_text=True))
        assert r.json["error"] in ("invalid_value", "not_suggested"), r.json
    assert get(client, coord, doc["id"])["state"] == "submitted"
    # a partner cannot accept codes through a review: the review itself is not theirs
    r = review(client, people["partner"], doc["id"], action="release", level="public", **FULL,
               accept_codes=["location:LY0319"])
    assert r.status_code == 403


# ----------------------------------------------------------------------------------------------------------------
# minimum levels of case details and named sensitive sites
# ----------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("template", "kind", "reason"), [
    (CASE_DETAILS, "severe_topic", "GBV or child-protection case details"),
    (DETENTION_SITE, "sensitive_site", "A sensitive site named"),
])
def test_case_details_and_a_named_detention_site_are_at_least_restricted(client, people, template, kind, reason):
    partner, coord = people["partner"], people["coord"]
    doc = new_doc(client, partner, template, f"Minford {kind}")
    assert [f["kind"] for f in doc["detected"]] == [kind]
    assert doc["minimum_level"] == "restricted"
    assert any(r.startswith(reason) for r in doc["minimum_reasons"]), doc["minimum_reasons"]
    # public, with the gate met and the finding considered, but no override: refused, naming the rule
    body = refused(review(client, coord, doc["id"], action="release", level="public", **FULL, considered=[kind]),
                   reason, code="below_minimum")
    assert any("below the minimum level Restricted" in r for r in body["reasons"])
    assert get(client, coord, doc["id"])["state"] == "submitted"
    # with an override it may go out public; at restricted no override is needed
    r = review(client, coord, doc["id"], action="release", level="public", **FULL, considered=[kind],
               override="Fictional training material.")
    assert r.status_code == 200 and r.json["level"] == "public" and r.json["override"]
    r = review(client, coord, doc["id"], action="release", level="restricted", **FULL)
    assert r.status_code == 200 and r.json["level"] == "restricted" and r.json["override"] is None


def test_a_document_scanned_under_the_older_rules_gets_the_new_minimum_at_release(app, client, people):
    partner, coord = people["partner"], people["coord"]
    doc = new_doc(client, partner, CASE_DETAILS, "Oldscan")
    with app.extensions["db_sessionmaker"]() as session, db.write(session):  # as stored before the new rules
        stored = session.get(Document, doc["id"])
        stored.minimum_level, stored.minimum_reasons = None, []
    assert get(client, coord, doc["id"])["minimum_level"] is None
    body = refused(review(client, coord, doc["id"], action="release", level="public", **FULL,
                          considered=["severe_topic"]), "GBV or child-protection case details", code="below_minimum")
    assert body["reasons"][0] == "Public is below the minimum level Restricted."
    r = review(client, coord, doc["id"], action="release", level="restricted", **FULL)
    assert r.status_code == 200 and r.json["minimum_level"] == "restricted"


# ----------------------------------------------------------------------------------------------------------------
# findings considered
# ----------------------------------------------------------------------------------------------------------------


def test_a_public_release_needs_every_found_kind_considered(client, people):
    partner, coord = people["partner"], people["coord"]
    lone = new_doc(client, partner, LONE_NAME, "Considerby")
    assert [f["kind"] for f in lone["detected"]] == ["person_name"] and lone["minimum_level"] is None
    body = refused(review(client, coord, lone["id"], action="release", level="public", **FULL), "person_name")
    assert body["not_considered"] == ["person_name"] and body["missing"] == []
    # below public, nothing needs to be ticked
    assert review(client, coord, lone["id"], action="release", level="restricted", **FULL).status_code == 200
    # a re-classification to public goes through the same rule
    refused(review(client, coord, lone["id"], action="release", level="public", **FULL), "person_name")
    r = review(client, coord, lone["id"], action="release", level="public", **FULL, considered=["person_name"])
    assert r.status_code == 200, r.json
    event = audit(client, coord, action="release", document=lone["id"])[0]
    assert event["detail"]["considered"] == ["person_name"] and event["detail"]["level"] == "public"

    both = new_doc(client, partner, NAME_AND_SITE, "Considerham")
    assert [f["kind"] for f in both["detected"]] == ["person_name", "sensitive_site"]
    body = refused(review(client, coord, both["id"], action="release", level="public", **FULL,
                          considered=["person_name"], override="Checked."), "sensitive_site")
    assert body["not_considered"] == ["sensitive_site"]
    assert "person_name" not in " ".join(body["reasons"])
    r = review(client, coord, both["id"], action="release", level="public", **FULL,
               considered=["sensitive_site", "person_name"], override="Checked.")
    assert r.status_code == 200, r.json
    event = audit(client, coord, action="release", document=both["id"])[0]
    assert event["detail"]["considered"] == ["sensitive_site", "person_name"]

    # a clean document needs nothing ticked
    clean = new_doc(client, partner, CLEAN, "Considerless")
    assert review(client, coord, clean["id"], action="release", level="public", **FULL).status_code == 200


def test_reclassification_goes_through_the_gate(client, people):
    partner, coord = people["partner"], people["coord"]
    doc = new_doc(client, partner, CLEAN, "Reclassby")
    doc_id = doc["id"]
    assert review(client, coord, doc_id, action="release", level="restricted", **FULL).status_code == 200
    # a new decision without a benefit/risk record is refused, and the release stands as it was
    refused(review(client, coord, doc_id, action="release", level="confidential", rationale="Tightened."),
            "risk", "benefit")
    after = get(client, coord, doc_id)
    assert after["level"] == "restricted" and after["risks"] == ["none_identified"]
    # codes taken away after release: a re-classification names what is missing
    r = client.patch(f"/api/v1/documents/{doc_id}", headers=coord.headers, json={"codes": ["location:LY0319"]})
    assert r.status_code == 200
    body = refused(review(client, coord, doc_id, action="release", level="confidential", **FULL), "document type")
    assert body["missing"] == ["doc_type"]
    assert get(client, coord, doc_id)["level"] == "restricted"


# ----------------------------------------------------------------------------------------------------------------
# the review page
# ----------------------------------------------------------------------------------------------------------------


def test_the_review_page_shows_missing_conditions_and_findings_that_need_a_look(app, client, people):
    partner = people["partner"]
    coord = browser_for(app, people["coord"])
    doc = new_doc(client, partner, LONE_NAME, "Pageworth", codes=["location:LY0319"])
    html = coord.get(f"/documents/{doc['id']}").get_data(as_text=True)
    text = plain(html)
    gate = text[text.index("Before a release"):]
    assert "Missing: An accepted document type code" in gate
    assert "Met: An accepted code of another facet" in gate
    assert "Missing: At least one risk weighed" in gate and "Missing: At least one benefit" in gate
    assert "Missing: A rationale" in gate
    assert "every scan finding ticked as considered (person_name)" in gate
    assert text.index("Before a release") < text.index("Record decision")
    # the lone name raises no minimum, so it is listed as needing a look, with its line
    assert "none from the rules, but the findings below need a look" in text
    look = text[text.index("Needs a look"):]
    assert re.search(r"Personal names \(person_name\) ?: 1 found, at line 4", look), look[:300]
    assert 'name="considered" value="person_name"' in html
    assert 'value="none_identified"' in html  # both lists offer "none identified"
    # the owner organisation sees the finding needs a look too, but not the review form
    own = browser_for(app, partner)
    text = plain(own.get(f"/documents/{doc['id']}").get_data(as_text=True))
    assert "Needs a look" in text and "Before a release" not in text

    # a document whose findings are all covered by rules: nothing listed as needing a look
    site = new_doc(client, partner, DETENTION_SITE, "Pagesite")
    text = plain(coord.get(f"/documents/{site['id']}").get_data(as_text=True))
    assert "Needs a look" not in text and "Minimum sharing level: Restricted" in text


def test_the_review_form_refuses_with_reasons_and_keeps_what_was_typed(app, client, people):
    partner, coord_account = people["partner"], people["coord"]
    coord = browser_for(app, coord_account)
    doc = new_doc(client, partner, MINUTES, "Formwick", codes=[], title="PSWG minutes, Sebha")
    doc_id = doc["id"]
    html = coord.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert 'name="accept_codes" value="doc_type:meeting_minutes"' in html
    typed = {
        "csrf_token": csrf(coord, f"/documents/{doc_id}"),
        "action": "release",
        "level": "confidential",
        "rationale": "Partners working in Sebha only.",
        "risks": ["targeting"],
        "grant_orgs": ["IRC"],
        "accept_codes": ["doc_type:meeting_minutes", "location:LY0319"],
        "review_by": "2031-05-01",
    }
    r = coord.post(f"/documents/{doc_id}/review", data=typed)
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    text = plain(html)
    assert "The release was refused." in text and "No benefit recorded" in text
    # what was typed is still there
    assert "Partners working in Sebha only.</textarea>" in html
    assert re.search(r'value="targeting" checked', html) and re.search(r'value="confidential" checked', html)
    assert re.search(r'value="doc_type:meeting_minutes" checked', html)
    assert re.search(r'<option value="IRC" selected', html) and 'value="2031-05-01"' in html
    # the ticked suggestions count for the coding conditions; the benefits are still missing
    gate = text[text.index("Before a release"):]
    assert "Met: An accepted document type code" in gate and "Missing: At least one benefit" in gate
    assert get(client, coord_account, doc_id)["state"] == "submitted"

    r = coord.post(f"/documents/{doc_id}/review", data={**typed, "benefits": ["coordination"]})
    assert r.status_code == 302
    after = get(client, coord_account, doc_id)
    assert after["state"] == "released" and after["level"] == "confidential"
    assert after["codes"] == {"doc_type": ["doc_type:meeting_minutes"], "location": ["location:LY0319"]}


def test_the_form_ticks_findings_considered_and_the_history_shows_them(app, client, people):
    partner, coord_account = people["partner"], people["coord"]
    coord = browser_for(app, coord_account)
    doc = new_doc(client, partner, LONE_NAME, "Tickwell")
    form = {"csrf_token": csrf(coord, f"/documents/{doc['id']}"), "action": "release", "level": "public",
            "rationale": "Signature only.", "risks": ["none_identified"], "benefits": ["coordination"]}
    r = coord.post(f"/documents/{doc['id']}/review", data=form)
    assert r.status_code == 422 and "not considered: person_name" in plain(r.get_data(as_text=True))
    r = coord.post(f"/documents/{doc['id']}/review", data={**form, "considered": ["person_name"]})
    assert r.status_code == 302
    text = plain(coord.get(f"/documents/{doc['id']}").get_data(as_text=True))
    assert "Findings considered: person_name" in text[text.index("History"):]
    event = audit(client, coord_account, action="release", document=doc["id"])[0]
    assert event["detail"]["considered"] == ["person_name"]


# ----------------------------------------------------------------------------------------------------------------
# the rules as data
# ----------------------------------------------------------------------------------------------------------------


def test_the_gate_is_data_in_the_protocol():
    assert list(protocol.DETECTED_LABELS) == list(scan.KINDS)  # the kinds considered may name
    assert [c.id for c in protocol.RELEASE_GATE] == ["doc_type", "descriptive_code", "risks", "benefits",
                                                     "rationale"]
    record = protocol.ReleaseRecord(("doc_type:map", "theme:gbv"), ("none_identified",), ("advocacy",), "Why.")
    assert protocol.release_missing(record) == []
    assert [c.id for c in protocol.release_missing(protocol.ReleaseRecord())] == [
        c.id for c in protocol.RELEASE_GATE]
    assert [c.id for c in protocol.release_missing(protocol.ReleaseRecord(("doc_type:map",), ("x",), ("y",), "w"))
            ] == ["descriptive_code", "risks", "benefits"]
    findings = [{"kind": "small_count", "count": 2}, {"kind": "person_name", "count": 1}]
    assert protocol.not_considered("public", findings, ["small_count"]) == ["person_name"]
    assert protocol.not_considered("restricted", findings, []) == []
    assert [f["kind"] for f in protocol.needs_a_look(findings)] == ["person_name"]
    assert protocol.needs_a_look([{"kind": "severe_topic", "count": 1}, {"kind": "phone", "count": 1}]) == []
