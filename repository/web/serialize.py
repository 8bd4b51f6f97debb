"""Documents and events as JSON, with the fields the caller may not see left out (decided by protocol.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from typing import Any

from repository import protocol
from repository.data.models import AuditEvent
from repository.data.models import Comment
from repository.data.models import Document
from repository.knowledge.taxonomy import Taxonomy
from repository.protocol import Actor
from repository.protocol import versions as versions_protocol


def timestamp(value: dt.datetime) -> str:
    """ISO 8601 in UTC with its offset (``+00:00``): SQLite gives stored times back without a zone, so a naive
    value is UTC as it was written (every time the app stores is UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat()


def document_json(actor: Actor, doc: Document, taxonomy: Taxonomy) -> dict[str, Any]:
    """The interface's document object for ``actor`` (who must already be allowed to see ``doc``)."""
    facts = protocol.facts_of(doc)
    out: dict[str, Any] = {
        "id": doc.id,
        "title": doc.title,
        "summary": doc.summary,
        "filename": doc.filename,
        "mime": doc.file.mime,
        "size": doc.file.size,
        "sha256": doc.sha256,
        "org": doc.org.acronym,
        "uploaded_at": timestamp(doc.uploaded_at),
        "published": doc.published.isoformat() if doc.published else None,
        "state": doc.state,
        "level": doc.level,
        "proposed_level": doc.proposed_level,
        "minimum_level": doc.minimum_level,
        "codes": taxonomy.group(doc.codes),
        "suggested_codes": {
            facet: [item["code"] for item in items] for facet, items in (doc.suggested_codes or {}).items()
        },
        "suggestions": [
            {"code": item["code"], "reason": item["reason"]}
            for items in (doc.suggested_codes or {}).values()
            for item in items
        ],
        "detected": doc.detected or [],
        "language": doc.language,
        "text_status": doc.text_status,
        "derived_from": derived_from(actor, doc),
    }
    if doc.text_reason:
        out["text_reason"] = doc.text_reason
    if protocol.allowed(actor, "see_uploader", facts):
        out["uploaded_by"] = doc.uploaded_by.email
    if protocol.allowed(actor, "see_review_details", facts):
        out.update(
            risks=doc.risks or [],
            benefits=doc.benefits or [],
            rationale=doc.rationale,
            override=doc.override or None,
            minimum_reasons=doc.minimum_reasons or [],
            grant_orgs=sorted(g.org.acronym for g in doc.org_grants),
            grant_users=sorted(g.user.email for g in doc.user_grants),
            review_by=doc.review_by.isoformat() if doc.review_by else None,
            discoverable=bool(doc.discoverable),  # metadata-only discovery outside the audience (web.access)
        )
    if protocol.allowed(actor, "see_comments", facts):
        out["comments"] = [comment_json(c) for c in doc.comments]
    out.update(version_fields(actor, facts, doc.version_rows))
    return out


def version_fields(actor: Actor, facts: protocol.DocFacts, rows: Iterable[Any]) -> dict[str, int | None]:
    """``version`` (the one the caller sees: the released one) and, for those who may see it, ``pending_version``
    (the one in review, or null), from the document's recorded versions (repository.protocol.versions)."""
    current, pending = versions_protocol.numbers((row.number, row.state) for row in rows)
    return versions_protocol.version_fields(actor, facts, current, pending)


def version_json(entry: Any) -> dict[str, Any]:
    """One line of a document's version history (a :class:`~repository.services.versions.VersionEntry`)."""
    return {
        "version": entry.number,
        "sha256": entry.sha256,
        "filename": entry.filename,
        "state": entry.state,
        "uploaded_at": timestamp(entry.uploaded_at),
        "released_at": timestamp(entry.released_at) if entry.released_at else None,
        "minimum_level": entry.minimum_level,
        "detected": sorted({f.get("kind") for f in entry.detected if isinstance(f, dict)}),
        "decisions": [
            {
                "action": d.action,
                "at": timestamp(d.at),
                "by": d.actor.email if d.actor else None,
                "level": d.level,
                "rationale": d.rationale,
            }
            for d in entry.decisions
        ],
    }


def derived_from(actor: Actor, doc: Document) -> int | None:
    """The id of the document a redacted copy was made from, when ``actor`` may see that one (else None: a copy
    released more widely than its original never names it)."""
    original = doc.original if doc.derived_from is not None else None
    if original is None or not protocol.can_view(actor, protocol.facts_of(original)):
        return None
    return original.id


def comment_json(comment: Comment) -> dict[str, Any]:
    """One message of a document's review exchange."""
    return {
        "id": comment.id,
        "at": timestamp(comment.at),
        "author": comment.author_email,
        "org": comment.author_org,
        "role": comment.author_role,
        "kind": comment.kind,
        "text": comment.text,
    }


def hit_json(doc: Any, snippet: str, taxonomy: Taxonomy) -> dict[str, Any]:
    """One search hit (``doc``: a :class:`~repository.services.HitDocument`, or a model with the same attributes)."""
    out = {
        "id": doc.id,
        "title": doc.title,
        "snippet": snippet,
        "level": doc.level,
        "state": doc.state,
        "org": doc.org.acronym,
        "published": doc.published.isoformat() if doc.published else None,
        "codes": taxonomy.group(doc.codes),
    } | ({"metadata_only": True} if getattr(doc, "metadata_only", False) else {})
    if out.get("metadata_only"):
        del out["snippet"]  # a metadata-only hit (protocol.discovery) shows no text at all
    return out


def event_json(event: AuditEvent) -> dict[str, Any]:
    """One audit event."""
    return {
        "at": timestamp(event.at),
        "actor": event.actor_email,
        "action": event.action,
        "document_id": event.document_id,
        "detail": event.detail or {},
        "request_id": event.request_id,
    }


AUDIT_CSV_COLUMNS = ("at", "actor", "action", "document_id", "ip", "detail", "request_id")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula: text starting with = + - @ (or a tab or carriage
    return) gets a leading apostrophe (OWASP CSV injection advice)."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def events_csv(events: Iterable[AuditEvent]) -> str:
    """Audit events as CSV (header first); ``detail`` as compact JSON; every cell guarded against formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(AUDIT_CSV_COLUMNS)
    for event in events:
        writer.writerow(
            csv_cell(value)
            for value in (
                timestamp(event.at),
                event.actor_email or "",
                event.action,
                event.document_id if event.document_id is not None else "",
                event.ip or "",
                json.dumps(event.detail or {}, ensure_ascii=False, sort_keys=True) if event.detail else "",
                event.request_id or "",
            )
        )
    return buffer.getvalue()
