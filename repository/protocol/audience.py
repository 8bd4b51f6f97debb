"""Audiences as data: which groups of people see a document in a given state and level, and the three
answers drawn from them (the per-document check, the SQL filter, the index labels and principals).

Part of :mod:`repository.protocol`; import it from there.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from repository.protocol.vocabulary import CONFIDENTIAL
from repository.protocol.vocabulary import COORDINATOR
from repository.protocol.vocabulary import PUBLIC
from repository.protocol.vocabulary import RELEASED
from repository.protocol.vocabulary import RESTRICTED
from repository.protocol.vocabulary import RETURNED
from repository.protocol.vocabulary import STRICTLY_CONFIDENTIAL
from repository.protocol.vocabulary import SUBMITTED
from repository.protocol.vocabulary import WITHHELD
from repository.protocol.vocabulary import Actor
from repository.protocol.vocabulary import DocFacts

# --------------------------------------------------------------------------------------------------------------
# Audiences as data: which groups of people see a document in a given state and level
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """A group of people, described three ways from one definition.

    ``labels(doc)``: the index labels a document carries for this group;
    ``principal(actor)``: the labels an actor holds through this group (empty when not a member);
    ``sql(actor, cols)``: the SQL condition (on the document's columns) equivalent to membership.
    """

    name: str
    labels: Callable[[DocFacts], frozenset[str]]
    principals: Callable[[Actor], frozenset[str]]
    sql: Callable[[Actor, Any], Any]


def _none(*_args: Any) -> frozenset[str]:
    return frozenset()


def _sql_false(actor: Actor, cols: Any) -> Any:
    from sqlalchemy import false

    return false()


def _sql_true(actor: Actor, cols: Any) -> Any:
    from sqlalchemy import true

    return true()


EVERYONE = Group(
    "everyone",
    labels=lambda d: frozenset({"everyone"}),
    principals=lambda a: frozenset({"everyone"}),
    sql=_sql_true,
)
ACCOUNTS = Group(
    "every logged-in account",
    labels=lambda d: frozenset({"accounts"}),
    principals=lambda a: frozenset({"accounts"}) if a.authenticated else frozenset(),
    sql=lambda a, c: _sql_true(a, c) if a.authenticated else _sql_false(a, c),
)
COORDINATORS = Group(
    "coordinators",
    labels=lambda d: frozenset({"coordinators"}),
    principals=lambda a: frozenset({"coordinators"}) if a.authenticated and a.role == COORDINATOR else frozenset(),
    sql=lambda a, c: _sql_true(a, c) if a.authenticated and a.role == COORDINATOR else _sql_false(a, c),
)
OWNER_ORG = Group(
    "the owner organisation",
    labels=lambda d: frozenset({f"org:{d.org_id}"}) if d.org_id is not None else frozenset(),
    principals=lambda a: frozenset({f"org:{a.org_id}"}) if a.authenticated and a.org_id is not None else frozenset(),
    sql=lambda a, c: (c.org_id == a.org_id) if a.authenticated and a.org_id is not None else _sql_false(a, c),
)
GRANTED_ORGS = Group(
    "organisations granted access",
    labels=lambda d: frozenset(f"org:{o}" for o in d.grant_org_ids),
    principals=OWNER_ORG.principals,
    sql=lambda a, c: c.granted_to_org(a.org_id) if a.authenticated and a.org_id is not None else _sql_false(a, c),
)
UPLOADER = Group(
    "the uploader",
    labels=lambda d: frozenset({f"user:{d.uploader_id}"}) if d.uploader_id is not None else frozenset(),
    principals=lambda a: frozenset({f"user:{a.user_id}"}) if a.authenticated else frozenset(),
    sql=lambda a, c: (c.uploaded_by_id == a.user_id) if a.authenticated else _sql_false(a, c),
)
GRANTED_USERS = Group(
    "people granted access",
    labels=lambda d: frozenset(f"user:{u}" for u in d.grant_user_ids),
    principals=UPLOADER.principals,
    sql=lambda a, c: c.granted_to_user(a.user_id) if a.authenticated else _sql_false(a, c),
)

#: The audience table of the information sharing protocol: (state, level) -> groups. ``None`` as the level
#: means "whatever the level" (documents that are not released). Any combination not listed has no audience.
AUDIENCE: dict[tuple[str, str | None], tuple[Group, ...]] = {
    (RELEASED, PUBLIC): (EVERYONE,),
    (RELEASED, RESTRICTED): (ACCOUNTS,),
    # people granted a confidential document: on an access request (repository.protocol.discovery)
    (RELEASED, CONFIDENTIAL): (OWNER_ORG, GRANTED_ORGS, GRANTED_USERS, COORDINATORS),
    (RELEASED, STRICTLY_CONFIDENTIAL): (UPLOADER, GRANTED_USERS, COORDINATORS),
    (SUBMITTED, None): (OWNER_ORG, COORDINATORS),
    (RETURNED, None): (OWNER_ORG, COORDINATORS),
    (WITHHELD, None): (OWNER_ORG, COORDINATORS),
}

_ALL_GROUPS: tuple[Group, ...] = (
    EVERYONE,
    ACCOUNTS,
    COORDINATORS,
    OWNER_ORG,
    GRANTED_ORGS,
    UPLOADER,
    GRANTED_USERS,
)


def audience(facts: DocFacts) -> tuple[Group, ...]:
    """Return the groups that may see a document with these facts (empty when nothing matches)."""
    if facts.state == RELEASED:
        return AUDIENCE.get((RELEASED, facts.level or ""), ())
    return AUDIENCE.get((facts.state or "", None), ())


def labels(facts: DocFacts) -> frozenset[str]:
    """Index labels of a document: its audience written as tokens. Empty means nobody (fail closed)."""
    out: set[str] = set()
    for group in audience(facts):
        out |= group.labels(facts)
    return frozenset(out)


def principals(actor: Actor) -> frozenset[str]:
    """Index tokens that an actor holds; a document is visible when they meet its :func:`labels`."""
    if actor.system:
        return frozenset()  # the system reads documents through the database, never through search
    out: set[str] = set()
    for group in _ALL_GROUPS:
        out |= group.principals(actor)
    return frozenset(out)


def can_view(actor: Actor, facts: DocFacts) -> bool:
    """May ``actor`` see this document at all (metadata, text, snippets, file)?"""
    if actor.system:
        return True
    doc_labels = labels(facts)
    if not doc_labels:
        return False
    return bool(doc_labels & principals(actor))


@functools.lru_cache(maxsize=1024)
def visible_clause(actor: Actor, cols: Any) -> Any:
    """SQLAlchemy condition selecting the documents ``actor`` may see.

    ``cols`` is the Document model class (it must offer the columns ``state``, ``level``, ``org_id``,
    ``uploaded_by_id`` and the methods ``granted_to_org(org_id)`` / ``granted_to_user(user_id)`` returning
    EXISTS conditions). Built from :data:`AUDIENCE`, the same table as :func:`labels` and :func:`can_view`.
    The condition depends on the actor's fields alone (an immutable value) and SQLAlchemy expressions are
    immutable, so it is built once per actor and reused.
    """
    from sqlalchemy import and_
    from sqlalchemy import false
    from sqlalchemy import or_
    from sqlalchemy import true

    if actor.system:
        return true()
    branches = []
    for (state, level), groups in AUDIENCE.items():
        members = [g.sql(actor, cols) for g in groups]
        cond = [cols.state == state]
        if level is not None:
            cond.append(cols.level == level)
        branches.append(and_(*cond, or_(*members) if members else false()))
    return or_(*branches) if branches else false()
