"""The second factor: TOTP enrolment (a secret shown once as a QR code, in force after a first valid code), the
login's second step (a current code, each accepted once, or an unused recovery code), recovery codes, and an
admin's reset of a lost device. Whether a login needs it is :func:`repository.protocol.second_factor_required`.

Audit actions written here: ``totp_enable``, ``totp_reset``, ``totp_failed``, ``recovery_code_used``,
``recovery_codes_new``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any

import pyotp
from sqlalchemy import select

from repository import protocol
from repository.data import db
from repository.data.models import RecoveryCode
from repository.data.models import User
from repository.data.models import utcnow
from repository.protocol import Actor
from repository.services.base import Part
from repository.services.base import ServiceError

#: Issuer shown by authenticator apps.
TOTP_ISSUER = "Protection repository"
RECOVERY_CODES = 10


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.encode("ascii", "ignore")).hexdigest()


def normalise_code(value: Any) -> str:
    """A typed code without spaces and dashes, lower case; empty when it is not plausible."""
    if not isinstance(value, str) or len(value) > 64:
        return ""
    return "".join(value.split()).replace("-", "").lower()


def qr_data_uri(uri: str) -> str:
    """A QR code of ``uri`` as an SVG ``data:`` URI (shown in an ``<img>``, which the CSP allows; no script)."""
    import segno

    return segno.make(uri, error="m").svg_data_uri(scale=4, border=2)


@dataclass
class Enrolment:
    """A started two-factor enrolment: the secret and the ``otpauth://`` URI to show once."""

    secret: str
    uri: str


class SecondFactor(Part):
    """TOTP enrolment, the login's second step, recovery codes."""

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
                self.ctx.audit(protocol.actor_for(user) if user.active else None, "totp_failed", email=user.email)
                raise ServiceError(422, "wrong_code", "The code is wrong or too old; try the current one.")
            user.totp_confirmed_at = utcnow()
            user.session_version += 1  # sessions started before the second factor end
            codes = self._new_recovery_codes(user)
            self.ctx.audit(protocol.actor_for(user), "totp_enable")
        return codes

    def regenerate_recovery_codes(self, actor: Actor) -> list[str]:
        """Replace one's recovery codes (the old ones stop working)."""
        with db.write(self.session):
            user = self.ctx.own_account(actor)
            if not user.has_second_factor:
                raise ServiceError(409, "conflict", "Turn two-factor authentication on first.")
            codes = self._new_recovery_codes(user)
            self.ctx.audit(actor, "recovery_codes_new")
        return codes

    def verify(self, user: User, code: Any) -> bool:
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
                    self.ctx.audit(protocol.actor_for(user), "recovery_code_used", left=str(left))
                    return True
            self.ctx.audit(None, "totp_failed", email=user.email)
        return False

    def recovery_codes_left(self, user: User) -> int:
        """How many unused recovery codes the account has."""
        rows = self.session.scalars(
            select(RecoveryCode.id).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        )
        return len(list(rows))

    def reset(self, actor: Actor, user_id: Any) -> User:
        """An admin removes an account's two-factor enrolment and recovery codes (lost device); its sessions end."""
        with db.write(self.session):
            user = self.ctx.account(actor, user_id)
            user.totp_secret = None
            user.totp_confirmed_at = None
            user.totp_last_step = None
            for row in self.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
                self.session.delete(row)
            user.session_version += 1
            self.ctx.audit(actor, "totp_reset", target=user.email)
        return user

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
