"""Two-factor authentication (TOTP, RFC 6238) with real codes from pyotp: enrolment at first login when
REPOSITORY_REQUIRE_2FA is on, the code step, replay refusal, one-time recovery codes stored hashed, throttling,
the account page, and an admin's reset."""

from __future__ import annotations

import re
from html import unescape

import pytest
from account_utils import browser_for
from account_utils import code_at
from account_utils import post_form
from account_utils import totp_secret_of
from conftest import PASSWORD
from conftest import World
from conftest import accounts
from conftest import make_app
from conftest import svc
from sqlalchemy import select

from repository.data.models import RecoveryCode


@pytest.fixture
def app2fa(tmp_path):
    """An app with REPOSITORY_REQUIRE_2FA on."""
    with make_app(tmp_path / "data", REQUIRE_2FA=True) as app:
        yield app


@pytest.fixture
def people(app2fa):
    return accounts(World(app2fa), "coord", "admin", "partner")


def text(r) -> str:
    return r.get_data(as_text=True)


def password_step(app, email):
    browser = app.test_client()
    r = post_form(browser, "/login", {"email": email, "password": PASSWORD})
    assert r.status_code == 302, text(r)[:300]
    return browser, r.headers["Location"]


def enrol_at_login(app, email) -> tuple[object, str, list[str]]:
    """Password, then the enrolment page (key read from the page), then a real code: returns browser, key, codes."""
    browser, location = password_step(app, email)
    assert location == "/login/code"
    page = browser.get("/login/code")
    html = text(page)
    assert page.status_code == 200
    key = re.search(r"Key: <code>([A-Z2-7]+)</code>", html).group(1)
    assert key == totp_secret_of(app, email)
    r = post_form(browser, "/login/code", {"code": code_at(key)})
    assert r.status_code == 200, text(r)[:500]
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", text(r))
    assert len(codes) == 10
    return browser, key, codes


def test_required_roles_enrol_at_first_login_with_a_qr_code_and_no_script(app2fa, people):
    browser, location = password_step(app2fa, people["coord"].email)
    assert location == "/login/code"
    # the password alone is not a login
    assert browser.get("/review").status_code == 302
    assert browser.get("/account").status_code == 302
    page = browser.get("/login/code")
    html = text(page)
    img = re.search(r'<img src="([^"]+)"', html).group(1)
    assert unescape(img).startswith("data:image/svg+xml")
    csp = page.headers["Content-Security-Policy"]
    assert "img-src 'self' data:" in csp and "script-src 'none'" in csp
    assert "<script" not in html
    key = re.search(r"Key: <code>([A-Z2-7]+)</code>", html).group(1)

    r = post_form(browser, "/login/code", {"code": "000000" if code_at(key) != "000000" else "111111"})
    assert r.status_code == 401 and "wrong" in text(r).lower()
    assert browser.get("/review").status_code == 302

    r = post_form(browser, "/login/code", {"code": code_at(key)})
    assert r.status_code == 200 and "Recovery codes" in text(r)
    assert browser.get("/review").status_code == 200
    assert "Two-factor</dt><dd>on" in text(browser.get("/account"))


def test_partners_are_not_asked_when_only_coordinators_and_admins_must(app2fa, people):
    browser, location = password_step(app2fa, people["partner"].email)
    assert location == "/"
    assert browser.get("/upload").status_code == 200


def test_code_step_replay_and_recovery_codes(app2fa, people):
    email = people["admin"].email
    _, key, codes = enrol_at_login(app2fa, email)
    used_at_enrolment = code_at(key)

    # the code used at enrolment cannot be used again; the next one can
    browser, _ = password_step(app2fa, email)
    r = post_form(browser, "/login/code", {"code": used_at_enrolment})
    assert r.status_code == 401
    r = post_form(browser, "/login/code", {"code": code_at(key, +1)})
    assert r.status_code == 302 and r.headers["Location"] == "/"
    assert browser.get("/admin/users").status_code == 200

    # a recovery code works once, typed with spaces or in capitals
    browser, _ = password_step(app2fa, email)
    r = post_form(browser, "/login/code", {"code": " " + codes[0].upper() + " "})
    assert r.status_code == 302
    assert "on (9 recovery codes left)" in text(browser.get("/account"))
    browser, _ = password_step(app2fa, email)
    r = post_form(browser, "/login/code", {"code": codes[0]})
    assert r.status_code == 401
    assert browser.get("/admin/users").status_code == 302

    # stored hashed, never in clear
    s = svc(app2fa)
    stored = [row.code_hash for row in s.session.scalars(select(RecoveryCode))]
    s.session.close()
    assert len(stored) == 10
    for code in codes:
        assert code not in stored and code.replace("-", "") not in stored


def test_a_code_without_the_password_step_is_refused(app2fa, people):
    browser = app2fa.test_client()
    r = browser.get("/login/code")
    assert r.status_code == 302 and r.headers["Location"].startswith("/login")
    r = post_form(browser, "/login/code", {"code": "123456"}, page="/login")
    assert r.status_code == 302 and r.headers["Location"].startswith("/login")


def test_wrong_codes_are_throttled(app2fa, people):
    email = people["coord"].email
    _, key, _ = enrol_at_login(app2fa, email)
    browser, _ = password_step(app2fa, email)
    statuses = []
    for _ in range(7):
        statuses.append(post_form(browser, "/login/code", {"code": "99999x"}).status_code)
    assert statuses[:5] == [401] * 5 and statuses[-1] == 429


def test_optional_enrolment_on_the_account_page_then_asked_at_login(app, world):
    partner = world.account("partner@drc.example.org", "partner", "DRC")
    browser = browser_for(app, partner.email)
    page = browser.get("/account/2fa")
    assert page.status_code == 200
    key = re.search(r"Key: <code>([A-Z2-7]+)</code>", text(page)).group(1)
    r = post_form(browser, "/account/2fa", {"action": "confirm", "code": code_at(key)})
    assert r.status_code == 200 and "Recovery codes" in text(r)
    assert browser.get("/upload").status_code == 200  # still logged in (fresh session)

    again, location = password_step(app, partner.email)
    assert location == "/login/code"
    r = post_form(again, "/login/code", {"code": code_at(key, +1)})
    assert r.status_code == 302
    assert again.get("/upload").status_code == 200


def test_admin_reset_of_two_factor_ends_sessions_and_asks_for_a_new_enrolment(app2fa, people):
    coord_browser, key, _ = enrol_at_login(app2fa, people["coord"].email)
    admin_browser, _, _ = enrol_at_login(app2fa, people["admin"].email)
    r = post_form(admin_browser, f"/admin/users/{people['coord'].id}/reset-2fa", page="/admin/users")
    assert r.status_code == 303
    assert coord_browser.get("/review").status_code == 302
    browser, location = password_step(app2fa, people["coord"].email)
    assert location == "/login/code"
    assert "Key: <code>" in text(browser.get("/login/code"))  # enrol again
    assert totp_secret_of(app2fa, people["coord"].email) != key


def test_turning_the_requirement_on_ends_sessions_that_skipped_the_second_factor(app, world):
    coord = world.account("coord@pswg.example.org", "coordinator", "PSWG")
    partner = world.account("partner@drc.example.org", "partner", "DRC")
    coord_browser = browser_for(app, coord.email)
    partner_browser = browser_for(app, partner.email)
    assert coord_browser.get("/review").status_code == 200
    app.config["REQUIRE_2FA"] = True
    assert coord_browser.get("/review").status_code == 302  # must log in again, with a code
    assert partner_browser.get("/upload").status_code == 200  # partners are not concerned
    _, location = password_step(app, coord.email)
    assert location == "/login/code"
