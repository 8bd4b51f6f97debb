"""Accepting suggested codes: the document's codes after some suggestions are accepted in one step."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any


def accept_suggestions(
    current: Iterable[str],
    suggestions: Mapping[str, Iterable[Mapping[str, Any]]],
    accepted: Iterable[str],
    *,
    single_valued: Iterable[str] = ("doc_type",),
) -> list[str]:
    """The document's codes after accepting some suggestions in one step.

    ``accepted`` codes are added to ``current`` (order kept, no repeats). An accepted code of a single-valued
    facet (``doc_type``) replaces the current code of that facet. Raises :class:`ValueError` naming any
    accepted code that was not among ``suggestions``.
    """
    suggested = {str(s.get("code")) for items in suggestions.values() for s in items}
    accepted = list(dict.fromkeys(accepted))
    stray = [c for c in accepted if c not in suggested]
    if stray:
        raise ValueError(f"not suggested: {', '.join(stray)}")
    single = set(single_valued)
    replaced = {c.partition(":")[0] for c in accepted if c.partition(":")[0] in single}
    kept = [c for c in current if c.partition(":")[0] not in replaced]
    chosen_single: set[str] = set()
    additions = []
    for c in accepted:
        facet = c.partition(":")[0]
        if facet in single:
            if facet in chosen_single:
                continue  # one code per single-valued facet: the first accepted wins
            chosen_single.add(facet)
        additions.append(c)
    return list(dict.fromkeys([*kept, *additions]))
