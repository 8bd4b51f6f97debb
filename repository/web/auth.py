"""Who is calling: browser sessions (flask-login) for the HTML pages, bearer tokens for the JSON API.

A session stores ``<user id>:<session version>``; bumping the account's ``session_version`` (logout,
deactivation, role or password change) makes every cookie issued before it useless.
"""

from __future__ import annotations

import time

from flask import Flask
from flask import current_app
from flask import g
from flask import request
from flask import session
from flask_babel import gettext
from flask_login import AnonymousUserMixin
from flask_login import LoginManager
from flask_login import current_user
from flask_login import login_user
from flask_login import logout_user

from repository import protocol
from repository.data.db import get_session
from repository.data.models import User
from repository.protocol import Actor


def _(text: str) -> str:
    """Mark ``text`` for the message catalogue (it is translated where it is shown)."""
    return text


login_manager = LoginManager()
login_manager.login_view = "html.login"
login_manager.login_message = _("Please log in to see this page.")  # a marker: translated when flashed
login_manager.localize_callback = gettext
login_manager.session_protection = "strong"


class SessionUser:
    """The flask-login view of an account."""

    is_anonymous = False

    def __init__(self, user: User) -> None:
        self.user = user

    @property
    def is_authenticated(self) -> bool:  # noqa: D102 - flask-login protocol
        return True

    @property
    def is_active(self) -> bool:  # noqa: D102 - flask-login protocol
        return bool(self.user.active)

    def get_id(self) -> str:  # noqa: D102 - flask-login protocol
        return f"{self.user.id}:{self.user.session_version}"


class Anonymous(AnonymousUserMixin):
    """A visitor who is not logged in."""

    user = None


login_manager.anonymous_user = Anonymous


@login_manager.user_loader
def _load_user(value: str) -> SessionUser | None:
    try:
        user_id, version = (int(part) for part in value.split(":", 1))
    except (ValueError, AttributeError):
        return None
    user = get_session().get(User, user_id)
    if user is None or not user.active or user.session_version != version:
        return None
    if not session.get("mfa") and second_factor_due(user):
        return None  # e.g. REPOSITORY_REQUIRE_2FA was turned on after this session began: log in again
    return SessionUser(user)


def second_factor_due(user: User) -> bool:
    """Whether a login or a session of ``user`` must pass a second factor (the protocol's rule, for this app's
    ``REQUIRE_2FA`` setting): asked at the password step and by every request of a session."""
    return protocol.second_factor_required(
        protocol.actor_for(user), bool(user.has_second_factor), bool(current_app.config.get("REQUIRE_2FA"))
    )


def init_app(app: Flask) -> None:
    """Install the login manager, the session timeouts and the cookie settings.

    With ``HTTPS`` on (``REPOSITORY_HTTPS=on``) the session cookie is ``Secure`` and named ``__Host-session``
    (browsers then refuse it from plain HTTP or with a Domain attribute), and answers carry HSTS.
    """
    login_manager.init_app(app)
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    if app.config.get("HTTPS"):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["SESSION_COOKIE_NAME"] = "__Host-session"
        app.config["SESSION_COOKIE_PATH"] = "/"
        app.config["SESSION_COOKIE_DOMAIN"] = None
        app.config["PREFERRED_URL_SCHEME"] = "https"
        app.after_request(_strict_transport)
    app.before_request(_expire_idle_sessions)


def _strict_transport(response):
    response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def start_session(user: User, second_factor: bool = False) -> None:
    """A fresh session for ``user`` (called at login): nothing of the previous session survives.

    ``second_factor`` records that the login passed a TOTP or recovery code (see :func:`_load_user`).
    """
    session.clear()
    login_user(SessionUser(user))
    now = int(time.time())
    session["login_at"] = now
    session["seen_at"] = now
    session["mfa"] = bool(second_factor)
    session.permanent = True


#: How long the second login step (the code) may wait after the password step.
SECOND_STEP_SECONDS = 300


def begin_second_step(user: User, enrol: bool, next_url: str) -> None:
    """The password was right and a code is needed: remember only that (no login yet) in a fresh session."""
    session.clear()
    session["2fa"] = {
        "uid": user.id,
        "ver": user.session_version,
        "at": int(time.time()),
        "enrol": enrol,
        "next": next_url,
    }


def second_step_user() -> tuple[User | None, bool]:
    """The account waiting for its second login step, and whether it must enrol first; (None, False) if none."""
    pending = session.get("2fa")
    if not isinstance(pending, dict):
        return None, False
    try:
        uid, version, at = int(pending["uid"]), int(pending["ver"]), int(pending["at"])
    except (KeyError, TypeError, ValueError):
        return None, False
    if int(time.time()) - at > SECOND_STEP_SECONDS:
        session.pop("2fa", None)
        return None, False
    user = get_session().get(User, uid)
    if user is None or not user.active or user.session_version != version:
        return None, False
    return user, bool(pending.get("enrol"))


def second_step_key() -> str:
    """Rate-limit key of the second login step: the account it is for."""
    pending = session.get("2fa")
    uid = pending.get("uid") if isinstance(pending, dict) else None
    return f"2fa:{uid}"


def _expire_idle_sessions() -> None:
    """End sessions idle for longer than SESSION_IDLE_MINUTES or older than SESSION_MAX_HOURS."""
    if "_user_id" not in session:
        return
    now = int(time.time())
    idle = int(current_app.config["SESSION_IDLE_MINUTES"]) * 60
    absolute = int(current_app.config["SESSION_MAX_HOURS"]) * 3600
    login_at = int(session.get("login_at", 0))
    seen_at = int(session.get("seen_at", 0))
    if now - seen_at > idle or now - login_at > absolute:
        logout_user()
        session.clear()
        return
    if now - seen_at > 60:
        session["seen_at"] = now


def html_actor() -> Actor:
    """The actor behind the browser session of this request."""
    user = getattr(current_user, "user", None)
    return protocol.actor_for(user)


def html_user() -> User | None:
    """The account behind the browser session, if any."""
    return getattr(current_user, "user", None)


class BadToken(Exception):
    """An Authorization header that does not name a valid token."""


def api_user() -> User | None:
    """The account named by the request's bearer token; None without a header. Raises :class:`BadToken`."""
    if "api_user" in g:
        return g.api_user
    header = request.headers.get("Authorization")
    user = None
    if header is not None:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise BadToken()
        from repository.web.common import service

        user = service().tokens.user_for(token.strip())
        if user is None:
            raise BadToken()
    g.api_user = user
    return user


def api_actor() -> Actor:
    """The actor of an API request (anonymous without a token)."""
    return protocol.actor_for(api_user())
