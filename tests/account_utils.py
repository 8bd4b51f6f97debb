"""Helpers for the account, session and two-factor tests: browsers logged in through the real forms."""

from __future__ import annotations

import time

import pyotp
from conftest import CSRF_RE
from conftest import PASSWORD
from conftest import csrf
from conftest import svc

from repository.data.models import User


def page_token(html: str) -> str:
    """The first CSRF token of a page."""
    match = CSRF_RE.search(html)
    assert match, "no csrf token"
    return match.group(1)


def post_form(browser, path: str, data: dict | None = None, page: str | None = None):
    """POST a form with the CSRF token of ``page`` (default: the same path)."""
    token = csrf(browser, page or path)
    return browser.post(path, data={**(data or {}), "csrf_token": token})


def browser_for(app, email: str, password: str = PASSWORD):
    """A test client logged in through the real form (password step only)."""
    browser = app.test_client()
    r = post_form(browser, "/login", {"email": email, "password": password}, page="/login")
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    return browser


def session_cookie(browser, name: str = "session") -> str:
    """The value of the browser's session cookie."""
    cookie = browser.get_cookie(name)
    assert cookie is not None, name
    return cookie.value


def replay(app, value: str, name: str = "session"):
    """A new client that carries a copy of a session cookie."""
    copy = app.test_client()
    copy.set_cookie(name, value)
    return copy


def totp_secret_of(app, email: str) -> str | None:
    """The stored TOTP secret of an account (what the QR code holds)."""
    s = svc(app)
    try:
        user = s.accounts.find_user(email)
        return user.totp_secret if user else None
    finally:
        s.session.close()


def code_at(secret: str, offset: int = 0) -> str:
    """A real code from pyotp for the current time step plus ``offset`` (the server accepts -1, 0 and +1)."""
    totp = pyotp.TOTP(secret)
    return totp.at(time.time() + offset * totp.interval)


def user_row(app, email: str) -> User:
    """A detached copy of an account's row."""
    s = svc(app)
    try:
        user = s.accounts.find_user(email)
        s.session.expunge(user)
        return user
    finally:
        s.session.close()
