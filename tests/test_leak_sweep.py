"""The leak sweep: every route of the application, as every role, by HTML session and by API token, with the ids of
canary documents at every level and state; no canary may reach anyone outside its audience.

Canary documents carry unique random words in their title, body and filename. The routes are read from
``app.url_map``, so a route added later is swept automatically; a route whose parameters the sweep does not know
how to fill fails the test (add it to :data:`PARAMETERS`). Each response is checked whole: status, body, every
header (``Location`` included), error pages. Outside a document's audience:

* none of its canary words may appear (search queries for the exact word may echo the query itself, no more often
  than a query for a word that exists nowhere is echoed);
* no link to it (``/documents/<id>``) may appear in answers to requests that did not name it;
* a request naming it must get the same status as one naming an id that never existed.

The audiences are written out by hand from the interface, independently of repository/protocol.py. Rate limits are
raised out of the way for the sweep (they are tested in test_limits.py).
"""

from __future__ import annotations

import random
import re
import string
from dataclasses import dataclass

import pytest
from audience_cast import cast
from conftest import CSRF_RE
from conftest import GATE_CODES
from conftest import login
from leak_utils import canary_word
from leak_utils import leak_app
from leak_utils import plant_document

# name: (email, role, org); the owner partner is uploader@own.example.org, the granted user person@third.example.org
ROLES = cast(owner_partner="uploader", other_partner="other_partner", other_staff="other_staff",
             granted_org="granted_org_staff", granted_user="third_person", coordinator="coordinator",
             admin="outside_admin")
EVERYONE = {"anonymous", *ROLES}
OWNER_AND_COORD = {"owner_partner", "coordinator"}

# name: (review steps after upload, audience)
PLANTS = {
    "submitted": ([], OWNER_AND_COORD),
    "returned": ([{"action": "return"}], OWNER_AND_COORD),
    "withheld": ([{"action": "withhold"}], OWNER_AND_COORD),
    "withdrawn": ([{"action": "release", "level": "public"}, {"action": "withhold"}], OWNER_AND_COORD),
    "public": ([{"action": "release", "level": "public"}], EVERYONE),
    "restricted": ([{"action": "release", "level": "restricted"}], set(ROLES)),
    "confidential": ([{"action": "release", "level": "confidential"}], OWNER_AND_COORD),
    "confidential_org_grant": (
        [{"action": "release", "level": "confidential", "grant_orgs": ["GRANTED"]}],
        OWNER_AND_COORD | {"granted_org"},
    ),
    "strict": ([{"action": "release", "level": "strictly_confidential"}], OWNER_AND_COORD),
    "strict_user_grant": (
        [{"action": "release", "level": "strictly_confidential", "grant_users": ["person@third.example.org"]}],
        OWNER_AND_COORD | {"granted_user"},
    ),
}
NEVER = 987654
SKIP_METHODS = {"HEAD", "OPTIONS"}
#: Requested last in a session, because it ends it.
LAST = {"html.logout"}


@dataclass
class Plant:
    key: str
    id: int
    words: tuple[str, str, str]  # title, body, filename
    audience: set[str]


@dataclass
class Sweep:
    app: object
    plants: dict[str, Plant]
    tokens: dict[str, dict[str, str]]
    user_ids: dict[str, int]


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    with leak_app(tmp_path_factory, "sweep", ROLES) as (app, accounts):
        yield _sweep(app, accounts)


def _sweep(app, accounts) -> Sweep:
    client = app.test_client()
    rng = random.Random()
    plants = {}
    for key, (steps, audience) in PLANTS.items():
        title, body, fname = canary_word(rng), canary_word(rng), canary_word(rng)
        data = f"Field report {body} about protection risks.\n".encode() * 3
        doc_id = plant_document(client, accounts["owner_partner"], accounts["coordinator"].headers, steps, key,
                                data=data, filename=f"{fname}.txt", title=f"Report {title}",
                                summary=f"Summary of {title}", codes=list(GATE_CODES))
        plants[key] = Plant(key, doc_id, (title, body, fname), audience)
    tokens = {name: a.headers for name, a in accounts.items()}
    return Sweep(app, plants, tokens, {name: a.id for name, a in accounts.items()})


def _parameter_values(sweep: Sweep, who: str) -> dict[str, list[str]]:
    """How to fill each route parameter: the canary ids (and an id that never existed) for documents."""
    doc_ids = [str(NEVER)] + [str(p.id) for p in sweep.plants.values()]  # the missing id first: the reference
    return {
        "doc_id": doc_ids,
        "filename": ["style.css"],
        "token_id": [str(NEVER)],
        "rid": [str(NEVER)],  # an access request (none exists: the planted documents are not discoverable)
        "user_id": [str(sweep.user_ids["owner_partner"])],
        "change": ["role"],  # with no role given: a refusal, never a change
        "_rest": [f"documents/{i}/nothing" for i in doc_ids],
    }


#: Extra query strings per endpoint (search for each canary word, a misspelling of it, audit filtered by document).
def _queries(sweep: Sweep, endpoint: str) -> list[dict[str, str]]:
    out: list[dict[str, str]] = [{}]
    if endpoint in ("html.search", "api.search"):
        for plant in sweep.plants.values():
            for word in plant.words[:2]:
                out.append({"q": word})
                out.append({"q": word[:-1] + ("a" if word[-1] != "a" else "b")})  # spelling suggestions
                out.append({"q": word[:6] + "*"})  # prefix expansion
    if endpoint in ("html.audit", "api.audit", "api.audit_csv"):
        out += [{"document": str(p.id)} for p in sweep.plants.values()]
    return out


def _routes(app):
    rules = sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint in LAST, r.rule))
    for rule in rules:
        for method in sorted(rule.methods - SKIP_METHODS):
            yield rule, method


def _fill(rule, values: dict[str, list[str]]) -> list[tuple[str, str | None]]:
    """(path, named doc id or None) for every combination of parameter values of ``rule``."""
    missing = [arg for arg in rule.arguments if arg not in values]
    assert not missing, f"the leak sweep cannot fill {missing} of {rule.rule}; add it to _parameter_values"
    combos: list[dict[str, str]] = [{}]
    for arg in sorted(rule.arguments):
        combos = [{**c, arg: v} for c in combos for v in values[arg]]
    out = []
    for combo in combos:
        path = rule.rule
        for arg, value in combo.items():
            path = re.sub(rf"<(?:[a-z]+:)?{re.escape(arg)}>", value, path)
        named = combo.get("doc_id") or (re.search(r"documents/(\d+)", combo.get("_rest", "")) or [None, None])[1]
        out.append((path, named))
    return out


def _text(response) -> str:
    with response:
        data = response.get_data()
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    return headers + "\n" + data.decode("utf-8", "replace")


def _request(client, method, path, query, headers, csrf):
    kwargs = {"query_string": query, "headers": headers}
    if method in ("POST", "PUT", "PATCH", "DELETE"):
        if path.startswith("/api/"):
            kwargs["json"] = {}
        else:
            kwargs["data"] = {"csrf_token": csrf} if csrf else {}
    return client.open(path, method=method, **kwargs)


def _channel(sweep: Sweep, who: str, channel: str):
    """A client, its request headers and a CSRF token for one role on one channel."""
    client = sweep.app.test_client()
    headers: dict[str, str] = {}
    csrf = None
    if who != "anonymous" and channel == "html":
        email = ROLES[who][0]
        assert login(client, email).status_code == 302
    if who != "anonymous" and channel == "api":
        headers = sweep.tokens[who]
    page = client.get("/login").get_data(as_text=True)
    match = CSRF_RE.search(page)
    csrf = match.group(1) if match else None
    return client, headers, csrf


CHANNELS = [("anonymous", "html")] + [(who, ch) for who in sorted(ROLES) for ch in ("html", "api")]


@pytest.mark.parametrize(("who", "channel"), CHANNELS, ids=[f"{w}-{c}" for w, c in CHANNELS])
def test_no_canary_reaches_anyone_outside_its_audience(sweep, who, channel):
    client, headers, csrf = _channel(sweep, who, channel)
    hidden = [p for p in sweep.plants.values() if who not in p.audience]
    values = _parameter_values(sweep, who)
    problems: list[str] = []
    requests = 0
    never_status: dict[tuple[str, str, str], int] = {}
    seen: set[str] = set()
    for rule, method in _routes(sweep.app):
        for path, named in _fill(rule, values):
            for query in _queries(sweep, rule.endpoint) if method == "GET" else [{}]:
                requests += 1
                response = _request(client, method, path, query, headers, csrf)
                status = response.status_code
                text = _text(response)
                shape = (rule.rule, method, str(sorted(query)))
                if named == str(NEVER):
                    never_status[shape] = status
                if status >= 500:
                    problems.append(f"{method} {path} {query}: {status}")
                echoed = " ".join(query.values())
                for plant in sweep.plants.values():
                    if who in plant.audience and all(w in text for w in plant.words[:1]):
                        seen.add(plant.key)
                for plant in hidden:
                    for word in plant.words:
                        count = text.count(word)
                        if word in echoed:
                            baseline = _echo_count(client, method, path, query, word, headers, csrf)
                            if count > baseline:
                                problems.append(f"{method} {path} {query}: {plant.key} word {word} beyond echo")
                        elif count:
                            problems.append(f"{method} {path} {query}: {plant.key} word {word} leaked ({status})")
                    if named != str(plant.id) and re.search(rf"/documents/{plant.id}(?![0-9])", text):
                        problems.append(f"{method} {path} {query}: link to hidden {plant.key} ({status})")
                if named is not None and named != str(NEVER):
                    plant = next(p for p in sweep.plants.values() if str(p.id) == named)
                    if plant in hidden and never_status.get(shape) != status:
                        problems.append(f"{method} {path}: {status} for hidden {plant.key}, "
                                        f"{never_status.get(shape)} for an id that never existed")
    assert requests > 100
    # positive control: the sweep does find each document its audience may see (so the words are detectable)
    assert seen == {p.key for p in sweep.plants.values() if who in p.audience}, seen
    assert not problems, "\n".join(problems[:40])


def _echo_count(client, method, path, query, word, headers, csrf) -> int:
    """How often a query for a word that exists nowhere is echoed back in the same request's answer."""
    stranger = "zq" + "".join(random.choice(string.ascii_lowercase) for _ in range(len(word) - 2))
    swapped = {k: v.replace(word, stranger) for k, v in query.items()}
    return _text(_request(client, method, path, swapped, headers, csrf)).count(stranger)


def test_every_route_parameter_is_known(sweep):
    """Fails when a route is added whose parameters the sweep cannot fill (see _parameter_values)."""
    values = _parameter_values(sweep, "anonymous")
    for rule, _method in _routes(sweep.app):
        assert _fill(rule, values)
