"""Business operations. Every method takes the acting :class:`~repository.protocol.Actor` first, asks
:mod:`repository.protocol` before doing anything, runs in one database transaction, and writes the audit trail.

Services never touch Flask's request globals, so the CLI, background work and tests call them directly.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from typing import BinaryIO

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker
from werkzeug.security import check_password_hash

from indexer.index import SearchIndex
from indexer.pool import ExtractionPool
from indexer.query import QueryError
from indexer.query import SearchRequest
from indexer.schema import NO_LEVEL
from repository import protocol
from repository.data import db
from repository.data.models import MAX_ID
from repository.data.models import ApiToken
from repository.data.models import AuditEvent
from repository.data.models import Comment
from repository.data.models import Decision
from repository.data.models import Document
from repository.data.models import DocumentCode
from repository.data.models import IndexOutbox
from repository.data.models import Organisation
from repository.data.models import OrgGrant
from repository.data.models import StoredFile
from repository.data.models import User
from repository.data.models import UserGrant
from repository.data.models import utcnow
from repository.data.storage import FileStore
from repository.data.storage import TooLarge
from repository.knowledge import analysis as intake_analysis
from repository.knowledge import passwords
from repository.knowledge.coding import accept_suggestions as merge_accepted_codes
from repository.knowledge.coding import alias_lookup
from repository.knowledge.sniff import UnsupportedType
from repository.knowledge.sniff import safe_filename
from repository.knowledge.sniff import sniff_file
from repository.knowledge.taxonomy import Taxonomy
from repository.protocol import Actor
from repository.protocol import Denied
from repository.services import indexing
from repository.services.indexing import IndexWorker
from repository.web.logs import current_request_id

log = logging.getLogger(__name__)

MAX_TITLE = 300
MAX_SUMMARY = 5000
MAX_RATIONALE = 5000
MAX_COMMENT = 5000
MAX_AUDIT_EXPORT = 100_000
MAX_CODES = 50
MAX_GRANTS = 100
MIN_PASSWORD = 12


@functools.cache
def _dummy_hash(method: str | None) -> str:
    """A hash to check unknown accounts' passwords against, at the cost real ones have (equal timing)."""
    return passwords.hash_password("timing-equaliser-not-a-password", method)


class ServiceError(Exception):
    """A refused request: ``status`` is the HTTP status, ``code`` a short machine name, ``message`` for people.

    ``extra`` carries additional JSON fields (e.g. ``document_id`` of a duplicate, ``reasons`` of a refusal).
    """

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra


def _invalid(message: str, **extra: Any) -> ServiceError:
    return ServiceError(422, "invalid_value", message, **extra)


def _denied(exc: Denied) -> ServiceError:
    extra = {"reasons": exc.reasons} if exc.reasons else {}
    return ServiceError(exc.status, exc.code, exc.message, **extra)


@dataclass
class Repo:
    """What the services work with, bound once per app: config, database, file store, index, vocabulary."""

    config: dict[str, Any]
    make_session: sessionmaker
    store: FileStore
    index: SearchIndex
    worker: IndexWorker
    taxonomy: Taxonomy
    extractor: ExtractionPool

    def after_index_change(self, wait: bool) -> None:
        """Get pending outbox rows applied: now (``wait``, bounded) or by the background thread. In ``queued``
        mode (bulk work: an import, a scripted review) changes are only queued, for whichever process applies
        the outbox (the import's index process, a server's background thread, ``reindex``)."""
        mode = self.config.get("INDEX_MODE")
        if mode == "queued":
            return
        if mode == "sync" or wait:
            try:
                self.worker.drain(timeout=5.0 if self.config.get("INDEX_MODE") == "sync" else 1.0)
            except Exception:  # the rows stay pending; search leaves those documents out until applied
                log.exception("applying the index outbox failed")
        self.worker.wake()


@dataclass(frozen=True)
class HitOrg:
    """The organisation of a search hit, as pages and JSON show it."""

    acronym: str


@dataclass(frozen=True)
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


@dataclass
class Download:
    """What a route needs to send a stored original as an attachment."""

    path: Path
    mime: str
    filename: str
    size: int


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


# ----------------------------------------------------------------------------------------------------------------
# Value parsing shared by the JSON API, the HTML forms and the CLI
# ----------------------------------------------------------------------------------------------------------------


def parse_date(value: Any, field: str) -> dt.date | None:
    """Parse ``YYYY-MM-DD`` (empty gives None); anything else is a 422 naming the field."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) != 10:
        raise _invalid(f"{field} must be a date written YYYY-MM-DD.")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _invalid(f"{field} must be a date written YYYY-MM-DD.") from None


def clean_text(value: Any, field: str, max_len: int, *, required: bool = False) -> str:
    """A single text value: stripped, NUL-free, at most ``max_len`` characters."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _invalid(f"{field} must be text.")
    value = value.replace("\x00", "").strip()
    if len(value) > max_len:
        raise _invalid(f"{field} is longer than {max_len} characters.")
    if required and not value:
        raise _invalid(f"{field} is required.")
    return value


def clean_list(value: Any, field: str, max_items: int, max_len: int = 200) -> list[str]:
    """A list of short strings (a JSON list, or repeated form values)."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _invalid(f"{field} must be a list of text values.")
    if len(value) > max_items:
        raise _invalid(f"{field} has more than {max_items} values.")
    out = []
    for v in value:
        v = v.strip()
        if len(v) > max_len:
            raise _invalid(f"a value of {field} is longer than {max_len} characters.")
        if v and v not in out:
            out.append(v)
    return out


def hash_token(token: str) -> str:
    """The stored form of an API token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


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
            try:
                doc_id = int(self.document)
            except (TypeError, ValueError):
                raise ServiceError(400, "bad_request", "document must be a document id.") from None
            if not 0 < doc_id <= MAX_ID:
                raise ServiceError(400, "bad_request", "document must be a document id.")
            stmt = stmt.where(AuditEvent.document_id == doc_id)
        if self.actor_email:
            stmt = stmt.where(AuditEvent.actor_email == self.actor_email.strip().lower())
        if self.action:
            stmt = stmt.where(AuditEvent.action == self.action.strip())
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise _invalid("from must not be after to.")
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


class Service:
    """The operations of the repository, for one unit of work (one request or one CLI command)."""

    def __init__(self, repo: Repo, session: Session, ip: str | None = None) -> None:
        self.repo = repo
        self.session = session
        self.ip = ip

    # ------------------------------------------------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------------------------------------------------

    def _user(self, actor: Actor) -> User | None:
        return self.session.get(User, actor.user_id) if actor.user_id is not None else None

    def audit(self, actor: Actor | None, action: str, document_id: int | None = None, **detail: Any) -> None:
        """Append an audit event to the current transaction."""
        email = None
        user_id = None
        if actor is not None and actor.user_id is not None:
            user_id = actor.user_id
            user = self.session.get(User, actor.user_id)
            email = user.email if user else None
        elif actor is not None and actor.system:
            email = "system"
        self.session.add(
            AuditEvent(
                actor_id=user_id,
                actor_email=email or detail.pop("email", None),
                action=action,
                document_id=document_id,
                detail={k: v for k, v in detail.items() if v not in (None, "", [], {})},
                ip=self.ip,
                request_id=current_request_id(),  # None outside an HTTP request (CLI, background work)
            )
        )

    def _load(self, document_id: Any) -> Document | None:
        if isinstance(document_id, str) and not (document_id.isascii() and document_id.isdigit()):
            return None  # one spelling per id: no signs, spaces or non-ASCII digits
        try:
            doc_id = int(document_id)
        except (TypeError, ValueError):
            return None
        if doc_id <= 0 or doc_id > MAX_ID:
            return None
        return self.session.get(Document, doc_id)

    def _visible(self, actor: Actor, document_id: Any, action: str = "view") -> Document:
        doc = self._load(document_id)
        try:
            protocol.require(actor, action, protocol.facts_of(doc) if doc is not None else None)
        except Denied as exc:
            raise _denied(exc) from None
        assert doc is not None
        return doc

    def require_document(self, actor: Actor, document_id: Any, action: str) -> Document:
        """The document, if ``actor`` may do ``action`` to it (404 when invisible, 401/403 when not theirs)."""
        return self._visible(actor, document_id, action)

    def _check_codes(self, codes: Iterable[str]) -> list[str]:
        codes = list(codes)
        if len(codes) > MAX_CODES:
            raise _invalid(f"codes has more than {MAX_CODES} values.")
        unknown = self.repo.taxonomy.unknown(codes)
        if unknown:
            shown = [code if len(code) <= 80 else code[:80] + "…" for code in unknown[:20]]
            raise ServiceError(
                422, "unknown_code", f"Unknown taxonomy code: {', '.join(shown[:5])}.", unknown=shown
            )
        return codes

    def _check_level(self, value: Any, field: str) -> str | None:
        if value in (None, ""):
            return None
        if value not in protocol.LEVELS:
            raise _invalid(f"{field} must be one of {', '.join(protocol.LEVELS)}.")
        return value

    # ------------------------------------------------------------------------------------------------------------
    # organisations, accounts, tokens, logins
    # ------------------------------------------------------------------------------------------------------------

    def add_org(self, actor: Actor, acronym: str, name: str) -> Organisation:
        """Create an organisation (admins, or the system from the CLI)."""
        self.require(actor, "manage_accounts")
        acronym = clean_text(acronym, "acronym", 32, required=True).upper()
        if not acronym.replace("-", "").replace("_", "").isalnum() or not acronym.isascii():
            raise _invalid("acronym may contain only letters, digits, - and _.")
        name = clean_text(name, "name", 200, required=True)
        with db.write(self.session):
            if self.session.scalar(select(Organisation).where(Organisation.acronym == acronym)):
                raise ServiceError(409, "duplicate", f"Organisation {acronym} already exists.")
            org = Organisation(acronym=acronym, name=name)
            self.session.add(org)
            self.session.flush()
            self.audit(actor, "org_create", acronym=acronym)
        return org

    def _hash_method(self) -> str | None:
        return self.repo.config.get("PASSWORD_HASH_METHOD")

    def password_hash(self, password: str) -> str:
        """The stored form of a new password, by the app's hash method."""
        return passwords.hash_password(password, self._hash_method())

    def add_user(self, actor: Actor, email: str, org_acronym: str, role: str, password: str) -> User:
        """Create an account (admins, or the system from the CLI)."""
        self.require(actor, "manage_accounts")
        email = clean_text(email, "email", 254, required=True).lower()
        if "@" not in email or email.startswith("@") or email.endswith("@") or any(c.isspace() for c in email):
            raise _invalid("email is not an e-mail address.")
        if role not in protocol.ROLES:
            raise _invalid(f"role must be one of {', '.join(protocol.ROLES)}.")
        try:
            passwords.check(password, email)
        except passwords.WeakPassword as exc:
            raise _invalid(str(exc)) from None
        with db.write(self.session):
            org = self.session.scalar(select(Organisation).where(Organisation.acronym == org_acronym.upper()))
            if org is None:
                raise ServiceError(404, "not_found", f"No organisation {org_acronym}.")
            if self.session.scalar(select(User).where(User.email == email)):
                raise ServiceError(409, "duplicate", f"An account {email} already exists.")
            user = User(email=email, org_id=org.id, role=role, password_hash=self.password_hash(password))
            self.session.add(user)
            self.session.flush()
            self.audit(actor, "user_create", target=email, role=role, org=org.acronym)
        return user

    def authenticate(self, email: str, password: str) -> User | None:
        """Check a login. The same work is done for an unknown account as for a wrong password."""
        email = (email or "").strip().lower()[:254]
        user = self.session.scalar(select(User).where(User.email == email)) if email else None
        password = (password if isinstance(password, str) else "")[: passwords.MAX_LENGTH + 1]
        ok = check_password_hash(user.password_hash if user else _dummy_hash(self._hash_method()), password)
        with db.write(self.session):
            if user is not None and ok and user.active:
                self.audit(protocol.actor_for(user), "login")
                return user
            self.audit(None, "login_failed", email=email or None)
        return None

    def logout(self, actor: Actor) -> None:
        """Record a logout."""
        with db.write(self.session):
            self.audit(actor, "logout")

    def create_token(self, actor: Actor, target_email: str | None = None, days: int | None = 365) -> str:
        """Create an API token for the actor (or, from the CLI, for ``target_email``); return it once."""
        if actor.system and target_email:
            user = self.session.scalar(select(User).where(User.email == target_email.strip().lower()))
            if user is None:
                raise ServiceError(404, "not_found", f"No account {target_email}.")
        else:
            self.require(actor, "create_token")
            user = self._user(actor)
            assert user is not None
        token = "rp_" + secrets.token_urlsafe(32)
        expires = utcnow() + dt.timedelta(days=days) if days else None
        with db.write(self.session):
            self.session.add(ApiToken(user_id=user.id, token_hash=hash_token(token), expires_at=expires))
            self.audit(protocol.actor_for(user), "token_create", by="system" if actor.system else None)
        return token

    def user_for_token(self, token: str) -> User | None:
        """The active account behind an API token, or None (unknown, revoked, expired)."""
        if not token or len(token) > 200:
            return None
        row = self.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
        if row is None or row.revoked or not hmac.compare_digest(row.token_hash, hash_token(token)):
            return None
        if row.expires_at is not None and _aware(row.expires_at) < utcnow():
            return None
        if not row.user.active:
            return None
        now = utcnow()
        if row.last_used_at is None or now - _aware(row.last_used_at) > dt.timedelta(minutes=5):
            with db.write(self.session):
                row.last_used_at = now
        return row.user

    def require(self, actor: Actor, action: str, doc: Document | None = None) -> None:
        """Raise a :class:`ServiceError` unless the protocol lets ``actor`` do ``action`` (to ``doc``)."""
        try:
            protocol.require(actor, action, protocol.facts_of(doc) if doc is not None else None)
        except Denied as exc:
            raise _denied(exc) from None

    # ------------------------------------------------------------------------------------------------------------
    # documents
    # ------------------------------------------------------------------------------------------------------------

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
        self.require(actor, "upload")
        title = clean_text(title, "title", MAX_TITLE)
        summary = clean_text(summary, "summary", MAX_SUMMARY)
        published_date = parse_date(published, "published")
        code_ids = self._check_codes(clean_list(codes, "codes", MAX_CODES))
        proposed = self._check_level(proposed_level, "proposed_level")

        incoming = self._receive_file(actor, stream, filename, title or None)
        title = incoming.title
        try:
            with db.write(self.session):
                self._keep_stored_file(incoming)
                doc = Document(
                    title=title,
                    summary=summary,
                    filename=incoming.filename,
                    sha256=incoming.sha256,
                    org_id=actor.org_id,
                    uploaded_by_id=actor.user_id,
                    published=published_date,
                    state=protocol.SUBMITTED,
                    proposed_level=proposed,
                    text_status=incoming.text_status,
                    text_reason=incoming.text_reason,
                    source_path=source_path,
                    risks=[],
                    benefits=[],
                )
                doc.code_rows = [DocumentCode(code_id=c) for c in code_ids]
                self._set_text(doc, incoming.text, incoming.analysis)
                self.session.add(doc)
                self.session.flush()
                self.session.add(
                    Decision(document_id=doc.id, actor_id=actor.user_id, action="upload", to_state=doc.state)
                )
                self.audit(actor, "upload", doc.id, filename=incoming.filename, mime=incoming.mime, size=incoming.size)
                indexing.enqueue(self.session, [doc.id])
        except IntegrityError:
            self.session.rollback()
            existing = self.session.scalar(select(Document).where(Document.sha256 == incoming.sha256))
            if existing is not None:
                raise self._duplicate(actor, existing) from None
            raise
        self.repo.after_index_change(wait=False)
        return doc

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
            existing = self.session.scalar(select(Document).where(Document.sha256 == staged.sha256))
            if existing is not None:
                raise self._duplicate(actor, existing)
            final = self.repo.store.commit(staged)
        finally:
            self.repo.store.discard(staged)

        stored_name = safe_filename(filename, _extension(mime))
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

    def _keep_stored_file(self, incoming: Incoming) -> None:
        """Record a received file (once per digest; stored files are never deleted with a document's change)."""
        if self.session.get(StoredFile, incoming.sha256) is None:
            self.session.add(StoredFile(sha256=incoming.sha256, size=incoming.size, mime=incoming.mime))

    def replace_file(self, actor: Actor, document_id: Any, stream: BinaryIO, filename: str | None) -> Document:
        """The owner organisation replaces the file of a document waiting for review or returned for changes.

        The new file goes through the checks of an upload; the scan, language, suggestions and minimum level follow
        the new text. The previous file stays stored; its digest is kept in the decision and the audit trail.
        """
        doc = self._visible(actor, document_id)
        try:
            protocol.require_in_state(actor, "replace", protocol.facts_of(doc))
        except Denied as exc:
            raise _denied(exc) from None
        incoming = self._receive_file(actor, stream, filename, doc.title)
        try:
            with db.write(self.session):
                self.session.refresh(doc)
                try:  # the state may have changed while the file was checked
                    protocol.require_in_state(actor, "replace", protocol.facts_of(doc))
                except Denied as exc:
                    raise _denied(exc) from None
                previous = {
                    "previous_sha256": doc.sha256,
                    "previous_filename": doc.filename,
                    "previous_minimum_level": doc.minimum_level,
                }
                self._keep_stored_file(incoming)
                doc.sha256 = incoming.sha256
                doc.filename = incoming.filename
                doc.text_status = incoming.text_status
                doc.text_reason = incoming.text_reason
                self._set_text(doc, incoming.text, incoming.analysis)
                detail = {
                    **previous,
                    "sha256": incoming.sha256,
                    "filename": incoming.filename,
                    "mime": incoming.mime,
                    "size": incoming.size,
                    "minimum_level": doc.minimum_level,
                    "detected": sorted({f.get("kind") for f in doc.detected or [] if isinstance(f, dict)}),
                }
                self._decide(actor, doc, "replace", doc.state, detail=detail)
                self.audit(actor, "replace", doc.id, **detail)
                indexing.enqueue(self.session, [doc.id])
        except IntegrityError:
            self.session.rollback()
            existing = self.session.scalar(select(Document).where(Document.sha256 == incoming.sha256))
            if existing is not None:
                raise self._duplicate(actor, existing) from None
            raise
        self.session.refresh(doc)
        self.repo.after_index_change(wait=True)
        return doc

    def comment(self, actor: Actor, document_id: Any, text: Any) -> Comment:
        """Add a message to a document's review exchange (coordinators, and the owner organisation)."""
        doc = self._visible(actor, document_id)
        self.require(actor, "comment", doc)
        text = clean_text(text, "text", MAX_COMMENT, required=True)
        with db.write(self.session):
            comment = self._add_comment(actor, doc, "comment", text)
            self.session.flush()
            self.audit(actor, "comment", doc.id, comment_id=comment.id, text=text)
        return comment

    def _add_comment(self, actor: Actor, doc: Document, kind: str, text: str) -> Comment:
        user = self._user(actor)
        comment = Comment(
            document_id=doc.id,
            author_id=actor.user_id,
            author_email=user.email if user else None,
            author_org=user.org.acronym if user else None,
            author_role=actor.role,
            kind=kind,
            text=text,
        )
        self.session.add(comment)
        return comment

    def comments(self, actor: Actor, doc: Document) -> list[Comment]:
        """The review exchange of a document, oldest first, for those who may see it (else an empty list)."""
        if not protocol.allowed(actor, "see_comments", protocol.facts_of(doc)):
            return []
        return list(self.session.scalars(select(Comment).where(Comment.document_id == doc.id).order_by(Comment.id)))

    def document_comments(self, actor: Actor, document_id: Any) -> list[Comment]:
        """The review exchange of a visible document (404 when invisible, 403 when not the caller's to read)."""
        doc = self._visible(actor, document_id)
        self.require(actor, "see_comments", doc)
        return self.comments(actor, doc)

    def _set_text(self, doc: Document, text: str, analysis: dict[str, Any]) -> None:
        """New text for a document: language, sensitivity scan and code suggestions (``analysis``, computed from
        the text before the write lock, see :mod:`repository.knowledge.analysis`), and the minimum level, follow it."""
        doc.text = text
        doc.language = analysis["language"]
        doc.detected = analysis["detected"]
        doc.suggested_codes = analysis["suggested_codes"]
        self._set_minimum(doc)

    @staticmethod
    def _set_minimum(doc: Document) -> None:
        """The minimum level follows the scan findings and the codes (the rule table in ``protocol``)."""
        doc.minimum_level, doc.minimum_reasons = protocol.minimum_level(doc.detected or [], doc.codes)

    @staticmethod
    def _raise_minimum(doc: Document) -> None:
        """Before a release: a document scanned under an older rule table gets the current rules' minimum when it
        is higher than the stored one (never lower: the stored minimum follows every change of text or codes)."""
        level, reasons = protocol.minimum_level(doc.detected or [], doc.codes)
        if level is not None and (doc.minimum_level is None or protocol.level_rank(level) > protocol.level_rank(
            doc.minimum_level
        )):
            doc.minimum_level, doc.minimum_reasons = level, reasons

    def _duplicate(self, actor: Actor, existing: Document) -> ServiceError:
        if protocol.can_view(actor, protocol.facts_of(existing)):
            return ServiceError(409, "duplicate", "This file is already in the repository.", document_id=existing.id)
        # The caller holds the bytes but may not see the document: say no more than that it exists.
        return ServiceError(409, "duplicate", "This file is already in the repository.")

    def get(self, actor: Actor, document_id: Any, *, audit: bool = True) -> Document:
        """A document the actor may see (404 otherwise); records a ``view``."""
        doc = self._visible(actor, document_id)
        if audit:
            with db.write(self.session):
                self.audit(actor, "view", doc.id)
        return doc

    def download(self, actor: Actor, document_id: Any) -> Download:
        """The stored original of a visible document; records a ``download``."""
        doc = self._visible(actor, document_id, "download")
        path = self.repo.store.path_for(doc.sha256)
        if not path.is_file():
            log.error("stored file of document %s is missing", doc.id)
            raise ServiceError(404, "file_missing", "The file of this document is not available.")
        with db.write(self.session):
            self.audit(actor, "download", doc.id)
        return Download(path=path, mime=doc.file.mime, filename=doc.filename, size=doc.file.size)

    def update(self, actor: Actor, document_id: Any, changes: dict[str, Any]) -> Document:
        """Change title, summary, published date or codes (owner organisation before release; coordinators)."""
        doc = self._visible(actor, document_id, "update")
        allowed_keys = {"title", "summary", "published", "codes"}
        unknown = sorted(set(changes) - allowed_keys)
        if unknown:
            raise _invalid(f"These fields cannot be changed here: {', '.join(unknown)}.")
        values: dict[str, Any] = {}
        if "title" in changes:
            values["title"] = clean_text(changes["title"], "title", MAX_TITLE, required=True)
        if "summary" in changes:
            values["summary"] = clean_text(changes["summary"], "summary", MAX_SUMMARY)
        if "published" in changes:
            values["published"] = parse_date(changes["published"], "published")
        codes = None
        if "codes" in changes:
            codes = self._check_codes(clean_list(changes["codes"], "codes", MAX_CODES))
        with db.write(self.session):
            for key, value in values.items():
                setattr(doc, key, value)
            if codes is not None:
                doc.code_rows = [DocumentCode(code_id=c) for c in codes]
                self._set_minimum(doc)
            doc.updated_at = utcnow()
            self.audit(actor, "update", doc.id, fields=sorted(changes))
            indexing.enqueue(self.session, [doc.id])
        self.repo.after_index_change(wait=True)
        return doc

    def accept_suggestions(self, actor: Actor, document_id: Any, codes: Any) -> Document:
        """Add suggested codes to a document in one step (the same permission as :meth:`update`).

        ``codes`` is a list of code ids taken from the document's suggestions, or ``"all"`` for every suggestion
        not applied yet. An accepted document type replaces the current one (one type per document). A suggested
        code retired since is offered as its replacement. Audited as ``update``; the index follows via the outbox.
        """
        doc = self._visible(actor, document_id, "update")
        if codes != "all":
            codes = clean_list(codes, "codes", MAX_CODES)
            if not codes:
                raise _invalid("codes must list at least one suggested code (or send all: true).")
        new_codes = self._with_suggestions(doc, codes)
        if set(new_codes) == set(doc.codes):
            return doc
        with db.write(self.session):
            self._accept(actor, doc, new_codes)
            indexing.enqueue(self.session, [doc.id])
        self.repo.after_index_change(wait=True)
        return doc

    def _with_suggestions(self, doc: Document, codes: Any) -> list[str]:
        """The document's codes once ``codes`` (suggested code ids, or ``"all"``) are accepted; 422
        ``not_suggested`` for a code that is not among its suggestions."""
        taxonomy = self.repo.taxonomy
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
            self._check_codes(wanted)
        new_codes = merge_accepted_codes(doc.codes, suggestions, wanted)
        if len(new_codes) > MAX_CODES:
            raise _invalid(f"A document may have at most {MAX_CODES} codes.")
        return new_codes

    def _accept(self, actor: Actor, doc: Document, new_codes: list[str]) -> list[str]:
        """Give ``doc`` the codes ``new_codes`` (from :meth:`_with_suggestions`) inside the caller's transaction;
        audited as ``update``. Returns the codes added."""
        added = [c for c in new_codes if c not in doc.codes]
        removed = [c for c in doc.codes if c not in new_codes]
        if not added and not removed:
            return []
        kept = [row for row in doc.code_rows if row.code_id in new_codes]
        doc.code_rows = kept + [DocumentCode(code_id=c) for c in added]
        self._set_minimum(doc)
        doc.updated_at = utcnow()
        self.audit(actor, "update", doc.id, fields=["codes"], accepted_suggestions=added, removed_codes=removed)
        return added

    def migrate_retired_codes(self, actor: Actor, *, dry_run: bool = False) -> dict[str, int]:
        """Move documents from retired taxonomy codes to their replacements (``taxonomy migrate``; system only).

        Returns ``{retired code: number of documents that carry it}``. Unless ``dry_run``, each document is
        changed in the database (its minimum level recomputed), audited as ``update`` and re-indexed through the
        outbox, in batches.
        """
        self.require(actor, "migrate_codes")
        taxonomy = self.repo.taxonomy
        moves = {c.id: taxonomy.current(c.id) for c in taxonomy.codes.values() if c.retired}
        counts: dict[str, int] = {}
        if not moves:
            return counts
        doc_ids = sorted(
            set(self.session.scalars(select(DocumentCode.document_id).where(DocumentCode.code_id.in_(moves))))
        )
        batch = 200
        for start in range(0, len(doc_ids), batch):
            chunk = doc_ids[start : start + batch]
            docs = list(self.session.scalars(select(Document).where(Document.id.in_(chunk))))
            for doc in docs:
                for old in doc.codes:
                    if old in moves:
                        counts[old] = counts.get(old, 0) + 1
            if dry_run:
                continue
            with db.write(self.session):
                for doc in docs:
                    moved = {old: moves[old] for old in doc.codes if old in moves}
                    new_codes = list(dict.fromkeys(moves.get(c, c) for c in doc.codes))
                    kept = [row for row in doc.code_rows if row.code_id in new_codes]
                    have = {row.code_id for row in kept}
                    doc.code_rows = kept + [DocumentCode(code_id=c) for c in new_codes if c not in have]
                    self._set_minimum(doc)
                    doc.updated_at = utcnow()
                    self.audit(actor, "update", doc.id, fields=["codes"], migrated_codes=moved, by="taxonomy migrate")
                indexing.enqueue(self.session, [d.id for d in docs])
        if not dry_run and doc_ids:
            self.repo.after_index_change(wait=True)
        return dict(sorted(counts.items()))

    def submit(self, actor: Actor, document_id: Any) -> Document:
        """The owner organisation sends a returned document back to review."""
        doc = self._visible(actor, document_id)
        try:
            new_state = protocol.require_transition(actor, "submit", protocol.facts_of(doc))
        except Denied as exc:
            raise _denied(exc) from None
        with db.write(self.session):
            self._decide(actor, doc, "submit", new_state)
            self.audit(actor, "submit", doc.id)
            indexing.enqueue(self.session, [doc.id])
        self.repo.after_index_change(wait=True)
        return doc

    def review(self, actor: Actor, document_id: Any, data: dict[str, Any]) -> Document:
        """A coordinator's decision: ``release`` (at a level, with grants), ``return`` or ``withhold``."""
        doc = self._visible(actor, document_id)
        action = data.get("action")
        if action not in protocol.REVIEW_ACTIONS:
            raise _invalid(f"action must be one of {', '.join(protocol.REVIEW_ACTIONS)}.")
        try:
            new_state = protocol.require_transition(actor, action, protocol.facts_of(doc))
        except Denied as exc:
            raise _denied(exc) from None
        rationale = clean_text(data.get("rationale"), "rationale", MAX_RATIONALE)
        override = clean_text(data.get("override"), "override", MAX_RATIONALE)
        risks = clean_list(data.get("risks"), "risks", len(protocol.RISKS))
        benefits = clean_list(data.get("benefits"), "benefits", len(protocol.BENEFITS))
        bad = [r for r in risks if r not in protocol.RISKS] + [b for b in benefits if b not in protocol.BENEFITS]
        if bad:
            raise _invalid(
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
            raise _invalid(
                f"Unknown finding kind in considered: {', '.join(unknown_kinds[:5])}.",
                allowed_kinds=list(protocol.DETECTED_LABELS),
            )
        accept_codes = clean_list(data.get("accept_codes"), "accept_codes", MAX_CODES)
        new_codes = None
        if accept_codes:
            try:
                protocol.require(actor, "update", protocol.facts_of(doc))
            except Denied as exc:
                raise _denied(exc) from None
            new_codes = self._with_suggestions(doc, accept_codes)

        if action == "return" and not rationale:
            raise ServiceError(
                422,
                "refused",
                "The return was refused.",
                reasons=["A return needs a comment (rationale): what should the uploader change?"],
            )
        detail: dict[str, Any] = {"rationale": rationale}
        with db.write(self.session):
            if new_codes is not None:
                detail["accepted_codes"] = self._accept(actor, doc, new_codes)
            if action == "return":
                self._add_comment(actor, doc, "return", rationale)
            if action == "release":
                level = data.get("level")
                self._raise_minimum(doc)
                reasons = protocol.check_release(level, grant_orgs, grant_users)
                record = protocol.ReleaseRecord(tuple(doc.codes), tuple(risks), tuple(benefits), rationale)
                missing = protocol.release_missing(record)
                reasons += [condition.reason for condition in missing]
                unconsidered = protocol.not_considered(level, doc.detected or [], considered)
                if unconsidered:
                    reasons.append(protocol.not_considered_reason(unconsidered))
                if reasons:
                    gaps: dict[str, Any] = {"missing": [c.id for c in missing]}
                    if unconsidered:
                        gaps["not_considered"] = unconsidered
                    raise ServiceError(422, "refused", "The release was refused.", reasons=reasons, **gaps)
                below = protocol.below_minimum(level, doc.minimum_level)
                if below and not override:
                    raise ServiceError(
                        422,
                        "below_minimum",
                        f"The level is below the minimum level ({doc.minimum_level}) for this content.",
                        reasons=[below, *doc.minimum_reasons],
                    )
                orgs = self._orgs(grant_orgs)
                users = self._users(grant_users)
                old_orgs = sorted(g.org.acronym for g in doc.org_grants)
                old_users = sorted(g.user.email for g in doc.user_grants)
                doc.level = level
                doc.org_grants = [OrgGrant(org_id=o.id) for o in orgs]
                doc.user_grants = [UserGrant(user_id=u.id) for u in users]
                doc.override = override if below else ""
                detail.update(level=level, grant_orgs=grant_orgs, grant_users=grant_users, considered=considered)
                if below:
                    detail["override"] = override
                    self.audit(
                        actor, "override", doc.id, level=level, minimum_level=doc.minimum_level, override=override
                    )
                if old_orgs != sorted(grant_orgs) or old_users != sorted(grant_users):
                    self.audit(
                        actor,
                        "grant",
                        doc.id,
                        grant_orgs=grant_orgs,
                        grant_users=grant_users,
                        previous_orgs=old_orgs,
                        previous_users=old_users,
                    )
            doc.rationale = rationale
            doc.risks = risks
            doc.benefits = benefits
            if review_by is not None or action == "release":
                doc.review_by = review_by
            detail.update(risks=risks, benefits=benefits, review_by=review_by.isoformat() if review_by else None)
            self._decide(actor, doc, action, new_state, rationale=rationale, detail=detail)
            self.audit(actor, action, doc.id, **detail)
            indexing.enqueue(self.session, [doc.id])
        self.repo.after_index_change(wait=True)
        return doc

    def _decide(
        self,
        actor: Actor,
        doc: Document,
        action: str,
        new_state: str,
        rationale: str = "",
        detail: dict[str, Any] | None = None,
    ) -> None:
        self.session.add(
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

    def _orgs(self, acronyms: list[str]) -> list[Organisation]:
        if not acronyms:
            return []
        found = {
            o.acronym: o for o in self.session.scalars(select(Organisation).where(Organisation.acronym.in_(acronyms)))
        }
        missing = [a for a in acronyms if a not in found]
        if missing:
            raise _invalid(f"Unknown organisation: {', '.join(missing)}.")
        return [found[a] for a in acronyms]

    def _users(self, emails: list[str]) -> list[User]:
        if not emails:
            return []
        found = {u.email: u for u in self.session.scalars(select(User).where(User.email.in_(emails)))}
        missing = [e for e in emails if e not in found or not found[e].active]
        if missing:
            raise _invalid(f"Unknown or inactive account: {', '.join(missing)}.")
        return [found[e] for e in emails]

    def history(self, actor: Actor, doc: Document) -> list[Decision]:
        """The review history of a document, for those who may see review details."""
        if not protocol.allowed(actor, "see_review_details", protocol.facts_of(doc)):
            return []
        return list(self.session.scalars(select(Decision).where(Decision.document_id == doc.id).order_by(Decision.id)))

    # ------------------------------------------------------------------------------------------------------------
    # lists and search
    # ------------------------------------------------------------------------------------------------------------

    def recent(self, actor: Actor, limit: int = 10) -> list[Document]:
        """The newest documents the actor may see."""
        stmt = (
            select(Document)
            .where(protocol.visible_clause(actor, Document))
            .order_by(Document.uploaded_at.desc(), Document.id.desc())
            .limit(limit)
        )
        return list(self.session.scalars(stmt))

    def review_queue(self, actor: Actor, today: dt.date | None = None) -> dict[str, list[Document]]:
        """Coordinators' queue: submissions waiting for a decision, and released documents due for re-review."""
        self.require(actor, "review_queue")
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

    def reviews_due(self, actor: Actor, today: dt.date | None = None) -> list[Document]:
        """Released documents whose ``review_by`` date has come (on or before ``today``), oldest date first."""
        return self.review_queue(actor, today)["due"]

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
        """
        if not 1 <= request.page <= 1000:
            raise ServiceError(400, "bad_request", "page must be a whole number from 1 to 1000.")
        if not 1 <= request.per_page <= 100:
            raise ServiceError(400, "bad_request", "per_page must be a whole number from 1 to 100.")
        if len(request.codes) > MAX_CODES:
            raise _invalid(f"code has more than {MAX_CODES} values.")
        # Retired codes are accepted as filters: documents keep them until ``taxonomy migrate`` moves them.
        unknown = [c for c in dict.fromkeys(request.codes) if c not in self.repo.taxonomy]
        if unknown:
            shown = [code if len(code) <= 80 else code[:80] + "…" for code in unknown[:20]]
            raise ServiceError(
                422, "unknown_code", f"Unknown taxonomy code: {', '.join(shown[:5])}.", unknown=shown
            )
        for level in request.levels:
            if level != NO_LEVEL:
                self._check_level(level, "level")
        if request.levels and not protocol.allowed(actor, "filter_by_level"):
            request.levels = []  # see protocol.PERMISSIONS["filter_by_level"]
        if request.date_from and request.date_to and request.date_from > request.date_to:
            raise _invalid("from must not be after to.")
        pending = indexing.pending_document_ids(self.session)
        try:
            outcome = self.repo.index.search(
                request,
                protocol.principals(actor),
                exclude_ids=pending,
                time_limit=float(self.repo.config["SEARCH_TIME_LIMIT"]),
                lookup=alias_lookup(self.repo.taxonomy),
            )
        except QueryError as exc:
            raise ServiceError(400, "bad_query", exc.message) from None
        docs = self._hit_documents(actor, outcome.ids) if outcome.ids else {}
        dropped = [i for i in outcome.ids if i not in docs]
        if dropped:
            log.error("search index disagrees with the database for documents %s", dropped)
        hits = []
        for doc_id in outcome.ids:
            doc = docs.get(doc_id)
            if doc is None:
                continue
            field, text = ("body", doc.text) if doc.text else ("summary", doc.summary)
            spans = outcome.spans.get(doc_id, {}).get(field)
            snippet = self.repo.index.snippet(text, outcome.terms, spans=spans)
            hits.append({"doc": doc, "snippet": snippet})
        return {
            "total": outcome.total - len(dropped),
            "page": request.page,
            "per_page": request.per_page,
            "hits": hits,
            "facets": outcome.facets,
            "also_searched": outcome.also_searched,
            "levels": list(request.levels),
        }

    def _hit_documents(self, actor: Actor, ids: list[int]) -> dict[int, HitDocument]:
        """The page's documents as the database has them now, those the actor may see: the SQL filter of the
        protocol in the query, and its per-document check on the facts read back. Three light queries (the
        documents, their codes, their grants) for what a hit shows, not the full models."""
        rows = self.session.execute(
            select(
                Document.id, Document.title, Document.level, Document.state, Document.published, Document.org_id,
                Document.uploaded_by_id, Document.text, Document.summary, Organisation.acronym,
            )  # fmt: skip
            .join(Organisation, Organisation.id == Document.org_id)
            .where(Document.id.in_(ids), protocol.visible_clause(actor, Document))
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
        for doc_id, title, level, state, published, org_id, uploader_id, text, summary, acronym in rows:
            facts = protocol.DocFacts(
                state=state,
                level=level,
                org_id=org_id,
                uploader_id=uploader_id,
                grant_org_ids=frozenset(org_grants.get(doc_id, ())),
                grant_user_ids=frozenset(user_grants.get(doc_id, ())),
            )
            if protocol.can_view(actor, facts):
                out[doc_id] = HitDocument(
                    doc_id, title, level, state, published, HitOrg(acronym), codes.get(doc_id, []), text or "",
                    summary or "",
                )  # fmt: skip
        return out

    # ------------------------------------------------------------------------------------------------------------
    # audit
    # ------------------------------------------------------------------------------------------------------------

    def audit_events(
        self, actor: Actor, filters: AuditFilter, page: int = 1, per_page: int = 50
    ) -> tuple[int, list[AuditEvent]]:
        """Audit events matching ``filters``, newest first (coordinators only)."""
        self.require(actor, "read_audit")
        if not 1 <= page <= 100000:
            raise ServiceError(400, "bad_request", "page must be a positive whole number.")
        stmt = filters.query()
        total = self.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        rows = self.session.scalars(stmt.order_by(AuditEvent.id.desc()).offset((page - 1) * per_page).limit(per_page))
        return total, list(rows)

    def audit_export(self, actor: Actor, filters: AuditFilter) -> list[AuditEvent]:
        """Every audit event matching ``filters`` (up to :data:`MAX_AUDIT_EXPORT`), newest first, for the CSV export
        (coordinators only). The export itself is audited as ``audit_export`` with its filters."""
        self.require(actor, "read_audit")
        stmt = filters.query()
        rows = list(self.session.scalars(stmt.order_by(AuditEvent.id.desc()).limit(MAX_AUDIT_EXPORT)))
        with db.write(self.session):
            self.audit(actor, "audit_export", **filters.detail(), rows=len(rows))
        return rows

    # ------------------------------------------------------------------------------------------------------------
    # index maintenance
    # ------------------------------------------------------------------------------------------------------------

    def reindex(self, actor: Actor, wait: float = 60.0) -> int:
        """Rebuild the index from the database (system only); returns the number of documents indexed.

        Waits at most ``wait`` seconds for the rebuild to be done, here or by whichever process applies the
        outbox first (a server's background thread may take it up while this one waits for its turn)."""
        self.require(actor, "reindex")
        with db.write(self.session):
            indexing.enqueue_rebuild(self.session)
        with self.repo.make_session() as session:
            queued = session.scalar(select(func.max(IndexOutbox.id)).where(IndexOutbox.op == "rebuild"))
        deadline = time.monotonic() + wait
        while True:
            self.repo.worker.drain(timeout=max(0.0, min(60.0, deadline - time.monotonic())))
            with self.repo.make_session() as session:
                left = session.scalar(select(func.count(IndexOutbox.id)).where(IndexOutbox.id <= (queued or 0)))
            if not left:
                return self.repo.index.doc_count()
            if time.monotonic() >= deadline:
                raise ServiceError(503, "index_busy", "The index is busy; the rebuild is queued and will run shortly.")
            time.sleep(0.5)

    def imported_paths(self, org_id: int) -> set[str]:
        """Source paths already imported for an organisation (so a re-run skips them)."""
        return set(
            self.session.scalars(
                select(Document.source_path).where(Document.org_id == org_id, Document.source_path.is_not(None))
            )
        )

    def known_hashes(self) -> set[str]:
        """Digests of every stored document (for import's skip-if-already-imported)."""
        return set(self.session.scalars(select(Document.sha256)))

    def find_user(self, email: str) -> User | None:
        """An account by e-mail."""
        return self.session.scalar(select(User).where(User.email == (email or "").strip().lower()))

    def find_org(self, acronym: str) -> Organisation | None:
        """An organisation by acronym."""
        return self.session.scalar(select(Organisation).where(Organisation.acronym == (acronym or "").upper()))

    def orgs(self) -> list[Organisation]:
        """Every organisation, by acronym."""
        return list(self.session.scalars(select(Organisation).order_by(Organisation.acronym)))

    def grantable_users(self, actor: Actor) -> list[User]:
        """Active accounts a coordinator may grant a strictly confidential document to."""
        self.require(actor, "review_queue")
        return list(self.session.scalars(select(User).where(User.active.is_(True)).order_by(User.email)))


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _extension(mime: str) -> str:
    from repository.knowledge.sniff import EXTENSIONS

    return EXTENSIONS.get(mime, "bin")
