"""What the search index holds: its fields, the version that names its folder, and one document's values.

:func:`build_schema` is the Whoosh schema (text fields analysed by :func:`indexer.analysis.text_analyzer`, access
labels, codes, organisation, level, state and dates as fields); :class:`IndexDoc` is what a caller hands the index
for one document and :func:`document_fields` what Whoosh is given for it. :func:`analysis_fingerprint` changes
whenever the analysis does, so that a new analysis opens a new, empty index (see :class:`indexer.index.SearchIndex`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from whoosh.fields import ID
from whoosh.fields import KEYWORD
from whoosh.fields import NUMERIC
from whoosh.fields import TEXT
from whoosh.fields import Schema

from indexer.analysis import text_analyzer

#: Bump when the schema, the analysis or the segment layout changes: the index is then rebuilt from the database.
#: (4: segments are written as separate files, see :meth:`indexer.index.SearchIndex.apply`; 5: Arabic proclitics
#: removed.)
SCHEMA_VERSION = 6

#: The analysed text fields a query searches.
TEXT_FIELDS = ("title", "summary", "body")
#: Text fields whose match positions are kept in the index, so that snippets need not analyse the text again.
SNIPPET_FIELDS = ("body", "summary")

#: The ``level`` value of a document without a sharing level (not released yet); a facet value and a filter.
NO_LEVEL = "none"


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


def document_fields(doc: IndexDoc) -> dict[str, object]:
    """The values Whoosh is given for ``doc``, field by field (see :func:`build_schema`)."""
    return dict(
        id=str(doc.id),
        title=doc.title,
        summary=doc.summary,
        body=doc.body,
        labels=" ".join(sorted(doc.labels)),
        codes=",".join(doc.codes),
        code_tree=",".join(doc.code_tree),
        org=doc.org,
        level=doc.level or NO_LEVEL,
        state=doc.state,
        language=doc.language or "und",
        docid=doc.id,
        day=_document_day(doc),
        uploaded=_microseconds(doc.uploaded_at),
    )


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
