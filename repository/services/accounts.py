"""Organisations, accounts, passwords and logins: the operations behind the admin pages, the account page's
password form, the login form and the CLI's ``org add`` / ``user add``.

Every change that alters what an account may do (deactivation, role change, password change or reset) bumps its
``session_version``, which ends every browser session of the account at once.

Audit actions written here: ``org_create``, ``user_create``, ``user_deactivate``, ``user_activate``,
``role_change``, ``password_reset``, ``password_change``, ``login``, ``login_failed``, ``logout``.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import select
from werkzeug.security import check_password_hash

from repository import protocol
from repository.data import db
from repository.data.models import Organisation
from repository.data.models import User
from repository.knowledge import passwords
from repository.protocol import Actor
from repository.services.base import Part
from repository.services.base import ServiceError
from repository.services.base import clean_text
from repository.services.base import form_text
from repository.services.base import invalid


@functools.cache
def _dummy_hash(method: str | None) -> str:
    """A hash to check unknown accounts' passwords against, at the cost real ones have (equal timing)."""
    return passwords.hash_password("timing-equaliser-not-a-password", method)


class Accounts(Part):
    """Organisations, accounts, passwords, logins."""

    # ------------------------------------------------------------------------------------------------------------
    # admins (and the system, from the CLI): organisations and accounts
    # ------------------------------------------------------------------------------------------------------------

    def users(self, actor: Actor) -> list[User]:
        """Every account, by e-mail (admins)."""
        self.ctx.require(actor, "manage_accounts")
        return list(self.session.scalars(select(User).order_by(User.email)))

    def orgs(self, actor: Actor) -> list[Organisation]:
        """Every organisation, by acronym (admins)."""
        self.ctx.require(actor, "manage_orgs")
        return list(self.session.scalars(select(Organisation).order_by(Organisation.acronym)))

    def create_org(self, actor: Actor, acronym: Any, name: Any) -> Organisation:
        """Create an organisation (admins, or the system from the CLI); audited ``org_create``."""
        self.ctx.require(actor, "manage_orgs")
        acronym = clean_text(form_text(acronym), "acronym", 32, required=True).upper()
        if not acronym.replace("-", "").replace("_", "").isalnum() or not acronym.isascii():
            raise invalid("acronym may contain only letters, digits, - and _.")
        name = clean_text(form_text(name), "name", 200, required=True)
        with db.write(self.session):
            if self.session.scalar(select(Organisation).where(Organisation.acronym == acronym)):
                raise ServiceError(409, "duplicate", f"Organisation {acronym} already exists.")
            org = Organisation(acronym=acronym, name=name)
            self.session.add(org)
            self.session.flush()
            self.ctx.audit(actor, "org_create", acronym=acronym)
        return org

    def create_user(self, actor: Actor, email: Any, org: Any, role: Any, password: Any) -> User:
        """Create an account (admins, or the system from the CLI); audited ``user_create``. The password must meet
        the policy."""
        self.ctx.require(actor, "manage_accounts")
        org_acronym, role, password = form_text(org), form_text(role), form_text(password)
        email = clean_text(form_text(email), "email", 254, required=True).lower()
        if "@" not in email or email.startswith("@") or email.endswith("@") or any(c.isspace() for c in email):
            raise invalid("email is not an e-mail address.")
        if role not in protocol.ROLES:
            raise invalid(f"role must be one of {', '.join(protocol.ROLES)}.")
        try:
            passwords.check(password, email)
        except passwords.WeakPassword as exc:
            raise invalid(str(exc)) from None
        with db.write(self.session):
            found = self.session.scalar(select(Organisation).where(Organisation.acronym == org_acronym.upper()))
            if found is None:
                raise ServiceError(404, "not_found", f"No organisation {org_acronym}.")
            if self.session.scalar(select(User).where(User.email == email)):
                raise ServiceError(409, "duplicate", f"An account {email} already exists.")
            user = User(email=email, org_id=found.id, role=role, password_hash=self.password_hash(password))
            self.session.add(user)
            self.session.flush()
            self.ctx.audit(actor, "user_create", target=email, role=role, org=found.acronym)
        return user

    def set_active(self, actor: Actor, user_id: Any, active: bool) -> User:
        """Deactivate (every session and token stops at once) or reactivate an account."""
        with db.write(self.session):
            user = self.ctx.account(actor, user_id)
            if not active:
                self._refuse_own(actor, user, "deactivate")
            if bool(user.active) != active:
                user.active = active
                user.session_version += 1
                self.ctx.audit(actor, "user_activate" if active else "user_deactivate", target=user.email)
        return user

    def change_role(self, actor: Actor, user_id: Any, role: Any) -> User:
        """Give an account another role; its sessions end so the new role applies at once."""
        if role not in protocol.ROLES:
            raise invalid(f"role must be one of {', '.join(protocol.ROLES)}.")
        with db.write(self.session):
            user = self.ctx.account(actor, user_id)
            self._refuse_own(actor, user, "role")
            if user.role != role:
                before = user.role
                user.role = role
                user.session_version += 1
                self.ctx.audit(actor, "role_change", target=user.email, before=before, after=role)
        return user

    @staticmethod
    def _refuse_own(actor: Actor, user: User, change: str) -> None:
        refusal = protocol.self_change_refusal(actor, user.id, change)
        if refusal:
            raise ServiceError(409, "conflict", refusal)

    def reset_password(self, actor: Actor, user_id: Any, password: Any) -> User:
        """Set a new password chosen by an admin; every session of the account ends."""
        with db.write(self.session):
            user = self.ctx.account(actor, user_id)
            self._set_password(user, password)
            self.ctx.audit(actor, "password_reset", target=user.email)
        return user

    # ------------------------------------------------------------------------------------------------------------
    # one's own account
    # ------------------------------------------------------------------------------------------------------------

    def me(self, actor: Actor) -> User:
        """The actor's own account."""
        return self.ctx.own_account(actor)

    def change_password(self, actor: Actor, current: Any, new: Any) -> User:
        """Change one's own password (the current one is asked again); every session of the account ends."""
        with db.write(self.session):
            user = self.me(actor)
            current = current if isinstance(current, str) else ""
            if not check_password_hash(user.password_hash, current[: passwords.MAX_LENGTH + 1]):
                raise ServiceError(422, "wrong_password", "The current password is wrong.")
            self._set_password(user, new)
            self.ctx.audit(actor, "password_change")
        return user

    def _set_password(self, user: User, password: Any) -> None:
        try:
            passwords.check(password, user.email)
        except passwords.WeakPassword as exc:
            raise invalid(str(exc)) from None
        user.password_hash = self.password_hash(password)
        user.session_version += 1

    def _hash_method(self) -> str | None:
        return self.repo.config.get("PASSWORD_HASH_METHOD")

    def password_hash(self, password: str) -> str:
        """The stored form of a new password, by the app's hash method."""
        return passwords.hash_password(password, self._hash_method())

    # ------------------------------------------------------------------------------------------------------------
    # logins and lookups
    # ------------------------------------------------------------------------------------------------------------

    def authenticate(self, email: str, password: str) -> User | None:
        """Check a login. The same work is done for an unknown account as for a wrong password."""
        email = (email or "").strip().lower()[:254]
        user = self.session.scalar(select(User).where(User.email == email)) if email else None
        password = (password if isinstance(password, str) else "")[: passwords.MAX_LENGTH + 1]
        ok = check_password_hash(user.password_hash if user else _dummy_hash(self._hash_method()), password)
        with db.write(self.session):
            if user is not None and ok and user.active:
                self.ctx.audit(protocol.actor_for(user), "login")
                return user
            self.ctx.audit(None, "login_failed", email=email or None)
        return None

    def logout(self, actor: Actor, user: User | None = None) -> None:
        """Record a logout; with the account ``user`` (a browser's), every session of it ends too."""
        with db.write(self.session):
            self.ctx.audit(actor, "logout")
            if user is not None:
                account = self.session.merge(user)
                account.session_version += 1

    def find_user(self, email: str) -> User | None:
        """An account by e-mail."""
        return self.session.scalar(select(User).where(User.email == (email or "").strip().lower()))

    def find_org(self, acronym: str) -> Organisation | None:
        """An organisation by acronym."""
        return self.session.scalar(select(Organisation).where(Organisation.acronym == (acronym or "").upper()))
