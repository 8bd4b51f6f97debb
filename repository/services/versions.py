"""Versions of a released document: the owner organisation's upload of a new version (the intake of an upload), the
history, the download of version N, and what a review decision does to a version in review.

The document's own columns stay what its audience sees, the released version: they are what the index is built
from. A new version waits in :class:`~repository.data.models.DocumentVersion` with its own file, text, findings and
minimum level; a release copies it into the document (and re-queues the index), a return or a withholding leaves
the document as it was. Who may do what is :mod:`repository.protocol.versions`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from repository import protocol
from repository.data import db
from repository.data.models import Decision
from repository.data.models import Document
from repository.data.models import DocumentVersion
from repository.data.models import StoredFile
from repository.data.models import utcnow
from repository.protocol import Actor
from repository.protocol import Denied
from repository.protocol import versions as rules
from repository.services import similarity
from repository.services.base import Part
from repository.services.base import ServiceError
from repository.services.base import denied
from repository.services.base import parse_id
from repository.services.documents import Download
from repository.services.intake import Intake
from repository.services.records import add_comment
from repository.services.records import decide

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class VersionEntry:
    """One line of a document's version history: the version, its file and its review decisions."""

    number: int
    sha256: str
    filename: str
    state: str
    uploaded_at: Any
    released_at: Any
    minimum_level: str | None
    detected: list[Any]
    decisions: list[Decision]


def recorded(session: Session, doc: Document) -> list[DocumentVersion]:
    """The recorded versions of ``doc``, oldest first (none until a second version arrives)."""
    return list(
        session.scalars(
            select(DocumentVersion).where(DocumentVersion.document_id == doc.id).order_by(DocumentVersion.number)
        )
    )


def pending_of(session: Session, doc: Document) -> DocumentVersion | None:
    """The version of ``doc`` waiting for review, if any."""
    return session.scalar(
        select(DocumentVersion).where(
            DocumentVersion.document_id == doc.id, DocumentVersion.state == rules.VERSION_SUBMITTED
        )
    )


def numbers_of(doc: Document) -> tuple[int, int | None]:
    """The current (released) version of ``doc`` and the one in review (see :func:`protocol.versions.numbers`)."""
    return rules.numbers((v.number, v.state) for v in doc.version_rows)


def facts_for_review(doc: Document, pending: DocumentVersion | None) -> protocol.DocFacts:
    """The facts a review decision is judged on: the document's, in the state of its version in review if any."""
    facts = protocol.facts_of(doc)
    if pending is None:
        return facts
    return protocol.DocFacts(**{**facts.__dict__, "state": protocol.SUBMITTED})


@dataclass(frozen=True)
class Suggesting:
    """The codes of a document with the suggestions of its version in review (what a release may accept)."""

    codes: list[str]
    suggested_codes: dict[str, Any]


def suggesting(doc: Document, pending: DocumentVersion | None) -> Any:
    """What accepting suggestions reads: the document, or its codes with the pending version's suggestions."""
    if pending is None:
        return doc
    return Suggesting(codes=list(doc.codes), suggested_codes=pending.suggested_codes or {})


def take_in(session: Session, doc: Document, pending: DocumentVersion) -> None:
    """Inside a release's transaction: the version in review becomes the document's content (file, text, scan,
    suggestions, minimum level, near-duplicate signature) and the released one; the one it replaces is
    superseded. The caller queues the index."""
    for row in doc.version_rows:
        if row.state == rules.VERSION_RELEASED:
            row.state = rules.VERSION_SUPERSEDED
    doc.sha256 = pending.sha256
    doc.filename = pending.filename
    doc.text = pending.text
    doc.text_status = pending.text_status
    doc.text_reason = pending.text_reason
    doc.language = pending.language
    doc.detected = pending.detected or []
    doc.suggested_codes = pending.suggested_codes or {}
    doc.minimum_level, doc.minimum_reasons = protocol.minimum_level(doc.detected, doc.codes)
    pending.state = rules.VERSION_RELEASED
    pending.released_at = utcnow()
    similarity.record(session, doc.id, similarity.signature_of(doc.text))


class Versions(Part):
    """New versions, the history, the download of a version and decisions on a version in review."""

    def upload(self, actor: Actor, document_id: Any, stream: BinaryIO, filename: str | None) -> DocumentVersion:
        """The owner organisation uploads a new version of a released document; it enters review (``submitted``)
        while the document's audience keeps the released version. The file goes through the intake of an upload
        (size, type, duplicates, extraction, scan, language, suggestions); its minimum level follows its findings."""
        doc = self.require_new(actor, document_id)
        intake = Intake(self.ctx)
        incoming = intake._receive_file(actor, stream, filename, doc.title)  # the intake of an upload
        with intake._recording(actor, incoming):
            self.session.refresh(doc)
            rows = recorded(self.session, doc)
            self._require_new(actor, doc, rows)  # the state may have changed while the file was checked
            if not rows:
                rows = [self._first_version(doc)]
                self.session.add(rows[0])
            detected = incoming.analysis["detected"]
            minimum, reasons = protocol.minimum_level(detected, doc.codes)
            version = DocumentVersion(
                document_id=doc.id, number=max(r.number for r in rows) + 1, sha256=incoming.sha256,
                filename=incoming.filename, state=rules.VERSION_SUBMITTED, uploaded_by_id=actor.user_id,
                text=incoming.text, text_status=incoming.text_status, text_reason=incoming.text_reason,
                language=incoming.analysis["language"], detected=detected,
                suggested_codes=incoming.analysis["suggested_codes"], minimum_level=minimum, minimum_reasons=reasons,
            )  # fmt: skip
            self.session.add(version)
            detail = {
                "version": version.number,
                "sha256": incoming.sha256,
                "filename": incoming.filename,
                "mime": incoming.mime,
                "size": incoming.size,
                "minimum_level": minimum,
                "detected": sorted({f.get("kind") for f in detected if isinstance(f, dict)}),
            }
            decide(self.ctx, actor, doc, "new_version", doc.state, detail=detail)
            self.ctx.audit(actor, "new_version", doc.id, **detail)
        self.session.refresh(version)
        return version

    def require_new(self, actor: Actor, document_id: Any) -> Document:
        """The document, if ``actor`` may upload a new version of it now (404, 401/403, 409 otherwise)."""
        doc = self.ctx.visible(actor, document_id)
        self._require_new(actor, doc, recorded(self.session, doc))
        return doc

    def _require_new(self, actor: Actor, doc: Document, rows: list[DocumentVersion]) -> None:
        _current, pending = rules.numbers((r.number, r.state) for r in rows)
        try:
            rules.require_new_version(actor, protocol.facts_of(doc), pending)
        except Denied as exc:
            raise denied(exc) from None

    def _first_version(self, doc: Document) -> DocumentVersion:
        """The row of the version a document had before its second one arrived (its released content)."""
        released = self.session.scalar(
            select(Decision.at)
            .where(Decision.document_id == doc.id, Decision.action == "release")
            .order_by(Decision.id.desc())
            .limit(1)
        )
        return DocumentVersion(
            document_id=doc.id, number=1, sha256=doc.sha256, filename=doc.filename, state=rules.VERSION_RELEASED,
            uploaded_by_id=doc.uploaded_by_id, uploaded_at=doc.uploaded_at, released_at=released or doc.updated_at,
            text=doc.text, text_status=doc.text_status, text_reason=doc.text_reason, language=doc.language,
            detected=doc.detected or [], suggested_codes=doc.suggested_codes or {},
            minimum_level=doc.minimum_level, minimum_reasons=doc.minimum_reasons or [],
        )  # fmt: skip

    def history(self, actor: Actor, document_id: Any) -> list[VersionEntry]:
        """Every version of a document with its hash and review decisions, for the owner organisation and
        coordinators (404 when the document is invisible, 401/403 for the rest of its audience)."""
        doc = self.ctx.visible(actor, document_id, "see_versions")
        return self.entries(doc)

    def entries(self, doc: Document) -> list[VersionEntry]:
        """The version history of ``doc`` (the caller has checked ``see_versions``): recorded versions, or the
        document itself as version 1 when it has only one."""
        decisions = list(
            self.session.scalars(select(Decision).where(Decision.document_id == doc.id).order_by(Decision.id))
        )
        rows = recorded(self.session, doc)
        if not rows:
            first = self._first_version(doc)
            first.state = rules.VERSION_RELEASED if doc.state == protocol.RELEASED else doc.state
            if doc.state != protocol.RELEASED:
                first.released_at = None
            rows = [first]
        about = _versions_decided(decisions)
        out = []
        for row in rows:
            mine = [d for d in decisions if about[d.id] == row.number]
            out.append(
                VersionEntry(
                    number=row.number, sha256=row.sha256, filename=row.filename, state=row.state,
                    uploaded_at=row.uploaded_at, released_at=row.released_at, minimum_level=row.minimum_level,
                    detected=row.detected or [], decisions=mine,
                )  # fmt: skip
            )
        return out

    def view_of(self, actor: Actor, doc: Document) -> list[VersionEntry]:
        """The version history for the document page: empty for those who may not see it."""
        if not rules.may_see_versions(actor, protocol.facts_of(doc)):
            return []
        return self.entries(doc)

    def may_upload(self, actor: Actor, doc: Document) -> bool:
        """Whether the page offers ``actor`` the form for a new version of ``doc``."""
        _current, pending = numbers_of(doc)
        try:
            rules.require_new_version(actor, protocol.facts_of(doc), pending)
        except Denied:
            return False
        return True

    def download(self, actor: Actor, document_id: Any, version: Any) -> Download:
        """The file of version ``version`` of a document: its audience the released one only, the owner
        organisation and coordinators any; records a ``download`` naming the version."""
        doc = self.ctx.visible(actor, document_id, "download")
        number = parse_id(version)
        if number is None:
            raise ServiceError(422, "invalid_value", "version must be a positive whole number.")
        current, _pending = numbers_of(doc)
        try:
            rules.require_version(actor, protocol.facts_of(doc), number, current)
        except Denied as exc:
            raise denied(exc) from None
        if number == current:
            sha256, filename = doc.sha256, doc.filename
        else:
            row = next((r for r in doc.version_rows if r.number == number), None)
            if row is None:
                raise ServiceError(404, "not_found", f"This document has no version {number}.")
            sha256, filename = row.sha256, row.filename
        path = self.repo.store.path_for(sha256)
        stored = self.session.get(StoredFile, sha256)
        if not path.is_file() or stored is None:
            log.error("stored file of version %s of document %s is missing", number, doc.id)
            raise ServiceError(404, "file_missing", "The file of this version is not available.")
        with db.write(self.session):
            self.ctx.audit(actor, "download", doc.id, version=number)
        return Download(path=path, mime=stored.mime, filename=filename, size=stored.size)

    def set_aside(self, actor: Actor, doc: Document, pending: DocumentVersion, action: str, rationale: str) -> Document:
        """A coordinator returns or withholds the version in review; the document and its audience keep the
        released version. Recorded in the review history and the audit trail with the version's number."""
        detail = {"rationale": rationale, "version": pending.number}
        with db.write(self.session):
            if action == "return":
                add_comment(self.ctx, actor, doc, "return", rationale)
            pending.state = rules.VERSION_DECISIONS[action]
            decide(self.ctx, actor, doc, action, doc.state, rationale=rationale, detail=detail)
            self.ctx.audit(actor, action, doc.id, **detail)
        self.session.refresh(doc)
        return doc


def _versions_decided(decisions: list[Decision]) -> dict[int, int]:
    """Which version each review decision (oldest first) was about: the one its detail names (decisions since
    versions exist), else the version the document held then (1 until a new version was released)."""
    current, about = 1, {}
    for decision in decisions:
        number = (decision.detail or {}).get("version")
        if isinstance(number, int):
            about[decision.id] = number
            if decision.action == "release":
                current = number
        else:
            about[decision.id] = current
    return about
