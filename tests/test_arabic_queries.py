"""The labelled Arabic query set (tests/arabic_queries, issue 14): its documents built as real files, extracted in
the sandboxed pool and indexed in a real temporary Whoosh index, every query searched as the API does (alias
expansion included); recall and precision of the top 20 hits on each part, development and held-out, meet the
targets. Figures only, no timing (bench/arabic_search.py reports them)."""

from __future__ import annotations

import pytest

from bench.arabic_search import PARTS
from bench.arabic_search import TARGETS
from bench.arabic_search import evaluate


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory):
    return evaluate(work=tmp_path_factory.mktemp("arabic-queries"))


def test_the_set_is_large_enough(evaluation):
    assert len(evaluation.documents) >= 30
    assert len({d["format"] for d in evaluation.documents.values()}) >= 3
    assert all(d["language"] == "ar" for d in evaluation.documents.values())
    assert len(evaluation.results) >= 60
    assert len(evaluation.part("heldout")) >= 20


@pytest.mark.parametrize("part", PARTS)
def test_recall_and_precision_meet_the_targets(evaluation, part):
    figures = evaluation.figures(part)
    misses = {r.query.id: sorted(r.query.relevant - set(r.found)) for r in evaluation.part(part) if not r.works}
    assert figures["micro_recall"] >= TARGETS["recall"], (figures, misses)
    assert figures["macro_recall"] >= TARGETS["recall"], (figures, misses)
    assert figures["micro_precision"] >= TARGETS["precision"], figures
    assert figures["macro_precision"] >= TARGETS["precision"], figures
