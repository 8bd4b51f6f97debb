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

from repository.protocol.accounts import MAX_ACTIVE_TOKENS
from repository.protocol.accounts import MAX_TOKEN_DAYS
from repository.protocol.accounts import SELF_CHANGE_REFUSALS
from repository.protocol.accounts import TokenRules
from repository.protocol.accounts import is_self
from repository.protocol.accounts import own_tokens_clause
from repository.protocol.accounts import owns_token
from repository.protocol.accounts import second_factor_required
from repository.protocol.accounts import self_change_refusal
from repository.protocol.accounts import token_rules
from repository.protocol.actions import ACTION_STATES
from repository.protocol.actions import AUDIT_ACTIONS
from repository.protocol.actions import DETECTED_LABELS
from repository.protocol.actions import DOCUMENT_ACTIONS
from repository.protocol.actions import NOT_FOUND_MESSAGE
from repository.protocol.actions import PERMISSIONS
from repository.protocol.actions import REVIEW_ACTIONS
from repository.protocol.actions import TRANSITIONS
from repository.protocol.actions import Denied
from repository.protocol.actions import Rule
from repository.protocol.actions import Transition
from repository.protocol.actions import allowed
from repository.protocol.actions import audience_description
from repository.protocol.actions import check_release
from repository.protocol.actions import effective_levels
from repository.protocol.actions import possible
from repository.protocol.actions import require
from repository.protocol.actions import require_in_state
from repository.protocol.actions import require_transition
from repository.protocol.audience import ACCOUNTS
from repository.protocol.audience import AUDIENCE
from repository.protocol.audience import COORDINATORS
from repository.protocol.audience import EVERYONE
from repository.protocol.audience import GRANTED_ORGS
from repository.protocol.audience import GRANTED_USERS
from repository.protocol.audience import OWNER_ORG
from repository.protocol.audience import UPLOADER
from repository.protocol.audience import Group
from repository.protocol.audience import audience
from repository.protocol.audience import can_view
from repository.protocol.audience import labels
from repository.protocol.audience import principals
from repository.protocol.audience import visible_clause
from repository.protocol.discovery import ANSWERS
from repository.protocol.discovery import DISCOVERABLE_LEVELS
from repository.protocol.discovery import META_PREFIX
from repository.protocol.discovery import METADATA_AUDIENCE
from repository.protocol.discovery import REQUEST_STATES
from repository.protocol.discovery import can_see_metadata
from repository.protocol.discovery import discoverable_refusal
from repository.protocol.discovery import index_labels
from repository.protocol.discovery import metadata_audience
from repository.protocol.discovery import metadata_clause
from repository.protocol.discovery import metadata_labels
from repository.protocol.discovery import metadata_only
from repository.protocol.discovery import metadata_only_clause
from repository.protocol.discovery import metadata_principals
from repository.protocol.discovery import metadata_visible_clause
from repository.protocol.discovery import require_answer
from repository.protocol.discovery import require_request_access
from repository.protocol.release import BENEFITS
from repository.protocol.release import CASE_TOPIC_CODES
from repository.protocol.release import DESCRIPTIVE_FACETS
from repository.protocol.release import DETENTION_CODES
from repository.protocol.release import DOC_TYPE_FACET
from repository.protocol.release import IDENTIFIER_KINDS
from repository.protocol.release import MINIMUM_RULES
from repository.protocol.release import NONE_IDENTIFIED
from repository.protocol.release import RELEASE_GATE
from repository.protocol.release import RISKS
from repository.protocol.release import MinimumRule
from repository.protocol.release import ReleaseCondition
from repository.protocol.release import ReleaseRecord
from repository.protocol.release import below_minimum
from repository.protocol.release import found_kinds
from repository.protocol.release import minimum_level
from repository.protocol.release import needs_a_look
from repository.protocol.release import not_considered
from repository.protocol.release import not_considered_reason
from repository.protocol.release import release_missing
from repository.protocol.release import to_consider
from repository.protocol.review import RETURN_NEEDS_RATIONALE
from repository.protocol.review import ReleaseVerdict
from repository.protocol.review import decision_refusal
from repository.protocol.review import judge_release
from repository.protocol.review import needs_grant
from repository.protocol.vocabulary import ADMIN
from repository.protocol.vocabulary import ANONYMOUS
from repository.protocol.vocabulary import CONFIDENTIAL
from repository.protocol.vocabulary import COORDINATOR
from repository.protocol.vocabulary import LEVEL_DEFINITIONS
from repository.protocol.vocabulary import LEVEL_LABELS
from repository.protocol.vocabulary import LEVELS
from repository.protocol.vocabulary import PARTNER
from repository.protocol.vocabulary import PUBLIC
from repository.protocol.vocabulary import RELEASED
from repository.protocol.vocabulary import RESTRICTED
from repository.protocol.vocabulary import RETURNED
from repository.protocol.vocabulary import ROLES
from repository.protocol.vocabulary import STAFF
from repository.protocol.vocabulary import STATES
from repository.protocol.vocabulary import STRICTLY_CONFIDENTIAL
from repository.protocol.vocabulary import SUBMITTED
from repository.protocol.vocabulary import SYSTEM
from repository.protocol.vocabulary import WITHHELD
from repository.protocol.vocabulary import Actor
from repository.protocol.vocabulary import DocFacts
from repository.protocol.vocabulary import actor_for
from repository.protocol.vocabulary import facts_of
from repository.protocol.vocabulary import level_rank

__all__ = [
    "ANSWERS",
    "can_see_metadata",
    "DISCOVERABLE_LEVELS",
    "discoverable_refusal",
    "index_labels",
    "META_PREFIX",
    "METADATA_AUDIENCE",
    "metadata_audience",
    "metadata_clause",
    "metadata_labels",
    "metadata_only",
    "metadata_only_clause",
    "metadata_principals",
    "metadata_visible_clause",
    "REQUEST_STATES",
    "require_answer",
    "require_request_access",
    "ACCOUNTS",
    "ACTION_STATES",
    "Actor",
    "actor_for",
    "ADMIN",
    "allowed",
    "ANONYMOUS",
    "audience",
    "AUDIENCE",
    "audience_description",
    "AUDIT_ACTIONS",
    "below_minimum",
    "BENEFITS",
    "can_view",
    "CASE_TOPIC_CODES",
    "check_release",
    "CONFIDENTIAL",
    "COORDINATOR",
    "COORDINATORS",
    "decision_refusal",
    "Denied",
    "DESCRIPTIVE_FACETS",
    "DETECTED_LABELS",
    "DETENTION_CODES",
    "DOC_TYPE_FACET",
    "DocFacts",
    "DOCUMENT_ACTIONS",
    "effective_levels",
    "EVERYONE",
    "facts_of",
    "found_kinds",
    "GRANTED_ORGS",
    "GRANTED_USERS",
    "Group",
    "IDENTIFIER_KINDS",
    "is_self",
    "judge_release",
    "labels",
    "LEVEL_DEFINITIONS",
    "LEVEL_LABELS",
    "level_rank",
    "LEVELS",
    "MAX_ACTIVE_TOKENS",
    "MAX_TOKEN_DAYS",
    "minimum_level",
    "MINIMUM_RULES",
    "MinimumRule",
    "needs_a_look",
    "needs_grant",
    "NONE_IDENTIFIED",
    "not_considered",
    "not_considered_reason",
    "NOT_FOUND_MESSAGE",
    "own_tokens_clause",
    "OWNER_ORG",
    "owns_token",
    "PARTNER",
    "PERMISSIONS",
    "possible",
    "principals",
    "PUBLIC",
    "RELEASE_GATE",
    "release_missing",
    "ReleaseCondition",
    "RELEASED",
    "ReleaseRecord",
    "ReleaseVerdict",
    "require",
    "require_in_state",
    "require_transition",
    "RESTRICTED",
    "RETURN_NEEDS_RATIONALE",
    "RETURNED",
    "REVIEW_ACTIONS",
    "RISKS",
    "ROLES",
    "Rule",
    "second_factor_required",
    "self_change_refusal",
    "SELF_CHANGE_REFUSALS",
    "STAFF",
    "STATES",
    "STRICTLY_CONFIDENTIAL",
    "SUBMITTED",
    "SYSTEM",
    "to_consider",
    "token_rules",
    "TokenRules",
    "Transition",
    "TRANSITIONS",
    "UPLOADER",
    "visible_clause",
    "WITHHELD",
]
