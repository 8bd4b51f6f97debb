"""Bilingual search over real files: Arabic spelling variants and alias expansion of place names.

Arabic fixtures are a real right-to-left PDF (shaped with HarfBuzz) and a real DOCX that write the same words
differently (hamza or not, harakat or not, taa marbuta or haa, tatweel). Every spelling of a query must find
both. English fixtures use the variant spellings of place names found in the field (Darnah/Derna, Sabha/Sebha,
Dohuk/Duhok); a query in one spelling finds the others through the taxonomy's aliases, and the answer says what
else was searched. Everything runs through the HTTP API and the HTML pages, on a real index.
"""

from __future__ import annotations

import pytest
from conftest import login
from conftest import release
from conftest import upload
from filefactory import make_arabic_pdf
from filefactory import make_docx


def _release(client, coordinator, doc_id: int, level: str = "public") -> None:
    r = release(client, coordinator, doc_id, level, rationale="Aggregated, no personal data.")
    assert r.status_code == 200, r.json


def _search(client, q: str, headers=None, **params) -> dict:
    r = client.get("/api/v1/search", query_string={"q": q, "per_page": 100, **params}, headers=headers or {})
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.json


@pytest.fixture
def arabic_docs(app, client, world, tmp_path):
    partner = world.account("partner@lrc.example.org", "partner", "LRC")
    coordinator = world.account("coord@pswg.example.org", "coordinator", "PSWG")
    # The PDF writes hamza, harakat and taa marbuta; the DOCX drops the hamza, writes haa for taa marbuta and
    # stretches words with tatweel.
    pdf = make_arabic_pdf(
        tmp_path / "pdf_minutes.pdf",
        [
            "محضر اجتماع فريق الحماية",
            "ناقش الاجتماع إغاثة الأسر النازحة في سَبْهَا وإعادة تأهيل المدرسة",
        ],
    )
    docx = make_docx(
        tmp_path / "docx_report.docx",
        [
            "تقرير رصد الحماية",
            "توزيع مواد اغاثه للاسر النازحه في سبهـــا وترميم مدرسه القريه",
        ],
    )
    other = make_docx(tmp_path / "other.docx", ["تقرير عن مدينة طرابلس", "لا علاقة له بالموضوع"])
    ids = {}
    for key, path in (("pdf", pdf), ("docx", docx), ("other", other)):
        r = upload(client, partner, path=path)
        assert r.status_code == 201, r.json
        assert r.json["language"] == "ar"
        ids[key] = r.json["id"]
        _release(client, coordinator, ids[key])
    return ids


ARABIC_QUERIES = [
    # (query, what it exercises)
    ("إغاثة", "hamza and taa marbuta"),
    ("اغاثة", "no hamza"),
    ("اغاثه", "no hamza, haa for taa marbuta"),
    ("إِغَاثَة", "harakat"),
    ("إغـــاثة", "tatweel"),
    ("سبها", "plain"),
    ("سَبْهَا", "harakat"),
    ("سبهـــا", "tatweel"),
    ("مدرسة", "taa marbuta"),
    ("مدرسه", "haa"),
    ("المدرسة", "article"),
    ("مَدْرَسَة", "harakat and taa marbuta"),
    ("النازحة", "taa marbuta"),
    ("النازحه", "haa"),
]


@pytest.mark.parametrize("query,why", ARABIC_QUERIES, ids=[w for _q, w in ARABIC_QUERIES])
def test_arabic_spellings_find_the_pdf_and_the_docx(client, arabic_docs, query, why):
    res = _search(client, query)
    assert sorted(h["id"] for h in res["hits"]) == sorted([arabic_docs["pdf"], arabic_docs["docx"]]), (query, why)
    assert res["total"] == 2
    for hit in res["hits"]:
        assert "<mark>" in hit["snippet"], (query, hit["snippet"])


def test_every_spelling_gives_the_same_answer(client, arabic_docs):
    answers = {q: sorted(h["id"] for h in _search(client, q)["hits"]) for q, _why in ARABIC_QUERIES}
    assert len({tuple(a) for a in answers.values()}) == 1, answers


def test_arabic_phrase_and_operators(client, arabic_docs):
    # a phrase in one spelling matches the other spellings of the same words, in order
    both = {arabic_docs["pdf"], arabic_docs["docx"]}
    assert {h["id"] for h in _search(client, '"إغاثة الأسر"')["hits"]} == both  # DOCX: "اغاثه للاسر"
    assert {h["id"] for h in _search(client, '"اغاثه للاسر"')["hits"]} == both
    assert _search(client, '"الأسر إغاثة"')["total"] == 0
    assert {h["id"] for h in _search(client, '"تأهيل المدرسة"')["hits"]} == {arabic_docs["pdf"]}
    assert {h["id"] for h in _search(client, '"ترميم مدرسة"')["hits"]} == {arabic_docs["docx"]}
    # the PDF's lam-alef ligatures come out swapped ("االجتماع"); the analyzer puts them back
    assert {h["id"] for h in _search(client, "الاجتماع")["hits"]} == {arabic_docs["pdf"]}
    assert {h["id"] for h in _search(client, "سبها NOT محضر")["hits"]} == {arabic_docs["docx"]}
    assert {h["id"] for h in _search(client, "طرابلس OR محضر")["hits"]} == {arabic_docs["pdf"], arabic_docs["other"]}


def test_arabic_place_name_expands_to_latin_spellings(client, arabic_docs):
    res = _search(client, "سبها")
    assert "Sebha" in res["also_searched"] and "Sabha" in res["also_searched"]


# ----------------------------------------------------------------------------------------------------------------
# English variant spellings through the taxonomy's aliases
# ----------------------------------------------------------------------------------------------------------------

PLACES = {
    # key: spellings used by three documents (the last one Arabic)
    "derna": ("Darnah", "Derna", "درنة"),
    "sebha": ("Sabha", "Sebha", "سبها"),
    "duhok": ("Dohuk", "Duhok", "دهوك"),
}


@pytest.fixture
def place_docs(app, client, world, tmp_path):
    partner = world.account("partner@drc.example.org", "partner", "DRC")
    coordinator = world.account("coord@pswg.example.org", "coordinator", "PSWG")
    ids: dict[str, dict[str, int]] = {}
    for key, spellings in PLACES.items():
        ids[key] = {}
        for n, spelling in enumerate(spellings):
            if n == 1:  # one DOCX per place, the others plain text
                path = make_docx(
                    tmp_path / f"{key}{n}.docx",
                    [f"Protection monitoring in {spelling}.", "Families report lack of documents."],
                )
                r = upload(client, partner, path=path, title=f"Monitoring note {key} {n}")
            else:
                text = f"تقرير عن {spelling} والنازحين" if n == 2 else f"Shelter visit in {spelling} last week."
                r = upload(
                    client,
                    partner,
                    data=f"{text}\n{key} {n}\n".encode(),
                    filename=f"{key}{n}.txt",
                    title=f"Field note {key} {n}",
                )
            assert r.status_code == 201, r.json
            ids[key][spelling] = r.json["id"]
            _release(client, coordinator, r.json["id"])
    return ids


@pytest.mark.parametrize("key", sorted(PLACES))
def test_each_spelling_finds_the_documents_that_use_the_others(client, place_docs, key):
    expected = sorted(place_docs[key].values())
    for spelling in PLACES[key]:
        res = _search(client, spelling)
        assert sorted(h["id"] for h in res["hits"]) == expected, (key, spelling)
        others = [s for s in PLACES[key] if s != spelling]
        for other in others:
            assert other in res["also_searched"], (spelling, res["also_searched"])
        # each hit marks the spelling it uses
        for hit in res["hits"]:
            used = next(s for s, i in place_docs[key].items() if i == hit["id"])
            assert f"<mark>{used}</mark>" in hit["snippet"], (spelling, hit["snippet"])


def test_expansion_keeps_the_query_logic(client, place_docs):
    derna = set(place_docs["derna"].values())
    sebha = set(place_docs["sebha"].values())
    assert {h["id"] for h in _search(client, "Darnah OR Sebha")["hits"]} == derna | sebha
    # NOT excludes every spelling of the name, not only the one typed
    res = _search(client, "shelter NOT Darnah")
    assert {h["id"] for h in res["hits"]} == {place_docs["sebha"]["Sabha"], place_docs["duhok"]["Dohuk"]}
    # AND of two places: no document names both
    assert _search(client, "Darnah AND Sebha")["total"] == 0
    # an ordinary word expands to nothing
    assert _search(client, "visit")["also_searched"] == []
    assert "NFI" in _search(client, "shelter")["also_searched"]  # a sector label expands too


def test_html_page_says_what_else_was_searched(app, client, place_docs, world):
    browser = app.test_client()
    staff = world.account("staff@unhcr.example.org", "staff", "UNHCR")
    assert login(browser, staff.email).status_code == 302
    page = browser.get("/search", query_string={"q": "Darnah"}).get_data(as_text=True)
    assert "Also searched:" in page
    also = page.split("Also searched:", 1)[1].split("</p>", 1)[0]
    assert "Derna" in also and "درنة" in also
    for doc_id in place_docs["derna"].values():
        assert f'/documents/{doc_id}"' in page
    assert "<mark>Derna</mark>" in page and "<mark>Darnah</mark>" in page


def test_expansion_reveals_nothing_outside_the_callers_view(client, world, tmp_path):
    """Alternative spellings come from the vocabulary, never from documents: the same query gives the same
    also_searched to everyone, and hidden documents that use another spelling stay hidden."""
    partner = world.account("partner@hidden.example.org", "partner", "HID")
    staff = world.account("staff@other.example.org", "staff", "OTH")
    r = upload(client, partner, data=b"Detention visit in Derna zqhiddenzq.\n", filename="hidden.txt")
    assert r.status_code == 201
    as_staff = _search(client, "Darnah", headers=staff.headers)
    anonymous = _search(client, "Darnah")
    as_owner = _search(client, "Darnah", headers=partner.headers)
    assert as_staff["total"] == anonymous["total"] == 0 and as_staff["facets"] == {}
    assert as_owner["total"] == 1
    assert as_staff["also_searched"] == anonymous["also_searched"] == as_owner["also_searched"]
    assert "zqhiddenzq" not in str(as_staff) + str(anonymous)
