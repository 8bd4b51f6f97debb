"""Leaks through metadata-only discovery: planted documents, discoverable and not, at every closed level and in every
state (withdrawn, re-classified, lowered, granted and refused on request), as every role by API token and by HTML
session.

Each plant carries unique random words in its title, summary, body and filename. Written out by hand below,
independently of repository/protocol: who sees each plant whole (``full``) and who sees its metadata only
(``meta``). Everyone else must get exactly what a never-existing id gets. Checked for each role and plant:

* the document JSON: whole, metadata only (exactly title, summary, org, level, codes, published, state), or 404;
* its file, comments and versions: only for ``full`` (a 404 like a missing id otherwise);
* search (API and page): a title or summary word finds a metadata-only plant as a ``metadata_only`` hit with no
  snippet; a body word never does; outside both sets nothing is found; no answer to a metadata-only or invisible
  caller ever holds the body or filename word, nor (invisible) the title word;
* totals and facet counts equal what the caller can page through (and the stats total the search total);
* an access request is 404 outside both sets (anonymous visitors never see anything), 409 with full access;
* the access request lists name only documents the caller sees at least the metadata of;
* a grant on request gives access and is audited as a grant; a refusal changes nothing and writes no grant.
"""

from __future__ import annotations

import random

import pytest
from audience_cast import cast
from conftest import CSRF_RE
from conftest import GATE_CODES
from conftest import login
from conftest import release
from conftest import upload
from leak_utils import canary_word
from leak_utils import leak_app

ROLES = cast("uploader", "colleague", "owner_staff", "other_partner", "other_staff", "granted_person", "coordinator",
             "outside_admin")
ACCOUNTS = set(ROLES)
OWNER_ORG = {"uploader", "colleague", "owner_staff"}
CONF = OWNER_ORG | {"coordinator"}
STRICT = {"uploader", "coordinator"}
NEVER = 987654
METADATA_KEYS = {"id", "title", "summary", "org", "level", "codes", "published", "state", "metadata_only"}

# name: (releases in order (level, discoverable), then "withhold" or an access request answered "grant"/"refuse"
# by granted_person, full audience, metadata-only audience)
PLANTS = {
    "conf_disc": ([("confidential", True)], None, CONF, ACCOUNTS - CONF),
    "strict_disc": ([("strictly_confidential", True)], None, STRICT, ACCOUNTS - STRICT),
    "conf_granted": ([("confidential", True)], "grant", CONF | {"granted_person"},
                     ACCOUNTS - CONF - {"granted_person"}),
    "strict_granted": ([("strictly_confidential", True)], "grant", STRICT | {"granted_person"},
                       ACCOUNTS - STRICT - {"granted_person"}),
    "conf_refused": ([("confidential", True)], "refuse", CONF, ACCOUNTS - CONF),
    "conf_hidden": ([("confidential", False)], None, CONF, set()),
    "strict_hidden": ([("strictly_confidential", False)], None, STRICT, set()),
    "withdrawn": ([("confidential", True)], "withhold", CONF, set()),
    "reclassified": ([("confidential", True), ("confidential", False)], None, CONF, set()),
    "to_strict_hidden": ([("confidential", True), ("strictly_confidential", False)], None, STRICT, set()),
    "lowered": ([("strictly_confidential", True), ("restricted", False)], None, ACCOUNTS, set()),
    "submitted": ([], None, CONF, set()),
}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with leak_app(tmp_path_factory, "discovery", ROLES) as (app, people):
        client = app.test_client()
        rng = random.Random()
        plants = {}
        coord, asker = people["coordinator"], people["granted_person"]
        for key, (releases, then, full, meta) in PLANTS.items():
            words = {part: canary_word(rng) for part in ("title", "summary", "body", "file")}
            r = upload(client, people["uploader"], data=f"Field report {words['body']} on protection.\n".encode() * 3,
                       filename=f"{words['file']}.txt", title=f"Report {words['title']}",
                       summary=f"About {words['summary']}", codes=list(GATE_CODES))
            assert r.status_code == 201, r.get_json()
            doc_id = r.get_json()["id"]
            for level, discoverable in releases:
                r = release(client, coord, doc_id, level, **({"discoverable": True} if discoverable else {}))
                assert r.status_code == 200, (key, r.get_json())
            if then == "withhold":
                r = client.post(f"/api/v1/documents/{doc_id}/review", headers=coord.headers,
                                json={"action": "withhold", "rationale": "Withdrawn."})
                assert r.status_code == 200
            elif then in ("grant", "refuse"):
                r = client.post(f"/api/v1/documents/{doc_id}/access-requests", headers=asker.headers,
                                json={"reason": f"Need {key}."})
                assert r.status_code == 201, r.get_json()
                r = client.post(f"/api/v1/access-requests/{r.get_json()['id']}", headers=coord.headers,
                                json={"action": then, "note": "Answered."})
                assert r.status_code == 200
            plants[key] = {"id": doc_id, "words": words, "full": full, "meta": meta, "then": then}
        yield app, people, plants


def _get(client, path, who, **query):
    r = client.get(f"/api/v1{path}", headers=who.headers if who else {}, query_string=query)
    with r:
        return r.status_code, r.get_data(as_text=True), (r.get_json(silent=True) if r.is_json else None)


WHO = ["anonymous", *ROLES]


def _secret_words(plant, name):
    """The words of a plant that must not appear in an answer to ``name``."""
    if name in plant["full"]:
        return []
    words = plant["words"]
    if name in plant["meta"]:
        return [words["body"], words["file"]]
    return list(words.values())


@pytest.mark.parametrize("name", WHO)
def test_documents_files_and_subresources(world, name):
    app, people, plants = world
    client, who = app.test_client(), people.get(name)
    never = {sub: _get(client, f"/documents/{NEVER}{sub}", who)[0] for sub in ("", "/file", "/comments", "/versions")}
    for key, plant in plants.items():
        doc_id = plant["id"]
        status, text, body = _get(client, f"/documents/{doc_id}", who)
        if name in plant["full"]:
            assert status == 200 and "sha256" in body and "metadata_only" not in body, key
            with client.get(f"/api/v1/documents/{doc_id}/file", headers=who.headers) as r:
                assert r.status_code == 200, key
            continue
        if name in plant["meta"]:
            assert status == 200 and set(body) == METADATA_KEYS and body["metadata_only"] is True, (key, body)
            assert plant["words"]["title"] in body["title"] and plant["words"]["summary"] in body["summary"]
        else:
            assert status == never[""], (key, name)
        for word in _secret_words(plant, name):
            assert word not in text, (key, name, word)
        for sub in ("/file", "/comments", "/versions"):
            status, text, _ = _get(client, f"/documents/{doc_id}{sub}", who)
            assert status == never[sub], (key, sub, name)
            assert not any(w in text for w in plant["words"].values()), (key, sub)


@pytest.mark.parametrize("name", WHO)
def test_search_hits_snippets_totals_and_facets(world, name):
    app, people, plants = world
    client, who = app.test_client(), people.get(name)
    for key, plant in plants.items():
        for part in ("title", "summary", "body", "file"):
            status, text, body = _get(client, "/search", who, q=plant["words"][part])
            assert status == 200
            ids = [h["id"] for h in body["hits"]]
            if name in plant["full"] and part != "file":
                assert ids == [plant["id"]] and "snippet" in body["hits"][0], (key, part)
            elif name in plant["meta"] and part in ("title", "summary"):
                hit = body["hits"][0]
                assert ids == [plant["id"]] and hit["metadata_only"] is True and "snippet" not in hit, (key, part)
            else:
                assert ids == [] and body["total"] == 0 and not any(body["facets"].values()), (key, part, name)
            assert body["total"] == len(ids)
            for word in _secret_words(plant, name):
                if word != plant["words"][part]:  # the query itself may be echoed
                    assert word not in text, (key, part, name, word)

    # Everything at once: the total and every facet count equal what the caller can page through.
    status, _, body = _get(client, "/search", who, per_page=100)
    hits = body["hits"]
    expected = {p["id"] for p in plants.values() if name in p["full"] | p["meta"]}
    assert {h["id"] for h in hits} == expected and body["total"] == len(hits) == len(expected)
    only = {p["id"] for p in plants.values() if name in p["meta"]}
    assert {h["id"] for h in hits if h.get("metadata_only")} == only
    assert all("snippet" not in h for h in hits if h.get("metadata_only"))
    for facet, key in (("level", "level"), ("org", "org")):
        counted: dict[str, int] = {}
        for h in hits:
            value = h[key] or "none"
            counted[value] = counted.get(value, 0) + 1
        assert body["facets"].get(facet, {}) == counted, (facet, name)
    for code in GATE_CODES:
        facet = code.partition(":")[0]
        assert body["facets"].get(facet, {}).get(code, 0) == len(hits), code
    if name != "anonymous":
        for level in ("confidential", "strictly_confidential"):
            _, _, narrowed = _get(client, "/search", who, per_page=100, level=level)
            assert narrowed["total"] == len(narrowed["hits"]) == sum(1 for h in hits if h["level"] == level)
    status, _, stats = _get(client, "/stats", who)
    if status == 200:  # the stats count what the caller can page through
        assert stats["total"] == len(hits) and sum(stats["by_level"].values()) == len(hits), name


@pytest.mark.parametrize("name", WHO)
def test_access_request_gates_and_lists(world, name):
    app, people, plants = world
    client, who = app.test_client(), people.get(name)
    headers = who.headers if who else {}
    for key, plant in plants.items():
        r = client.post(f"/api/v1/documents/{plant['id']}/access-requests", headers=headers, json={"reason": ""})
        if name in plant["full"]:
            assert r.status_code == 409, (key, name)
        elif name in plant["meta"]:
            assert r.status_code == 422, (key, name)  # it may ask (an empty reason is refused, nothing is written)
        else:
            assert r.status_code == 404, (key, name)
        for word in _secret_words(plant, name):
            assert word not in r.get_data(as_text=True)
    status, _, body = _get(client, "/access-requests", who)
    if who is None:
        assert status == 401
        return
    assert status == 200
    named = {r["document_id"] for r in body["requests"]}
    if name == "coordinator":
        assert named == {p["id"] for p in plants.values() if p["then"] in ("grant", "refuse")}
    elif name == "granted_person":
        assert named == {p["id"] for p in plants.values() if p["then"] in ("grant", "refuse")}
        assert all(name in p["full"] | p["meta"] for p in plants.values() if p["id"] in named)
    else:
        assert named == set()


def test_grants_are_audited_and_refusals_grant_nothing(world):
    app, people, plants = world
    client, coord, asker = app.test_client(), people["coordinator"], people["granted_person"]
    for key, plant in plants.items():
        events = client.get("/api/v1/audit", query_string={"document": plant["id"]}, headers=coord.headers).json
        actions = [e["action"] for e in events["events"]]
        grants = [e for e in events["events"] if e["action"] == "grant"]
        if plant["then"] == "grant":
            assert "access_request" in actions and "access_grant" in actions, key
            assert [g["detail"]["grant_users"] for g in grants] == [[asker.email]], key
            assert grants[0]["actor"] == coord.email and grants[0]["detail"]["access_request"]
        elif plant["then"] == "refuse":
            assert "access_refuse" in actions and not grants, key
        else:
            assert not grants and "access_request" not in actions, key


@pytest.mark.parametrize("name", ["anonymous", "other_partner", "colleague", "granted_person", "coordinator"])
def test_pages(world, name):
    app, people, plants = world
    browser = app.test_client()
    if name != "anonymous":
        assert login(browser, people[name].email).status_code == 302
    never = browser.get(f"/documents/{NEVER}").status_code
    for key, plant in plants.items():
        words = plant["words"]
        page = browser.get(f"/documents/{plant['id']}")
        html = page.get_data(as_text=True)
        if name in plant["full"]:
            assert page.status_code == 200 and f"/documents/{plant['id']}/file" in html, key
        elif name in plant["meta"]:
            assert page.status_code == 200 and words["title"] in html and "Metadata only" in html, key
            assert CSRF_RE.search(html) and "access-request" in html
            assert f"/documents/{plant['id']}/file" not in html
        else:
            assert page.status_code == never, (key, name)
        for word in _secret_words(plant, name):
            assert word not in html, (key, name, word)
        results = browser.get("/search", query_string={"q": words["title"]}).get_data(as_text=True)
        if name in plant["meta"]:
            assert f"/documents/{plant['id']}" in results and "Metadata only" in results, key
        elif name not in plant["full"]:
            assert f"/documents/{plant['id']}\"" not in results, key
        for word in _secret_words(plant, name):
            if word != words["title"]:
                assert word not in results, (key, name, word)
    listing = browser.get("/access-requests")
    if name == "anonymous":
        assert listing.status_code == 302
    else:
        text = listing.get_data(as_text=True)
        for plant in plants.values():
            if name not in plant["full"] | plant["meta"]:
                assert plant["words"]["title"] not in text
