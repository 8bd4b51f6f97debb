"""The catalogue of what a caller can find, and figures about it: every document the caller can page through in
search with the same filters, one row each (:meth:`Catalogue.rows`, produced as they are read), and counts over
exactly those rows (:meth:`Catalogue.stats`).

Both are built on the caller's own search, :meth:`Listing.walk`: the hits of every page search would serve (1000
pages of 100), in its order, from one run of the searcher over its filtered match set and the same database
re-check as a page of hits. The access labels of the index, the request's checks and filters, the level filter the
protocol allows the caller, the documents left out while their index entry is stale, the re-check of every hit
and what a hit may show of a document (a metadata-only hit stays metadata only) are then the search's own, so the
catalogue and the figures cannot drift from what search shows. Paging through ``Listing.search`` itself would give
the same rows but run the searcher once per page (for 20,000 documents, 200 runs: about a minute).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from indexer.schema import NO_LEVEL
from repository import protocol
from repository.data.models import Document
from repository.protocol import Actor
from repository.services.base import Part
from repository.services.search import Listing
from repository.services.search import SearchRequest

#: Rows whose upload time, language and digest are read in one query.
ROWS_PER_READ = 100
#: The facets whose codes the figures count, with the name of their figure.
FIGURE_FACETS = {"theme": "by_theme", "location": "by_location"}


@dataclasses.dataclass(frozen=True)
class CatalogueRow:
    """One document of the catalogue, as much of it as the caller's search hit may show.

    ``metadata_only`` rows (a discoverable document outside the caller's audience) carry no ``uploaded_at``,
    ``language`` or ``sha256``; ``date`` is the document date search filters on (published, else the upload day);
    ``review_by`` is read only for those who may see the review queue.
    """

    id: int
    title: str
    org: str
    level: str | None
    state: str
    published: dt.date | None
    codes: tuple[str, ...]
    metadata_only: bool
    date: dt.date
    uploaded_at: dt.datetime | None = None
    language: str | None = None
    sha256: str | None = None
    review_by: dt.date | None = None


class Catalogue(Part):
    """The catalogue export and the figures of the dashboard."""

    def rows(self, actor: Actor, request: SearchRequest) -> Iterator[CatalogueRow]:
        """Every document ``actor`` can page through in search with ``request``'s filters and order (its page and
        per_page are ignored), in search order. The request is checked and searched before this returns, so a
        refused request raises its :class:`~repository.services.base.ServiceError` here; the rows are read from
        the database a hundred at a time as they are consumed."""
        hits = Listing(self.ctx).walk(actor, request)
        return self._pages(hits, protocol.allowed(actor, "review_queue"))

    def stats(self, actor: Actor, request: SearchRequest, today: dt.date) -> dict[str, Any]:
        """Counts over :meth:`rows`: ``total``; ``by_org`` (acronym), ``by_level`` (the level of a released
        document, ``none`` for the others) and ``by_month`` (``YYYY-MM`` of the document date), each document
        once; ``by_theme`` (theme tags, the code's short id) and ``by_location`` (P-codes; the short id of a
        place without a confirmed P-code), a code counting the documents coded below it too, as search facets do;
        for those who may see the review queue, ``due_for_review``: released documents whose ``review_by`` is on
        or before ``today``, by ``YYYY-MM`` of that date."""
        due_allowed = protocol.allowed(actor, "review_queue")
        taxonomy = self.repo.taxonomy
        total = 0
        figures: dict[str, Counter[str]] = {
            name: Counter() for name in ("by_org", "by_month", "by_level", *FIGURE_FACETS.values(), "due")
        }
        for row in self.rows(actor, request):
            total += 1
            figures["by_org"][row.org] += 1
            figures["by_month"][row.date.strftime("%Y-%m")] += 1
            figures["by_level"][(row.level or NO_LEVEL) if row.state == protocol.RELEASED else NO_LEVEL] += 1
            for code_id in taxonomy.with_ancestors(c for c in row.codes if c in taxonomy.codes):  # as the index
                code = taxonomy.codes[code_id]
                if code.facet in FIGURE_FACETS:
                    key = (code.pcode or code.short_id) if code.facet == "location" else code.short_id
                    figures[FIGURE_FACETS[code.facet]][key] += 1
            if due_allowed and row.state == protocol.RELEASED and row.review_by and row.review_by <= today:
                figures["due"][row.review_by.strftime("%Y-%m")] += 1
        out: dict[str, Any] = {"total": total}
        for name in ("by_org", "by_month", "by_level", *FIGURE_FACETS.values()):
            out[name] = dict(sorted(figures[name].items()))
        if due_allowed:
            out["due_for_review"] = dict(sorted(figures["due"].items()))
        return out

    def _pages(self, hits: Iterator[dict[str, Any]], due_allowed: bool) -> Iterator[CatalogueRow]:
        """The rows of ``hits``, read a page at a time."""
        while page := list(itertools.islice(hits, ROWS_PER_READ)):
            yield from self._rows(page, due_allowed)

    def _rows(self, hits: list[dict[str, Any]], due_allowed: bool) -> list[CatalogueRow]:
        """The rows of one page of hits: what the hit shows, plus the upload time, language, file digest (and
        review date) read for the hits that are not metadata-only."""
        if not hits:
            return []
        columns = [Document.id, Document.uploaded_at, Document.language, Document.sha256, Document.review_by]
        extra = {
            r[0]: r
            for r in self.session.execute(select(*columns).where(Document.id.in_([h["doc"].id for h in hits])))
        }
        out = []
        for hit in hits:
            doc = hit["doc"]
            found = extra.get(doc.id)
            if found is None:  # deleted since the page was searched
                continue
            _id, uploaded_at, language, sha256, review_by = found
            metadata_only = bool(hit.get("metadata_only") or getattr(doc, "metadata_only", False))
            day = doc.published or _day(uploaded_at)
            row = CatalogueRow(
                doc.id, doc.title, doc.org.acronym, doc.level, doc.state, doc.published, tuple(doc.codes),
                metadata_only, day,
            )  # fmt: skip
            if not metadata_only:
                row = dataclasses.replace(
                    row, uploaded_at=uploaded_at, language=language, sha256=sha256,
                    review_by=review_by if due_allowed else None,
                )  # fmt: skip
            out.append(row)
        return out


def _day(value: dt.datetime) -> dt.date:
    """The UTC day of a stored time (SQLite gives it back without a zone: it is UTC as written)."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.date()
