"""API tokens managed on /account/tokens: shown once, stored hashed, with expiry, last use and revocation; a revoked
or expired token is a 401; nobody can see or revoke another account's tokens."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from account_utils import browser_for
from account_utils import post_form
from conftest import svc
from sqlalchemy import select

from repository.data.models import ApiToken
from repository.services import hash_token

TOKEN_RE = re.compile(r'<code class="token">(rp_[A-Za-z0-9_-]+)</code>')


@pytest.fixture
def people(world):
    return {
        "partner": world.account("partner@drc.example.org", "partner", "DRC"),
        "other": world.account("other@irc.example.org", "partner", "IRC"),
    }


def create(browser, label="import script", days="30"):
    r = post_form(browser, "/account/tokens", {"label": label, "days": days})
    assert r.status_code == 201, r.get_data(as_text=True)[:300]
    return TOKEN_RE.search(r.get_data(as_text=True)).group(1)


def api(client, token):
    return client.get("/api/v1/search", headers={"Authorization": f"Bearer {token}"}).status_code


def test_token_lifecycle(app, client, people):
    browser = browser_for(app, people["partner"].email)
    token = create(browser)
    page = browser.get("/account/tokens").get_data(as_text=True)
    assert token not in page  # shown once
    assert "import script" in page and "never" in page  # not used yet
    s = svc(app)
    rows = list(s.session.scalars(select(ApiToken).where(ApiToken.label == "import script")))
    s.session.close()
    assert len(rows) == 1 and rows[0].token_hash == hash_token(token) and token not in rows[0].token_hash
    assert rows[0].expires_at is not None

    assert api(client, token) == 200
    page = browser.get("/account/tokens").get_data(as_text=True)
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    assert page.count(today) >= 2  # created and last used today

    r = post_form(browser, f"/account/tokens/{rows[0].id}/revoke", page="/account/tokens")
    assert r.status_code == 303
    assert api(client, token) == 401
    assert "revoked" in browser.get("/account/tokens").get_data(as_text=True)
    r = client.get("/api/v1/search", headers={"Authorization": f"Bearer {token}"})
    assert r.get_json()["error"] == "bad_token" and "Bearer" in r.headers["WWW-Authenticate"]


def test_expired_tokens_are_refused(app, client, people):
    browser = browser_for(app, people["partner"].email)
    token = create(browser, label="short lived", days="1")
    assert api(client, token) == 200
    s = svc(app)
    row = s.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    row.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    s.session.commit()
    s.session.close()
    assert api(client, token) == 401
    assert "expired" in browser.get("/account/tokens").get_data(as_text=True)


def test_another_accounts_tokens_are_invisible_and_cannot_be_revoked(app, client, people):
    mine = browser_for(app, people["partner"].email)
    theirs = browser_for(app, people["other"].email)
    token = create(theirs, label="their secret label")
    s = svc(app)
    row_id = s.session.scalar(select(ApiToken.id).where(ApiToken.token_hash == hash_token(token)))
    s.session.close()
    assert "their secret label" not in mine.get("/account/tokens").get_data(as_text=True)
    r = post_form(mine, f"/account/tokens/{row_id}/revoke", page="/account/tokens")
    assert r.status_code == 404
    assert api(client, token) == 200


@pytest.mark.parametrize("days", ["0", "366", "-1", "many", "9" * 40])
def test_bad_token_values_are_refused(app, people, days):
    browser = browser_for(app, people["partner"].email)
    r = post_form(browser, "/account/tokens", {"label": "x", "days": days})
    assert r.status_code == 303
    assert "days must be" in browser.get("/account/tokens").get_data(as_text=True)


def test_long_labels_are_refused(app, people):
    browser = browser_for(app, people["partner"].email)
    r = post_form(browser, "/account/tokens", {"label": "x" * 101, "days": "5"})
    assert r.status_code == 303
    assert "longer than 100" in browser.get("/account/tokens").get_data(as_text=True)


def test_anonymous_cannot_create_tokens(client):
    assert client.get("/account/tokens").status_code == 302
