"""Request throttling with Flask-Limiter.

Login attempts are throttled per client address and per account, whatever ``REPOSITORY_RATE_LIMITS`` says; only
failed attempts count. Search, upload and download are limited per account (or per address when anonymous) unless
``REPOSITORY_RATE_LIMITS=off``. Counters live in memory by default (one process: fine for the embedded default);
set ``REPOSITORY_RATELIMIT_STORAGE_URL`` (e.g. ``redis://127.0.0.1:6379/0``) so that several workers share them.
"""

from __future__ import annotations

from flask import Flask
from flask import abort
from flask import current_app
from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, headers_enabled=True, strategy="moving-window")

#: Default limits; each can be changed by the config key in the comment (tests use small values).
_DEFAULTS = {
    "RATELIMIT_LOGIN_PER_ADDRESS": "20 per minute;200 per hour",
    "RATELIMIT_LOGIN_PER_ACCOUNT": "5 per minute;30 per hour",
    "RATELIMIT_SEARCH": "120 per minute",
    "RATELIMIT_UPLOAD": "60 per minute;1000 per hour",  # per account (per address when anonymous)
    "RATELIMIT_DOWNLOAD": "300 per minute",
}
#: Longest accepted query string (bytes); longer is a 414. Gunicorn refuses request lines over 4094 bytes before
#: this; the cap covers other servers. Parameters have their own, smaller limits (e.g. ``q``: 400 past 2000).
MAX_QUERY_BYTES = 256 * 1024
#: Largest request body that is not a multipart upload (JSON, url-encoded forms); larger is a 413.
MAX_BODY_BYTES = 1024 * 1024


def _limit(key: str):
    def value() -> str:
        return str(current_app.config.get(key) or _DEFAULTS[key])

    value.__name__ = key.lower()
    return value


LOGIN_PER_ADDRESS = _limit("RATELIMIT_LOGIN_PER_ADDRESS")
LOGIN_PER_ACCOUNT = _limit("RATELIMIT_LOGIN_PER_ACCOUNT")
SEARCH = _limit("RATELIMIT_SEARCH")
UPLOAD = _limit("RATELIMIT_UPLOAD")
DOWNLOAD = _limit("RATELIMIT_DOWNLOAD")


def init_app(app: Flask) -> None:
    """Bind the limiter to ``app`` (its storage comes from ``RATELIMIT_STORAGE_URI``) and cap request sizes."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    # The limiter object is shared by every app of the process: state "enabled" explicitly, or one app built with
    # RATELIMIT_ENABLED=False would turn throttling off for the apps built after it.
    app.config.setdefault("RATELIMIT_ENABLED", True)
    limiter.init_app(app)
    app.before_request(_cap_request)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        # Behind N reverse proxies, the client address (throttling, audit) is the N-th from the right in
        # X-Forwarded-For, and the scheme comes from X-Forwarded-Proto. Without proxies these headers are ignored,
        # so a client cannot choose its own address to escape the per-address limits.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]


def _cap_request() -> None:
    """Refuse an oversized query string (414) and cap bodies other than multipart uploads at 1 MB (413)."""
    if len(request.query_string) > MAX_QUERY_BYTES:
        abort(414, description=f"The query string is longer than {MAX_QUERY_BYTES} bytes.")
    if request.mimetype != "multipart/form-data":
        request.max_content_length = MAX_BODY_BYTES


def login_account_key() -> str:
    """The account a login attempt is for (normalised e-mail)."""
    return "login:" + (request.form.get("email") or "").strip().lower()[:254]


def caller_key() -> str:
    """Who a request comes from: the account when known, else the client address."""
    from repository.web.auth import BadToken
    from repository.web.auth import api_user
    from repository.web.auth import html_user

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


def failed_step(response) -> bool:
    """Only refused second-step codes count against the second-step limits."""
    return response.status_code >= 400


def limits_off() -> bool:
    """True when the operator turned request limits off (login throttling excepted)."""
    return not current_app.config.get("RATE_LIMITS", True)
