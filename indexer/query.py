"""What a user may ask the index: the request (:class:`SearchRequest`) and the restricted query language.

A query is words, "phrases", AND, OR, NOT and parentheses, nothing else (no field, wildcard, range, boost or fuzzy
syntax); :func:`parse_user_query` refuses a query that is too long, too deep or has too many words with a
:class:`QueryError` whose message is for users. :func:`indexer.expand.expand_text_query` parses the same way and
then adds the other names of taxonomy codes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from dataclasses import field

from whoosh import query as Q  # noqa: N812
from whoosh.fields import Schema
from whoosh.qparser import GroupPlugin
from whoosh.qparser import MultifieldPlugin
from whoosh.qparser import OperatorsPlugin
from whoosh.qparser import PhrasePlugin
from whoosh.qparser import QueryParser

from indexer.schema import TEXT_FIELDS

#: The longest query accepted, in characters.
MAX_QUERY_CHARS = 500
#: How deep parentheses may nest.
MAX_QUERY_DEPTH = 8
#: How many words a query may have.
MAX_QUERY_TERMS = 40


class QueryError(ValueError):
    """A user query that is refused: too long, too deep, too costly or malformed. ``message`` is for users."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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


#: The orders a :class:`SearchRequest` may ask for.
SORTS = ("relevance", "date")
#: The furthest page and the most hits per page a caller should ask for.
MAX_PAGE = 1000
MAX_PER_PAGE = 100


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


def without_fields(q: Q.Query | None, fields: frozenset[str]) -> Q.Query | None:
    """``q`` with every word or phrase of ``fields`` removed (Whoosh's normalisation drops the emptied branches);
    ``None`` when nothing is left. The answer then depends on the other fields alone: metadata-only documents are
    matched on their metadata (title, summary) so that a hit never tells what their text holds."""
    if q is None:
        return None

    def strip(node: Q.Query) -> Q.Query:
        if getattr(node, "fieldname", None) in fields:
            return Q.NullQuery
        if node.is_leaf():
            return node
        return node.apply(strip)

    out = strip(q).normalize()
    return None if out is Q.NullQuery else out
