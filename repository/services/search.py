"""Finding documents: full-text and faceted search, the newest documents, the documents an organisation is working
on. Always within what the caller may see (the protocol's index labels and SQL filter, and its per-document check).

The web layer reaches search through this module only: :class:`SearchRequest` and :data:`SORTS` are the request
type and the orders it accepts, :data:`MAX_QUERY_CHARS` the longest query.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterator
from typing import Any

from sqlalchemy import literal
from sqlalchemy import select

from indexer.index import SearchOutcome
from indexer.query import MAX_PAGE
from indexer.query import MAX_PER_PAGE
from indexer.query import MAX_QUERY_CHARS
from indexer.query import SORTS
from indexer.query import QueryError
from indexer.query import SearchRequest
from indexer.schema import NO_LEVEL
from repository import protocol
from repository.data.models import Document
from repository.data.models import DocumentCode
from repository.data.models import Organisation
from repository.data.models import OrgGrant
from repository.data.models import UserGrant
from repository.knowledge.coding import alias_lookup
from repository.protocol import Actor
from repository.services import indexing
from repository.services.base import MAX_CODES
from repository.services.base import Part
from repository.services.base import ServiceError
from repository.services.base import invalid
from repository.services.base import unknown_codes

__all__ = ["MAX_QUERY_CHARS", "SORTS", "HitDocument", "HitOrg", "Listing", "SearchRequest"]

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class HitOrg:
    """The organisation of a search hit, as pages and JSON show it."""

    acronym: str


@dataclasses.dataclass(frozen=True)
class HitDocument:
    """What a search hit shows of a document (the same attribute names as the model, for pages and JSON)."""

    id: int
    title: str
    level: str | None
    state: str
    published: dt.date | None
    org: HitOrg
    codes: list[str]
    text: str
    summary: str
    #: The caller sees this document's metadata only (protocol.discovery): ``text`` is empty, no snippet is shown.
    metadata_only: bool = False


class Listing(Part):
    """Search and the lists of documents."""

    def recent(self, actor: Actor, limit: int = 10) -> list[Document]:
        """The newest documents the actor may see."""
        stmt = (
            select(Document)
            .where(protocol.visible_clause(actor, Document))
            .order_by(Document.uploaded_at.desc(), Document.id.desc())
            .limit(limit)
        )
        return list(self.session.scalars(stmt))

    def my_documents(self, actor: Actor) -> list[Document]:
        """Documents of the actor's organisation that are not released (what the uploader is working on)."""
        if not actor.authenticated or actor.org_id is None:
            return []
        stmt = (
            select(Document)
            .where(
                protocol.visible_clause(actor, Document),
                Document.org_id == actor.org_id,
                Document.state != protocol.RELEASED,
            )
            .order_by(Document.updated_at.desc())
            .limit(100)
        )
        return list(self.session.scalars(stmt))

    def search(self, actor: Actor, request: SearchRequest) -> dict[str, Any]:
        """Full-text and faceted search within what the actor may see.

        The index filters by access labels; documents with pending index changes are left out; the page of
        hits is re-checked against the database; snippets are made from database text, for permitted hits only.
        The level filter applied is the one the protocol allows the actor (:func:`protocol.effective_levels`),
        returned as ``levels``; the caller's request is not changed.
        """
        effective, outcome = self._outcome(actor, request)
        docs = self._hit_documents(actor, outcome.ids, outcome.metadata_only) if outcome.ids else {}
        dropped = [i for i in outcome.ids if i not in docs]
        if dropped:
            log.error("search index disagrees with the database for documents %s", dropped)
        hits = []
        for doc_id in outcome.ids:
            doc = docs.get(doc_id)
            if doc is None:
                continue
            if doc.metadata_only:
                hits.append({"doc": doc, "snippet": "", "metadata_only": True})
                continue
            field, text = ("body", doc.text) if doc.text else ("summary", doc.summary)
            spans = outcome.spans.get(doc_id, {}).get(field)
            snippet = self.repo.index.snippet(text, outcome.terms, spans=spans)
            hits.append({"doc": doc, "snippet": snippet})
        return {
            "total": outcome.total - len(dropped),
            "page": effective.page,
            "per_page": effective.per_page,
            "hits": hits,
            "facets": outcome.facets,
            "also_searched": outcome.also_searched,
            "levels": list(effective.levels),
        }

    def walk(self, actor: Actor, request: SearchRequest) -> Iterator[dict[str, Any]]:
        """Every hit ``actor`` can page through with ``request`` (its ``page`` and ``per_page`` aside): the hits
        of pages 1 to :data:`MAX_PAGE` of :data:`MAX_PER_PAGE`, in their order, as :meth:`search` gives them but
        without snippets. One run of the searcher over its filtered match set (no highlight positions read), the
        database re-check of :meth:`search` on :data:`MAX_PER_PAGE` ids at a time, without the text. The request
        is checked (and refused) before this returns; the re-check runs as the hits are read."""
        _effective, outcome = self._outcome(
            actor, dataclasses.replace(request, page=1, per_page=MAX_PER_PAGE), every_page=True
        )
        return self._walk_hits(actor, outcome)

    def _walk_hits(self, actor: Actor, outcome: SearchOutcome) -> Iterator[dict[str, Any]]:
        """The hits of :meth:`walk`, a page of ids at a time."""
        for start in range(0, len(outcome.ids), MAX_PER_PAGE):
            ids = outcome.ids[start : start + MAX_PER_PAGE]
            docs = self._hit_documents(actor, ids, outcome.metadata_only, with_text=False)
            dropped = [i for i in ids if i not in docs]
            if dropped:
                log.error("search index disagrees with the database for documents %s", dropped)
            for doc_id in ids:
                doc = docs.get(doc_id)
                if doc is not None:
                    yield {"doc": doc, "snippet": "", **({"metadata_only": True} if doc.metadata_only else {})}

    def _outcome(
        self, actor: Actor, request: SearchRequest, every_page: bool = False
    ) -> tuple[SearchRequest, SearchOutcome]:
        """The request checked, the level filter the protocol allows the actor applied, and the searcher's
        answer within what the actor may see (documents with pending index changes left out)."""
        if not 1 <= request.page <= 1000:
            raise ServiceError(400, "bad_request", "page must be a whole number from 1 to 1000.")
        if not 1 <= request.per_page <= 100:
            raise ServiceError(400, "bad_request", "per_page must be a whole number from 1 to 100.")
        if len(request.codes) > MAX_CODES:
            raise invalid(f"code has more than {MAX_CODES} values.")
        # Retired codes are accepted as filters: documents keep them until ``taxonomy migrate`` moves them.
        unknown = [c for c in dict.fromkeys(request.codes) if c not in self.repo.taxonomy]
        if unknown:
            raise unknown_codes(unknown)
        for level in request.levels:
            if level != NO_LEVEL:
                self.ctx.check_level(level, "level")
        if request.date_from and request.date_to and request.date_from > request.date_to:
            raise invalid("from must not be after to.")
        effective = dataclasses.replace(request, levels=protocol.effective_levels(actor, request.levels))
        if every_page:  # one run of the searcher for pages 1 to MAX_PAGE
            effective = dataclasses.replace(effective, page=1, per_page=MAX_PAGE * MAX_PER_PAGE)
        pending = indexing.pending_document_ids(self.session)
        try:
            outcome = self.repo.index.search(
                effective,
                protocol.principals(actor),
                exclude_ids=pending,
                time_limit=float(self.repo.config["SEARCH_TIME_LIMIT"]),
                lookup=alias_lookup(self.repo.taxonomy),
                meta_principals=protocol.metadata_principals(actor),
                with_spans=not every_page,
            )
        except QueryError as exc:
            raise ServiceError(400, "bad_query", exc.message) from None
        return effective, outcome

    def _hit_documents(
        self, actor: Actor, ids: list[int], meta_ids: frozenset[int] = frozenset(), with_text: bool = True
    ) -> dict[int, HitDocument]:
        """The page's documents as the database has them now, those the actor may see: the SQL filter of the
        protocol in the query, and its per-document check on the facts read back. Three light queries (the
        documents, their codes, their grants) for what a hit shows, not the full models. The index's
        metadata-only hits (``meta_ids``) are kept only where the protocol says the actor sees their metadata, and
        always shown as metadata only (no text), even if the actor has gained full access since."""
        rows = self.session.execute(
            select(
                Document.id, Document.title, Document.level, Document.state, Document.published, Document.org_id,
                Document.uploaded_by_id, Document.text if with_text else literal(""), Document.summary,
                Organisation.acronym, Document.discoverable,
            )  # fmt: skip
            .join(Organisation, Organisation.id == Document.org_id)
            .where(Document.id.in_(ids), protocol.metadata_visible_clause(actor, Document))
        ).all()
        if not rows:
            return {}
        found = [r[0] for r in rows]
        codes: dict[int, list[str]] = {}
        for doc_id, code in self.session.execute(
            select(DocumentCode.document_id, DocumentCode.code_id)
            .where(DocumentCode.document_id.in_(found))
            .order_by(DocumentCode.code_id)
        ):
            codes.setdefault(doc_id, []).append(code)
        org_grants: dict[int, set[int]] = {}
        for doc_id, org_id in self.session.execute(
            select(OrgGrant.document_id, OrgGrant.org_id).where(OrgGrant.document_id.in_(found))
        ):
            org_grants.setdefault(doc_id, set()).add(org_id)
        user_grants: dict[int, set[int]] = {}
        for doc_id, user_id in self.session.execute(
            select(UserGrant.document_id, UserGrant.user_id).where(UserGrant.document_id.in_(found))
        ):
            user_grants.setdefault(doc_id, set()).add(user_id)
        out: dict[int, HitDocument] = {}
        for doc_id, title, level, state, published, org_id, uploader_id, text, summary, acronym, discoverable in rows:
            facts = protocol.DocFacts(
                state=state,
                level=level,
                org_id=org_id,
                uploader_id=uploader_id,
                grant_org_ids=frozenset(org_grants.get(doc_id, ())),
                grant_user_ids=frozenset(user_grants.get(doc_id, ())),
                discoverable=bool(discoverable),
            )
            if doc_id in meta_ids:
                if protocol.can_see_metadata(actor, facts):
                    out[doc_id] = HitDocument(
                        doc_id, title, level, state, published, HitOrg(acronym), codes.get(doc_id, []), "",
                        summary or "", metadata_only=True,
                    )  # fmt: skip
            elif protocol.can_view(actor, facts):
                out[doc_id] = HitDocument(
                    doc_id, title, level, state, published, HitOrg(acronym), codes.get(doc_id, []), text or "",
                    summary or "",
                )  # fmt: skip
        return out
