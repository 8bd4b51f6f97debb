"""What several services write about a document inside their own transaction: its minimum level, a decision of its
review history, a message of its review exchange, accepted code suggestions."""

from __future__ import annotations

from typing import Any

from repository import protocol
from repository.data.models import Comment
from repository.data.models import Decision
from repository.data.models import Document
from repository.data.models import DocumentCode
from repository.data.models import utcnow
from repository.knowledge.coding import accept_suggestions as merge_accepted_codes
from repository.protocol import Actor
from repository.services.base import MAX_CODES
from repository.services.base import Context
from repository.services.base import ServiceError
from repository.services.base import invalid


def set_minimum(doc: Document) -> None:
    """The minimum level follows the scan findings and the codes (the rule table in ``protocol``)."""
    doc.minimum_level, doc.minimum_reasons = protocol.minimum_level(doc.detected or [], doc.codes)


def raise_minimum(doc: Document) -> None:
    """Before a release: a document scanned under an older rule table gets the current rules' minimum when it
    is higher than the stored one (never lower: the stored minimum follows every change of text or codes)."""
    level, reasons = protocol.minimum_level(doc.detected or [], doc.codes)
    if level is not None and (doc.minimum_level is None or protocol.level_rank(level) > protocol.level_rank(
        doc.minimum_level
    )):
        doc.minimum_level, doc.minimum_reasons = level, reasons


def decide(
    ctx: Context,
    actor: Actor,
    doc: Document,
    action: str,
    new_state: str,
    rationale: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    """Record a step of the review history and move the document to ``new_state``."""
    ctx.session.add(
        Decision(
            document_id=doc.id,
            actor_id=actor.user_id,
            action=action,
            from_state=doc.state,
            to_state=new_state,
            level=doc.level,
            rationale=rationale,
            detail={k: v for k, v in (detail or {}).items() if v not in (None, "", [])},
        )
    )
    doc.state = new_state
    doc.updated_at = utcnow()


def add_comment(ctx: Context, actor: Actor, doc: Document, kind: str, text: str) -> Comment:
    """Add a message (``comment`` or a ``return``'s rationale) to the document's review exchange."""
    user = ctx.user(actor)
    comment = Comment(
        document_id=doc.id,
        author_id=actor.user_id,
        author_email=user.email if user else None,
        author_org=user.org.acronym if user else None,
        author_role=actor.role,
        kind=kind,
        text=text,
    )
    ctx.session.add(comment)
    return comment


def with_suggestions(ctx: Context, doc: Document, codes: Any) -> list[str]:
    """The document's codes once ``codes`` (suggested code ids, or ``"all"``) are accepted; 422
    ``not_suggested`` for a code that is not among its suggestions."""
    taxonomy = ctx.repo.taxonomy
    suggestions: dict[str, list[dict[str, Any]]] = {}
    for facet, items in (doc.suggested_codes or {}).items():
        for item in items:
            code = str(item.get("code"))
            if code in taxonomy:
                suggestions.setdefault(facet, []).append({**item, "code": taxonomy.current(code)})
    suggested = [item["code"] for items in suggestions.values() for item in items]
    if codes == "all":
        wanted = [c for c in dict.fromkeys(suggested) if c not in doc.codes]
    else:
        wanted = list(codes)
        stray = [c if len(c) <= 80 else c[:80] + "…" for c in wanted if c not in suggested]
        if stray:
            raise ServiceError(
                422,
                "not_suggested",
                f"Not among this document's suggestions: {', '.join(stray[:5])}.",
                not_suggested=stray[:20],
            )
        ctx.check_codes(wanted)
    new_codes = merge_accepted_codes(doc.codes, suggestions, wanted)
    if len(new_codes) > MAX_CODES:
        raise invalid(f"A document may have at most {MAX_CODES} codes.")
    return new_codes


def accept_codes(ctx: Context, actor: Actor, doc: Document, new_codes: list[str]) -> list[str]:
    """Give ``doc`` the codes ``new_codes`` (from :func:`with_suggestions`) inside the caller's transaction;
    audited as ``update``. Returns the codes added."""
    added = [c for c in new_codes if c not in doc.codes]
    removed = [c for c in doc.codes if c not in new_codes]
    if not added and not removed:
        return []
    kept = [row for row in doc.code_rows if row.code_id in new_codes]
    doc.code_rows = kept + [DocumentCode(code_id=c) for c in added]
    set_minimum(doc)
    doc.updated_at = utcnow()
    ctx.audit(actor, "update", doc.id, fields=["codes"], accepted_suggestions=added, removed_codes=removed)
    return added
