"""The password policy (length, common passwords) wherever a password is set, and logins that answer an unknown
account exactly as a wrong password (the timing is measured in bench/login_timing.py, not here)."""

from __future__ import annotations

import re

import pytest
from account_utils import browser_for
from account_utils import post_form
from conftest import PASSWORD

from repository.knowledge import passwords

WEAK = {
    "short": "Tr0ub4dor&3",
    "common_long": "qwerty123456",
    "common_upper": "QWERTY123456",
    "common_core": "dragon2026!!!",
    "common_domain": "protection2026",
    "repeated": "abcabcabcabc",
    "digits": "111111111111",
    "email_name": "samira.k-2026-xyz",
}


def test_policy_unit():
    for case, password in WEAK.items():
        assert passwords.problems(password, "samira.k@drc.example.org"), case
    assert passwords.problems(PASSWORD) == []
    assert passwords.problems("violet lantern harbour 2026") == []
    assert passwords.problems("x" * 1001)
    assert passwords.problems(None)
    assert len(passwords.common_passwords()) > 5000
    assert "password" in passwords.common_passwords()


@pytest.fixture
def people(world):
    return {
        "partner": world.account("partner@drc.example.org", "partner", "DRC"),
        "admin": world.account("admin@pswg.example.org", "admin", "PSWG"),
    }


@pytest.mark.parametrize("case", sorted(WEAK))
def test_cli_user_add_refuses_weak_passwords(app, people, case):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["user", "add", "samira.k@drc.example.org", "--org", "DRC", "--role", "partner",
                                 "--password-stdin"], input=WEAK[case] + "\n")
    assert result.exit_code != 0, result.output
    assert "password" in result.output.lower()


def test_admin_reset_and_own_change_refuse_weak_passwords(app, people):
    admin = browser_for(app, people["admin"].email)
    partner = browser_for(app, people["partner"].email)
    for password in ("qwerty123456", "short"):
        r = post_form(admin, f"/admin/users/{people['partner'].id}/password", {"password": password},
                      page="/admin/users")
        assert r.status_code == 303
        assert re.search(r"too common|at least 12", admin.get("/admin/users").get_data(as_text=True))
        r = post_form(partner, "/account/password",
                      {"current_password": PASSWORD, "new_password": password, "confirm": password}, page="/account")
        assert r.status_code == 303
        assert re.search(r"too common|at least 12", partner.get("/account").get_data(as_text=True))
    # nothing changed: the old password still logs in
    browser_for(app, people["partner"].email)
    # an admin-created account must meet the policy too
    r = post_form(admin, "/admin/users", {"email": "new@drc.example.org", "org": "DRC", "role": "partner",
                                          "password": "password1234"})
    assert r.status_code == 303
    assert "too common" in admin.get("/admin/users").get_data(as_text=True)


def test_own_change_needs_the_current_password(app, people):
    partner = browser_for(app, people["partner"].email)
    r = post_form(partner, "/account/password", {"current_password": "not the password at all",
                                                 "new_password": "violet lantern harbour 2026",
                                                 "confirm": "violet lantern harbour 2026"}, page="/account")
    assert r.status_code == 303
    assert "current password is wrong" in partner.get("/account").get_data(as_text=True)
    browser_for(app, people["partner"].email)  # unchanged


def _strip_token(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]+"', "", html)


def test_unknown_account_and_wrong_password_get_the_same_answer(app, people):
    answers = []
    for email, password in (("ghost@nowhere.example.org", PASSWORD),
                            (people["partner"].email, "a wrong password entirely"),
                            ("GHOST@nowhere.example.org ", "x")):
        browser = app.test_client()
        r = post_form(browser, "/login", {"email": email, "password": password})
        per_request = ("Set-Cookie", "Date", "Content-Length", "X-Request-ID")
        headers = {k: v for k, v in r.headers.items() if k not in per_request and not k.startswith("X-RateLimit")}
        if "Retry-After" in headers:  # seconds left in the throttling window: the same, give or take the clock
            assert 0 < int(headers["Retry-After"]) <= 60
            headers["Retry-After"] = "present"
        answers.append((r.status_code, headers, _strip_token(r.get_data(as_text=True)).replace(email, "")))
    assert answers[0][0] == 401
    assert answers[0] == answers[1] == answers[2]
