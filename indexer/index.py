"""The Whoosh search backend, behind a small interface (index, delete, rebuild, search with principals, snippets).

This module knows nothing of Flask, the database or the sharing protocol: callers hand it plain
:class:`IndexDoc` values (with the access *labels* each document carries) and, when searching, the caller's
*principals*. A hit is visible when its labels meet the principals. An empty principal set returns nothing,
and the filter given to Whoosh is never empty (Whoosh treats an empty filter as "no filter").
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import heapq
import itertools
import os
import re
import shutil
import threading
import time
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from html import escape
from pathlib import Path

from whoosh import highlight
from whoosh import index as whoosh_index
from whoosh import query as Q  # noqa: N812
from whoosh.analysis import Token
from whoosh.fields import ID
from whoosh.fields import KEYWORD
from whoosh.fields import NUMERIC
from whoosh.fields import TEXT
from whoosh.fields import Schema
from whoosh.qparser import GroupPlugin
from whoosh.qparser import MultifieldPlugin
from whoosh.qparser import OperatorsPlugin
from whoosh.qparser import PhrasePlugin
from whoosh.qparser import QueryParser
from whoosh.reading import SegmentReader
from whoosh.reading import TermNotFound
from whoosh.scoring import bm25
from whoosh.writing import CLEAR
from whoosh.writing import MERGE_SMALL

from indexer.analysis import text_analyzer
from indexer.expand import expand_text_query
from indexer.snapshot import FACET_FIELDS
from indexer.snapshot import FactsRegistry
from indexer.snapshot import LiveBM25F
from indexer.snapshot import SegmentFacts
from indexer.snapshot import Snapshot

#: Bump when the schema, the analysis or the segment layout changes: the index is then rebuilt from the database.
#: (4: segments are written as separate files, see :meth:`SearchIndex.apply`; 5: Arabic proclitics removed.)
SCHEMA_VERSION = 5
#: A folder of another index version is removed when nothing has written to it for this long.
STALE_VERSION_SECONDS = 24 * 3600

MAX_QUERY_CHARS = 500
MAX_QUERY_DEPTH = 8
MAX_QUERY_TERMS = 40
MAX_PAGE = 1000
MAX_PER_PAGE = 100
TEXT_FIELDS = ("title", "summary", "body")
#: Text fields whose match positions are kept in the index, so that snippets need not analyse the text again.
SNIPPET_FIELDS = ("body", "summary")
#: A segment with more than this share of deleted documents is rewritten at the next commit (answers do not
#: depend on it: relevance statistics count live documents only; it keeps the index compact).
MERGE_DELETED_SHARE = 0.25
#: Memory for the writer's posting pool before it spills to temporary files. Whoosh's peak memory is a few times
#: this; it runs inside web workers (their outbox thread), whose memory must stay small even during a rebuild.
WRITER_LIMIT_MB = 32
#: The ``level`` value of a document without a sharing level (not released yet); a facet value and a filter.
NO_LEVEL = "none"
SORTS = ("relevance", "date")

#: ``lookup(word_or_phrase)`` gives, for each taxonomy code the text names, that code's labels and aliases
#: (see :mod:`indexer.expand`); the caller builds it from the vocabulary, so this module needs no taxonomy.
AliasLookup = Callable[[str], list[list[str]]]


class IndexBusy(Exception):
    """Another process holds the index writer lock; try again later (never shown to users)."""


class QueryError(ValueError):
    """A user query that is refused: too long, too deep, too costly or malformed. ``message`` is for users."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class IndexDoc:
    """What the index stores for one document (the body is indexed, never stored)."""

    id: int
    title: str
    summary: str
    body: str
    labels: frozenset[str]
    codes: tuple[str, ...]
    code_tree: tuple[str, ...]
    org: str
    level: str
    state: str
    language: str
    published: dt.date | None
    uploaded_at: dt.datetime


@dataclass
class SearchRequest:
    """A search: free text plus structured filters. Several codes of one facet are OR-ed; facets are AND-ed;
    several levels or organisations are OR-ed. A code matches documents coded with it or with a code below it.
    ``date_from``/``date_to`` apply to the document date: its published date, else the day it was uploaded.
    ``sort`` is ``relevance`` (an empty query lists newest uploads first) or ``date`` (document date, newest
    first)."""

    text: str = ""
    codes: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    page: int = 1
    per_page: int = 20
    sort: str = "relevance"


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


def build_schema() -> Schema:
    """The index schema. Access labels, codes, organisation, level, state and dates are fields.

    ``body`` and ``summary`` keep the character positions of every term (``chars=True``) so that snippets are cut
    around them without analysing the text again; ``docid``, ``day`` (document date as an ordinal) and
    ``uploaded`` (microseconds since the epoch) are columns, read once per segment for tie-breaks, date filters and
    date order.
    """
    analyzer = text_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        docid=NUMERIC(int, bits=64, sortable=True),
        title=TEXT(analyzer=analyzer, field_boost=3.0),
        summary=TEXT(analyzer=analyzer, field_boost=1.5, chars=True),
        body=TEXT(analyzer=analyzer, chars=True),
        labels=KEYWORD(lowercase=False, scorable=False),
        codes=KEYWORD(commas=True, lowercase=False, scorable=False),
        code_tree=KEYWORD(commas=True, lowercase=False, scorable=False),
        org=ID(),
        level=ID(),
        state=ID(),
        language=ID(),
        day=NUMERIC(int, bits=32, sortable=True),
        uploaded=NUMERIC(int, bits=64, sortable=True),
    )


# ------------------------------------------------------------------------------------------------------------
# Query parsing: a restricted language (words, "phrases", AND/OR/NOT, parentheses), nothing else.
# ------------------------------------------------------------------------------------------------------------

_PAREN = re.compile(r"[()]")


def _check_shape(text: str) -> None:
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"The query is too long (more than {MAX_QUERY_CHARS} characters).")
    depth = 0
    for ch in _PAREN.findall(text):
        depth += 1 if ch == "(" else -1
        if depth > MAX_QUERY_DEPTH:
            raise QueryError(f"The query nests parentheses more than {MAX_QUERY_DEPTH} deep.")
    if len(text.split()) > MAX_QUERY_TERMS:
        raise QueryError(f"The query has more than {MAX_QUERY_TERMS} words.")


def make_parser(schema: Schema) -> QueryParser:
    """A parser over the text fields without field, wildcard, range, boost, fuzzy or "every" syntax."""
    return QueryParser(
        None,
        schema,
        plugins=[
            PhrasePlugin(),
            GroupPlugin(),
            OperatorsPlugin(AndMaybe=None, Require=None),
            MultifieldPlugin(list(TEXT_FIELDS)),
        ],
    )


def parse_user_query(schema: Schema, text: str) -> Q.Query | None:
    """Parse a user's query; ``None`` when it has no searchable word. Raises :class:`QueryError`."""
    text = (text or "").strip()
    if not text:
        return None
    _check_shape(text)
    try:
        q = make_parser(schema).parse(text)
    except (RecursionError, ValueError, IndexError) as exc:  # IndexError: Whoosh's parser on "NOT NOT a"
        raise QueryError("The query could not be understood.") from exc
    if q is None or q is Q.NullQuery:
        return None
    n_terms = sum(1 for _ in q.iter_all_terms())
    if n_terms == 0:
        return None
    if n_terms > MAX_QUERY_TERMS * len(TEXT_FIELDS):
        raise QueryError(f"The query has more than {MAX_QUERY_TERMS} words.")
    return q


# ------------------------------------------------------------------------------------------------------------
# The index
# ------------------------------------------------------------------------------------------------------------


#: Words that exercise every step of the analysis (English stemming, stop words, Arabic folding and stemming).
_PROBE = (
    "The displaced families were returning to Tawergha; detention centres in Sebha, Derna and Misrata. "
    "النازحين في سَبْهَا والمدرسة إغاثة مهاجرون تاورغاء الأطفال درنة ومصراتة اجتماع ســبــهـا االجتماع "
    "وبنغازي لمصراتة للنازحين والوزارة وبتل عفر"
)


def analysis_fingerprint() -> str:
    """A digest of what the analyzer does to a probe text, plus the schema's fields.

    Whoosh stores the analyzer by reference to our code, so a change in the analysis code would silently make
    old index terms unreachable. The index folder is named after this digest: any change in analysis behaviour
    opens a new, empty index, which is then rebuilt from the database.
    """
    schema = build_schema()
    tokens = [t.text for t in schema["body"].analyzer(_PROBE)]
    digest = hashlib.sha256(repr((SCHEMA_VERSION, sorted(schema.names()), tokens)).encode("utf-8"))
    return digest.hexdigest()[:12]


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
                fields = {
                    "id": str(doc.id),
                    "title": doc.title,
                    "summary": doc.summary,
                    "body": doc.body,
                    "labels": " ".join(sorted(doc.labels)),
                    "codes": ",".join(doc.codes),
                    "code_tree": ",".join(doc.code_tree),
                    "org": doc.org,
                    "level": doc.level or NO_LEVEL,
                    "state": doc.state,
                    "language": doc.language or "und",
                    "docid": doc.id,
                    "day": _document_day(doc),
                    "uploaded": _microseconds(doc.uploaded_at),
                }
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
        lookup: AliasLookup | None = None,
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
        """
        schema = self.schema
        if lookup is not None:
            user_q, also = expand_text_query(request.text, schema, lookup)
        else:
            user_q, also = parse_user_query(schema, request.text), []
        if not principals:
            return SearchOutcome(0, [], {}, frozenset(), also)  # fail closed: no principal, no document
        terms = _highlight_terms(user_q)
        snap = self._snapshot()
        deadline = time.monotonic() + time_limit
        want = request.page * request.per_page
        by_score = user_q is not None and request.sort != "date"
        excluded = {int(i) for i in exclude_ids}
        fields = tuple(facet_fields)
        total = 0
        counts: dict[str, dict[str, int]] = {}
        best: list[tuple] = []  # (sort key, segment number, local docnum, document id); larger keys first
        try:
            for seg_no, (sub, leaf, _offset, facts) in enumerate(snap.segments):
                allow = _segment_filter(leaf, facts, request, principals, excluded)
                if not allow:
                    continue
                if user_q is None:
                    matched = set(allow)
                    if leaf.has_deletions():
                        matched -= leaf.deleted_docs_set
                    top = _newest(leaf, facts, matched, want, by_date=request.sort == "date")
                elif by_score:
                    matched, top = _scored(sub, leaf, facts, user_q, allow, want, deadline)
                else:
                    matched = _match_set(sub, leaf, facts, user_q, allow, deadline, {})
                    top = _newest(leaf, facts, matched, want, by_date=True)
                if not matched:
                    continue
                total += len(matched)
                _count_facets(leaf, facts, matched, fields, counts)
                ids = facts.ids(leaf)
                best.extend((key, seg_no, local, ids[local]) for key, local in top)
        except RecursionError as exc:
            raise QueryError("The query is too complex.") from exc
        best.sort(key=lambda item: item[0], reverse=True)
        start = (request.page - 1) * request.per_page
        page = best[start : start + request.per_page]
        ids = [doc_id for _key, _seg, _local, doc_id in page]
        spans = _spans(snap, page, terms) if terms and page else {}
        facets = {facet: dict(sorted(values.items())) for facet, values in counts.items()}
        return SearchOutcome(total, ids, facets, terms, also, spans)

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
        if not text:
            return ""
        if terms and spans:
            html = _pinpoint_snippet(text, spans, self.schema["body"].analyzer, max_chars)
            if html is not None:
                return html
        if terms:
            analyzer = self.schema["body"].analyzer
            fragmenter = highlight.ContextFragmenter(maxchars=max_chars, surround=60)
            html = highlight.highlight(text, terms, analyzer, fragmenter, MarkFormatter(), top=2)
            if html:
                return html
        plain = " ".join(text.split())
        if len(plain) > max_chars:
            plain = plain[:max_chars].rsplit(" ", 1)[0] + " …"
        return escape(plain, quote=False)


class MarkFormatter(highlight.Formatter):
    """Highlight formatter: escaped text, matches wrapped in ``<mark>``, fragments joined by an ellipsis."""

    between = " … "

    def _text(self, text: str) -> str:
        return escape(text, quote=False)

    def format_token(self, text, token, replace=False):  # noqa: D102 - whoosh formatter protocol
        return f"<mark>{escape(highlight.get_text(text, token, replace), quote=False)}</mark>"


# ------------------------------------------------------------------------------------------------------------
# The parts of a search, per segment (local document numbers; see indexer.snapshot)
# ------------------------------------------------------------------------------------------------------------

#: Matches of a document considered for its snippet (the first ones; enough to pick two good fragments).
MAX_SNIPPET_SPANS = 64
#: How many matches are collected between two looks at the clock.
_CLOCK_EVERY = 512


def _segment_filter(leaf, facts: SegmentFacts, request: SearchRequest, principals, excluded: set[int]):
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


def _scored(sub, leaf, facts: SegmentFacts, q: Q.Query, allow, want: int, deadline: float):
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
        matched = _match_set(sub, leaf, facts, q, allow, deadline, phrases)
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
    facts_ids = ids
    superset = _superset(leaf, q)
    candidates = sorted(allow if superset is None else allow.intersection(superset))
    matcher = q.matcher(sub, sub.context(needs_current=True))
    matched: list[int] = []
    heap: list[tuple[float, int, int]] = []
    clock = 0
    for local in candidates:
        if not matcher.is_active():
            break
        if matcher.id() < local:
            matcher.skip_to(local)
            if not matcher.is_active():
                break
        if matcher.id() != local:
            continue
        matched.append(local)
        if want > 0:
            score = matcher.score()
            neg_id = -facts_ids[local]
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
        return _term_docs(leaf, q.fieldname, q.text)
    if kind is Q.Phrase:
        parts = sorted((_term_docs(leaf, q.fieldname, w) for w in q.words), key=len)
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


def _term_docs(leaf, fieldname: str, text) -> frozenset[int]:
    try:
        return frozenset(leaf.postings(fieldname, text).all_ids())
    except TermNotFound:
        return frozenset()


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
    """A query of words, phrases, AND, OR and NOT only (what :func:`_match_set` and :func:`_bag_scores` handle)."""
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


def _match_set(sub, leaf, facts: SegmentFacts, q: Q.Query, allow, deadline: float, phrases: dict) -> set[int]:
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


def _newest(leaf, facts: SegmentFacts, matched: set[int], want: int, *, by_date: bool):
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


def _count_facets(leaf, facts: SegmentFacts, matched: set[int], fields, counts: dict[str, dict[str, int]]) -> None:
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


def _spans(snap: Snapshot, page: list[tuple], terms: frozenset[str]) -> dict[int, dict[str, list[tuple]]]:
    """Character positions of the query's terms in the ``body`` and ``summary`` of the shown page's documents,
    read from the index (``{doc id: {field: [(start, end, term), ...]}}``)."""
    by_segment: dict[int, list[tuple[int, int]]] = {}
    for _key, seg_no, local, doc_id in page:
        by_segment.setdefault(seg_no, []).append((local, doc_id))
    out: dict[int, dict[str, list[tuple]]] = {}
    for seg_no, docs in by_segment.items():
        _sub, leaf, _offset, _facts = snap.segments[seg_no]
        docs.sort()
        for fieldname in SNIPPET_FIELDS:
            for term in terms:
                if (fieldname, term) not in leaf:
                    continue
                matcher = leaf.postings(fieldname, term)
                for local, doc_id in docs:
                    if not matcher.is_active():
                        break
                    if matcher.id() < local:
                        matcher.skip_to(local)
                        if not matcher.is_active():
                            break
                    if matcher.id() == local:
                        chars = matcher.value_as("characters")
                        field_spans = out.setdefault(doc_id, {}).setdefault(fieldname, [])
                        field_spans.extend((start, end, term) for _pos, start, end in chars)
    for fields in out.values():
        for field_spans in fields.values():
            field_spans.sort()
    return out


def _pinpoint_snippet(text: str, spans: list[tuple[int, int, str]], analyzer, max_chars: int) -> str | None:
    """A snippet cut around recorded match positions (Whoosh's non-re-tokenising fragmenter), or ``None`` when
    a position no longer holds its term in ``text``."""
    tokens = []
    last_start = -1
    for start, end, term in spans[:MAX_SNIPPET_SPANS]:
        if end > len(text):
            return None
        if start == last_start:  # two terms at one place (a word and its alias): keep the longer span
            if end > tokens[-1].endchar:
                tokens[-1] = Token(text=term, startchar=start, endchar=end, boost=1.0, matched=True)
            continue
        last_start = start
        tokens.append(Token(text=term, startchar=start, endchar=end, boost=1.0, matched=True))
    fragments = _best_fragments(text, tokens, max_chars)
    if not fragments:
        return None
    term_of = getattr(analyzer, "term", None)
    for fragment in fragments:
        for token in fragment.matches:
            word = text[token.startchar : token.endchar]
            if term_of is not None:
                found = [term_of(word)]
            else:
                found = [t.text for t in analyzer(word, mode="query")]
            if token.text not in found:
                return None
    return MarkFormatter()(text, _widen(text, fragments, max_chars))


def _best_fragments(text: str, tokens: list, max_chars: int, count: int = 2) -> list:
    """Up to ``count`` fragments of ``text`` around the matches, the best first chosen: the windows of at most
    ``max_chars / count`` characters (match to match) with the most distinct terms, then the most matches, the
    earliest winning ties; returned in text order. One pass over the matches (two pointers), where Whoosh's
    fragmenter and scorer build and score a fragment per match."""
    width = max(1, max_chars // count)
    chosen: list[tuple[int, int]] = []
    used = [False] * len(tokens)
    for _round in range(count):
        best = None
        j = 0
        seen: dict[str, int] = {}
        for i in range(len(tokens)):
            if j < i:
                j, seen = i, {}
            while j < len(tokens) and tokens[j].endchar - tokens[i].startchar <= width and not used[j]:
                seen[tokens[j].text] = seen.get(tokens[j].text, 0) + 1
                j += 1
            if not used[i] and j > i:
                key = (len(seen), j - i, -i)
                if best is None or key > best[0]:
                    best = (key, i, j)
            if j > i:
                term = tokens[i].text
                seen[term] -= 1
                if not seen[term]:
                    del seen[term]
        if best is None:
            break
        _key, i, j = best
        for k in range(i, j):
            used[k] = True
        chosen.append((i, j))
    fragments = []
    for i, j in sorted(chosen):
        matches = tokens[i:j]  # context is added by _widen
        fragments.append(highlight.Fragment(text, matches, matches[0].startchar, matches[-1].endchar))
    return fragments


def _widen(text: str, fragments: list, max_chars: int) -> list:
    """Give the fragments the context the snippet has room for (about ``max_chars`` in all), ending on word
    boundaries, and merge fragments that come to overlap."""
    share = max_chars // len(fragments)
    for fragment in fragments:
        room = share - (fragment.endchar - fragment.startchar)
        if room <= 0:
            continue
        start = max(0, fragment.startchar - room // 3)
        end = min(len(text), fragment.endchar + room - room // 3)
        if start > 0:
            space = text.find(" ", start, fragment.matches[0].startchar)
            start = space + 1 if space >= 0 else fragment.startchar
        if end < len(text):
            space = text.rfind(" ", fragment.matches[-1].endchar, end)
            end = space if space >= 0 else fragment.endchar
        fragment.startchar, fragment.endchar = min(start, fragment.startchar), max(end, fragment.endchar)
    merged = [fragments[0]]
    for fragment in fragments[1:]:
        last = merged[-1]
        if fragment.startchar <= last.endchar:
            last.endchar = max(last.endchar, fragment.endchar)
            last.matches = last.matches + [t for t in fragment.matches if t.startchar >= last.matches[-1].endchar]
        else:
            merged.append(fragment)
    return merged


def _highlight_terms(q: Q.Query | None) -> frozenset[str]:
    """The analysed words of a (possibly expanded) query, in the text fields: what snippets mark."""
    if q is None:
        return frozenset()
    return frozenset(text for fname, text in q.iter_all_terms(phrases=True) if fname in TEXT_FIELDS)


def _document_day(doc: IndexDoc) -> int:
    """The date filters and ``sort=date`` use, as an ordinal: the published date, else the day of upload (UTC)."""
    if doc.published is not None:
        return doc.published.toordinal()
    return _naive_utc(doc.uploaded_at).date().toordinal()


def _microseconds(value: dt.datetime) -> int:
    """A naive-UTC or aware time as whole microseconds since 1970-01-01 UTC (the upload-order column)."""
    delta = _naive_utc(value) - dt.datetime(1970, 1, 1)
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def _naive_utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


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
