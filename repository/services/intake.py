"""New files: an upload, and the replacement of a document's file. Every file goes through the same steps: staged
while hashed (size limit), typed by content against the allow-list (sniff), refused when it duplicates a stored
document, stored under its digest, its text extracted and analysed (language, scan, suggested codes) by a sandboxed
worker process, then recorded in one transaction with its audit event and outbox row.

:func:`extraction_pool` starts those workers (for an app or an import); the analysis itself is pure and lives in
:mod:`repository.knowledge.analysis`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from indexer.pool import ExtractionPool
from repository import protocol
from repository.data import db
from repository.data.models import Decision
from repository.data.models import Document
from repository.data.models import DocumentCode
from repository.data.models import DocumentVersion
from repository.data.models import StoredFile
from repository.data.storage import TooLarge
from repository.knowledge import analysis as intake_analysis
from repository.knowledge.analysis import HOOK
from repository.knowledge.sniff import EXTENSIONS
from repository.knowledge.sniff import UnsupportedType
from repository.knowledge.sniff import safe_filename
from repository.knowledge.sniff import sniff_file
from repository.protocol import Actor
from repository.protocol import Denied
from repository.services import indexing
from repository.services import similarity
from repository.services.base import MAX_CODES
from repository.services.base import MAX_SUMMARY
from repository.services.base import MAX_TITLE
from repository.services.base import Part
from repository.services.base import ServiceError
from repository.services.base import clean_list
from repository.services.base import clean_text
from repository.services.base import denied
from repository.services.base import parse_date
from repository.services.records import decide
from repository.services.records import set_minimum


def extraction_pool(config: Any, size: int) -> ExtractionPool:
    """A pool of ``size`` sandboxed extraction workers with the configured limits, which also run
    :func:`~repository.knowledge.analysis.analyse` on each text (the ``HOOK``) before the upload records it."""
    return ExtractionPool(
        size=max(1, size),
        timeout=float(config["EXTRACT_TIMEOUT"]),
        memory_mb=int(config["EXTRACT_MEMORY_MB"]),
        cpu_seconds=int(config["EXTRACT_CPU_SECONDS"]),
        max_rss_mb=int(config["EXTRACT_WORKER_MAX_RSS_MB"]),
        postprocess=HOOK,
        ocr_timeout=float(config["EXTRACT_OCR_TIMEOUT"]),
    )


@dataclass(frozen=True)
class Incoming:
    """A new file that passed the upload checks, stored under its digest, with its extracted text."""

    sha256: str
    size: int
    mime: str
    filename: str
    title: str
    text: str
    text_status: str
    text_reason: str | None
    analysis: dict[str, Any]

    def columns(self) -> dict[str, Any]:
        """The document columns that come from the file itself."""
        return {
            "title": self.title, "filename": self.filename, "sha256": self.sha256,
            "text_status": self.text_status, "text_reason": self.text_reason,
        }  # fmt: skip


class Intake(Part):
    """Uploads and replacements of files."""

    def upload(
        self,
        actor: Actor,
        stream: BinaryIO,
        filename: str | None,
        *,
        title: Any = None,
        summary: Any = None,
        published: Any = None,
        codes: Any = None,
        proposed_level: Any = None,
        source_path: str | None = None,
    ) -> Document:
        """Check, store, extract and record a new submission; it enters review as ``submitted``."""
        self.ctx.require(actor, "upload")
        title = clean_text(title, "title", MAX_TITLE)
        summary = clean_text(summary, "summary", MAX_SUMMARY)
        published_date = parse_date(published, "published")
        code_ids = self.ctx.check_codes(clean_list(codes, "codes", MAX_CODES))
        proposed = self.ctx.check_level(proposed_level, "proposed_level")

        incoming = self._receive_file(actor, stream, filename, title or None)
        near = similarity.signature_of(incoming.text)
        with self._recording(actor, incoming):
            doc = Document(
                **incoming.columns(),
                summary=summary, published=published_date, proposed_level=proposed, source_path=source_path,
                org_id=actor.org_id, uploaded_by_id=actor.user_id, state=protocol.SUBMITTED, risks=[], benefits=[],
            )  # fmt: skip
            doc.code_rows = [DocumentCode(code_id=c) for c in code_ids]
            _set_text(doc, incoming.text, incoming.analysis)
            self.session.add(doc)
            self.session.flush()
            self.session.add(Decision(document_id=doc.id, actor_id=actor.user_id, action="upload", to_state=doc.state))
            similarity.record(self.session, doc.id, near)
            self.ctx.audit(actor, "upload", doc.id, filename=incoming.filename, mime=incoming.mime, size=incoming.size)
            indexing.enqueue(self.session, [doc.id])
        self.repo.after_index_change(wait=False)
        return doc

    def replace_file(self, actor: Actor, document_id: Any, stream: BinaryIO, filename: str | None) -> Document:
        """The owner organisation replaces the file of a document waiting for review or returned for changes.

        The new file goes through the checks of an upload; the scan, language, suggestions and minimum level follow
        the new text. The previous file stays stored; its digest is kept in the decision and the audit trail.
        """
        doc = self.ctx.visible(actor, document_id)
        self._require_replace(actor, doc)
        incoming = self._receive_file(actor, stream, filename, doc.title)
        near = similarity.signature_of(incoming.text)
        with self._recording(actor, incoming):
            self.session.refresh(doc)
            self._require_replace(actor, doc)  # the state may have changed while the file was checked
            previous = {
                "previous_sha256": doc.sha256,
                "previous_filename": doc.filename,
                "previous_minimum_level": doc.minimum_level,
            }
            doc.sha256 = incoming.sha256
            doc.filename = incoming.filename
            doc.text_status = incoming.text_status
            doc.text_reason = incoming.text_reason
            _set_text(doc, incoming.text, incoming.analysis)
            detail = {
                **previous,
                "sha256": incoming.sha256,
                "filename": incoming.filename,
                "mime": incoming.mime,
                "size": incoming.size,
                "minimum_level": doc.minimum_level,
                "detected": sorted({f.get("kind") for f in doc.detected or [] if isinstance(f, dict)}),
            }
            decide(self.ctx, actor, doc, "replace", doc.state, detail=detail)
            similarity.record(self.session, doc.id, near)
            self.ctx.audit(actor, "replace", doc.id, **detail)
            indexing.enqueue(self.session, [doc.id])
        self.session.refresh(doc)
        self.repo.after_index_change(wait=True)
        return doc

    @staticmethod
    def _require_replace(actor: Actor, doc: Document) -> None:
        try:
            protocol.require_in_state(actor, "replace", protocol.facts_of(doc))
        except Denied as exc:
            raise denied(exc) from None

    @contextmanager
    def _recording(self, actor: Actor, incoming: Incoming) -> Iterator[None]:
        """The one write transaction that records a received file (kept once per digest: stored files are never
        deleted with a document's change); a concurrent upload of the same bytes is the 409 of a duplicate."""
        try:
            with db.write(self.session):
                if self.session.get(StoredFile, incoming.sha256) is None:
                    self.session.add(StoredFile(sha256=incoming.sha256, size=incoming.size, mime=incoming.mime))
                yield
        except IntegrityError:
            self.session.rollback()
            self._refuse_duplicate(actor, incoming.sha256)
            raise

    def _refuse_duplicate(self, actor: Actor, sha256: str) -> None:
        """Raise the 409 of a file already stored as a document (naming it only to those who may see it)."""
        existing = self.session.scalar(select(Document).where(Document.sha256 == sha256))
        if existing is None:
            if self.session.scalar(select(DocumentVersion.id).where(DocumentVersion.sha256 == sha256)) is not None:
                # an earlier or pending version of a document (repository.services.versions): named to nobody
                raise ServiceError(409, "duplicate", "This file is already in the repository.") from None
            return
        if protocol.can_view(actor, protocol.facts_of(existing)):
            raise ServiceError(
                409, "duplicate", "This file is already in the repository.", document_id=existing.id
            ) from None
        # The caller holds the bytes but may not see the document: say no more than that it exists.
        raise ServiceError(409, "duplicate", "This file is already in the repository.") from None

    def _receive_file(self, actor: Actor, stream: BinaryIO, filename: str | None, title: str | None) -> Incoming:
        """The checks every new file goes through (upload and replacement): size limit, type sniffed from the
        content against the allowlist, no duplicate of a stored document; then it is stored under its digest, its
        text extracted by a sandboxed worker process, and the text analysed (language, scan, suggested codes: in
        the same worker when it can) — all before any write lock is taken. ``title`` (default: from the file's
        name) is what the code suggestions read besides the text."""
        max_bytes = int(self.repo.config["MAX_UPLOAD_MB"]) * 1024 * 1024
        try:
            staged = self.repo.store.stage(stream, max_bytes=max_bytes)
        except TooLarge:
            raise ServiceError(
                413, "too_large", f"The file is larger than {self.repo.config['MAX_UPLOAD_MB']} MB."
            ) from None
        try:
            try:
                mime = sniff_file(staged.path, filename=filename)
            except UnsupportedType as exc:
                raise ServiceError(415, "unsupported_type", exc.message, detected=exc.mime) from None
            self._refuse_duplicate(actor, staged.sha256)
            final = self.repo.store.commit(staged)
        finally:
            self.repo.store.discard(staged)

        stored_name = safe_filename(filename, EXTENSIONS.get(mime, "bin"))
        if not title:
            title = stored_name.rsplit(".", 1)[0].replace("_", " ").strip() or "Untitled document"
            title = title[:MAX_TITLE]
        result = self.repo.extractor.extract(
            str(final), mime, post_args={"title": title, "taxonomy_path": str(self.repo.config["TAXONOMY_PATH"])}
        )
        analysis = result.post if result.ok else None
        if analysis is None or not self._analysis_fits(analysis):
            analysis = intake_analysis.analyse(result.text, title, self.repo.taxonomy)
        return Incoming(
            sha256=staged.sha256,
            size=staged.size,
            mime=mime,
            filename=stored_name,
            title=title,
            text=result.text,
            text_status=result.status,
            text_reason=result.reason,
            analysis=analysis,
        )

    def _analysis_fits(self, analysis: Any) -> bool:
        """A worker's analysis is used only if it has the expected shape and names codes this app knows (a
        worker reads the vocabulary file on its own; after an edit of the file it may differ until a restart)."""
        if not isinstance(analysis, dict) or set(analysis) != {"language", "detected", "suggested_codes"}:
            return False
        suggested = analysis["suggested_codes"]
        if not isinstance(suggested, dict) or not isinstance(analysis["detected"], list):
            return False
        taxonomy = self.repo.taxonomy
        return all(
            isinstance(items, list) and all(isinstance(i, dict) and i.get("code") in taxonomy for i in items)
            for items in suggested.values()
        )


def _set_text(doc: Document, text: str, analysis: dict[str, Any]) -> None:
    """New text for a document: language, sensitivity scan and code suggestions (``analysis``, computed from the
    text before the write lock, see :mod:`repository.knowledge.analysis`), and the minimum level, follow it."""
    doc.text = text
    doc.language = analysis["language"]
    doc.detected = analysis["detected"]
    doc.suggested_codes = analysis["suggested_codes"]
    set_minimum(doc)
