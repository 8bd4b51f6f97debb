"""Which documents of one index segment match a query, their scores, and the best of them.

A query of words, phrases, AND, OR and NOT is answered by set algebra over the terms' postings (phrases checked
from the recorded positions, for allowed documents only) and bulk BM25F scoring of just those matches, with the
live statistics of :class:`indexer.snapshot.LiveBM25F`; anything else goes through Whoosh's own matchers.
Document numbers are local to the segment (see :mod:`indexer.snapshot`); every function watches the search's
``deadline`` and raises :class:`~indexer.query.QueryError` when it passes.
"""

from __future__ import annotations

import heapq
import itertools
import time

from whoosh import query as Q  # noqa: N812
from whoosh.scoring import bm25

from indexer.query import QueryError
from indexer.snapshot import LiveBM25F
from indexer.snapshot import SegmentFacts
from indexer.snapshot import matching_docnums
from indexer.snapshot import term_docnums

#: How many matches are collected between two looks at the clock.
_CLOCK_EVERY = 512


def scored(sub, leaf, facts: SegmentFacts, q: Q.Query, allow, want: int, deadline: float):
    """The matches in ``allow`` (a set: the total and the facet counts) and the best ``want`` of them by score, as
    ``((score, -id), local)``. Equal scores are ordered by document id (lower first), so which documents make a
    page does not depend on the order they were written in.

    A query of words, phrases, AND, OR and NOT is answered by set algebra over the terms' postings (phrases
    checked from the recorded positions, for allowed documents only) and bulk BM25F scoring of just those
    matches (:func:`_bag_scores`). Anything else goes through Whoosh's own matchers.
    """
    ids = facts.ids(leaf)
    if _plain(q):
        phrases: dict[int, frozenset[int]] = {}
        matched = match_set(sub, leaf, facts, q, allow, deadline, phrases)
        if not matched or want <= 0:
            return matched, []
        scores = _bag_scores(sub, leaf, facts, q, matched, phrases)
        if scores is not None:
            return matched, _best(scores, matched, ids, want)
    return _whoosh_pass(sub, leaf, q, allow, ids, want, deadline)


def _best(scores: dict[int, float], matched: set[int], ids: list[int], want: int) -> list[tuple]:
    """The ``want`` best of ``matched`` by (score, lower id first), as ``((score, -id), local)``: the cut-off score
    is found among the bare floats (fast), and only the documents at or above it are ordered with their ids."""
    if len(matched) > len(scores):  # documents matched only through NOT parts score 0
        scores = {**dict.fromkeys(matched, 0.0), **scores}
    if len(scores) > want:
        cutoff = heapq.nlargest(want, scores.values())[-1]
        chosen = [(s, -ids[n], n) for n, s in scores.items() if s >= cutoff]
    else:
        chosen = [(s, -ids[n], n) for n, s in scores.items()]
    chosen.sort(reverse=True)
    return [((score, neg_id), local) for score, neg_id, local in chosen[:want]]


def _whoosh_pass(sub, leaf, q: Q.Query, allow, ids: list[int], want: int, deadline: float):
    """Whoosh's scored matcher over ``q`` (a query with phrases): every match in ``allow`` collected, the best
    ``want`` kept. The matcher is only asked about candidates: allowed documents that have every word the query
    requires (:func:`_superset`), so positions are checked for those alone."""
    superset = _superset(leaf, q)
    candidates = sorted(allow if superset is None else allow.intersection(superset))
    matcher = q.matcher(sub, sub.context(needs_current=True))
    matched: list[int] = []
    heap: list[tuple[float, int, int]] = []
    clock = 0
    for local in matching_docnums(matcher, candidates):
        matched.append(local)
        if want > 0:
            score = matcher.score()
            neg_id = -ids[local]
            if len(heap) < want:
                heapq.heappush(heap, (score, neg_id, local))
            elif (score, neg_id) > heap[0][:2]:
                heapq.heapreplace(heap, (score, neg_id, local))
        clock += 1
        if clock >= _CLOCK_EVERY:
            clock = 0
            if time.monotonic() > deadline:
                raise QueryError("The query is too costly; make it more specific.")
    return set(matched), [((score, neg_id), local) for score, neg_id, local in heap]


def _superset(leaf, q: Q.Query) -> frozenset[int] | None:
    """Documents of the segment that may match ``q`` (every match is among them), or ``None`` for "any"."""
    kind = type(q)
    if kind is Q.Term:
        return term_docnums(leaf, q.fieldname, q.text)
    if kind is Q.Phrase:
        parts = sorted((term_docnums(leaf, q.fieldname, w) for w in q.words), key=len)
        return parts[0].intersection(*parts[1:]) if parts else frozenset()
    if kind is Q.And:
        parts = [p for p in (_superset(leaf, c) for c in q.subqueries) if p is not None]
        if not parts:
            return None
        parts.sort(key=len)
        return parts[0].intersection(*parts[1:])
    if kind is Q.Or:
        parts = [_superset(leaf, c) for c in q.subqueries]
        return None if any(p is None for p in parts) else frozenset().union(*parts)
    if kind is Q.AndNot:
        return _superset(leaf, q.a)
    if q is Q.NullQuery:
        return frozenset()
    return None


def _bag_scores(
    sub, leaf, facts: SegmentFacts, q: Q.Query, matched: set[int], phrases: dict[int, frozenset[int]]
) -> dict[int, float] | None:
    """BM25F scores of ``matched`` for a query of words and phrases joined by AND / OR / NOT, computed from the
    terms' postings in bulk: Whoosh's formula and live statistics (:class:`~indexer.snapshot.LiveBM25F`), without
    stepping a tree of matchers document by document. ``None`` for any other query (Whoosh then scores it).

    A document's score is the sum of the scores of the words that match it (a phrase's words count in the
    documents the phrase matched), each boosted as the query says; NOT parts add nothing. The sum runs in query
    order, so the same query on the same live documents always scores alike, whichever segments hold them.
    """
    weighting = sub.weighting
    if not isinstance(weighting, LiveBM25F):
        return None

    def walk(node, boost: float) -> dict[int, float] | None:
        boost *= getattr(node, "boost", 1.0)
        kind = type(node)
        if kind is Q.Term:
            return _term_scores(leaf, facts, weighting, node.fieldname, node.text, boost, matched)
        if kind is Q.Phrase:  # a phrase scores as its words do, in the documents where it matched
            total: dict[int, float] = {}
            where = matched.intersection(phrases.get(id(node), ()))
            for word in node.words:
                for local, score in _term_scores(leaf, facts, weighting, node.fieldname, word, boost, where).items():
                    total[local] = total.get(local, 0.0) + score
            return total
        if kind in (Q.Or, Q.And):
            total: dict[int, float] = {}
            for child in node.subqueries:
                part = walk(child, boost)
                if part is None:
                    return None
                for local, score in part.items():
                    total[local] = total.get(local, 0.0) + score
            return total
        if kind is Q.Not:
            return {} if _plain(node.query) else None
        if kind is Q.AndNot:
            return walk(node.a, boost) if _plain(node.b) else None
        if node is Q.NullQuery:
            return {}
        return None

    return walk(q, 1.0)


def _plain(node) -> bool:
    """A query of words, phrases, AND, OR and NOT only (what :func:`match_set` and :func:`_bag_scores` handle)."""
    kind = type(node)
    if kind is Q.Term or kind is Q.Phrase or node is Q.NullQuery:
        return True
    if kind in (Q.Or, Q.And):
        return all(_plain(c) for c in node.subqueries)
    if kind is Q.Not:
        return _plain(node.query)
    if kind is Q.AndNot:
        return _plain(node.a) and _plain(node.b)
    return False


def _term_scores(leaf, facts: SegmentFacts, weighting, fieldname: str, text, boost: float, matched: set[int]):
    """``{local docnum: BM25F score}`` of one term for the documents of ``matched`` that contain it."""
    field = leaf.schema[fieldname] if fieldname in leaf.schema else None
    if field is None:
        return {}
    try:
        btext = field.to_bytes(text)
    except ValueError:
        return {}
    ids, weights = facts.postings(leaf, fieldname, btext)
    if not ids:
        return {}
    if not field.scorable:
        return {n: w * boost for n, w in zip(ids, weights, strict=True) if n in matched}
    stats = weighting.stats
    idf = weighting.idf(None, fieldname, btext)
    avgfl = stats.avg_field_length(fieldname) or 1
    b = weighting._field_B.get(fieldname, weighting.B)  # noqa: SLF001 - BM25F's per-field B
    k1 = weighting.K1
    lengths = facts.lengths(leaf, fieldname)
    out = {}
    for n, w in zip(ids, weights, strict=True):
        if n in matched:
            out[n] = bm25(idf, w, lengths[n], avgfl, b, k1) * boost
    return out


def match_set(sub, leaf, facts: SegmentFacts, q: Q.Query, allow, deadline: float, phrases: dict) -> set[int]:
    """The live documents of ``allow`` (one segment) that match ``q``.

    Words, AND, OR and NOT are set operations on the terms' postings; a phrase is checked from its words'
    recorded positions, for the allowed documents that have all its words; anything else goes through
    Whoosh's own (unscored) matcher. Sets are exact within ``allow``, which is all that is kept. ``phrases``
    receives, per phrase of the query (by ``id``), the documents it matched, for scoring.
    """
    out = set(_docs(sub, leaf, facts, q, allow, deadline, phrases))
    out.intersection_update(allow)
    if leaf.has_deletions():
        out.difference_update(leaf.deleted_docs_set)
    return out


def _docs(sub, leaf, facts: SegmentFacts, q: Q.Query, allow, deadline: float, phrases: dict):
    kind = type(q)
    if kind is Q.Term:
        return frozenset(_term_postings(leaf, facts, q.fieldname, q.text)[0])
    if kind is Q.Phrase:
        found = _phrase_docs(leaf, facts, q, allow, deadline)
        phrases[id(q)] = phrases.get(id(q), frozenset()) | found
        return found
    if kind is Q.Or:
        return frozenset().union(*(_docs(sub, leaf, facts, child, allow, deadline, phrases) for child in q.subqueries))
    if kind is Q.And:
        keep = [c for c in q.subqueries if type(c) is not Q.Not]
        drop = [c.query for c in q.subqueries if type(c) is Q.Not]
        if not keep:
            result = frozenset(allow)
        else:
            # cheap parts first: a phrase is then checked only where the other words already match
            keep.sort(key=lambda c: type(c) is Q.Phrase)
            result = frozenset(allow)
            for child in keep:
                result = result.intersection(_docs(sub, leaf, facts, child, result, deadline, phrases))
                if not result:
                    return result
        for child in drop:
            if not result:
                break
            result = result.difference(_docs(sub, leaf, facts, child, result, deadline, phrases))
        return result
    if kind is Q.AndNot:
        positive = _docs(sub, leaf, facts, q.a, allow, deadline, phrases)
        return positive.difference(_docs(sub, leaf, facts, q.b, positive, deadline, phrases)) if positive else positive
    if kind is Q.Not:
        return frozenset(allow).difference(_docs(sub, leaf, facts, q.query, allow, deadline, phrases))
    if q is Q.NullQuery:
        return frozenset()
    if time.monotonic() > deadline:
        raise QueryError("The query is too costly; make it more specific.")
    return frozenset(_unscored(sub, q, allow, deadline))


def _term_postings(leaf, facts: SegmentFacts, fieldname: str, text) -> tuple[list[int], list[float]]:
    """A term's postings in one segment (``([], [])`` when the segment does not have it)."""
    if fieldname not in leaf.schema:
        return [], []
    try:
        btext = leaf.schema[fieldname].to_bytes(text)
    except ValueError:
        return [], []
    return facts.postings(leaf, fieldname, btext)


def _phrase_docs(leaf, facts: SegmentFacts, q: Q.Phrase, allow, deadline: float) -> frozenset[int]:
    """Allowed documents where the phrase's words occur in order, each right after the previous one (``slop``
    words apart at most), read from the positions the index recorded."""
    words = list(q.words)
    if not words:
        return frozenset()
    candidates = frozenset(allow)
    for word in words:
        candidates = candidates.intersection(_term_postings(leaf, facts, q.fieldname, word)[0])
        if not candidates:
            return candidates
    if len(words) == 1:
        return candidates
    wanted = sorted(candidates)
    matchers = [leaf.postings(q.fieldname, word) for word in words]
    slop = max(1, int(q.slop))
    found = []
    for count, local in enumerate(wanted):
        if count % _CLOCK_EVERY == 0 and time.monotonic() > deadline:
            raise QueryError("The query is too costly; make it more specific.")
        reach = None
        for matcher in matchers:
            if matcher.id() < local:
                matcher.skip_to(local)
            positions = matcher.value_as("positions")
            if reach is None:
                reach = set(positions)
            elif slop == 1:
                reach = {p for p in positions if p - 1 in reach}
            else:
                reach = {p for p in positions if any(1 <= p - r <= slop for r in reach)}
            if not reach:
                break
        if reach:
            found.append(local)
    return frozenset(found)


def _unscored(sub, q: Q.Query, allow, deadline: float) -> set[int]:
    """Every match of ``q`` (in ``allow`` when given) through Whoosh's unscored matcher, watching the clock."""
    found = q.matcher(sub, sub.boolean_context()).all_ids()
    matched: set[int] = set()
    while True:
        chunk = list(itertools.islice(found, 4096))
        if not chunk:
            return matched
        matched.update(chunk if allow is None else allow.intersection(chunk))
        if time.monotonic() > deadline:
            raise QueryError("The query is too costly; make it more specific.")


def newest(leaf, facts: SegmentFacts, matched: set[int], want: int, *, by_date: bool):
    """The ``want`` latest of ``matched`` as ``(key, local)``: by document date, then upload time, then id when
    ``by_date``, else by upload time, then id (an empty query lists the newest uploads first)."""
    ids = facts.ids(leaf)
    uploaded = facts.uploaded(leaf)
    if by_date:
        days = facts.days(leaf)
        keyed = (((days[n], uploaded[n], ids[n]), n) for n in matched)
    else:
        keyed = (((uploaded[n], ids[n]), n) for n in matched)
    return heapq.nlargest(want, keyed, key=lambda item: item[0])
