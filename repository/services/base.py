"""What every service shares: the refusal type, the app's :class:`Repo`, the value parsing of the JSON API, the HTML
forms and the CLI (ids parsed here and nowhere else), and the :class:`Context` of one unit of work (session, client
address, request id, the audit trail, the protocol's checks, loading a visible document).

Services never touch Flask's request globals: the web layer passes the client address and the request id in when it
builds the services of a request, so the CLI, background work and tests build them the same way.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from indexer.index import SearchIndex
from indexer.pool import ExtractionPool
from repository import protocol
from repository.data.models import MAX_ID
from repository.data.models import AuditEvent
from repository.data.models import Document
from repository.data.models import User
from repository.data.storage import FileStore
from repository.knowledge.taxonomy import Taxonomy
from repository.protocol import Actor
from repository.protocol import Denied
from repository.services.indexing import IndexWorker

log = logging.getLogger(__name__)

MAX_TITLE = 300
MAX_SUMMARY = 5000
MAX_RATIONALE = 5000
MAX_COMMENT = 5000
MAX_CODES = 50
MAX_GRANTS = 100


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


def invalid(message: str, **extra: Any) -> ServiceError:
    """A 422 ``invalid_value`` refusal."""
    return ServiceError(422, "invalid_value", message, **extra)


def denied(exc: Denied) -> ServiceError:
    """The service form of a protocol refusal (its status, code, message and reasons)."""
    extra = {"reasons": exc.reasons} if exc.reasons else {}
    return ServiceError(exc.status, exc.code, exc.message, **extra)


def unknown_codes(unknown: list[str]) -> ServiceError:
    """The 422 ``unknown_code`` refusal naming (shortened) codes the vocabulary does not know."""
    shown = [code if len(code) <= 80 else code[:80] + "…" for code in unknown[:20]]
    return ServiceError(422, "unknown_code", f"Unknown taxonomy code: {', '.join(shown[:5])}.", unknown=shown)


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


# ----------------------------------------------------------------------------------------------------------------
# Value parsing shared by the JSON API, the HTML forms and the CLI
# ----------------------------------------------------------------------------------------------------------------


def parse_id(value: Any) -> int | None:
    """A row id (document, account, token) from a path or form value: a whole number from 1 to the largest id,
    written one way only (ASCII digits, no sign or space); None for anything else."""
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        return None
    try:
        row_id = int(value)
    except (TypeError, ValueError):
        return None
    return row_id if 0 < row_id <= MAX_ID else None


def parse_date(value: Any, field: str) -> dt.date | None:
    """Parse ``YYYY-MM-DD`` (empty gives None); anything else is a 422 naming the field."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) != 10:
        raise invalid(f"{field} must be a date written YYYY-MM-DD.")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise invalid(f"{field} must be a date written YYYY-MM-DD.") from None


def clean_text(value: Any, field: str, max_len: int, *, required: bool = False) -> str:
    """A single text value: stripped, NUL-free, at most ``max_len`` characters."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise invalid(f"{field} must be text.")
    value = value.replace("\x00", "").strip()
    if len(value) > max_len:
        raise invalid(f"{field} is longer than {max_len} characters.")
    if required and not value:
        raise invalid(f"{field} is required.")
    return value


def clean_list(value: Any, field: str, max_items: int, max_len: int = 200) -> list[str]:
    """A list of short strings (a JSON list, or repeated form values)."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise invalid(f"{field} must be a list of text values.")
    if len(value) > max_items:
        raise invalid(f"{field} has more than {max_items} values.")
    out = []
    for v in value:
        v = v.strip()
        if len(v) > max_len:
            raise invalid(f"a value of {field} is longer than {max_len} characters.")
        if v and v not in out:
            out.append(v)
    return out


def form_text(value: Any) -> str:
    """A form value as text (anything else, e.g. a missing field, as the empty string)."""
    return value if isinstance(value, str) else ""


# ----------------------------------------------------------------------------------------------------------------
# The context of one unit of work
# ----------------------------------------------------------------------------------------------------------------


class Context:
    """One unit of work (one request or one CLI command): the app's :class:`Repo`, a database session, the client
    address and the request id recorded with each audit event."""

    def __init__(self, repo: Repo, session: Session, ip: str | None = None, request_id: str | None = None) -> None:
        self.repo = repo
        self.session = session
        self.ip = ip
        self.request_id = request_id

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
                request_id=self.request_id,  # None outside an HTTP request (CLI, background work)
            )
        )

    def require(self, actor: Actor, action: str, doc: Document | None = None) -> None:
        """Raise a :class:`ServiceError` unless the protocol lets ``actor`` do ``action`` (to ``doc``)."""
        try:
            protocol.require(actor, action, protocol.facts_of(doc) if doc is not None else None)
        except Denied as exc:
            raise denied(exc) from None

    def user(self, actor: Actor) -> User | None:
        """The account behind ``actor`` (None for anonymous visitors and the system)."""
        return self.session.get(User, actor.user_id) if actor.user_id is not None else None

    def own_account(self, actor: Actor) -> User:
        """The actor's own account, if the protocol lets it manage one (401/403 otherwise)."""
        self.require(actor, "manage_own_account")
        user = self.user(actor)
        if user is None:
            raise ServiceError(401, "login_required", "Log in first.")
        return user

    def account(self, actor: Actor, user_id: Any) -> User:
        """The account ``user_id``, for an actor who manages accounts (404 when there is none)."""
        self.require(actor, "manage_accounts")
        row_id = parse_id(user_id)
        user = self.session.get(User, row_id) if row_id is not None else None
        if user is None:
            raise ServiceError(404, "not_found", "No such account.")
        return user

    def visible(self, actor: Actor, document_id: Any, action: str = "view") -> Document:
        """The document, if ``actor`` may do ``action`` to it (404 when invisible or malformed, 401/403 when not
        theirs)."""
        row_id = parse_id(document_id)
        doc = self.session.get(Document, row_id) if row_id is not None else None
        try:
            protocol.require(actor, action, protocol.facts_of(doc) if doc is not None else None)
        except Denied as exc:
            raise denied(exc) from None
        assert doc is not None
        return doc

    def check_codes(self, codes: Iterable[str]) -> list[str]:
        """Codes for a document: at most :data:`MAX_CODES`, each known to the vocabulary (422 otherwise)."""
        codes = list(codes)
        if len(codes) > MAX_CODES:
            raise invalid(f"codes has more than {MAX_CODES} values.")
        unknown = self.repo.taxonomy.unknown(codes)
        if unknown:
            raise unknown_codes(unknown)
        return codes

    @staticmethod
    def check_level(value: Any, field: str) -> str | None:
        """A sharing level (empty gives None; anything but one of the protocol's levels is a 422)."""
        if value in (None, ""):
            return None
        if value not in protocol.LEVELS:
            raise invalid(f"{field} must be one of {', '.join(protocol.LEVELS)}.")
        return value


class Part:
    """A capability's service: built on the :class:`Context` of a unit of work, whose session and repo it uses."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    @property
    def session(self) -> Session:
        """The unit of work's database session."""
        return self.ctx.session

    @property
    def repo(self) -> Repo:
        """The app's :class:`Repo`."""
        return self.ctx.repo
