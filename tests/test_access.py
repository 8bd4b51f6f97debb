"""The audience table of the interface, proven on every channel.

A document is planted at every sharing level and in every state, each carrying its own canary word and its own
location code. Every kind of account then asks for it through every channel: the document API, the file download
(API and HTML), the HTML page, search hits, snippets, totals, facet counts, the empty-query listing, code filters
and the start page. Outside the audience the answer must be exactly the 404 given for an id that never existed,
and the canary must appear nowhere.

The expected audiences are written out by hand below, independently of repository/protocol.py.
"""

from __future__ import annotations

import re

import pytest
from audience_cast import cast
from audience_cast import make_accounts
from conftest import GATE_CODES
from conftest import NONE_IDENTIFIED
from conftest import login
from conftest import upload

# Accounts: name -> (email, role, org)
ACCOUNTS = cast("uploader", "colleague", "owner_staff", "owner_admin", "granted_org_staff", "granted_person",
                "other_partner", "coordinator")
EVERYONE = {"anonymous", *ACCOUNTS}
LOGGED_IN = set(ACCOUNTS)
OWNER_ORG = {"uploader", "colleague", "owner_staff", "owner_admin"}

# Planted documents: key -> (how to get there, who must see it)
PLANTS = {
    "public": ({"action": "release", "level": "public"}, EVERYONE),
    "restricted": ({"action": "release", "level": "restricted"}, LOGGED_IN),
    "confidential": (
        {"action": "release", "level": "confidential", "grant_orgs": ["GRANTED"]},
        OWNER_ORG | {"granted_org_staff", "coordinator"},
    ),
    "strict": (
        {"action": "release", "level": "strictly_confidential", "grant_users": ["person@other.example.org"]},
        {"uploader", "granted_person", "coordinator"},
    ),
    "submitted": (None, OWNER_ORG | {"coordinator"}),
    "returned": ({"action": "return"}, OWNER_ORG | {"coordinator"}),
    "withheld": ({"action": "withhold"}, OWNER_ORG | {"coordinator"}),
    "withdrawn": ("release-then-withhold", OWNER_ORG | {"coordinator"}),
}
# A distinct location code per plant, so a leaked facet count is attributable.
CODES = {
    "public": "location:LY0101",
    "restricted": "location:LY0103",
    "confidential": "location:LY0211",
    "strict": "location:LY0319",
    "submitted": "location:LY0320",
    "returned": "location:LY0107",
    "withheld": "location:IQG09",
    "withdrawn": "location:IQG11",
}


def canary(key: str) -> str:
    return f"zqcanary{key}zq"


@pytest.fixture
def planted(app, client, world):
    accounts = make_accounts(world, ACCOUNTS)
    coord = accounts["coordinator"]
    ids = {}
    for key, (decision, _who) in PLANTS.items():
        body = f"Field report {canary(key)} on protection risks and detention.\n".encode() * 3
        r = upload(client, accounts["uploader"], data=body, filename=f"{key}.txt",
                   title=f"Report {canary(key)}", summary=f"Summary {canary(key)}",
                   codes=[CODES[key], GATE_CODES[0]])  # a document type too, as a release needs
        assert r.status_code == 201, r.json
        doc_id = r.json["id"]
        ids[key] = doc_id
        steps = []
        if decision == "release-then-withhold":
            steps = [{"action": "release", "level": "public"}, {"action": "withhold"}]
        elif decision is not None:
            steps = [decision]
        for step in steps:
            r = client.post(f"/api/v1/documents/{doc_id}/review", headers=coord.headers,
                            json={"rationale": "Reviewed against the ISP.", **NONE_IDENTIFIED, **step})
            assert r.status_code == 200, r.json
    return accounts, ids


def api_headers(accounts, who):
    return {} if who == "anonymous" else accounts[who].headers


def html_client(app, accounts, who):
    c = app.test_client()
    if who != "anonymous":
        assert login(c, accounts[who].email).status_code == 302
    return c


NEVER = 999999
CSRF = re.compile(r'name="csrf_token" value="[^"]+"')


def body(response) -> str:
    """A page without its per-render CSRF token."""
    return CSRF.sub("", response.get_data(as_text=True))


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_every_channel_respects_the_audience(app, client, planted, who):
    accounts, ids = planted
    headers = api_headers(accounts, who)
    browser = html_client(app, accounts, who)

    missing_api = client.get(f"/api/v1/documents/{NEVER}", headers=headers)
    missing_file = client.get(f"/api/v1/documents/{NEVER}/file", headers=headers)
    missing_page = browser.get(f"/documents/{NEVER}")
    missing_page_file = browser.get(f"/documents/{NEVER}/file")
    assert missing_api.status_code == missing_file.status_code == 404
    assert missing_page.status_code == missing_page_file.status_code == 404

    visible = {key for key, (_d, audience) in PLANTS.items() if who in audience}

    for key, doc_id in ids.items():
        allowed = key in visible
        word = canary(key)
        # document API
        r = client.get(f"/api/v1/documents/{doc_id}", headers=headers)
        if allowed:
            assert r.status_code == 200 and r.json["id"] == doc_id
        else:
            assert (r.status_code, r.get_data()) == (404, missing_api.get_data()), (who, key)
        # file download (API)
        r = client.get(f"/api/v1/documents/{doc_id}/file", headers=headers)
        if allowed:
            assert r.status_code == 200 and word.encode() in r.data
            assert r.headers["Content-Disposition"].startswith("attachment")
            assert r.headers["X-Content-Type-Options"] == "nosniff"
        else:
            assert (r.status_code, r.get_data()) == (404, missing_file.get_data()), (who, key)
            assert word not in str(r.headers)
        r.close()
        # HTML page and download
        page = browser.get(f"/documents/{doc_id}")
        page_file = browser.get(f"/documents/{doc_id}/file")
        if allowed:
            assert page.status_code == 200 and word in page.get_data(as_text=True)
            assert page_file.status_code == 200
        else:
            assert (page.status_code, body(page)) == (404, body(missing_page)), (who, key)
            assert (page_file.status_code, body(page_file)) == (404, body(missing_page_file))
        page_file.close()
        # search: hits, snippets, totals, facet counts
        res = client.get(f"/api/v1/search?q={word}", headers=headers).json
        assert res["total"] == (1 if allowed else 0), (who, key)
        assert [h["id"] for h in res["hits"]] == ([doc_id] if allowed else [])
        if allowed:
            assert f"<mark>{word}</mark>" in res["hits"][0]["snippet"]
        dump = str(res)
        assert (word in dump) == allowed
        code = CODES[key]
        facet = code.split(":")[0]
        assert (code in res["facets"].get(facet, {})) == allowed
        # a code filter on the document's own code (and on its ancestor) finds it only within the audience
        for filt in (code, "location:IQ" if "IQ" in code else "location:LY"):
            res = client.get(f"/api/v1/search?code={filt}&per_page=100", headers=headers).json
            assert (doc_id in [h["id"] for h in res["hits"]]) == allowed, (who, key, filt)
        # HTML search page
        html = browser.get(f"/search?q={word}").get_data(as_text=True)
        assert (f"Report {word}" in html) == allowed, (who, key)
        assert html.count(word) == (html.count(word) if allowed else 1)  # only the caller's own query echoed

    # the empty query lists exactly the visible documents, newest first; totals and facets agree
    res = client.get("/api/v1/search?per_page=100", headers=headers).json
    listed = [h["id"] for h in res["hits"]]
    assert sorted(listed) == sorted(ids[k] for k in visible)
    assert res["total"] == len(visible)
    assert listed == sorted(listed, reverse=True)
    location_counts = res["facets"].get("location", {})
    for key in ids:
        assert location_counts.get(CODES[key], 0) == (1 if key in visible else 0), (who, key)
    for count in location_counts.values():
        # hierarchical counts never exceed what the caller can page through
        assert count <= len(visible)
    assert sum(res["facets"].get("level", {}).values()) == len(visible)

    # the start page lists only visible documents
    home = browser.get("/").get_data(as_text=True)
    for key in ids:
        assert (canary(key) in home) == (key in visible), (who, key)


def test_duplicate_upload_does_not_reveal_an_invisible_document(client, planted):
    accounts, ids = planted
    body = f"Field report {canary('strict')} on protection risks and detention.\n".encode() * 3
    # the owner organisation's colleague cannot see the strictly confidential document
    r = upload(client, accounts["colleague"], data=body, filename="again.txt")
    assert r.status_code == 409 and "document_id" not in r.json
    r = upload(client, accounts["uploader"], data=body, filename="again.txt")
    assert r.status_code == 409 and r.json["document_id"] == ids["strict"]


def test_reclassification_applies_at_once(client, planted):
    accounts, ids = planted
    staff = accounts["granted_person"]
    coord = accounts["coordinator"]
    doc_id = ids["restricted"]
    word = canary("restricted")
    assert client.get(f"/api/v1/search?q={word}", headers=staff.headers).json["total"] == 1
    r = client.post(f"/api/v1/documents/{doc_id}/review", headers=coord.headers,
                    json={"action": "release", "level": "confidential", "rationale": "Names found in annex.",
                          **NONE_IDENTIFIED})
    assert r.status_code == 200
    assert client.get(f"/api/v1/search?q={word}", headers=staff.headers).json["total"] == 0
    assert client.get(f"/api/v1/documents/{doc_id}/file", headers=staff.headers).status_code == 404
    r = client.post(f"/api/v1/documents/{doc_id}/review", headers=coord.headers,
                    json={"action": "release", "level": "confidential", "grant_orgs": ["OTHER"],
                          "rationale": "Shared with OTHER for referrals.", **NONE_IDENTIFIED})
    assert r.status_code == 200
    res = client.get(f"/api/v1/search?q={word}", headers=staff.headers).json
    assert res["total"] == 1 and res["facets"]["location"][CODES["restricted"]] == 1


def test_pending_index_changes_never_widen_access(app, client, planted):
    """Between a database change and its index update, the document is left out of search (fail closed)."""
    accounts, ids = planted
    from repository.data.models import Document
    from repository.data.models import IndexOutbox

    session = app.extensions["db_sessionmaker"]()
    doc = session.get(Document, ids["public"])
    doc.level = "strictly_confidential"  # as if a re-classification were committed but not yet indexed
    session.add(IndexOutbox(document_id=doc.id, op="upsert"))
    session.commit()
    session.close()
    word = canary("public")
    assert client.get(f"/api/v1/search?q={word}").json["total"] == 0
    assert client.get(f"/api/v1/documents/{ids['public']}").status_code == 404
