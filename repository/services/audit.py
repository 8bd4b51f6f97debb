"""The audit trail, for coordinators: its events by filter (a page at a time), and the export of every matching
event (itself audited as ``audit_export``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlalchemy import select

from repository.data import db
from repository.data.models import AuditEvent
from repository.protocol import Actor
from repository.services.base import Part
from repository.services.base import ServiceError
from repository.services.base import invalid
from repository.services.base import parse_id

MAX_AUDIT_EXPORT = 100_000


@dataclass(frozen=True)
class AuditFilter:
    """The audit trail's filters: a document id, an actor's e-mail, an action and a date range (inclusive)."""

    document: Any = None
    actor_email: str | None = None
    action: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def query(self) -> Any:
        """The SELECT of matching events (400/422 for a malformed document id or an inverted range)."""
        stmt = select(AuditEvent)
        if self.document not in (None, ""):
            doc_id = parse_id(self.document)
            if doc_id is None:
                raise ServiceError(400, "bad_request", "document must be a document id.")
            stmt = stmt.where(AuditEvent.document_id == doc_id)
        if self.actor_email:
            stmt = stmt.where(AuditEvent.actor_email == self.actor_email.strip().lower())
        if self.action:
            stmt = stmt.where(AuditEvent.action == self.action.strip())
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise invalid("from must not be after to.")
        if self.date_from:
            stmt = stmt.where(AuditEvent.at >= dt.datetime.combine(self.date_from, dt.time(), dt.UTC))
        if self.date_to:
            next_day = self.date_to + dt.timedelta(days=1)
            stmt = stmt.where(AuditEvent.at < dt.datetime.combine(next_day, dt.time(), dt.UTC))
        return stmt

    def detail(self) -> dict[str, Any]:
        """The filters as recorded in the ``audit_export`` event."""
        return {
            "document": str(self.document) if self.document not in (None, "") else None,
            "actor_email": self.actor_email or None,
            "filter_action": self.action or None,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
        }


class AuditTrail(Part):
    """Reading and exporting the audit trail."""

    def events(
        self, actor: Actor, filters: AuditFilter, page: int = 1, per_page: int = 50
    ) -> tuple[int, list[AuditEvent]]:
        """Audit events matching ``filters``, newest first (coordinators only)."""
        self.ctx.require(actor, "read_audit")
        if not 1 <= page <= 100000:
            raise ServiceError(400, "bad_request", "page must be a positive whole number.")
        stmt = filters.query()
        total = self.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        rows = self.session.scalars(stmt.order_by(AuditEvent.id.desc()).offset((page - 1) * per_page).limit(per_page))
        return total, list(rows)

    def export(self, actor: Actor, filters: AuditFilter) -> list[AuditEvent]:
        """Every audit event matching ``filters`` (up to :data:`MAX_AUDIT_EXPORT`), newest first, for the CSV export
        (coordinators only). The export itself is audited as ``audit_export`` with its filters."""
        self.ctx.require(actor, "read_audit")
        stmt = filters.query()
        rows = list(self.session.scalars(stmt.order_by(AuditEvent.id.desc()).limit(MAX_AUDIT_EXPORT)))
        with db.write(self.session):
            self.ctx.audit(actor, "audit_export", **filters.detail(), rows=len(rows))
        return rows
