"""The metadata-only audience alone (repository.protocol.discovery): who sees a discoverable document's metadata only,
the rules of access requests, and the agreement of the three forms (per-document check, index labels/principals,
SQL filter) on a generated matrix of state x level x grants x discoverable x actor."""

from __future__ import annotations

import itertools

import pytest
from conftest import database_engine
from sqlalchemy import select
from test_protocol import ACTORS
from test_protocol import GRANTED_ORG
from test_protocol import GRANTED_PERSON
from test_protocol import OTHER_ORG
from test_protocol import OWNER_ORG
from test_protocol import UPLOADER
from test_protocol import add_document
from test_protocol import seeded_session

from repository import protocol as p
from repository.data.models import Document

STATES_LEVELS = [(s, lv) for s in p.STATES for lv in (*p.LEVELS, None)]
GRANTS = [((), ()), ((GRANTED_ORG,), ()), ((), (GRANTED_PERSON,)), ((GRANTED_ORG, OTHER_ORG), (GRANTED_PERSON,))]
ACCOUNTS = set(ACTORS) - {"anonymous", "unknown role"}


def facts(state, level, grant_orgs=(), grant_users=(), discoverable=False):
    return p.DocFacts(state, level, OWNER_ORG, UPLOADER, frozenset(grant_orgs), frozenset(grant_users), discoverable)


@pytest.mark.parametrize("level", ["confidential", "strictly_confidential"])
def test_a_discoverable_document_shows_its_metadata_to_every_account(level):
    f = facts("released", level, discoverable=True)
    seen = {name for name, actor in ACTORS.items() if p.can_see_metadata(actor, f)}
    assert seen == ACCOUNTS
    only = {name for name, actor in ACTORS.items() if p.metadata_only(actor, f)}
    assert only == {name for name in ACCOUNTS if not p.can_view(ACTORS[name], f)}
    assert "coordinator" not in only and "uploader" not in only and "other partner" in only


@pytest.mark.parametrize("state,level", STATES_LEVELS)
def test_nothing_else_is_discoverable(state, level):
    """Not discoverable, or not released at a discoverable level: metadata visibility is exactly full access."""
    for discoverable in (False, True):
        if discoverable and state == "released" and level in p.DISCOVERABLE_LEVELS:
            continue
        f = facts(state, level, discoverable=discoverable)
        assert p.metadata_labels(f) == frozenset()
        for actor in ACTORS.values():
            assert p.can_see_metadata(actor, f) == p.can_view(actor, f)
            assert not p.metadata_only(actor, f)


def test_a_user_grant_opens_a_confidential_document_too():
    """An access request's grant is a user grant row, honoured by the audience of both closed levels."""
    person = ACTORS["granted person"]
    for level in ("confidential", "strictly_confidential"):
        assert not p.can_view(person, facts("released", level, discoverable=True))
        assert p.can_view(person, facts("released", level, grant_users={GRANTED_PERSON}, discoverable=True))


def test_metadata_labels_never_meet_full_access_principals():
    for actor in ACTORS.values():
        assert not any(x.startswith(p.META_PREFIX) for x in p.principals(actor))
        assert all(x.startswith(p.META_PREFIX) for x in p.metadata_principals(actor))
    assert p.metadata_principals(p.SYSTEM) == frozenset()
    assert p.metadata_principals(p.ANONYMOUS) == frozenset()


def test_access_request_rules():
    f = facts("released", "confidential", discoverable=True)
    p.require_request_access(ACTORS["other partner"], f)
    for name, status in (("anonymous", 404), ("unknown role", 404), ("uploader", 409), ("coordinator", 409)):
        with pytest.raises(p.Denied) as exc:
            p.require_request_access(ACTORS[name], f)
        assert exc.value.status == status, name
    with pytest.raises(p.Denied) as exc:  # not discoverable: it does not exist
        p.require_request_access(ACTORS["other partner"], facts("released", "confidential"))
    assert exc.value.status == 404
    coord = ACTORS["coordinator"]
    assert p.require_answer(coord, "grant", "pending", f) == "granted"
    assert p.require_answer(coord, "refuse", "pending", f) == "refused"
    for actor, action, state, doc, status in (
        (ACTORS["other partner"], "grant", "pending", f, 403),
        (coord, "approve", "pending", f, 422),
        (coord, "grant", "granted", f, 409),
        (coord, "grant", "pending", facts("withheld", "confidential", discoverable=True), 409),
        (coord, "grant", "pending", facts("released", "restricted"), 409),
    ):
        with pytest.raises(p.Denied) as exc:
            p.require_answer(actor, action, state, doc)
        assert exc.value.status == status, (action, state)
    assert p.discoverable_refusal("public", True) and p.discoverable_refusal(None, True)
    assert p.discoverable_refusal("confidential", True) == p.discoverable_refusal("public", False) == []


def test_three_forms_agree_on_metadata(tmp_path):
    """For every state x level x grants x discoverable x actor: can_see_metadata == index labels/principals == SQL
    filter, metadata_only likewise, and can_view still == labels == visible_clause (on this pass's database)."""
    with database_engine(tmp_path) as engine:
        _three_forms_agree(engine)


def _three_forms_agree(engine) -> None:
    with seeded_session(engine, range(1, 10)) as s:
        cases = {}
        product = itertools.product(STATES_LEVELS, GRANTS, (False, True, None))
        for i, ((state, level), (gorgs, gusers), discoverable) in enumerate(product, start=1):
            add_document(s, i, state, level, gorgs, gusers, discoverable=discoverable)
            cases[i] = facts(state, level, gorgs, gusers, bool(discoverable))
        s.commit()
        for d in s.scalars(select(Document)):  # facts_of reads the model as the matrix wrote it
            assert p.facts_of(d) == cases[d.id]
        assert any(p.metadata_labels(f) for f in cases.values())
        for name, actor in {**ACTORS, "system": p.SYSTEM}.items():
            ids = set(cases)
            if actor.system:
                by_index_meta = by_index_only = by_index_full = None
            else:
                full, meta = p.principals(actor), p.metadata_principals(actor)
                by_index_full = {i for i, f in cases.items() if p.index_labels(f) & full}
                by_index_meta = {i for i, f in cases.items() if p.index_labels(f) & (full | meta)}
                by_index_only = {i for i, f in cases.items() if p.index_labels(f) & meta} - by_index_full
            by_check_meta = {i for i, f in cases.items() if p.can_see_metadata(actor, f)}
            by_check_only = {i for i, f in cases.items() if p.metadata_only(actor, f)}
            by_check_full = {i for i, f in cases.items() if p.can_view(actor, f)}
            by_sql_meta = set(s.scalars(select(Document.id).where(p.metadata_visible_clause(actor, Document))))
            by_sql_only = set(s.scalars(select(Document.id).where(p.metadata_only_clause(actor, Document))))
            by_sql_full = set(s.scalars(select(Document.id).where(p.visible_clause(actor, Document))))
            assert by_check_meta == by_sql_meta, name
            assert by_check_only == by_sql_only, name
            assert by_check_full == by_sql_full, name
            if actor.system:
                assert by_check_meta == by_check_full == ids and not by_check_only
                continue
            assert by_check_meta == by_index_meta, name
            assert by_check_only == by_index_only, name
            assert by_check_full == by_index_full, name
            if name in ("anonymous", "unknown role"):
                assert not by_check_only, name
            if name == "coordinator":
                assert not by_check_only
