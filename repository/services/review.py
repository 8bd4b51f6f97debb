"""The review workflow: the owner organisation's (re)submission, a coordinator's decision (release at a level with
grants, return for changes, withhold), the review history, the coordinators' queue and whom a release may grant."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from repository import protocol
from repository.data import db
from repository.data.models import Decision
from repository.data.models import Document
from repository.data.models import Organisation
from repository.data.models import OrgGrant
from repository.data.models import User
from repository.data.models import UserGrant
from repository.protocol import Actor
from repository.protocol import Denied
from repository.services import indexing
from repository.services import versions
from repository.services.access import parse_flag
from repository.services.base import MAX_CODES
from repository.services.base import MAX_GRANTS
from repository.services.base import MAX_RATIONALE
from repository.services.base import Part
from repository.services.base import ServiceError
from repository.services.base import clean_list
from repository.services.base import clean_text
from repository.services.base import denied
from repository.services.base import invalid
from repository.services.base import parse_date
from repository.services.records import accept_codes
from repository.services.records import add_comment
from repository.services.records import decide
from repository.services.records import raise_minimum
from repository.services.records import with_suggestions


class Reviews(Part):
    """Submission, decisions, history and the queue of the review workflow."""

    def submit(self, actor: Actor, document_id: Any) -> Document:
        """The owner organisation sends a returned document back to review."""
        doc = self.ctx.visible(actor, document_id)
        new_state = _transition(actor, "submit", doc)
        with db.write(self.session):
            decide(self.ctx, actor, doc, "submit", new_state)
            self.ctx.audit(actor, "submit", doc.id)
            indexing.enqueue(self.session, [doc.id])
        self.repo.after_index_change(wait=True)
        return doc

    def review(self, actor: Actor, document_id: Any, data: dict[str, Any]) -> Document:
        """A coordinator's decision: ``release`` (at a level, with grants), ``return`` or ``withhold``."""
        doc = self.ctx.visible(actor, document_id)
        pending = versions.pending_of(self.session, doc)  # a new version in review: the decision is about it
        action = data.get("action")
        if action not in protocol.REVIEW_ACTIONS:
            raise invalid(f"action must be one of {', '.join(protocol.REVIEW_ACTIONS)}.")
        new_state = _transition(actor, action, doc, pending)
        rationale = clean_text(data.get("rationale"), "rationale", MAX_RATIONALE)
        override = clean_text(data.get("override"), "override", MAX_RATIONALE)
        risks = clean_list(data.get("risks"), "risks", len(protocol.RISKS))
        benefits = clean_list(data.get("benefits"), "benefits", len(protocol.BENEFITS))
        bad = [r for r in risks if r not in protocol.RISKS] + [b for b in benefits if b not in protocol.BENEFITS]
        if bad:
            raise invalid(
                f"Unknown risk or benefit: {', '.join(bad[:5])}.",
                allowed_risks=list(protocol.RISKS),
                allowed_benefits=list(protocol.BENEFITS),
            )
        review_by = parse_date(data.get("review_by"), "review_by")
        grant_orgs = [g.upper() for g in clean_list(data.get("grant_orgs"), "grant_orgs", MAX_GRANTS, 32)]
        grant_users = [g.lower() for g in clean_list(data.get("grant_users"), "grant_users", MAX_GRANTS, 254)]
        considered = clean_list(data.get("considered"), "considered", len(protocol.DETECTED_LABELS), 64)
        unknown_kinds = [k for k in considered if k not in protocol.DETECTED_LABELS]
        if unknown_kinds:
            raise invalid(
                f"Unknown finding kind in considered: {', '.join(unknown_kinds[:5])}.",
                allowed_kinds=list(protocol.DETECTED_LABELS),
            )
        wanted_codes = clean_list(data.get("accept_codes"), "accept_codes", MAX_CODES)
        new_codes = None
        if wanted_codes:
            self.ctx.require(actor, "update", doc)
            new_codes = with_suggestions(self.ctx, versions.suggesting(doc, pending), wanted_codes)
        refusal = protocol.decision_refusal(action, rationale)
        if refusal:
            raise ServiceError(422, "refused", f"The {action} was refused.", reasons=refusal)
        if pending is not None and action != "release":
            return versions.Versions(self.ctx).set_aside(actor, doc, pending, action, rationale)

        detail: dict[str, Any] = {"rationale": rationale}
        with db.write(self.session):
            if pending is not None:  # its release makes the new version the document's content
                versions.take_in(self.session, doc, pending)
                detail["version"] = pending.number
            if new_codes is not None:
                detail["accepted_codes"] = accept_codes(self.ctx, actor, doc, new_codes)
            if action == "return":
                add_comment(self.ctx, actor, doc, "return", rationale)
            if action == "release":
                release = {"level": data.get("level"), "grant_orgs": grant_orgs, "grant_users": grant_users}
                release["discoverable"] = parse_flag(data.get("discoverable"), "discoverable")  # services.access
                self._release(actor, doc, release, risks, benefits, rationale, considered, override, detail)
            doc.rationale = rationale
            doc.risks = risks
            doc.benefits = benefits
            if review_by is not None or action == "release":
                doc.review_by = review_by
            detail.update(risks=risks, benefits=benefits, review_by=review_by.isoformat() if review_by else None)
            decide(self.ctx, actor, doc, action, new_state, rationale=rationale, detail=detail)
            self.ctx.audit(actor, action, doc.id, **detail)
            indexing.enqueue(self.session, [doc.id])
        self.repo.after_index_change(wait=True)
        return doc

    def _release(
        self,
        actor: Actor,
        doc: Document,
        release: dict[str, Any],
        risks: list[str],
        benefits: list[str],
        rationale: str,
        considered: list[str],
        override: str,
        detail: dict[str, Any],
    ) -> None:
        """A release's level and grants, inside the decision's transaction, as the protocol judges them (refused
        values, the release gate, unconsidered findings, a level below the minimum without an override)."""
        level, grant_orgs, grant_users = release["level"], release["grant_orgs"], release["grant_users"]
        raise_minimum(doc)
        record = protocol.ReleaseRecord(tuple(doc.codes), tuple(risks), tuple(benefits), rationale)
        verdict = protocol.judge_release(
            level, grant_orgs, grant_users, record, doc.detected or [], considered, doc.minimum_level, override
        )
        discoverable = bool(release.get("discoverable"))
        refused = [*verdict.reasons, *protocol.discoverable_refusal(level, discoverable)]
        if refused:
            gaps: dict[str, Any] = {"missing": [c.id for c in verdict.missing]}
            if verdict.unconsidered:
                gaps["not_considered"] = verdict.unconsidered
            raise ServiceError(422, "refused", "The release was refused.", reasons=refused, **gaps)
        if verdict.needs_override:
            raise ServiceError(
                422,
                "below_minimum",
                f"The level is below the minimum level ({doc.minimum_level}) for this content.",
                reasons=[verdict.below, *doc.minimum_reasons],
            )
        orgs = self._orgs(grant_orgs)
        users = self._users(grant_users)
        if level == protocol.CONFIDENTIAL and doc.state == protocol.RELEASED and doc.level == protocol.CONFIDENTIAL:
            # A re-release at confidential cannot name people: those granted on request keep access (services.access)
            users = [g.user for g in doc.user_grants]
            grant_users = sorted(u.email for u in users)
        old_orgs = sorted(g.org.acronym for g in doc.org_grants)
        old_users = sorted(g.user.email for g in doc.user_grants)
        doc.level = level
        doc.org_grants = [OrgGrant(org_id=o.id) for o in orgs]
        doc.user_grants = [UserGrant(user_id=u.id) for u in users]
        doc.override = verdict.override
        doc.discoverable = discoverable
        if discoverable:
            detail["discoverable"] = True
        detail.update(level=level, grant_orgs=grant_orgs, grant_users=grant_users, considered=considered)
        if verdict.override:
            detail["override"] = verdict.override
            self.ctx.audit(
                actor, "override", doc.id, level=level, minimum_level=doc.minimum_level, override=verdict.override
            )
        if old_orgs != sorted(grant_orgs) or old_users != sorted(grant_users):
            self.ctx.audit(
                actor,
                "grant",
                doc.id,
                grant_orgs=grant_orgs,
                grant_users=grant_users,
                previous_orgs=old_orgs,
                previous_users=old_users,
            )

    def _orgs(self, acronyms: list[str]) -> list[Organisation]:
        if not acronyms:
            return []
        found = {
            o.acronym: o for o in self.session.scalars(select(Organisation).where(Organisation.acronym.in_(acronyms)))
        }
        missing = [a for a in acronyms if a not in found]
        if missing:
            raise invalid(f"Unknown organisation: {', '.join(missing)}.")
        return [found[a] for a in acronyms]

    def _users(self, emails: list[str]) -> list[User]:
        if not emails:
            return []
        found = {u.email: u for u in self.session.scalars(select(User).where(User.email.in_(emails)))}
        missing = [e for e in emails if e not in found or not found[e].active]
        if missing:
            raise invalid(f"Unknown or inactive account: {', '.join(missing)}.")
        return [found[e] for e in emails]

    def history(self, actor: Actor, doc: Document) -> list[Decision]:
        """The review history of a document, for those who may see review details."""
        if not protocol.allowed(actor, "see_review_details", protocol.facts_of(doc)):
            return []
        return list(self.session.scalars(select(Decision).where(Decision.document_id == doc.id).order_by(Decision.id)))

    def queue(self, actor: Actor, today: dt.date | None = None) -> dict[str, list[Document]]:
        """Coordinators' queue: submissions waiting for a decision, and released documents due for re-review."""
        self.ctx.require(actor, "review_queue")
        today = today or dt.date.today()
        visible = protocol.visible_clause(actor, Document)
        waiting = self.session.scalars(
            select(Document).where(visible, Document.state == protocol.SUBMITTED).order_by(Document.uploaded_at)
        )
        due = self.session.scalars(
            select(Document)
            .where(
                visible,
                Document.state == protocol.RELEASED,
                Document.review_by.is_not(None),
                Document.review_by <= today,
            )
            .order_by(Document.review_by, Document.id)
        )
        returned = self.session.scalars(
            select(Document).where(visible, Document.state == protocol.RETURNED).order_by(Document.updated_at)
        )
        return {"waiting": list(waiting), "due": list(due), "returned": list(returned)}

    def due(self, actor: Actor, today: dt.date | None = None) -> list[Document]:
        """Released documents whose ``review_by`` date has come (on or before ``today``), oldest date first."""
        return self.queue(actor, today)["due"]

    def grant_choices(self, actor: Actor, doc: Document) -> tuple[list[Organisation], list[User]]:
        """Whom a release of ``doc`` may grant, for the review form: the organisations that need a grant to see it
        (the owner organisation needs none) and the active accounts; nothing for those who may not review it."""
        if not protocol.allowed(actor, "review", protocol.facts_of(doc)):
            return [], []
        facts = protocol.facts_of(doc)
        orgs = self.session.scalars(select(Organisation).order_by(Organisation.acronym))
        users = self.session.scalars(select(User).where(User.active.is_(True)).order_by(User.email))
        return [o for o in orgs if protocol.needs_grant(o.id, facts)], list(users)


def _transition(actor: Actor, action: str, doc: Document, pending: Any = None) -> str:
    """The state a workflow step leads to, if the protocol lets ``actor`` take it now (a decision on a version in
    review is judged as on a submitted document)."""
    try:
        return protocol.require_transition(actor, action, versions.facts_for_review(doc, pending))
    except Denied as exc:
        raise denied(exc) from None
