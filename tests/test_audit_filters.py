"""The audit trail for coordinators: every view and download of confidential and strictly confidential documents is
recorded (API and pages); ``GET /api/v1/audit`` and ``/audit`` filter by document, actor, action and dates; the CSV
export (``/api/v1/audit.csv``, ``/audit?format=csv``) carries the same events, is safe to open in a spreadsheet, is
itself audited and is refused to everyone else."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html import unescape

import pytest
from conftest import CSRF_RE
from conftest import browser_for
from conftest import new_doc
from conftest import post_review
from conftest import svc

from repository.data import db
from repository.data.models import AuditEvent
from repository.web.serialize import csv_cell

pytestmark = pytest.mark.usefixtures("no_request_rate_limits")


def review(client, coord, doc_id, **body):
    """POST a review decision (``conftest.post_review``) that must succeed; its answer's JSON."""
    r = post_review(client, coord, doc_id, **body)
    assert r.status_code == 200, r.json
    return r.json


def audit(client, coord, **params) -> dict:
    r = client.get("/api/v1/audit", headers=coord.headers, query_string=params)
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.json


def read_csv(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    return rows


def fetch(client, account, doc_id) -> int:
    r = client.get(f"/api/v1/documents/{doc_id}", headers=account.headers)
    return r.status_code


def download(client, account, doc_id) -> int:
    r = client.get(f"/api/v1/documents/{doc_id}/file", headers=account.headers)
    status = r.status_code
    r.close()
    return status


# ----------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("level,reader,grant", [
    ("confidential", "staff", {"grant_orgs": ["UNHCR"]}),
    ("strictly_confidential", "staff", {"grant_users": ["staff@unhcr.example.org"]}),
])
def test_reads_of_confidential_documents_are_audited(app, client, people, level, reader, grant):
    partner, coord = people["partner"], people["coord"]
    doc_id = new_doc(client, partner, f"Kestrelford {level} list")
    review(client, coord, doc_id, action="release", level=level, rationale="Referral partners only.", **grant)
    account = people[reader]
    before = audit(client, coord, document=doc_id)["total"]

    assert fetch(client, account, doc_id) == 200 and download(client, account, doc_id) == 200
    browser = browser_for(app, account)
    assert browser.get(f"/documents/{doc_id}").status_code == 200
    r = browser.get(f"/documents/{doc_id}/file")
    assert r.status_code == 200
    r.close()
    # a refused read is not a read: nothing is recorded for the other agency
    assert fetch(client, people["staff2"], doc_id) == 404 and download(client, people["staff2"], doc_id) == 404

    mine = audit(client, coord, document=doc_id, actor=account.email)["events"]
    assert sorted(e["action"] for e in mine) == ["download", "download", "view", "view"]
    assert all(e["document_id"] == doc_id for e in mine)
    assert audit(client, coord, document=doc_id)["total"] == before + 4
    assert audit(client, coord, actor=people["staff2"].email, action="view")["total"] == 0


def test_filters_combine_in_the_api_and_the_page(app, client, people):
    partner, coord, unhcr = people["partner"], people["coord"], people["staff"]
    first = new_doc(client, partner, "Ravensholt first")
    second = new_doc(client, partner, "Ravensholt second")
    review(client, coord, first, action="return", rationale="Add dates.")
    review(client, coord, second, action="release", level="restricted", rationale="ok")
    for _ in range(3):
        assert fetch(client, unhcr, second) == 200

    # move the first document's events back in time, to test the date filters
    with app.extensions["db_sessionmaker"]() as session, db.write(session):
        for event in session.query(AuditEvent).filter(AuditEvent.document_id == first):
            event.at = dt.datetime(2026, 1, 15, 10, 0, tzinfo=dt.UTC)

    assert {e["document_id"] for e in audit(client, coord, document=first)["events"]} == {first}
    assert audit(client, coord, document=second, actor=unhcr.email, action="view")["total"] == 3
    assert audit(client, coord, document=first, actor=unhcr.email)["total"] == 0
    assert audit(client, coord, actor=coord.email.upper(), action="return")["total"] == 1
    jan = audit(client, coord, **{"from": "2026-01-01", "to": "2026-01-31"})
    assert jan["total"] > 0 and {e["document_id"] for e in jan["events"]} == {first}
    assert audit(client, coord, **{"from": "2026-01-16", "document": first})["total"] == 0
    assert audit(client, coord, to="2026-01-14")["total"] == 0
    assert audit(client, coord, **{"from": "2026-01-15", "to": "2026-01-15", "action": "return"})["total"] == 1
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert audit(client, coord, **{"from": today, "document": second})["total"] == audit(
        client, coord, document=second)["total"]

    for bad, status in (({"from": "2026-02-01", "to": "2026-01-01"}, 422), ({"to": "31/01/2026"}, 422),
                        ({"document": "x"}, 400), ({"document": "99999999999999999999999"}, 400),
                        ({"page": "-1"}, 400)):
        r = client.get("/api/v1/audit", headers=coord.headers, query_string=bad)
        assert r.status_code == status, (bad, r.get_data(as_text=True))
        assert isinstance(r.json["error"], str) and isinstance(r.json["message"], str)

    # the page offers the same filters, and keeps them in its links
    browser = browser_for(app, coord)
    html = browser.get("/audit", query_string={"from": "2026-01-01", "to": "2026-01-31"}).get_data(as_text=True)
    for name in ("document", "actor", "action", "from", "to"):
        assert f'name="{name}"' in html
    assert re.search(rf">\s*{jan['total']} events\s*<", html)
    export = re.search(r'href="(/audit\?[^"]*format=csv[^"]*)"', html)
    assert export and "from=2026-01-01" in export.group(1) and "to=2026-01-31" in export.group(1)
    html = browser.get("/audit", query_string={"document": second, "actor": unhcr.email}).get_data(as_text=True)
    assert re.search(r">\s*3 events\s*<", html)
    r = browser.get("/audit", query_string={"from": "2026-02-01", "to": "2026-01-01"})
    assert r.status_code == 422 and "from must not be after to" in unescape(r.get_data(as_text=True))


def test_csv_export(app, client, people):
    partner, coord = people["partner"], people["coord"]
    doc_id = new_doc(client, partner, "Corvidale report")
    review(client, coord, doc_id, action="return", rationale="=HYPERLINK(\"http://evil.example\",\"click\")")
    r = client.post(f"/api/v1/documents/{doc_id}/comments", headers=partner.headers, json={"text": "@SUM(A1:A9)"})
    assert r.status_code == 201
    # failed logins put attacker-chosen text in the actor column
    s = svc(app)
    for hostile in ("=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1)"):
        assert s.accounts.authenticate(hostile, "wrong password") is None
    s.session.close()

    everything = audit(client, coord)
    rows = read_csv(client.get("/api/v1/audit.csv", headers=coord.headers))
    assert len(rows) == everything["total"]
    assert list(rows[0]) == ["at", "actor", "action", "document_id", "ip", "detail", "request_id"]
    assert [row["action"] for row in rows] == [e["action"] for e in everything["events"]]
    # no cell starts with a formula character
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), row
    actors = {row["actor"] for row in rows if row["action"] == "login_failed"}
    assert actors == {"'=cmd|' /c calc'!a0", "'+1+1", "'-2+3", "'@sum(1)"}
    [returned] = [row for row in rows if row["action"] == "return"]
    assert returned["document_id"] == str(doc_id) and returned["actor"] == coord.email
    assert '=HYPERLINK(\\"http://evil.example\\"' in returned["detail"]  # inside the JSON text, not a formula
    [said] = [row for row in rows if row["action"] == "comment"]
    assert "@SUM(A1:A9)" in said["detail"] and said["actor"] == partner.email
    assert csv_cell("=1+1") == "'=1+1" and csv_cell("\t=1") == "'\t=1" and csv_cell("plain") == "plain"
    assert csv_cell(None) == "" and csv_cell(12) == "12"

    # filters apply to the export; format=csv on the JSON route gives the same file
    rows = read_csv(client.get("/api/v1/audit.csv", headers=coord.headers,
                               query_string={"document": doc_id, "action": "comment"}))
    assert [row["action"] for row in rows] == ["comment"]
    rows = read_csv(client.get("/api/v1/audit", headers=coord.headers,
                               query_string={"document": doc_id, "format": "csv"}))
    assert {row["document_id"] for row in rows} == {str(doc_id)}
    r = client.get("/api/v1/audit.csv", headers=coord.headers, query_string={"from": "2026-13-01"})
    assert r.status_code == 422 and r.json["error"] == "invalid_value"

    # the page's export link
    browser = browser_for(app, coord)
    html = browser.get(f"/audit?document={doc_id}").get_data(as_text=True)
    link = unescape(re.search(r'href="(/audit\?[^"]*format=csv[^"]*)"', html).group(1))
    rows = read_csv(browser.get(link))
    assert {row["document_id"] for row in rows} == {str(doc_id)} and len(rows) == 3

    # each export is itself in the trail, with its filters
    exports = audit(client, coord, action="audit_export")["events"]
    assert len(exports) == 4 and all(e["actor"] == coord.email for e in exports)
    assert exports[0]["detail"]["document"] == str(doc_id)
    assert exports[-1]["detail"]["rows"] == everything["total"]


def test_only_coordinators_export(app, client, people):
    new_doc(client, people["partner"], "Lanthorn report")
    for who in ("partner", "staff", "admin"):
        for path in ("/api/v1/audit.csv", "/api/v1/audit?format=csv"):
            r = client.get(path, headers=people[who].headers)
            assert r.status_code == 403 and r.json["error"] == "forbidden", (who, path)
            assert r.mimetype == "application/json"
        browser = browser_for(app, people[who])
        r = browser.get("/audit?format=csv")
        assert r.status_code == 403 and r.mimetype == "text/html", who
    r = client.get("/api/v1/audit.csv")
    assert r.status_code == 401 and r.json["error"] == "login_required"
    r = client.get("/api/v1/audit.csv", headers={"Authorization": "Bearer rp_forged"})
    assert r.status_code == 401 and r.json["error"] == "bad_token"
    r = app.test_client().get("/audit?format=csv")
    assert r.status_code in (302, 401) and "text/csv" not in r.headers.get("Content-Type", "")
    # nothing was exported, so nothing was recorded as an export
    assert audit(client, people["coord"], action="audit_export")["total"] == 0
    # and the page hides the link from everyone else (it is not even in the menu)
    html = browser_for(app, people["partner"]).get("/").get_data(as_text=True)
    assert "format=csv" not in html and CSRF_RE.search(html)
