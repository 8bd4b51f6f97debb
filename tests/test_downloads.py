"""Downloads are never rendered: ``Content-Security-Policy: sandbox``, ``nosniff``, ``no-store`` and an attachment
disposition with RFC 6266/8187 ``filename*`` plus a quoted, safe ASCII fallback, on the API and the HTML route."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from account_utils import browser_for
from conftest import text_report
from conftest import upload

from repository.web.disposition import ascii_fallback
from repository.web.disposition import attachment

NAMES = {
    "arabic": "تقرير الحماية – طرابلس.txt",
    "quotes_crlf": 'minutes "final"\r\nSet-Cookie: evil=1; x="y.txt',
    "semicolon": "report; filename=evil.html.txt",
    "percent": "caf\u00e9 %41%0d%0a.txt",
    "cjk_only": "日本.txt",
    "bidi": "r\u202egnp.exe.txt",
}
DISPOSITION = re.compile(r"""attachment; filename="([A-Za-z0-9_.() -]+)"; filename\*=UTF-8''([A-Za-z0-9%._~-]+)""")


def test_fallback_unit():
    assert ascii_fallback("تقرير.txt") == "document.txt"
    assert ascii_fallback("Café ünïcode.pdf") == "Cafe unicode.pdf"
    assert ascii_fallback('a"b\\c;d.txt') == "a_b_c_d.txt"
    assert ascii_fallback("...hidden") == "document.hidden"
    value = attachment('x"\r\ny.txt')
    assert "\r" not in value and "\n" not in value and value.count('"') == 2


@pytest.mark.parametrize("case", sorted(NAMES))
def test_download_headers_on_both_routes(app, client, world, case):
    partner = world.account("partner@drc.example.org", "partner", "DRC")
    r = upload(client, partner, data=text_report(f"download case {case}"), filename=NAMES[case])
    assert r.status_code == 201, r.get_json()
    doc = r.get_json()
    browser = browser_for(app, partner.email)
    for channel, response in (
        ("api", client.get(f"/api/v1/documents/{doc['id']}/file", headers=partner.headers)),
        ("html", browser.get(f"/documents/{doc['id']}/file")),
    ):
        with response:
            assert response.status_code == 200, channel
            headers = response.headers
            assert headers["Content-Security-Policy"] == "sandbox", channel
            assert headers["X-Content-Type-Options"] == "nosniff"
            assert headers["Cache-Control"] == "no-store"
            value = headers["Content-Disposition"]
            match = DISPOSITION.fullmatch(value)
            assert match, (channel, value)
            fallback, encoded = match.groups()
            assert not fallback.startswith((".", " ")) and ".." not in fallback, fallback
            assert fallback.endswith(".txt")
            assert unquote(encoded, errors="strict") == doc["filename"], (channel, value)
            assert "\r" not in value and "\n" not in value
            assert not any("evil" in cookie for cookie in headers.getlist("Set-Cookie"))
            assert response.get_data() == text_report(f"download case {case}")
    if case == "arabic":
        assert doc["filename"] == NAMES["arabic"]
