"""``/dashboard`` never names or counts a document outside the viewer's audience.

Canary documents at every level and state (and a discoverable confidential one), each twice: uploaded by the
owner organisation of the cast (OWN) and by a partner of an organisation of its own whose acronym is a canary
word. Each carries unique random words in its title, summary, body and filename, and a location code of its own.
For every role, the page (in English and in Arabic) is asked with no filter, with each level, with each canary's
words as the query, with its code and with its organisation: outside a document's audience none of its words, its
organisation's acronym, its place's P-code or a link to it may appear, and no count may move because of it (asked
for it, the page counts nothing). Inside the audience it is counted (so that the check is not vacuous); a
metadata-only reader (a discoverable document outside its audience) counts it by its metadata and sees its title,
never its text. Anonymous visitors see public documents only. The audiences are written out by hand from the
interface, as in test_leak_sweep.py.
"""

from __future__ import annotations

import random
import re
import string

import pytest
from audience_cast import cast
from audience_cast import make_accounts
from conftest import GATE_CODES
from conftest import NONE_IDENTIFIED
from conftest import browser_for
from conftest import svc
from conftest import upload
from test_dashboard import page_figures

from repository.data.models import Document

ROLES = cast(owner_partner="uploader", owner_staff="owner_staff", other_partner="other_partner",
             other_staff="other_staff", granted_org="granted_org_staff", granted_user="third_person",
             coordinator="coordinator", admin="outside_admin")
WHO = ("anonymous", *ROLES)
EVERYONE = set(WHO)
LOGGED_IN = set(ROLES)
OWNERS = {"owner_partner", "owner_staff"}
OWNER_AND_COORD = OWNERS | {"coordinator"}

# name: (review steps after upload, full audience when uploaded by OWN, location code of its own: two per name,
# one for the OWN upload and one for the canary organisation's)
PLANTS = {
    "submitted": ([], OWNER_AND_COORD, ("location:LY0101", "location:LY0102")),
    "returned": ([{"action": "return"}], OWNER_AND_COORD, ("location:LY0103", "location:LY0104")),
    "withheld": ([{"action": "withhold"}], OWNER_AND_COORD, ("location:LY0211", "location:LY0212")),
    "withdrawn": ([{"action": "release", "level": "public"}, {"action": "withhold"}], OWNER_AND_COORD,
                  ("location:LY0319", "location:LY0320")),
    "public": ([{"action": "release", "level": "public"}], EVERYONE, ("location:LY0105", "location:LY0106")),
    "restricted": ([{"action": "release", "level": "restricted"}], LOGGED_IN, ("location:LY0107", "location:LY0208")),
    "confidential": ([{"action": "release", "level": "confidential"}], OWNER_AND_COORD,
                     ("location:IQG09", "location:IQG10")),
    "confidential_org_grant": ([{"action": "release", "level": "confidential", "grant_orgs": ["GRANTED"]}],
                               OWNER_AND_COORD | {"granted_org"}, ("location:IQG11", "location:IQG12")),
    "strict": ([{"action": "release", "level": "strictly_confidential"}], {"owner_partner", "coordinator"},
               ("location:IQG15", "location:IQG16")),
    "strict_user_grant": ([{"action": "release", "level": "strictly_confidential",
                            "grant_users": ["person@third.example.org"]}],
                          {"owner_partner", "coordinator", "granted_user"}, ("location:IQG13", "location:IQG14")),
    "discoverable": ([{"action": "release", "level": "confidential", "discoverable": True}], OWNER_AND_COORD,
                     ("location:IQG01", "location:IQG02")),
}
LEVEL_FILTERS = ("public", "restricted", "confidential", "strictly_confidential", "none")


def _word(rng: random.Random) -> str:
    return "zq" + "".join(rng.choice(string.ascii_lowercase) for _ in range(10))


@pytest.fixture
def planted(no_request_rate_limits, app, world):
    """The canaries of :data:`PLANTS`, each uploaded by OWN and by a canary organisation, reviewed through the
    API: (app, browsers by role, plants by key)."""
    accounts = make_accounts(world, ROLES)
    client = app.test_client()
    taxonomy = app.extensions["repo"].taxonomy
    rng = random.Random()
    plants = {}
    for key, (steps, audience, codes) in PLANTS.items():
        for variant, code in zip(("own", "canary_org"), codes, strict=True):
            org = None
            uploader = accounts["owner_partner"]
            if variant == "canary_org":
                org = _word(rng).upper()
                uploader = world.account(f"partner@{org.lower()}.example.org", "partner", org)
            title, summary, body, fname = (_word(rng) for _ in range(4))
            data = f"Field report {body} about protection risks.\n".encode() * 3
            r = upload(client, uploader, data=data, filename=f"{fname}.txt", title=f"Report {title}",
                       summary=f"Summary {summary}", codes=[*GATE_CODES, code], published="2024-02-03")
            assert r.status_code == 201, r.json
            doc_id = r.json["id"]
            for step in steps:
                r = client.post(f"/api/v1/documents/{doc_id}/review", headers=accounts["coordinator"].headers,
                                json={"rationale": "Reviewed against the ISP.", **NONE_IDENTIFIED, **step})
                assert r.status_code == 200, r.json
            seen_by = set(audience)
            if variant == "canary_org" and audience not in (EVERYONE, LOGGED_IN):
                seen_by -= OWNERS  # they saw it as its owners; the canary organisation's partner is not cast
            plants[f"{key}/{variant}"] = {
                "id": doc_id, "title": title, "summary": summary, "body": body, "fname": fname, "org": org,
                "audience": seen_by, "meta": set(), "code": code, "pcode": taxonomy.get(code).pcode,
                "level": key,
            }
    # A discoverable document's metadata is seen by every logged-in account outside its audience (when the
    # discovery feature is there: read back from the database, not from the protocol).
    s = svc(app)
    for key in ("discoverable/own", "discoverable/canary_org"):
        if s.session.get(Document, plants[key]["id"]).discoverable:
            plants[key]["meta"] = LOGGED_IN - plants[key]["audience"]
    s.session.close()
    browsers = {who: app.test_client() if who == "anonymous" else browser_for(app, accounts[who]) for who in WHO}
    return app, browsers, plants


def _page(browser, params: dict) -> str:
    r = browser.get("/dashboard", query_string=params)
    assert r.status_code == 200, (params, r.get_data(as_text=True)[:300])
    return r.get_data(as_text=True)


def _queries(plants) -> list[dict]:
    out: list[dict] = [{}, {"lang": "ar"}, {"org": "OWN"}, *({"level": level} for level in LEVEL_FILTERS)]
    for plant in plants.values():
        out += [{"q": plant["body"]}, {"q": plant["title"]}, {"q": plant["fname"]}, {"code": plant["code"]}]
        if plant["org"]:
            out.append({"org": plant["org"]})
    return out


def _asked_for(plant: dict, params: dict) -> bool:
    """Whether ``params`` names ``plant``'s own code or organisation (the page then echoes what was typed as a
    filter, as search does; only the counts are checked)."""
    return params.get("code") == plant["code"] or (plant["org"] is not None and params.get("org") == plant["org"])


def test_no_invisible_document_is_named_or_counted(planted):
    app, browsers, plants = planted
    checked = 0
    for who in WHO:
        for params in _queries(plants):
            html = _page(browsers[who], params)
            text = html.lower()
            typed = {str(v).lower() for v in params.values()}  # echoed in the form, as search does
            for key, plant in plants.items():
                for word in {plant["body"], plant["fname"], plant["summary"]} - typed:  # never on the dashboard
                    assert word not in text, (who, key, params)
                if who in plant["audience"] or who in plant["meta"]:
                    continue
                if plant["title"] not in typed:
                    assert plant["title"] not in text, (who, key, params)
                assert not re.search(rf"/documents/{plant['id']}(?!\d)", html), (who, key, params)
                if not _asked_for(plant, params):
                    assert not re.search(rf"\b{plant['pcode']}\b", html), (who, key, params)
                    assert plant["code"] not in html and plant["code"].replace(":", "%3A") not in html
                    if plant["org"]:
                        assert plant["org"].lower() not in text, (who, key, params)
                checked += 1
    assert checked > len(WHO) * len(_queries(plants))


def _visible(who: str, plant: dict, params: dict) -> bool:
    """Whether ``who`` finds ``plant`` with ``params``: its audience always; a metadata-only reader by its
    metadata (title, code, organisation), never by its text."""
    if who in plant["audience"]:
        return True
    return who in plant["meta"] and params.get("q") not in (plant["body"], plant["fname"])


def test_asked_for_an_invisible_document_the_page_counts_nothing(planted):
    app, browsers, plants = planted
    for who in WHO:
        for key, plant in plants.items():
            asks = [{"q": plant["body"]}, {"q": plant["title"]}, {"code": plant["code"]}]
            if plant["org"]:
                asks.append({"org": plant["org"]})
            for params in asks:
                html = _page(browsers[who], params)
                shown = page_figures(html)
                if _visible(who, plant, params):
                    assert shown["total"] == 1, (who, key, params)
                    assert shown["location"].get(plant["pcode"]) == 1, (who, key, params)
                    assert {i for i, _day in shown["newest"].values()} == {plant["id"]}
                else:
                    assert shown["total"] == shown["coded"] == shown["released"] == 0, (who, key, params)
                    assert not any(shown[n] for n in ("org", "level", "month", "theme", "location", "newest"))
                assert bool(shown["due"]) is False  # no review date was set
                assert ("figure-due" in html) == (who == "coordinator")


def test_each_role_counts_exactly_its_audience(planted):
    app, browsers, plants = planted
    for who in WHO:
        expected = {k for k, p in plants.items() if who in p["audience"] or who in p["meta"]}
        shown = page_figures(_page(browsers[who], {}))
        assert shown["total"] == len(expected) == sum(shown["org"].values()) == sum(shown["level"].values()), who
        pcodes = {plants[k]["pcode"] for k in expected}
        assert {p for p in shown["location"] if p in {pl["pcode"] for pl in plants.values()}} == pcodes, who
        orgs = {plants[k]["org"] for k in expected if plants[k]["org"]}
        assert set(shown["org"]) - {"OWN"} == orgs, who
        assert {i for i, _day in shown["newest"].values()} <= {plants[k]["id"] for k in expected}


def test_anonymous_sees_only_public_documents(planted):
    app, browsers, plants = planted
    public = {k for k, p in plants.items() if p["level"] == "public"}
    for params in ({}, *({"level": level} for level in LEVEL_FILTERS)):  # the level filter is ignored
        shown = page_figures(_page(browsers["anonymous"], params))
        assert shown["total"] == len(public) == shown["released"], params
        assert shown["level"] == {"public": len(public)}, params
