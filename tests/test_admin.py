"""Admins manage accounts and organisations in the browser; every change is audited; nobody else may; admins gain no
access to document content; an admin cannot lock itself out."""

from __future__ import annotations

import pytest
from account_utils import browser_for
from account_utils import post_form
from conftest import accounts
from conftest import release
from conftest import svc
from conftest import text_report
from conftest import upload

from repository import protocol

NEW_PASSWORD = "violet lantern harbour 2026"


@pytest.fixture
def people(world):
    return accounts(world, "admin", "coord", "partner", "staff")


def events(client, coord, action):
    r = client.get("/api/v1/audit", headers=coord.headers, query_string={"action": action})
    assert r.status_code == 200
    return r.get_json()["events"]


def test_admin_manages_orgs_and_accounts_and_every_change_is_audited(app, client, people):
    admin = browser_for(app, people["admin"].email)
    assert 'href="/admin/users"' in admin.get("/").get_data(as_text=True)

    r = post_form(admin, "/admin/orgs", {"acronym": "irc", "name": "International Rescue Committee"})
    assert r.status_code == 303
    assert "IRC" in admin.get("/admin/orgs").get_data(as_text=True)
    r = post_form(admin, "/admin/orgs", {"acronym": "IRC", "name": "Again"})
    assert "already exists" in admin.get("/admin/orgs").get_data(as_text=True)

    r = post_form(admin, "/admin/users", {"email": "New@IRC.example.org", "org": "IRC", "role": "partner",
                                          "password": NEW_PASSWORD})
    assert r.status_code == 303
    page = admin.get("/admin/users").get_data(as_text=True)
    assert "new@irc.example.org" in page
    newcomer = browser_for(app, "new@irc.example.org", NEW_PASSWORD)
    assert newcomer.get("/upload").status_code == 200

    s = svc(app)
    new_id = s.accounts.find_user("new@irc.example.org").id
    s.session.close()
    for change, data in (("role", {"role": "staff"}), ("password", {"password": "amber kettle meadow 77"}),
                         ("deactivate", {}), ("activate", {})):
        r = post_form(admin, f"/admin/users/{new_id}/{change}", data, page="/admin/users")
        assert r.status_code == 303, change
        assert "done" in admin.get("/admin/users").get_data(as_text=True)

    coord = people["coord"]
    assert events(client, coord, "org_create")[0]["detail"]["acronym"] == "IRC"
    created = events(client, coord, "user_create")
    assert created[0]["actor"] == people["admin"].email and created[0]["detail"]["target"] == "new@irc.example.org"
    role = events(client, coord, "role_change")[0]
    assert role["detail"] == {"target": "new@irc.example.org", "before": "partner", "after": "staff"}
    assert events(client, coord, "password_reset")[0]["detail"]["target"] == "new@irc.example.org"
    assert events(client, coord, "user_deactivate")[0]["detail"]["target"] == "new@irc.example.org"
    assert events(client, coord, "user_activate")[0]["detail"]["target"] == "new@irc.example.org"
    everything = str(client.get("/api/v1/audit", headers=coord.headers).get_json())
    assert NEW_PASSWORD not in everything and "amber kettle" not in everything


@pytest.mark.parametrize("who", ["partner", "staff", "coord"])
def test_nobody_else_may_manage_accounts(app, people, who):
    browser = browser_for(app, people[who].email)
    assert browser.get("/admin/users").status_code == 403
    assert browser.get("/admin/orgs").status_code == 403
    assert 'href="/admin/users"' not in browser.get("/").get_data(as_text=True)
    # the forms' CSRF token comes from a page the account may open
    r = post_form(browser, "/admin/orgs", {"acronym": "EVIL", "name": "Evil"}, page="/account")
    assert r.status_code == 403
    r = post_form(browser, f"/admin/users/{people['partner'].id}/role", {"role": "admin"}, page="/account")
    assert r.status_code == 403
    r = post_form(browser, f"/admin/users/{people['partner'].id}/deactivate", page="/account")
    assert r.status_code == 403
    r = post_form(browser, "/admin/users", {"email": "x@evil.example.org", "org": "DRC", "role": "admin",
                                        "password": NEW_PASSWORD}, page="/account")
    assert r.status_code == 403
    partner = browser_for(app, people["partner"].email)  # still active, still a partner
    assert partner.get("/upload").status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client):
    for path in ("/admin/users", "/admin/orgs", "/account", "/account/2fa", "/account/tokens"):
        r = client.get(path)
        assert r.status_code == 302 and r.headers["Location"].startswith("/login"), path


def test_forms_without_csrf_token_are_refused(app, people):
    admin = browser_for(app, people["admin"].email)
    r = admin.post("/admin/orgs", data={"acronym": "NOCSRF", "name": "x"})
    assert r.status_code == 400
    assert "NOCSRF" not in admin.get("/admin/orgs").get_data(as_text=True)


def test_an_admin_cannot_lock_itself_out(app, people):
    admin = browser_for(app, people["admin"].email)
    for change, data in (("deactivate", {}), ("role", {"role": "partner"})):
        r = post_form(admin, f"/admin/users/{people['admin'].id}/{change}", data, page="/admin/users")
        assert r.status_code == 303
        assert "cannot" in admin.get("/admin/users").get_data(as_text=True)
    assert admin.get("/admin/users").status_code == 200


def test_bad_admin_input_is_4xx(app, people):
    admin = browser_for(app, people["admin"].email)
    for path in ("/admin/users/999999/role", "/admin/users/abc/deactivate", "/admin/users/1/explode"):
        r = post_form(admin, path, {"role": "staff"}, page="/admin/users")
        assert r.status_code == 404, path
    r = post_form(admin, f"/admin/users/{people['partner'].id}/role", {"role": "emperor"}, page="/admin/users")
    assert r.status_code == 303 and "role must be one of" in admin.get("/admin/users").get_data(as_text=True)
    r = post_form(admin, "/admin/orgs", {"acronym": "A" * 40, "name": "x"})
    assert "longer than" in admin.get("/admin/orgs").get_data(as_text=True)
    r = post_form(admin, "/admin/users", {"email": "a" * 300 + "@x.org", "org": "DRC", "role": "partner",
                                          "password": NEW_PASSWORD})
    assert "longer than" in admin.get("/admin/users").get_data(as_text=True)


def test_admins_gain_no_access_to_document_content(app, client, people):
    partner = people["partner"]
    ids = {}
    for level in ("restricted", "confidential", "strictly_confidential"):
        r = upload(client, partner, data=text_report(f"admin canary {level} quellwort"), filename=f"{level}.txt",
                   title=f"Admin canary {level}")
        ids[level] = r.get_json()["id"]
        r = release(client, people["coord"], ids[level], level, rationale="test",
                    override="test" if level != "strictly_confidential" else "")
        assert r.status_code == 200, r.get_json()
    r = upload(client, partner, data=text_report("admin canary submitted quellwort"), filename="s.txt")
    ids["submitted"] = r.get_json()["id"]
    admin = people["admin"]
    for level, doc_id in ids.items():
        expected = 200 if level == "restricted" else 404  # restricted: every account, admins included
        assert client.get(f"/api/v1/documents/{doc_id}", headers=admin.headers).status_code == expected, level
        with client.get(f"/api/v1/documents/{doc_id}/file", headers=admin.headers) as r:
            assert r.status_code == expected, level
    hits = client.get("/api/v1/search", headers=admin.headers, query_string={"q": "quellwort"}).get_json()
    assert [h["id"] for h in hits["hits"]] == [ids["restricted"]]
    browser = browser_for(app, admin.email)
    assert browser.get("/review").status_code == 403 and browser.get("/audit").status_code == 403
    # the rule is data in protocol.py: admins hold only account permissions
    actor = admin.actor
    for action in ("review", "read_audit", "review_queue", "upload"):
        assert not protocol.allowed(actor, action), action
    assert protocol.allowed(actor, "manage_accounts") and protocol.allowed(actor, "manage_orgs")
    assert protocol.principals(actor) == protocol.principals(protocol.Actor(actor.user_id, actor.org_id, "staff"))
