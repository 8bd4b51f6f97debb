"""The rules of a coordinator's decision beside the release gate: a return needs a rationale, a release below the
content's minimum level needs an override (and only then is one recorded), and the owner organisation needs no grant.

Part of :mod:`repository.protocol`; import it from there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from repository.protocol.actions import check_release
from repository.protocol.release import ReleaseCondition
from repository.protocol.release import ReleaseRecord
from repository.protocol.release import below_minimum
from repository.protocol.release import not_considered
from repository.protocol.release import not_considered_reason
from repository.protocol.release import release_missing
from repository.protocol.vocabulary import DocFacts

RETURN_NEEDS_RATIONALE = "A return needs a comment (rationale): what should the uploader change?"


def decision_refusal(action: str, rationale: str) -> list[str]:
    """Why a decision is refused before any release check (empty: it is not): a return needs a rationale."""
    if action == "return" and not rationale:
        return [RETURN_NEEDS_RATIONALE]
    return []


@dataclass(frozen=True)
class ReleaseVerdict:
    """What the protocol says of a release: ``reasons`` it is refused for (the values, the gate's ``missing``
    conditions, the findings ``unconsidered``), ``below`` (why the level is below the content's minimum, or "") and
    the ``override`` to record (the coordinator's, only when the level is below the minimum)."""

    reasons: list[str] = field(default_factory=list)
    missing: list[ReleaseCondition] = field(default_factory=list)
    unconsidered: list[str] = field(default_factory=list)
    below: str = ""
    override: str = ""

    @property
    def needs_override(self) -> bool:
        """Whether the level is below the minimum and no override was given (the release is then refused)."""
        return bool(self.below) and not self.override


def judge_release(
    level: str | None,
    grant_orgs: Iterable[Any],
    grant_users: Iterable[Any],
    record: ReleaseRecord,
    findings: Iterable[Any],
    considered: Iterable[str],
    minimum_level: str | None,
    override: str,
) -> ReleaseVerdict:
    """Judge a release at ``level`` with these grants, this benefit/risk ``record``, the scan ``findings`` and those
    marked ``considered``, against the content's ``minimum_level``, with the coordinator's ``override`` (text)."""
    reasons = check_release(level, grant_orgs, grant_users)
    missing = release_missing(record)
    reasons += [condition.reason for condition in missing]
    unconsidered = not_considered(level, findings, considered)
    if unconsidered:
        reasons.append(not_considered_reason(unconsidered))
    below = below_minimum(level, minimum_level)
    return ReleaseVerdict(reasons, missing, unconsidered, below, override if below else "")


def needs_grant(org_id: int | None, facts: DocFacts) -> bool:
    """Whether organisation ``org_id`` would need a grant to see the document: the owner organisation never does
    (it is not offered in the grant list)."""
    return org_id is not None and org_id != facts.org_id
