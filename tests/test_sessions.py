"""Sessions end when they should: a cookie copied before logout, deactivation, a role change, a password change or
reset is useless afterwards; cookie flags (HttpOnly, SameSite=Lax, Secure and ``__Host-`` under HTTPS)."""

from __future__ import annotations

import pytest
from account_utils import browser_for
from account_utils import page_token
from account_utils import post_form
from account_utils import replay
from account_utils import session_cookie
from conftest import PASSWORD
from conftest import accounts
from conftest import start_app
from conftest import stop_app

NEW_PASSWORD = "violet lantern harbour 2026"


@pytest.fixture
def people(world):
    return accounts(world, "partner", "coord", "admin")


def _logged_in(browser) -> bool:
    return browser.get("/account").status_code == 200


def _upload_page(browser) -> int:
    return browser.get("/upload").status_code


def _admin_change(app, people, change, data=None):
    admin = browser_for(app, people["admin"].email)
    r = post_form(admin, f"/admin/users/{people['partner'].id}/{change}", data or {}, page="/admin/users")
    assert r.status_code == 303, r.get_data(as_text=True)[:300]


EVENTS = {
    "logout": lambda app, people, b: post_form(b, "/logout", page="/"),
    "deactivation": lambda app, people, b: _admin_change(app, people, "deactivate"),
    "role_change": lambda app, people, b: _admin_change(app, people, "role", {"role": "staff"}),
    "password_reset": lambda app, people, b: _admin_change(app, people, "password", {"password": NEW_PASSWORD}),
    "password_change": lambda app, people, b: post_form(
        b, "/account/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, page="/account"),
}


@pytest.mark.parametrize("event", sorted(EVENTS))
def test_a_cookie_copied_before_the_event_is_useless_after_it(app, people, event):
    partner = browser_for(app, people["partner"].email)
    other_device = browser_for(app, people["partner"].email)
    copied = session_cookie(partner)
    assert _upload_page(replay(app, copied)) == 200  # the copy works before

    EVENTS[event](app, people, partner)

    copy = replay(app, copied)
    assert not _logged_in(copy)
    assert _upload_page(copy) == 302  # asked to log in, not served
    assert not _logged_in(other_device)
    if event == "password_change":
        # the browser that changed the password stays logged in with a new session; the old cookie is dead
        assert _logged_in(partner) and session_cookie(partner) != copied
        browser_for(app, people["partner"].email, NEW_PASSWORD)
    else:
        assert not _logged_in(partner)


def test_a_role_change_applies_at_the_next_request_with_a_new_login(app, people):
    _admin_change(app, people, "role", {"role": "staff"})
    again = browser_for(app, people["partner"].email)
    assert _upload_page(again) == 403  # staff cannot upload


def test_a_deactivated_account_cannot_log_in_nor_use_its_token(app, client, people):
    _admin_change(app, people, "deactivate")
    browser = app.test_client()
    r = post_form(browser, "/login", {"email": people["partner"].email, "password": PASSWORD})
    assert r.status_code == 401
    r = client.get("/api/v1/search", headers=people["partner"].headers)
    assert r.status_code == 401 and r.get_json()["error"] == "bad_token"


def test_a_fresh_session_id_at_login(app, people):
    browser = app.test_client()
    browser.get("/login")
    before = session_cookie(browser)
    post_form(browser, "/login", {"email": people["partner"].email, "password": PASSWORD})
    assert session_cookie(browser) != before


def _set_cookie_header(response) -> str:
    headers = [h for h in response.headers.getlist("Set-Cookie") if "session=" in h]
    assert headers, response.headers
    return headers[-1]


def test_cookie_flags_without_https(app, people):
    browser = app.test_client()
    r = post_form(browser, "/login", {"email": people["partner"].email, "password": PASSWORD})
    header = _set_cookie_header(r)
    assert header.startswith("session=")
    assert "HttpOnly" in header and "SameSite=Lax" in header
    assert "Secure" not in header
    assert "Strict-Transport-Security" not in r.headers


def test_cookie_flags_with_https(tmp_path):
    from conftest import World

    app = start_app(tmp_path / "https", HTTPS=True)
    try:
        account = World(app).account("p@drc.example.org", "partner", "DRC")
        browser = app.test_client()
        token = browser.get("/login", base_url="https://localhost")

        r = browser.post("/login", base_url="https://localhost", headers={"Referer": "https://localhost/login"},
                         data={"email": account.email, "password": PASSWORD,
                               "csrf_token": page_token(token.get_data(as_text=True))})
        assert r.status_code == 302
        header = _set_cookie_header(r)
        assert header.startswith("__Host-session=")
        assert "; Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header and "Path=/" in header
        assert "Domain=" not in header
        assert r.headers["Strict-Transport-Security"].startswith("max-age=")
        assert browser.get("/account", base_url="https://localhost").status_code == 200
    finally:
        stop_app(app)


def test_https_setting_comes_from_the_environment():
    from repository.config import from_environment

    assert from_environment({"REPOSITORY_HTTPS": "on"})["HTTPS"] is True
    assert from_environment({})["HTTPS"] is False
    assert from_environment({"REPOSITORY_REQUIRE_2FA": "on"})["REQUIRE_2FA"] is True


@pytest.mark.parametrize(("field", "age"), [("seen_at", 121 * 60), ("login_at", 12 * 3600 + 60)])
def test_idle_and_absolute_timeouts_end_the_session(app, people, field, age):
    partner = browser_for(app, people["partner"].email)
    assert _logged_in(partner)
    with partner.session_transaction() as sess:
        sess[field] = int(sess[field]) - age
    assert not _logged_in(partner)
    assert _upload_page(partner) == 302


def test_activity_keeps_a_session_alive(app, people):
    partner = browser_for(app, people["partner"].email)
    with partner.session_transaction() as sess:
        sess["seen_at"] = int(sess["seen_at"]) - 119 * 60
    assert _logged_in(partner)
    with partner.session_transaction() as sess:
        assert int(sess["seen_at"]) > int(sess["login_at"]) - 60  # refreshed by the request
