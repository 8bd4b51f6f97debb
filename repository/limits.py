"""Request throttling with Flask-Limiter.

Login attempts are throttled per client address and per account, whatever ``REPOSITORY_RATE_LIMITS`` says; only
failed attempts count. Search, upload and download are limited per account (or per address when anonymous) unless
``REPOSITORY_RATE_LIMITS=off``. Counters live in memory by default (one process: fine for the embedded default);
set ``REPOSITORY_RATELIMIT_STORAGE_URL`` (e.g. ``redis://127.0.0.1:6379/0``) so that several workers share them.
"""

from __future__ import annotations

from flask import Flask
from flask import current_app
from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, headers_enabled=True, strategy="moving-window")

LOGIN_PER_ADDRESS = "20 per minute;200 per hour"
LOGIN_PER_ACCOUNT = "5 per minute;30 per hour"
SEARCH = "120 per minute"
UPLOAD = "60 per minute;1000 per hour"
DOWNLOAD = "300 per minute"


def init_app(app: Flask) -> None:
    """Bind the limiter to ``app`` (its storage comes from ``RATELIMIT_STORAGE_URI``)."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)


def login_account_key() -> str:
    """The account a login attempt is for (normalised e-mail)."""
    return "login:" + (request.form.get("email") or "").strip().lower()[:254]


def caller_key() -> str:
    """Who a request comes from: the account when known, else the client address."""
    from .auth import BadToken
    from .auth import api_user
    from .auth import html_user

    try:
        user = api_user() if request.path.startswith("/api/") else html_user()
    except BadToken:
        user = None
    if user is not None:
        return f"user:{user.id}"
    return f"addr:{get_remote_address()}"


def failed_login(response) -> bool:
    """Only failed logins count against the login limits."""
    return response.status_code != 302


def limits_off() -> bool:
    """True when the operator turned request limits off (login throttling excepted)."""
    return not current_app.config.get("RATE_LIMITS", True)
