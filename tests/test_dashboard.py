"""``/dashboard``: the page renders for every role (and in Arabic), its numbers are exactly what the same caller
pages through in ``/api/v1/search`` with the same filters (computed here by paging search, 2 hits a page), the
filters work and bad ones are a 400 page; the SVG charts of :mod:`repository.web.charts` are well-formed, escaped,
self-contained and mirrored for right-to-left pages."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from audience_cast import cast
from audience_cast import make_accounts
from conftest import NONE_IDENTIFIED
from conftest import browser_for
from conftest import upload

from repository.web import charts

ROLES = cast("uploader", "owner_staff", "other_partner", "other_staff", "granted_org_staff", "third_person",
             "coordinator", "outside_admin")
WHO = ("anonymous", *ROLES)

# name: (organisation of the uploader, codes, published, review steps)
DOCS = {
    "submitted": ("uploader", ["theme:gbv", "location:LY0101"], "2024-01-10", []),
    "returned": ("uploader", ["theme:detention"], "2024-02-10", [{"action": "return"}]),
    "withheld": ("uploader", ["theme:gbv"], None, [{"action": "withhold"}]),
    "public": ("uploader", ["theme:gbv", "location:LY0101"], "2024-03-15",
               [{"action": "release", "level": "public", "review_by": "2020-01-31"}]),
    "public_other": ("other_partner", ["theme:detention", "location:IQG15"], "2023-11-01",
                     [{"action": "release", "level": "public"}]),
    "uncoded_other": ("other_partner", [], "2023-12-01", [{"action": "return"}]),
    "restricted": ("uploader", ["theme:child_protection", "location:LY0319"], "2024-03-20",
                   [{"action": "release", "level": "restricted", "review_by": "2099-01-01"}]),
    "confidential": ("uploader", ["theme:gbv", "location:LY0101"], "2024-04-01",
                     [{"action": "release", "level": "confidential"}]),
    "confidential_org_grant": ("uploader", ["theme:detention", "location:LY0101"], "2024-04-02",
                               [{"action": "release", "level": "confidential", "grant_orgs": ["GRANTED"]}]),
    "strict_user_grant": ("uploader", ["theme:mhpss", "location:IQG15"], "2024-05-02",
                          [{"action": "release", "level": "strictly_confidential",
                            "grant_users": ["person@third.example.org"], "review_by": "2021-06-30"}]),
}
FILTERS = [
    {},
    {"q": "detention"},
    {"code": "theme:gbv"},
    {"code": ["location:LY", "theme:detention"]},
    {"org": "own"},
    {"level": ["confidential", "none"]},
    {"from": "2024-03-01", "to": "2024-04-30"},
]


@pytest.fixture
def planted(no_request_rate_limits, app, world):
    """The documents of :data:`DOCS`, uploaded and reviewed through the API: (app, client, accounts, ids)."""
    accounts = make_accounts(world, ROLES)
    client = app.test_client()
    ids = {}
    for name, (who, codes, published, steps) in DOCS.items():
        fields = {"title": f"Report {name}", "codes": (["doc_type:assessment", *codes] if codes else [])}
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
    return app, client, accounts, ids


def _headers(accounts, who: str) -> dict[str, str]:
    return {} if who == "anonymous" else accounts[who].headers


def paged_search(client, headers, params: dict) -> tuple[list[dict], dict]:
    """Every hit the caller pages through in /api/v1/search (2 a page), and the first page's facets."""
    hits, page, facets = [], 1, None
    while True:
        r = client.get("/api/v1/search", query_string={**params, "page": page, "per_page": 2}, headers=headers)
        assert r.status_code == 200, r.json
        facets = facets if facets is not None else r.json["facets"]
        hits.extend(r.json["hits"])
        if page * 2 >= r.json["total"]:
            return hits, facets
        page += 1


def _date(hit: dict) -> str:
    """The document date of a hit (published, else the upload day: today in this test)."""
    return hit["published"] or dt.datetime.now(dt.UTC).date().isoformat()


def expected_figures(hits: list[dict], facets: dict) -> dict:
    """The dashboard's figures computed from the paged hits (themes and places from the search facets)."""
    newest = {}
    for hit in hits:
        best = newest.get(hit["org"])
        if best is None or (_date(hit), hit["id"]) > (_date(best), best["id"]):
            newest[hit["org"]] = hit
    return {
        "total": len(hits),
        "org": dict(Counter(h["org"] for h in hits)),
        "level": dict(Counter(h["level"] if h["state"] == "released" else "none" for h in hits)),
        "month": dict(Counter(_date(h)[:7] for h in hits)),
        "theme": {k.partition(":")[2]: v for k, v in facets.get("theme", {}).items()},
        "location": {k.partition(":")[2]: v for k, v in facets.get("location", {}).items()},
        "coded": sum(1 for h in hits if any(h["codes"].values())),
        "released": sum(1 for h in hits if h["state"] == "released"),
        "newest": {org: (h["id"], _date(h)) for org, h in newest.items()},
    }


def _section(html: str, name: str) -> str:
    match = re.search(rf'<section class="figure" id="figure-{name}".*?</section>', html, re.S)
    return match.group(0) if match else ""


def page_figures(html: str) -> dict:
    """The numbers the dashboard page shows, read from its tables."""
    out = {"total": int(re.search(r'data-total="(\d+)"', html).group(1))}
    for name in ("org", "level", "month", "theme", "location", "due"):
        rows = re.findall(r'<tr data-key="([^"]*)">.*?data-count="(\d+)"', _section(html, name), re.S)
        out[name] = {key: int(count) for key, count in rows}
    for name in ("coded", "released"):
        part, whole = re.search(rf'id="share-{name}" data-part="(\d+)" data-whole="(\d+)"', html).groups()
        assert int(whole) == out["total"]
        out[name] = int(part)
    out["newest"] = {org: (int(i), day) for org, i, day in re.findall(
        r'<tr data-key="([^"]*)" data-id="(\d+)" data-date="([\d-]+)">', _section(html, "newest"))}
    return out


def _browsers(app, accounts) -> dict:
    return {who: (app.test_client() if who == "anonymous" else browser_for(app, accounts[who])) for who in WHO}


def test_the_page_renders_for_every_role_and_links_from_the_nav(planted):
    app, client, accounts, ids = planted
    for who, browser in _browsers(app, accounts).items():
        r = browser.get("/dashboard")
        assert r.status_code == 200, (who, r.get_data(as_text=True)[:500])
        html = r.get_data(as_text=True)
        assert '<h1>' in html and 'href="/dashboard"' in html, who
        assert html.count("<svg ") >= 7, who  # two shares, organisation, level, month, theme, place, newest
        assert ("figure-due" in html) == (who == "coordinator"), who
        assert "<script" not in html and " style=" not in html, who  # the CSP allows neither
        assert not re.search(r'(?:href|src)="(?:https?:)?//', html), who  # no external request
        arabic = browser.get("/dashboard", query_string={"lang": "ar"})
        assert arabic.status_code == 200
        if 'dir="rtl"' in arabic.get_data(as_text=True)[:200]:
            assert 'direction="rtl"' in arabic.get_data(as_text=True), who


def test_the_numbers_are_what_the_caller_pages_through_in_search(planted):
    app, client, accounts, ids = planted
    checked = 0
    for who, browser in _browsers(app, accounts).items():
        headers = _headers(accounts, who)
        for params in FILTERS:
            hits, facets = paged_search(client, headers, params)
            r = browser.get("/dashboard", query_string=params)
            assert r.status_code == 200, (who, params)
            shown = page_figures(r.get_data(as_text=True))
            for key, value in expected_figures(hits, facets).items():
                assert shown[key] == value, (who, params, key)
            stats = client.get("/api/v1/stats", query_string=params, headers=headers).json
            assert shown["due"] == stats.get("due_for_review", {}), (who, params)
            checked += 1
    assert checked == len(WHO) * len(FILTERS)


def test_coordinator_figures_in_detail(planted):
    app, client, accounts, ids = planted
    html = browser_for(app, accounts["coordinator"]).get("/dashboard").get_data(as_text=True)
    shown = page_figures(html)
    assert shown["total"] == len(DOCS)
    assert shown["org"] == {"OWN": len(DOCS) - 2, "OTHER": 2}
    assert shown["coded"] == len(DOCS) - 1
    assert shown["released"] == 6
    assert shown["due"] == {"2020-01": 1, "2021-06": 1}
    assert shown["newest"]["OTHER"] == (ids["uncoded_other"], "2023-12-01")
    assert 'href="/review#due"' in html
    anonymous = page_figures(app.test_client().get("/dashboard").get_data(as_text=True))
    assert anonymous["total"] == 2 and anonymous["released"] == 2 and anonymous["level"] == {"public": 2}


def test_filters_narrow_the_page_and_its_links_keep_them(planted):
    app, client, accounts, ids = planted
    browser = browser_for(app, accounts["coordinator"])
    html = browser.get("/dashboard", query_string={"code": "theme:gbv", "q": "monitoring"}).get_data(as_text=True)
    assert page_figures(html)["total"] == 4  # submitted, withheld, public, confidential
    assert "/dashboard?code=theme:gbv&amp;q=monitoring&amp;org=OWN" in html  # narrowing keeps the filters
    assert "/dashboard?code=theme:gbv&amp;q=monitoring&amp;from=2024-03-01&amp;to=2024-03-31" in html  # a month
    assert 'href="/dashboard?q=monitoring"' in html  # removing the code filter
    assert "/search?code=theme:gbv&amp;q=monitoring" in html  # the same documents in search
    narrowed = browser.get("/dashboard", query_string={"code": "theme:gbv", "q": "monitoring", "org": "OWN",
                                                       "from": "2024-03-01", "to": "2024-03-31"})
    assert page_figures(narrowed.get_data(as_text=True))["total"] == 1  # public (2024-03-15)
    partner = browser_for(app, accounts["other_partner"])
    html = partner.get("/dashboard", query_string={"level": "confidential"}).get_data(as_text=True)
    assert page_figures(html)["total"] == 0  # the level filter of a partner finds nothing it may not see


@pytest.mark.parametrize("params", [{"from": "2024-13-01"}, {"code": "theme:no_such_theme"}, {"q": "x" * 600}])
def test_bad_filters_are_a_400_page(planted, params):
    app, client, accounts, ids = planted
    r = app.test_client().get("/dashboard", query_string=params)
    assert r.status_code == 400 and "<svg" not in r.get_data(as_text=True)


# The chart module, on its own.


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_bar_chart_is_well_formed_escaped_and_proportional():
    svg = str(charts.bar_chart([("<b>&", 10), ("سبها Sebha", 5), ("x" * 80, 0)], title="T <x>", chart_id="c1"))
    root = _parse(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c1-title"
    assert root.find(f"{ns}title").text == "T <x>"
    assert "<b>" not in svg and "&lt;b&gt;&amp;" in svg
    widths = [float(r.get("width")) for r in root.iter(f"{ns}rect")]
    assert widths[0] == pytest.approx(2 * widths[1]) and widths[2] == 0
    labels = [t.text for t in root.iter(f"{ns}text") if t.get("class") == "chart-label"]
    assert labels[1] == "سبها Sebha" and labels[2].endswith("\u2026") and len(labels[2]) == charts.MAX_LABEL
    assert "style=" not in svg and "href" not in svg and "<script" not in svg


def test_a_right_to_left_chart_is_mirrored():
    ltr = _parse(str(charts.bar_chart([("a", 4)], title="t", chart_id="c")))
    rtl = _parse(str(charts.bar_chart([("a", 4)], title="t", chart_id="c", rtl=True)))
    ns = "{http://www.w3.org/2000/svg}"
    (bar_l,), (bar_r,) = list(ltr.iter(f"{ns}rect")), list(rtl.iter(f"{ns}rect"))
    width = float(bar_l.get("width"))
    assert float(bar_r.get("width")) == width
    assert float(bar_r.get("x")) == pytest.approx(charts.WIDTH - float(bar_l.get("x")) - width)
    assert all(t.get("direction") == "rtl" for t in rtl.iter(f"{ns}text"))
    label_l = next(t for t in ltr.iter(f"{ns}text") if t.get("class") == "chart-label")
    label_r = next(t for t in rtl.iter(f"{ns}text") if t.get("class") == "chart-label")
    assert float(label_r.get("x")) == pytest.approx(charts.WIDTH - float(label_l.get("x")))


def test_empty_and_share_charts():
    empty = _parse(str(charts.bar_chart([], title="t", chart_id="e", empty="Nothing")))
    assert [t.text for t in empty.iter("{http://www.w3.org/2000/svg}text")] == ["Nothing"]
    share = _parse(str(charts.share_chart(1, 4, title="t", chart_id="s", caption="1 of 4 (25%)")))
    track, bar = list(share.iter("{http://www.w3.org/2000/svg}rect"))
    assert float(bar.get("width")) == pytest.approx(float(track.get("width")) / 4)
    none = _parse(str(charts.share_chart(0, 0, title="t", chart_id="s", caption="0 of 0", rtl=True)))
    assert float(list(none.iter("{http://www.w3.org/2000/svg}rect"))[1].get("width")) == 0
