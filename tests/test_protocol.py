"""The policy module alone: the audience table, fail-closed behaviour, and the agreement of its three forms
(per-document check, index labels/principals, SQL filter) on a generated matrix."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest
from conftest import database_engine
from sqlalchemy import select
from sqlalchemy.orm import Session

from repository import protocol as p
from repository.data.db import Base
from repository.data.models import Document
from repository.data.models import Organisation
from repository.data.models import OrgGrant
from repository.data.models import StoredFile
from repository.data.models import User
from repository.data.models import UserGrant

OWNER_ORG, OTHER_ORG, GRANTED_ORG = 1, 2, 3
UPLOADER, OWNER_COLLEAGUE, OTHER_PERSON, GRANTED_PERSON, COORD, ADMIN_OF_OWNER, ORG_STAFF = 1, 2, 3, 4, 5, 6, 7

ACTORS = {
    "anonymous": p.ANONYMOUS,
    "uploader": p.Actor(UPLOADER, OWNER_ORG, p.PARTNER),
    "owner colleague": p.Actor(OWNER_COLLEAGUE, OWNER_ORG, p.PARTNER),
    "other partner": p.Actor(OTHER_PERSON, OTHER_ORG, p.PARTNER),
    "granted org staff": p.Actor(ORG_STAFF, GRANTED_ORG, p.STAFF),
    "granted person": p.Actor(GRANTED_PERSON, OTHER_ORG, p.STAFF),
    "coordinator": p.Actor(COORD, OTHER_ORG, p.COORDINATOR),
    "admin of owner org": p.Actor(ADMIN_OF_OWNER, OWNER_ORG, p.ADMIN),
    "unknown role": p.Actor(9, OWNER_ORG, "superuser"),
}


def facts(state, level, grant_orgs=(), grant_users=()):
    return p.DocFacts(state, level, OWNER_ORG, UPLOADER, frozenset(grant_orgs), frozenset(grant_users))


# The audience table of the interface, written out by hand (who sees a document in each state/level).
EXPECTED = {
    ("released", "public"): set(ACTORS),
    ("released", "restricted"): set(ACTORS) - {"anonymous", "unknown role"},
    ("released", "confidential"): {"uploader", "owner colleague", "admin of owner org", "granted org staff",
                                   "coordinator"},
    ("released", "strictly_confidential"): {"uploader", "granted person", "coordinator"},
    ("submitted", None): {"uploader", "owner colleague", "admin of owner org", "coordinator"},
    ("returned", None): {"uploader", "owner colleague", "admin of owner org", "coordinator"},
    ("withheld", "confidential"): {"uploader", "owner colleague", "admin of owner org", "coordinator"},
}


@pytest.mark.parametrize("key", list(EXPECTED))
def test_audience_table(key):
    state, level = key
    f = facts(state, level, grant_orgs={GRANTED_ORG}, grant_users={GRANTED_PERSON})
    if key == ("released", "strictly_confidential"):
        # the granted person for strictly confidential is a person, not an organisation
        f = facts(state, level, grant_users={GRANTED_PERSON})
    if key == ("released", "confidential"):
        f = facts(state, level, grant_orgs={GRANTED_ORG})
    seen = {name for name, actor in ACTORS.items() if p.can_view(actor, f)}
    assert seen == EXPECTED[key]


@pytest.mark.parametrize("state,level", [("draft", "public"), (None, "public"), ("released", None),
                                         ("released", "secret"), ("", "")])
def test_unknown_state_or_level_grants_nothing(state, level):
    f = facts(state, level)
    assert p.labels(f) == frozenset()
    assert not any(p.can_view(a, f) for a in ACTORS.values())


def test_empty_principals_see_nothing():
    nobody = p.Actor(None, None, None)
    assert p.principals(nobody) == frozenset({"everyone"})
    assert p.principals(p.SYSTEM) == frozenset()
    # an account with an unknown role is treated as anonymous
    assert p.principals(ACTORS["unknown role"]) == frozenset({"everyone"})


def test_workflow_is_data():
    assert p.TRANSITIONS["release"].from_states == ("submitted", "withheld", "released")
    coord = ACTORS["coordinator"]
    with pytest.raises(p.Denied) as exc:
        p.require_transition(coord, "return", facts("returned", None))
    assert exc.value.status == 409
    with pytest.raises(p.Denied) as exc:
        p.require_transition(ACTORS["uploader"], "release", facts("submitted", None))
    assert exc.value.status == 403
    with pytest.raises(p.Denied) as exc:
        p.require_transition(ACTORS["other partner"], "release", facts("submitted", None))
    assert exc.value.status == 404  # invisible: not found, not forbidden
    assert p.require_transition(ACTORS["owner colleague"], "submit", facts("returned", None)) == "submitted"
    with pytest.raises(p.Denied):
        p.require_transition(ACTORS["admin of owner org"], "submit", facts("returned", None))


def test_update_rules():
    assert p.allowed(ACTORS["uploader"], "update", facts("submitted", None))
    assert not p.allowed(ACTORS["uploader"], "update", facts("released", "public"))
    assert p.allowed(ACTORS["coordinator"], "update", facts("released", "public"))
    assert not p.allowed(ACTORS["admin of owner org"], "update", facts("submitted", None))
    assert not p.allowed(ACTORS["other partner"], "update", facts("released", "public"))


def test_protocol_is_pure():
    """No Flask, no session, no I/O: only the standard library, SQLAlchemy expressions and the package's own
    modules, in every module of the package."""
    modules = sorted(Path(p.__file__).parent.glob("*.py"))
    assert len(modules) > 1
    imported = set()
    for module in modules:
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                name = node.module or ""
                if not name.startswith("repository.protocol."):
                    imported.add(name.split(".")[0])
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("open", "print", "input"), (module.name, node.func.id)
    assert imported <= {"__future__", "collections", "dataclasses", "functools", "typing", "sqlalchemy"}, imported


STATES_LEVELS = [(s, lv) for s in p.STATES for lv in (*p.LEVELS, None)]
GRANTS = [((), ()), ((GRANTED_ORG,), ()), ((), (GRANTED_PERSON,)), ((GRANTED_ORG, OTHER_ORG), (GRANTED_PERSON,))]


def test_three_forms_agree(tmp_path):
    """For every state x level x grants x actor, can_view == labels/principals == SQL filter (on this pass's
    database: SQLite, or PostgreSQL in the PostgreSQL pass)."""
    with database_engine(tmp_path) as engine:
        _three_forms_agree(engine)


def seeded_session(engine, user_ids) -> Session:
    """A session on a new schema on ``engine``: the owner, other and granted organisations and a partner account
    of the owner organisation for each of ``user_ids`` (flushed)."""
    Base.metadata.create_all(engine)
    s = Session(engine)
    for org_id in (OWNER_ORG, OTHER_ORG, GRANTED_ORG):
        s.add(Organisation(id=org_id, acronym=f"O{org_id}", name="x"))
    for uid in user_ids:
        s.add(User(id=uid, email=f"u{uid}@x.org", password_hash="x", role="partner", org_id=OWNER_ORG))
    s.flush()
    return s


def add_document(s: Session, i: int, state, level, gorgs, gusers, **extra) -> None:
    """Document ``i`` (and its file) of the owner organisation, uploaded by UPLOADER, with those grants."""
    s.add(StoredFile(sha256=f"{i:064x}", size=1, mime="text/plain"))
    d = Document(id=i, title="t", filename="f", sha256=f"{i:064x}", org_id=OWNER_ORG, uploaded_by_id=UPLOADER,
                 state=state, level=level, **extra)
    d.org_grants = [OrgGrant(org_id=o) for o in gorgs]
    d.user_grants = [UserGrant(user_id=u) for u in gusers]
    s.add(d)


def _three_forms_agree(engine) -> None:
    users = (UPLOADER, OWNER_COLLEAGUE, OTHER_PERSON, GRANTED_PERSON, COORD, ADMIN_OF_OWNER, ORG_STAFF, 9)
    with seeded_session(engine, users) as s:
        cases = {}
        for i, ((state, level), (gorgs, gusers)) in enumerate(itertools.product(STATES_LEVELS, GRANTS), start=1):
            add_document(s, i, state, level, gorgs, gusers)
            cases[i] = facts(state, level, gorgs, gusers)
        s.commit()
        for name, actor in ACTORS.items():
            by_sql = set(s.scalars(select(Document.id).where(p.visible_clause(actor, Document))))
            by_check = {i for i, f in cases.items() if p.can_view(actor, f)}
            by_labels = {i for i, f in cases.items() if p.labels(f) & p.principals(actor)}
            assert by_sql == by_check == by_labels, name
