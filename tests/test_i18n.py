"""The Arabic and English interface (Flask-Babel, repository/web/i18n.py).

1. Every interface string (templates, flash and error messages, the services' and the protocol's refusals, the
   protocol's levels, risks, benefits and findings) has an Arabic translation: the catalogue is extracted here with
   babel.cfg, exactly as ``make translations`` does, and compared with ``repository/translations/ar``.
2. Every HTML page (every GET route of the pages, as every role) in Arabic is ``<html lang="ar" dir="rtl">`` and
   shows no English interface string of the catalogue outside isolated document content (titles, names, codes,
   file names: ``dir="auto"``, ``<bdi>``, ``<code>``).
3. The language comes from ``?lang=`` (remembered in a cookie), then the cookie, then ``Accept-Language``;
   English without any of them; the JSON API stays English.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from conftest import GATE_CODES
from conftest import accounts
from conftest import browser_for
from conftest import release
from conftest import text_report
from conftest import upload

from repository import protocol
from repository.web.i18n import protocol_strings

ROOT = Path(__file__).resolve().parent.parent
AR_PO = ROOT / "repository" / "translations" / "ar" / "LC_MESSAGES" / "messages.po"
#: The keywords of ``make translations`` (Makefile: BABEL_KEYWORDS).
KEYWORDS = {
    "_": None,
    "N_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "invalid": None,
    "ServiceError": (3,),
    "Denied": (3,),
}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|%%")


def extracted() -> Catalog:
    """The catalogue of the sources, extracted with babel.cfg."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalog = Catalog()
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        catalog.add(message, None, [(filename, lineno)], context=context)
    return catalog


def arabic() -> Catalog:
    """The Arabic catalogue."""
    with AR_PO.open("rb") as handle:
        return read_po(handle, locale="ar")


def _forms(value) -> list[str]:
    return list(value) if isinstance(value, (tuple, list)) else [value]


def test_every_interface_string_has_an_arabic_translation():
    """A template or flash string, a refusal or a protocol label without a non-empty Arabic msgstr fails; so does
    a translation that loses or invents a placeholder, or one marked fuzzy."""
    source, ar = extracted(), arabic()
    ids = [m.id for m in source if m.id]
    assert len(ids) > 300  # the templates, the views, the services and the protocol were all read
    problems = []
    for msgid in ids:
        key = msgid[0] if isinstance(msgid, tuple) else msgid
        message = ar.get(key)
        if message is None or not all(s.strip() for s in _forms(message.string)):
            problems.append(f"no Arabic for {key!r}")
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {key!r}")
        wanted = sorted(PLACEHOLDER.findall(key))
        for form in _forms(message.string):
            if sorted(PLACEHOLDER.findall(form)) != wanted:
                problems.append(f"placeholders differ in {key!r}: {form!r}")
    assert not problems, "\n".join(problems)
    for text in protocol_strings():  # the levels, risks, benefits, findings, gate, roles and states
        assert ar.get(text) and ar.get(text).string, text
    # the IASC levels keep the vocabulary of the domain
    assert [ar.get(protocol.LEVEL_LABELS[level]).string for level in protocol.LEVELS] == [
        "عام", "مقيّد", "سري", "سري للغاية"
    ]  # fmt: skip


def test_the_catalogue_test_is_not_vacuous(tmp_path):
    """A msgid the Arabic catalogue lacks is found: a planted template string is extracted and is not in it."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "x.html").write_text("{{ _('A planted string never translated') }}")
    (tmp_path / "babel.cfg").write_text("[jinja2: templates/**.html]\n")
    with (tmp_path / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = [m[2] for m in extract_from_dir(str(tmp_path), method_map, options_map, keywords=KEYWORDS)]
    assert found == ["A planted string never translated"]
    assert arabic().get(found[0]) is None


# --------------------------------------------------------------------------------------------------------------
# Every page, every role, in Arabic
# --------------------------------------------------------------------------------------------------------------

#: Elements whose text is content, not interface: isolated titles, names, codes, file names, typed text.
ISOLATED = {"bdi", "code", "textarea", "script", "style", "datalist"}
#: Attributes read as interface text.
TEXT_ATTRIBUTES = ("placeholder", "aria-label", "alt", "title")


class _Interface(HTMLParser):
    """The interface text of a page: text and labelling attributes outside isolated content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []
        self.parts: list[str] = []
        self.html_attrs: dict[str, str] = {}

    def _isolated(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_attrs = {k: v or "" for k, v in attrs.items()}
        other_language = tag != "html" and attrs.get("lang") not in (None, "ar")  # the switch's "English"
        isolated = tag in ISOLATED or attrs.get("dir") == "auto" or other_language
        if tag not in ("br", "input", "img", "meta", "link", "hr", "wbr"):
            self.stack.append(isolated)
        if not self._isolated() and not isolated:
            self.parts += [attrs[a] for a in TEXT_ATTRIBUTES if attrs.get(a)]

    def handle_endtag(self, tag):
        if self.stack and tag not in ("br", "input", "img", "meta", "link", "hr", "wbr"):
            self.stack.pop()

    def handle_data(self, data):
        if not self._isolated():
            self.parts.append(data)

    def text(self) -> str:
        text = " ".join(" ".join(self.parts).split())
        text = re.sub("\u2068[^\u2069]*\u2069", " ", text)  # first-strong isolates (a title in <title>)
        return re.sub(r"\S+@\S+", " ", text)  # an e-mail address in a label ("دور partner@…") is a name


def interface_of(html: str) -> _Interface:
    """Parse a page into its interface text and its ``<html>`` attributes."""
    parser = _Interface()
    parser.feed(html)
    return parser


def english_fragments() -> list[str]:
    """The pieces of the English interface strings a page could show untranslated: each msgid cut at its
    placeholders and tags, pieces of at least four letters (single short words like "To" are left out)."""
    out = set()
    for message in extracted():
        if not message.id:
            continue
        for msgid in _forms(message.id):
            for piece in re.split(r"%\([a-z_]+\)s|<[^>]+>|&quot;|%%", msgid):
                piece = " ".join(piece.split()).strip(" .,:;()—-")
                if len(re.sub(r"[^A-Za-z]", "", piece)) >= 4:
                    out.add(piece)
    return sorted(out, key=len, reverse=True)


def untranslated(text: str, fragments: list[str]) -> list[str]:
    """The English fragments found as whole words in ``text``."""
    return [f for f in fragments if re.search(rf"(?<![A-Za-z]){re.escape(f)}(?![A-Za-z])", text)]


@pytest.fixture
def seeded(app, world):
    """A partner's submitted report with a finding, a released public one, a released confidential one with a
    finding, accounts of every role, and the ids of each."""
    cast = accounts(world, "partner", "coord", "staff", "admin")
    client = app.test_client()
    ids = {}
    for name, level in (("submitted", None), ("public", protocol.PUBLIC), ("confidential", protocol.CONFIDENTIAL)):
        phone = "" if level == protocol.PUBLIC else " Call +218 91 234 5678."
        body = text_report(f"Detention monitoring in Sebha {name}.{phone}")
        r = upload(client, cast["partner"], data=body, filename=f"{name}.txt", title=f"Report {name}",
                   codes=list(GATE_CODES))  # fmt: skip
        assert r.status_code == 201, r.json
        ids[name] = r.json["id"]
        if level:
            assert release(client, cast["coord"], ids[name], level).status_code == 200
    return cast, ids


#: Paths of the pages that take no parameter, and how the parameterised ones are filled.
def _paths(app, ids, account_ids) -> list[str]:
    doc = ids["public"]
    fill = {
        "doc_id": [str(ids["public"]), str(ids["submitted"]), "999999"],
        "user_id": [str(account_ids[0])],
        "token_id": ["1"],
        "rid": ["1"],
        "change": ["role"],
    }
    paths = ["/search?q=Sebha", "/search?q=%22unclosed", "/search?q=Sebha&code=theme:protection_monitoring",
             "/no-such-page", f"/documents/{doc}/file?version=99"]  # fmt: skip
    covered = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith(("/api/", "/static")):
            continue
        if rule.endpoint in ("ops.healthz", "ops.readyz") or rule.rule.endswith("/file"):
            continue  # JSON probes; downloads are files
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<{name}>", fill[name][0]).replace(f"<int:{name}>", fill[name][0])
        paths.append(path)
        if "doc_id" in rule.arguments:
            paths += [rule.rule.replace("<doc_id>", other) for other in fill["doc_id"][1:]]
        covered.add(rule.endpoint)
    assert {"html.index", "html.search", "html.document", "html.review_queue", "html.audit", "admin.users"} <= covered
    return list(dict.fromkeys(paths))


def test_every_page_in_arabic_as_every_role(app, seeded):
    """Every GET page as anonymous, partner, staff, coordinator and admin, with ``?lang=ar``: right to left, and no
    English interface string of the catalogue left in its interface text."""
    cast, ids = seeded
    fragments = english_fragments()
    browsers = {"anonymous": app.test_client()}
    browsers.update({name: browser_for(app, account) for name, account in cast.items()})
    paths = _paths(app, ids, [cast["partner"].id])
    problems, pages = [], 0
    for role, browser in browsers.items():
        for path in paths:
            sep = "&" if "?" in path else "?"
            r = browser.get(f"{path}{sep}lang=ar")
            if r.status_code in (301, 302, 303):
                continue  # to the login page, walked on its own
            if not r.mimetype == "text/html":
                continue
            pages += 1
            page = interface_of(r.get_data(as_text=True))
            if page.html_attrs.get("lang") != "ar" or page.html_attrs.get("dir") != "rtl":
                problems.append(f"{role} {path} ({r.status_code}): <html {page.html_attrs}>")
            text = page.text()
            for fragment in untranslated(text, fragments)[:3]:
                at = text.find(fragment)
                problems.append(f"{role} {path} ({r.status_code}): {fragment!r} in …{text[max(0, at - 60):at + 60]}…")
    assert pages > 60
    assert not problems, "\n".join(problems)


def test_the_page_walk_finds_english(app, seeded):
    """The walk is not vacuous: the same page in English shows catalogue strings, which the check reports."""
    page = interface_of(app.test_client().get("/search?q=Sebha").get_data(as_text=True))
    assert page.html_attrs == {"lang": "en", "dir": "ltr"}
    assert {"Protection document repository", "Most relevant"} <= set(untranslated(page.text(), english_fragments()))


def test_arabic_page_shows_arabic_labels_and_isolates_latin(app, seeded):
    """In Arabic: the levels and facets in Arabic, the document title and the organisation isolated, dates
    localised; the switch links back to English on the same page."""
    cast, ids = seeded
    browser = browser_for(app, cast["coord"])
    html = browser.get(f"/documents/{ids['public']}?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert 'class="level level-public">عام<' in html
    assert '<h1 dir="auto">Report public</h1>' in html
    assert "<bdi>DRC</bdi>" in html
    assert '<a class="language" href="?lang=en" lang="en" hreflang="en">English</a>' in html
    search = browser.get("/search?q=Sebha&lang=ar").get_data(as_text=True)
    assert 'href="?lang=en"' in search  # query-only: the words searched are not echoed once more
    assert "الأكثر صلة" in search and "مستوى المشاركة" in search
    assert re.search(r'class="depth-\d"', search) and 'style="' not in search  # no inline style under the CSP


# --------------------------------------------------------------------------------------------------------------
# Choosing the language
# --------------------------------------------------------------------------------------------------------------


def _lang(response) -> str:
    return interface_of(response.get_data(as_text=True)).html_attrs.get("lang", "")


def test_default_is_english_and_accept_language_chooses(app):
    """No header: English. ``Accept-Language`` chooses among Arabic and English; other languages fall back."""
    client = app.test_client()
    assert _lang(client.get("/")) == "en"
    assert _lang(client.get("/", headers={"Accept-Language": "ar-LY,ar;q=0.9,en;q=0.5"})) == "ar"
    assert _lang(client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9,ar;q=0.5"})) == "en"
    assert _lang(client.get("/", headers={"Accept-Language": "fr-FR"})) == "en"
    assert _lang(client.get("/", headers={"Accept-Language": "fr, ar;q=0.4"})) == "ar"


def test_query_then_cookie_then_header(app):
    """``?lang=`` wins and is remembered in a cookie, which then wins over ``Accept-Language``; an unknown
    ``?lang`` is ignored."""
    client = app.test_client()
    r = client.get("/?lang=ar", headers={"Accept-Language": "en"})
    assert _lang(r) == "ar"
    cookie = r.headers.get("Set-Cookie", "")
    assert cookie.startswith("lang=ar;") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert _lang(client.get("/search", headers={"Accept-Language": "en"})) == "ar"  # remembered
    assert _lang(client.get("/?lang=xx")) == "ar"  # ignored, the cookie stays
    assert _lang(client.get("/?lang=en", headers={"Accept-Language": "ar"})) == "en"
    assert _lang(client.get("/", headers={"Accept-Language": "ar"})) == "en"  # the cookie now says English


def test_flash_and_error_messages_in_arabic(app, seeded):
    """A flash message and an error page follow the language; the JSON API stays English whatever is asked."""
    cast, ids = seeded
    browser = browser_for(app, cast["partner"])
    page = browser.get("/no-such-page?lang=ar")
    assert page.status_code == 404 and "هذه الصفحة غير موجودة." in page.get_data(as_text=True)
    from conftest import token_of

    form = browser.get("/upload?lang=ar").get_data(as_text=True)
    r = browser.post("/upload", data={"csrf_token": token_of(form)}, follow_redirects=True)
    assert r.status_code == 400 and "اختر ملفًا لرفعه." in r.get_data(as_text=True)
    api = browser.get("/api/v1/documents/999999?lang=ar", headers={"Accept-Language": "ar", **cast["partner"].headers})
    assert api.status_code == 404 and api.json["message"].isascii()
    assert "Set-Cookie" not in api.headers or "lang=" not in api.headers["Set-Cookie"]
