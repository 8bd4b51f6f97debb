"""Acceptance: bad input is never a 500.

Everything goes through the real routes: the Flask test client on a real app with its own SQLite file, file store
and Whoosh index; nothing is mocked. Hostile files are built by ``filefactory`` and uploaded through the JSON API
(as a partner with a token) and through the HTML form (logged in through the real form, with the CSRF token);
then hostile filenames, oversized and malformed requests, invalid metadata, hostile search queries and
parameters (API and HTML), bad JSON bodies and absurd document ids.

Each answer must be the documented one with its exact status: the JSON error shape ``{"error", "message"}`` on
the API, a page showing the message in HTML. A refused upload leaves nothing behind (no file under
``<DATA_DIR>/files`` but the empty ``tmp/`` folder, no document for a coordinator's search); an accepted file that
cannot be read is kept intact with ``text_status == "unavailable"`` and a reason; no query syntax reaches a
hidden document; and the server still answers afterwards.

The app runs with TESTING on, so an exception in a view propagates out of the test client: a would-be 500 fails
the test with its traceback.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import filefactory as ff
import pytest
from conftest import GATE_CODES
from conftest import NONE_IDENTIFIED
from conftest import World
from conftest import csrf
from conftest import login
from conftest import make_app
from conftest import text_report
from conftest import upload
from markupsafe import escape
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from repository.knowledge.sniff import UnsupportedType
from repository.knowledge.sniff import sniff_file

CHANNELS = ("api", "html")
#: What each channel answers for an accepted upload: the API's 201, the form's redirect to the document page.
ACCEPTED = {"api": 201, "html": 302}
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MiB = 1024 * 1024

_DOC_PATH = re.compile(r"/documents/(\d+)$")
_FLASH_ERROR = re.compile(r'<p class="flash error">([^<]*)</p>')
_ATTRIBUTES = re.compile(r'(?:href|value)="[^"]*"')


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def closed(response):
    """Buffer and close a response: the test client spools a large request body to a temporary file that is
    only closed with the response."""
    response.get_data()
    response.close()
    return response


def _errors_on_page(text: str) -> list[str]:
    return _FLASH_ERROR.findall(text)


def assert_json_error(response, status: int, error: str | None = None) -> dict[str, Any]:
    """The documented API refusal: exact status, JSON ``{"error", "message"}`` with non-empty strings."""
    body = response.get_json(silent=True)
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:500])
    assert isinstance(body, dict), response.get_data(as_text=True)[:500]
    assert isinstance(body.get("error"), str) and body["error"], body
    assert isinstance(body.get("message"), str) and body["message"], body
    if error is not None:
        assert body["error"] == error, body
    return body


def assert_html_error(response, status: int, message: str | None = None) -> str:
    """The HTML refusal: exact status and a page that shows the message (escaped, like every other text)."""
    text = response.get_data(as_text=True)
    assert response.status_code == status, (response.status_code, text[:500])
    assert response.mimetype == "text/html", response.mimetype
    if message is not None:
        assert str(escape(message)) in text, (message, text[:2000])
    return text


# --------------------------------------------------------------------------------------------------------------
# Uploading through either channel
# --------------------------------------------------------------------------------------------------------------


def multipart(fields: dict[str, str], filename: str, data: bytes) -> tuple[bytes, str]:
    """A hand-made multipart body whose file part names ``filename`` as an RFC 5987 ``filename*`` value.

    Browsers percent-encode CR, LF and quotes in ``filename=``; ``filename*=UTF-8''…`` is how raw control and
    bidi characters actually reach the server's parser (Werkzeug decodes it), so the sanitiser is what is tested.
    """
    boundary = "hostile-" + secrets.token_hex(8)
    out = bytearray()
    for name, value in fields.items():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    out += (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''{quote(filename, safe='')}"
        "\r\nContent-Type: application/octet-stream\r\n\r\n"
    ).encode()
    out += data + f"\r\n--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


@dataclass
class Answer:
    """What an upload came back with: the real status, the stored document (when accepted) and the body."""

    status: int
    doc: dict[str, Any] | None
    response: Any

    @property
    def text(self) -> str:
        return self.response.get_data(as_text=True)


class Uploader:
    """One partner uploading through one channel: ``api`` (bearer token) or ``html`` (the logged-in form)."""

    def __init__(self, channel: str, client, account) -> None:
        self.channel = channel
        self.client = client
        self.account = account
        if channel == "html":
            assert login(client, account.email).status_code == 302

    def post(self, form: dict[str, Any] | bytes, content_type: str | None = "multipart/form-data", **kw):
        """POST a form (a dict, encoded here, or raw bytes) to the channel's upload route."""
        if isinstance(form, dict):
            if self.channel == "html":
                form = {"csrf_token": csrf(self.client, "/upload"), **form}
            if content_type == "multipart/form-data":
                # Encoded in memory: the test client would spool a large body to a temporary file that it never
                # closes when redirects are not followed.
                boundary, form = encode_multipart(
                    {
                        key: FileStorage(value[0], filename=value[1]) if isinstance(value, tuple) else value
                        for key, value in form.items()
                    }
                )
                content_type = f"multipart/form-data; boundary={boundary}"
        if self.channel == "api":
            return closed(
                self.client.post(
                    "/api/v1/documents", data=form, headers=self.account.headers, content_type=content_type, **kw
                )
            )
        return closed(self.client.post("/upload", data=form, content_type=content_type, **kw))

    def send(self, data: bytes, filename: str = "report.txt", **fields: Any) -> Answer:
        """Upload ``data`` as ``filename`` with form ``fields`` (multipart, encoded in memory)."""
        return self.answer(self.post({"file": (io.BytesIO(data), filename), **fields}))

    def send_named(self, data: bytes, filename: str) -> Answer:
        """Upload ``data`` with ``filename`` sent verbatim as ``filename*`` (see :func:`multipart`)."""
        fields = {"csrf_token": csrf(self.client, "/upload")} if self.channel == "html" else {}
        body, content_type = multipart(fields, filename, data)
        return self.answer(self.post(body, content_type))

    def answer(self, response) -> Answer:
        doc = None
        if response.status_code == ACCEPTED[self.channel]:
            if self.channel == "api":
                doc = response.get_json()
            else:
                match = _DOC_PATH.search(response.headers["Location"])
                assert match, response.headers["Location"]
                r = self.client.get(f"/api/v1/documents/{match.group(1)}", headers=self.account.headers)
                assert r.status_code == 200, r.get_data(as_text=True)
                doc = r.get_json()
        return Answer(response.status_code, doc, response)

    def download(self, doc_id: int) -> tuple[bytes, Any]:
        """The stored original through the channel's download route (bytes and headers)."""
        if self.channel == "api":
            r = self.client.get(f"/api/v1/documents/{doc_id}/file", headers=self.account.headers)
        else:
            r = self.client.get(f"/documents/{doc_id}/file")
        try:
            assert r.status_code == 200, r.get_data(as_text=True)[:500]
            return r.get_data(), r.headers
        finally:
            r.close()

    def assert_refused(self, answer: Answer, status: int, error: str | None = None, message: str | None = None):
        """API: the JSON error (``error`` and exact ``message`` when given). HTML: the message on the page."""
        if self.channel == "api":
            body = assert_json_error(answer.response, status, error)
            if message is not None:
                assert body["message"] == message, body
            return body
        text = assert_html_error(answer.response, status, message)
        if status != 413 and "CSRF" not in text:  # a refused form is shown again with the reason as an error
            assert _errors_on_page(text), text[:2000]
        return text


@dataclass
class Leftovers:
    """What a refused upload must not change: every path under the file store, and the documents."""

    paths: list[str]
    ids: list[int]


def leftovers(app, client, coordinator) -> Leftovers:
    root = Path(app.config["DATA_DIR"]) / "files"
    paths = sorted(p.relative_to(root).as_posix() + ("/" if p.is_dir() else "") for p in root.rglob("*"))
    r = client.get("/api/v1/search", query_string={"per_page": 100, "sort": "date"}, headers=coordinator.headers)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.json["total"] == len(r.json["hits"])
    return Leftovers(paths, sorted(h["id"] for h in r.json["hits"]))


def assert_nothing_kept(app, client, coordinator, before: Leftovers, case: str) -> None:
    root = Path(app.config["DATA_DIR"]) / "files"
    assert list((root / "tmp").iterdir()) == [], f"{case}: a staged upload was left in files/tmp"
    after = leftovers(app, client, coordinator)
    assert after.paths == before.paths, f"{case}: files changed: {sorted(set(after.paths) ^ set(before.paths))}"
    assert after.ids == before.ids, f"{case}: documents changed: {before.ids} -> {after.ids}"


@pytest.fixture
def uploader(request, client, world) -> Uploader:
    return Uploader(request.param, client, world.account("partner@drc.example.org", "partner", "DRC"))


@pytest.fixture
def coordinator(world):
    return world.account("coord@pswg.example.org", "coordinator", "PSWG")


# --------------------------------------------------------------------------------------------------------------
# Files of an allowed type that cannot be read: kept, intact, "text unavailable" with a reason
# --------------------------------------------------------------------------------------------------------------

UNREADABLE = {
    "truncated PDF": (ff.make_truncated_pdf, "truncated.pdf", PDF),
    "encrypted PDF": (ff.make_encrypted_pdf, "encrypted.pdf", PDF),
    "malformed PDF": (ff.make_malformed_pdf, "malformed.pdf", PDF),
    "PDF whose stream inflates to 1 GiB": (ff.make_pdf_stream_bomb, "stream-bomb.pdf", PDF),
    "DOCX that inflates to 1 GiB": (ff.make_docx_bomb, "zip-bomb.docx", DOCX),
    "DOCX with a ../ member": (ff.make_zip_traversal_docx, "traversal.docx", DOCX),
}


@pytest.mark.parametrize("uploader", CHANNELS, indirect=True)
def test_unreadable_files_of_allowed_types_are_kept_intact_with_text_unavailable(uploader, client, tmp_path):
    for case, (make, filename, mime) in UNREADABLE.items():
        original = make(tmp_path / filename).read_bytes()

        answer = uploader.send(original, filename)

        assert answer.status == ACCEPTED[uploader.channel], (case, answer.status, answer.text[:500])
        doc = answer.doc
        assert doc["state"] == "submitted", case
        assert doc["mime"] == mime, (case, doc["mime"])
        assert doc["text_status"] == "unavailable", (case, doc)
        assert isinstance(doc.get("text_reason"), str) and doc["text_reason"].strip(), (case, doc)
        assert doc["size"] == len(original) and doc["sha256"] == sha256(original), case
        data, headers = uploader.download(doc["id"])
        assert sha256(data) == sha256(original), f"{case}: the stored original is not the uploaded file"
        assert headers["Content-Disposition"].startswith("attachment"), case
        assert headers["X-Content-Type-Options"] == "nosniff", case
        assert headers["Content-Security-Policy"] == "sandbox", case
        if uploader.channel == "html":
            page = client.get(f"/documents/{doc['id']}")
            assert page.status_code == 200, (case, page.get_data(as_text=True)[:500])


# --------------------------------------------------------------------------------------------------------------
# Files of a type that is not allowed: 415, the error shape, and nothing kept
# --------------------------------------------------------------------------------------------------------------

DISALLOWED = {
    "empty file": (ff.make_empty, "empty.pdf"),
    "HTML sent as report.pdf": (ff.make_html_as_pdf, "report.pdf"),
    "HTML/PDF polyglot": (ff.make_polyglot_html_pdf, "report.pdf"),
    "SVG with a script": (ff.make_svg, "image.svg"),
    "HTML page": (ff.make_html_as_pdf, "page.html"),
    "JavaScript": (ff.make_js, "script.js"),
    "Windows executable": (ff.make_exe, "setup.exe"),
    "Windows executable sent as report.pdf": (ff.make_exe, "report.pdf"),
    "plain ZIP archive": (ff.make_zip, "archive.zip"),
    "GIF image": (ff.make_gif, "image.gif"),
    "XML with an external entity": (ff.make_xml, "data.xml"),
    "macro-enabled DOCX": (ff.make_macro_docx, "macro.docx"),
    "Latin-1 text": (lambda p: ff.make_txt(p, "Compte rendu de la réunion à Tripoli", "latin-1"), "notes.txt"),
}


@pytest.mark.parametrize("uploader", CHANNELS, indirect=True)
def test_disallowed_types_are_415_and_nothing_is_kept(uploader, app, client, coordinator, tmp_path):
    for case, (make, filename) in DISALLOWED.items():
        path = make(tmp_path / case.replace(" ", "-").replace("/", "-") / filename)
        with pytest.raises(UnsupportedType) as refused:  # the reason the uploader must be shown
            sniff_file(path, filename=filename)
        before = leftovers(app, client, coordinator)

        answer = uploader.send(path.read_bytes(), filename)

        assert answer.status == 415, (case, answer.status, answer.text[:500])
        uploader.assert_refused(answer, 415, "unsupported_type", refused.value.message)
        assert_nothing_kept(app, client, coordinator, before, case)


# --------------------------------------------------------------------------------------------------------------
# Hostile filenames: stored sanitised, downloaded with a clean Content-Disposition
# --------------------------------------------------------------------------------------------------------------

HOSTILE_NAMES = {
    "path traversal": "../../../etc/passwd",
    "Windows path traversal": "..\\..\\Windows\\System32\\report.txt",
    "traversal to a dotfile": "../.bashrc",
    "CR/LF header injection": "report.txt\r\nContent-Type: text/html\r\n\r\n<script>alert(1)</script>",
    "CR/LF and traversal": "..\r\n../..\r\n..report.txt",
    "bidi override (U+202E)": "invoice\u202efdp.txt",
    "bidi isolates and zero-width characters": "\u2066re\u200bport\u2069\u202e\u200f.txt",
    "5,000 characters": "r" * 4996 + ".txt",
    "5,000 characters of ../": "../" * 1665 + "x.txt",
    "5,000 characters with bidi and CR/LF": ("a\u202e\r\n" * 1250)[:4996] + ".txt",
    "NUL and a second extension": "report.pdf\x00.txt",
    "only dots": "..",
    "quote and header syntax": 'a"; filename="evil.html"; x=".txt',
}
#: Names that end as active content once a browser or a desktop has read them: refused whatever the bytes.
ACTIVE_HOSTILE_NAMES = {
    "bidi override hiding .exe (U+202E)": "invoice\u202etxt.exe",
    "NUL before .html": "report.pdf\x00.html",
    "double extension": "report.pdf.exe",
    "upper case": "PAGE.HTM",
}
_BAD_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def assert_clean_display_name(name: str, case: str) -> None:
    assert name, f"{case}: empty name"
    assert "/" not in name and "\\" not in name, (case, name)
    bad = [f"U+{ord(c):04X}" for c in name if unicodedata.category(c) in _BAD_CATEGORIES]
    assert not bad, f"{case}: control or bidi characters {bad} in {name!r}"
    assert len(name) <= 200, (case, len(name))
    assert not name.startswith("."), (case, name)


@pytest.mark.parametrize("uploader", CHANNELS, indirect=True)
def test_hostile_filenames_are_stored_sanitised_and_downloaded_safely(uploader):
    for case, name in HOSTILE_NAMES.items():
        data = text_report(f"Filename case {case} via {uploader.channel}")

        answer = uploader.send_named(data, name)

        assert answer.status == ACCEPTED[uploader.channel], (case, answer.status, answer.text[:500])
        doc = answer.doc
        assert_clean_display_name(doc["filename"], case)
        assert doc["filename"].endswith(".txt"), (case, doc["filename"])  # the sniffed type's extension
        assert_clean_display_name(doc["title"], case)  # the title made from the name when none is given
        body, headers = uploader.download(doc["id"])
        assert body == data, case
        disposition = headers["Content-Disposition"]
        assert disposition.startswith("attachment"), (case, disposition)
        assert "\r" not in disposition and "\n" not in disposition, (case, disposition)
        assert ".." not in disposition, (case, disposition)
        assert "/" not in disposition.split(";", 1)[1].replace("utf-8''", ""), (case, disposition)


@pytest.mark.parametrize("uploader", CHANNELS, indirect=True)
def test_hostile_names_of_active_content_are_415(uploader, app, client, coordinator):
    for case, name in ACTIVE_HOSTILE_NAMES.items():
        before = leftovers(app, client, coordinator)
        answer = uploader.send_named(text_report(f"Active name case {case}"), name)
        assert answer.status == 415, (case, answer.status, answer.text[:500])
        assert_nothing_kept(app, client, coordinator, before, case)


# --------------------------------------------------------------------------------------------------------------
# Size limit: 413 from the announced length, from the body, and from the stored size; nothing kept
# --------------------------------------------------------------------------------------------------------------


@pytest.fixture
def small_app(tmp_path):
    """An app that accepts uploads of at most 1 MB."""
    with make_app(tmp_path / "small", MAX_UPLOAD_MB=1) as app:
        yield app


@pytest.mark.parametrize("channel", CHANNELS)
def test_upload_over_the_limit_is_413_and_nothing_is_kept(channel, small_app):
    client = small_app.test_client()
    world = World(small_app)
    coordinator = world.account("coord@pswg.example.org", "coordinator", "PSWG")
    up = Uploader(channel, client, world.account("partner@drc.example.org", "partner", "DRC"))

    def refused(case: str, response) -> None:
        answer = up.answer(response)
        if channel == "api":
            body = up.assert_refused(answer, 413, "too_large")
            assert "1 MB" in body["message"], body
        else:
            assert "1 MB" in up.assert_refused(answer, 413)
        assert_nothing_kept(small_app, client, coordinator, before, case)

    before = leftovers(small_app, client, coordinator)
    # 2 MB body: refused from the Content-Length, before the form is parsed.
    refused("2 MB upload", up.post({"file": (io.BytesIO(b"a" * (2 * MiB)), "big.txt")}))
    # A small body whose Content-Length announces 2 MB.
    refused(
        "Content-Length of 2 MB",
        up.post(
            {"file": (io.BytesIO(b"small body\n"), "small.txt")},
            environ_overrides={"CONTENT_LENGTH": str(2 * MiB)},
        ),
    )
    # 1.1 MB: under the body limit (which leaves room for multipart framing) but over the file limit.
    refused("1.1 MB file", up.post({"file": (io.BytesIO(b"b" * (MiB + 100 * 1024)), "mid.txt")}))

    # Exactly the limit is accepted, and nothing of the refusals is left over.
    answer = up.send(b"c" * MiB, "exact.txt")
    assert answer.status == ACCEPTED[channel], answer.text[:500]
    assert answer.doc["size"] == MiB
    assert leftovers(small_app, client, coordinator).ids == [answer.doc["id"]]
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json == {"status": "ok"}


# --------------------------------------------------------------------------------------------------------------
# Malformed upload requests and invalid metadata
# --------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("uploader", CHANNELS, indirect=True)
def test_malformed_upload_request_is_refused_and_nothing_is_kept(uploader, app, client, coordinator):
    channel = uploader.channel
    boundary = "b0undary"
    truncated = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.txt"\r\n\r\nno closing boundary'
    ).encode()
    no_filename = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"\r\n\r\nnot a file part\r\n--{boundary}--\r\n'
    ).encode()
    cases = [
        # (case, form or raw body, content type, status)
        ("no file part", {"title": "No file here"}, "multipart/form-data", 400),
        ("the file as a url-encoded field", {"file": "just text"}, "application/x-www-form-urlencoded", 400),
        ("a part named file without a filename", no_filename, f"multipart/form-data; boundary={boundary}", 400),
        ("multipart without a boundary", b"garbage", "multipart/form-data", 400),
        ("truncated multipart", truncated, f"multipart/form-data; boundary={boundary}", 400),
        ("raw bytes", b"%PDF-1.4 raw body", "application/pdf", 400),
        ("a JSON body", b'{"file": "aGVsbG8="}', "application/json", 400),
        ("300 form parts", {"codes": ["theme:gbv"] * 300, "file": (io.BytesIO(b"x"), "x.txt")}, "multipart/form-data",
         413),
    ]
    if channel == "api":  # a browser sends this when no file is chosen: the API sees an empty file
        cases.append(("an empty file with no name", {"file": (io.BytesIO(b""), "")}, "multipart/form-data", 415))
    else:
        cases.append(("no file chosen in the form", {"file": (io.BytesIO(b""), "")}, "multipart/form-data", 400))
    for case, form, content_type, status in cases:
        before = leftovers(app, client, coordinator)
        with warnings.catch_warnings():
            # Werkzeug's parser drops the half-written part of a truncated body without closing it (an in-memory
            # SpooledTemporaryFile; a library wart, not the app's): its ResourceWarning is not this test's concern.
            warnings.simplefilter("ignore", ResourceWarning)
            answer = uploader.answer(uploader.post(form, content_type))
        assert answer.status == status, (case, answer.status, answer.text[:500])
        uploader.assert_refused(answer, status)
        if case == "300 form parts":
            assert "too many parts" in answer.text, answer.text[:500]
        assert_nothing_kept(app, client, coordinator, before, case)


INVALID_METADATA = {
    # case: (form fields, text the refusal names)
    "published is not a date": ({"published": "yesterday"}, "published"),
    "published is 30 February": ({"published": "2024-02-30"}, "published"),
    "published without zero padding": ({"published": "2024-1-1"}, "published"),
    "published in other digits": ({"published": "٢٠٢٤-٠١-٠١"}, "published"),
    "unknown taxonomy code": ({"codes": ["theme:nope"]}, "theme:nope"),
    "unknown and known codes": ({"codes": ["location:LY0101", "location:XX99"]}, "location:XX99"),
    "51 codes": ({"codes": [f"theme:c{i}" for i in range(51)]}, "codes"),
    "a code of 10,000 characters": ({"codes": ["theme:" + "x" * 10_000]}, "codes"),
    "bad proposed_level": ({"proposed_level": "top_secret"}, "proposed_level"),
    "proposed_level in capitals": ({"proposed_level": "PUBLIC"}, "proposed_level"),
    "title over 300 characters": ({"title": "t" * 301}, "title"),
    "summary over 5,000 characters": ({"summary": "s" * 5001}, "summary"),
}


@pytest.mark.parametrize("uploader", CHANNELS, indirect=True)
def test_invalid_metadata_is_422_and_nothing_is_kept(uploader, app, client, coordinator):
    for case, (fields, named) in INVALID_METADATA.items():
        before = leftovers(app, client, coordinator)
        answer = uploader.send(text_report(f"Valid report body for {case}"), "report.txt", **fields)
        assert answer.status == 422, (case, answer.status, answer.text[:500])
        if uploader.channel == "api":
            body = uploader.assert_refused(answer, 422)
            assert body["error"] in ("invalid_value", "unknown_code"), body
            assert named in body["message"], (case, body)
        else:
            errors = _errors_on_page(uploader.assert_refused(answer, 422))
            assert any(str(escape(named)) in e for e in errors), (case, errors)
        assert_nothing_kept(app, client, coordinator, before, case)


# --------------------------------------------------------------------------------------------------------------
# Search: hostile queries and parameters, and no query syntax that reaches a hidden document
# --------------------------------------------------------------------------------------------------------------

CANARY = "zqhiddencanaryzq"  # a word only the hidden documents hold (queries use it)
TITLE_SECRET = "Zqsecrettitlezq"  # in the hidden documents' titles; never part of a query
HIDDEN_ORG = "HIDORG"
PUBLIC_ORG = "PUBORG"
SHARED_WORDS = "alpha level public confidential labels coordinators id org state released title body x"


@dataclass
class Plant:
    hidden: list[int]
    visible: list[int]
    hidden_org_id: int
    staff: Any
    coordinator: Any


@pytest.fixture
def plant(app, client, world) -> Plant:
    """A confidential released document and a submitted one of HIDORG, a public document of PUBORG; a staff
    member of a third organisation searches."""
    owner = world.account("partner@hidorg.example.org", "partner", HIDDEN_ORG)
    other = world.account("partner@puborg.example.org", "partner", PUBLIC_ORG)
    coordinator = world.account("coord@pswg.example.org", "coordinator", "PSWG")
    staff = world.account("staff@third.example.org", "staff", "THIRD")
    hidden = []
    for kind in ("confidential", "submitted"):
        r = upload(client, owner, data=text_report(f"{CANARY} {SHARED_WORDS} {kind}", 3), filename=f"{kind}.txt",
                   title=f"{TITLE_SECRET} {kind}", summary=f"{TITLE_SECRET} summary {CANARY}",
                   codes=["location:LY0211", GATE_CODES[0]])
        assert r.status_code == 201, r.json
        hidden.append(r.json["id"])
    r = client.post(f"/api/v1/documents/{hidden[0]}/review", headers=coordinator.headers,
                    json={"action": "release", "level": "confidential", "rationale": "Names of detainees.",
                          **NONE_IDENTIFIED})
    assert r.status_code == 200, r.json
    r = upload(client, other, data=text_report(f"visible {SHARED_WORDS}", 3), filename="visible.txt",
               title="Visible report", codes=["location:LY0101", GATE_CODES[0]])
    assert r.status_code == 201, r.json
    visible = [r.json["id"]]
    r = client.post(f"/api/v1/documents/{visible[0]}/review", headers=coordinator.headers,
                    json={"action": "release", "level": "public", "rationale": "Aggregated figures.",
                          **NONE_IDENTIFIED})
    assert r.status_code == 200, r.json
    # The plant works: the coordinator finds both hidden documents, the staff member only the public one.
    assert client.get("/api/v1/search", query_string={"q": CANARY}, headers=coordinator.headers).json["total"] == 2
    assert client.get("/api/v1/search", query_string={"q": CANARY}, headers=staff.headers).json["total"] == 0
    assert client.get("/api/v1/search", query_string={"q": "alpha"}, headers=staff.headers).json["total"] == 1
    return Plant(hidden, visible, world.org(HIDDEN_ORG), staff, coordinator)


def assert_api_no_leak(response, plant: Plant, case: str) -> None:
    body = response.get_json()
    ids = [h["id"] for h in body["hits"]]
    assert set(ids) <= set(plant.visible), f"{case}: hidden hits {set(ids) - set(plant.visible)}"
    assert body["total"] <= len(plant.visible), f"{case}: total {body['total']} for hits {ids}"
    if body["page"] == 1:
        assert body["total"] == len(ids), f"{case}: total {body['total']} for hits {ids}"
    facets = body["facets"]
    assert set(facets.get("level", {})) <= {"public"}, f"{case}: {facets}"
    assert set(facets.get("org", {})) <= {PUBLIC_ORG}, f"{case}: {facets}"
    assert not {"location:LY02", "location:LY0211"} & set(facets.get("location", {})), f"{case}: {facets}"
    text = response.get_data(as_text=True)
    for secret in (CANARY, TITLE_SECRET, HIDDEN_ORG):
        assert secret not in text, f"{case}: {secret} in {text[:1000]}"


def assert_html_no_leak(response, plant: Plant, case: str) -> None:
    page = response.get_data(as_text=True)
    for doc_id in plant.hidden:
        assert f'/documents/{doc_id}"' not in page, f"{case}: link to hidden document {doc_id}"
    shown = _ATTRIBUTES.sub("", page)  # the query is echoed in the search box and in links
    for secret in (CANARY, TITLE_SECRET, HIDDEN_ORG, "Tripoli"):
        assert secret not in shown, f"{case}: {secret} on the page"


def _fill(template: str, plant: Plant) -> str:
    return (
        template.replace("<hid>", str(plant.hidden[0]))
        .replace("<hid2>", str(plant.hidden[1]))
        .replace("<orgid>", str(plant.hidden_org_id))
        .replace("<canary>", CANARY)
    )


HOSTILE_QUERIES = [
    # (case, q with <placeholders>, API status)
    ("3,000 nested parentheses", "(" * 3000 + "alpha" + ")" * 3000, 400),
    ("9 nested parentheses", "(" * 9 + "alpha" + ")" * 9, 400),
    ("3,000 opening parentheses", "(" * 3000, 400),
    ("unbalanced opening parentheses", "((((alpha", 200),
    ("unbalanced closing parentheses", "alpha))))", 200),
    ("empty group", "()", 200),
    ("100 KB query", ("alpha " * 20_000)[:100_000], 400),
    ("501 characters", "a" * 501, 400),
    ("41 words", "alpha " * 41, 400),
    ("leading wildcard *a*", "*a*", 200),
    ("leading wildcard ?x", "?x", 200),
    ("many wildcards", "*a* *e* *i* *o* *u*", 200),
    ("wildcard on the canary", "zqhidden*", 200),
    ("match everything", "*:*", 200),
    ("field level:public", "level:public", 200),
    ("field level:confidential", "level:confidential", 200),
    ("field id of the hidden document", "id:<hid>", 200),
    ("field id OR", "id:<hid> OR id:<hid2> OR alpha", 200),
    ("field labels:coordinators", "labels:coordinators", 200),
    ("field labels of the owner organisation", "labels:org:<orgid>", 200),
    ("field labels:everyone", "labels:everyone", 200),
    ("field org", f"org:{HIDDEN_ORG}", 200),
    ("field state", "state:submitted", 200),
    ("field title with the canary", "title:<canary>", 200),
    ("field body with the canary", "body:<canary>", 200),
    ("range [a TO z]", "[a TO z]", 200),
    ("field range", "title:[a TO z]", 200),
    ("date range", "published:[19000101 TO 30000101]", 200),
    ("open range", "{a TO}", 200),
    ("fuzzy", "<canary>~2", 200),
    ("boost", "<canary>^10", 200),
    ("the canary itself", "<canary>", 200),
    ("the canary OR a visible word", "<canary> OR alpha", 200),
    ("NOT a missing word", "NOT zzzzzz", 200),
    ("bare operators", "AND OR NOT", 200),
    ("unterminated phrase", '"alpha', 200),
    ("NUL character", "alpha\x00", 200),
    ("HTML in the query", "<script>alert(1)</script>", 200),
]


def test_hostile_queries_are_refused_or_answered_without_leaks(plant, app, client):
    """API (as the staff member and anonymously) and HTML (logged in as the staff member) for each query."""
    html_client = app.test_client()
    assert login(html_client, plant.staff.email).status_code == 302
    for case, template, status in HOSTILE_QUERIES:
        q = _fill(template, plant)
        message = None
        for who, headers in (("staff", plant.staff.headers), ("anonymous", {})):
            r = client.get("/api/v1/search", query_string={"q": q}, headers=headers)
            if status == 200:
                assert r.status_code == 200, (case, who, r.status_code, r.get_data(as_text=True)[:500])
                assert_api_no_leak(r, plant, f"{case} ({who})")
            else:
                message = assert_json_error(r, status, "bad_query")["message"]
        page = html_client.get("/search", query_string={"q": q})
        if status == 200:
            assert page.status_code == 200, (case, page.status_code)
        else:
            assert str(escape(message)) in _errors_on_page(assert_html_error(page, 400, message)), case
        assert_html_no_leak(page, plant, case)


def test_raw_bytes_in_the_query_string(plant, app, client):
    """Invalid UTF-8, an encoded surrogate and NUL in the query string are decoded leniently, never a 500."""
    html_client = app.test_client()
    assert login(html_client, plant.staff.email).status_code == 302
    raw = "q=%ED%A0%80%FF%00alpha&sort=relevance"
    r = client.get(f"/api/v1/search?{raw}", headers=plant.staff.headers)
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    assert_api_no_leak(r, plant, "raw bytes")
    r = client.get("/api/v1/search?code=%FF%FE", headers=plant.staff.headers)
    assert_json_error(r, 422, "unknown_code")
    page = html_client.get(f"/search?{raw}")
    assert page.status_code == 200
    assert_html_no_leak(page, plant, "raw bytes")


SEARCH_PARAMETERS = [
    # (params, API status); the HTML page answers 400 with the same message for every refusal
    ({"page": "0"}, 400),
    ({"page": "-1"}, 400),
    ({"page": str(10**12)}, 400),
    ({"page": "abc"}, 400),
    ({"page": "1001"}, 400),
    ({"page": "1.5"}, 400),
    ({"page": "1" * 5000}, 400),
    ({"per_page": "0"}, 400),
    ({"per_page": "-1"}, 400),
    ({"per_page": str(10**12)}, 400),
    ({"per_page": "abc"}, 400),
    ({"per_page": "101"}, 400),
    ({"page": "1000"}, 200),
    ({"per_page": "100"}, 200),
    ({"from": "2024-02-30"}, 422),
    ({"from": "2024-13-01"}, 422),
    ({"to": "yesterday"}, 422),
    ({"from": "2024-1-1"}, 422),
    ({"to": "2024-01-01T00:00"}, 422),
    ({"from": "٢٠٢٤-٠١-٠١"}, 422),
    ({"from": "2024-05-01", "to": "2024-01-01"}, 422),
    ({"from": "0001-01-01", "to": "9999-12-31"}, 200),
    ({"code": "theme:nope"}, 422),
    ({"code": "location:"}, 422),
    ({"code": "x" * 300}, 422),
    ({"code": ["location:LY0101", "nope:nope"]}, 422),
    ({"level": "top_secret"}, 422),
    ({"sort": "id"}, 400),
    # Structured filters on what the caller may not see answer "nothing", not the hidden documents.
    ({"level": "confidential"}, 200),
    ({"org": HIDDEN_ORG}, 200),
    ({"code": "location:LY0211"}, 200),
    ({"q": "alpha", "code": "location:LY02", "level": "confidential", "org": HIDDEN_ORG}, 200),
]


def test_absurd_search_parameters_are_refused_with_a_message(plant, app, client):
    html_client = app.test_client()
    assert login(html_client, plant.staff.email).status_code == 302
    for params, status in SEARCH_PARAMETERS:
        case = str(params)[:80]
        r = client.get("/api/v1/search", query_string=params, headers=plant.staff.headers)
        page = html_client.get("/search", query_string=params)
        if status == 200:
            assert r.status_code == 200, (case, r.status_code, r.get_data(as_text=True)[:500])
            assert_api_no_leak(r, plant, case)
            assert page.status_code == 200, (case, page.status_code)
            if "code" not in params:  # the page names the code filters the caller chose
                assert_html_no_leak(page, plant, case)
        else:
            message = assert_json_error(r, status)["message"]
            assert str(escape(message)) in _errors_on_page(assert_html_error(page, 400, message)), case


# --------------------------------------------------------------------------------------------------------------
# Bad JSON bodies for PATCH and review
# --------------------------------------------------------------------------------------------------------------

_DEEP_ARRAY = "[" * 100_000 + "]" * 100_000
_DEEP_OBJECT = '{"a":' * 100_000 + "1" + "}" * 100_000

MALFORMED_BODIES = [
    # (case, raw body, content type); every one is 400 "The body must be a JSON object."
    ("not JSON", "title=New title", "application/json"),
    ("empty body", "", "application/json"),
    ("truncated JSON", '{"title": ', "application/json"),
    ("invalid UTF-8", b'{"title": "\xff\xfe"}', "application/json"),
    ("JSON null", "null", "application/json"),
    ("a JSON list", '[{"title": "x"}]', "application/json"),
    ("a JSON number", "5", "application/json"),
    ("a JSON string", '"title"', "application/json"),
    ("an infinite number", "1e999", "application/json"),
    ("a JSON object sent as text/plain", '{"title": "x"}', "text/plain"),
    ("a JSON object sent as a form", '{"title": "x"}', "application/x-www-form-urlencoded"),
    ("100,000 nested arrays", _DEEP_ARRAY, "application/json"),
    ("100,000 nested objects", _DEEP_OBJECT, "application/json"),
]

_NESTED_200 = "[" * 200 + '"x"' + "]" * 200

BAD_PATCHES = [
    # (case, raw JSON object text); every one is 422
    ("codes is a string", '{"codes": "x"}'),
    ("codes holds numbers", '{"codes": [1, 2]}'),
    ("codes holds null", '{"codes": [null]}'),
    ("codes holds lists", '{"codes": [["location:LY0101"]]}'),
    ("codes is an object", '{"codes": {"location:LY0101": true}}'),
    ("51 codes", '{"codes": [' + ", ".join(f'"theme:c{i}"' for i in range(51)) + "]}"),
    ("title is a number", '{"title": 5}'),
    ("title is NaN", '{"title": NaN}'),
    ("title is null", '{"title": null}'),
    ("title is empty", '{"title": "   "}'),
    ("title is a list", '{"title": ["x"]}'),
    ("title nested 200 deep", '{"title": ' + _NESTED_200 + "}"),
    ("title over 300 characters", '{"title": "' + "t" * 301 + '"}'),
    ("summary is an object", '{"summary": {"a": 1}}'),
    ("published is a number", '{"published": 20240101}'),
    ("published is infinite", '{"published": 1e999}'),
    ("published is 30 February", '{"published": "2024-02-30"}'),
    ("published is a list", '{"published": ["2024-01-01"]}'),
    ("level cannot be patched", '{"level": 5}'),
    ("state cannot be patched", '{"state": "released"}'),
    ("org cannot be patched", '{"org": "PSWG", "title": "ok"}'),
    ("duplicate keys, the last invalid", '{"title": "ok", "title": 5}'),
]

BAD_REVIEWS = [
    # (case, JSON object); every one is 422
    ("no action", {}),
    ("action is a number", {"action": 5}),
    ("action is a list", {"action": ["release"]}),
    ("action is an object", {"action": {"release": True}}),
    ("unknown action", {"action": "publish"}),
    ("level is a number", {"action": "release", "level": 5, "rationale": "r"}),
    ("level is a list", {"action": "release", "level": ["public"], "rationale": "r"}),
    ("level is an object", {"action": "release", "level": {"public": 1}, "rationale": "r"}),
    ("level is null", {"action": "release", "level": None, "rationale": "r"}),
    ("level in capitals", {"action": "release", "level": "PUBLIC", "rationale": "r"}),
    ("no rationale", {"action": "release", "level": "public"}),
    ("rationale is a number", {"action": "release", "level": "public", "rationale": 5}),
    ("risks is a string", {"action": "release", "level": "public", "rationale": "r", "risks": "x"}),
    ("risks holds numbers", {"action": "release", "level": "public", "rationale": "r", "risks": [5]}),
    ("benefits is an object", {"action": "release", "level": "public", "rationale": "r", "benefits": {"a": 1}}),
    ("grant_orgs is a string", {"action": "release", "level": "confidential", "rationale": "r", "grant_orgs": "x"}),
    ("grant_orgs holds numbers", {"action": "release", "level": "confidential", "rationale": "r", "grant_orgs": [5]}),
    ("grant_users is a number", {"action": "release", "level": "strictly_confidential", "rationale": "r",
                                 "grant_users": 5}),
    ("grant_orgs on a public release", {"action": "release", "level": "public", "rationale": "r",
                                        "grant_orgs": ["PSWG"]}),
    ("review_by is a number", {"action": "release", "level": "public", "rationale": "r", "review_by": 5}),
    ("review_by is 30 February", {"action": "release", "level": "public", "rationale": "r",
                                  "review_by": "2024-02-30"}),
    ("override is a list", {"action": "release", "level": "public", "rationale": "r", "override": [1]}),
]


def test_bad_json_bodies_are_400_or_422_and_change_nothing(client, world):
    partner = world.account("partner@drc.example.org", "partner", "DRC")
    coordinator = world.account("coord@pswg.example.org", "coordinator", "PSWG")
    r = upload(client, partner, data=text_report("Bad JSON target"), filename="target.txt", title="Target",
               codes=["location:LY0101"])
    assert r.status_code == 201, r.json
    doc = r.json
    url = f"/api/v1/documents/{doc['id']}"
    sent = [(partner, "PATCH", url), (coordinator, "PATCH", url), (coordinator, "POST", url + "/review")]

    for case, body, content_type in MALFORMED_BODIES:
        for account, method, path in sent:
            r = client.open(path, method=method, data=body, content_type=content_type, headers=account.headers)
            assert r.status_code == 400, (case, method, path, r.status_code, r.get_data(as_text=True)[:300])
            assert assert_json_error(r, 400, "bad_request")["message"] == "The body must be a JSON object."
    for case, body in BAD_PATCHES:
        for account in (partner, coordinator):
            r = client.patch(url, data=body, content_type="application/json", headers=account.headers)
            assert r.status_code == 422, (case, account.role, r.status_code, r.get_data(as_text=True)[:300])
            assert_json_error(r, 422)
    for case, body in BAD_REVIEWS:
        r = client.post(url + "/review", json=body, headers=coordinator.headers)
        assert r.status_code == 422, (case, r.status_code, r.get_data(as_text=True)[:300])
        assert_json_error(r, 422)

    after = client.get(url, headers=coordinator.headers).json
    for key in ("title", "summary", "published", "codes", "state", "level", "risks", "benefits", "rationale"):
        assert after[key] == doc[key], (key, doc[key], after[key])


# --------------------------------------------------------------------------------------------------------------
# Absurd document ids: the 404 of an id that never existed
# --------------------------------------------------------------------------------------------------------------

ABSURD_IDS = ["abc", "-1", "99999999999999999999", "0", "1.5", "1e3", "0x1", "9" * 5000, "%00", "%2e%2e",
              "1%2F..%2F1", "1;2", "%E2%80%AE1"]


def test_absurd_document_ids_are_404(client, world):
    partner = world.account("partner@drc.example.org", "partner", "DRC")
    coordinator = world.account("coord@pswg.example.org", "coordinator", "PSWG")
    r = upload(client, partner, data=text_report("Exists"), filename="exists.txt")
    assert r.status_code == 201, r.json
    never = "424242"
    assert login(client, coordinator.email).status_code == 302
    token = csrf(client, "/")

    def api(doc_id: str):
        yield "GET", client.get(f"/api/v1/documents/{doc_id}", headers=coordinator.headers)
        yield "GET file", client.get(f"/api/v1/documents/{doc_id}/file", headers=coordinator.headers)
        yield "PATCH", client.patch(f"/api/v1/documents/{doc_id}", json={"title": "x"}, headers=coordinator.headers)
        yield "review", client.post(f"/api/v1/documents/{doc_id}/review", json={"action": "withhold"},
                                    headers=coordinator.headers)
        yield "submit", client.post(f"/api/v1/documents/{doc_id}/submit", headers=partner.headers)

    def html(doc_id: str):
        yield "page", client.get(f"/documents/{doc_id}")
        yield "file", client.get(f"/documents/{doc_id}/file")
        yield "edit", client.post(f"/documents/{doc_id}/edit", data={"csrf_token": token, "title": "x"})
        yield "review", client.post(f"/documents/{doc_id}/review", data={"csrf_token": token, "action": "withhold"})
        yield "submit", client.post(f"/documents/{doc_id}/submit", data={"csrf_token": token})

    expected = {route: assert_json_error(r, 404, "not_found") for route, r in api(never)}
    for doc_id in ABSURD_IDS:
        for route, r in api(doc_id):
            assert r.status_code == 404, (doc_id[:20], route, r.status_code, r.get_data(as_text=True)[:300])
            body = assert_json_error(r, 404, "not_found")
            if "%2F" not in doc_id:  # an id with a slash reaches no document route: the API's generic 404
                assert body == expected[route], (doc_id[:20], route, body)
        for route, r in html(doc_id):
            assert r.status_code == 404, (doc_id[:20], route, r.status_code)
            assert_html_error(r, 404)


# --------------------------------------------------------------------------------------------------------------
# After all that, the server stays responsive
# --------------------------------------------------------------------------------------------------------------


def test_server_stays_responsive_after_hostile_input(app, client, world, tmp_path):
    partner = world.account("partner@drc.example.org", "partner", "DRC")
    html = Uploader("html", app.test_client(), world.account("colleague@drc.example.org", "partner", "DRC"))

    api = Uploader("api", client, partner)
    assert api.send(ff.make_pdf_stream_bomb(tmp_path / "bomb.pdf").read_bytes(), "bomb.pdf").status == 201
    assert api.send(ff.make_docx_bomb(tmp_path / "bomb.docx").read_bytes(), "bomb.docx").status == 201
    assert html.send(ff.make_polyglot_html_pdf(tmp_path / "p.pdf").read_bytes(), "p.pdf").status == 415
    assert html.send(ff.make_exe(tmp_path / "setup.exe").read_bytes(), "setup.exe").status == 415
    r = client.post("/api/v1/documents", data=b"x", headers=partner.headers, content_type="multipart/form-data",
                    environ_overrides={"CONTENT_LENGTH": str(10**12)})
    assert r.status_code == 413
    for q in ("(" * 3000 + "a" + ")" * 3000, "*a* *e* *i* *o* *u*", "[a TO z]", "x" * 100_000):
        assert client.get("/api/v1/search", query_string={"q": q}, headers=partner.headers).status_code in (200, 400)
    assert client.patch("/api/v1/documents/1", data=_DEEP_ARRAY, content_type="application/json",
                        headers=partner.headers).status_code == 400
    assert client.get("/api/v1/documents/99999999999999999999").status_code == 404

    r = client.get("/healthz")
    assert r.status_code == 200 and r.json == {"status": "ok"}
    r = upload(client, partner, data=text_report("Still responsive: returns monitoring in Zuwara"),
               filename="after.txt", title="After the storm")
    assert r.status_code == 201, r.json
    assert r.json["text_status"] != "unavailable"
    doc_id = r.json["id"]
    hits = client.get("/api/v1/search", query_string={"q": "Zuwara"}, headers=partner.headers).json
    assert [h["id"] for h in hits["hits"]] == [doc_id]
    page = html.client.get("/search", query_string={"q": "Zuwara"})
    assert page.status_code == 200 and f'/documents/{doc_id}"' in page.get_data(as_text=True)
    data, _headers = api.download(doc_id)
    assert b"Zuwara" in data


@pytest.mark.parametrize("doc_id", ["2147483648", "9007199254740993", "99999999999999999999999", "-1", "0"])
def test_ids_beyond_any_row_are_404_on_pages_and_api(client, coordinator, doc_id):
    """Ids no row can have (the id column is 32 bits on PostgreSQL) are "no such document", never a 500."""
    assert login(client, coordinator.email).status_code == 302
    for path in (f"/documents/{doc_id}", f"/documents/{doc_id}/file"):
        assert client.get(path).status_code == 404, path
    for path in (f"/api/v1/documents/{doc_id}", f"/api/v1/documents/{doc_id}/file"):
        r = client.get(path, headers=coordinator.headers)
        assert r.status_code == 404 and r.get_json()["error"] == "not_found", path
