"""Facets, filters, sorting and query operators, proven against planted forbidden documents for every role.

Documents are planted at every sharing level and in every state, coded at several depths of the location
hierarchy (region > district > municipality) and of the theme hierarchy. For every kind of caller the answer
must satisfy, with and without a query:

* the listed documents are exactly those the caller may see (written out by hand below);
* every facet count equals the number of documents the caller can page through with that value as a filter;
* every count equals what the hand-written audience gives (a region counts the documents of its districts and
  municipalities, each once); no count exists for a code carried only by documents the caller may not see.

Then the ``code=`` descendant filter, organisation, level (ignored for those who may not filter by level),
date range (published date, else upload date), ``sort=date``, phrases and AND/OR/NOT, and the HTML page.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from audience_cast import cast
from audience_cast import make_accounts
from conftest import NONE_IDENTIFIED
from conftest import login
from conftest import upload

from repository.knowledge.taxonomy import load_taxonomy

ACCOUNTS = cast("uploader", "colleague", "owner_staff", "owner_admin", "granted_org_staff", "granted_person",
                "other_partner", "outsider_staff", "coordinator")
EVERYONE = {"anonymous", *ACCOUNTS}
LOGGED_IN = set(ACCOUNTS)
OWNER_ORG = {"uploader", "colleague", "owner_staff", "owner_admin"}

# key -> (uploader, review steps, codes, published, body, who may see it)
PLANTS = {
    "public": (
        "uploader",
        [{"action": "release", "level": "public"}],
        ["location:LY0319-sebha", "theme:ds_hlp", "doc_type:meeting_minutes"],
        "2024-03-10",
        "Shelter visit: protection monitoring of returnees.",
        EVERYONE,
    ),
    "public_other": (
        "other_partner",
        [{"action": "release", "level": "public"}],
        ["location:LY0319", "theme:access", "doc_type:meeting_minutes"],
        "2025-06-01",
        "Monitoring of protection services and access.",
        EVERYONE,
    ),
    "restricted": (
        "uploader",
        [{"action": "release", "level": "restricted"}],
        ["location:LY0320-ubari", "theme:ds_livelihoods", "doc_type:assessment"],
        "2024-11-20",
        "Livelihoods of returnees and protection risks.",
        LOGGED_IN,
    ),
    "confidential": (
        "uploader",
        [{"action": "release", "level": "confidential", "grant_orgs": ["GRANTED"]}],
        ["location:LY0214-tawergha", "theme:ds_hlp", "doc_type:analysis"],
        None,
        "Housing and property claims, protection follow-up.",
        OWNER_ORG | {"granted_org_staff", "coordinator"},
    ),
    "strict": (
        "uploader",
        [{"action": "release", "level": "strictly_confidential", "grant_users": ["person@other.example.org"]}],
        ["location:LY0319-sebha", "theme:detention", "doc_type:protection_monitoring_report"],
        "2023-01-05",
        "Detention visit notes, protection concerns.",
        {"uploader", "granted_person", "coordinator"},
    ),
    "submitted": (
        "uploader",
        [],
        ["location:LY0320", "theme:access"],
        "2022-05-05",
        "Access constraints and protection.",
        OWNER_ORG | {"coordinator"},
    ),
    "returned": (
        "uploader",
        [{"action": "return"}],
        ["location:LY0101-derna"],
        None,
        "Derna flood response and protection.",
        OWNER_ORG | {"coordinator"},
    ),
    "withheld": (
        "uploader",
        [{"action": "withhold"}],
        ["location:IQG09", "theme:ds_documentation"],
        None,
        "Civil documentation in Duhok camps, protection.",
        OWNER_ORG | {"coordinator"},
    ),
    "withdrawn": (
        "uploader",
        [{"action": "release", "level": "public"}, {"action": "withhold"}],
        ["location:LY0319-sebha", "theme:mhpss", "doc_type:situation_report"],
        "2021-09-09",
        "Psychosocial support sessions, protection.",
        OWNER_ORG | {"coordinator"},
    ),
}
# What level each plant ends with ("none": never released).
LEVEL_OF = {
    "public": "public",
    "public_other": "public",
    "restricted": "restricted",
    "confidential": "confidential",
    "strict": "strictly_confidential",
    "submitted": "none",
    "returned": "none",
    "withheld": "none",
    "withdrawn": "public",
}
ORG_OF = {key: ("OTHER" if plant[0] == "other_partner" else "OWN") for key, plant in PLANTS.items()}
TAXONOMY = load_taxonomy(Path(__file__).resolve().parent.parent / "taxonomy.yaml")
TAXONOMY_FACETS = {f.id for f in TAXONOMY.facets}


def canary(key: str) -> str:
    return f"zqfacet{key.replace('_', '')}zq"


@pytest.fixture
def planted(app, client, world):
    app.config["RATE_LIMITS"] = False  # hundreds of searches per caller and minute (REPOSITORY_RATE_LIMITS=off)
    accounts = make_accounts(world, ACCOUNTS)
    coord = accounts["coordinator"]
    ids = {}
    for key, (who, steps, codes, published, body, _audience) in PLANTS.items():
        text = f"{body} {canary(key)}\n".encode() * 2
        fields = {"title": f"Report {canary(key)}", "codes": codes}
        if published:
            fields["published"] = published
        r = upload(client, accounts[who], data=text, filename=f"{key}.txt", **fields)
        assert r.status_code == 201, r.json
        ids[key] = r.json["id"]
        for step in steps:
            r = client.post(
                f"/api/v1/documents/{ids[key]}/review",
                headers=coord.headers,
                json={"rationale": "Reviewed against the ISP.", **NONE_IDENTIFIED, **step},
            )
            assert r.status_code == 200, r.json
    return accounts, ids


def headers_of(accounts, who):
    return {} if who == "anonymous" else accounts[who].headers


def search(client, headers, **params):
    params.setdefault("per_page", 100)
    r = client.get("/api/v1/search", query_string=params, headers=headers)
    assert r.status_code == 200, (params, r.get_data(as_text=True)[:500])
    return r.json


def visible_keys(who: str) -> set[str]:
    return {key for key, plant in PLANTS.items() if who in plant[5]}


def expected_facets(keys: set[str]) -> dict[str, dict[str, int]]:
    """Facet counts written from the plant table: each document counts once under each of its codes and their
    ancestors, under its organisation and under its level."""
    out: dict[str, dict[str, int]] = {}
    for key in keys:
        for code in TAXONOMY.with_ancestors(PLANTS[key][2]):
            facet = code.split(":")[0]
            out.setdefault(facet, {}).setdefault(code, 0)
            out[facet][code] += 1
        out.setdefault("org", {}).setdefault(ORG_OF[key], 0)
        out["org"][ORG_OF[key]] += 1
        out.setdefault("level", {}).setdefault(LEVEL_OF[key], 0)
        out["level"][LEVEL_OF[key]] += 1
    return out


def filter_params(facet: str, value: str) -> dict:
    return {"code": value} if facet in TAXONOMY_FACETS else {facet: value}


def page_through(client, headers, per_page=2, **params) -> list[int]:
    """Every hit id, page by page, as a caller would; checks that the total stays the same on each page."""
    seen: list[int] = []
    first = search(client, headers, per_page=per_page, page=1, **params)
    total = first["total"]
    page = 1
    res = first
    while True:
        assert res["total"] == total
        seen.extend(h["id"] for h in res["hits"])
        if page * per_page >= total:
            break
        page += 1
        res = search(client, headers, per_page=per_page, page=page, **params)
    assert len(seen) == len(set(seen)) == total, (params, seen, total)
    return seen


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_facet_counts_equal_what_the_caller_can_page_through(client, planted, who):
    accounts, ids = planted
    headers = headers_of(accounts, who)
    keys = visible_keys(who)
    visible_ids = {ids[k] for k in keys}
    for q in ("", "protection", "protection OR Darnah"):
        res = search(client, headers, q=q)
        assert {h["id"] for h in res["hits"]} == visible_ids, (who, q)
        assert res["total"] == len(visible_ids)
        assert res["facets"] == expected_facets(keys), (who, q)
        checked = 0
        for facet, counts in res["facets"].items():
            for value, count in counts.items():
                params = {"q": q, **filter_params(facet, value)}
                if facet == "level" and who == "anonymous":
                    continue  # anonymous callers' level filter is ignored (see test_level_filter_...)
                hits = page_through(client, headers, per_page=2, **params)
                assert len(hits) == count, (who, q, facet, value)
                assert set(hits) <= visible_ids, (who, q, facet, value)
                checked += 1
        assert checked >= len(keys)  # at least one value per visible document was paged through
        dump = str(res)
        for key in set(PLANTS) - keys:
            assert canary(key) not in dump

    # no count, and no answer, for codes carried only by documents the caller may not see
    visible_codes = TAXONOMY.with_ancestors(c for k in keys for c in PLANTS[k][2])
    forbidden_codes = TAXONOMY.with_ancestors(c for k in set(PLANTS) - keys for c in PLANTS[k][2]) - visible_codes
    facets = search(client, headers)["facets"]
    listed = {code for facet, counts in facets.items() if facet in TAXONOMY_FACETS for code in counts}
    assert listed == visible_codes
    assert not listed & forbidden_codes
    for code in forbidden_codes:
        res = search(client, headers, code=code)
        assert (res["total"], res["hits"], res["facets"]) == (0, [], {}), (who, code)


def test_code_filter_matches_descendants(client, planted):
    accounts, ids = planted
    coord = accounts["coordinator"].headers

    def found(*codes, **extra):
        return {
            k
            for k, i in ids.items()
            if i in {h["id"] for h in search(client, coord, code=list(codes), **extra)["hits"]}
        }

    # region > district > municipality
    assert found("location:LY03") == {"public", "public_other", "restricted", "strict", "submitted", "withdrawn"}
    assert found("location:LY0319") == {"public", "public_other", "strict", "withdrawn"}
    assert found("location:LY0319-sebha") == {"public", "strict", "withdrawn"}
    assert found("location:LY0320") == {"restricted", "submitted"}
    assert found("location:LY") == set(PLANTS) - {"withheld"}
    assert found("location:IQ") == {"withheld"}
    # theme hierarchy: durable solutions includes its criteria
    assert found("theme:durable_solutions") == {"public", "restricted", "confidential", "withheld"}
    # codes of one facet are OR-ed, facets are AND-ed
    assert found("location:LY0320", "location:LY0214") == {"restricted", "submitted", "confidential"}
    assert found("location:LY03", "theme:durable_solutions") == {"public", "restricted"}
    assert found("location:LY03", "theme:access", "theme:ds_hlp") == {"public", "public_other", "submitted"}
    # a partner of the owner organisation gets the same filter within its own view only
    partner = accounts["other_partner"].headers
    assert {h["id"] for h in search(client, partner, code="location:LY0319")["hits"]} == {
        ids["public"],
        ids["public_other"],
    }
    # an unknown code is refused; a retired one would be accepted (see test_taxonomy_migrate)
    r = client.get("/api/v1/search", query_string={"code": "location:LY99"}, headers=coord)
    assert r.status_code == 422 and r.json["error"] == "unknown_code"


def test_org_filter(client, planted):
    accounts, ids = planted
    for who in sorted(EVERYONE):
        headers = headers_of(accounts, who)
        keys = visible_keys(who)
        for org in ("OWN", "OTHER", "NOBODY"):
            res = search(client, headers, org=org.lower())
            assert {h["id"] for h in res["hits"]} == {ids[k] for k in keys if ORG_OF[k] == org}, (who, org)


def test_level_filter_only_for_those_who_may_filter_by_level(client, planted):
    accounts, ids = planted
    # anonymous: the filter is ignored, so the answer is the public documents whatever level is asked
    public = {ids["public"], ids["public_other"]}
    for level in ("public", "restricted", "confidential", "strictly_confidential", "none"):
        res = search(client, {}, level=level)
        assert {h["id"] for h in res["hits"]} == public, level
        assert res["facets"]["level"] == {"public": 2}
    # an invalid level is still refused, for everyone
    assert client.get("/api/v1/search", query_string={"level": "secret"}).status_code == 422
    # accounts: the filter applies within their view
    cases = {
        "outsider_staff": {"confidential": set(), "restricted": {"restricted"}, "none": set()},
        "granted_org_staff": {"confidential": {"confidential"}, "strictly_confidential": set()},
        "granted_person": {"strictly_confidential": {"strict"}, "confidential": set()},
        "colleague": {
            "none": {"submitted", "returned", "withheld"},
            "strictly_confidential": set(),
            "public": {"public", "public_other", "withdrawn"},
        },
        "coordinator": {"strictly_confidential": {"strict"}, "none": {"submitted", "returned", "withheld"}},
    }
    for who, by_level in cases.items():
        for level, keys in by_level.items():
            res = search(client, accounts[who].headers, level=level)
            assert {h["id"] for h in res["hits"]} == {ids[k] for k in keys}, (who, level)
            if not keys:
                assert res["facets"] == {}
    # several levels are OR-ed
    res = search(client, accounts["coordinator"].headers, level=["public", "restricted"])
    assert {h["id"] for h in res["hits"]} == {ids[k] for k in ("public", "public_other", "restricted", "withdrawn")}


def test_date_range_uses_the_published_date_else_the_upload_date(client, planted):
    accounts, ids = planted
    coord = accounts["coordinator"].headers
    today = dt.datetime.now(dt.UTC).date()

    def found(**params):
        return {k for k, i in ids.items() if i in {h["id"] for h in search(client, coord, **params)["hits"]}}

    assert found(**{"from": "2024-01-01", "to": "2024-12-31"}) == {"public", "restricted"}
    assert found(**{"from": "2024-03-10", "to": "2024-03-10"}) == {"public"}  # both ends inclusive
    assert found(to="2023-01-05") == {"strict", "submitted", "withdrawn"}
    undated = {k for k, plant in PLANTS.items() if plant[3] is None}
    assert found(**{"from": today.isoformat()}) == undated  # no published date: the upload date counts
    assert found(**{"from": "2025-01-01"}) == undated | {"public_other"}
    # within the caller's view only
    res = search(client, accounts["outsider_staff"].headers, **{"from": "2020-01-01"})
    assert {h["id"] for h in res["hits"]} == {ids[k] for k in ("public", "public_other", "restricted")}


def test_sort_by_date_and_by_relevance(client, planted):
    accounts, ids = planted
    coord = accounts["coordinator"].headers
    by_date = [h["id"] for h in search(client, coord, q="protection", sort="date")["hits"]]
    undated = [ids[k] for k in ("confidential", "returned", "withheld")]  # uploaded today
    dated = [ids[k] for k in ("public_other", "restricted", "public", "strict", "submitted", "withdrawn")]
    assert sorted(by_date[:3]) == sorted(undated)
    assert by_date[3:] == dated
    # empty query with sort=date: the same order
    assert [h["id"] for h in search(client, coord, sort="date")["hits"]] == by_date
    # relevance: the document that says "returnees" twice in its few words ranks first for that word
    res = search(client, coord, q="returnees")
    assert {h["id"] for h in res["hits"]} == {ids["public"], ids["restricted"]}
    assert client.get("/api/v1/search", query_string={"sort": "newest"}, headers=coord).status_code == 400


def test_phrase_and_boolean_operators(client, planted):
    accounts, ids = planted
    coord = accounts["coordinator"].headers

    def found(q):
        return {k for k, i in ids.items() if i in {h["id"] for h in search(client, coord, q=q)["hits"]}}

    assert found("monitoring") == {"public", "public_other"}
    assert found('"protection monitoring"') == {"public"}
    assert found('"monitoring protection"') == {"public_other"}  # "Monitoring of protection": stop word skipped
    assert found('"returnees monitoring"') == set()
    assert found("returnees livelihoods") == {"restricted"}  # words are AND-ed
    assert found("returnees AND livelihoods") == {"restricted"}
    assert found("returnees OR detention") == {"public", "restricted", "strict"}
    assert found("returnees NOT livelihoods") == {"public"}
    assert found("(detention OR psychosocial) AND protection") == {"strict", "withdrawn"}
    assert found("protection NOT (returnees OR Derna)") == set(PLANTS) - {"public", "restricted", "returned"}
    # snippets mark the words of the query
    res = search(client, coord, q='"protection monitoring"')
    assert "<mark>protection</mark> <mark>monitoring</mark>" in res["hits"][0]["snippet"]


def test_search_page_shows_bilingual_facets_filters_and_sort(app, client, planted):
    accounts, ids = planted
    browser = app.test_client()
    assert login(browser, accounts["outsider_staff"].email).status_code == 302
    page = browser.get("/search", query_string={"q": "protection"}).get_data(as_text=True)
    # facets with English and Arabic labels, counts within the caller's view (public x2 + restricted)
    assert "Location" in page and "الموقع" in page
    assert re.search(r"South</a>\s*· <span lang=\"ar\" dir=\"rtl\">الجنوب</span>\s*<span class=\"count\">\(3\)", page)
    assert re.search(r"Sebha</a>\s*· <span lang=\"ar\" dir=\"rtl\">سبها</span>\s*<span class=\"count\">\(2\)", page)
    assert "Tawergha" not in page and "تاورغاء" not in page  # only on the confidential document
    for key in set(PLANTS) - visible_keys("outsider_staff"):
        assert canary(key) not in page
    # a facet link adds the code filter; the filter can be removed; the level filter is offered to accounts
    assert re.search(r'href="/search\?[^"]*code=location(:|%3A)LY03', page)
    assert "level=restricted" in page
    page = browser.get("/search", query_string={"q": "protection", "code": "location:LY0319"}).get_data(as_text=True)
    assert "remove" in page
    assert f'/documents/{ids["public"]}"' in page and f'/documents/{ids["restricted"]}"' not in page
    page = browser.get("/search", query_string={"q": "protection", "sort": "date"}).get_data(as_text=True)
    assert page.index(f'/documents/{ids["public_other"]}"') < page.index(f'/documents/{ids["public"]}"')
    # anonymous visitors: the level facet is shown but offers no filter links
    page = app.test_client().get("/search", query_string={"q": "protection"}).get_data(as_text=True)
    assert "level=" not in page and "Sharing level" in page
