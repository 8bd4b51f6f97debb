"""Leak test of versions (issue 13, item 1): planted released documents at every level, each with a new version in
review (and versions returned, withheld, and one released over an older one), whose text and filename carry canary
words. Through every channel versions touch (search hits, snippets, search pages, the document JSON and page, the
download, ``?version=N``, ``/versions``), as every role by API token and by HTML session:

* a version in review (or returned, or withheld) is never found, shown in a snippet or downloaded by anyone, and its
  file only by the owner organisation's contributors and coordinators, by number;
* the audience keeps finding and downloading the released version; after a release the older text is gone from
  search;
* ``/versions`` and ``?version=N`` answer 404 outside the audience and 401/403 inside it to those who may not see
  the versions; ``version`` and ``pending_version`` in the JSON are right per role;
* a rebuild of the index (``reindex``) changes no answer.

The audiences are written out by hand, independently of repository/protocol.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

import pytest
from audience_cast import cast
from conftest import GATE_CODES
from conftest import login
from leak_utils import canary_word
from leak_utils import leak_app
from leak_utils import plant_document
from leak_utils import review_steps

ROLES = cast("uploader", "colleague", "owner_staff", "granted_org_staff", "third_person", "other_partner",
             "other_staff", "coordinator", "outside_admin")
EVERYONE = {"anonymous", *ROLES}
ACCOUNTS = set(ROLES)
OWNER_ORG = {"uploader", "colleague", "owner_staff"}
#: Who sees the versions of a document they may see: the owner organisation's contributors and coordinators.
VERSION_READERS = {"uploader", "colleague", "coordinator"}

# name: (release step, audience, what happens to the new version)
PLANTS = {
    "public": ({"level": "public"}, EVERYONE, "pending"),
    "restricted": ({"level": "restricted"}, ACCOUNTS, "pending"),
    "confidential": ({"level": "confidential", "grant_orgs": ["GRANTED"]}, OWNER_ORG | {"granted_org_staff",
                                                                                        "coordinator"}, "pending"),
    "strict": ({"level": "strictly_confidential", "grant_users": ["person@third.example.org"]},
               {"uploader", "third_person", "coordinator"}, "pending"),
    "returned": ({"level": "restricted"}, ACCOUNTS, "return"),
    "withheld_version": ({"level": "public"}, EVERYONE, "withhold"),
    "released_twice": ({"level": "restricted"}, ACCOUNTS, "release"),
}
NEVER = 987654


@dataclass
class Plant:
    key: str
    id: int
    old: str  # a word of the first version's text
    new: str  # a word of the new version's text
    new_file: str  # a word of the new version's filename
    audience: set[str]
    fate: str

    @property
    def hidden(self) -> tuple[str, ...]:
        """The words nobody may find or read in the released document: the new version's, until it is released;
        the old version's once the new one is."""
        return (self.old,) if self.fate == "release" else (self.new, self.new_file)

    @property
    def shown(self) -> str:
        """The word of the text the audience reads."""
        return self.new if self.fate == "release" else self.old


@dataclass
class Setup:
    app: object
    plants: dict[str, Plant]
    headers: dict[str, dict[str, str]]
    browsers: dict[str, object]


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    with leak_app(tmp_path_factory, "versions", ROLES) as (app, accounts):
        yield _plant(app, accounts)


def _plant(app, accounts) -> Setup:
    client = app.test_client()
    coord = accounts["coordinator"].headers
    rng = random.Random()
    plants = {}
    for key, (step, audience, fate) in PLANTS.items():
        old, new, new_file = canary_word(rng), canary_word(rng), canary_word(rng)
        release = {"action": "release", **step}
        doc_id = plant_document(client, accounts["uploader"], coord, [release], key,
                                data=f"Field report {old} on protection risks.\n".encode() * 3,
                                filename="first.txt", title=f"Report {key}", codes=list(GATE_CODES))
        data = f"Field report {new} on protection risks, revised.\n".encode() * 3
        r = client.post(f"/api/v1/documents/{doc_id}/versions", headers=accounts["uploader"].headers,
                        data={"file": (io.BytesIO(data), f"{new_file}.txt")}, content_type="multipart/form-data")
        assert r.status_code == 201, r.get_json()
        if fate == "release":
            review_steps(client, coord, doc_id, [release], key)
        elif fate != "pending":
            r = client.post(f"/api/v1/documents/{doc_id}/review", headers=coord,
                            json={"action": fate, "rationale": "Not this one."})
            assert r.status_code == 200, r.get_json()
        plants[key] = Plant(key, doc_id, old, new, new_file, audience, fate)
    browsers = {"anonymous": app.test_client()}
    for name, account in accounts.items():
        browser = app.test_client()
        assert login(browser, account.email).status_code == 302
        browsers[name] = browser
    headers = {"anonymous": {}, **{name: a.headers for name, a in accounts.items()}}
    return Setup(app, plants, headers, browsers)


def _get(client, path, headers=None, **query):
    r = client.get(path, headers=headers or {}, query_string=query)
    with r:
        return r.status_code, r.get_data().decode("utf-8", "replace")


def _search_answers(s: Setup, who: str) -> dict[str, tuple[int, str]]:
    """Every search answer of ``who`` about the plants (API and page), by query."""
    out = {}
    words = ["protection", "revised", *(w for p in s.plants.values() for w in (p.old, p.new, p.new_file))]
    for word in words:
        out[f"api {word}"] = _get(s.app.test_client(), "/api/v1/search", s.headers[who], q=word)
        out[f"page {word}"] = _get(s.browsers[who], "/search", q=word)
    return out


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_a_version_in_review_never_reaches_search_snippets_or_downloads(planted, who):
    s = planted
    api = s.app.test_client()
    answers = _search_answers(s, who)
    for plant in s.plants.values():
        for hidden in plant.hidden:
            for key, (_status, body) in answers.items():
                echoed = key.endswith(f" {hidden}")  # a search for the word may echo the query, no more
                assert body.count(hidden) <= (2 if echoed else 0), (plant.key, who, key)
        status, body = _get(api, "/api/v1/search", s.headers[who], q=plant.shown)
        assert (f'"id":{plant.id}' in body.replace(" ", "")) == (who in plant.audience), (plant.key, who)
        status, body = _get(api, "/api/v1/search", s.headers[who], q="protection", per_page=100)
        assert all(h not in body for h in plant.hidden), (plant.key, who)


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_document_json_page_and_files_as_each_role(planted, who):
    s = planted
    api = s.app.test_client()
    readers = VERSION_READERS
    for plant in s.plants.values():
        doc_path = f"/api/v1/documents/{plant.id}"
        status, body = _get(api, doc_path, s.headers[who])
        inside = who in plant.audience
        assert status == (200 if inside else 404), (plant.key, who)
        assert all(h not in body for h in plant.hidden), (plant.key, who)
        status, page = _get(s.browsers[who], f"/documents/{plant.id}")
        assert status == (200 if inside else 404), (plant.key, who)
        assert plant.new not in page and (plant.fate == "release" or plant.old in page or plant.old not in page)
        if not (inside and who in readers):
            assert all(h not in page for h in plant.hidden), (plant.key, who)
            assert "Version history" not in page
        # the download: the released version for the audience
        status, data = _get(api, f"{doc_path}/file", s.headers[who])
        assert status == (200 if inside else 404)
        if inside:
            assert plant.shown in data and all(h not in data for h in plant.hidden), (plant.key, who)
        for number in (1, 2, 3):
            status, data = _get(api, f"{doc_path}/file", s.headers[who], version=number)
            current = 2 if plant.fate == "release" else 1
            if not inside:
                expected = 404
            elif number == current:
                expected = 200
            elif who in readers:
                expected = 200 if number <= 2 else 404
            else:
                expected = 401 if who == "anonymous" else 403
            assert status == expected, (plant.key, who, number)
            if status == 200 and number == 2:
                assert plant.new in data and plant.old not in data
            if status != 200:
                assert plant.new not in data and plant.old not in data
        # the history
        status, body = _get(api, f"{doc_path}/versions", s.headers[who])
        if not inside:
            assert status == 404
        elif who in readers:
            assert status == 200 and plant.new_file in body
        else:
            assert status == (401 if who == "anonymous" else 403)
            assert all(h not in body for h in plant.hidden)


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_version_fields_per_role(planted, who):
    s = planted
    api = s.app.test_client()
    for plant in s.plants.values():
        if who not in plant.audience:
            continue
        status, _ = _get(api, f"/api/v1/documents/{plant.id}", s.headers[who])
        doc = api.get(f"/api/v1/documents/{plant.id}", headers=s.headers[who]).get_json()
        assert doc["version"] == (2 if plant.fate == "release" else 1), (plant.key, who)
        if who in VERSION_READERS:
            assert doc["pending_version"] == (2 if plant.fate == "pending" else None), (plant.key, who)
        else:
            assert "pending_version" not in doc, (plant.key, who)


def test_a_version_names_no_document_to_outsiders_by_its_bytes(planted):
    """Uploading the bytes of a version in review as a new document: a 409 that names nothing."""
    s = planted
    api = s.app.test_client()
    plant = s.plants["strict"]
    data = f"Field report {plant.new} on protection risks, revised.\n".encode() * 3
    r = api.post("/api/v1/documents", headers=s.headers["other_partner"], content_type="multipart/form-data",
                 data={"file": (io.BytesIO(data), "copy.txt")})
    assert r.status_code == 409
    assert str(plant.id) not in r.get_data(as_text=True) and plant.new_file not in r.get_data(as_text=True)


def test_reindex_changes_no_answer(planted):
    s = planted
    before = {who: _search_answers(s, who) for who in sorted(EVERYONE)}
    assert s.app.test_cli_runner().invoke(args=["reindex"]).exit_code == 0
    after = {who: _search_answers(s, who) for who in sorted(EVERYONE)}
    for who in before:
        for key in before[who]:
            assert _ids(before[who][key]) == _ids(after[who][key]), (who, key)


def _ids(answer: tuple[int, str]) -> tuple[int, list[str]]:
    """An answer without what changes from call to call (CSRF tokens, request ids): status and document links."""
    import re

    status, body = answer
    return status, sorted(set(re.findall(r'(?:"id":\s*|/documents/)(\d+)', body)))
