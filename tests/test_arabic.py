"""Arabic-aware analysis (normalisation, light stemming, query = index analysis) and reversed-PDF repair."""

from __future__ import annotations

import pickle
import threading

import pytest
from filefactory import make_arabic_pdf
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import RamStorage

from indexer.analysis import ARABIC_STOP_WORDS
from indexer.analysis import normalize_word
from indexer.analysis import stem_arabic
from indexer.analysis import stem_word
from indexer.analysis import text_analyzer
from indexer.arabic import ensure_logical_order
from indexer.arabic import looks_reversed
from indexer.arabic import repair_reversed
from indexer.query import make_parser
from indexer.schema import build_schema


def tokens(text: str, mode: str = "index") -> list[str]:
    return [t.text for t in text_analyzer()(text, mode=mode)]


def query_terms(text: str) -> set[str]:
    q = make_parser(build_schema()).parse(text)
    return {term for field, term in q.iter_all_terms() if field == "body"}


# --------------------------------------------------------------------------------------------------------------
# Normalisation: a query written any way gives the document's tokens
# --------------------------------------------------------------------------------------------------------------

VARIANTS = [
    pytest.param(["إغاثة", "اغاثة", "أغاثة", "اغاثه"], id="hamza-and-taa-marbuta"),
    pytest.param(["سبها", "سَبْهَا", "سبهـــا", "سـبـهـا"], id="diacritics-and-tatweel"),
    pytest.param(["مدرسة", "مدرسه", "مَدْرَسَة", "مدرسـة"], id="taa-marbuta"),
    pytest.param(["الأمم", "الامم", "الإمم", "الآمم"], id="alef-forms"),
    pytest.param(["مستشفى", "مستشفي", "مُسْتَشْفَى"], id="alef-maqsura"),
    pytest.param(["مسؤول", "مسوول"], id="waw-hamza"),
    pytest.param(["لاجئ", "لاجي"], id="yeh-hamza"),
]


@pytest.mark.parametrize("forms", VARIANTS)
def test_spelling_variants_give_the_same_tokens_at_index_and_query_time(forms):
    expected = tokens(forms[0])
    assert expected, forms[0]
    for form in forms:
        assert tokens(form) == expected, form
        assert tokens(form, mode="query") == expected, form
        assert query_terms(form) == set(expected), form


def test_a_diacritised_word_is_not_dropped_or_split():
    assert tokens("سَبْهَا") == tokens("سبها")
    assert len(tokens("سَبْهَا")) == 1


def test_normalize_word_folds_like_the_analyzer():
    assert normalize_word("إغاثـــة") == normalize_word("اغاثه") == "اغاثه"
    assert normalize_word("Sebha") == "sebha"
    assert normalize_word("عَلَى") == normalize_word("علي")


# --------------------------------------------------------------------------------------------------------------
# Stemming
# --------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "forms",
    [
        ["النازحين", "نازحين", "النازحون", "نازحون", "للنازحين", "والنازحين", "بالنازحين", "نازحة"],
        ["المدرسة", "مدرسه", "مدرسة", "المدرسه", "والمدرسة"],
        ["المهاجرين", "مهاجرون", "المهاجرون", "مهاجر", "للمهاجرين"],
        ["اللاجئين", "لاجئين", "اللاجئون", "لاجئ"],
        ["الاحتجاز", "احتجاز", "والاحتجاز"],
        ["العودة", "عودة", "عوده"],
    ],
)
def test_arabic_light_stemming_conflates_inflections(forms):
    stems = {stem_word(normalize_word(f)) for f in forms}
    assert len(stems) == 1, dict(zip(forms, [stem_word(normalize_word(f)) for f in forms], strict=True))


def test_required_pairs():
    assert stem_word("النازحين") == stem_word("نازحين") == "نازح"
    assert stem_word(normalize_word("المدرسة")) == stem_word(normalize_word("مدرسه"))


def test_english_is_stemmed_with_porter_and_arabic_is_not_porter():
    assert stem_word("displaced") == stem_word("displacement") == "displac"
    assert stem_word("returns") == stem_word("return")
    assert stem_arabic("سبها") == stem_word("سبها")


def test_arabic_function_words_are_stop_words():
    assert tokens("في سبها من درنة") == tokens("سبها درنة")
    assert normalize_word("إلى") in ARABIC_STOP_WORDS
    assert "علي" not in ARABIC_STOP_WORDS  # على folds to the name علي: kept


def test_stemming_is_thread_safe():
    words = ["النازحين", "المدرسة", "المهاجرين", "اللاجئين", "الاحتجاز"] * 200
    expected = [stem_arabic(w) for w in words]
    results: list[list[str]] = []

    def run():
        results.append([stem_arabic(w) for w in words])

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results)


def test_the_analyzer_pickles_into_an_index(tmp_path):
    restored = pickle.loads(pickle.dumps(text_analyzer()))
    assert [t.text for t in restored("النازحين في المدرسة")] == tokens("النازحين في المدرسة")
    whoosh_index.create_in(str(tmp_path), build_schema())
    reopened = whoosh_index.open_dir(str(tmp_path))
    analyzer = reopened.schema["body"].analyzer
    assert [t.text for t in analyzer("سَبْهَا")] == tokens("سبها")


def test_queries_with_and_without_marks_find_the_same_documents():
    schema = build_schema()
    ix = RamStorage().create_index(schema)
    docs = {
        "1": "اجتماع حول النازحين في سَبْهَا",
        "2": "زيارة إلى سبهـــا ومدرسة النازحين",
        "3": "تقرير عن الإغاثة في مدرسه درنه",
        "4": "Meeting on displaced families in Derna",
    }
    with ix.writer() as w:
        for doc_id, body in docs.items():
            w.add_document(id=doc_id, body=body, labels="all")
    parser = make_parser(schema)

    def found(q: str) -> set[str]:
        with ix.searcher() as s:
            return {hit["id"] for hit in s.search(parser.parse(q), limit=None)}

    assert found("سبها") == found("سَبْهَا") == found("سبهـا") == {"1", "2"}
    assert found("نازحين") == found("النازحين") == found("للنازحين") == {"1", "2"}
    assert found("المدرسة") == found("مدرسه") == {"2", "3"}
    assert found("اغاثة") == found("إغاثة") == {"3"}
    assert found("درنة") == {"3"}
    assert found("displacement") == {"4"}


# --------------------------------------------------------------------------------------------------------------
# Reversed (visual-order) Arabic from PDFs
# --------------------------------------------------------------------------------------------------------------

PARAGRAPHS = [
    "اجتماع مجموعة عمل الحماية في طرابلس حول النازحين من تاورغاء إلى بنغازي.",
    "تمت مناقشة الوضع في سبها ومصراتة وعلى الحدود مع UNHCR سنة 2018 والمدرسة.",
    "قدمت المفوضية (UNHCR) الإغاثة للاجئين واللاجئات في 11/06/2018 و ١٢٣ أسرة.",
    "لا توجد معلومات عن الاحتجاز التعسفي للمهاجرين.",
]


@pytest.fixture(scope="module")
def reversed_pdf_text(tmp_path_factory):
    from pdfminer.high_level import extract_text

    path = make_arabic_pdf(tmp_path_factory.mktemp("pdf") / "arabic.pdf", PARAGRAPHS)
    return extract_text(str(path))


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def test_pdfminer_gives_visual_order_and_it_is_detected(reversed_pdf_text):
    assert "اهبس" in reversed_pdf_text  # سبها reversed: the premise of the repair
    assert looks_reversed(reversed_pdf_text)


def test_reversed_text_is_repaired_to_logical_order(reversed_pdf_text):
    repaired = repair_reversed(reversed_pdf_text)
    assert _lines(repaired) == PARAGRAPHS
    assert not looks_reversed(repaired)
    text, changed = ensure_logical_order(reversed_pdf_text)
    assert changed and text == repaired


def test_repaired_pdf_text_is_searchable(reversed_pdf_text):
    repaired = repair_reversed(reversed_pdf_text)
    for word in ("سبها", "النازحين", "الإغاثة", "للاجئين", "تاورغاء", "UNHCR", "2018"):
        assert set(tokens(word)) <= set(tokens(repaired)), word


def test_latin_and_digit_runs_keep_their_order():
    visual = "2018 ةنس UNHCR IOM عم لمعلا"
    assert repair_reversed(visual) == "العمل مع UNHCR IOM سنة 2018"
    assert repair_reversed("Meeting in Tripoli on اهبس يف نيحزانلا today.\n") == (
        "Meeting in Tripoli on النازحين في سبها today.\n"
    )


def test_lam_alef_ligatures_are_kept_together():
    # What extractors give for ligature glyphs inside reversed words: the pair لا stays in logical order.
    assert repair_reversed("ةثاغلإا") == "الإغاثة"
    assert repair_reversed("نيئجلال") == "للاجئين"
    assert repair_reversed("نيئجلالاو") == "واللاجئين"
    assert repair_reversed("لالخ") == "خلال"
    assert repair_reversed("لا") == "لا"


@pytest.mark.parametrize(
    "text",
    [
        "\n".join(PARAGRAPHS),
        "The Protection Sector met in Tripoli to discuss returns to Tawergha and the situation in Sebha.",
        "Update on IDPs from Derna (درنة) and Sebha (سبها) in the east and south of Libya.",
        "في سبها",
        "",
        "محضر اجتماع مجموعة عمل الحماية في الجنوب الليبي حول أوضاع النازحين والمهاجرين في مراكز الاحتجاز.",
    ],
)
def test_no_false_positive_on_logical_text(text):
    assert not looks_reversed(text)
    assert ensure_logical_order(text) == (text, False)


def test_short_reversed_snippets_need_enough_evidence():
    assert not looks_reversed("يف اهبس")  # two words: too little to tell
    assert looks_reversed("ةرئاد ةيامحلا يف اهبس نم ىلإ ةنيدم")


# --------------------------------------------------------------------------------------------------------------
# Clitics: a word written with a conjunction, a preposition or the article is found by the bare word
# --------------------------------------------------------------------------------------------------------------

CLITIC_FORMS = [
    pytest.param(["بنغازي", "وبنغازي", "فبنغازي", "لبنغازي", "ببنغازي", "وببنغازي"], id="benghazi"),
    pytest.param(["مصراتة", "لمصراتة", "ومصراتة", "بمصراتة", "وبمصراتة", "ولمصراتة", "مصراته"], id="misrata"),
    pytest.param(["سرت", "لسرت", "وسرت", "بسرت"], id="sirte-short-name"),
    pytest.param(["ليبيا", "لليبيا", "وليبيا", "بليبيا", "فليبيا"], id="libya-lam-initial"),
    pytest.param(["النازحين", "والنازحين", "للنازحين", "وللنازحين", "بالنازحين", "كالنازحين", "نازحين"],
                 id="article-and-lil"),
    pytest.param(["أطفال", "الأطفال", "والأطفال", "للأطفال", "لأطفال", "وأطفال", "اطفال", "والاطفال"],
                 id="with-and-without-hamza"),
    pytest.param(["وزارة", "الوزارة", "والوزارة", "بوزارة", "للوزارة"], id="waw-initial-word"),
    pytest.param(["لجنة", "اللجنة", "واللجنة", "للجنة", "بلجنة"], id="lam-initial-word"),
    pytest.param(["الاجتماع", "والاجتماع", "بالاجتماع", "للاجتماع", "اجتماع", "االجتماع"],
                 id="lam-alef-from-a-pdf"),
]


@pytest.mark.parametrize("forms", CLITIC_FORMS)
def test_every_form_with_clitics_gives_the_term_of_the_bare_word(forms):
    expected = tokens(forms[0])
    assert len(expected) == 1, forms[0]
    for form in forms:
        assert tokens(form) == expected, form
        assert query_terms(form) == set(expected), form


def test_short_roots_keep_their_first_letter():
    """Fewer than four letters left: the first letter is part of the word (وقت, time; بلد, country)."""
    assert tokens("وقت") != tokens("قت") and tokens("بلد") != tokens("لد")
    assert tokens("وقت") == [stem_arabic("وقت")]


def test_gazetteer_names_are_found_behind_any_proclitic():
    """Every Arabic name and alias of a place in taxonomy.yaml, written with و / ف / ب / ل / وب / ول before it,
    gives the same terms as the name itself."""
    from repository.knowledge.taxonomy import load_taxonomy

    taxonomy = load_taxonomy("taxonomy.yaml")
    names = set()
    for code in taxonomy.codes.values():
        if code.facet == "location":
            names |= {n for n in (code.labels.get("ar", ""), *code.aliases) if n and _is_arabic(n)}
    assert len(names) >= 30, len(names)
    failures = []
    for name in sorted(names):
        first, *rest = name.split()
        expected = tokens(name)
        for clitic in ("و", "ف", "ب", "ل", "وب", "ول"):
            form = " ".join([clitic + first, *rest])
            if tokens(form) != expected:
                failures.append((form, tokens(form), expected))
    assert not failures, failures[:10]


def _is_arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def test_a_report_with_clitics_is_found_by_the_bare_names(tmp_path):
    """Through the real index: "وبنغازي" and "لمصراتة" in a report; بنغازي and مصراتة find it."""
    import datetime as dt

    from indexer.index import SearchIndex
    from indexer.query import SearchRequest
    from indexer.schema import IndexDoc

    index = SearchIndex(tmp_path / "ix")
    index.open()
    index.apply([IndexDoc(
        id=1, title="تقرير", summary="", body="وصلت الأسر من طرابلس وبنغازي، ثم انتقلت لمصراتة وللنازحين هناك مأوى.",
        labels=frozenset({"everyone"}), codes=(), code_tree=(), org="A", level="public", state="released",
        language="ar", published=None, uploaded_at=dt.datetime(2026, 1, 1),
    )], [])
    for query in ("بنغازي", "مصراتة", "مصراته", "النازحين", "نازحين", "الاسر", '"طرابلس بنغازي"'):
        assert index.search(SearchRequest(text=query), frozenset({"everyone"})).ids == [1], query
