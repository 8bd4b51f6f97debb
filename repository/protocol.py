"""The information sharing protocol: the only place that decides who may do what to which document.

Everything here is pure: no Flask, no database session, no I/O. The rules are data (tables below), and one
rule set yields three answers that must always agree:

* the per-document decision (:func:`can`, :func:`require`), used by every route that touches one document;
* the SQLAlchemy filter (:func:`visible_clause`), used by every list and by the search re-check;
* the index filter: access *labels* written with each document (:func:`labels`) and the *principals* of a caller
  (:func:`principals`); a caller sees a search hit when the two sets intersect.

The protocol fails closed: an unknown state or level, an empty label set or an empty principal set grants
nothing, and a caller whose role is not one of :data:`ROLES` is treated as anonymous.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from typing import Any

# --------------------------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------------------------

PARTNER = "partner"
STAFF = "staff"
COORDINATOR = "coordinator"
ADMIN = "admin"
ROLES: tuple[str, ...] = (PARTNER, STAFF, COORDINATOR, ADMIN)

PUBLIC = "public"
RESTRICTED = "restricted"
CONFIDENTIAL = "confidential"
STRICTLY_CONFIDENTIAL = "strictly_confidential"
#: Sharing levels, from the most open to the most closed (IASC: low, moderate, high, severe sensitivity).
LEVELS: tuple[str, ...] = (PUBLIC, RESTRICTED, CONFIDENTIAL, STRICTLY_CONFIDENTIAL)

LEVEL_LABELS: dict[str, str] = {
    PUBLIC: "Public",
    RESTRICTED: "Restricted",
    CONFIDENTIAL: "Confidential",
    STRICTLY_CONFIDENTIAL: "Strictly confidential",
}

#: What each level means (IASC Operational Guidance on Data Responsibility wording) and who receives it here.
LEVEL_DEFINITIONS: dict[str, str] = {
    PUBLIC: "Unlikely to cause any harm if disclosed. Anyone may read it, logged in or not.",
    RESTRICTED: "Likely to cause minor harm if disclosed. Every account of the response may read it.",
    CONFIDENTIAL: "Likely to cause serious harm if disclosed. The owner organisation, the organisations "
    "granted by a coordinator, and coordinators.",
    STRICTLY_CONFIDENTIAL: "Likely to cause severe harm if disclosed. The uploader, the people granted "
    "by a coordinator, and coordinators.",
}

SUBMITTED = "submitted"
RETURNED = "returned"
WITHHELD = "withheld"
RELEASED = "released"
STATES: tuple[str, ...] = (SUBMITTED, RETURNED, WITHHELD, RELEASED)


def level_rank(level: str | None) -> int:
    """Return the position of ``level`` in :data:`LEVELS`; unknown levels rank above every real one."""
    try:
        return LEVELS.index(level)  # type: ignore[arg-type]
    except ValueError:
        return len(LEVELS)


# --------------------------------------------------------------------------------------------------------------
# Who is acting, and the access facts of a document
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """The caller of a service: a user account, an anonymous visitor, or the system itself.

    Build one with :func:`actor_for` (accounts), :data:`ANONYMOUS` or :data:`SYSTEM`.
    """

    user_id: int | None = None
    org_id: int | None = None
    role: str | None = None
    system: bool = False

    @property
    def authenticated(self) -> bool:
        """True for a real, known account."""
        return self.user_id is not None and self.role in ROLES


ANONYMOUS = Actor()
#: Background work (index rebuilds, imports' bookkeeping) acts as this actor; it may read everything but is never
#: a person, so it never appears as the author of a review decision.
SYSTEM = Actor(system=True)


def actor_for(user: Any) -> Actor:
    """Build an :class:`Actor` from an account-like object (``id``, ``org_id``, ``role``, ``active``).

    An inactive account, an unknown role or ``None`` gives :data:`ANONYMOUS`.
    """
    if user is None or not getattr(user, "active", False):
        return ANONYMOUS
    role = getattr(user, "role", None)
    if role not in ROLES:
        return ANONYMOUS
    return Actor(user_id=user.id, org_id=user.org_id, role=role)


@dataclass(frozen=True)
class DocFacts:
    """The facts about a document that access depends on, and nothing else."""

    state: str | None
    level: str | None
    org_id: int | None
    uploader_id: int | None
    grant_org_ids: frozenset[int] = field(default_factory=frozenset)
    grant_user_ids: frozenset[int] = field(default_factory=frozenset)


def facts_of(doc: Any) -> DocFacts:
    """Read the access facts of a document model (or of any object with the same attributes)."""
    return DocFacts(
        state=doc.state,
        level=doc.level,
        org_id=doc.org_id,
        uploader_id=doc.uploaded_by_id,
        grant_org_ids=frozenset(g.org_id for g in doc.org_grants),
        grant_user_ids=frozenset(g.user_id for g in doc.user_grants),
    )


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
    (RELEASED, CONFIDENTIAL): (OWNER_ORG, GRANTED_ORGS, COORDINATORS),
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


# --------------------------------------------------------------------------------------------------------------
# Actions: who may act, and which states allow it (kept apart, as data)
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    """A review-workflow step: the states it may start from and the state it leads to."""

    from_states: tuple[str, ...]
    to_state: str


#: The review workflow. ``release`` on a released document re-classifies it.
TRANSITIONS: dict[str, Transition] = {
    "submit": Transition((RETURNED,), SUBMITTED),
    "release": Transition((SUBMITTED, WITHHELD, RELEASED), RELEASED),
    "return": Transition((SUBMITTED, WITHHELD), RETURNED),
    "withhold": Transition((SUBMITTED, RETURNED, RELEASED), WITHHELD),
}
REVIEW_ACTIONS: tuple[str, ...] = ("release", "return", "withhold")

_CONTRIBUTOR_ROLES = frozenset({PARTNER, COORDINATOR})


def _is_coordinator(actor: Actor, facts: DocFacts | None) -> bool:
    return actor.authenticated and actor.role == COORDINATOR


def _is_contributor_of_owner(actor: Actor, facts: DocFacts | None) -> bool:
    return (
        facts is not None
        and actor.authenticated
        and actor.role in _CONTRIBUTOR_ROLES
        and actor.org_id is not None
        and actor.org_id == facts.org_id
    )


def _not_released(actor: Actor, facts: DocFacts | None) -> bool:
    return facts is not None and facts.state in (SUBMITTED, RETURNED, WITHHELD)


def _can_upload(actor: Actor, facts: DocFacts | None) -> bool:
    return actor.authenticated and actor.role in _CONTRIBUTOR_ROLES and actor.org_id is not None


def _is_admin(actor: Actor, facts: DocFacts | None) -> bool:
    return actor.authenticated and actor.role == ADMIN


def _is_account(actor: Actor, facts: DocFacts | None) -> bool:
    return actor.authenticated


Rule = Callable[[Actor, "DocFacts | None"], bool]

#: Who may do what. Each action lists alternatives (any may grant); each alternative is a tuple of conditions
#: (all must hold). Document actions additionally require that the actor may *see* the document (checked first,
#: so that an invisible document answers "not found", never "forbidden").
PERMISSIONS: dict[str, tuple[tuple[Rule, ...], ...]] = {
    "upload": ((_can_upload,),),
    "update": ((_is_coordinator,), (_is_contributor_of_owner, _not_released)),
    "submit": ((_is_contributor_of_owner,),),
    "review": ((_is_coordinator,),),
    "see_review_details": ((_is_coordinator,), (_is_contributor_of_owner,)),
    "see_uploader": ((_is_coordinator,), (_is_contributor_of_owner,)),
    "read_audit": ((_is_coordinator,),),
    "review_queue": ((_is_coordinator,),),
    # Filter searches by sharing level: accounts. Anonymous visitors only ever see public documents; their
    # ``level`` filter is ignored, so it can neither narrow nor probe anything.
    "filter_by_level": ((_is_account,),),
    # Move documents from retired taxonomy codes to their replacements: the system only (``taxonomy migrate``).
    "migrate_codes": (),
    # Rebuild the search index from the database: the system only (``flask reindex``).
    "reindex": (),
    # the review loop: the request-changes exchange and the replacement of the file (see ACTION_STATES)
    "comment": ((_is_coordinator,), (_is_contributor_of_owner,)),
    "see_comments": ((_is_coordinator,), (_is_contributor_of_owner,)),
    "replace": ((_is_contributor_of_owner,),),
    "manage_accounts": ((_is_admin,),),
    "manage_orgs": ((_is_admin,),),
    "create_token": ((_is_account,),),
    "manage_own_account": ((_is_account,),),  # own password, own API tokens, own two-factor enrolment
    # Not a permission but a duty: these accounts must pass a second factor when REPOSITORY_REQUIRE_2FA is on.
    "second_factor_required": ((_is_coordinator,), (_is_admin,)),
}


def is_self(actor: Actor, user_id: int | None) -> bool:
    """Whether the account ``user_id`` is the actor's own (an admin may not deactivate or demote itself)."""
    return actor.authenticated and user_id is not None and actor.user_id == user_id

#: Actions that concern one document and therefore require it to be visible first.
DOCUMENT_ACTIONS = frozenset(
    {
        "view",
        "download",
        "update",
        "submit",
        "review",
        "see_review_details",
        "see_uploader",
        "comment",
        "see_comments",
        "replace",
    }
)

#: Document actions that are not workflow steps but that only some states allow (the state does not change).
#: The file may be replaced while the document waits for review or has been returned for changes; once released
#: or withheld, what was reviewed stays what is stored.
ACTION_STATES: dict[str, tuple[str, ...]] = {
    "replace": (SUBMITTED, RETURNED),
}


def allowed(actor: Actor, action: str, facts: DocFacts | None = None) -> bool:
    """Whether the role/organisation rules allow ``action`` (ignores the workflow state of review steps)."""
    if action in DOCUMENT_ACTIONS:
        if facts is None or not can_view(actor, facts):
            return False
        if action in ("view", "download"):
            return True
    if actor.system:
        return action not in ("upload", "review", "submit", "update", "create_token", "comment", "replace")
    alternatives = PERMISSIONS.get(action, ())
    return any(all(rule(actor, facts) for rule in alt) for alt in alternatives)


class Denied(Exception):
    """The protocol refuses an action.

    ``status`` is the HTTP answer a route should give: 404 when the document is invisible to the caller
    (it must not learn that it exists), 403 when the caller is known but the action is not theirs, 401 when
    logging in could help, 409 when the document's state does not allow the step, 422 when values are refused.
    """

    def __init__(self, status: int, code: str, message: str, reasons: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.reasons = list(reasons)


NOT_FOUND_MESSAGE = "No document with this id."


def require(actor: Actor, action: str, facts: DocFacts | None = None) -> None:
    """Raise :class:`Denied` unless ``actor`` may do ``action`` (to the document with ``facts``)."""
    if action in DOCUMENT_ACTIONS and (facts is None or not can_view(actor, facts)):
        raise Denied(404, "not_found", NOT_FOUND_MESSAGE)
    if allowed(actor, action, facts):
        return
    if not actor.authenticated and not actor.system:
        raise Denied(401, "login_required", "Log in with an account that may do this.")
    raise Denied(403, "forbidden", "Your account may not do this.")


def require_transition(actor: Actor, action: str, facts: DocFacts) -> str:
    """Check who may take a workflow step and that the document's state allows it; return the new state."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise Denied(422, "invalid_action", f"Unknown action {action!r}.")
    require(actor, "review" if action in REVIEW_ACTIONS else action, facts)
    if facts.state not in transition.from_states:
        raise Denied(
            409,
            "invalid_state",
            f"A document in state {facts.state!r} cannot be {_PAST.get(action, action)}.",
        )
    return transition.to_state


_PAST = {
    "submit": "submitted",
    "release": "released",
    "return": "returned",
    "withhold": "withheld",
    "replace": "given a new file",
}


#: What each ``detected`` kind of the sensitivity scan means, for the document page.
DETECTED_LABELS: dict[str, str] = {
    "person_name": "Personal names",
    "phone": "Phone numbers",
    "email": "E-mail addresses",
    "id_number": "Identity, passport or case numbers",
    "coordinates": "GPS coordinates",
    "sensitive_site": "Sensitive sites (safe houses, shelters, detention, disembarkation)",
    "severe_topic": "GBV or child-protection case details",
    "small_count": "Small counts by place, sex or age",
}

#: The audit trail's action names (interface.md, then the additions of the review loop and the export). Views and
#: downloads are recorded at every level, so every read of a confidential or strictly confidential document is in it.
AUDIT_ACTIONS: tuple[str, ...] = (
    "login",
    "login_failed",
    "logout",
    "token_create",
    "upload",
    "view",
    "download",
    "update",
    "submit",
    "release",
    "return",
    "withhold",
    "grant",
    "override",
    "replace",  # the owner organisation replaced the file (detail: previous and new sha256, new minimum level)
    "comment",  # a message in the review exchange (detail: comment id and text)
    "audit_export",  # a coordinator exported the audit trail as CSV (detail: the filters and row count)
)


def require_in_state(actor: Actor, action: str, facts: DocFacts) -> None:
    """Check who may do ``action`` (see :data:`PERMISSIONS`) and that the document's state allows it
    (:data:`ACTION_STATES`; 409 otherwise). Actions without a state rule are allowed in every state."""
    require(actor, action, facts)
    states = ACTION_STATES.get(action)
    if states is not None and facts.state not in states:
        raise Denied(
            409,
            "invalid_state",
            f"A document in state {facts.state!r} cannot be {_PAST.get(action, action)}.",
        )


def possible(actor: Actor, action: str, facts: DocFacts) -> bool:
    """Whether ``actor`` may take ``action`` on this document now: a workflow step (:data:`TRANSITIONS`) or a
    state-bound action (:data:`ACTION_STATES`), who may and the state both checked. For forms and buttons."""
    transition = TRANSITIONS.get(action)
    if transition is not None:
        permission = "review" if action in REVIEW_ACTIONS else action
        return facts.state in transition.from_states and allowed(actor, permission, facts)
    states = ACTION_STATES.get(action)
    return (states is None or facts.state in states) and allowed(actor, action, facts)


def check_release(level: str | None, grant_orgs: Iterable[Any], grant_users: Iterable[Any]) -> list[str]:
    """Return the reasons why a release with these values is refused (empty list: acceptable)."""
    reasons = []
    if level not in LEVELS:
        reasons.append(f"level must be one of {', '.join(LEVELS)}.")
    if list(grant_orgs) and level != CONFIDENTIAL:
        reasons.append("grant_orgs only applies to confidential documents.")
    if list(grant_users) and level != STRICTLY_CONFIDENTIAL:
        reasons.append("grant_users only applies to strictly confidential documents.")
    return reasons


def audience_description(facts: DocFacts) -> list[str]:
    """Human description of who may see a document, for the document page."""
    return [g.name for g in audience(facts)]


# --------------------------------------------------------------------------------------------------------------
# The benefit/risk record of a release (PIM principles; OCHA data-responsibility steps), as controlled lists
# --------------------------------------------------------------------------------------------------------------

#: The explicit "none identified" entry of :data:`RISKS` and :data:`BENEFITS`: the record is always a decision.
NONE_IDENTIFIED = "none_identified"

#: Risks a coordinator weighs before sharing (likelihood x severity; the mosaic effect included).
RISKS: dict[str, str] = {
    "re_identification": "Re-identification of a person, household or small group, alone or combined with other data",
    "targeting": "Targeting of people, sites or groups (attack, harassment, discrimination)",
    "detention_refoulement": "Arrest, detention, deportation or refoulement of the people concerned",
    "survivor_exposure": "Exposure of survivors, witnesses or case details (GBV, child protection)",
    "staff_safety": "Safety of staff, partners or community focal points",
    "access_loss": "Loss of humanitarian access or of relations with authorities",
    "consent_gap": "Use not covered by the consent given when the data were collected",
    "small_cells": "Small counts by place, sex or age that single people out",
    "reputation": "Damage to an organisation's capacity, neutrality or reputation",
    "misuse_by_recipient": "Use by a recipient beyond the stated purpose",
    "none_identified": "None identified: the risks were weighed and none applies to this release",
}

#: Benefits and safeguards that weigh for sharing.
BENEFITS: dict[str, str] = {
    "purpose_defined": "A defined purpose aimed at protection outcomes",
    "response_planning": "Informs response planning, targeting of assistance or prioritisation",
    "coordination": "Avoids duplication and supports referrals between partners",
    "advocacy": "Supports advocacy with authorities or donors",
    "institutional_memory": "Keeps institutional memory for the sector",
    "cost_of_not_sharing": "Not sharing would leave people without services or protection",
    "recipients_bound": "Recipients are bound by the information sharing protocol or a data-sharing agreement",
    "aggregated_to_district": "Aggregated to district level or higher (lowest disaggregation checked)",
    "consent_obtained": "Informed consent covers this use",
    "anonymised": "Names and identifiers removed; small cells suppressed",
    "mitigations_applied": "Other mitigations applied (redaction, delay, metadata only)",
    "none_identified": "None identified: the benefits were weighed and none of these applies",
}


def below_minimum(level: str | None, minimum_level: str | None) -> str:
    """Why releasing at ``level`` goes below the content's ``minimum_level`` (empty string: it does not)."""
    if not minimum_level or minimum_level not in LEVELS:
        return ""
    if level_rank(level) < level_rank(minimum_level):
        return f"{LEVEL_LABELS.get(level or '', level)} is below the minimum level {LEVEL_LABELS[minimum_level]}."
    return ""


# --------------------------------------------------------------------------------------------------------------
# The release gate: what every release (and re-classification) needs, whatever the level
# --------------------------------------------------------------------------------------------------------------
# Shared coding and a benefit/risk record come before sharing: a document type and one code of another facet, so
# that facets find it; at least one risk and one benefit (each list has "none identified", so the record is a
# decision, never a blank); a rationale. A public release of a document in which the scan found anything also
# needs every found kind marked as considered. The service checks this before it changes anything; the review page
# shows the same conditions before the button.

#: The facet of the document type, and the facets of which a release needs one more accepted code.
DOC_TYPE_FACET = "doc_type"
DESCRIPTIVE_FACETS: tuple[str, ...] = ("sector", "theme", "population", "location")


def _facets_of(codes: Iterable[str]) -> set[str]:
    return {str(c).partition(":")[0] for c in codes or () if ":" in str(c)}


def _has_doc_type(record: ReleaseRecord) -> bool:
    return DOC_TYPE_FACET in _facets_of(record.codes)


def _has_descriptive_code(record: ReleaseRecord) -> bool:
    return bool(_facets_of(record.codes) & set(DESCRIPTIVE_FACETS))


def _one_decision(values: Iterable[str], allowed: dict[str, str]) -> bool:
    chosen = [v for v in values if v in allowed]
    return bool(chosen) and (NONE_IDENTIFIED not in chosen or len(chosen) == 1)


@dataclass(frozen=True)
class ReleaseRecord:
    """What a release is judged on: the document's accepted codes and the decision's record."""

    codes: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    benefits: tuple[str, ...] = ()
    rationale: str = ""


@dataclass(frozen=True)
class ReleaseCondition:
    """One condition of :data:`RELEASE_GATE`: ``needs`` says what it asks for (the review page), ``reason`` why a
    release without it is refused; ``met(record)`` decides."""

    id: str
    needs: str
    reason: str
    met: Callable[[ReleaseRecord], bool]


#: The release gate, in the order the review page lists it.
RELEASE_GATE: tuple[ReleaseCondition, ...] = (
    ReleaseCondition(
        "doc_type",
        "An accepted document type code",
        "No document type: a release needs an accepted doc_type code (accept a suggestion or add one).",
        _has_doc_type,
    ),
    ReleaseCondition(
        "descriptive_code",
        "An accepted code of another facet: sector, theme, population or location",
        "No sector, theme, population or location code: a release needs at least one accepted code of one of "
        "these facets besides the document type.",
        _has_descriptive_code,
    ),
    ReleaseCondition(
        "risks",
        'At least one risk weighed ("None identified" is an answer)',
        'No risk recorded: a release needs at least one entry in risks, or "none_identified" alone.',
        lambda r: _one_decision(r.risks, RISKS),
    ),
    ReleaseCondition(
        "benefits",
        'At least one benefit or safeguard ("None identified" is an answer)',
        'No benefit recorded: a release needs at least one entry in benefits, or "none_identified" alone.',
        lambda r: _one_decision(r.benefits, BENEFITS),
    ),
    ReleaseCondition(
        "rationale",
        "A rationale: the benefit/risk assessment in a sentence",
        "No rationale: a release needs a rationale (the benefit/risk assessment in a sentence).",
        lambda r: bool(r.rationale.strip()),
    ),
)


def release_missing(record: ReleaseRecord) -> list[ReleaseCondition]:
    """The conditions of :data:`RELEASE_GATE` that ``record`` does not meet (empty: the gate is passed)."""
    return [condition for condition in RELEASE_GATE if not condition.met(record)]


def found_kinds(findings: Iterable[Any]) -> list[str]:
    """The kinds the scan found (a count above zero), in the order of :data:`DETECTED_LABELS`, then any other."""
    counts = _finding_counts(findings)
    known = [kind for kind in DETECTED_LABELS if kind in counts]
    return known + sorted(kind for kind in counts if kind not in DETECTED_LABELS)


def to_consider(level: str | None, findings: Iterable[Any]) -> list[str]:
    """The finding kinds a release at ``level`` must list as considered: every found kind for ``public``."""
    return found_kinds(findings) if level == PUBLIC else []


def not_considered(level: str | None, findings: Iterable[Any], considered: Iterable[str]) -> list[str]:
    """The found kinds a release at ``level`` needs as considered but ``considered`` leaves out."""
    given = set(considered or ())
    return [kind for kind in to_consider(level, findings) if kind not in given]


def not_considered_reason(kinds: Iterable[str]) -> str:
    """The refusal reason naming the finding kinds not marked as considered."""
    named = ", ".join(f"{kind} ({DETECTED_LABELS.get(kind, kind)})" for kind in kinds)
    return f"A public release needs every scan finding marked as considered; not considered: {named}."


# --------------------------------------------------------------------------------------------------------------
# Minimum sharing level from the scan
# --------------------------------------------------------------------------------------------------------------
# The sensitivity scan (repository/scan.py) lists what a document contains (``detected``: kind, count, where, a
# redacted example). The table below turns those findings, and the document's taxonomy codes, into the lowest level
# at which the document may be released, with the reasons a coordinator reads. The OCHA default rule applies: the
# highest applicable level wins. A finding that no applicable rule covers (a lone name, for instance) does not raise
# the minimum, but it is never silent: :func:`needs_a_look` lists it for the review page, and a public release
# needs every found kind marked as considered (see the release gate above).


@dataclass(frozen=True)
class MinimumRule:
    """One row of :data:`MINIMUM_RULES`: when its condition holds, the document may not go below ``level``.

    The condition is declarative and every part that is given must hold:

    * ``kind``: this kind was found at least ``min_count`` times (the finding's ``count``);
    * ``all_of``: every one of these kinds was found;
    * ``any_of``: at least one of these kinds was found;
    * ``none_of``: none of these kinds was found;
    * ``codes``: the document carries at least one of these taxonomy codes (exact code ids).

    ``reason`` is a template for the coordinator: ``{count}`` is the count of ``kind``, ``{<kind>}`` the count of
    any kind (0 when absent), ``{codes}`` the matching codes.
    """

    id: str
    level: str
    reason: str
    kind: str | None = None
    min_count: int = 1
    all_of: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    none_of: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()


#: Kinds that identify an individual directly.
IDENTIFIER_KINDS: tuple[str, ...] = ("person_name", "id_number", "phone", "email")
#: Codes whose documents hold GBV or child-protection content (thematic and sector facets).
CASE_TOPIC_CODES: tuple[str, ...] = ("theme:gbv", "theme:child_protection", "sector:gbv", "sector:child_protection")
#: Codes of detention-related documents.
DETENTION_CODES: tuple[str, ...] = ("theme:detention", "population:migrants_in_detention")

#: The rule table. Anchors: IASC/OCHA ISP tables (``domain.md`` §1.3 and §6): contact lists of individuals, aid-worker
#: contacts without consent, site GPS and small cells are "high" (confidential); beneficiary lists, GBV/CP case data,
#: survivor locations, alleged perpetrators and the locations of safe houses, shelters and detention places are
#: "severe" (strictly confidential); GBV/CP case details and named sensitive sites (detention places, shelters,
#: disembarkation points) are sensitive even without identifiers or coordinates: at least "moderate" (restricted).
MINIMUM_RULES: tuple[MinimumRule, ...] = (
    # -- strictly confidential: severe harm if disclosed --------------------------------------------------------
    MinimumRule(
        "site_located",
        STRICTLY_CONFIDENTIAL,
        "The location of a sensitive site ({sensitive_site} mention(s) of a safe house, shelter, detention place or "
        "disembarkation point, with {coordinates} GPS position(s))",
        kind="sensitive_site",
        all_of=("coordinates",),
    ),
    MinimumRule(
        "case_identified",
        STRICTLY_CONFIDENTIAL,
        "GBV or child-protection case details ({count} mention(s)) together with names, phone numbers or ids",
        kind="severe_topic",
        any_of=IDENTIFIER_KINDS,
    ),
    MinimumRule(
        "coded_case_contacts",
        STRICTLY_CONFIDENTIAL,
        "Coded {codes} and gives ids, phone numbers or e-mail addresses of individuals",
        codes=CASE_TOPIC_CODES,
        any_of=("id_number", "phone", "email"),
    ),
    MinimumRule(
        "coded_case_names",
        STRICTLY_CONFIDENTIAL,
        "Coded {codes} and names {count} people",
        kind="person_name",
        min_count=2,  # one name alone is usually the author or a signature
        codes=CASE_TOPIC_CODES,
    ),
    MinimumRule(
        "people_at_site",
        STRICTLY_CONFIDENTIAL,
        "A list of {count} personal names together with a sensitive site (detainees, residents of a shelter)",
        kind="person_name",
        min_count=5,
        all_of=("sensitive_site",),
    ),
    MinimumRule(
        "detention_list",
        STRICTLY_CONFIDENTIAL,
        "A list of {count} personal names in a document coded {codes}",
        kind="person_name",
        min_count=5,
        codes=DETENTION_CODES,
    ),
    # -- confidential: serious harm if disclosed -----------------------------------------------------------------
    MinimumRule("name_list", CONFIDENTIAL, "A list of {count} personal names", kind="person_name", min_count=5),
    MinimumRule("phone", CONFIDENTIAL, "Phone numbers of individuals ({count})", kind="phone"),
    MinimumRule("email", CONFIDENTIAL, "Personal e-mail addresses ({count})", kind="email"),
    MinimumRule("id_number", CONFIDENTIAL, "Identity, passport or case numbers ({count})", kind="id_number"),
    MinimumRule("coordinates", CONFIDENTIAL, "Exact GPS coordinates ({count})", kind="coordinates"),
    MinimumRule(
        "small_count",
        CONFIDENTIAL,
        "Small counts (under 5) broken down by place, sex or age ({count} table cell(s))",
        kind="small_count",
    ),
    # -- restricted: minor harm if disclosed, sensitive even without identifiers ------------------------------------
    MinimumRule(
        "case_details",
        RESTRICTED,
        "GBV or child-protection case details ({count} mention(s)), even without names, phone numbers or ids",
        kind="severe_topic",
        none_of=IDENTIFIER_KINDS,
    ),
    MinimumRule(
        "site_named",
        RESTRICTED,
        "A sensitive site named ({count} mention(s) of a safe house, shelter, detention place or disembarkation "
        "point), even without coordinates",
        kind="sensitive_site",
        none_of=("coordinates",),
    ),
)


class _ZeroCounts(dict):
    def __missing__(self, key: str) -> int:
        return 0


def _finding_counts(findings: Iterable[Any]) -> dict[str, int]:
    """Total count per kind; an unreadable count counts as one (fail closed), a non-positive one as none."""
    counts: dict[str, int] = {}
    for finding in findings or ():
        get = getattr(finding, "get", None)
        if get is None:
            continue
        kind = get("kind")
        if not isinstance(kind, str) or not kind:
            continue
        try:
            count = int(get("count", 1))
        except (TypeError, ValueError):
            count = 1
        if count > 0:
            counts[kind] = counts.get(kind, 0) + count
    return counts


def _rule_applies(rule: MinimumRule, counts: dict[str, int], codes: set[str]) -> bool:
    if rule.kind is not None and counts.get(rule.kind, 0) < max(rule.min_count, 1):
        return False
    if any(counts.get(k, 0) < 1 for k in rule.all_of):
        return False
    if rule.any_of and not any(counts.get(k, 0) >= 1 for k in rule.any_of):
        return False
    if any(counts.get(k, 0) >= 1 for k in rule.none_of):
        return False
    if rule.codes and not codes.intersection(rule.codes):
        return False
    return rule.kind is not None or bool(rule.all_of or rule.any_of or rule.codes)


def _rule_reason(rule: MinimumRule, counts: dict[str, int], codes: set[str]) -> str:
    values = _ZeroCounts(counts)
    values["count"] = counts.get(rule.kind, 0) if rule.kind else 0
    values["codes"] = ", ".join(sorted(codes.intersection(rule.codes)))
    return rule.reason.format_map(values)


def minimum_level(findings: Iterable[Any], codes: Iterable[str] = ()) -> tuple[str | None, list[str]]:
    """The lowest level at which a document may be released, and why: ``(level, reasons)``.

    ``findings`` are the mappings of ``scan.findings_json`` (the document's ``detected``); ``codes`` its code ids.
    Every rule of :data:`MINIMUM_RULES` that applies contributes its reason (highest level first); the level is
    the highest among them. ``(None, [])`` when no rule applies.
    """
    counts = _finding_counts(findings)
    code_set = {str(c) for c in codes or ()}
    matched = [rule for rule in MINIMUM_RULES if _rule_applies(rule, counts, code_set)]
    if not matched:
        return None, []
    matched.sort(key=lambda rule: -level_rank(rule.level))  # stable: table order within a level
    reasons: list[str] = []
    for rule in matched:
        reason = _rule_reason(rule, counts, code_set)
        if reason not in reasons:
            reasons.append(reason)
    return matched[0].level, reasons


def needs_a_look(findings: Iterable[Any], codes: Iterable[str] = ()) -> list[dict[str, Any]]:
    """The findings that no applicable rule of :data:`MINIMUM_RULES` covers (a rule covers the kinds its condition
    counts on), in the order given: they raise no minimum, so the review page lists them as "needs a look"."""
    counts = _finding_counts(findings)
    code_set = {str(c) for c in codes or ()}
    covered: set[str] = set()
    for rule in MINIMUM_RULES:
        if _rule_applies(rule, counts, code_set):
            covered |= {k for k in (rule.kind, *rule.all_of, *rule.any_of) if k and counts.get(k, 0) >= 1}
    out = []
    for finding in findings or ():
        get = getattr(finding, "get", None)
        kind = get("kind") if get is not None else None
        if isinstance(kind, str) and kind in counts and kind not in covered:
            out.append(finding)
    return out
