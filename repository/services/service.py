"""The services of one unit of work, by capability: what a view, a CLI command or a test builds once and calls.

``Service(repo, session, ip=..., request_id=...)`` shares one :class:`~repository.services.base.Context` (session,
client address, request id, audit trail) between its parts; each part is a small class of one shape (actor first,
asks :mod:`repository.protocol`, one unit of work, audits)::

    svc.intake.upload(actor, stream, filename, ...)      svc.intake.replace_file(actor, doc_id, stream, filename)
    svc.documents.get / download / update / accept_suggestions / comment / comments / document_comments
    svc.reviews.submit / review / history / queue / due / grant_choices
    svc.listing.search / recent / my_documents
    svc.audit_trail.events / export
    svc.accounts.users / orgs / create_org / create_user / set_active / change_role / reset_password / me /
                 change_password / authenticate / logout / find_user / find_org
    svc.second_factor.begin_enrolment / confirm_enrolment / verify / regenerate_recovery_codes / reset / ...
    svc.tokens.mine / create / revoke / user_for
    svc.similarity.similar / backfill
    svc.versions.upload / history / download / view_of / may_upload
    svc.maintenance.reindex / migrate_retired_codes / imported_paths / known_hashes
    svc.catalogue.rows / stats
    svc.dashboard.figures
    svc.redactions.redact / choices
    svc.access.metadata / request / requests / answer / own_request / titles
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from repository.data.models import Document
from repository.protocol import Actor
from repository.services.access import AccessRequests
from repository.services.accounts import Accounts
from repository.services.audit import AuditTrail
from repository.services.base import Context
from repository.services.base import Part
from repository.services.base import Repo
from repository.services.catalogue import Catalogue
from repository.services.dashboard import Dashboard
from repository.services.documents import Documents
from repository.services.intake import Intake
from repository.services.maintenance import Maintenance
from repository.services.redaction import Redactions
from repository.services.review import Reviews
from repository.services.search import Listing
from repository.services.second_factor import SecondFactor
from repository.services.similarity import Similarity
from repository.services.tokens import Tokens
from repository.services.versions import Versions


class Service(Part):
    """The services of one unit of work (one request or one CLI command), one attribute per capability; its
    ``session`` and ``repo`` are those of the shared context."""

    def __init__(self, repo: Repo, session: Session, ip: str | None = None, request_id: str | None = None) -> None:
        super().__init__(Context(repo, session, ip, request_id))
        ctx = self.ctx
        self.intake = Intake(ctx)
        self.documents = Documents(ctx)
        self.reviews = Reviews(ctx)
        self.listing = Listing(ctx)
        self.audit_trail = AuditTrail(ctx)
        self.accounts = Accounts(ctx)
        self.second_factor = SecondFactor(ctx)
        self.tokens = Tokens(ctx)
        self.versions = Versions(ctx)
        self.maintenance = Maintenance(ctx)
        self.catalogue = Catalogue(ctx)
        self.similarity = Similarity(ctx)
        self.redactions = Redactions(ctx)
        self.access = AccessRequests(ctx)
        self.dashboard = Dashboard(ctx)

    @property
    def ip(self) -> str | None:
        """The client address recorded with each audit event."""
        return self.ctx.ip

    def require(self, actor: Actor, action: str, doc: Document | None = None) -> None:
        """Raise a :class:`~repository.services.base.ServiceError` unless the protocol lets ``actor`` do ``action``
        (e.g. ``upload`` before a request body is read)."""
        self.ctx.require(actor, action, doc)
