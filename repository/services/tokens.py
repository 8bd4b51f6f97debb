"""API tokens: one path mints them, for an account on its tokens page and for the operator at the command line
(``token create EMAIL``), by the rules :func:`repository.protocol.token_rules` gives the actor; an account lists and
revokes its own; a request's bearer token names its account.

Only a token's SHA-256 is stored; the token is returned once. Audit actions: ``token_create``, ``token_revoke``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from sqlalchemy import select

from repository import protocol
from repository.data import db
from repository.data.models import ApiToken
from repository.data.models import User
from repository.data.models import utcnow
from repository.protocol import Actor
from repository.services.base import Part
from repository.services.base import ServiceError
from repository.services.base import clean_text
from repository.services.base import invalid
from repository.services.base import parse_id

MAX_LABEL = 100


def hash_token(token: str) -> str:
    """The stored form of an API token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def token_state(token: ApiToken) -> str:
    """``active``, ``revoked`` or ``expired``."""
    if token.revoked:
        return "revoked"
    if token.expires_at is not None and _aware(token.expires_at) < utcnow():
        return "expired"
    return "active"


class Tokens(Part):
    """Minting, listing and revoking API tokens; the account behind a bearer token."""

    def mine(self, actor: Actor) -> list[ApiToken]:
        """One's own tokens, newest first (only their labels, dates and state: the tokens are not stored)."""
        self.ctx.require(actor, "manage_own_account")
        return self._of(protocol.own_tokens_clause(actor, ApiToken.user_id))

    def _of(self, clause: Any) -> list[ApiToken]:
        return list(self.session.scalars(select(ApiToken).where(clause).order_by(ApiToken.id.desc())))

    def create(
        self, actor: Actor, label: Any = "", days: Any = protocol.MAX_TOKEN_DAYS, *, email: str | None = None
    ) -> str:
        """Mint an API token and return it once (only its hash is kept): for the actor's own account, or, for the
        operator (the system, ``token create EMAIL``), for the account ``email``. The rules are the protocol's
        :func:`~repository.protocol.token_rules` for the actor: who may, how many days (0: never, where allowed),
        how many active tokens an account may hold."""
        rules = protocol.token_rules(actor)
        self.ctx.require(actor, rules.action)
        label = clean_text(label, "label", MAX_LABEL)
        n_days = self._days(days, rules)
        if rules.names_account:
            user = self.session.scalar(select(User).where(User.email == (email or "").strip().lower()))
            if user is None:
                raise ServiceError(404, "not_found", f"No account {email}.")
        else:
            user = self.ctx.own_account(actor)
        live = [t for t in self._of(ApiToken.user_id == user.id) if token_state(t) == "active"]
        if rules.max_active is not None and len(live) >= rules.max_active:
            raise ServiceError(
                409, "too_many_tokens", f"You already have {rules.max_active} active tokens; revoke one."
            )
        token = "rp_" + secrets.token_urlsafe(32)
        expires = utcnow() + dt.timedelta(days=n_days) if n_days else None
        with db.write(self.session):
            self.session.add(ApiToken(user_id=user.id, token_hash=hash_token(token), label=label, expires_at=expires))
            self.ctx.audit(
                protocol.actor_for(user), "token_create", label=label, days=str(n_days) if n_days else None,
                by="system" if actor.system else None,
            )  # fmt: skip
        return token

    @staticmethod
    def _days(days: Any, rules: protocol.TokenRules) -> int:
        """The token's life in days under ``rules`` (0: it never expires)."""
        try:
            n_days = int(days)
        except (TypeError, ValueError):
            raise invalid("days must be a whole number.") from None
        low = 0 if rules.may_never_expire else 1
        if rules.max_days is None:
            if n_days < low:
                raise invalid(f"days must be {low} or more.")
        elif not low <= n_days <= rules.max_days:
            raise invalid(f"days must be between {low} and {rules.max_days}.")
        return n_days

    def revoke(self, actor: Actor, token_id: Any) -> None:
        """Revoke one of one's own tokens; another account's token is "not found"."""
        self.ctx.require(actor, "manage_own_account")
        row_id = parse_id(token_id)
        with db.write(self.session):
            row = self.session.get(ApiToken, row_id) if row_id is not None else None
            if row is None or not protocol.owns_token(actor, row.user_id):
                raise ServiceError(404, "not_found", "No such token.")
            if not row.revoked:
                row.revoked = True
                self.ctx.audit(actor, "token_revoke", label=row.label or None, token=str(row.id))

    def user_for(self, token: str) -> User | None:
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
