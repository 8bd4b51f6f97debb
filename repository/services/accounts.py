"""Accounts, organisations, passwords, two-factor and API tokens: the operations behind the admin and account pages.

Like :mod:`repository.services`, every method takes the acting :class:`~repository.protocol.Actor` first, asks
:mod:`repository.protocol`, runs in one transaction and writes the audit trail; nothing here reads Flask's request
globals. Every change that alters what an account may do (deactivation, role change, password change or reset,
two-factor reset) bumps its ``session_version``, which ends every browser session of the account at once.

Audit actions written here: ``user_create``, ``org_create`` (through :class:`~repository.services.Service`),
``user_deactivate``, ``user_activate``, ``role_change``, ``password_reset``, ``password_change``, ``totp_enable``,
``totp_reset``, ``totp_failed``, ``recovery_code_used``, ``token_create``, ``token_revoke``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any

import pyotp
from sqlalchemy import select
from werkzeug.security import check_password_hash

from repository import protocol
from repository.data import db
from repository.data.models import MAX_ID
from repository.data.models import ApiToken
from repository.data.models import Organisation
from repository.data.models import RecoveryCode
from repository.data.models import User
from repository.data.models import utcnow
from repository.knowledge import passwords
from repository.protocol import Actor
from repository.services import Service
from repository.services import ServiceError
from repository.services import clean_text
from repository.services import hash_token

#: Issuer shown by authenticator apps.
TOTP_ISSUER = "Protection repository"
RECOVERY_CODES = 10
MAX_TOKENS = 20
MAX_TOKEN_DAYS = 365
MAX_LABEL = 100


def _invalid(message: str) -> ServiceError:
    return ServiceError(422, "invalid_value", message)


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.encode("ascii", "ignore")).hexdigest()


def normalise_code(value: Any) -> str:
    """A typed code without spaces and dashes, lower case; empty when it is not plausible."""
    if not isinstance(value, str) or len(value) > 64:
        return ""
    return "".join(value.split()).replace("-", "").lower()


@dataclass
class Enrolment:
    """A started two-factor enrolment: the secret and the ``otpauth://`` URI to show once."""

    secret: str
    uri: str


class Accounts:
    """Account operations on top of a :class:`~repository.services.Service` (its session, audit and checks)."""

    def __init__(self, service: Service) -> None:
        self.svc = service
        self.session = service.session

    # ------------------------------------------------------------------------------------------------------------
    # admins: organisations and accounts
    # ------------------------------------------------------------------------------------------------------------

    def users(self, actor: Actor) -> list[User]:
        """Every account, by e-mail (admins)."""
        self.svc.require(actor, "manage_accounts")
        return list(self.session.scalars(select(User).order_by(User.email)))

    def orgs(self, actor: Actor) -> list[Organisation]:
        """Every organisation, by acronym (admins)."""
        self.svc.require(actor, "manage_orgs")
        return list(self.session.scalars(select(Organisation).order_by(Organisation.acronym)))

    def create_org(self, actor: Actor, acronym: Any, name: Any) -> Organisation:
        """Create an organisation (audited ``org_create``)."""
        self.svc.require(actor, "manage_orgs")
        return self.svc.add_org(actor, _text(acronym), _text(name))

    def create_user(self, actor: Actor, email: Any, org: Any, role: Any, password: Any) -> User:
        """Create an account (audited ``user_create``); the password must meet the policy."""
        self.svc.require(actor, "manage_accounts")
        return self.svc.add_user(actor, _text(email), _text(org), _text(role), _text(password))

    def _target(self, actor: Actor, user_id: Any) -> User:
        self.svc.require(actor, "manage_accounts")
        try:
            uid = int(user_id)
        except (TypeError, ValueError):
            uid = 0
        user = self.session.get(User, uid) if 0 < uid <= MAX_ID else None
        if user is None:
            raise ServiceError(404, "not_found", "No such account.")
        return user

    def set_active(self, actor: Actor, user_id: Any, active: bool) -> User:
        """Deactivate (every session and token stops at once) or reactivate an account."""
        with db.write(self.session):
            user = self._target(actor, user_id)
            if not active and protocol.is_self(actor, user.id):
                raise ServiceError(409, "conflict", "You cannot deactivate your own account.")
            if bool(user.active) != active:
                user.active = active
                user.session_version += 1
                self.svc.audit(actor, "user_activate" if active else "user_deactivate", target=user.email)
        return user

    def change_role(self, actor: Actor, user_id: Any, role: Any) -> User:
        """Give an account another role; its sessions end so the new role applies at once."""
        if role not in protocol.ROLES:
            raise _invalid(f"role must be one of {', '.join(protocol.ROLES)}.")
        with db.write(self.session):
            user = self._target(actor, user_id)
            if protocol.is_self(actor, user.id):
                raise ServiceError(409, "conflict", "You cannot change your own role.")
            if user.role != role:
                before = user.role
                user.role = role
                user.session_version += 1
                self.svc.audit(actor, "role_change", target=user.email, before=before, after=role)
        return user

    def reset_password(self, actor: Actor, user_id: Any, password: Any) -> User:
        """Set a new password chosen by an admin; every session of the account ends."""
        with db.write(self.session):
            user = self._target(actor, user_id)
            self._set_password(user, password)
            self.svc.audit(actor, "password_reset", target=user.email)
        return user

    def reset_second_factor(self, actor: Actor, user_id: Any) -> User:
        """Remove an account's two-factor enrolment and recovery codes (lost device); its sessions end."""
        with db.write(self.session):
            user = self._target(actor, user_id)
            self._clear_second_factor(user)
            user.session_version += 1
            self.svc.audit(actor, "totp_reset", target=user.email)
        return user

    # ------------------------------------------------------------------------------------------------------------
    # one's own account
    # ------------------------------------------------------------------------------------------------------------

    def me(self, actor: Actor) -> User:
        """The actor's own account."""
        self.svc.require(actor, "manage_own_account")
        user = self.session.get(User, actor.user_id)
        if user is None:
            raise ServiceError(401, "login_required", "Log in first.")
        return user

    def change_password(self, actor: Actor, current: Any, new: Any) -> User:
        """Change one's own password (the current one is asked again); every session of the account ends."""
        with db.write(self.session):
            user = self.me(actor)
            current = current if isinstance(current, str) else ""
            if not check_password_hash(user.password_hash, current[: passwords.MAX_LENGTH + 1]):
                raise ServiceError(422, "wrong_password", "The current password is wrong.")
            self._set_password(user, new)
            self.svc.audit(actor, "password_change")
        return user

    def _set_password(self, user: User, password: Any) -> None:
        try:
            passwords.check(password, user.email)
        except passwords.WeakPassword as exc:
            raise _invalid(str(exc)) from None
        user.password_hash = self.svc.password_hash(password)
        user.session_version += 1

    # ------------------------------------------------------------------------------------------------------------
    # two-factor (TOTP) and recovery codes
    # ------------------------------------------------------------------------------------------------------------

    @staticmethod
    def second_factor_required(user: User, require_2fa: bool) -> bool:
        """Whether a login of ``user`` must pass a second factor: enrolled accounts always, and, when the operator
        turned ``REPOSITORY_REQUIRE_2FA`` on, every account whose role the protocol names."""
        if user.has_second_factor:
            return True
        return require_2fa and protocol.allowed(protocol.actor_for(user), "second_factor_required")

    def begin_enrolment(self, user: User) -> Enrolment:
        """Start a TOTP enrolment for ``user``: a secret, not in force until confirmed by a code (a pending secret
        is shown again until then, so reloading the page does not invalidate a scan)."""
        if user.has_second_factor:
            raise ServiceError(409, "conflict", "Two-factor authentication is already on for this account.")
        if not user.totp_secret:
            with db.write(self.session):
                user = self.session.merge(user)
                user.totp_secret = pyotp.random_base32()
                user.totp_confirmed_at = None
                user.totp_last_step = None
        return Enrolment(user.totp_secret or "", self.provisioning_uri(user))

    @staticmethod
    def provisioning_uri(user: User) -> str:
        """The ``otpauth://`` URI of the account's (pending) secret."""
        return pyotp.TOTP(user.totp_secret or "").provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)

    def confirm_enrolment(self, user: User, code: Any) -> list[str]:
        """Turn two-factor on with a first valid code; return the new recovery codes (shown once)."""
        with db.write(self.session):
            user = self.session.merge(user)
            if user.has_second_factor:
                raise ServiceError(409, "conflict", "Two-factor authentication is already on for this account.")
            if not user.totp_secret or not self._totp_ok(user, code):
                self.svc.audit(protocol.actor_for(user) if user.active else None, "totp_failed", email=user.email)
                raise ServiceError(422, "wrong_code", "The code is wrong or too old; try the current one.")
            user.totp_confirmed_at = utcnow()
            user.session_version += 1  # sessions started before the second factor end
            codes = self._new_recovery_codes(user)
            self.svc.audit(protocol.actor_for(user), "totp_enable")
        return codes

    def regenerate_recovery_codes(self, actor: Actor) -> list[str]:
        """Replace one's recovery codes (the old ones stop working)."""
        with db.write(self.session):
            user = self.me(actor)
            if not user.has_second_factor:
                raise ServiceError(409, "conflict", "Turn two-factor authentication on first.")
            codes = self._new_recovery_codes(user)
            self.svc.audit(actor, "recovery_codes_new")
        return codes

    def verify_second_factor(self, user: User, code: Any) -> bool:
        """Check a login's second step: a current TOTP code (each accepted once) or an unused recovery code."""
        with db.write(self.session):
            user = self.session.merge(user)
            if not user.has_second_factor:
                return False
            if self._totp_ok(user, code):
                return True
            typed = normalise_code(code)
            if len(typed) == 10:
                row = self.session.scalar(
                    select(RecoveryCode).where(
                        RecoveryCode.user_id == user.id,
                        RecoveryCode.code_hash == _code_hash(typed),
                        RecoveryCode.used_at.is_(None),
                    )
                )
                if row is not None:
                    row.used_at = utcnow()
                    self.session.flush()
                    left = self.recovery_codes_left(user)
                    self.svc.audit(protocol.actor_for(user), "recovery_code_used", left=str(left))
                    return True
            self.svc.audit(None, "totp_failed", email=user.email)
        return False

    def recovery_codes_left(self, user: User) -> int:
        """How many unused recovery codes the account has."""
        rows = self.session.scalars(
            select(RecoveryCode.id).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        )
        return len(list(rows))

    def _totp_ok(self, user: User, code: Any) -> bool:
        """A 6-digit code of the current time step or its neighbours, never one at or before the last accepted."""
        typed = normalise_code(code)
        if len(typed) != 6 or not typed.isdigit() or not user.totp_secret:
            return False
        totp = pyotp.TOTP(user.totp_secret)
        now_step = int(time.time()) // totp.interval
        for step in (now_step - 1, now_step, now_step + 1):
            if user.totp_last_step is not None and step <= user.totp_last_step:
                continue
            if hmac.compare_digest(totp.generate_otp(step), typed):
                user.totp_last_step = step
                return True
        return False

    def _new_recovery_codes(self, user: User) -> list[str]:
        for row in self.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
            self.session.delete(row)
        alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
        codes = []
        for _ in range(RECOVERY_CODES):
            raw = "".join(secrets.choice(alphabet) for _ in range(10))
            codes.append(f"{raw[:5]}-{raw[5:]}")
            self.session.add(RecoveryCode(user_id=user.id, code_hash=_code_hash(raw)))
        return codes

    def _clear_second_factor(self, user: User) -> None:
        user.totp_secret = None
        user.totp_confirmed_at = None
        user.totp_last_step = None
        for row in self.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
            self.session.delete(row)

    # ------------------------------------------------------------------------------------------------------------
    # API tokens
    # ------------------------------------------------------------------------------------------------------------

    def tokens(self, actor: Actor) -> list[ApiToken]:
        """One's own tokens, newest first (only their labels, dates and state: the tokens are not stored)."""
        self.svc.require(actor, "manage_own_account")
        return list(
            self.session.scalars(
                select(ApiToken).where(ApiToken.user_id == actor.user_id).order_by(ApiToken.id.desc())
            )
        )

    def create_token(self, actor: Actor, label: Any, days: Any) -> str:
        """Create an API token for oneself; the token is returned once and only its hash is kept."""
        self.svc.require(actor, "create_token")
        label = clean_text(label, "label", MAX_LABEL)
        try:
            n_days = int(days)
        except (TypeError, ValueError):
            raise _invalid("days must be a whole number.") from None
        if not 1 <= n_days <= MAX_TOKEN_DAYS:
            raise _invalid(f"days must be between 1 and {MAX_TOKEN_DAYS}.")
        live = [t for t in self.tokens(actor) if token_state(t) == "active"]
        if len(live) >= MAX_TOKENS:
            raise ServiceError(409, "too_many_tokens", f"You already have {MAX_TOKENS} active tokens; revoke one.")
        token = "rp_" + secrets.token_urlsafe(32)
        with db.write(self.session):
            self.session.add(
                ApiToken(
                    user_id=actor.user_id,
                    token_hash=hash_token(token),
                    label=label,
                    expires_at=utcnow() + dt.timedelta(days=n_days),
                )
            )
            self.svc.audit(actor, "token_create", label=label, days=str(n_days))
        return token

    def revoke_token(self, actor: Actor, token_id: Any) -> None:
        """Revoke one of one's own tokens; another account's token is "not found"."""
        self.svc.require(actor, "manage_own_account")
        try:
            tid = int(token_id)
        except (TypeError, ValueError):
            tid = 0
        with db.write(self.session):
            row = self.session.get(ApiToken, tid) if 0 < tid <= MAX_ID else None
            if row is None or not protocol.is_self(actor, row.user_id):
                raise ServiceError(404, "not_found", "No such token.")
            if not row.revoked:
                row.revoked = True
                self.svc.audit(actor, "token_revoke", label=row.label or None, token=str(row.id))


def token_state(token: ApiToken) -> str:
    """``active``, ``revoked`` or ``expired``."""
    if token.revoked:
        return "revoked"
    if token.expires_at is not None:
        expires = token.expires_at if token.expires_at.tzinfo else token.expires_at.replace(tzinfo=dt.UTC)
        if expires < utcnow():
            return "expired"
    return "active"


def qr_data_uri(uri: str) -> str:
    """A QR code of ``uri`` as an SVG ``data:`` URI (shown in an ``<img>``, which the CSP allows; no script)."""
    import segno

    return segno.make(uri, error="m").svg_data_uri(scale=4, border=2)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
