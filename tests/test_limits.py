"""Throttling and size limits: failed logins per account and per address (429 with Retry-After, successes free),
per-account upload rate, the second login step, oversized query strings and non-upload bodies; each a clear 4xx."""

from __future__ import annotations

import io

import pytest
from account_utils import page_token
from account_utils import post_form
from conftest import PASSWORD
from conftest import World
from conftest import accounts
from conftest import make_app
from conftest import start_app
from conftest import stop_app


@pytest.fixture
def tight_app(tmp_path):
    """An app with small limits, so that tests reach them quickly."""
    with make_app(tmp_path / "data", RATELIMIT_LOGIN_PER_ACCOUNT="3 per minute",
                  RATELIMIT_LOGIN_PER_ADDRESS="6 per minute", RATELIMIT_UPLOAD="3 per minute") as app:
        yield app


@pytest.fixture
def people(tight_app):
    return accounts(World(tight_app), "partner", "other")


def attempt(app, email, password):
    return post_form(app.test_client(), "/login", {"email": email, "password": password})


def test_failed_logins_are_throttled_per_account_with_retry_after(tight_app, people):
    email = people["partner"].email
    assert [attempt(tight_app, email, "wrong password number x").status_code for _ in range(3)] == [401] * 3
    r = attempt(tight_app, email, "wrong password number x")
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    # even the right password waits: the account is throttled, not the guess
    assert attempt(tight_app, email, PASSWORD).status_code == 429
    # e-mail spelling does not escape the per-account key
    assert attempt(tight_app, " PARTNER@drc.example.org", "x" * 12).status_code == 429
    # another account from the same address still logs in
    assert attempt(tight_app, people["other"].email, PASSWORD).status_code == 302


def test_successful_logins_do_not_count(tight_app, people):
    for _ in range(8):
        assert attempt(tight_app, people["partner"].email, PASSWORD).status_code == 302


def test_failed_logins_are_throttled_per_address(tight_app, people):
    statuses = [attempt(tight_app, f"ghost{i}@nowhere.example.org", "wrong password xx").status_code
                for i in range(7)]
    assert statuses[:6] == [401] * 6 and statuses[6] == 429


def _upload(client, account, n):
    data = {"file": (io.BytesIO(f"Report number {n}\n".encode()), f"r{n}.txt")}
    return client.post("/api/v1/documents", data=data, headers=account.headers, content_type="multipart/form-data")


def test_uploads_are_limited_per_account(tight_app, people):
    client = tight_app.test_client()
    assert [_upload(client, people["partner"], n).status_code for n in range(3)] == [201] * 3
    r = _upload(client, people["partner"], 4)
    assert r.status_code == 429 and r.get_json()["error"] == "too_many_requests" and r.headers["Retry-After"]
    assert _upload(client, people["other"], 5).status_code == 201  # another account of the same address


def test_rate_limits_off_lifts_upload_limits_but_not_login_throttling(tmp_path):
    app = start_app(tmp_path / "d", RATE_LIMITS=False, RATELIMIT_UPLOAD="1 per minute",
                    RATELIMIT_LOGIN_PER_ACCOUNT="1 per minute")
    try:
        partner = World(app).account("p@drc.example.org", "partner", "DRC")
        client = app.test_client()
        assert [_upload(client, partner, n).status_code for n in range(3)] == [201] * 3
        assert attempt(app, partner.email, "wrong password xx").status_code == 401
        assert attempt(app, partner.email, "wrong password xx").status_code == 429
    finally:
        stop_app(app)


def test_oversized_query_strings_are_414(client):
    r = client.get("/api/v1/search", query_string={"q": "a", "org": "x" * 300_000})
    assert r.status_code == 414 and r.get_json()["error"] == "query_too_long"
    r = client.get("/audit", query_string={"actor": "x" * 300_000})
    assert r.status_code == 414 and "query string is longer" in r.get_data(as_text=True)


def test_large_json_bodies_are_413_before_parsing(client, world):
    partner = world.account("partner@drc.example.org", "partner", "DRC")
    body = '{"title": "' + "x" * (1024 * 1024 + 10) + '"}'
    r = client.patch("/api/v1/documents/1", data=body, headers={**partner.headers, "Content-Type": "application/json"})
    assert r.status_code == 413 and r.get_json()["error"] == "too_large"
    assert "request body is larger" in r.get_json()["message"]


def test_large_url_encoded_forms_are_413(client):
    r = client.post("/login", data={"email": "a@b.org", "password": "p" * (1024 * 1024 + 10)})
    assert r.status_code == 413


def test_long_login_fields_get_the_ordinary_answer(app, world):
    world.account("partner@drc.example.org", "partner", "DRC")
    r = attempt(app, "x" * 5000 + "@drc.example.org", "y" * 5000)
    assert r.status_code == 401 and "Wrong e-mail or password." in r.get_data(as_text=True)


def _proxied_app(tmp_path, proxies):
    return start_app(tmp_path / f"p{proxies}", TRUSTED_PROXIES=proxies, RATELIMIT_LOGIN_PER_ADDRESS="2 per minute")


@pytest.mark.parametrize("proxies", [0, 1])
def test_forwarded_addresses_count_only_behind_trusted_proxies(tmp_path, proxies):
    app = _proxied_app(tmp_path, proxies)
    try:
        statuses = []
        for i in range(4):
            browser = app.test_client()
            token = browser.get("/login").get_data(as_text=True)
            r = browser.post("/login", headers={"X-Forwarded-For": f"198.51.100.{i}"},
                             data={"email": f"ghost{i}@x.example.org", "password": "wrong password xx",
                                   "csrf_token": page_token(token)})
            statuses.append(r.status_code)
        # without a trusted proxy the header is ignored: one address, throttled after two failures;
        # behind one trusted proxy each forwarded address has its own budget
        assert statuses == ([401, 401, 429, 429] if proxies == 0 else [401] * 4)
    finally:
        stop_app(app)


def test_redis_storage_is_accepted(tmp_path):
    app = start_app(tmp_path / "r", init=False, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    assert app.config["RATELIMIT_STORAGE_URI"].startswith("redis://")
    stop_app(app)
