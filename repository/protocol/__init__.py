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
from repository.protocol.actions import is_self
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
    "ACCOUNTS",
    "ACTION_STATES",
    "ADMIN",
    "ANONYMOUS",
    "AUDIENCE",
    "AUDIT_ACTIONS",
    "Actor",
    "BENEFITS",
    "CASE_TOPIC_CODES",
    "CONFIDENTIAL",
    "COORDINATOR",
    "COORDINATORS",
    "DESCRIPTIVE_FACETS",
    "DETECTED_LABELS",
    "DETENTION_CODES",
    "DOCUMENT_ACTIONS",
    "DOC_TYPE_FACET",
    "Denied",
    "DocFacts",
    "EVERYONE",
    "GRANTED_ORGS",
    "GRANTED_USERS",
    "Group",
    "IDENTIFIER_KINDS",
    "LEVELS",
    "LEVEL_DEFINITIONS",
    "LEVEL_LABELS",
    "MINIMUM_RULES",
    "MinimumRule",
    "NONE_IDENTIFIED",
    "NOT_FOUND_MESSAGE",
    "OWNER_ORG",
    "PARTNER",
    "PERMISSIONS",
    "PUBLIC",
    "RELEASED",
    "RELEASE_GATE",
    "RESTRICTED",
    "RETURNED",
    "REVIEW_ACTIONS",
    "RISKS",
    "ROLES",
    "ReleaseCondition",
    "ReleaseRecord",
    "Rule",
    "STAFF",
    "STATES",
    "STRICTLY_CONFIDENTIAL",
    "SUBMITTED",
    "SYSTEM",
    "TRANSITIONS",
    "Transition",
    "UPLOADER",
    "WITHHELD",
    "actor_for",
    "allowed",
    "audience",
    "audience_description",
    "below_minimum",
    "can_view",
    "check_release",
    "facts_of",
    "found_kinds",
    "is_self",
    "labels",
    "level_rank",
    "minimum_level",
    "needs_a_look",
    "not_considered",
    "not_considered_reason",
    "possible",
    "principals",
    "release_missing",
    "require",
    "require_in_state",
    "require_transition",
    "to_consider",
    "visible_clause",
]
