"""What a search needs besides Whoosh's postings, computed once and reused until the index changes.

A Whoosh index is a list of *segments*. A segment's documents never change after it is written; only their
deletion marks grow (an updated document is deleted in its old segment and added to a new one). Everything
here hangs on that fact:

* :class:`SegmentFacts` keeps, per segment, the derived sets a search filters and counts with: the documents
  carrying each access label, each facet value (``code_tree``, ``org``, ``level``), the document ids and dates.
  It is built lazily, once per segment, and shared by every search of the process until the segment is merged
  away. A new upload therefore costs the caches one small segment, not the archive.
* :class:`LiveStats` gives the relevance statistics of the *live* documents only (document count, document
  frequency of a term, average field length). Whoosh's own statistics count deleted versions until their
  segment is merged, so an index that was updated would rank differently from one rebuilt from the database;
  with live statistics both rank alike without merging the whole index at every update.
* :class:`Snapshot` is one thread's open searcher over one index generation, with its statistics.

Sets hold *segment-local* document numbers. Deleted documents may remain in a set built before they were
deleted; every use either goes through a Whoosh matcher (which skips deleted documents) or subtracts the
segment's deletions explicitly.
"""

from __future__ import annotations

import threading
import weakref
from bisect import bisect_left
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterable
from collections.abc import Iterator
from math import log

from whoosh import scoring
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher

#: Fields whose values are counted as facets and used as filters.
FACET_FIELDS = ("code_tree", "org", "level")
#: Access sets kept per segment for the most recent distinct sets of principals (each account has its own set, so
#: this stays small; the per-label sets it is made from are all kept, and their union is cheap).
MAX_CACHED_PRINCIPALS = 16
#: Postings (document number, weight) of recently searched terms kept per segment, in entries: this many per
#: document of the segment (a term in every document costs one entry per document), plus a floor.
POSTINGS_PER_DOCUMENT = 16
POSTINGS_FLOOR = 10_000


def _leaves(reader) -> list[tuple[object, int]]:
    if reader.is_atomic():
        return [(reader, 0)]
    return list(reader.leaf_readers())


def term_docnums(reader, fieldname: str, text: str) -> frozenset[int]:
    """Local numbers of the (live) documents of ``reader`` that have ``text`` in ``fieldname``."""
    try:
        return frozenset(reader.postings(fieldname, text).all_ids())
    except TermNotFound:
        return frozenset()


class SegmentFacts:
    """Derived, immutable facts about one segment; see the module docstring. Thread-safe."""

    def __init__(self, segment_id: str) -> None:
        self.segment_id = segment_id
        self._lock = threading.Lock()
        self._labels: dict[str, frozenset[int]] = {}
        self._allowed: OrderedDict[frozenset[str], frozenset[int]] = OrderedDict()
        self._values: dict[str, dict[str, frozenset[int]]] = {}
        self._columns: dict[str, list[int]] = {}  # docid, day, uploaded
        self._id_index: dict[int, int] | None = None
        self._by_day: tuple[list[int], list[int]] | None = None
        self._length_sums: dict[str, int] = {}
        self._lengths: dict[str, list[int]] = {}
        self._postings: OrderedDict[tuple[str, bytes], tuple[list[int], list[float]]] = OrderedDict()
        self._postings_size = 0

    # -- access ------------------------------------------------------------------------------------------------

    def allowed(self, reader, principals: frozenset[str]) -> frozenset[int]:
        """Documents of this segment that carry at least one of ``principals`` as an access label."""
        with self._lock:
            hit = self._allowed.get(principals)
            if hit is not None:
                self._allowed.move_to_end(principals)
                return hit
        parts = []
        for label in principals:
            with self._lock:
                docs = self._labels.get(label)
            if docs is None:
                docs = term_docnums(reader, "labels", label)
                with self._lock:
                    self._labels[label] = docs
            parts.append(docs)
        allowed = frozenset().union(*parts) if parts else frozenset()
        with self._lock:
            self._allowed[principals] = allowed
            while len(self._allowed) > MAX_CACHED_PRINCIPALS:
                self._allowed.popitem(last=False)
        return allowed

    # -- facet values --------------------------------------------------------------------------------------------

    def values(self, reader, fieldname: str) -> dict[str, frozenset[int]]:
        """Every value of a facet field in this segment, with the documents that have it."""
        with self._lock:
            known = self._values.get(fieldname)
        if known is not None:
            return known
        out: dict[str, frozenset[int]] = {}
        for raw in reader.lexicon(fieldname):
            value = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            docs = term_docnums(reader, fieldname, value)
            if docs:
                out[value] = docs
        with self._lock:
            self._values[fieldname] = out
        return out

    def value_set(self, reader, fieldname: str, value: str) -> frozenset[int]:
        """Documents of this segment with ``value`` in ``fieldname`` (empty when none)."""
        return self.values(reader, fieldname).get(value, frozenset())

    # -- per-document columns ----------------------------------------------------------------------------------

    def _column(self, reader, fieldname: str) -> list[int]:
        """A numeric column of this segment (one value per local document), read once."""
        known = self._columns.get(fieldname)
        if known is None:
            known = list(reader.column_reader(fieldname))
            with self._lock:
                self._columns[fieldname] = known
        return known

    def ids(self, reader) -> list[int]:
        """Document id of each local document number."""
        return self._column(reader, "docid")

    def local_docnum(self, reader, doc_id: int) -> int | None:
        """The local number of document ``doc_id`` in this segment, if it was written here."""
        if self._id_index is None:
            index = {doc_id: n for n, doc_id in enumerate(self.ids(reader))}
            with self._lock:
                self._id_index = index
        return self._id_index.get(doc_id)

    def days(self, reader) -> list[int]:
        """Document date (published, else the day of upload) of each local document, as a proleptic ordinal."""
        return self._column(reader, "day")

    def uploaded(self, reader) -> list[int]:
        """Upload time of each local document, in microseconds since the epoch."""
        return self._column(reader, "uploaded")

    def day_range(self, reader, first: int | None, last: int | None) -> frozenset[int]:
        """Documents whose date lies in ``[first, last]`` (ordinals; ``None`` leaves that side open)."""
        if self._by_day is None:
            days = self.days(reader)
            order = sorted(range(len(days)), key=days.__getitem__)
            with self._lock:
                self._by_day = ([days[n] for n in order], order)
        keys, order = self._by_day
        lo = 0 if first is None else bisect_left(keys, first)
        hi = len(keys) if last is None else bisect_right(keys, last)
        return frozenset(order[lo:hi])

    def lengths(self, reader, fieldname: str) -> list[int]:
        """The (stored, approximate) length of ``fieldname`` in each document written in this segment."""
        known = self._lengths.get(fieldname)
        if known is None:
            length = reader.doc_field_length
            known = [length(n, fieldname, 0) or 0 for n in range(reader.doc_count_all())]
            with self._lock:
                self._lengths[fieldname] = known
        return known

    def length_sum(self, reader, fieldname: str) -> int:
        """Sum of the field lengths of every document written in this segment (deleted ones included)."""
        total = self._length_sums.get(fieldname)
        if total is None:
            total = sum(self.lengths(reader, fieldname))
            with self._lock:
                self._length_sums[fieldname] = total
        return total

    def postings(self, reader, fieldname: str, btext: bytes) -> tuple[list[int], list[float]]:
        """Local document numbers and weights of one term's postings in this segment, deleted documents
        included (callers intersect with live matches). The most recently used terms are kept, within a budget
        proportional to the segment's size (:data:`POSTINGS_PER_DOCUMENT`)."""
        key = (fieldname, btext)
        with self._lock:
            hit = self._postings.get(key)
            if hit is not None:
                self._postings.move_to_end(key)
                return hit
        hit = _read_postings(reader, fieldname, btext)
        budget = POSTINGS_FLOOR + POSTINGS_PER_DOCUMENT * reader.doc_count_all()
        with self._lock:
            self._postings[key] = hit
            self._postings_size += len(hit[0]) + 1  # an absent term costs an entry too
            while self._postings_size > budget and len(self._postings) > 1:
                _key, (old_ids, _w) = self._postings.popitem(last=False)
                self._postings_size -= len(old_ids) + 1
        return hit


def _read_postings(reader, fieldname: str, btext: bytes) -> tuple[list[int], list[float]]:
    """All (local document number, weight) postings of a term in one segment, block by block.

    Reads the pinned whoosh-reloaded 2.7.5 leaf matcher's decoded blocks directly (one list extension per block
    of up to 128 postings instead of two method calls per posting); any other matcher is stepped through its
    public methods.
    """
    if (fieldname, btext) not in reader:
        return [], []
    matcher = reader._terms.matcher(fieldname, btext, reader.schema[fieldname].format)  # noqa: SLF001
    ids: list[int] = []
    weights: list[float] = []
    blockwise = all(hasattr(matcher, a) for a in ("_read_ids", "_read_weights", "_next_block", "_blocklength"))
    if blockwise:
        while matcher.is_active():
            matcher._read_ids()  # noqa: SLF001
            matcher._read_weights()  # noqa: SLF001
            count = matcher._blocklength  # noqa: SLF001
            ids.extend(matcher._ids[:count])  # noqa: SLF001
            weights.extend(matcher._weights[:count])  # noqa: SLF001
            matcher._next_block()  # noqa: SLF001
        return ids, weights
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return ids, weights


class FactsRegistry:
    """The :class:`SegmentFacts` of every segment in use, shared by the threads of one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._facts: dict[str, SegmentFacts] = {}

    def for_reader(self, reader) -> list[tuple[object, int, SegmentFacts]]:
        """``(segment reader, offset, facts)`` for each segment of ``reader``; facts of gone segments dropped."""
        leaves = _leaves(reader)
        out = []
        with self._lock:
            keep: dict[str, SegmentFacts] = {}
            for leaf, offset in leaves:
                segment = leaf.segment() if hasattr(leaf, "segment") else None
                if segment is None:
                    continue  # an empty index
                segid = segment.segment_id()
                facts = self._facts.get(segid) or SegmentFacts(segid)
                keep[segid] = facts
                out.append((leaf, offset, facts))
            # other generations still open in other threads may need facts of older segments: keep the union
            # of what is current and what was recently used, bounded by the number of segments in use
            self._facts.update(keep)
            if len(self._facts) > 4 * max(len(keep), 8):
                self._facts = keep
        return out


class LiveStats:
    """Relevance statistics over the live documents of one index generation (see the module docstring)."""

    def __init__(self, leaves: list[tuple[object, int, SegmentFacts]]) -> None:
        self.leaves = leaves
        self.doc_count = sum(leaf.doc_count() for leaf, _o, _f in leaves)
        self._lock = threading.Lock()
        self._df: dict[tuple[str, bytes | str], int] = {}
        self._avgfl: dict[str, float] = {}

    def doc_frequency(self, fieldname: str, text) -> int:
        """Number of live documents with ``text`` in ``fieldname``."""
        key = (fieldname, text)
        known = self._df.get(key)
        if known is not None:
            return known
        n = 0
        for leaf, _offset, _facts in self.leaves:
            if key not in leaf:
                continue
            n += leaf.doc_frequency(fieldname, text)
            if leaf.has_deletions():
                n -= _deleted_with_term(leaf, fieldname, text)
        with self._lock:
            self._df[key] = n
        return n

    def avg_field_length(self, fieldname: str) -> float:
        """Average (approximate) length of ``fieldname`` over the live documents."""
        known = self._avgfl.get(fieldname)
        if known is not None:
            return known
        total = 0
        for leaf, _offset, facts in self.leaves:
            total += facts.length_sum(leaf, fieldname)
            if leaf.has_deletions():
                total -= sum(leaf.doc_field_length(n, fieldname, 0) or 0 for n in leaf.deleted_docs_set)
        value = total / (self.doc_count or 1)
        with self._lock:
            self._avgfl[fieldname] = value
        return value


def _deleted_with_term(leaf, fieldname: str, text) -> int:
    """How many deleted documents of segment ``leaf`` contain the term (they still count in its statistics)."""
    deleted = sorted(leaf.deleted_docs_set)
    if not deleted:
        return 0
    btext = leaf._text_to_bytes(fieldname, text)  # noqa: SLF001 - whoosh-reloaded 2.7.5 is pinned
    # The segment's raw postings, without the reader's deletion filter (a private API of the pinned version).
    matcher = leaf._terms.matcher(fieldname, btext, leaf.schema[fieldname].format)  # noqa: SLF001
    return sum(1 for _docnum in matching_docnums(matcher, deleted))


def matching_docnums(matcher, docnums: Iterable[int]) -> Iterator[int]:
    """The numbers of ``docnums`` (ascending) at which ``matcher`` has a posting, stepping it forward (never back);
    the matcher stands on each number when it is yielded (read its score or positions then). Stops when the
    matcher runs out."""
    for docnum in docnums:
        if not matcher.is_active():
            return
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
            if not matcher.is_active():
                return
        if matcher.id() == docnum:
            yield docnum


class LiveBM25F(scoring.BM25F):
    """Whoosh's BM25F with the live statistics of :class:`LiveStats` (same formula, same parameters)."""

    def __init__(self, stats: LiveStats, **kwargs) -> None:
        super().__init__(**kwargs)
        self.stats = stats

    def idf(self, searcher, fieldname, text):  # noqa: D102 - whoosh weighting protocol
        n = self.stats.doc_frequency(fieldname, text)
        return log(self.stats.doc_count / (n + 1)) + 1

    def scorer(self, searcher, fieldname, text, qf=1):  # noqa: D102 - whoosh weighting protocol
        if not searcher.schema[fieldname].scorable:
            return scoring.WeightScorer.for_(searcher, fieldname, text)
        b = self._field_B.get(fieldname, self.B)
        return _LiveBM25FScorer(searcher, fieldname, text, b, self.K1, qf, self.stats)


class _LiveBM25FScorer(scoring.BM25FScorer):
    def __init__(self, searcher, fieldname, text, b, k1, qf, stats: LiveStats) -> None:  # noqa: D107
        self.idf = searcher.get_parent().idf(fieldname, text)
        self.avgfl = stats.avg_field_length(fieldname) or 1
        self.B = b
        self.K1 = k1
        self.qf = qf
        self.setup(searcher, fieldname, text)


class Snapshot:
    """One thread's searcher over one generation of the index, with live statistics and segment facts."""

    def __init__(self, ix, registry: FactsRegistry) -> None:
        # A fresh reader, never ``reuse=``: Whoosh would hand back an open segment reader whenever the segment id
        # is unchanged, with the deletion marks it had when it was opened (an updated document would show twice).
        reader = ix.reader()
        self.ix = ix
        self.reader = reader
        self.generation = reader.generation()
        self.leaves = registry.for_reader(reader)
        self.stats = LiveStats(self.leaves)
        self.searcher = Searcher(reader, weighting=LiveBM25F(self.stats), fromindex=ix, closereader=True)
        # the searcher's own sub-searchers, in the same order as the reader's leaves
        subs = [sub for sub, _offset in self.searcher.leaf_searchers()] if self.leaves else []
        self.segments = [
            (sub, leaf, offset, facts) for sub, (leaf, offset, facts) in zip(subs, self.leaves, strict=True)
        ]
        # The reader holds open files: close them when the snapshot is dropped (its thread ended, its index was
        # let go) even if nobody calls close(). A finalizer, not __del__: it runs before the files' own.
        self._close = weakref.finalize(self, self.searcher.close)

    def close(self) -> None:
        """Close the searcher and its reader (once)."""
        self._close()
