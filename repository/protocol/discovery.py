"""Metadata-only discovery: who sees only the metadata of a document (title, summary, organisation, level, codes,
date), never its text, snippets, file, findings or review record, and may ask for access; the rules of an access
request and of a coordinator's answer.

One table (:data:`METADATA_AUDIENCE`, groups of :mod:`repository.protocol.audience`) gives the three forms, as the
audience table does for full access:

* the per-document check: :func:`can_see_metadata` (full access or metadata only) and :func:`metadata_only`;
* the SQL filter: :func:`metadata_clause` (through discovery), :func:`metadata_visible_clause` (what a list, a
  count, the catalogue or the stats may name: full access or metadata only) and :func:`metadata_only_clause`;
* the index: :func:`metadata_labels` (written with each document, in the ``labels`` field, prefixed
  :data:`META_PREFIX`; :func:`index_labels` gives both kinds) and :func:`metadata_principals` of a caller.

A document's metadata is seen through discovery only when it is released at a level of
:data:`DISCOVERABLE_LEVELS` and the coordinator made it ``discoverable``; it is then seen by the groups of the
table (every logged-in account). Otherwise, outside its audience, it does not exist. Fails closed like the rest.

Part of :mod:`repository.protocol`; import it from there.
"""

from __future__ import annotations

import functools
from typing import Any

from repository.protocol.actions import Denied
from repository.protocol.actions import require
from repository.protocol.audience import ACCOUNTS
from repository.protocol.audience import Group
from repository.protocol.audience import can_view
from repository.protocol.audience import labels
from repository.protocol.audience import visible_clause
from repository.protocol.vocabulary import CONFIDENTIAL
from repository.protocol.vocabulary import RELEASED
from repository.protocol.vocabulary import STRICTLY_CONFIDENTIAL
from repository.protocol.vocabulary import Actor
from repository.protocol.vocabulary import DocFacts

#: The levels a coordinator may make discoverable (the others are seen in full by accounts or by everyone).
DISCOVERABLE_LEVELS: tuple[str, ...] = (CONFIDENTIAL, STRICTLY_CONFIDENTIAL)

#: (state, level) -> the groups who see the metadata of a *discoverable* document in that state and level.
METADATA_AUDIENCE: dict[tuple[str, str], tuple[Group, ...]] = {
    (RELEASED, CONFIDENTIAL): (ACCOUNTS,),
    (RELEASED, STRICTLY_CONFIDENTIAL): (ACCOUNTS,),
}

#: Index labels and principals of metadata visibility carry this prefix (never one of the full-access ones).
META_PREFIX = "meta:"

PENDING = "pending"
GRANTED = "granted"
REFUSED = "refused"
#: The states of an access request.
REQUEST_STATES: tuple[str, ...] = (PENDING, GRANTED, REFUSED)
#: A coordinator's answers to an access request, and the state each leads to.
ANSWERS: dict[str, str] = {"grant": GRANTED, "refuse": REFUSED}

_META_GROUPS: tuple[Group, ...] = tuple(dict.fromkeys(g for groups in METADATA_AUDIENCE.values() for g in groups))


def metadata_audience(facts: DocFacts) -> tuple[Group, ...]:
    """The groups who see this document's metadata through discovery (empty unless it is discoverable)."""
    if not facts.discoverable or facts.state != RELEASED:
        return ()
    return METADATA_AUDIENCE.get((RELEASED, facts.level or ""), ())


def metadata_labels(facts: DocFacts) -> frozenset[str]:
    """Index labels of metadata visibility (prefixed :data:`META_PREFIX`); empty when not discoverable."""
    out: set[str] = set()
    for group in metadata_audience(facts):
        out |= {META_PREFIX + label for label in group.labels(facts)}
    return frozenset(out)


def index_labels(facts: DocFacts) -> frozenset[str]:
    """Every label the index writes with a document: its audience's and its metadata audience's."""
    return labels(facts) | metadata_labels(facts)


def metadata_principals(actor: Actor) -> frozenset[str]:
    """The metadata labels an actor holds (the system reads through the database, never through search)."""
    if actor.system:
        return frozenset()
    out: set[str] = set()
    for group in _META_GROUPS:
        out |= {META_PREFIX + p for p in group.principals(actor)}
    return frozenset(out)


def can_see_metadata(actor: Actor, facts: DocFacts) -> bool:
    """May ``actor`` see at least this document's metadata (full access, or metadata only through discovery)?"""
    if can_view(actor, facts):
        return True
    return bool(metadata_labels(facts) & metadata_principals(actor))


def metadata_only(actor: Actor, facts: DocFacts) -> bool:
    """Does ``actor`` see this document's metadata *only* (not its text, snippets, file, findings, review)?"""
    return not can_view(actor, facts) and can_see_metadata(actor, facts)


@functools.lru_cache(maxsize=1024)
def metadata_clause(actor: Actor, cols: Any) -> Any:
    """SQL condition: the documents whose metadata ``actor`` sees through discovery (whether or not it also has
    full access). ``cols`` is the Document model class (columns ``state``, ``level``, ``discoverable``, those of
    :func:`~repository.protocol.audience.visible_clause`). Built from :data:`METADATA_AUDIENCE`."""
    from sqlalchemy import and_
    from sqlalchemy import false
    from sqlalchemy import or_

    if actor.system:
        return false()
    branches = []
    for (state, level), groups in METADATA_AUDIENCE.items():
        members = [g.sql(actor, cols) for g in groups]
        branches.append(
            and_(cols.discoverable.is_(True), cols.state == state, cols.level == level, or_(*members) if members
                 else false())
        )  # fmt: skip
    return or_(*branches) if branches else false()


@functools.lru_cache(maxsize=1024)
def metadata_visible_clause(actor: Actor, cols: Any) -> Any:
    """SQL condition: the documents ``actor`` may name at all (full access or metadata only): what a list, a count,
    the catalogue or the stats may include (with metadata fields only where :func:`metadata_only`)."""
    from sqlalchemy import or_

    return or_(visible_clause(actor, cols), metadata_clause(actor, cols))


@functools.lru_cache(maxsize=1024)
def metadata_only_clause(actor: Actor, cols: Any) -> Any:
    """SQL condition: the documents whose metadata only ``actor`` sees (never their text, file or review)."""
    from sqlalchemy import and_
    from sqlalchemy import not_

    return and_(metadata_clause(actor, cols), not_(visible_clause(actor, cols)))


def discoverable_refusal(level: str | None, discoverable: bool) -> list[str]:
    """Why a release with this ``discoverable`` choice is refused (empty: it is not)."""
    if discoverable and level not in DISCOVERABLE_LEVELS:
        return ["discoverable only applies to confidential or strictly confidential documents."]
    return []


def require_request_access(actor: Actor, facts: DocFacts | None) -> None:
    """Raise :class:`Denied` unless ``actor`` may ask for access to the document: it sees its metadata only (404
    when it sees nothing, as for any invisible document; 409 when it already has access)."""
    if facts is None or not can_see_metadata(actor, facts):
        raise Denied(404, "not_found", "No document with this id.")
    if can_view(actor, facts):
        raise Denied(409, "has_access", "You already have access to this document.")
    require(actor, "request_access")


def require_answer(actor: Actor, action: Any, request_state: str, facts: DocFacts) -> str:
    """Check a coordinator's answer (``grant`` or ``refuse``) to a request in ``request_state`` for a document with
    ``facts``; return the request's new state. A grant needs the document still released at a discoverable level
    (a user grant means nothing at another level or state); only a pending request is answered."""
    require(actor, "answer_access_requests")
    if action not in ANSWERS:
        raise Denied(422, "invalid_action", f"action must be one of {', '.join(ANSWERS)}.")
    if request_state != PENDING:
        raise Denied(409, "invalid_state", f"This request is already {request_state}.")
    if action == "grant" and (facts.state != RELEASED or facts.level not in DISCOVERABLE_LEVELS):
        raise Denied(
            409,
            "invalid_state",
            "The document is no longer released as confidential or strictly confidential: a grant would not apply.",
        )
    return ANSWERS[action]
