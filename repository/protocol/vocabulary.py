"""Roles, sharing levels and review states; who is acting (:class:`Actor`) and the access facts of a document.

Part of :mod:`repository.protocol`; import it from there.
"""

from __future__ import annotations

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
    "(and the people, on an access request) granted by a coordinator, and coordinators.",
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
    #: The coordinator made it discoverable: accounts outside its audience see its metadata (protocol.discovery).
    discoverable: bool = False


def facts_of(doc: Any) -> DocFacts:
    """Read the access facts of a document model (or of any object with the same attributes)."""
    return DocFacts(
        state=doc.state,
        level=doc.level,
        org_id=doc.org_id,
        uploader_id=doc.uploaded_by_id,
        grant_org_ids=frozenset(g.org_id for g in doc.org_grants),
        grant_user_ids=frozenset(g.user_id for g in doc.user_grants),
        discoverable=bool(getattr(doc, "discoverable", False)),
    )
