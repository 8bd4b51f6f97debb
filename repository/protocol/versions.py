"""Versions of a released document: who may upload a new one, see the history and a version in review, and
download which version. Pure, like the rest of the protocol; the rows are in :data:`~.actions.PERMISSIONS`
(``upload_version``, ``see_versions``) and :data:`~.actions.ACTION_STATES` (a new version: released documents).

The audience of a document keeps seeing its released version (the document's own columns, which the index is
built from); a version in review is seen by those who may ``see_versions`` (the owner organisation, coordinators).

Part of :mod:`repository.protocol`; import it from there or from this module.
"""

from __future__ import annotations

from collections.abc import Iterable

from repository.protocol.actions import Denied
from repository.protocol.actions import allowed
from repository.protocol.actions import require
from repository.protocol.actions import require_in_state
from repository.protocol.vocabulary import Actor
from repository.protocol.vocabulary import DocFacts

#: A version's states: waiting for review, returned for changes, withheld, released (the one the audience sees),
#: superseded (released once, replaced by a later release).
VERSION_SUBMITTED = "submitted"
VERSION_RETURNED = "returned"
VERSION_WITHHELD = "withheld"
VERSION_RELEASED = "released"
VERSION_SUPERSEDED = "superseded"
VERSION_STATES: tuple[str, ...] = (
    VERSION_SUBMITTED,
    VERSION_RETURNED,
    VERSION_WITHHELD,
    VERSION_RELEASED,
    VERSION_SUPERSEDED,
)
#: What a review decision on a version in review makes of it (a release makes it the document's content).
VERSION_DECISIONS: dict[str, str] = {
    "release": VERSION_RELEASED,
    "return": VERSION_RETURNED,
    "withhold": VERSION_WITHHELD,
}


def numbers(versions: Iterable[tuple[int, str]]) -> tuple[int, int | None]:
    """The version the document's columns hold (the last released one; 1 when none is recorded) and the version in
    review (``None`` when there is none), from the ``(number, state)`` of its recorded versions."""
    current, pending = 1, None
    for number, state in versions:
        if state == VERSION_RELEASED:
            current = max(current, number)
        elif state == VERSION_SUBMITTED:
            pending = number if pending is None else max(pending, number)
    return current, pending


def may_see_versions(actor: Actor, facts: DocFacts) -> bool:
    """Whether ``actor`` sees the history of the document and a version in review (owner organisation,
    coordinators, the system); never for a document the actor may not see."""
    return allowed(actor, "see_versions", facts)


def require_new_version(actor: Actor, facts: DocFacts, pending: int | None) -> None:
    """Raise :class:`Denied` unless ``actor`` may upload a new version now: 404 for an invisible document, 401/403
    when not the owner organisation's, 409 unless it is released and no other version waits for review."""
    require_in_state(actor, "upload_version", facts)
    if pending is not None:
        raise Denied(409, "version_pending", f"Version {pending} of this document is waiting for review.")


def require_version(actor: Actor, facts: DocFacts, number: int, current: int) -> None:
    """Raise :class:`Denied` unless ``actor`` may download version ``number`` of the document: its audience the
    current (released) version only (403 for any other number, whether it exists or not), the owner organisation
    and coordinators every version; 404 for an invisible document."""
    require(actor, "download", facts)
    if number != current:
        require(actor, "see_versions", facts)


def version_fields(actor: Actor, facts: DocFacts, current: int, pending: int | None) -> dict[str, int | None]:
    """The ``version`` and ``pending_version`` of the document JSON for ``actor`` (who may see the document):
    ``pending_version`` only for those who may see a version in review, and only while one is."""
    out: dict[str, int | None] = {"version": current}
    if may_see_versions(actor, facts):
        out["pending_version"] = pending
    return out
