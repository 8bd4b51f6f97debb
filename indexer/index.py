"""The Whoosh search backend, behind a small interface (open, write, search with principals, snippets).

This module knows nothing of Flask, the database or the sharing protocol: callers hand it plain
:class:`~indexer.schema.IndexDoc` values (with the access *labels* each document carries) and, when searching,
the caller's *principals*. A hit is visible when its labels meet the principals. An empty principal set returns
nothing, and the filter given to Whoosh is never empty (Whoosh treats an empty filter as "no filter").

The parts: the fields (:mod:`indexer.schema`), the query language and the request (:mod:`indexer.query`), alias
expansion (:mod:`indexer.expand`), per-segment facts (:mod:`indexer.snapshot`), filters and facet counts
(:mod:`indexer.filters`), matching and scoring (:mod:`indexer.matching`) and snippets (:mod:`indexer.highlight`).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
import time
from collections.abc import Iterable
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import Schema
from whoosh.reading import SegmentReader
from whoosh.writing import CLEAR
from whoosh.writing import MERGE_SMALL

from indexer.expand import Lookup
from indexer.expand import expand_text_query
from indexer.filters import count_facets
from indexer.filters import segment_filter
from indexer.highlight import highlight_terms
from indexer.highlight import make_snippet
from indexer.highlight import match_spans
from indexer.matching import match_set
from indexer.matching import newest
from indexer.matching import scored
from indexer.query import QueryError
from indexer.query import SearchRequest
from indexer.query import parse_user_query
from indexer.query import without_fields
from indexer.schema import SCHEMA_VERSION
from indexer.schema import IndexDoc
from indexer.schema import analysis_fingerprint
from indexer.schema import build_schema
from indexer.schema import document_fields
from indexer.snapshot import FACET_FIELDS
from indexer.snapshot import FactsRegistry
from indexer.snapshot import Snapshot

#: Fields a metadata-only document is never matched on (its text).
METADATA_BLIND_FIELDS = frozenset({"body"})
#: A folder of another index version is removed when nothing has written to it for this long.
STALE_VERSION_SECONDS = 24 * 3600
#: A segment with more than this share of deleted documents is rewritten at the next commit (answers do not
#: depend on it: relevance statistics count live documents only; it keeps the index compact).
MERGE_DELETED_SHARE = 0.25
#: Memory for the writer's posting pool before it spills to temporary files. Whoosh's peak memory is a few times
#: this; it runs inside web workers (their outbox thread), whose memory must stay small even during a rebuild.
WRITER_LIMIT_MB = 32


class IndexBusy(Exception):
    """Another process holds the index writer lock; try again later (never shown to users)."""


@dataclass
class SearchOutcome:
    """The ids of one page of hits (best first), the total, facet counts, the terms to highlight (the query's
    and those of its alias expansion) and the other names searched because of the expansion."""

    total: int
    ids: list[int]
    facets: dict[str, dict[str, int]]
    terms: frozenset[str]
    also_searched: list[str] = field(default_factory=list)
    #: ``{doc id: {field: [(start, end, term), ...]}}``: where the terms occur in the shown documents' ``body``
    #: and ``summary``, as the index recorded them (for :meth:`SearchIndex.snippet`; never shown as such).
    spans: dict[int, dict[str, list[tuple[int, int, str]]]] = field(default_factory=dict)
    #: The shown documents the caller sees the metadata of only (found through ``meta_principals``): matched on
    #: their metadata fields alone, without spans; the caller shows them without a snippet.
    metadata_only: frozenset[int] = frozenset()


class SearchIndex:
    """A Whoosh index in ``<root>/v<SCHEMA_VERSION>-<analysis fingerprint>``; a new folder starts from empty."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.path = self.root / f"v{SCHEMA_VERSION}-{analysis_fingerprint()}"
        self._ix: whoosh_index.Index | None = None
        self._schema: Schema | None = None
        self._local = threading.local()  # this thread's Snapshot
        self._facts = FactsRegistry()  # per-segment facts, shared by the threads

    # -- lifecycle -------------------------------------------------------------------------------------------

    @contextmanager
    def _lock(self, name: str, timeout: float | None, *, shared: bool = False) -> Iterator[bool]:
        """An advisory lock on ``<root>/<name>`` (it goes with the process): waits for it without end
        (``timeout`` None) or at most ``timeout`` seconds; yields whether it is held."""
        self.root.mkdir(parents=True, exist_ok=True)
        mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        deadline = None if timeout is None else time.monotonic() + timeout
        with open(self.root / name, "a") as fh:
            while True:
                try:
                    fcntl.flock(fh, mode if deadline is None else mode | fcntl.LOCK_NB)
                    break
                except OSError:
                    if deadline is None or time.monotonic() >= deadline:
                        yield False
                        return
                    time.sleep(0.02)
            try:
                yield True
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    @contextmanager
    def _setup_lock(self) -> Iterator[None]:
        with self._lock(".setup.lock", None):
            yield

    def apply_turn(self, timeout: float = 0.0):
        """Hold the right to apply queued changes, across processes, waiting at most ``timeout`` seconds; yields
        whether it was obtained. Whoever applies changes reads them, writes the index and marks them done while
        holding it, so no process reads changes that another has applied but not yet marked done (a second full
        rebuild, say)."""
        return self._lock(".apply.lock", timeout)

    def bulk_writer(self):
        """Mark a bulk load (an import) for its duration: the one process applying its changes holds this mark,
        and background appliers elsewhere (web workers) stand aside meanwhile (:meth:`bulk_running`), so that
        the import's commits stay large and web workers do not do its indexing. Yields whether the mark was
        taken (another bulk load may hold it)."""
        return self._lock(".bulk.lock", 0.0)

    def bulk_running(self) -> bool:
        """Whether another process holds the bulk-load mark (see :meth:`bulk_writer`)."""
        if not (self.root / ".bulk.lock").exists():
            return False
        with self._lock(".bulk.lock", 0.0, shared=True) as free:
            return not free

    def open(self) -> bool:
        """Open the index, creating it when missing. Returns True when it was created (so it needs filling).

        Folders of other schema or analysis versions are removed once nothing has written to them for
        :data:`STALE_VERSION_SECONDS` (a process still running older code keeps its own folder meanwhile).
        Safe to call from several processes at once.
        """
        created = False
        with self._setup_lock():
            if not whoosh_index.exists_in(str(self.path)):
                self.path.mkdir(parents=True, exist_ok=True)
                whoosh_index.create_in(str(self.path), build_schema())
                created = True
            now = time.time()
            for old in self.root.glob("v*"):
                if old.is_dir() and old.name != self.path.name and now - old.stat().st_mtime > STALE_VERSION_SECONDS:
                    shutil.rmtree(old, ignore_errors=True)
        self._ix = whoosh_index.open_dir(str(self.path))
        return created

    @property
    def schema(self) -> Schema:
        """The index's schema (fixed for an index folder: a different one means another folder). Whoosh's
        ``Index.schema`` reads the table of contents from disk at every access; this reads it once."""
        if self._schema is None:
            self._schema = self.ix.schema
        return self._schema

    @property
    def ix(self) -> whoosh_index.Index:
        """The open Whoosh index."""
        if self._ix is None:
            self.open()
        assert self._ix is not None
        return self._ix

    def doc_count(self) -> int:
        """Number of documents in the index."""
        return self.ix.doc_count()

    # -- writing ---------------------------------------------------------------------------------------------

    def apply(
        self,
        upserts: Iterable[IndexDoc],
        deletes: Iterable[int],
        *,
        clear: bool = False,
        timeout: float = 0.0,
    ) -> None:
        """Apply changes in one commit. Raises :class:`IndexBusy` if the lock is not free within ``timeout``.

        With ``clear`` the index is emptied in the same commit (a rebuild: readers see the old index until
        the new one is committed).
        """
        try:
            # compound=False: Whoosh opens a segment packed into one compound file by copying each of its parts
            # into memory (a BytesIO over the mapped file), so every reader opened after a commit would copy the
            # whole index: a quarter of a second and the index's size in private memory per process at 20,000
            # documents. Separate files are read through the page cache, which every process shares.
            writer = self.ix.writer(timeout=timeout, delay=0.05, limitmb=WRITER_LIMIT_MB, compound=False)
        except whoosh_index.LockError as exc:
            raise IndexBusy() from exc
        try:
            for doc_id in deletes:
                writer.delete_by_term("id", str(doc_id))
            for doc in upserts:
                fields = document_fields(doc)
                if clear:
                    writer.add_document(**fields)
                else:
                    writer.update_document(**fields)
            if clear:
                writer.commit(mergetype=CLEAR)
            else:
                writer.commit(mergetype=_merge_policy)
            _release_memory()
        except BaseException:
            writer.cancel()
            raise

    # -- searching -------------------------------------------------------------------------------------------

    def _snapshot(self) -> Snapshot:
        """This thread's searcher, renewed when another commit made a new generation of the index.

        Each thread keeps its own Whoosh searcher (they are not safe to share); the per-segment facts behind
        filters and facets are shared by every thread of the process (:class:`~indexer.snapshot.FactsRegistry`).
        """
        ix = self.ix
        snap: Snapshot | None = getattr(self._local, "snapshot", None)
        if snap is None or snap.ix is not ix or snap.generation != ix.latest_generation():
            if snap is not None:
                snap.close()
            snap = Snapshot(ix, self._facts)
            self._local.snapshot = snap
        return snap

    def search(
        self,
        request: SearchRequest,
        principals: frozenset[str],
        exclude_ids: Iterable[int] = (),
        time_limit: float = 2.0,
        facet_fields: Iterable[str] = FACET_FIELDS,
        lookup: Lookup | None = None,
        meta_principals: frozenset[str] = frozenset(),
        with_spans: bool = True,
    ) -> SearchOutcome:
        """Search within what ``principals`` may see, minus ``exclude_ids`` (documents whose index entry is
        stale). Totals and facet counts come from the same filtered set as the hits.

        The work follows the answer, not the archive: access and structured filters are sets cached per index
        segment; the query is run once over the filtered documents, collecting the match set (for the total
        and the facet counts) and keeping only the best ``page * per_page`` hits; highlight positions are read
        from the index for the shown page only. Equal scores are ordered by document id, so a rebuilt index
        gives the same order.

        With ``lookup``, a query word or phrase that names a taxonomy code also searches the code's other names
        (:func:`indexer.expand.expand_text_query`); they are listed in ``also_searched`` and highlighted.
        Raises :class:`QueryError` for a refused query (checked before the access filter, so the answer is the
        same for every caller).

        ``meta_principals`` are labels under which the caller sees documents' metadata only: those documents (not
        already visible through ``principals``) are matched on :data:`METADATA_BLIND_FIELDS`-free queries, counted
        in the total and the facets, and named in ``metadata_only``.

        ``with_spans=False`` reads no highlight positions (for a caller that shows no snippet).
        """
        schema = self.schema
        if lookup is not None:
            user_q, also = expand_text_query(request.text, schema, lookup)
        else:
            user_q, also = parse_user_query(schema, request.text), []
        if not principals:
            return SearchOutcome(0, [], {}, frozenset(), also)  # fail closed: no principal, no document
        terms = highlight_terms(user_q)
        snap = self._snapshot()
        deadline = time.monotonic() + time_limit
        want = request.page * request.per_page
        excluded = {int(i) for i in exclude_ids}
        fields = tuple(facet_fields)
        total = 0
        counts: dict[str, dict[str, int]] = {}
        best: list[tuple] = []  # (sort key, segment number, local docnum, document id); larger keys first
        # Metadata-only documents (labels meeting ``meta_principals`` but not ``principals``) are matched by the
        # query without its body words, so that neither a hit, nor the total, nor a count tells what their text holds.
        meta_q = without_fields(user_q, METADATA_BLIND_FIELDS)
        meta_search = bool(meta_principals) and (user_q is None or meta_q is not None)
        meta_hits: set[int] = set()
        try:
            for seg_no, (sub, leaf, _offset, facts) in enumerate(snap.segments):
                allow = segment_filter(leaf, facts, request, principals, excluded)
                passes = [(user_q, allow, False)]
                if meta_search:
                    meta_allow = segment_filter(leaf, facts, request, meta_principals, excluded)
                    passes.append((meta_q, meta_allow.difference(allow) if allow else meta_allow, True))
                for q, allowed, meta in passes:
                    if not allowed:
                        continue
                    matched, top = _segment_matches(sub, leaf, facts, q, allowed, want, deadline, request.sort)
                    if not matched:
                        continue
                    total += len(matched)
                    count_facets(leaf, facts, matched, fields, counts)
                    ids = facts.ids(leaf)
                    best.extend((key, seg_no, local, ids[local]) for key, local in top)
                    if meta:
                        meta_hits.update(ids[local] for _key, local in top)
        except RecursionError as exc:
            raise QueryError("The query is too complex.") from exc
        best.sort(key=lambda item: item[0], reverse=True)
        start = (request.page - 1) * request.per_page
        page = best[start : start + request.per_page]
        ids = [doc_id for _key, _seg, _local, doc_id in page]
        full_page = [item for item in page if item[3] not in meta_hits]
        spans = match_spans(snap, full_page, terms) if with_spans and terms and full_page else {}
        facets = {facet: dict(sorted(values.items())) for facet, values in counts.items()}
        metadata_only = frozenset(i for i in ids if i in meta_hits)
        return SearchOutcome(total, ids, facets, terms, also, spans, metadata_only)

    # -- snippets --------------------------------------------------------------------------------------------

    def snippet(
        self,
        text: str,
        terms: frozenset[str],
        max_chars: int = 300,
        spans: list[tuple[int, int, str]] | None = None,
    ) -> str:
        """An HTML snippet of ``text``: escaped, with the query's matches in ``<mark>``.

        ``spans`` are the matches' character positions as the index recorded them (``SearchOutcome.spans``):
        the snippet is then cut around them without analysing the text again. Each marked word is checked to
        still analyse to its term (the text comes from the database and could have changed since it was
        indexed); if not, or without spans, the text is analysed as before. Call it only for documents the
        caller may see.
        """
        return make_snippet(text, terms, self.schema["body"].analyzer, max_chars, spans)


def _segment_matches(sub, leaf, facts, q, allow, want: int, deadline: float, sort: str):
    """The documents of one segment that ``q`` matches among ``allow`` (all of them without a query), and the best
    ``want`` of them as ``(sort key, local docnum)``: by score, or newest first (``sort`` ``date``)."""
    if q is None:
        matched = set(allow)
        if leaf.has_deletions():
            matched -= leaf.deleted_docs_set
        return matched, newest(leaf, facts, matched, want, by_date=sort == "date")
    if sort != "date":
        return scored(sub, leaf, facts, q, allow, want, deadline)
    matched = match_set(sub, leaf, facts, q, allow, deadline, {})
    return matched, newest(leaf, facts, matched, want, by_date=True)


def _release_memory() -> None:
    """Give the writer's freed memory back to the system (glibc keeps freed heap pages otherwise): the writer
    runs in long-lived web workers, whose resident size should not stay at the peak of their largest commit."""
    global _MALLOC_TRIM
    if _MALLOC_TRIM is None:
        try:
            import ctypes

            _MALLOC_TRIM = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _MALLOC_TRIM = False
    if _MALLOC_TRIM:
        _MALLOC_TRIM(0)


_MALLOC_TRIM = None


def _merge_policy(writer, segments):
    """Whoosh's usual policy (merge small segments, logarithmically), plus: rewrite any segment in which more
    than :data:`MERGE_DELETED_SHARE` of the documents are deleted versions, to keep the index compact."""
    keep = []
    for segment in segments:
        if segment.doc_count_all() and segment.deleted_count() > MERGE_DELETED_SHARE * segment.doc_count_all():
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
        else:
            keep.append(segment)
    return MERGE_SMALL(writer, keep)
