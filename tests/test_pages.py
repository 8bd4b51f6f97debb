"""The HTML pages: each role does its job in the browser with the real forms and CSRF tokens; forms without a
token are refused; hostile titles are escaped everywhere; login redirects stay on the site; logout ends sessions."""

from __future__ import annotations

import io
import re
from urllib.parse import quote
from urllib.parse import urlsplit

import pytest
from conftest import browser_for
from conftest import csrf
from conftest import plain
from conftest import post_page_form
from conftest import release
from conftest import text_report
from conftest import token_of
from conftest import upload

XSS = "<script>alert(1)</script>"
XSS_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def text(response) -> str:
    return response.get_data(as_text=True)


def heading(html: str) -> str:
    """The text of the page's first <h1> (still escaped, as sent)."""
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert match, "no h1"
    return match.group(1).strip()


def badge(html: str, kind: str, value: str) -> bool:
    """Whether the page shows a state or level badge with this value."""
    return re.search(rf'class="{kind} {kind}-{value}"[^>]*>', html) is not None


def doc_id_from(location: str) -> int:
    match = re.fullmatch(r"/documents/(\d+)", urlsplit(location).path)
    assert match, location
    return int(match.group(1))


# ----------------------------------------------------------------------------------------------------------------
# every role does its job
# ----------------------------------------------------------------------------------------------------------------


def test_each_role_does_its_job_in_the_browser(app, people):
    partner = browser_for(app, people["partner"])
    coord = browser_for(app, people["coord"])
    staff = browser_for(app, people["staff"])
    body = text_report("Farrowdene water committee follow-up")

    # partner uploads through the form
    form_page = partner.get("/upload")
    assert form_page.status_code == 200 and 'enctype="multipart/form-data"' in text(form_page)
    r = partner.post(
        "/upload",
        data={
            "csrf_token": token_of(text(form_page)),
            "file": (io.BytesIO(body), "farrowdene.txt"),
            "title": "Farrowdene follow-up",
            "summary": "Visits to the water committee.",
            "published": "2024-03-15",
            "codes": ["location:LY0319", "population:idp"],
            "proposed_level": "restricted",
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 302, text(r)
    doc_id = doc_id_from(r.headers["Location"])
    page = partner.get(f"/documents/{doc_id}")
    html = text(page)
    assert page.status_code == 200
    assert heading(html) == "Farrowdene follow-up" and badge(html, "state", "submitted")
    assert "A coordinator will review it" in html  # the flash message
    assert "2024-03-15" in html and "Visits to the water committee." in html
    assert "Edit metadata and codes" in html and "Review against the information sharing protocol" not in html
    assert "Farrowdene follow-up" in text(partner.get("/"))  # the organisation's submissions

    # partner edits the metadata while it is submitted
    r = post_page_form(partner, f"/documents/{doc_id}/edit", html,
                       {"title": "Farrowdene committee follow-up", "summary": "Two visits to the water committee.",
                        "published": "2024-03-20", "codes": ["doc_type:situation_report", "location:LY0319"]})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/documents/{doc_id}")
    html = text(partner.get(f"/documents/{doc_id}"))
    assert heading(html) == "Farrowdene committee follow-up" and "Saved." in html
    assert "Two visits to the water committee." in html and "2024-03-20" in html
    api = app.test_client().get(f"/api/v1/documents/{doc_id}", headers=people["coord"].headers).json
    assert api["title"] == "Farrowdene committee follow-up"
    assert api["codes"] == {"doc_type": ["doc_type:situation_report"], "location": ["location:LY0319"]}

    # staff cannot see it yet
    assert staff.get(f"/documents/{doc_id}").status_code == 404
    html = text(staff.get("/search?q=Farrowdene"))
    assert "0 documents" in plain(html) and f'href="/documents/{doc_id}"' not in html

    # coordinator: the review queue lists it; the review form releases it
    queue = coord.get("/review")
    assert queue.status_code == 200
    assert "Waiting for a decision (1)" in plain(text(queue)) and f'href="/documents/{doc_id}"' in text(queue)
    html = text(coord.get(f"/documents/{doc_id}"))
    assert "Review against the information sharing protocol" in html
    r = post_page_form(coord, f"/documents/{doc_id}/review", html, {
        "action": "release", "level": "restricted", "rationale": "District-level figures; no identifiers.",
        "risks": ["re_identification"], "benefits": ["coordination", "response_planning"], "grant_users": "",
        "review_by": "2000-01-01"})
    assert r.status_code == 302
    html = text(coord.get(f"/documents/{doc_id}"))
    assert "Decision recorded: release." in html
    assert badge(html, "state", "released") and badge(html, "level", "restricted")
    assert "District-level figures; no identifiers." in html
    history = plain(html)[plain(html).index("History"):]
    assert re.search(r"release\b.*coord@pswg\.example\.org.*submitted.*released.*Restricted", history)
    queue = plain(text(coord.get("/review")))
    assert "Waiting for a decision (0)" in queue and "Due for re-review (1)" in queue and "2000-01-01" in queue
    api = app.test_client().get(f"/api/v1/documents/{doc_id}", headers=people["coord"].headers).json
    assert api["state"] == "released" and api["level"] == "restricted"
    assert api["risks"] == ["re_identification"] and api["benefits"] == ["coordination", "response_planning"]

    # the partner can no longer edit a released document
    html = text(partner.get(f"/documents/{doc_id}"))
    assert "Edit metadata and codes" not in html and badge(html, "state", "released")
    r = partner.post(f"/documents/{doc_id}/edit", data={"csrf_token": token_of(html), "title": "Changed later"})
    assert r.status_code == 302
    html = text(partner.get(f"/documents/{doc_id}"))
    assert heading(html) == "Farrowdene committee follow-up" and "Changed later" not in html
    assert 'class="flash error"' in html

    # staff find it through search and download it
    results = staff.get("/search?q=Farrowdene")
    assert results.status_code == 200
    html = text(results)
    assert re.search(r"\b1 document\b", plain(html)) and f'href="/documents/{doc_id}"' in html
    assert "<mark>Farrowdene</mark>" in html
    html = text(staff.get(f"/documents/{doc_id}"))
    assert "Farrowdene committee follow-up" in html and f'href="/documents/{doc_id}/file"' in html
    assert "Review record" not in html and "Edit metadata" not in html and "Uploaded by" not in html
    f = staff.get(f"/documents/{doc_id}/file")
    assert f.status_code == 200 and f.data == body
    assert f.headers["Content-Disposition"].startswith("attachment")
    assert f.headers["X-Content-Type-Options"] == "nosniff" and "sandbox" in f.headers["Content-Security-Policy"]
    f.close()
    assert staff.get("/review").status_code == 403 and staff.get("/upload").status_code == 403


def test_return_and_submit_through_the_forms(app, people):
    partner = browser_for(app, people["partner"])
    coord = browser_for(app, people["coord"])
    r = upload(app.test_client(), people["partner"], data=text_report("Greyhollow notes"), title="Greyhollow")
    doc_id = r.json["id"]
    html = text(coord.get(f"/documents/{doc_id}"))
    r = coord.post(f"/documents/{doc_id}/review",
                   data={"csrf_token": token_of(html), "action": "return", "rationale": "Add the dates."})
    assert r.status_code == 302
    html = text(partner.get(f"/documents/{doc_id}"))
    assert badge(html, "state", "returned") and "Add the dates." in html and "Send back to review" in html
    r = partner.post(f"/documents/{doc_id}/submit", data={"csrf_token": token_of(html)})
    assert r.status_code == 302
    html = text(partner.get(f"/documents/{doc_id}"))
    assert badge(html, "state", "submitted") and "Sent back to review." in html
    # a release without rationale is refused with its reason, and nothing changes
    html = text(coord.get(f"/documents/{doc_id}"))
    r = coord.post(f"/documents/{doc_id}/review",
                   data={"csrf_token": token_of(html), "action": "release", "level": "public", "rationale": ""})
    assert r.status_code == 422
    assert 'class="flash error refusal"' in text(r) and "No rationale" in plain(text(r))
    html = text(coord.get(f"/documents/{doc_id}"))
    assert badge(html, "state", "submitted")


# ----------------------------------------------------------------------------------------------------------------
# CSRF
# ----------------------------------------------------------------------------------------------------------------


def test_forms_without_csrf_token_are_refused(app, people):
    r = upload(app.test_client(), people["partner"], data=text_report("Csrfington notes"), title="Csrfington")
    doc_id = r.json["id"]

    anonymous = app.test_client()
    for data in ({}, {"csrf_token": "forged"}):
        r = anonymous.post("/login", data={"email": people["partner"].email, "password": "x" * 20, **data})
        assert r.status_code == 400, data
    partner = browser_for(app, people["partner"])
    coord = browser_for(app, people["coord"])
    for data in ({}, {"csrf_token": "forged"}):
        r = partner.post("/upload", content_type="multipart/form-data",
                         data={"file": (io.BytesIO(b"Csrf upload attempt.\n"), "x.txt"), **data})
        assert r.status_code == 400
        assert partner.post(f"/documents/{doc_id}/edit", data={"title": "Hijacked", **data}).status_code == 400
        assert partner.post(f"/documents/{doc_id}/submit", data=data).status_code == 400
        r = coord.post(f"/documents/{doc_id}/review",
                       data={"action": "release", "level": "public", "rationale": "csrf", **data})
        assert r.status_code == 400
        assert coord.post("/logout", data=data).status_code == 400
    # nothing happened: same title, still submitted, one document, both still logged in
    api = app.test_client().get(f"/api/v1/documents/{doc_id}", headers=people["coord"].headers).json
    assert api["title"] == "Csrfington" and api["state"] == "submitted"
    assert app.test_client().get("/api/v1/search", headers=people["coord"].headers).json["total"] == 1
    assert coord.get("/review").status_code == 200 and partner.get("/upload").status_code == 200


# ----------------------------------------------------------------------------------------------------------------
# escaping
# ----------------------------------------------------------------------------------------------------------------


def test_hostile_title_is_escaped_on_every_page(app, people):
    api = app.test_client()
    body = b"Mallowby monitoring report.\nTotals: a<b and c>d; <i onmouseover=alert(2)>x</i> & more\n"
    r = upload(api, people["partner"], data=body, filename="mallowby.txt", title=f"Mallowby {XSS}",
               summary=f"Summary {XSS}")
    assert r.status_code == 201, r.json
    doc_id = r.json["id"]
    coord = browser_for(app, people["coord"])
    partner = browser_for(app, people["partner"])

    def check(page) -> str:
        assert page.status_code == 200
        html = text(page)
        assert "<script" not in html.lower() and "<i onmouseover" not in html.lower(), html
        return html

    # while submitted: the review queue, the owner's start page, the document page
    assert XSS_ESCAPED in check(coord.get("/review"))
    assert XSS_ESCAPED in check(partner.get("/"))
    html = check(coord.get(f"/documents/{doc_id}"))
    assert heading(html) == f"Mallowby {XSS_ESCAPED}" and f"Summary {XSS_ESCAPED}" in html
    assert f"<title>Mallowby {XSS_ESCAPED}" in html
    html = check(partner.get(f"/documents/{doc_id}"))
    assert f'value="Mallowby {XSS_ESCAPED}"' in html  # the edit form's value attribute

    r = release(api, people["coord"], doc_id, "public", rationale=f"ok {XSS}", review_by="2000-01-01")
    assert r.status_code == 200
    for browser in (app.test_client(), partner, coord):
        assert XSS_ESCAPED in check(browser.get("/"))
        html = check(browser.get("/search?q=Mallowby"))
        assert XSS_ESCAPED in html and "<mark>Mallowby</mark>" in html
        assert "&lt;i onmouseover=alert(2)&gt;" in html and "a&lt;b and c&gt;d" in html  # the snippet is escaped
        check(browser.get("/search?q=" + quote(XSS)))
        assert XSS_ESCAPED in check(browser.get(f"/documents/{doc_id}"))
    assert XSS_ESCAPED in check(coord.get("/review"))  # due for re-review
    html = check(coord.get(f"/documents/{doc_id}"))
    assert f"ok {XSS_ESCAPED}" in html
    check(coord.get(f"/audit?document={doc_id}"))
    check(coord.get("/audit?actor=" + quote(XSS)))
    html = check(app.test_client().get("/login?next=" + quote('"><script>alert(3)</script>')))
    assert 'name="next" value="&#34;&gt;&lt;script&gt;alert(3)&lt;/script&gt;"' in html


# ----------------------------------------------------------------------------------------------------------------
# login redirects and logout
# ----------------------------------------------------------------------------------------------------------------

HOSTILE_NEXT = [
    "https://evil.example",
    "https://evil.example/documents/1",
    "//evil.example",
    "//evil.example/path",
    "/\\evil.example",
    "\\\\evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    " //evil.example",
    "/\r\n/evil.example",
]


def _is_local(location: str) -> bool:
    cleaned = "".join(c for c in location if c not in "\t\r\n")  # what a browser parses
    parts = urlsplit(cleaned)
    return (
        not parts.scheme
        and not parts.netloc
        and cleaned.startswith("/")
        and not cleaned.startswith("//")
        and "\\" not in cleaned
    )


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_login_next_redirects_to_a_local_path_only(app, people, target):
    browser = app.test_client()
    token = csrf(browser, "/login?next=" + quote(target, safe=""))
    r = browser.post("/login?next=" + quote(target, safe=""),
                     data={"email": people["staff"].email, "password": "correct horse battery staple",
                           "csrf_token": token})
    assert r.status_code == 302, text(r)
    assert _is_local(r.headers["Location"]), r.headers["Location"]
    assert "evil" not in r.headers["Location"]
    # the same through the form's hidden next field
    browser = app.test_client()
    token = csrf(browser, "/login")
    r = browser.post("/login", data={"email": people["staff"].email, "password": "correct horse battery staple",
                                     "csrf_token": token, "next": target})
    assert r.status_code == 302 and _is_local(r.headers["Location"]) and "evil" not in r.headers["Location"]


def test_login_follows_a_local_next_and_asks_anonymous_visitors_to_log_in(app, people):
    browser = app.test_client()
    r = browser.get("/upload")
    assert r.status_code == 302 and urlsplit(r.headers["Location"]).path == "/login"
    r = browser.get("/login?next=/search%3Fq%3Dwater")
    assert 'name="next" value="/search?q=water"' in text(r)
    r = browser.post("/login?next=/search%3Fq%3Dwater",
                     data={"email": people["staff"].email, "password": "correct horse battery staple",
                           "csrf_token": token_of(text(r))})
    assert r.status_code == 302 and r.headers["Location"] == "/search?q=water"
    stranger = app.test_client()
    r = stranger.post("/login?next=/upload", data={"email": people["staff"].email, "password": "wrong password!",
                                                  "csrf_token": csrf(stranger, "/login")})
    assert r.status_code == 401 and "Wrong e-mail or password." in text(r) and "Location" not in r.headers


def test_logout_is_post_only_and_ends_every_copy_of_the_session(app, people):
    partner = browser_for(app, people["partner"])
    cookie = partner.get_cookie("session")
    assert cookie is not None
    other_device = browser_for(app, people["partner"])

    # a copy of the cookie works before logout
    copy = app.test_client()
    copy.set_cookie("session", cookie.value)
    assert copy.get("/upload").status_code == 200

    assert partner.get("/logout").status_code == 405
    assert partner.get("/upload").status_code == 200  # GET did not log out
    html = text(partner.get("/"))
    assert 'action="/logout"' in html and 'method="post"' in html
    r = partner.post("/logout", data={"csrf_token": token_of(html)})
    assert r.status_code == 302 and urlsplit(r.headers["Location"]).path == "/"

    for browser in (partner, copy, other_device):
        r = browser.get("/upload")
        assert r.status_code == 302 and urlsplit(r.headers["Location"]).path == "/login"
        assert "partner@drc.example.org" not in text(browser.get("/"))
    replay = app.test_client()
    replay.set_cookie("session", cookie.value)
    assert replay.get("/upload").status_code == 302
    assert "Log in" in text(replay.get("/"))
    # logging in again works
    assert browser_for(app, people["partner"]).get("/upload").status_code == 200
