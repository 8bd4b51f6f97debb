"""Code suggestions (repository.knowledge.coding), query alias expansion (indexer.expand) and the labelled corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.filedb.filestore import RamStorage

from bench.coding_quality import evaluate
from indexer.expand import expand_query
from indexer.expand import expand_text_query
from indexer.query import QueryError
from indexer.query import make_parser
from indexer.schema import TEXT_FIELDS
from indexer.schema import build_schema
from repository.knowledge.coding import accept_suggestions
from repository.knowledge.coding import alias_lookup
from repository.knowledge.coding import suggest_codes
from repository.knowledge.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "coding_corpus"


@pytest.fixture(scope="module")
def tx():
    return load_taxonomy(ROOT / "taxonomy.yaml")


def codes(result: dict, facet: str) -> list[str]:
    return [s["code"] for s in result.get(facet, [])]


# --------------------------------------------------------------------------------------------------------------
# Locations
# --------------------------------------------------------------------------------------------------------------


def test_spelling_variants_of_a_place_are_one_code_with_a_reason(tx):
    text = "Families displaced from Sabha arrived in Sebha's outskirts. In سبها and بسبها, prices rose. Sabhā."
    result = suggest_codes(text, "", tx)
    assert codes(result, "location") == ["location:LY0319"]
    reason = result["location"][0]["reason"]
    assert reason.startswith("mentions 'Sabha' twice, ") and "'Sebha' once" in reason and "'سبها' once" in reason


def test_whole_words_only(tx):
    assert codes(suggest_codes("The Ghatwa family moved.", "", tx), "location") == []
    assert codes(suggest_codes("The family moved to Ghat.", "", tx), "location") == ["location:LY0321"]
    assert codes(suggest_codes("Refugees from Sirtean villages.", "", tx), "location") == []
    assert codes(suggest_codes("They speak three لغات and live in غات.", "", tx), "location") == ["location:LY0321"]


def test_arabic_prefixes_and_article(tx):
    text = "وصلت أسر من مصراتة ومصراتة إلى بنغازي، وبعضها ذهب للكفرة. وفي سبها والنازحين."
    got = codes(suggest_codes(text, "", tx), "location")
    assert "location:LY0214" in got  # مصراتة, ومصراتة
    assert "location:LY0103" in got  # بنغازي
    assert "location:LY0107" in got  # للكفرة = ل + الكفرة
    assert "location:LY0319" in got  # سبها


def test_latin_article_may_be_dropped_and_hyphens_split(tx):
    assert "location:LY0107" in codes(suggest_codes("Convoys to Al-Kufrah and Kufrah town.", "", tx), "location")
    assert codes(suggest_codes("Clashes in Jabal Al Akhdar.", "", tx), "location") == ["location:LY0106"]


def test_generic_words_and_acronyms_are_not_places(tx):
    text = "We met in the east wing. The south gate was closed. Lby is not LBY."
    got = codes(suggest_codes(text, "", tx), "location")
    assert "location:LY01" not in got and "location:LY03" not in got
    assert "location:LY" in got  # LBY in capitals only
    assert codes(suggest_codes("lby", "", tx), "location") == []


def test_country_is_dropped_when_a_place_inside_it_is_named(tx):
    got = codes(suggest_codes("Libya: IDPs in Derna. Libya again. Derna again.", "", tx), "location")
    assert got == ["location:LY0101"]
    assert codes(suggest_codes("A note on Libya and Libya.", "", tx), "location") == ["location:LY"]


def test_passing_mention_is_dropped_but_the_title_counts(tx):
    focus = "Tawergha " * 6
    text = f"Returns to Tawergha. {focus} The team drove through Tripoli once."
    got = codes(suggest_codes(text, "", tx), "location")
    assert got == ["location:LY0214-tawergha"]
    assert "location:LY0211" in codes(suggest_codes(text, "Tawergha and Tripoli", tx), "location")
    long_text = ("Protection partners discussed the plan. " * 80) + "Ubari is mentioned once."
    assert codes(suggest_codes(long_text, "", tx), "location") == ["location:LY0320"]  # share of mentions
    long_text += " Derna " * 10
    assert "location:LY0320" not in codes(suggest_codes(long_text, "", tx), "location")
    assert "location:LY0320" in codes(suggest_codes(long_text, "Ubari update", tx), "location")


def test_a_name_of_a_district_and_its_town_suggests_the_district(tx):
    assert codes(suggest_codes("Derna. Derna.", "", tx), "location") == ["location:LY0101"]
    assert codes(suggest_codes("Misrata and Tawergha.", "", tx), "location") == [
        "location:LY0214",
        "location:LY0214-tawergha",
    ]


# --------------------------------------------------------------------------------------------------------------
# Document type
# --------------------------------------------------------------------------------------------------------------


#: (title, text, the document type expected first)
DOC_TYPE_CUES = [
    ("PWG meeting", "Agenda:\n1. Updates\nAttendees: UNHCR, IOM\nAction points\n- share list", "meeting_minutes"),
    ("", "Minutes of the meeting held on 3 May\nParticipants: A, B\nAOB\nNext meeting: June", "meeting_minutes"),
    ("محضر اجتماع", "جدول الأعمال\nالحضور: المفوضية\nنقاط العمل", "meeting_minutes"),
    ("Sitrep No. 4", "Highlights\n- fighting\nSituation overview\nthe situation worsened", "situation_report"),
    ("Situation report", "Key figures\n4,000 displaced", "situation_report"),
    ("Concept note", "Background\nRationale\nObjectives\nBudget", "concept_note"),
    ("Terms of Reference", "Purpose\nMembership\nRoles and responsibilities", "terms_of_reference"),
    ("", "Terms of reference of the group\nPurpose\nMembership\nChair", "terms_of_reference"),
    ("Training on case management", "Pre-test\nPost-test\nFacilitators\nSessions", "training_report"),
    ("Rapid needs assessment", "Methodology\nKey findings\nLimitations", "assessment"),
    ("Protection monitoring report", "Protection incidents\nMonitoring visits", "protection_monitoring_report"),
    ("تقرير الوضع", "أبرز المستجدات\nنظرة عامة على الوضع", "situation_report"),
]


@pytest.mark.parametrize(("title", "text", "expected"), DOC_TYPE_CUES)
def test_doc_type_cues(tx, title, text, expected):
    got = codes(suggest_codes(text, title, tx), "doc_type")
    assert got and got[0] == f"doc_type:{expected}", got


def test_no_doc_type_without_cues(tx):
    assert "doc_type" not in suggest_codes("Families in the city need water and shelter.", "", tx)
    # "minutes" in the body, not as a heading or in the opening lines, is not a cue
    text = "A long text. " * 60 + "The visit took 15 minutes."
    assert "doc_type" not in suggest_codes(text, "", tx)


# --------------------------------------------------------------------------------------------------------------
# Sectors, themes, populations (keyword rules in taxonomy.yaml)
# --------------------------------------------------------------------------------------------------------------


def test_keywords_are_in_the_taxonomy(tx):
    ds = tx.get("theme:durable_solutions")
    assert {"return", "local integration", "الحلول الدائمة"} <= {*ds.keywords, *ds.aliases, *ds.labels.values()}
    idp = tx.get("population:idp")
    assert {"IDPs", "internally displaced", "النازحين"} <= {*idp.keywords, *idp.aliases}
    det = tx.get("theme:detention")
    assert {"detained", "DCIM", "احتجاز"} <= {*det.keywords, *det.aliases}


def test_topics_from_keywords_in_english_and_arabic(tx):
    text = "IDPs in camps. Internally displaced families want durable solutions: return or local integration."
    result = suggest_codes(text, "", tx)
    assert "population:idp" in codes(result, "population")
    assert "theme:durable_solutions" in codes(result, "theme")
    ar = "النازحين في المخيمات. نازحة من درنة. الحلول الدائمة والعودة الطوعية. مراكز الاحتجاز واحتجاز المهاجرين."
    result = suggest_codes(ar, "", tx)
    assert "population:idp" in codes(result, "population")
    assert "theme:durable_solutions" in codes(result, "theme")
    assert "theme:detention" in codes(result, "theme")


def test_topic_threshold_grows_with_length(tx):
    filler = "The partners met and agreed on the next steps of the plan. " * 20  # ~240 words
    once = filler + "Detained migrants were mentioned."
    assert "theme:detention" not in codes(suggest_codes(once, "", tx), "theme")
    twice = once + " DCIM holds them."
    assert "theme:detention" in codes(suggest_codes(twice, "", tx), "theme")
    assert "theme:detention" in codes(suggest_codes(filler, "Detention update", tx), "theme")


def test_acronym_cues_need_capitals_and_overlaps_prefer_the_longest(tx):
    sea = "Rescue at sea. Rescue at sea. The sea was rough."
    assert "theme:psea" not in codes(suggest_codes(sea, "", tx), "theme")
    assert "theme:psea" in codes(suggest_codes("PSEA focal points. SEA reporting.", "", tx), "theme")
    cp = "Child protection case management. Child protection partners."
    result = suggest_codes(cp, "", tx)
    assert "theme:child_protection" in codes(result, "theme")
    assert "sector:protection" not in codes(result, "sector")


def test_shared_alias_counts_for_both_codes(tx):
    result = suggest_codes("GBV referral. GBV services.", "", tx)
    assert "sector:gbv" in codes(result, "sector")
    assert "theme:gbv" in codes(result, "theme")


def test_result_shape(tx):
    result = suggest_codes("Minutes\nAgenda\nParticipants\nIDPs in Sebha, IDPs in Derna.", "Meeting", tx)
    assert list(result) == [f for f in ("doc_type", "sector", "theme", "population", "location") if f in result]
    for items in result.values():
        for item in items:
            assert set(item) == {"code", "reason"}
            assert item["code"] in tx and item["reason"]
    assert suggest_codes("", "", tx) == {}


# --------------------------------------------------------------------------------------------------------------
# Accepting suggestions
# --------------------------------------------------------------------------------------------------------------


def test_accept_suggestions(tx):
    suggestions = {
        "doc_type": [{"code": "doc_type:meeting_minutes", "reason": "x"}],
        "location": [{"code": "location:LY0319", "reason": "x"}, {"code": "location:LY0101", "reason": "x"}],
    }
    current = ["doc_type:other", "theme:gbv", "location:LY0101"]
    accepted = ["location:LY0319", "doc_type:meeting_minutes", "location:LY0101"]
    assert accept_suggestions(current, suggestions, accepted) == [
        "theme:gbv",
        "location:LY0101",
        "location:LY0319",
        "doc_type:meeting_minutes",
    ]
    assert accept_suggestions(current, suggestions, []) == current
    with pytest.raises(ValueError, match="theme:detention"):
        accept_suggestions(current, suggestions, ["theme:detention"])


# --------------------------------------------------------------------------------------------------------------
# Alias expansion of queries
# --------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema():
    return build_schema()


def test_a_place_alias_is_expanded_to_all_names(tx, schema):
    q, also = expand_text_query("Darnah", schema, alias_lookup(tx))
    assert {"Derna", "درنة", "Darna"} <= set(also)
    assert "Darnah" not in also
    terms = {t for f, t in q.iter_all_terms() if f == "body"}
    assert {"darnah", "derna", "درن", "darna"} <= terms


def test_arabic_and_phrase_queries_are_expanded(tx, schema):
    _, also = expand_text_query("درنة", schema, alias_lookup(tx))
    assert "Derna" in also and "Darnah" in also
    _, also = expand_text_query('"Al Kufrah"', schema, alias_lookup(tx))
    assert "Kufra" in also and "الكفرة" in also
    _, also = expand_text_query("Al-Kufrah", schema, alias_lookup(tx))
    assert "Kufra" in also


def test_expansion_keeps_the_query_logic(tx, schema):
    q, also = expand_text_query("flood NOT Darnah", schema, alias_lookup(tx))
    assert "Derna" in also
    text = str(q)
    assert text.startswith("(") and "NOT" in text
    not_part = text[text.index("NOT") :]
    assert "derna" in not_part and "درن" in not_part and "flood" not in not_part


def test_words_that_name_nothing_are_left_alone(tx, schema):
    plain = make_parser(schema).parse("water trucking")
    q, also = expand_text_query("water trucking", schema, alias_lookup(tx))
    assert also == [] and q == plain
    assert expand_text_query("   ", schema, alias_lookup(tx)) == (None, [])
    with pytest.raises(QueryError):
        expand_text_query("x " * 100, schema, alias_lookup(tx))


def test_doc_types_are_not_expanded_by_default(tx, schema):
    assert expand_text_query("minutes", schema, alias_lookup(tx))[1] == []
    assert expand_text_query("minutes", schema, alias_lookup(tx, facets=None))[1]


def test_subsumed_forms_are_not_searched(tx, schema):
    _, also = expand_text_query("Derna", schema, alias_lookup(tx))
    assert "Derna city" not in also and "مدينة درنة" not in also
    assert "Darnah" in also


def test_a_p_code_names_its_place_and_a_place_brings_its_p_code(tx, schema):
    _, also = expand_text_query("LY0101", schema, alias_lookup(tx))
    assert "Derna" in also and "درنة" in also
    _, also = expand_text_query("Derna", schema, alias_lookup(tx))
    assert "LY0101" in also
    assert not expand_text_query("LY9999", schema, alias_lookup(tx))[1]


def test_expand_query_without_source_uses_the_analysed_text(tx, schema):
    q = make_parser(schema).parse("Darnah")
    expanded, also = expand_query(q, alias_lookup(tx), TEXT_FIELDS)
    assert "Derna" in also and expanded != q


def test_variant_spellings_find_each_other(tx, schema):
    ix = RamStorage().create_index(schema)
    docs = {"1": "Shelling in Derna old city", "2": "النزوح من درنة إلى بنغازي", "3": "Darnah water network", "4": "x"}
    with ix.writer() as w:
        for doc_id, body in docs.items():
            w.add_document(id=doc_id, body=body, labels="all")

    def found(text: str) -> set[str]:
        q, _ = expand_text_query(text, schema, alias_lookup(tx))
        with ix.searcher() as s:
            return {hit["id"] for hit in s.search(q, limit=None)}

    assert found("Darnah") == found("Derna") == found("درنه") == {"1", "2", "3"}
    assert found("Sabha") == set()


# --------------------------------------------------------------------------------------------------------------
# The labelled corpus (loose floors: the measured values are in the README)
# --------------------------------------------------------------------------------------------------------------


def test_corpus_is_large_enough_and_valid(tx):
    result = evaluate(CORPUS, tx)  # raises on unknown codes in the manifest
    assert result.documents >= 20
    assert evaluate(CORPUS, tx, "holdout").documents >= 5


def test_corpus_quality_floors(tx):
    result = evaluate(CORPUS, tx)
    overall = result.overall
    assert overall.precision >= 0.8 and overall.recall >= 0.8, (overall.precision, overall.recall)
    assert result.doc_type_top1 >= 0.9 * result.documents
    loc = result.facets["location"]
    assert loc.precision >= 0.8 and loc.recall >= 0.85
    for facet in ("theme", "population"):
        assert result.facets[facet].precision >= 0.8 and result.facets[facet].recall >= 0.7, facet
    holdout = evaluate(CORPUS, tx, "holdout").overall
    assert holdout.precision >= 0.75 and holdout.recall >= 0.75, (holdout.precision, holdout.recall)
