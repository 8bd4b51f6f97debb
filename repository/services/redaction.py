"""Redacted copies: a coordinator makes a derivative of a document with every finding of chosen scan kinds masked.

The masked text (:mod:`repository.knowledge.redaction`) is written as a new PDF (:mod:`repository.knowledge.pdfwrite`)
and that file goes through the path of every upload (:class:`~repository.services.intake.Intake`): staged and
hashed, typed by its content, stored under its digest, its text extracted by a sandboxed worker and scanned again,
then recorded in one transaction as a new document of the original's organisation, ``submitted`` for review, with
its own minimum level, ``derived_from`` the original, its audit events and outbox row. The scan of the copy's own
file must not find any of the masked kinds: if it does, nothing is recorded and the request is refused (422
``still_found``, naming them). The original (file, text, state, level, audience) is not changed.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from repository import protocol
from repository.data.models import Decision
from repository.data.models import Document
from repository.data.models import DocumentCode
from repository.data.models import StoredFile
from repository.knowledge import redaction
from repository.knowledge.pdfwrite import NoArabicFont
from repository.knowledge.pdfwrite import write_text_pdf
from repository.knowledge.scan import KINDS
from repository.protocol import Actor
from repository.services import indexing
from repository.services import similarity
from repository.services.base import MAX_SUMMARY
from repository.services.base import MAX_TITLE
from repository.services.base import Part
from repository.services.base import ServiceError
from repository.services.base import invalid
from repository.services.intake import Incoming
from repository.services.intake import Intake
from repository.services.intake import _set_text

#: Appended to the title of a redacted copy.
TITLE_SUFFIX = " (redacted)"


def found_kinds(doc: Document) -> list[str]:
    """The scan kinds found in a document (from its stored findings), in scan order."""
    found = {f.get("kind") for f in doc.detected or [] if isinstance(f, dict)}
    return [k for k in KINDS if k in found]


class Redactions(Part):
    """Redacted copies of documents."""

    def redact(self, actor: Actor, document_id: Any, kinds: Any = None) -> Document:
        """A new document ``derived_from`` ``document_id`` with every finding of ``kinds`` (default: every kind
        found in it) masked in its text and in a regenerated PDF, entering review. 404 when the document is
        invisible, 401/403 when the actor may not redact, 422 for kinds that are unknown or not found, for a
        document without text, and when the copy's own scan still finds a masked kind."""
        original = self.ctx.visible(actor, document_id, "redact")
        chosen = self._kinds(original, kinds)
        if original.text_status not in ("ok", "ocr") or not (original.text or "").strip():
            raise ServiceError(422, "no_text", "This document has no extracted text to redact.")

        text = redaction.redact(original.text, chosen)
        left = redaction.remaining(text, chosen)
        if left:
            raise _still_found(left)
        title = (redaction.redact(original.title, chosen)[: MAX_TITLE - len(TITLE_SUFFIX)] + TITLE_SUFFIX).strip()
        summary = redaction.redact(original.summary or "", chosen)[:MAX_SUMMARY]

        intake = Intake(self.ctx)
        incoming = self._receive(actor, intake, original, text, title)
        left = [k for k in found_in(incoming) if k in chosen]
        if left:
            self._forget(incoming.sha256)
            raise _still_found(left)

        near = similarity.signature_of(incoming.text)
        with intake._recording(actor, incoming):
            copy = Document(
                **incoming.columns(),
                summary=summary, published=original.published, org_id=original.org_id,
                uploaded_by_id=actor.user_id, state=protocol.SUBMITTED, risks=[], benefits=[],
                derived_from=original.id,
            )  # fmt: skip
            copy.code_rows = [DocumentCode(code_id=c) for c in original.codes]
            _set_text(copy, incoming.text, incoming.analysis)
            self.session.add(copy)
            self.session.flush()
            detail = {"kinds": chosen, "minimum_level": copy.minimum_level}
            self.session.add(
                Decision(
                    document_id=copy.id, actor_id=actor.user_id, action="redact", to_state=copy.state,
                    detail={"derived_from": original.id, **detail},
                )
            )  # fmt: skip
            similarity.record(self.session, copy.id, near)
            self.ctx.audit(actor, "redact", original.id, copy=copy.id, **detail)
            self.ctx.audit(
                actor, "redact", copy.id, derived_from=original.id, sha256=incoming.sha256, size=incoming.size,
                **detail,
            )  # fmt: skip
            indexing.enqueue(self.session, [copy.id])
        self.repo.after_index_change(wait=False)
        return copy

    def choices(self, actor: Actor, doc: Document) -> list[str]:
        """The kinds a redacted copy of ``doc`` may mask, for the form (none when the actor may not redact it)."""
        if not protocol.allowed(actor, "redact", protocol.facts_of(doc)):
            return []
        return found_kinds(doc)

    @staticmethod
    def _kinds(doc: Document, kinds: Any) -> list[str]:
        found = found_kinds(doc)
        if kinds is None:
            if not found:
                raise ServiceError(422, "nothing_to_redact", "The scan found nothing in this document to mask.")
            return found
        if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
            raise invalid("kinds must be a list of scan kinds.")
        if not kinds:
            raise invalid("kinds must name at least one scan kind (leave it out to mask every kind found).")
        try:
            chosen = redaction.check_kinds(kinds)
        except ValueError as exc:
            raise invalid(str(exc)[:300]) from None
        absent = [k for k in chosen if k not in found]
        if absent:
            raise invalid(f"Not found in this document: {', '.join(absent)}.", kinds=absent)
        return chosen

    def _receive(self, actor: Actor, intake: Intake, original: Document, text: str, title: str) -> Incoming:
        """The masked text as a PDF, received like any upload (stored, extracted and scanned in the pool)."""
        self.repo.store.ensure()
        with tempfile.TemporaryDirectory(dir=self.repo.store.tmp, prefix="redact-") as tmp:
            path = Path(tmp) / "redacted.pdf"
            try:
                write_text_pdf(path, text, title=title, language=original.language)
            except NoArabicFont as exc:
                raise ServiceError(503, "no_font", str(exc)) from None
            stem = (original.filename or "document").rsplit(".", 1)[0]
            with path.open("rb") as stream:
                return intake._receive_file(actor, stream, f"{stem}-redacted.pdf", title)

    def _forget(self, sha256: str) -> None:
        """Remove a refused copy's file from the store unless a recorded document uses it."""
        if self.session.get(StoredFile, sha256) is None:
            self.repo.store.path_for(sha256).unlink(missing_ok=True)


def found_in(incoming: Incoming) -> list[str]:
    """The scan kinds the analysis of a received file found."""
    return [f.get("kind") for f in incoming.analysis.get("detected") or [] if isinstance(f, dict)]


def _still_found(kinds: list[str]) -> ServiceError:
    return ServiceError(
        422,
        "still_found",
        f"The scan of the redacted copy still finds: {', '.join(kinds)}. No copy was made.",
        kinds=kinds,
    )
