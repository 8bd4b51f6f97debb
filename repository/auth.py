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
from flask_login import AnonymousUserMixin
from flask_login import LoginManager
from flask_login import current_user
from flask_login import login_user
from flask_login import logout_user

from . import protocol
from .db import get_session
from .models import User
from .protocol import Actor

login_manager = LoginManager()
login_manager.login_view = "html.login"
login_manager.login_message = "Please log in to see this page."
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
    return SessionUser(user)


def init_app(app: Flask) -> None:
    """Install the login manager and the session timeouts."""
    login_manager.init_app(app)
    app.before_request(_expire_idle_sessions)


def start_session(user: User) -> None:
    """A fresh session for ``user`` (called at login): nothing of the previous session survives."""
    session.clear()
    login_user(SessionUser(user))
    now = int(time.time())
    session["login_at"] = now
    session["seen_at"] = now
    session.permanent = True


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
        from .views.common import service

        user = service().user_for_token(token.strip())
        if user is None:
            raise BadToken()
    g.api_user = user
    return user


def api_actor() -> Actor:
    """The actor of an API request (anonymous without a token)."""
    return protocol.actor_for(api_user())
