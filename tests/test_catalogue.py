"""``GET /api/v1/catalogue`` and ``GET /api/v1/stats``: for every role, with planted documents at every level and
state, the catalogue's rows and the figures are exactly the documents the same caller pages through in
``/api/v1/search`` with the same filters (that set is computed here by paging search, 2 hits a page); the CSV is
UTF-8 and formula-safe; filters and bad parameters; the walk over many pages and its cap."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from audience_cast import cast
from audience_cast import make_accounts
from conftest import NONE_IDENTIFIED
from conftest import upload

from repository.services import search as search_service

ROLES = cast("uploader", "owner_staff", "other_partner", "other_staff", "granted_org_staff", "third_person",
             "coordinator", "outside_admin")
WHO = ("anonymous", *ROLES)

# name: (organisation of the uploader, codes, published, review steps)
DOCS = {
    "submitted": ("uploader", ["theme:gbv", "location:LY0101"], "2024-01-10", []),
    "returned": ("uploader", ["theme:detention"], "2024-02-10", [{"action": "return"}]),
    "withheld": ("uploader", ["theme:gbv"], None, [{"action": "withhold"}]),
    "withdrawn": ("uploader", ["theme:gbv", "location:LY0319"], "2024-03-10",
                  [{"action": "release", "level": "public"}, {"action": "withhold"}]),
    "public": ("uploader", ["theme:gbv", "location:LY0101"], "2024-03-15",
               [{"action": "release", "level": "public", "review_by": "2020-01-31"}]),
    "public_other": ("other_partner", ["theme:detention", "location:IQG15"], "2023-11-01",
                     [{"action": "release", "level": "public"}]),
    "restricted": ("uploader", ["theme:child_protection", "location:LY0319"], "2024-03-20",
                   [{"action": "release", "level": "restricted", "review_by": "2099-01-01"}]),
    "confidential": ("uploader", ["theme:gbv", "location:LY0101"], "2024-04-01",
                     [{"action": "release", "level": "confidential"}]),
    "confidential_org_grant": ("uploader", ["theme:detention", "location:LY0101"], "2024-04-02",
                               [{"action": "release", "level": "confidential", "grant_orgs": ["GRANTED"]}]),
    "strict": ("uploader", ["theme:gbv"], "2024-05-01", [{"action": "release", "level": "strictly_confidential"}]),
    "strict_user_grant": ("uploader", ["theme:mhpss", "location:IQG15"], "2024-05-02",
                          [{"action": "release", "level": "strictly_confidential",
                            "grant_users": ["person@third.example.org"], "review_by": "2021-06-30"}]),
}
FILTERS = [
    {},
    {"q": "protection"},
    {"q": "monitoring", "sort": "date"},
    {"code": "theme:gbv"},
    {"code": ["location:LY", "theme:detention"]},
    {"org": "own"},
    {"level": ["confidential", "none"]},
    {"from": "2024-03-01", "to": "2024-04-30"},
    {"sort": "date"},
]


@pytest.fixture
def planted(no_request_rate_limits, app, world):
    """The documents of :data:`DOCS`, uploaded and reviewed through the API: (client, accounts, ids by name)."""
    accounts = make_accounts(world, ROLES)
    client = app.test_client()
    ids = {}
    for name, (who, codes, published, steps) in DOCS.items():
        fields = {"title": f"Report {name}", "codes": ["doc_type:assessment", *codes]}
        if published:
            fields["published"] = published
        data = f"Protection monitoring report {name}.\nDetention visits and referrals.\n".encode() * 3
        r = upload(client, accounts[who], data=data, filename=f"{name}.txt", **fields)
        assert r.status_code == 201, r.json
        ids[name] = r.json["id"]
        for step in steps:
            r = client.post(f"/api/v1/documents/{ids[name]}/review", headers=accounts["coordinator"].headers,
                            json={"rationale": "Reviewed against the ISP.", **NONE_IDENTIFIED, **step})
            assert r.status_code == 200, r.json
    return client, accounts, ids


def _headers(accounts, who: str) -> dict[str, str]:
    return {} if who == "anonymous" else accounts[who].headers


def paged_search(client, headers, params: dict) -> tuple[list[dict], dict]:
    """Every hit the caller pages through in /api/v1/search (2 a page, as a client would), and the first page's
    facets."""
    hits, page, facets = [], 1, None
    while True:
        r = client.get("/api/v1/search", query_string={**params, "page": page, "per_page": 2}, headers=headers)
        assert r.status_code == 200, r.json
        facets = facets if facets is not None else r.json["facets"]
        hits.extend(r.json["hits"])
        if page * 2 >= r.json["total"]:
            return hits, facets
        page += 1


def catalogue_json(client, headers, params: dict) -> dict:
    """The catalogue's JSON answer (checked to be 200 JSON)."""
    r = client.get("/api/v1/catalogue", query_string=params, headers=headers)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.mimetype == "application/json"
    return r.json


def catalogue_csv(client, headers, params: dict) -> list[dict]:
    """The catalogue's CSV rows (checked to be a 200 CSV attachment, UTF-8 with a byte-order mark)."""
    r = client.get("/api/v1/catalogue", query_string={**params, "format": "csv"}, headers=headers)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.mimetype == "text/csv" and r.headers["Content-Disposition"].startswith("attachment")
    text = r.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_the_catalogue_is_what_each_caller_pages_through_in_search(planted):
    client, accounts, ids = planted
    checked = 0
    for who in WHO:
        headers = _headers(accounts, who)
        for params in FILTERS:
            hits, _facets = paged_search(client, headers, params)
            expected = [h["id"] for h in hits]
            found = catalogue_json(client, headers, params)
            assert [d["id"] for d in found["documents"]] == expected, (who, params)
            assert found["total"] == len(expected)
            by_id = {h["id"]: h for h in hits}
            for doc in found["documents"]:
                hit = by_id[doc["id"]]
                for key in ("title", "org", "level", "state", "published", "codes"):
                    assert doc[key] == hit[key], (who, key)
                assert doc["url"].endswith(f"/documents/{doc['id']}")
                assert len(doc["sha256"]) == 64 and doc["languages"] == ["en"] and doc["uploaded_at"]
                assert doc["metadata_only"] is False
            rows = catalogue_csv(client, headers, params)
            assert [int(row["id"]) for row in rows] == expected, (who, params)
            checked += 1
    assert checked == len(WHO) * len(FILTERS)


def test_each_role_sees_its_audience_in_the_catalogue(planted):
    """The audiences written out by hand (as the leak sweep does), not read from the protocol."""
    client, accounts, ids = planted
    released_to_all = {"public", "public_other"}
    accounts_see = released_to_all | {"restricted"}
    owner_and_coord = set(DOCS) - {"public_other"}
    expected = {
        "anonymous": released_to_all,
        "uploader": owner_and_coord | {"public_other"},
        "owner_staff": (owner_and_coord | {"public_other"}) - {"strict", "strict_user_grant"},  # the uploader's
        "other_partner": accounts_see,
        "other_staff": accounts_see,
        "granted_org_staff": accounts_see | {"confidential_org_grant"},
        "third_person": accounts_see | {"strict_user_grant"},
        "coordinator": set(DOCS),
        "outside_admin": accounts_see,
    }
    for who, names in expected.items():
        found = {d["id"] for d in catalogue_json(client, _headers(accounts, who), {})["documents"]}
        assert found == {ids[n] for n in names}, who


def _expected_stats(hits: list[dict], facets: dict) -> dict:
    """The figures computed from the paged hits (and, for themes and places, the search facets)."""
    return {
        "total": len(hits),
        "by_org": dict(Counter(h["org"] for h in hits)),
        "by_level": dict(Counter(h["level"] if h["state"] == "released" else "none" for h in hits)),
        "by_theme": {k.partition(":")[2]: v for k, v in facets.get("theme", {}).items()},
        "by_location": {k.partition(":")[2]: v for k, v in facets.get("location", {}).items()},
    }


def test_stats_count_exactly_what_each_caller_pages_through(planted):
    client, accounts, ids = planted
    for who in WHO:
        headers = _headers(accounts, who)
        for params in FILTERS:
            hits, facets = paged_search(client, headers, params)
            r = client.get("/api/v1/stats", query_string=params, headers=headers)
            assert r.status_code == 200, r.json
            stats = r.json
            for key, value in _expected_stats(hits, facets).items():
                assert stats[key] == value, (who, params, key)
            assert sum(stats["by_month"].values()) == len(hits)
            assert sum(stats["by_org"].values()) == sum(stats["by_level"].values()) == stats["total"]
            assert ("due_for_review" in stats) == (who == "coordinator")


def test_stats_figures_by_month_place_and_review_date(planted):
    client, accounts, ids = planted
    stats = client.get("/api/v1/stats", headers=accounts["coordinator"].headers).json
    assert stats["total"] == len(DOCS)
    assert stats["by_org"] == {"OWN": len(DOCS) - 1, "OTHER": 1}
    assert stats["by_level"] == {"none": 4, "public": 2, "restricted": 1, "confidential": 2,
                                 "strictly_confidential": 2}
    months = dict(stats["by_month"])
    upload_month = months.pop(max(months))  # the withheld one has no published date: its upload month
    assert upload_month == 1
    assert months == {"2023-11": 1, "2024-01": 1, "2024-02": 1, "2024-03": 3, "2024-04": 2, "2024-05": 2}
    # P-codes (a region counts the places below it, as search facets do); themes as tags.
    assert stats["by_location"] == {"LY": 6, "LY01": 4, "LY0101": 4, "LY03": 2, "LY0319": 2, "IQ": 2, "IQG15": 2}
    assert stats["by_theme"] == {"gbv": 6, "detention": 3, "child_protection": 1, "mhpss": 1}
    # Released and due on or before today: the public one (2020-01) and the granted strict one (2021-06).
    assert stats["due_for_review"] == {"2020-01": 1, "2021-06": 1}
    anonymous = client.get("/api/v1/stats").json
    assert anonymous == {"total": 2, "by_org": {"OTHER": 1, "OWN": 1}, "by_month": {"2023-11": 1, "2024-03": 1},
                         "by_level": {"public": 2}, "by_theme": {"detention": 1, "gbv": 1},
                         "by_location": {"IQ": 1, "IQG15": 1, "LY": 1, "LY01": 1, "LY0101": 1}}


def test_catalogue_rows_carry_hdx_aliases(planted):
    client, accounts, ids = planted
    docs = {d["id"]: d for d in catalogue_json(client, {}, {})["documents"]}
    public = docs[ids["public"]]
    assert public["codes"] == {"doc_type": ["doc_type:assessment"], "theme": ["theme:gbv"],
                               "location": ["location:LY0101"]}
    assert public["dataset_date"] == "2024-03-15" and public["published"] == "2024-03-15"
    assert public["groups"] == ["LY0101"] and public["tags"] == ["gbv"]
    rows = {int(r["id"]): r for r in catalogue_csv(client, {}, {})}
    row = rows[ids["public"]]
    assert row["codes.theme"] == "theme:gbv" and row["codes.location"] == "location:LY0101"
    assert row["sha256"] == public["sha256"] and row["url"] == public["url"] and row["languages"] == "en"


def test_csv_cells_cannot_run_as_formulas_and_keep_arabic(planted):
    client, accounts, ids = planted
    coordinator = accounts["coordinator"].headers
    titles = ['=HYPERLINK("http://evil.example")', "+1+2", "-3", "@SUM(A1)", "تقرير الحماية في سبها"]
    made = []
    for i, title in enumerate(titles):
        r = upload(client, accounts["uploader"], data=f"Formula probe {i}.\n".encode() * 3, filename=f"f{i}.txt",
                   title=title)
        assert r.status_code == 201, r.json
        made.append(r.json["id"])
    rows = {int(r["id"]): r for r in catalogue_csv(client, coordinator, {})}
    assert [rows[i]["title"] for i in made] == ["'" + t for t in titles[:-1]] + [titles[-1]]
    # JSON keeps the titles as they are (JSON is not run by spreadsheets).
    docs = {d["id"]: d for d in catalogue_json(client, coordinator, {})["documents"]}
    assert [docs[i]["title"] for i in made] == titles


def test_every_csv_cell_is_guarded_the_audit_exports_way():
    """Titles are stripped on upload, so tabs and carriage returns are tried on the writer itself: every cell,
    not only the title, goes through the audit export's guard (one helper)."""
    import datetime as dt

    from repository.knowledge.taxonomy import load_taxonomy
    from repository.services.catalogue import CatalogueRow
    from repository.web import export
    from repository.web.serialize import csv_cell

    assert export.csv_cell is csv_cell
    row = CatalogueRow(7, "\tTabbed", "\rORG", "=level", "@state", None, ("location:LY0101",), False,
                       dt.date(2024, 1, 1), None, "-en", "+sha")
    text = "".join(export.catalogue_csv([row], load_taxonomy("taxonomy.yaml"), "-http://x/documents/"))
    header, line = list(csv.reader(io.StringIO(text)))
    cells = dict(zip(header, line, strict=True))
    assert cells["title"] == "'\tTabbed" and cells["org"] == "'\rORG" and cells["level"] == "'=level"
    assert cells["state"] == "'@state" and cells["languages"] == "'-en" and cells["sha256"] == "'+sha"
    assert cells["url"] == "'-http://x/documents/7" and cells["codes.location"] == "location:LY0101"


@pytest.mark.parametrize(
    ("params", "status", "error"),
    [
        ({"format": "xml"}, 400, "bad_request"),
        ({"sort": "size"}, 400, "bad_request"),
        ({"from": "2024-13-01"}, 422, "invalid_value"),
        ({"from": "2024-05-01", "to": "2024-01-01"}, 422, "invalid_value"),
        ({"q": "x" * 501}, 400, "bad_query"),
        ({"q": "(" * 9 + "a" + ")" * 9}, 400, "bad_query"),
        ({"code": "theme:nope"}, 422, "unknown_code"),
        ({"level": "secret"}, 422, None),
    ],
)
def test_bad_parameters_are_json_errors(planted, params, status, error):
    client, accounts, ids = planted
    for path in ("/api/v1/catalogue", "/api/v1/stats"):
        for headers in ({}, accounts["coordinator"].headers):
            if path.endswith("stats") and "format" in params:
                continue  # stats has no format
            r = client.get(path, query_string=params, headers=headers)
            search = client.get("/api/v1/search", query_string={k: v for k, v in params.items() if k != "format"},
                                headers=headers)
            assert r.status_code == status, (path, params, r.get_data(as_text=True))
            assert r.mimetype == "application/json" and r.json["message"]
            if error:
                assert r.json["error"] == error
            if "format" not in params:
                assert search.status_code == status and search.json["error"] == r.json["error"]


def test_page_and_per_page_are_not_catalogue_parameters(planted):
    client, accounts, ids = planted
    everything = catalogue_json(client, {}, {})
    assert catalogue_json(client, {}, {"page": "x", "per_page": "1"}) == everything
    assert client.get("/api/v1/stats", query_string={"page": 0}).json["total"] == everything["total"]


def test_a_bad_token_is_a_401(planted):
    client, accounts, ids = planted
    for path in ("/api/v1/catalogue", "/api/v1/stats"):
        r = client.get(path, headers={"Authorization": "Bearer nope"})
        assert r.status_code == 401 and r.json["error"] == "bad_token"


def test_the_walk_crosses_pages_and_stops_at_the_last_page_search_serves(planted, monkeypatch):
    """The walk is the pages search serves, in their order, up to the last one (1000 of 100; here 3 of 2)."""
    client, accounts, ids = planted
    headers = accounts["coordinator"].headers
    hits, _ = paged_search(client, headers, {"sort": "date"})
    monkeypatch.setattr(search_service, "MAX_PER_PAGE", 2)  # the database re-check 2 ids at a time
    assert [d["id"] for d in catalogue_json(client, headers, {"sort": "date"})["documents"]] == [h["id"] for h in hits]
    assert client.get("/api/v1/stats", headers=headers).json["total"] == len(DOCS)
    monkeypatch.setattr(search_service, "MAX_PAGE", 3)  # search would serve pages 1-3 of 2 only: 6 documents
    found = catalogue_json(client, headers, {"sort": "date"})
    assert [d["id"] for d in found["documents"]] == [h["id"] for h in hits][:6] and found["total"] == 6
    assert client.get("/api/v1/stats", headers=headers).json["total"] == 6
    assert len(catalogue_csv(client, headers, {"sort": "date"})) == 6


def test_a_streamed_catalogue_gives_its_database_connection_back(planted):
    """The rows are read after the request's teardown; the stream closes the session itself, also when the
    client goes away halfway."""
    from repository.data import db

    client, accounts, ids = planted
    engine = db.engine_of(client.application)
    for params in ({}, {"format": "csv"}):
        for _ in range(20):
            r = client.get("/api/v1/catalogue", query_string=params, headers=accounts["coordinator"].headers)
            assert r.status_code == 200 and r.get_data()
        assert engine.pool.checkedout() == 0, params
        r = client.get("/api/v1/catalogue", query_string=params, headers=accounts["coordinator"].headers)
        next(iter(r.response))
        r.close()
        assert engine.pool.checkedout() == 0, params
