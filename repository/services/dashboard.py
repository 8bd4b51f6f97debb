"""The figures of the dashboard: the stats of :meth:`Catalogue.stats` and, from the very same walk over the
caller's own search, the share of documents coded and released and the newest document per organisation.

Nothing here reads the database on its own: every figure is a count over the rows :meth:`Catalogue.rows` yields,
which are the hits the caller can page through in search (:meth:`Listing.walk`), so the dashboard cannot count a
document the caller may not find.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from repository import protocol
from repository.protocol import Actor
from repository.services.base import Part
from repository.services.catalogue import Catalogue
from repository.services.catalogue import CatalogueRow
from repository.services.search import SearchRequest


class _Tally(Catalogue):
    """A catalogue that, while :meth:`Catalogue.stats` walks its rows, counts the dashboard's extra figures on
    the same rows (one walk of the search, not two)."""

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.coded = 0
        self.released = 0
        self.newest: dict[str, CatalogueRow] = {}

    def rows(self, actor: Actor, request: SearchRequest) -> Iterator[CatalogueRow]:
        """The catalogue's rows, each counted as it passes."""
        for row in super().rows(actor, request):
            self._count(row)
            yield row

    def _count(self, row: CatalogueRow) -> None:
        """Count one row: coded (at least one code), released, and the newest per organisation (by document
        date, then id)."""
        if row.codes:
            self.coded += 1
        if row.state == protocol.RELEASED:
            self.released += 1
        best = self.newest.get(row.org)
        if best is None or (row.date, row.id) > (best.date, best.id):
            self.newest[row.org] = row


class Dashboard(Part):
    """The dashboard's figures."""

    def figures(self, actor: Actor, request: SearchRequest, today: dt.date) -> dict[str, Any]:
        """What :meth:`Catalogue.stats` gives for ``actor`` and ``request`` (``total``, ``by_org``, ``by_month``,
        ``by_level``, ``by_theme``, ``by_location`` and, for those who may see the review queue,
        ``due_for_review``), plus, over the same rows: ``coded`` (documents with at least one code), ``released``
        (documents in the released state) and ``newest``: per organisation acronym, its newest document as
        ``{"id", "title", "date"}`` (the document date: published, else the upload day), ordered by acronym."""
        tally = _Tally(self.ctx)
        out = tally.stats(actor, request, today)
        out["coded"] = tally.coded
        out["released"] = tally.released
        out["newest"] = {
            org: {"id": row.id, "title": row.title, "date": row.date} for org, row in sorted(tally.newest.items())
        }
        return out
