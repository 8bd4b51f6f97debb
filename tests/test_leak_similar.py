"""Leak tests of ``similar`` (near-duplicates): planted near-identical reports at every level and state, each role on
each channel (API token, HTML session, anonymous) reads every document it may see, and the upload answer of new
near-duplicates; ``similar`` must name exactly the planted near-duplicates the caller may see and never one it may
not (no id, no title, no link). The audiences are written out by hand, as in test_leak_sweep.py.
"""

from __future__ import annotations

import random
import re

import pytest
from conftest import GATE_CODES
from conftest import login
from conftest import upload
from leak_utils import canary_word
from leak_utils import channel_client
from leak_utils import channels
from leak_utils import leak_app
from leak_utils import plant_document
from test_leak_sweep import OWNER_AND_COORD
from test_leak_sweep import PLANTS as SWEEP_PLANTS
from test_leak_sweep import ROLES

#: The sweep's plants, and a discoverable confidential one: outside its audience only its metadata is seen, and it
#: must never be named as a near-duplicate (that would say something about a text the caller may not read).
PLANTS = {
    **SWEEP_PLANTS,
    "discoverable": ([{"action": "release", "level": "confidential", "discoverable": True}], OWNER_AND_COORD),
}

BASE = (
    "The protection monitoring team visited the eastern district during the second week "
    "of the month and met the committee of displaced families, the local council and two community volunteers. "
    "Families reported that water trucking stopped after the contractor left, that rent for the rooms rose twice, "
    "and that children walk a long road to the nearest school that still has places. Several households said "
    "that documents were lost when they fled and that the civil registry office asks for papers they cannot get. "
    "The team referred eleven cases to legal aid partners and three to the health cluster for follow up. "
)


def _variant(canary: str) -> bytes:
    """The base report with one sentence naming ``canary``: a near-duplicate of every other variant."""
    return (BASE + f"The visit log reference is {canary} for the monthly file.\n" + BASE).encode()


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    with leak_app(tmp_path_factory, "similar", ROLES) as (app, accounts):
        client = app.test_client()
        rng = random.Random()
        plants = {}
        for key, (steps, audience) in PLANTS.items():
            title, body = canary_word(rng), canary_word(rng)
            doc_id = plant_document(client, accounts["owner_partner"], accounts["coordinator"].headers, steps, key,
                                    data=_variant(body), filename=f"{title}.txt", title=f"Report {title}",
                                    codes=list(GATE_CODES))
            plants[key] = (doc_id, title, body, audience)
        yield app, accounts, plants


CHANNELS = channels(ROLES)


def _client(app, accounts, who, channel):
    return channel_client(app, accounts, ROLES, who, channel)


@pytest.mark.parametrize(("who", "channel"), CHANNELS, ids=[f"{w}-{c}" for w, c in CHANNELS])
def test_similar_names_exactly_the_visible_near_duplicates(planted, who, channel):
    app, accounts, plants = planted
    client, headers = _client(app, accounts, who, channel)
    visible = {key for key, (_i, _t, _b, audience) in plants.items() if who in audience}
    hidden = [plants[key] for key in plants if key not in visible]
    assert "public" in visible  # every caller reads at least the public plant
    for key in visible:
        doc_id = plants[key][0]
        expected = {plants[k][0] for k in visible if k != key}
        if channel == "api":
            r = client.get(f"/api/v1/documents/{doc_id}", headers=headers)
            assert r.status_code == 200, (key, r.get_json())
            similar = r.get_json()["similar"]
            assert {s["id"] for s in similar} == expected, (who, key, similar)
            assert all(0.5 <= s["similarity"] <= 1 for s in similar)
            text = r.get_data(as_text=True)
        else:
            r = client.get(f"/documents/{doc_id}")
            assert r.status_code == 200, key
            text = r.get_data(as_text=True)
            section = re.search(r'<section id="similar">(.*?)</section>', text, re.S)
            if expected:
                assert section, (who, key)
                linked = {int(i) for i in re.findall(r'/documents/(\d+)"', section.group(1))}
                assert linked == expected, (who, key, linked)
            else:
                assert section is None
        for other_id, title, body, _audience in hidden:
            assert title not in text and body not in text, (who, key, title)
            assert not re.search(rf"/documents/{other_id}(?![0-9])", text), (who, key, other_id)
            if channel == "api":
                assert other_id not in {s["id"] for s in r.get_json()["similar"]}
    if channel == "api" and "discoverable" not in visible and who != "anonymous":
        meta = client.get(f"/api/v1/documents/{plants['discoverable'][0]}", headers=headers).get_json()
        assert meta.get("metadata_only") is True or "similar" not in meta
        assert not meta.get("similar"), meta


@pytest.mark.parametrize("who", ["owner_partner", "other_partner", "coordinator"])
def test_upload_answer_names_only_visible_near_duplicates(planted, who):
    app, accounts, plants = planted
    client = app.test_client()
    visible_ids = {doc_id for doc_id, _t, _b, audience in plants.values() if who in audience}
    hidden_ids = {doc_id for doc_id, _t, _b, audience in plants.values() if who not in audience}
    r = upload(client, accounts[who], data=_variant(canary_word(random.Random())), filename="copy.txt",
               title="A re-saved copy", codes=list(GATE_CODES))
    assert r.status_code == 201, r.get_json()
    named = {s["id"] for s in r.get_json()["similar"]}
    assert visible_ids <= named  # earlier copies uploaded in this module by the same caller may come on top
    assert not named & hidden_ids, (who, named & hidden_ids)
    # and the page the HTML upload redirects to
    browser = app.test_client()
    assert login(browser, ROLES[who][0]).status_code == 302
    page = browser.get(f"/documents/{r.get_json()['id']}").get_data(as_text=True)
    for doc_id in hidden_ids:
        assert not re.search(rf"/documents/{doc_id}(?![0-9])", page)


def test_a_hidden_exact_duplicate_is_not_named(planted):
    """The exact-duplicate refusal stays as it was: to a caller outside the audience it names nothing."""
    app, accounts, plants = planted
    client = app.test_client()
    doc_id, _title, body, _audience = plants["strict"]
    r = upload(client, accounts["other_partner"], data=_variant(body), filename="same.txt")
    assert r.status_code == 409
    assert "document_id" not in r.get_json() and str(doc_id) not in r.get_data(as_text=True)
