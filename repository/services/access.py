"""Metadata-only discovery and access requests: reading a discoverable document's metadata (audited ``view``), an
account's request for access with a reason, the lists of requests (coordinators: all; others: their own) and a
coordinator's answer (``grant`` adds a user grant, audited like any grant; ``refuse``). Who may is decided by
:mod:`repository.protocol.discovery`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from repository import protocol
from repository.data import db
from repository.data.models import AccessRequest
from repository.data.models import Document
from repository.data.models import User
from repository.data.models import UserGrant
from repository.data.models import utcnow
from repository.protocol import Actor
from repository.protocol import Denied
from repository.services import indexing
from repository.services.base import MAX_RATIONALE
from repository.services.base import Part
from repository.services.base import ServiceError
from repository.services.base import clean_text
from repository.services.base import denied
from repository.services.base import invalid
from repository.services.base import parse_id

#: The longest reason or note, in characters.
MAX_REASON = MAX_RATIONALE

_TRUE = ("true", "on", "1", "yes")
_FALSE = ("false", "off", "0", "no", "")


def parse_flag(value: Any, field: str) -> bool:
    """A yes/no value from JSON (a boolean) or a form (``on``, ``true``, ``1``; empty is no); 422 otherwise."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
        return value.strip().lower() in _TRUE
    raise invalid(f"{field} must be true or false.")


class AccessRequests(Part):
    """Metadata-only views, access requests and their answers."""

    def _document(self, document_id: Any) -> Document:
        row_id = parse_id(document_id)
        doc = self.session.get(Document, row_id) if row_id is not None else None
        if doc is None:
            raise ServiceError(404, "not_found", protocol.NOT_FOUND_MESSAGE)
        return doc

    def metadata(self, actor: Actor, document_id: Any) -> Document | None:
        """The document when ``actor`` sees its metadata only (a ``view`` with ``metadata_only`` is audited); None
        when it has full access (the caller reads it as usual); 404 when it sees nothing of it."""
        doc = self._document(document_id)
        facts = protocol.facts_of(doc)
        if protocol.can_view(actor, facts):
            return None
        if not protocol.metadata_only(actor, facts):
            raise ServiceError(404, "not_found", protocol.NOT_FOUND_MESSAGE)
        with db.write(self.session):
            self.ctx.audit(actor, "view", doc.id, metadata_only=True)
        return doc

    def own_request(self, actor: Actor, doc: Document) -> AccessRequest | None:
        """The actor's latest request for ``doc`` (for its page), if any."""
        if not actor.authenticated:
            return None
        return self.session.scalars(
            select(AccessRequest)
            .where(AccessRequest.document_id == doc.id, AccessRequest.requester_id == actor.user_id)
            .order_by(AccessRequest.id.desc())
            .limit(1)
        ).first()

    def request(self, actor: Actor, document_id: Any, reason: Any) -> AccessRequest:
        """Ask for access to a document whose metadata only the actor sees, with a reason (one pending at a time)."""
        doc = self._document(document_id)
        try:
            protocol.require_request_access(actor, protocol.facts_of(doc))
        except Denied as exc:
            raise denied(exc) from None
        text = clean_text(reason, "reason", MAX_REASON, required=True)
        pending = self.session.scalars(
            select(AccessRequest.id).where(
                AccessRequest.document_id == doc.id,
                AccessRequest.requester_id == actor.user_id,
                AccessRequest.state == "pending",
            )
        ).first()
        if pending is not None:
            raise ServiceError(409, "already_pending", "You already asked for access to this document.")
        with db.write(self.session):
            req = AccessRequest(document_id=doc.id, requester_id=actor.user_id, reason=text, state="pending", note="")
            self.session.add(req)
            self.session.flush()
            self.ctx.audit(actor, "access_request", doc.id, request=req.id, reason=text)
        return req

    def requests(self, actor: Actor, state: Any = None) -> list[AccessRequest]:
        """Access requests, newest first: every one for coordinators, the actor's own for other accounts;
        ``state`` (pending, granted, refused) narrows them."""
        self.ctx.require(actor, "list_access_requests")
        if state in (None, ""):
            state = None
        elif state not in protocol.REQUEST_STATES:
            raise invalid(f"state must be one of {', '.join(protocol.REQUEST_STATES)}.")
        stmt = select(AccessRequest).order_by(AccessRequest.id.desc()).limit(1000)
        if not protocol.allowed(actor, "see_all_access_requests"):
            stmt = stmt.where(AccessRequest.requester_id == actor.user_id)
        if state is not None:
            stmt = stmt.where(AccessRequest.state == state)
        return list(self.session.scalars(stmt))

    def answer(self, actor: Actor, request_id: Any, action: Any, note: Any = "") -> AccessRequest:
        """A coordinator grants (a user grant for the requester, audited as a ``grant``) or refuses a request."""
        self.ctx.require(actor, "answer_access_requests")
        row_id = parse_id(request_id)
        req = self.session.get(AccessRequest, row_id) if row_id is not None else None
        if req is None:
            raise ServiceError(404, "not_found", "No access request with this id.")
        doc = self._document(req.document_id)
        try:
            new_state = protocol.require_answer(actor, action, req.state, protocol.facts_of(doc))
        except Denied as exc:
            raise denied(exc) from None
        text = clean_text(note, "note", MAX_REASON)
        requester = self.session.get(User, req.requester_id)
        email = requester.email if requester else None
        with db.write(self.session):
            req.state = new_state
            req.answered_by_id = actor.user_id
            req.note = text
            req.answered_at = utcnow()
            detail = {"request": req.id, "requester": email, "note": text}
            if action == "grant":
                old_users = sorted(g.user.email for g in doc.user_grants)
                if all(g.user_id != req.requester_id for g in doc.user_grants):
                    doc.user_grants.append(UserGrant(user_id=req.requester_id))
                    self.ctx.audit(
                        actor,
                        "grant",
                        doc.id,
                        grant_users=sorted({*old_users, email or ""} - {""}),
                        previous_users=old_users,
                        access_request=req.id,
                    )
                    indexing.enqueue(self.session, [doc.id])  # the document's labels change
                self.ctx.audit(actor, "access_grant", doc.id, **detail)
            else:
                self.ctx.audit(actor, "access_refuse", doc.id, **detail)
        self.repo.after_index_change(wait=True)
        return req

    def titles(self, actor: Actor, requests: list[AccessRequest]) -> dict[int, str]:
        """The titles of the requests' documents that ``actor`` may see at least the metadata of (for the page)."""
        ids = {r.document_id for r in requests}
        if not ids:
            return {}
        rows = self.session.execute(
            select(Document.id, Document.title).where(
                Document.id.in_(ids), protocol.metadata_visible_clause(actor, Document)
            )
        )
        return {doc_id: title for doc_id, title in rows}
