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
import os
import re
import shutil
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
from whoosh.collectors import TimeLimit
from whoosh.collectors import TimeLimitCollector
from whoosh.fields import DATETIME
from whoosh.fields import ID
from whoosh.fields import KEYWORD
from whoosh.fields import TEXT
from whoosh.fields import Schema
from whoosh.qparser import GroupPlugin
from whoosh.qparser import MultifieldPlugin
from whoosh.qparser import OperatorsPlugin
from whoosh.qparser import PhrasePlugin
from whoosh.qparser import QueryParser
from whoosh.writing import CLEAR

from .analysis import text_analyzer
from .expand import expand_text_query

#: Bump when the schema or the analysis changes: the index is then rebuilt from the database.
SCHEMA_VERSION = 2
#: A folder of another index version is removed when nothing has written to it for this long.
STALE_VERSION_SECONDS = 24 * 3600

MAX_QUERY_CHARS = 500
MAX_QUERY_DEPTH = 8
MAX_QUERY_TERMS = 40
MAX_PAGE = 1000
MAX_PER_PAGE = 100
TEXT_FIELDS = ("title", "summary", "body")
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


def build_schema() -> Schema:
    """The index schema. Access labels, codes, organisation, level, state and dates are fields."""
    analyzer = text_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, field_boost=3.0),
        summary=TEXT(analyzer=analyzer, field_boost=1.5),
        body=TEXT(analyzer=analyzer),
        labels=KEYWORD(lowercase=False, scorable=False),
        codes=KEYWORD(commas=True, lowercase=False, scorable=False),
        code_tree=KEYWORD(commas=True, lowercase=False, scorable=False),
        org=ID(),
        level=ID(),
        state=ID(),
        language=ID(),
        published=DATETIME(),
        date=DATETIME(sortable=True),
        uploaded=DATETIME(sortable=True),
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
    except (RecursionError, ValueError) as exc:
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
    "النازحين في سَبْهَا والمدرسة إغاثة مهاجرون تاورغاء الأطفال درنة ومصراتة اجتماع ســبــهـا االجتماع"
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

    # -- lifecycle -------------------------------------------------------------------------------------------

    @contextmanager
    def _setup_lock(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".setup.lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

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
            writer = self.ix.writer(timeout=timeout, delay=0.05)
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
                    "uploaded": _naive_utc(doc.uploaded_at),
                    "date": _document_date(doc),
                }
                if doc.published is not None:
                    fields["published"] = dt.datetime.combine(doc.published, dt.time())
                if clear:
                    writer.add_document(**fields)
                else:
                    writer.update_document(**fields)
            if clear:
                writer.commit(mergetype=CLEAR)
            else:
                # Deleted versions of updated documents still count in relevance statistics until their segment
                # is merged; merging them away at once keeps the ranking equal to that of a rebuilt index.
                writer.commit(optimize=writer.has_deletions())
        except BaseException:
            writer.cancel()
            raise

    # -- searching -------------------------------------------------------------------------------------------

    def search(
        self,
        request: SearchRequest,
        principals: frozenset[str],
        exclude_ids: Iterable[int] = (),
        time_limit: float = 2.0,
        facet_fields: Iterable[str] = ("code_tree", "org", "level"),
        lookup: AliasLookup | None = None,
    ) -> SearchOutcome:
        """Search within what ``principals`` may see, minus ``exclude_ids`` (documents whose index entry is
        stale). Totals and facet counts come from the same filtered set as the hits.

        With ``lookup``, a query word or phrase that names a taxonomy code also searches the code's other names
        (:func:`indexer.expand.expand_text_query`); they are listed in ``also_searched`` and highlighted.
        Raises :class:`QueryError` for a refused query (checked before the access filter, so the answer is the
        same for every caller).
        """
        schema = self.ix.schema
        if lookup is not None:
            user_q, also = expand_text_query(request.text, schema, lookup)
        else:
            user_q, also = parse_user_query(schema, request.text), []
        if not principals:
            return SearchOutcome(0, [], {}, frozenset(), also)  # fail closed: no principal, no document
        empty = SearchOutcome(0, [], {}, _highlight_terms(user_q), also)
        structured = _structured_filter(request)
        q: Q.Query = user_q if user_q is not None else Q.Every()
        if structured is not None:
            q = Q.And([q, structured])
        access = Q.Or([Q.Term("labels", p) for p in sorted(principals)])
        with self.ix.searcher() as searcher:
            allowed = set(searcher.docs_for_query(access))
            excluded = [str(i) for i in exclude_ids]
            if excluded:
                allowed -= set(searcher.docs_for_query(Q.Or([Q.Term("id", i) for i in excluded])))
            if not allowed:
                return empty  # an empty filter would mean "no filter" to Whoosh
            sort_by_date = user_q is None or request.sort == "date"
            # An empty query lists the newest uploads first; sort=date orders by the document date (published,
            # else uploaded), then by upload time.
            sortedby: str | list[str] | None = None
            if request.sort == "date":
                sortedby = ["date", "uploaded"]
            elif sort_by_date:
                sortedby = "uploaded"
            # Every match is collected (Whoosh scores them all anyway) and the access filter is applied here,
            # on the complete list: Whoosh's own filter is bypassed when a TimeLimitCollector wraps it.
            collector = searcher.collector(limit=None, sortedby=sortedby, reverse=sort_by_date)
            limited = TimeLimitCollector(collector, timelimit=time_limit, use_alarm=False)
            try:
                searcher.search_with_collector(q, limited)
            except TimeLimit as exc:
                raise QueryError("The query is too costly; make it more specific.") from exc
            except RecursionError as exc:
                raise QueryError("The query is too complex.") from exc
            ranked = [(key, docnum) for key, docnum in limited.results().top_n if docnum in allowed]
            matched = {docnum for _key, docnum in ranked}
            total = len(ranked)
            start = (request.page - 1) * request.per_page
            ids = _page_ids(searcher, ranked, start, request.per_page, by_score=not sort_by_date)
            facets = self._facets(searcher, matched, facet_fields) if matched else {}
        return SearchOutcome(total, ids, facets, _highlight_terms(user_q), also)

    @staticmethod
    def _facets(searcher, matched: set[int], facet_fields: Iterable[str]) -> dict[str, dict[str, int]]:
        """Counts per facet value over ``matched`` (the hits the caller may see, all pages), so that each count
        is what a filter on that value would give. ``code_tree`` holds each document's codes with their
        ancestors: a code's count includes the documents coded below it, each document counted once."""
        out: dict[str, dict[str, int]] = {}
        reader = searcher.reader()
        for fieldname in facet_fields:
            for raw in reader.lexicon(fieldname):
                value = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                count = len(matched.intersection(searcher.docs_for_query(Q.Term(fieldname, value))))
                if not count:
                    continue
                if fieldname == "code_tree":
                    facet, _, _ = value.partition(":")
                else:
                    facet = fieldname
                out.setdefault(facet, {})[value] = count
        return out

    # -- snippets --------------------------------------------------------------------------------------------

    def snippet(self, text: str, terms: frozenset[str], max_chars: int = 300) -> str:
        """An HTML snippet of ``text``: escaped, with the query's matches in ``<mark>``.

        Call it only for documents the caller may see; the text comes from the database, not the index.
        """
        if not text:
            return ""
        if terms:
            analyzer = self.ix.schema["body"].analyzer
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


def _page_ids(searcher, ranked: list[tuple], start: int, count: int, *, by_score: bool) -> list[int]:
    """Document ids of ``ranked[start:start + count]``, with equal scores ordered by document id.

    Whoosh breaks ties by its internal document number, which depends on the order documents were written;
    ordering ties by id makes the answer the same before and after a rebuild. Only the runs of equal scores
    that touch the page are looked up.
    """
    stop = start + count
    if not by_score:
        return [int(searcher.stored_fields(n)["id"]) for _key, n in ranked[start:stop]]

    def same(a: float, b: float) -> bool:
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))

    lo = start
    while lo > 0 and lo < len(ranked) and same(ranked[lo - 1][0], ranked[lo][0]):
        lo -= 1
    hi = min(stop, len(ranked))
    while 0 < hi < len(ranked) and same(ranked[hi - 1][0], ranked[hi][0]):
        hi += 1
    window = [(key, int(searcher.stored_fields(n)["id"])) for key, n in ranked[lo:hi]]
    ordered: list[int] = []
    run: list[tuple[float, int]] = []
    for key, doc_id in window:
        if run and not same(run[0][0], key):
            ordered.extend(sorted(i for _k, i in run))
            run = []
        run.append((key, doc_id))
    ordered.extend(sorted(i for _k, i in run))
    return ordered[start - lo : stop - lo]


def _highlight_terms(q: Q.Query | None) -> frozenset[str]:
    """The analysed words of a (possibly expanded) query, in the text fields: what snippets mark."""
    if q is None:
        return frozenset()
    return frozenset(text for fname, text in q.iter_all_terms(phrases=True) if fname in TEXT_FIELDS)


def _document_date(doc: IndexDoc) -> dt.datetime:
    """The date filters and ``sort=date`` use: the published date, else the day of upload (UTC)."""
    if doc.published is not None:
        return dt.datetime.combine(doc.published, dt.time())
    return dt.datetime.combine(_naive_utc(doc.uploaded_at).date(), dt.time())


def _naive_utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _structured_filter(request: SearchRequest) -> Q.Query | None:
    parts: list[Q.Query] = []
    by_facet: dict[str, list[str]] = {}
    for code in request.codes:
        by_facet.setdefault(code.partition(":")[0], []).append(code)
    for codes in by_facet.values():
        parts.append(Q.Or([Q.Term("code_tree", c) for c in codes]))
    if request.levels:
        parts.append(Q.Or([Q.Term("level", lv) for lv in request.levels]))
    if request.orgs:
        parts.append(Q.Or([Q.Term("org", o) for o in request.orgs]))
    if request.date_from or request.date_to:
        start = dt.datetime.combine(request.date_from, dt.time()) if request.date_from else None
        end = dt.datetime.combine(request.date_to, dt.time(23, 59, 59)) if request.date_to else None
        parts.append(Q.DateRange("date", start, end))
    if not parts:
        return None
    return Q.And(parts) if len(parts) > 1 else parts[0]
