"""Leak tests of redacted copies: contact sheets planted at every level and state, a redacted copy of each (in review:
the owner organisation and coordinators only) and one copy released at public from a strictly confidential
original. Every role, on each channel (API token, HTML session, anonymous), reads every planted id through the
channels this feature adds or changes: the document JSON (``derived_from``, ``similar``), the document page (the
"redacted copy of" line and the form), the copy's file, search (ids and totals), the catalogue, and
``POST /documents/{id}/redactions`` itself. Outside its audience a document is not named (no id, no link, no
canary word), a request naming it is answered as for an id that never existed, and no masked value of any original
ever appears in anything about a copy. The audiences are written out by hand, as in test_leak_sweep.py.
"""

from __future__ import annotations

import random
import re

import pytest
from conftest import CSRF_RE
from conftest import GATE_CODES
from conftest import NONE_IDENTIFIED
from conftest import pdf_text
from leak_utils import canary_word
from leak_utils import channel_client
from leak_utils import channels
from leak_utils import leak_app
from leak_utils import plant_document
from test_leak_sweep import EVERYONE
from test_leak_sweep import OWNER_AND_COORD
from test_leak_sweep import ROLES

from repository.data.models import Document

NEVER = 987654
OVERRIDE = "Each focal point agreed to be listed (checked by phone)."
CONSIDERED = ["person_name", "phone", "email", "id_number"]

# name: (review steps of the original, its audience)
ORIGINALS = {
    "submitted": ([], OWNER_AND_COORD),
    "returned": ([{"action": "return"}], OWNER_AND_COORD),
    "confidential": ([{"action": "release", "level": "confidential"}], OWNER_AND_COORD),
    "confidential_org_grant": (
        [{"action": "release", "level": "confidential", "grant_orgs": ["GRANTED"]}],
        OWNER_AND_COORD | {"granted_org"},
    ),
    "strict_user_grant": (
        [{"action": "release", "level": "strictly_confidential", "grant_users": ["person@third.example.org"]}],
        OWNER_AND_COORD | {"granted_user"},
    ),
    "restricted": ([{"action": "release", "level": "restricted", "override": OVERRIDE}], set(ROLES)),
    "public": (
        [{"action": "release", "level": "public", "override": OVERRIDE, "considered": CONSIDERED}],
        EVERYONE,
    ),
    # its copy is released at public (see the fixture)
    "strict_for_release": ([{"action": "release", "level": "strictly_confidential"}], OWNER_AND_COORD),
}
COPY_AUDIENCE = OWNER_AND_COORD  # a copy enters review: the owner organisation and coordinators


def _sheet(area: str, mail: str, n: int) -> bytes:
    rows = [
        ("Ahmed Salem Bukhris", "+218 91 000 01", "119850012"),
        ("Fatima Al-Zawi", "+218 92 000 02", "219900054"),
        ("Khaled Omar Ghanem", "+218 94 000 03", "119770098"),
        ("Mariam Ben Halim", "+218 91 000 04", "219880011"),
        ("Salma Mahmoud Elfituri", "+218 91 000 05", "219950044"),
    ]
    lines = [f"Community focal points of {area}", "Name | Area | Phone | Email | National ID"]
    for i, (name, phone, nid) in enumerate(rows):
        lines.append(f"{name} | {area} | {phone}{n:02d} | {mail}{i}@example.org | {nid}{n:03d}")
    return ("\n".join(lines) + "\nPlease check the list before sharing it further.\n").encode()


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    with leak_app(tmp_path_factory, "redactions", ROLES) as (app, accounts):
        client = app.test_client()
        coord = accounts["coordinator"].headers
        rng = random.Random()
        docs = {}  # key -> (id, words, audience)
        masked = []  # every masked value of every original: never in anything about a copy
        for n, (key, (steps, audience)) in enumerate(ORIGINALS.items()):
            title, area, mail = canary_word(rng), canary_word(rng), canary_word(rng)
            doc_id = plant_document(client, accounts["owner_partner"], coord, steps, key, data=_sheet(area, mail, n),
                                    filename=f"{title}.txt", title=f"Focal points {title}", codes=list(GATE_CODES))
            r = client.post(f"/api/v1/documents/{doc_id}/redactions", headers=coord, json={})
            assert r.status_code == 201, (key, r.get_json())
            copy = r.get_json()
            docs[key] = (doc_id, (title, area), audience)
            docs[f"copy_of_{key}"] = (copy["id"], (title, area), COPY_AUDIENCE)
            masked += [f"{mail}{i}@example.org" for i in range(5)] + [f"119850012{n:03d}", "Bukhris", "Elfituri"]
        # the copy of a strictly confidential original released at public: its words are everyone's now, its
        # original stays strictly confidential
        copy_id = docs["copy_of_strict_for_release"][0]
        r = client.post(f"/api/v1/documents/{copy_id}/review", headers=coord,
                        json={"rationale": "Nothing personal left.", **NONE_IDENTIFIED, "action": "release",
                              "level": "public"})
        assert r.status_code == 200, r.get_json()
        docs["copy_of_strict_for_release"] = (copy_id, docs["copy_of_strict_for_release"][1], EVERYONE)
        yield app, accounts, docs, masked


CHANNELS = channels(ROLES)


def _client(app, accounts, who, channel):
    return channel_client(app, accounts, ROLES, who, channel)


def _get(client, path, headers, **query):
    """Status, text and JSON of a GET; a PDF's text is what its text layer reads."""
    r = client.get(path, headers=headers, query_string=query)
    try:
        data = r.get_data()
        if r.status_code == 200 and r.mimetype == "application/pdf":
            return r.status_code, pdf_text(data), None
        return r.status_code, data.decode("utf-8", "replace"), (r.get_json(silent=True) if r.is_json else None)
    finally:
        r.close()


def _visible(docs, who) -> set[int]:
    return {doc_id for doc_id, _, audience in docs.values() if who in audience}


def _hidden_words(docs, who) -> list[str]:
    """Canary words of documents the caller may see under no id (an original and its copy share them)."""
    seen = {w for _, words, audience in docs.values() if who in audience for w in words}
    return [w for _, words, audience in docs.values() if who not in audience for w in words if w not in seen]


def _problems_in(text: str, docs, who, named: int | None, masked: list[str] | None = None) -> list[str]:
    out = []
    for doc_id, _, audience in docs.values():
        if who not in audience and doc_id != named and re.search(rf"/documents/{doc_id}(?![0-9])", text):
            out.append(f"link to hidden {doc_id}")
    out += [f"word {w}" for w in _hidden_words(docs, who) if w in text]
    out += [f"masked value {m}" for m in masked or [] if m in text]
    return out


@pytest.mark.parametrize(("who", "channel"), CHANNELS, ids=[f"{w}-{c}" for w, c in CHANNELS])
def test_copies_and_originals_reach_only_their_audience(planted, who, channel):
    app, accounts, docs, masked = planted
    client, headers = _client(app, accounts, who, channel)
    visible = _visible(docs, who)
    api = channel == "api"
    problems: list[str] = []
    never = _get(client, f"/api/v1/documents/{NEVER}" if api else f"/documents/{NEVER}", headers)[0]
    never_file = _get(client, f"/api/v1/documents/{NEVER}/file" if api else f"/documents/{NEVER}/file", headers)[0]
    for key, (doc_id, _, audience) in docs.items():
        is_copy = key.startswith("copy_of_")
        original_id = docs[key[len("copy_of_"):]][0] if is_copy else None
        path = f"/api/v1/documents/{doc_id}" if api else f"/documents/{doc_id}"
        status, text, data = _get(client, path, headers)
        if who not in audience:
            if status != never:
                problems.append(f"{key}: {status}, {never} for an id that never existed")
        else:
            assert status == 200, (key, status)
            if api:
                named = set(s["id"] for s in data["similar"]) | {data["derived_from"]} - {None}
                if not named <= visible:
                    problems.append(f"{key}: names hidden {named - visible}")
                expect = original_id if original_id in visible else None
                if data["derived_from"] != expect:
                    problems.append(f"{key}: derived_from {data['derived_from']}, expected {expect}")
            else:
                if ("Redacted copy of" in text) != (original_id in visible):
                    problems.append(f"{key}: the 'redacted copy of' line for {who}")
                if ("Make a redacted copy" in text) != (who == "coordinator" and not is_copy):  # copies: no findings
                    problems.append(f"{key}: the redaction form for {who}")
        problems += [f"{key} {path}: {p}" for p in _problems_in(text, docs, who, doc_id, masked if is_copy else None)]
        # the file
        status, text, _ = _get(client, path + "/file", headers)
        if who not in audience and status != never_file:
            problems.append(f"{key} file: {status}, {never_file} for an id that never existed")
        if is_copy:
            problems += [f"{key} file: {p}" for p in _problems_in(text, docs, who, doc_id, masked)]
    assert not problems, problems


@pytest.mark.parametrize(("who", "channel"), CHANNELS, ids=[f"{w}-{c}" for w, c in CHANNELS])
def test_search_and_catalogue_count_only_the_visible(planted, who, channel):
    app, accounts, docs, masked = planted
    client, headers = _client(app, accounts, who, channel)
    visible = _visible(docs, who)
    problems = []
    for key, (_, words, _) in docs.items():
        sharing = {i for i, w, _ in docs.values() if w == words}  # the original and its copy
        for word in words:
            status, text, data = _get(client, "/api/v1/search" if channel == "api" else "/search", headers, q=word)
            assert status == 200
            if channel == "api":
                ids = {h["id"] for h in data["hits"]}
                if ids != sharing & visible or data["total"] != len(sharing & visible):
                    problems.append(f"search {key} {word}: {sorted(ids)} total {data['total']} for {who}")
            problems += [f"search {word}: {p}" for p in _problems_in(text, docs, who, None)
                         if not p.endswith(word)]
    for value in masked[:6]:
        status, text, data = _get(client, "/api/v1/search", headers, q=value)
        copies = {docs[k][0] for k in docs if k.startswith("copy_of_")}
        if status == 200 and {h["id"] for h in data["hits"]} & copies:
            problems.append(f"a copy is found by its masked value {value}")
    status, text, data = _get(client, "/api/v1/catalogue", headers, format="json")
    assert status == 200, text
    listed = {row["id"] for row in data["documents"]} & {i for i, _, _ in docs.values()}
    if channel == "html":  # the API knows tokens only: a browser's session is an anonymous visitor there
        visible = _visible(docs, "anonymous")
    if listed != visible:
        problems.append(f"catalogue lists {sorted(listed)}, expected {sorted(visible)}")
    assert not problems, problems


@pytest.mark.parametrize(("who", "channel"), CHANNELS, ids=[f"{w}-{c}" for w, c in CHANNELS])
def test_making_a_copy_of_a_hidden_document_is_a_not_found(planted, who, channel):
    app, accounts, docs, masked = planted
    client, headers = _client(app, accounts, who, channel)
    csrf = None
    if channel == "html":
        match = CSRF_RE.search(client.get("/login").get_data(as_text=True))
        csrf = match.group(1) if match else None

    def post(doc_id):
        if channel == "api":
            r = client.post(f"/api/v1/documents/{doc_id}/redactions", headers=headers, json={"kinds": ["phone"]})
        else:
            r = client.post(f"/documents/{doc_id}/redactions", data={"csrf_token": csrf, "kinds": "phone"})
        try:
            return r.status_code, r.get_data(as_text=True)
        finally:
            r.close()

    count_before = _documents(app)
    never, _ = post(NEVER)
    problems = []
    for key, (doc_id, _, audience) in docs.items():
        if who == "coordinator":
            continue  # a coordinator sees every document and may copy it (tests/test_redactions.py)
        status, text = post(doc_id)
        if who not in audience and status != never:
            problems.append(f"{key}: {status}, {never} for an id that never existed")
        refused = (302,) if who == "anonymous" and channel == "html" else (401, 403)  # the login page
        if who in audience and status not in refused:
            problems.append(f"{key}: {status} for {who}, who may see it but not copy it")
        problems += [f"{key}: {p}" for p in _problems_in(text, docs, who, doc_id, masked)]
    assert _documents(app) == count_before
    assert not problems, problems


def _documents(app) -> int:
    session = app.extensions["db_sessionmaker"]()
    try:
        return session.query(Document).count()
    finally:
        session.close()
