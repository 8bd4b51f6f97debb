"""The search engine below the services, on a real temporary Whoosh index: the match sets, scores, pages and
snippets it computes from cached per-segment facts agree with Whoosh's own matchers, and an index updated in
place (deleted versions, many segments) answers exactly like one rebuilt from the same documents."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from whoosh import query as Q  # noqa: N812

from indexer.index import SearchIndex
from indexer.query import SearchRequest
from indexer.query import parse_user_query
from indexer.schema import IndexDoc
from indexer.snapshot import LiveBM25F

WORDS = (
    "protection displaced families returnees detention centre assessment monitoring children women shelter water "
    "health legal services referral camp municipality access documentation safety violence"
).split()
ARABIC = ["النازحين", "الحماية", "سبها", "درنة", "مدرسة", "الأطفال"]
LEVELS = ["public", "restricted", "confidential", "strictly_confidential"]
LABELS = {
    "public": {"everyone"},
    "restricted": {"account"},
    "confidential": {"org:A", "coord"},
    "strictly_confidential": {"user:1", "coord"},
}
CODES = ["location:LY01", "location:LY0101", "location:LY02", "theme:gbv", "theme:child_protection"]
ROLES = {
    "anonymous": frozenset({"everyone"}),
    "partner": frozenset({"everyone", "account", "org:A"}),
    "coordinator": frozenset({"everyone", "account", "coord", "org:A", "user:1"}),
}
QUERIES = [
    "protection",
    "water health",
    "water OR health",
    "protection NOT children",
    "(water OR shelter) AND legal",
    '"displaced families"',
    '"water health"',
    '"legal services" OR camp',
    'protection NOT "water health"',
    "NOT camp",
    "سبها",
    "الحماية AND مدرسة",
    "nowhereword",
]


def make_doc(i: int, rng: random.Random, level: str | None = None, text: str | None = None) -> IndexDoc:
    level = level or rng.choice(LEVELS)
    words = [rng.choice(WORDS + ARABIC) for _ in range(rng.randint(20, 120))]
    codes = tuple(sorted(set(rng.sample(CODES, 2))))
    tree = tuple(sorted(set(codes) | {c[: c.index(":") + 5] for c in codes if c.startswith("location:")}))
    return IndexDoc(
        id=i,
        title=f"Report {i} {rng.choice(WORDS)}",
        summary=" ".join(rng.choice(WORDS) for _ in range(5)),
        body=text if text is not None else " ".join(words),
        labels=frozenset(LABELS[level]),
        codes=codes,
        code_tree=tree,
        org=rng.choice(["A", "B"]),
        level=level,
        state="released",
        language="en",
        published=dt.date(2020 + i % 6, 1 + i % 12, 1 + i % 28) if i % 3 else None,
        uploaded_at=dt.datetime(2025, 1, 1) + dt.timedelta(hours=i % 17),  # many equal upload times
    )


def answer(index: SearchIndex, request: SearchRequest, principals) -> tuple:
    out = index.search(request, principals)
    return out.total, out.ids, out.facets


@pytest.fixture(scope="module")
def indexes(tmp_path_factory):
    """The same final documents twice: ``updated`` written in many small commits with documents re-indexed
    (deleted versions left in old segments), ``rebuilt`` written in one go."""
    rng = random.Random(11)
    docs = {i: make_doc(i, rng) for i in range(1, 161)}
    updated = SearchIndex(tmp_path_factory.mktemp("updated"))
    updated.open()
    ids = list(docs)
    for start in range(0, len(ids), 20):
        updated.apply([docs[i] for i in ids[start : start + 20]], [])
    for _round in range(3):  # reclassify and edit some documents; delete a few
        changed = rng.sample(ids, 25)
        for i in changed:
            docs[i] = make_doc(i, rng)
        updated.apply([docs[i] for i in changed], [])
    docs[30] = make_doc(30, rng, "public", text="")  # no text at all (a scanned PDF): no body length
    updated.apply([docs[30]], [])
    for i in (5, 17):
        docs.pop(i)
    updated.apply([], [5, 17])
    rebuilt = SearchIndex(tmp_path_factory.mktemp("rebuilt"))
    rebuilt.open()
    rebuilt.apply(list(docs.values()), [], clear=True)
    reader = updated.ix.reader()
    assert not reader.is_atomic() and reader.doc_count_all() > reader.doc_count(), "want segments with deletions"
    reader.close()
    return updated, rebuilt, docs


def test_match_sets_equal_whoosh_matchers(indexes):
    """Reference: Whoosh's own matchers on the rebuilt index (on an index with deleted versions, Whoosh's NOT
    matcher counts deleted documents, which is one reason search does not rely on it)."""
    updated, rebuilt, _docs = indexes
    snap = rebuilt._snapshot()
    for text in QUERIES:
        q = parse_user_query(updated.ix.schema, text)
        whoosh_docs = {int(snap.searcher.stored_fields(n)["id"]) for n in snap.searcher.docs_for_query(q)}
        for role, principals in ROLES.items():
            allowed = {int(snap.searcher.stored_fields(n)["id"]) for n in snap.searcher.docs_for_query(
                Q.Or([Q.Term("labels", p) for p in principals]))}  # fmt: skip
            out = updated.search(SearchRequest(text=text, per_page=100, page=1), principals)
            expected = whoosh_docs & allowed
            assert out.total == len(expected), (text, role)
            if len(expected) <= 100:
                assert set(out.ids) == expected, (text, role)


PHRASE_TEXTS = {
    1: "legal aid in the detention centre",
    2: "aid legal detention",
    3: "legal aid legal aid centre",
    4: "the legal and the aid",
    5: "centre detention legal aid in detention",
    6: "legal legal aid aid",
    7: "detention centre. Legal",
    8: "مركز الاحتجاز في سبها",
    9: "",
}
PHRASES = [
    '"legal aid"', '"aid legal"', '"legal aid detention"', '"aid in the detention centre"', '"detention centre legal"',
    '"legal aid legal aid"', '"aid aid"', '"legal and aid"', '"legal legal"', '"centre detention legal aid"',
    '"مركز الاحتجاز"', '"الاحتجاز سبها"', '"legal aid" AND "detention centre"', '"legal aid" NOT "aid legal"',
]


def test_phrases_equal_whoosh_positional_matches(tmp_path):
    """Phrases checked from the recorded positions find the same documents as Whoosh's positional phrase
    matcher, with stop words, repeated words, sentence ends and Arabic; a re-indexed document loses its old
    positions."""
    rng = random.Random(5)
    index = SearchIndex(tmp_path / "phrases")
    index.open()
    docs = {i: make_doc(i, rng, "public", text=text) for i, text in PHRASE_TEXTS.items()}
    index.apply(list(docs.values()), [])
    index.apply([make_doc(6, rng, "public", text="aid only")], [])  # 6 no longer has "legal aid"
    snap = index._snapshot()
    everyone = frozenset({"everyone"})
    for text in PHRASES:
        q = parse_user_query(index.ix.schema, text)
        expected = {int(snap.searcher.stored_fields(n)["id"]) for n in snap.searcher.docs_for_query(q)}
        out = index.search(SearchRequest(text=text, per_page=100, page=1), everyone)
        assert set(out.ids) == expected and out.total == len(expected), text
    assert set(index.search(SearchRequest(text='"legal aid"', per_page=100), everyone).ids) >= {1, 3, 5}
    assert 6 not in index.search(SearchRequest(text='"legal aid"', per_page=100), everyone).ids


def test_word_scores_equal_whoosh_scores(indexes):
    """The bulk BM25F of plain word queries is Whoosh's BM25F on live statistics."""
    updated, _rebuilt, _docs = indexes
    snap = updated._snapshot()
    assert isinstance(snap.searcher.weighting, LiveBM25F)
    for text in ("protection", "water OR health", "(water OR shelter) AND legal", "سبها"):
        q = parse_user_query(updated.ix.schema, text)
        results = snap.searcher.search(q, limit=None)
        whoosh = {int(hit["id"]): hit.score for hit in results}
        out = updated.search(SearchRequest(text=text, per_page=100), ROLES["coordinator"])
        best = sorted(whoosh.items(), key=lambda kv: (-kv[1], kv[0]))
        # same order, except where Whoosh's own float sums tie differently (compare scores, not just ids)
        for got, (want_id, want_score) in zip(out.ids, best, strict=False):
            assert whoosh[got] == pytest.approx(want_score, rel=1e-9), (text, got, want_id)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_an_index_updated_in_place_answers_like_a_rebuilt_one(indexes, role):
    updated, rebuilt, _docs = indexes
    principals = ROLES[role]
    requests = [SearchRequest(text=t, per_page=10) for t in QUERIES]
    requests += [
        SearchRequest(),
        SearchRequest(per_page=7, page=3),
        SearchRequest(text="protection", sort="date", per_page=15),
        SearchRequest(text="water", codes=["location:LY01"], per_page=50),
        SearchRequest(codes=["theme:gbv", "location:LY02"], levels=["public", "restricted"]),
        SearchRequest(text="health", orgs=["B"], date_from=dt.date(2021, 1, 1), date_to=dt.date(2023, 6, 30)),
        SearchRequest(text="protection", per_page=3, page=5),
    ]
    for request in requests:
        assert answer(updated, request, principals) == answer(rebuilt, request, principals), request


def test_pages_concatenate_to_the_whole_ordered_list(indexes):
    updated, _rebuilt, _docs = indexes
    requests = (SearchRequest(text="protection OR camp"), SearchRequest(), SearchRequest(text="water", sort="date"))
    for request in requests:
        request.per_page = 100
        first = updated.search(request, ROLES["coordinator"])
        request.page = 2
        ids = first.ids + updated.search(request, ROLES["coordinator"]).ids
        assert len(ids) == first.total > 100
        paged = []
        for page in range(1, 100):
            request.per_page, request.page = 9, page
            part = updated.search(request, ROLES["coordinator"]).ids
            if not part:
                break
            paged += part
        assert paged == ids


def test_facets_equal_what_each_filter_gives(indexes):
    updated, _rebuilt, _docs = indexes
    for principals in ROLES.values():
        out = updated.search(SearchRequest(text="protection OR water"), principals)
        for facet, values in out.facets.items():
            for value, count in values.items():
                request = SearchRequest(text="protection OR water")
                if facet == "org":
                    request.orgs = [value]
                elif facet == "level":
                    request.levels = [value]
                else:
                    request.codes = [value]
                assert updated.search(request, principals).total == count, (facet, value)


def test_no_principal_and_unknown_principal_find_nothing(indexes):
    updated, _rebuilt, _docs = indexes
    assert updated.search(SearchRequest(text="protection"), frozenset()).total == 0
    assert updated.search(SearchRequest(), frozenset({"org:Z"})).total == 0


def test_excluded_documents_are_left_out(indexes):
    updated, _rebuilt, _docs = indexes
    full = updated.search(SearchRequest(text="protection", per_page=100), ROLES["coordinator"])
    left_out = set(full.ids[:5])
    out = updated.search(SearchRequest(text="protection", per_page=100), ROLES["coordinator"], exclude_ids=left_out)
    assert out.total == full.total - 5 and not left_out & set(out.ids)


def test_snippets_from_recorded_positions(tmp_path):
    index = SearchIndex(tmp_path)
    index.open()
    text = ("Filler words here. " * 40) + "The displaced families returned to Derna. " + ("More filler. " * 40)
    index.apply([make_doc(1, random.Random(1), "public", text=text)], [])
    out = index.search(SearchRequest(text='"displaced families"'), ROLES["anonymous"])
    spans = out.spans[1]["body"]
    assert [text[s:e] for s, e, _t in spans] == ["displaced", "families"]
    html = index.snippet(text, out.terms, spans=spans)
    assert "<mark>displaced</mark> <mark>families</mark> returned to Derna" in html
    assert len(html) < 400
    # the text changed since it was indexed: the recorded positions are not trusted, the text is analysed again
    changed = "Nothing at the start. " + text
    html = index.snippet(changed, out.terms, spans=spans)
    assert "<mark>displaced</mark> <mark>families</mark>" in html
    # markup in the text is escaped
    html = index.snippet("<b>displaced</b> families", out.terms, spans=[(3, 12, "displac")])
    assert "&lt;/b&gt;" in html and "<b>" not in html and "</b>" not in html


def test_caches_follow_new_commits(tmp_path):
    index = SearchIndex(tmp_path)
    index.open()
    rng = random.Random(3)
    index.apply([make_doc(1, rng, "public", text="unique alpha"), make_doc(2, rng, "confidential", text="alpha")], [])
    assert index.search(SearchRequest(text="alpha"), ROLES["anonymous"]).ids == [1]
    index.apply([make_doc(2, rng, "public", text="alpha alpha")], [])  # released to everyone
    assert sorted(index.search(SearchRequest(text="alpha"), ROLES["anonymous"]).ids) == [1, 2]
    index.apply([make_doc(1, rng, "confidential", text="unique alpha")], [])  # and one taken back
    assert index.search(SearchRequest(text="alpha"), ROLES["anonymous"]).ids == [2]
    assert index.search(SearchRequest(text="unique"), ROLES["anonymous"]).total == 0


def test_a_bulk_load_mark_makes_background_appliers_stand_aside(tmp_path):
    """While an import's index process holds the bulk mark, other processes' background threads leave the
    outbox to it (they would otherwise turn its large commits into many small ones, in web workers)."""
    holder, other = SearchIndex(tmp_path), SearchIndex(tmp_path)
    assert not other.bulk_running()
    with holder.bulk_writer() as marked:
        assert marked and other.bulk_running()
        with other.bulk_writer() as second:
            assert not second  # one bulk load holds the mark at a time; the other still runs, unmarked
    assert not other.bulk_running()
