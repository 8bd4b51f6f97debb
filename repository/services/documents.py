"""One document: reading it (audited ``view``), downloading its file (``download``), editing its metadata and codes,
accepting code suggestions, and the review exchange (comments)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from repository import protocol
from repository.data import db
from repository.data.models import Comment
from repository.data.models import Document
from repository.data.models import DocumentCode
from repository.data.models import utcnow
from repository.protocol import Actor
from repository.services import indexing
from repository.services.base import MAX_CODES
from repository.services.base import MAX_COMMENT
from repository.services.base import MAX_SUMMARY
from repository.services.base import MAX_TITLE
from repository.services.base import Part
from repository.services.base import ServiceError
from repository.services.base import clean_list
from repository.services.base import clean_text
from repository.services.base import invalid
from repository.services.base import parse_date
from repository.services.records import accept_codes
from repository.services.records import add_comment
from repository.services.records import set_minimum
from repository.services.records import with_suggestions

log = logging.getLogger(__name__)

#: The fields :meth:`Documents.update` changes.
EDITABLE = frozenset({"title", "summary", "published", "codes"})


@dataclass
class Download:
    """What a route needs to send a stored original as an attachment."""

    path: Path
    mime: str
    filename: str
    size: int


class Documents(Part):
    """Reading, downloading and editing one document; its review exchange."""

    def require(self, actor: Actor, document_id: Any, action: str) -> Document:
        """The document, if ``actor`` may do ``action`` to it (404 when invisible, 401/403 when not theirs)."""
        return self.ctx.visible(actor, document_id, action)

    def get(self, actor: Actor, document_id: Any, *, audit: bool = True) -> Document:
        """A document the actor may see (404 otherwise); records a ``view``."""
        doc = self.ctx.visible(actor, document_id)
        if audit:
            with db.write(self.session):
                self.ctx.audit(actor, "view", doc.id)
        return doc

    def download(self, actor: Actor, document_id: Any) -> Download:
        """The stored original of a visible document; records a ``download``."""
        doc = self.ctx.visible(actor, document_id, "download")
        path = self.repo.store.path_for(doc.sha256)
        if not path.is_file():
            log.error("stored file of document %s is missing", doc.id)
            raise ServiceError(404, "file_missing", "The file of this document is not available.")
        with db.write(self.session):
            self.ctx.audit(actor, "download", doc.id)
        return Download(path=path, mime=doc.file.mime, filename=doc.filename, size=doc.file.size)

    def update(self, actor: Actor, document_id: Any, changes: dict[str, Any]) -> Document:
        """Change title, summary, published date or codes (owner organisation before release; coordinators)."""
        doc = self.ctx.visible(actor, document_id, "update")
        unknown = sorted(set(changes) - EDITABLE)
        if unknown:
            raise invalid(f"These fields cannot be changed here: {', '.join(unknown)}.")
        values: dict[str, Any] = {}
        if "title" in changes:
            values["title"] = clean_text(changes["title"], "title", MAX_TITLE, required=True)
        if "summary" in changes:
            values["summary"] = clean_text(changes["summary"], "summary", MAX_SUMMARY)
        if "published" in changes:
            values["published"] = parse_date(changes["published"], "published")
        codes = None
        if "codes" in changes:
            codes = self.ctx.check_codes(clean_list(changes["codes"], "codes", MAX_CODES))
        with db.write(self.session):
            for key, value in values.items():
                setattr(doc, key, value)
            if codes is not None:
                doc.code_rows = [DocumentCode(code_id=c) for c in codes]
                set_minimum(doc)
            doc.updated_at = utcnow()
            self.ctx.audit(actor, "update", doc.id, fields=sorted(changes))
            indexing.enqueue(self.session, [doc.id])
        self.repo.after_index_change(wait=True)
        return doc

    def accept_suggestions(self, actor: Actor, document_id: Any, codes: Any) -> Document:
        """Add suggested codes to a document in one step (the same permission as :meth:`update`).

        ``codes`` is a list of code ids taken from the document's suggestions, or ``"all"`` for every suggestion
        not applied yet. An accepted document type replaces the current one (one type per document). A suggested
        code retired since is offered as its replacement. Audited as ``update``; the index follows via the outbox.
        """
        doc = self.ctx.visible(actor, document_id, "update")
        if codes != "all":
            codes = clean_list(codes, "codes", MAX_CODES)
            if not codes:
                raise invalid("codes must list at least one suggested code (or send all: true).")
        new_codes = with_suggestions(self.ctx, doc, codes)
        if set(new_codes) == set(doc.codes):
            return doc
        with db.write(self.session):
            accept_codes(self.ctx, actor, doc, new_codes)
            indexing.enqueue(self.session, [doc.id])
        self.repo.after_index_change(wait=True)
        return doc

    def comment(self, actor: Actor, document_id: Any, text: Any) -> Comment:
        """Add a message to a document's review exchange (coordinators, and the owner organisation)."""
        doc = self.ctx.visible(actor, document_id)
        self.ctx.require(actor, "comment", doc)
        text = clean_text(text, "text", MAX_COMMENT, required=True)
        with db.write(self.session):
            comment = add_comment(self.ctx, actor, doc, "comment", text)
            self.session.flush()
            self.ctx.audit(actor, "comment", doc.id, comment_id=comment.id, text=text)
        return comment

    def comments(self, actor: Actor, doc: Document) -> list[Comment]:
        """The review exchange of a document, oldest first, for those who may see it (else an empty list)."""
        if not protocol.allowed(actor, "see_comments", protocol.facts_of(doc)):
            return []
        return list(self.session.scalars(select(Comment).where(Comment.document_id == doc.id).order_by(Comment.id)))

    def document_comments(self, actor: Actor, document_id: Any) -> list[Comment]:
        """The review exchange of a visible document (404 when invisible, 403 when not the caller's to read)."""
        doc = self.ctx.visible(actor, document_id)
        self.ctx.require(actor, "see_comments", doc)
        return self.comments(actor, doc)
