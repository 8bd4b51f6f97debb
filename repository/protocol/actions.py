"""Actions as data: who may do what (:data:`PERMISSIONS`), which states allow it (:data:`TRANSITIONS`), and the
checks that raise :class:`Denied`.

Part of :mod:`repository.protocol`; import it from there.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from repository.protocol.audience import audience
from repository.protocol.audience import can_view
from repository.protocol.vocabulary import ADMIN
from repository.protocol.vocabulary import CONFIDENTIAL
from repository.protocol.vocabulary import COORDINATOR
from repository.protocol.vocabulary import LEVELS
from repository.protocol.vocabulary import PARTNER
from repository.protocol.vocabulary import RELEASED
from repository.protocol.vocabulary import RETURNED
from repository.protocol.vocabulary import STRICTLY_CONFIDENTIAL
from repository.protocol.vocabulary import SUBMITTED
from repository.protocol.vocabulary import WITHHELD
from repository.protocol.vocabulary import Actor
from repository.protocol.vocabulary import DocFacts

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


def _is_system(actor: Actor, facts: DocFacts | None) -> bool:
    return actor.system


Rule = Callable[[Actor, "DocFacts | None"], bool]

#: Who may do what. Each action lists alternatives (any may grant); each alternative is a tuple of conditions
#: (all must hold). Document actions additionally require that the actor may *see* the document (checked first,
#: so that an invisible document answers "not found", never "forbidden"). The system (:data:`SYSTEM`: the CLI,
#: background work) is a row like any other (``_is_system``): it reads and administers, but never takes a step a
#: person answers for (upload, edit, submit, review, comment, replace) and has no account of its own.
PERMISSIONS: dict[str, tuple[tuple[Rule, ...], ...]] = {
    "upload": ((_can_upload,),),
    "update": ((_is_coordinator,), (_is_contributor_of_owner, _not_released)),
    "submit": ((_is_contributor_of_owner,),),
    "review": ((_is_coordinator,),),
    "see_review_details": ((_is_coordinator,), (_is_contributor_of_owner,), (_is_system,)),
    "see_uploader": ((_is_coordinator,), (_is_contributor_of_owner,), (_is_system,)),
    "read_audit": ((_is_coordinator,), (_is_system,)),
    "review_queue": ((_is_coordinator,), (_is_system,)),
    # Filter searches by sharing level: accounts. Anonymous visitors only ever see public documents; their
    # ``level`` filter is ignored, so it can neither narrow nor probe anything (see :func:`effective_levels`).
    "filter_by_level": ((_is_account,), (_is_system,)),
    # Move documents from retired taxonomy codes to their replacements: the system only (``taxonomy migrate``).
    "migrate_codes": ((_is_system,),),
    # Rebuild the search index from the database: the system only (``flask reindex``).
    "reindex": ((_is_system,),),
    # the review loop: the request-changes exchange and the replacement of the file (see ACTION_STATES)
    "comment": ((_is_coordinator,), (_is_contributor_of_owner,)),
    "see_comments": ((_is_coordinator,), (_is_contributor_of_owner,), (_is_system,)),
    "replace": ((_is_contributor_of_owner,),),
    "manage_accounts": ((_is_admin,), (_is_system,)),
    "manage_orgs": ((_is_admin,), (_is_system,)),
    # An account mints API tokens for itself (``/account/tokens``) ...
    "create_token": ((_is_account,),),
    # ... and the operator issues one for a named account (``token create EMAIL``), acting as the system.
    "issue_token": ((_is_system,),),
    "manage_own_account": ((_is_account,),),  # own password, own API tokens, own two-factor enrolment
    # Not a permission but a duty: these accounts must pass a second factor when REPOSITORY_REQUIRE_2FA is on
    # (see :func:`~repository.protocol.accounts.second_factor_required`).
    "second_factor_required": ((_is_coordinator,), (_is_admin,)),
    # Redacted copies (repository.services.redaction): a coordinator makes a copy of a document it can see with
    # the findings of chosen scan kinds masked; the copy enters review as a new document of the same organisation.
    "redact": ((_is_coordinator,),),
    # versions (repository.protocol.versions): the owner organisation uploads a new version of a released document;
    # it and coordinators see the history and a version in review (the audience sees the released one only)
    "upload_version": ((_is_contributor_of_owner,),),
    "see_versions": ((_is_coordinator,), (_is_contributor_of_owner,), (_is_system,)),
    # Metadata-only discovery (see repository.protocol.discovery): an account asks for access to a document whose
    # metadata only it sees, lists its own requests; coordinators see every request and grant or refuse them.
    "request_access": ((_is_account,),),
    "list_access_requests": ((_is_account,), (_is_system,)),
    "see_all_access_requests": ((_is_coordinator,), (_is_system,)),
    "answer_access_requests": ((_is_coordinator,),),
}


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
        "redact",
        "upload_version",
        "see_versions",
    }
)

#: Document actions that are not workflow steps but that only some states allow (the state does not change).
#: The file may be replaced while the document waits for review or has been returned for changes; once released
#: or withheld, what was reviewed stays what is stored.
ACTION_STATES: dict[str, tuple[str, ...]] = {
    "replace": (SUBMITTED, RETURNED),
    "upload_version": (RELEASED,),  # a new version of a released document (repository.protocol.versions)
}


def allowed(actor: Actor, action: str, facts: DocFacts | None = None) -> bool:
    """Whether the role/organisation rules allow ``action`` (ignores the workflow state of review steps)."""
    if action in DOCUMENT_ACTIONS:
        if facts is None or not can_view(actor, facts):
            return False
        if action in ("view", "download"):
            return True
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
    "upload_version": "given a new version",
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
    "redact",  # a coordinator made a redacted copy (on the original and on the copy: the kinds masked, the other id)
    "new_version",  # the owner organisation uploaded a new version (detail: version, sha256, minimum level)
    "access_request",  # an account asked for access to a document it sees the metadata of (detail: request, reason)
    "access_grant",  # a coordinator granted an access request (detail: request, requester, note; and a "grant")
    "access_refuse",  # a coordinator refused an access request (detail: request, requester, note)
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


def effective_levels(actor: Actor, levels: Iterable[str]) -> list[str]:
    """The level filter a search of ``actor`` applies: the levels asked for when the protocol lets the actor filter
    by level (``filter_by_level``), none otherwise (an anonymous visitor's ``level`` is ignored, not refused)."""
    return list(levels) if allowed(actor, "filter_by_level") else []


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
