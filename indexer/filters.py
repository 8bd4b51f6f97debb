"""Structured filters and facet counts of a search, per index segment (local document numbers).

Both work on the per-segment sets of :class:`indexer.snapshot.SegmentFacts`: :func:`segment_filter` gives the
documents of a segment that the caller may see and that pass the request's filters (codes, levels,
organisations, dates, stale entries left out); :func:`count_facets` adds how many of the matches carry each facet
value.
"""

from __future__ import annotations

from indexer.query import SearchRequest
from indexer.snapshot import SegmentFacts


def segment_filter(leaf, facts: SegmentFacts, request: SearchRequest, principals, excluded: set[int]):
    """Documents of one segment that the caller may see and that pass the request's structured filters."""
    allow = facts.allowed(leaf, principals)
    if not allow:
        return allow
    by_facet: dict[str, list[str]] = {}
    for code in request.codes:
        by_facet.setdefault(code.partition(":")[0], []).append(code)
    parts = [[facts.value_set(leaf, "code_tree", c) for c in codes] for codes in by_facet.values()]
    if request.levels:
        parts.append([facts.value_set(leaf, "level", lv) for lv in request.levels])
    if request.orgs:
        parts.append([facts.value_set(leaf, "org", o) for o in request.orgs])
    for alternatives in parts:
        allow = allow.intersection(frozenset().union(*alternatives))
        if not allow:
            return allow
    if request.date_from or request.date_to:
        first = request.date_from.toordinal() if request.date_from else None
        last = request.date_to.toordinal() if request.date_to else None
        allow = allow.intersection(facts.day_range(leaf, first, last))
    if excluded and allow:
        local = {facts.local_docnum(leaf, i) for i in excluded}
        local.discard(None)
        if local:
            allow = allow.difference(local)
    return allow


def count_facets(leaf, facts: SegmentFacts, matched: set[int], fields, counts: dict[str, dict[str, int]]) -> None:
    """Add, per facet value, how many of ``matched`` have it (a code counts the documents coded below it too:
    ``code_tree`` holds each document's codes with their ancestors, each document once)."""
    for fieldname in fields:
        for value, docs in facts.values(leaf, fieldname).items():
            n = len(docs.intersection(matched)) if len(docs) <= len(matched) else len(matched.intersection(docs))
            if not n:
                continue
            facet = value.partition(":")[0] if fieldname == "code_tree" else fieldname
            bucket = counts.setdefault(facet, {})
            bucket[value] = bucket.get(value, 0) + n
