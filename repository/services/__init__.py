"""Business operations, by capability (see :mod:`repository.services.service` for the parts and the call shape).
Every operation takes the acting :class:`~repository.protocol.Actor` first, asks :mod:`repository.protocol` before
doing anything, runs in one database transaction, and writes the audit trail.

Services never touch Flask's request globals, so the CLI, background work and tests call them directly.
"""

from __future__ import annotations

from repository.services.audit import MAX_AUDIT_EXPORT
from repository.services.audit import AuditFilter
from repository.services.base import MAX_CODES
from repository.services.base import MAX_COMMENT
from repository.services.base import MAX_GRANTS
from repository.services.base import MAX_RATIONALE
from repository.services.base import MAX_SUMMARY
from repository.services.base import MAX_TITLE
from repository.services.base import Repo
from repository.services.base import ServiceError
from repository.services.base import clean_list
from repository.services.base import clean_text
from repository.services.base import parse_date
from repository.services.service import Service
from repository.services.tokens import hash_token

__all__ = [
    "MAX_AUDIT_EXPORT",
    "MAX_CODES",
    "MAX_COMMENT",
    "MAX_GRANTS",
    "MAX_RATIONALE",
    "MAX_SUMMARY",
    "MAX_TITLE",
    "AuditFilter",
    "Repo",
    "Service",
    "ServiceError",
    "clean_list",
    "clean_text",
    "hash_token",
    "parse_date",
]
