"""Database models (typed SQLAlchemy 2). They hold data and invariants only; access policy is in protocol.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import BigInteger
from sqlalchemy import Boolean
from sqlalchemy import Date
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy import exists
from sqlalchemy import select
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from repository.data.db import Base

#: The largest id a row can have (ids are 32-bit integers on PostgreSQL): larger ones name nothing.
MAX_ID = 2**31 - 1


def utcnow() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


class Organisation(Base):
    """A partner, agency or coordination body; ``acronym`` is its stable public id (e.g. ``DRC``)."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    acronym: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class User(Base):
    """An account. ``session_version`` is bumped to end every session of the account at once."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Two-factor (TOTP, RFC 6238): the base32 secret, set at enrolment and confirmed by a first code; the time step
    # of the last accepted code, so that a code is never accepted twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64), nullable=True)
    totp_confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger, nullable=True)

    org: Mapped[Organisation] = relationship(lazy="joined")

    @property
    def has_second_factor(self) -> bool:
        """True once the account has confirmed a TOTP enrolment."""
        return bool(self.totp_secret and self.totp_confirmed_at)


class RecoveryCode(Base):
    """A one-time two-factor recovery code; only its SHA-256 is stored, ``used_at`` is set when it is spent."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ApiToken(Base):
    """An API token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User] = relationship(lazy="joined")


class StoredFile(Base):
    """A stored original, named by the SHA-256 of its bytes (kept apart from documents for future versions)."""

    __tablename__ = "stored_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mime: Mapped[str] = mapped_column(String(120))
    stored_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OrgGrant(Base):
    """A coordinator's grant of a confidential document to another organisation."""

    __tablename__ = "org_grants"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)

    org: Mapped[Organisation] = relationship(lazy="joined")


class UserGrant(Base):
    """A coordinator's grant of a strictly confidential document to a named person."""

    __tablename__ = "user_grants"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)

    user: Mapped[User] = relationship(lazy="joined")


class DocumentCode(Base):
    """A taxonomy code (``facet:code``) applied to a document."""

    __tablename__ = "document_codes"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    code_id: Mapped[str] = mapped_column(String(120), primary_key=True)


class Document(Base):
    """A submitted report: metadata, workflow state, sharing level, extracted text and review record."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("sha256", name="uq_documents_sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text, default="")
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(ForeignKey("stored_files.sha256"))
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    state: Mapped[str] = mapped_column(String(20), index=True)
    level: Mapped[str | None] = mapped_column(String(30), nullable=True)
    proposed_level: Mapped[str | None] = mapped_column(String(30), nullable=True)
    minimum_level: Mapped[str | None] = mapped_column(String(30), nullable=True)
    minimum_reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    risks: Mapped[list[Any]] = mapped_column(JSON, default=list)
    benefits: Mapped[list[Any]] = mapped_column(JSON, default=list)
    rationale: Mapped[str] = mapped_column(Text, default="")
    override: Mapped[str] = mapped_column(Text, default="")
    review_by: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    detected: Mapped[list[Any]] = mapped_column(JSON, default=list)
    suggested_codes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    language: Mapped[str | None] = mapped_column(String(10), nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")
    text_status: Mapped[str] = mapped_column(String(20), default="ok")
    text_reason: Mapped[str | None] = mapped_column(String(300), nullable=True)
    source_path: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    # A released confidential or strictly confidential document whose metadata accounts outside its audience may
    # see (and ask for access to): the coordinator's choice at release (see repository.protocol.discovery). NULL,
    # as in every row written before it existed, is false.
    discoverable: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    derived_from: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL", name="fk_documents_derived_from_documents"),
        nullable=True,
        index=True,
    )  # a redacted copy: the document whose findings it masks
    #: The document a redacted copy was made from (``derived_from``), or None.
    original: Mapped[Document | None] = relationship(
        lazy="select", remote_side="Document.id", foreign_keys=[derived_from]
    )

    file: Mapped[StoredFile] = relationship(lazy="joined")
    org: Mapped[Organisation] = relationship(lazy="joined")
    uploaded_by: Mapped[User] = relationship(lazy="joined", foreign_keys=[uploaded_by_id])
    code_rows: Mapped[list[DocumentCode]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by=DocumentCode.code_id
    )
    org_grants: Mapped[list[OrgGrant]] = relationship(lazy="selectin", cascade="all, delete-orphan")
    user_grants: Mapped[list[UserGrant]] = relationship(lazy="selectin", cascade="all, delete-orphan")
    decisions: Mapped[list[Decision]] = relationship(
        lazy="select", cascade="all, delete-orphan", order_by="Decision.id"
    )
    comments: Mapped[list[Comment]] = relationship(lazy="select", cascade="all, delete-orphan", order_by="Comment.id")
    #: Recorded versions (repository.protocol.versions): none until a second version arrives.
    version_rows: Mapped[list[DocumentVersion]] = relationship(
        lazy="select", cascade="all, delete-orphan", order_by="DocumentVersion.number"
    )

    @property
    def codes(self) -> list[str]:
        """The document's code ids."""
        return [row.code_id for row in self.code_rows]

    @classmethod
    def granted_to_org(cls, org_id: int) -> Any:
        """SQL condition: the document is granted to organisation ``org_id``."""
        return exists(select(OrgGrant.document_id).where(OrgGrant.document_id == cls.id, OrgGrant.org_id == org_id))

    @classmethod
    def granted_to_user(cls, user_id: int) -> Any:
        """SQL condition: the document is granted to account ``user_id``."""
        return exists(
            select(UserGrant.document_id).where(UserGrant.document_id == cls.id, UserGrant.user_id == user_id)
        )


class DocumentVersion(Base):
    """One version of a document's file: the first one (recorded when a second arrives) and every later one. A new
    version waits here with its own text and findings (``submitted``) until a release makes it the document's
    content; ``state`` is then ``released``, and the version it replaced ``superseded``. Files stay stored."""

    __tablename__ = "document_versions"
    __table_args__ = (
        UniqueConstraint("document_id", "number", name="uq_document_versions_number"),
        UniqueConstraint("sha256", name="uq_document_versions_sha256"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(ForeignKey("stored_files.sha256"))
    filename: Mapped[str] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(20))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    released_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")
    text_status: Mapped[str] = mapped_column(String(20), default="ok")
    text_reason: Mapped[str | None] = mapped_column(String(300), nullable=True)
    language: Mapped[str | None] = mapped_column(String(10), nullable=True)
    detected: Mapped[list[Any]] = mapped_column(JSON, default=list)
    suggested_codes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    minimum_level: Mapped[str | None] = mapped_column(String(30), nullable=True)
    minimum_reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)

    file: Mapped[StoredFile] = relationship(lazy="joined")


class Decision(Base):
    """One step of a document's review history (append-only)."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    action: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_state: Mapped[str] = mapped_column(String(20))
    level: Mapped[str | None] = mapped_column(String(30), nullable=True)
    rationale: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    actor: Mapped[User | None] = relationship(lazy="joined")


class Comment(Base):
    """One message of a document's review exchange (append-only): a coordinator's request for changes (``kind``
    ``return``, the rationale of a return) or a comment from a coordinator or the owner organisation (``comment``).
    ``author_email`` and ``author_org`` are snapshots so the exchange survives account changes."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    author_email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    author_org: Mapped[str | None] = mapped_column(String(32), nullable=True)
    author_role: Mapped[str | None] = mapped_column(String(20), nullable=True)
    kind: Mapped[str] = mapped_column(String(20), default="comment")
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AccessRequest(Base):
    """An account's request for access to a document whose metadata only it sees (``pending``), and the
    coordinator's answer (``granted``: a user grant is added; ``refused``), with the answer's ``note``."""

    __tablename__ = "access_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    requester: Mapped[User] = relationship(lazy="joined", foreign_keys=[requester_id])
    answered_by: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[answered_by_id])


class AuditEvent(Base):
    """An append-only audit record. ``actor_email`` is a snapshot so the trail survives account changes."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    actor_email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    document_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: The id of the HTTP request that wrote the event (X-Request-ID, also on that request's log lines).
    request_id: Mapped[str | None] = mapped_column(String(64), nullable=True)


class IndexOutbox(Base):
    """A pending change for the search index, written in the same transaction as the change itself.

    ``document_id`` NULL with ``op == "rebuild"`` asks for a full rebuild from the database.
    """

    __tablename__ = "index_outbox"
    # Never reuse an id: a worker deletes the rows it read by id, so a reused id would delete a newer change.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    op: Mapped[str] = mapped_column(String(20), default="upsert")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SimilaritySignature(Base):
    """A document's MinHash signature over the word shingles of its normalised text (see
    :mod:`repository.knowledge.similarity`), as hex; none when the text is too short to compare."""

    __tablename__ = "similarity_signatures"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    signature: Mapped[str] = mapped_column(Text)
    shingles: Mapped[int] = mapped_column(Integer, default=0)


class SimilarityBand(Base):
    """One LSH band key of a document's signature: documents that share a key in some band are candidates for
    near-duplicates (indexed, so the look-up at upload and on a document page is one SQL query)."""

    __tablename__ = "similarity_bands"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    bucket: Mapped[str] = mapped_column(String(16), index=True)
