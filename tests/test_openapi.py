"""``GET /api/v1/openapi.json`` kept true.

* Both ways against ``app.url_map``: every ``/api/v1`` rule is described with the same methods and path parameters
  (its endpoint is the ``operationId``), and nothing is described that the app does not route. Only the catch-all
  rule that answers unknown paths with a JSON 404 is not an operation.
* The document is valid OpenAPI 3.1 (schemathesis' meta-schema; every schema against JSON Schema 2020-12).
* Schemathesis (examples, coverage and fuzzing phases, valid and invalid inputs) calls every operation in-process
  as an anonymous visitor, a partner and a coordinator, on an app seeded with documents at every level and state,
  and checks each answer: no 5xx, a documented status, content type and headers, a body that matches its schema
  (objects forbid undocumented fields). No operation is left out. Request limits are raised there so the answers
  come from the views; 429, 413 and a bad token are checked by hand.
* Random inputs seldom succeed (random bytes are refused as files, random ids are missing), so a hand-written walk
  takes every operation to its success answer and to its main refusals, each checked the same way.
"""

from __future__ import annotations

import random

import jsonschema_rs
import pytest
import schemathesis
from conftest import GATE_CODES
from conftest import NONE_IDENTIFIED
from conftest import World
from conftest import start_app
from conftest import stop_app
from conftest import text_report
from conftest import upload
from hypothesis import HealthCheck
from hypothesis import settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance
from schemathesis.specs.openapi.checks import response_headers_conformance
from schemathesis.specs.openapi.checks import response_schema_conformance
from schemathesis.specs.openapi.checks import status_code_conformance

from repository.web import openapi

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
#: Fuzzed examples per operation and role (the coverage phase adds its own): the file runs in 20-60 s on two cores.
MAX_EXAMPLES = 25
ROLES = ("anonymous", "partner", "coordinator")

CONFIG = schemathesis.Config.from_dict(
    {
        "cache": {"enabled": False},
        "generation": {
            "mode": "all",  # valid and invalid inputs
            "database": "none",
            # The Authorization header is the role's (or none): no random tokens in place of it.
            "with-security-parameters": False,
        },
        "phases": {"stateful": {"enabled": False}},
    }
)
SCHEMA = schemathesis.openapi.from_dict(openapi.spec(), config=CONFIG)


#: Request limits high enough that the fuzzing reaches the views (429 is checked by hand below).
UNLIMITED = {f"RATELIMIT_{kind}": "100000 per minute" for kind in ("SEARCH", "UPLOAD", "DOWNLOAD")}


class Api:
    """The seeded app: accounts by role and document ids by name."""

    def __init__(self, app, world: World) -> None:
        self.app = app
        self.client = app.test_client()
        self.accounts = {
            "partner": world.account("partner@drc.example.org", "partner", "DRC"),
            "coordinator": world.account("coord@pswg.example.org", "coordinator", "PSWG"),
            "other": world.account("partner@irc.example.org", "partner", "IRC"),
            "staff": world.account("staff@unhcr.example.org", "staff", "UNHCR"),
        }
        self.docs: dict[str, int] = {}

    def headers(self, role: str) -> dict[str, str]:
        return {} if role == "anonymous" else self.accounts[role].headers


SEEDS = {
    # name: (uploader, review steps)
    "public": ("partner", [{"action": "release", "level": "public", "review_by": "2020-01-01"}]),
    "restricted": ("partner", [{"action": "release", "level": "restricted"}]),
    "confidential": ("partner", [{"action": "release", "level": "confidential", "grant_orgs": ["IRC"]}]),
    "strict": ("partner", [{"action": "release", "level": "strictly_confidential",
                            "grant_users": ["staff@unhcr.example.org"], "override": "Checked by hand."}]),
    "submitted": ("partner", []),
    "returned": ("partner", [{"action": "return"}]),
    "withheld": ("partner", [{"action": "withhold"}]),
    "other_submitted": ("other", []),
    "other_public": ("other", [{"action": "release", "level": "public"}]),
}


def _seed(api: Api) -> None:
    coord = api.accounts["coordinator"]
    for name, (who, steps) in SEEDS.items():
        body = text_report(f"Seed {name}: protection monitoring in Tripoli and Benghazi, detention and GBV.", 3)
        r = upload(api.client, api.accounts[who], data=body, filename=f"{name}.txt", title=f"Report {name}",
                   codes=["location:LY0101", GATE_CODES[0]], published="2024-05-01")
        assert r.status_code == 201, r.json
        api.docs[name] = r.json["id"]
        for step in steps:
            r = api.client.post(f"/api/v1/documents/{api.docs[name]}/review", headers=coord.headers,
                                json={"rationale": "Reviewed against the ISP.", **NONE_IDENTIFIED, **step})
            assert r.status_code == 200, r.json


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """One app for the file, seeded once (the fuzzing changes it as it goes, which is part of the test)."""
    app = start_app(tmp_path_factory.mktemp("openapi") / "data", **UNLIMITED)
    try:
        api = Api(app, World(app))
        _seed(api)
        yield api
    finally:
        stop_app(app)


# ---------------------------------------------------------------------------------------------------------------
# The document itself
# ---------------------------------------------------------------------------------------------------------------


def _described(spec) -> dict[str, set[str]]:
    base = spec["servers"][0]["url"]
    out = {}
    for path, item in spec["paths"].items():
        rule = base + path.replace("{", "<").replace("}", ">")
        out[rule] = {m.upper() for m in item if m != "parameters"}
    return out


def _routed(app) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == openapi.CATCH_ALL_ENDPOINT:
            continue
        out.setdefault(rule.rule, set()).update(rule.methods - {"HEAD", "OPTIONS"})
    return out


def test_every_api_route_is_described_and_nothing_else(api):
    spec = openapi.spec()
    assert _described(spec) == _routed(api.app)
    # Only the catch-all (a JSON 404 for unknown paths, not an operation) is left out.
    skipped = [r.rule for r in api.app.url_map.iter_rules() if r.endpoint == openapi.CATCH_ALL_ENDPOINT]
    assert skipped == ["/api/v1/<path:_rest>"]
    base = spec["servers"][0]["url"]
    params = spec["components"]["parameters"]
    for rule in api.app.url_map.iter_rules():
        if rule.rule not in _described(spec) or rule.endpoint == openapi.CATCH_ALL_ENDPOINT:
            continue
        item = spec["paths"][rule.rule.removeprefix(base).replace("<", "{").replace(">", "}")]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operation = item[method.lower()]
            assert "api." + operation["operationId"] == rule.endpoint, (rule.rule, method)
            declared = item.get("parameters", []) + operation.get("parameters", [])
            declared = [params[p["$ref"].rsplit("/", 1)[1]] if "$ref" in p else p for p in declared]
            assert {p["name"] for p in declared if p["in"] == "path"} == set(rule.arguments), rule.rule


def _mappings(node):
    """Every mapping in ``node`` (itself included), parents before their children."""
    if isinstance(node, dict):
        yield node
        children = node.values()
    else:
        children = node if isinstance(node, list) else ()
    for child in children:
        yield from _mappings(child)


def _schemas(node, found):
    """Every JSON Schema in the document (``schema`` values and components)."""
    found.extend(m["schema"] for m in _mappings(node) if isinstance(m.get("schema"), dict))
    return found


def _refs(node, found):
    found.update(m["$ref"] for m in _mappings(node) if isinstance(m.get("$ref"), str))
    return found


def test_the_description_is_valid_openapi_31():
    spec = openapi.spec()
    assert spec["openapi"].startswith("3.1.")
    SCHEMA.validate()  # the OpenAPI 3.1 meta-schema schemathesis ships
    try:
        from openapi_spec_validator import validate
    except ImportError:
        pass
    else:
        validate(spec)
    dialect = "https://json-schema.org/draft/2020-12/schema"
    for schema in [*_schemas(spec["paths"], []), *spec["components"]["schemas"].values()]:
        jsonschema_rs.meta.validate({"$schema": dialect, **schema})
    for ref in _refs(spec, set()):
        node = spec
        for part in ref.removeprefix("#/").split("/"):
            assert part in node, ref
            node = node[part]
    # Every component is used.
    for kind, names in spec["components"].items():
        for name in names:
            assert f"#/components/{kind}/{name}" in _refs(spec, set()) or kind == "securitySchemes", name


def test_the_description_is_served_to_anyone(api):
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, api.headers("partner")):
        r = api.client.get("/api/v1/openapi.json", headers=headers)
        assert r.status_code == 200
        assert r.mimetype == "application/json"
        assert r.headers["Cache-Control"] == "no-store"
        assert r.get_json() == openapi.spec()
    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api.app, config=CONFIG)
    assert loaded.raw_schema == openapi.spec()
    # It describes routes, not documents.
    text = api.client.get("/api/v1/openapi.json").get_data(as_text=True)
    assert "Report public" not in text and "Seed" not in text and "@drc.example.org" not in text


def test_the_server_url_follows_the_mount_point(api):
    r = api.client.get("/api/v1/openapi.json", environ_overrides={"SCRIPT_NAME": "/repo"})
    assert r.get_json()["servers"] == [{"url": "/repo/api/v1"}]


def _objects(node) -> list[dict]:
    """Every object schema with properties below ``node``."""
    return [m for m in _mappings(node) if m.get("type") == "object" and "properties" in m]


def test_the_rules_the_yaml_spells_out_hold():
    """What code once wrote into the document and ``openapi.yaml`` now spells out: every operation answers 414
    (every route runs the query-string cap), and every object but the two multipart bodies forbids other fields."""
    spec = openapi.spec()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                assert "414" in operation["responses"], (path, method)
    multipart = {"Upload", "FileReplacement"}
    for name, schema in spec["components"]["schemas"].items():
        for found in _objects(schema):
            assert found.get("additionalProperties") is False or (found is schema and name in multipart), name
    for response in spec["components"]["responses"].values():
        for found in _objects(response):
            assert found.get("additionalProperties") is False, response


# ---------------------------------------------------------------------------------------------------------------
# The app against the document
# ---------------------------------------------------------------------------------------------------------------


def _fuzz(api: Api, case, role: str) -> None:
    # Hypothesis seeds the random module alike for every example, and the index names its segment files with it:
    # without a fresh seed a new segment overwrites an earlier one of the same name.
    random.seed()
    response = case.call(app=api.app, headers=api.headers(role), buffered=True)  # buffered: files get closed
    case.validate_response(response, checks=CHECKS)


@pytest.mark.parametrize("role", ROLES)
@SCHEMA.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_every_operation_conforms(api, case, role):
    _fuzz(api, case, role)


# ---------------------------------------------------------------------------------------------------------------
# Success answers and chosen errors, by hand (random inputs seldom reach them), each checked like the fuzzing
# ---------------------------------------------------------------------------------------------------------------


def _call(api: Api, role: str, method: str, path: str, status: int, **case) -> dict | str:
    """Call a described operation with the given inputs, check the answer as the fuzzing does, and its status."""
    operation = SCHEMA[path][method]
    if "doc_id" in case:
        case["path_parameters"] = {"doc_id": case.pop("doc_id")}
    if method == "POST" and "file" in case.get("body", {}):
        case["media_type"] = "multipart/form-data"
    made = operation.Case(**case)
    response = made.call(app=api.app, headers=api.headers(role), buffered=True)
    made.validate_response(response, checks=CHECKS)
    assert response.status_code == status, response.text
    is_json = response.headers.get("content-type", [""])[0].startswith("application/json")
    return response.json() if is_json else response.text


PHONE_REPORT = b"Protection monitoring, walk-through. Focal point: +218 91 234 5678.\nDetention visits in Tripoli.\n"


def test_every_operation_answers_as_described(api):
    # Anyone: the description and the vocabulary.
    assert _call(api, "anonymous", "GET", "/openapi.json", 200)["openapi"].startswith("3.1.")
    assert _call(api, "anonymous", "GET", "/taxonomy", 200)["facets"]

    # Upload: created; the same bytes (409, with the id only for those who may see it); a refused type; bad codes.
    new = {"file": PHONE_REPORT * 3, "title": "Walk-through", "summary": "S", "published": "2024-01-02",
           "codes": ["location:LY0101", "location:LY0103"], "proposed_level": "restricted"}
    doc = _call(api, "partner", "POST", "/documents", 201, body=new)
    assert doc["minimum_level"] == "confidential" and doc["detected"] and "uploaded_by" in doc
    assert _call(api, "partner", "POST", "/documents", 409, body=new)["document_id"] == doc["id"]
    assert "document_id" not in _call(api, "other", "POST", "/documents", 409, body=new)
    assert _call(api, "partner", "POST", "/documents", 415, body={"file": b"MZ\x90\x00" + bytes(range(256))})
    refused = _call(api, "partner", "POST", "/documents", 422, body={"file": b"Other text.\n", "codes": ["x:nope"]})
    assert refused["error"] == "unknown_code" and refused["unknown"] == ["x:nope"]
    _call(api, "anonymous", "POST", "/documents", 401, body={"file": b"Anonymous text.\n"})
    _call(api, "staff", "POST", "/documents", 403, body={"file": b"Staff text.\n"})
    doc_id = doc["id"]

    # Reading it: the owner organisation and coordinators; others get the 404 of a missing id.
    assert "uploaded_by" in _call(api, "coordinator", "GET", "/documents/{doc_id}", 200, doc_id=doc_id)
    _call(api, "other", "GET", "/documents/{doc_id}", 404, doc_id=doc_id)
    _call(api, "anonymous", "GET", "/documents/{doc_id}/file", 404, doc_id=doc_id)
    assert _call(api, "partner", "GET", "/documents/{doc_id}/file", 200, doc_id=doc_id) == (PHONE_REPORT * 3).decode()

    # Changes and codes.
    changed = _call(api, "partner", "PATCH", "/documents/{doc_id}", 200, doc_id=doc_id,
                    body={"title": "Walk-through, revised", "codes": ["location:LY0101", GATE_CODES[0]],
                          "published": None})
    assert changed["published"] is None
    _call(api, "partner", "PATCH", "/documents/{doc_id}", 422, doc_id=doc_id, body={"state": "released"})
    _call(api, "partner", "POST", "/documents/{doc_id}/codes/accept", 200, doc_id=doc_id, body={"all": True})
    stray = _call(api, "partner", "POST", "/documents/{doc_id}/codes/accept", 422, doc_id=doc_id,
                  body={"codes": ["location:LY0319"]})
    assert stray["error"] == "not_suggested"

    # The review exchange and a new file.
    comment = _call(api, "partner", "POST", "/documents/{doc_id}/comments", 201, doc_id=doc_id,
                    body={"text": "Is the phone number needed?"})
    assert comment["kind"] == "comment"
    assert _call(api, "coordinator", "GET", "/documents/{doc_id}/comments", 200, doc_id=doc_id)["total"] == 1
    _call(api, "staff", "GET", "/documents/{doc_id}/comments", 404, doc_id=doc_id)
    replaced = _call(api, "partner", "POST", "/documents/{doc_id}/file", 200, doc_id=doc_id,
                     body={"file": PHONE_REPORT * 4})
    assert replaced["size"] == len(PHONE_REPORT * 4)

    # Review: the release gate and the minimum level refuse with reasons; return, resubmit, release with a grant.
    gate = _call(api, "coordinator", "POST", "/documents/{doc_id}/review", 422, doc_id=doc_id,
                 body={"action": "release", "level": "public", "rationale": "Useful.", "risks": ["targeting"]})
    assert gate["error"] == "refused" and gate["missing"] == ["benefits"] and gate["not_considered"] == ["phone"]
    below = _call(api, "coordinator", "POST", "/documents/{doc_id}/review", 422, doc_id=doc_id,
                  body={"action": "release", "level": "public", "rationale": "Useful.", "considered": ["phone"],
                        **NONE_IDENTIFIED})
    assert below["error"] == "below_minimum" and below["reasons"]
    _call(api, "partner", "POST", "/documents/{doc_id}/review", 403, doc_id=doc_id, body={"action": "withhold"})
    _call(api, "coordinator", "POST", "/documents/{doc_id}/review", 200, doc_id=doc_id,
          body={"action": "return", "rationale": "Remove the phone number or justify it."})
    _call(api, "partner", "POST", "/documents/{doc_id}/submit", 200, doc_id=doc_id)
    _call(api, "partner", "POST", "/documents/{doc_id}/submit", 409, doc_id=doc_id)
    released = _call(api, "coordinator", "POST", "/documents/{doc_id}/review", 200, doc_id=doc_id,
                     body={"action": "release", "level": "confidential", "grant_orgs": ["IRC"],
                           "risks": ["re_identification"], "benefits": ["coordination"],
                           "rationale": "Needed for referrals.", "review_by": "2020-06-30"})
    assert released["state"] == "released" and released["grant_orgs"] == ["IRC"]
    _call(api, "partner", "POST", "/documents/{doc_id}/file", 409, doc_id=doc_id, body={"file": b"Too late.\n"})
    seen = _call(api, "other", "GET", "/documents/{doc_id}", 200, doc_id=doc_id)
    assert "uploaded_by" not in seen and "rationale" not in seen and "comments" not in seen
    _call(api, "other", "GET", "/documents/{doc_id}/file", 200, doc_id=doc_id)
    _call(api, "other", "GET", "/documents/{doc_id}/comments", 403, doc_id=doc_id)

    # Search, re-reviews due, audit.
    found = _call(api, "coordinator", "GET", "/search", 200,
                  query={"q": "walk-through", "code": ["location:LY0101"], "sort": "date", "per_page": 5})
    assert [h["id"] for h in found["hits"]] == [doc_id] and found["facets"]
    assert _call(api, "anonymous", "GET", "/search", 200, query={"q": "walk-through"})["total"] == 0
    _call(api, "anonymous", "GET", "/search", 400, query={"page": 0})
    _call(api, "anonymous", "GET", "/search", 422, query={"code": ["x:nope"]})
    due = _call(api, "coordinator", "GET", "/reviews/due", 200, query={"date": "2021-01-01"})
    assert doc_id in [d["id"] for d in due["documents"]]
    _call(api, "partner", "GET", "/reviews/due", 403)
    _call(api, "anonymous", "GET", "/reviews/due", 401)
    events = _call(api, "coordinator", "GET", "/audit", 200, query={"document": doc_id})
    assert {"upload", "release", "grant"} <= {e["action"] for e in events["events"]}
    assert _call(api, "coordinator", "GET", "/audit", 200, query={"document": doc_id, "format": "csv"})
    assert "release" in _call(api, "coordinator", "GET", "/audit.csv", 200, query={"document": doc_id})
    _call(api, "coordinator", "GET", "/audit", 400, query={"page": "x"})
    _call(api, "partner", "GET", "/audit.csv", 403)
    _call(api, "anonymous", "GET", "/audit", 401)


def _operations():
    for path, item in openapi.spec()["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield path, method.upper(), operation


def test_a_bad_token_is_refused_as_described_everywhere(api):
    """Every operation that reads the token answers 401 with the JSON error (the description and the vocabulary
    do not read it)."""
    bad = {"Authorization": "Bearer not-a-token"}
    for path, method, operation in _operations():
        params = {"doc_id": api.docs["public"]} if "{doc_id}" in path else {}
        if "{rid}" in path:
            params["rid"] = 1  # an access request: the bad token is refused before it is looked up
        case = SCHEMA[path][method].Case(path_parameters=params)
        response = case.call(app=api.app, headers=bad, buffered=True)
        case.validate_response(response, checks=CHECKS)
        expected = 200 if operation.get("security") == [{}] else 401
        assert response.status_code == expected, (method, path, response.text)
        if expected == 401:
            assert response.json()["error"] == "bad_token"


def test_too_large_and_too_many_requests_are_answered_as_described(api):
    doc_id = api.docs["submitted"]
    big = {"title": "x" * 2_000_000}
    r = _call(api, "partner", "PATCH", "/documents/{doc_id}", 413, doc_id=doc_id, body=big)
    assert r["error"] == "too_large"
    config = api.app.config
    saved = config["RATELIMIT_SEARCH"]
    config["RATELIMIT_SEARCH"] = "1 per minute"
    try:
        _call(api, "staff", "GET", "/search", 200)
        r = _call(api, "staff", "GET", "/search", 429)
        assert r["error"] == "too_many_requests"
    finally:
        config["RATELIMIT_SEARCH"] = saved


# ---------------------------------------------------------------------------------------------------------------
# Bugs found on the way
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/documents/{doc_id}", "/documents/{doc_id}/review", "/documents/{doc_id}/comments",
                                  "/documents/{doc_id}/codes/accept"])
def test_a_lone_surrogate_in_json_is_a_400_not_a_500(api, path):
    """JSON may escape half a surrogate pair (``"\\ud800"``); Python decodes it to a string the database cannot
    store, which was a 500 (UnicodeEncodeError) on every JSON route."""
    method = "PATCH" if path == "/documents/{doc_id}" else "POST"
    field = {"/documents/{doc_id}": "title", "/documents/{doc_id}/review": "rationale",
             "/documents/{doc_id}/comments": "text", "/documents/{doc_id}/codes/accept": "codes"}[path]
    raw = '{"' + field + '": "bad \\ud800 text", "action": "return"}'
    url = "/api/v1" + path.replace("{doc_id}", str(api.docs["submitted"]))
    for key_only in (False, True):
        body = raw if not key_only else '{"\\udfff": 1}'
        r = api.client.open(url, method=method, data=body, content_type="application/json",
                            headers=api.headers("coordinator"))
        assert r.status_code == 400, r.get_data(as_text=True)
        assert r.json["error"] == "bad_request"
        case = SCHEMA[path][method].Case(path_parameters={"doc_id": api.docs["submitted"]}, body={})
        case.validate_response(r, checks=CHECKS)


@pytest.mark.parametrize("path", ["/audit", "/audit.csv"])
def test_the_last_day_as_the_end_of_an_audit_range_is_no_500(api, path):
    """``to=9999-12-31`` overflowed when the filter computed the day after it (OverflowError, a 500)."""
    query = {"from": "0001-01-01", "to": "9999-12-31"}
    answer = _call(api, "coordinator", "GET", path, 200, query=query)
    assert ("upload" in answer) if path == "/audit.csv" else answer["total"] > 0
    _call(api, "coordinator", "GET", path, 200, query={"to": "9999-12-31"})


def test_an_id_beyond_the_id_column_is_a_404_not_a_500(api):
    """Ids up to 2**53 reached the database; on PostgreSQL the id column is 32-bit, and comparing it with a larger
    number failed (DataError, a 500) on every document route and the audit filter (the PostgreSQL pass)."""
    for path, method, operation in _operations():
        if "{doc_id}" not in path:
            continue
        for doc_id in (2**31, 2**53, "0" + str(2**31)):
            case = {}
            if "requestBody" in operation:
                case["body"] = {"file": b"Never stored.\n"} if path.endswith("/file") else {}
            r = _call(api, "coordinator", method, path, 404, doc_id=doc_id, **case)
            assert r == {"error": "not_found", "message": "No document with this id."}, (method, path)
    for path in ("/audit", "/audit.csv"):
        r = _call(api, "coordinator", "GET", path, 400, query={"document": 2**31})
        assert r["error"] == "bad_request"
    _call(api, "coordinator", "GET", "/audit", 200, query={"document": 2**31 - 1})


def test_a_query_of_operators_only_is_a_400(api):
    r = _call(api, "anonymous", "GET", "/search", 400, query={"q": "NOT NOT a"})
    assert r["error"] == "bad_query"
