"""Precision and recall of Arabic search on the labelled query set in ``tests/arabic_queries`` (issue 14, item 2).

Run ``python bench/arabic_search.py`` (``-v`` lists, per query, the documents found and missed). It

1. builds the 36 documents of ``documents.yaml`` into real files with the project's file factories
   (``tests/filefactory.py``: plain text, right-to-left PDF shaped with HarfBuzz, DOCX, ODT, XLSX, CSV, PPTX);
2. reads each one the way an upload is read: its type sniffed from its bytes (``repository.knowledge.sniff``), its
   text extracted in a sandboxed extraction worker (``indexer.pool.ExtractionPool``), its language detected, its
   title taken from the file name as the upload form does when no title is given;
3. indexes them in a real :class:`indexer.index.SearchIndex` (the app's schema and analysis) as released public
   documents, and runs every query through :meth:`SearchIndex.search` with the app's alias look-up
   (``repository.knowledge.coding.alias_lookup`` over ``taxonomy.yaml``), as ``GET /api/v1/search`` does for an
   anonymous visitor;
4. scores the first page the API shows by default, the top ``k`` = 20 hits (``--k``), against the judgements:
   per query precision (relevant hits ÷ hits; 0 when nothing is found) and recall (relevant hits ÷ relevant
   documents), and per part (``dev``, ``heldout``) their micro averages (sums over the part's queries) and macro
   averages (means of the per-query figures).

A query *works* when every one of its relevant documents is in its top ``k``. ``--record-baseline`` writes the
per-query results to ``bench/results/arabic-search-baseline.json`` (record it before changing a rule); every
later run compares with that file and lists the queries that worked there and no longer do (``regressions``) and
those whose precision fell. The report goes to ``bench/results/arabic-search-latest.json`` (``--out``) and a
table to standard output. The measuring code is importable: ``tests/test_arabic_queries.py`` asserts the targets
(recall ≥ 0.95 and precision ≥ 0.9 on each part) with :func:`evaluate`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT, ROOT / "tests"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

CORPUS = ROOT / "tests" / "arabic_queries"
PARTS = ("dev", "heldout")
RESULTS = ROOT / "bench" / "results"
LATEST = RESULTS / "arabic-search-latest.json"
BASELINE = RESULTS / "arabic-search-baseline.json"
#: The hits the API shows on its first page by default (``per_page`` = 20).
TOP_K = 20
#: The acceptance targets of the issue, on each part.
TARGETS = {"recall": 0.95, "precision": 0.9}

_EXTENSIONS = {"txt": "txt", "pdf": "pdf", "docx": "docx", "odt": "odt", "xlsx": "xlsx", "csv": "csv", "pptx": "pptx"}


@dataclass(frozen=True)
class Query:
    id: str
    part: str
    text: str
    relevant: frozenset[str]
    note: str = ""


@dataclass
class QueryResult:
    query: Query
    found: list[str]  # the top k, best first

    @property
    def hits(self) -> int:
        return len(set(self.found) & self.query.relevant)

    @property
    def precision(self) -> float:
        return self.hits / len(self.found) if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.hits / len(self.query.relevant) if self.query.relevant else 1.0

    @property
    def works(self) -> bool:
        return self.query.relevant <= set(self.found)

    def as_json(self) -> dict:
        return {
            "part": self.query.part,
            "q": self.query.text,
            "relevant": sorted(self.query.relevant),
            "found": self.found,
            "missed": sorted(self.query.relevant - set(self.found)),
            "false_hits": [d for d in self.found if d not in self.query.relevant],
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "works": self.works,
        }


@dataclass
class Evaluation:
    k: int
    results: list[QueryResult] = field(default_factory=list)
    documents: dict[str, dict] = field(default_factory=dict)  # id -> format, status, language, characters

    def part(self, name: str) -> list[QueryResult]:
        return [r for r in self.results if r.query.part == name]

    def figures(self, name: str) -> dict:
        rs = self.part(name)
        found = sum(len(r.found) for r in rs)
        relevant = sum(len(r.query.relevant) for r in rs)
        hits = sum(r.hits for r in rs)
        n = len(rs) or 1
        return {
            "queries": len(rs),
            "relevant": relevant,
            "micro_precision": round(hits / found, 4) if found else 0.0,
            "micro_recall": round(hits / relevant, 4) if relevant else 1.0,
            "macro_precision": round(sum(r.precision for r in rs) / n, 4),
            "macro_recall": round(sum(r.recall for r in rs) / n, 4),
            "queries_that_work": sum(r.works for r in rs),
        }


def load_queries(corpus: Path = CORPUS) -> list[Query]:
    """The labelled queries of both parts, development first."""
    out = []
    for part in PARTS:
        data = yaml.safe_load((corpus / f"{part}.yaml").read_text(encoding="utf-8"))
        for q in data["queries"]:
            out.append(Query(q["id"], part, str(q["q"]), frozenset(q["relevant"]), q.get("note", "")))
    return out


def load_documents(corpus: Path = CORPUS) -> list[dict]:
    return yaml.safe_load((corpus / "documents.yaml").read_text(encoding="utf-8"))["documents"]


def build_file(doc: dict, folder: Path) -> Path:
    """The document as a real file, made with the project's file factories."""
    import filefactory as ff

    fmt = doc["format"]
    path = folder / f"{doc['id']}.{_EXTENSIONS[fmt]}"
    if fmt == "txt":
        return ff.make_txt(path, "\n\n".join(doc["paragraphs"]) + "\n")
    if fmt == "pdf":
        return ff.make_arabic_pdf(path, doc["paragraphs"])
    if fmt == "docx":
        return ff.make_docx(path, doc["paragraphs"], table=doc.get("table"))
    if fmt == "odt":
        return ff.make_odt(path, doc["paragraphs"])
    if fmt == "xlsx":
        return ff.make_xlsx(path, doc["rows"])
    if fmt == "csv":
        return ff.make_csv(path, doc["rows"])
    if fmt == "pptx":
        return ff.make_pptx(path, doc["slides"])
    raise ValueError(f"unknown format {fmt!r} for {doc['id']}")


def _index_docs(docs: list[dict], folder: Path, documents: dict[str, dict]):
    """The documents as :class:`~indexer.schema.IndexDoc` values, read like uploads (sniffed, extracted in the
    sandboxed pool, language detected), released at ``public``."""
    from indexer.analysis import detect_language
    from indexer.pool import ExtractionPool
    from indexer.schema import IndexDoc
    from repository import protocol
    from repository.knowledge.sniff import sniff_file

    facts = protocol.DocFacts(state=protocol.RELEASED, level=protocol.PUBLIC, org_id=1, uploader_id=1)
    labels = protocol.labels(facts)
    uploaded = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    out = []
    with ExtractionPool(size=1, timeout=60.0) as pool:
        for number, doc in enumerate(docs, start=1):
            path = build_file(doc, folder)
            mime = sniff_file(path, path.name)
            result = pool.extract(path, mime)
            if not result.ok:
                raise RuntimeError(f"{doc['id']}: no text ({result.reason})")
            documents[doc["id"]] = {
                "format": doc["format"],
                "status": result.status,
                "language": detect_language(result.text),
                "characters": len(result.text),
            }
            title = path.name.rsplit(".", 1)[0].replace("_", " ").strip()  # as an upload without a title
            out.append(
                IndexDoc(
                    id=number, title=title, summary="", body=result.text, labels=labels, codes=(), code_tree=(),
                    org="NGO", level=protocol.PUBLIC, state=protocol.RELEASED,
                    language=documents[doc["id"]]["language"], published=None,
                    uploaded_at=uploaded + dt.timedelta(minutes=number),
                )  # fmt: skip
            )
    return out


def evaluate(k: int = TOP_K, corpus: Path = CORPUS, work: Path | None = None) -> Evaluation:
    """Build, extract and index the corpus in ``work`` (a temporary folder by default), run every labelled query
    as the API does and score its top ``k``."""
    from indexer.index import SearchIndex
    from indexer.query import SearchRequest
    from repository import protocol
    from repository.knowledge.coding import alias_lookup
    from repository.knowledge.taxonomy import load_taxonomy

    docs = load_documents(corpus)
    queries = load_queries(corpus)
    evaluation = Evaluation(k=k)
    with tempfile.TemporaryDirectory(prefix="arabic-search-") as tmp:
        base = Path(work) if work is not None else Path(tmp)
        files = base / "files"
        files.mkdir(parents=True, exist_ok=True)
        index_docs = _index_docs(docs, files, evaluation.documents)
        ids = {n: doc["id"] for n, doc in enumerate(docs, start=1)}
        index = SearchIndex(base / "index")
        index.open()
        index.apply(index_docs, [], clear=True)
        lookup = alias_lookup(load_taxonomy(ROOT / "taxonomy.yaml"))
        principals = protocol.principals(protocol.ANONYMOUS)
        for query in queries:
            outcome = index.search(SearchRequest(text=query.text, per_page=k), principals, lookup=lookup)
            evaluation.results.append(QueryResult(query, [ids[i] for i in outcome.ids]))
    return evaluation


def compare(evaluation: Evaluation, baseline: dict) -> dict:
    """Queries that worked in ``baseline`` (per-query results of an earlier run) and no longer do, and queries
    whose precision fell."""
    before = baseline.get("queries", {})
    regressions, precision_fell = [], []
    for r in evaluation.results:
        old = before.get(r.query.id)
        if old is None:
            continue
        if old["works"] and not r.works:
            regressions.append(r.query.id)
        if round(r.precision, 4) < old["precision"] - 1e-9:
            precision_fell.append(r.query.id)
    worked = [qid for qid, old in before.items() if old["works"]]
    return {
        "baseline_recorded": baseline.get("recorded"),
        "worked_in_baseline": len(worked),
        "still_work": sum(1 for r in evaluation.results if r.query.id in worked and r.works),
        "regressions": regressions,
        "precision_fell": precision_fell,
    }


def report(evaluation: Evaluation, baseline: dict | None = None) -> dict:
    out = {
        "recorded": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "k": evaluation.k,
        "targets": TARGETS,
        "documents": evaluation.documents,
        "parts": {part: evaluation.figures(part) for part in PARTS},
        "queries": {r.query.id: r.as_json() for r in evaluation.results},
    }
    if baseline is not None:
        out["baseline"] = {part: baseline.get("parts", {}).get(part) for part in PARTS}
        out["compared_with_baseline"] = compare(evaluation, baseline)
    return out


def table(result: dict) -> str:
    lines = [
        f"Arabic search, top {result['k']} hits ({len(result['documents'])} documents)",
        "",
        "| part | queries | micro P | micro R | macro P | macro R | queries that work |",
        "|---|---|---|---|---|---|---|",
    ]
    for part, f in result["parts"].items():
        lines.append(
            f"| {part} | {f['queries']} | {f['micro_precision']:.3f} | {f['micro_recall']:.3f} | "
            f"{f['macro_precision']:.3f} | {f['macro_recall']:.3f} | {f['queries_that_work']}/{f['queries']} |"
        )
    cmp = result.get("compared_with_baseline")
    if cmp:
        lines += [
            "",
            f"baseline {cmp['baseline_recorded']}: {cmp['still_work']}/{cmp['worked_in_baseline']} queries that "
            f"worked still work; regressions: {', '.join(cmp['regressions']) or 'none'}; precision fell: "
            f"{', '.join(cmp['precision_fell']) or 'none'}",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=(
            "Precision and recall of Arabic search on the labelled query set of tests/arabic_queries: the documents "
            "are built with the file factories, extracted in the sandboxed pool, indexed in a real Whoosh index and "
            "searched with the app's query parsing and alias expansion; development and held-out parts reported "
            "separately, micro and macro averages over the top k hits."
        )
    )
    parser.add_argument("--k", type=int, default=TOP_K, help=f"hits scored per query (default {TOP_K}, the API page)")
    parser.add_argument("--out", type=Path, default=LATEST, help="JSON report (default: %(default)s)")
    parser.add_argument(
        "--record-baseline", action="store_true",
        help=f"also write the per-query results as the baseline later runs compare with ({BASELINE.name})",
    )  # fmt: skip
    parser.add_argument("--baseline", type=Path, default=BASELINE, help="baseline to compare with")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every query's misses and false hits")
    args = parser.parse_args(argv)

    t0 = time.monotonic()
    evaluation = evaluate(k=args.k)
    baseline = None
    if not args.record_baseline and args.baseline.is_file():
        baseline = json.loads(args.baseline.read_text(encoding="utf-8"))
    result = report(evaluation, baseline)
    result["seconds"] = round(time.monotonic() - t0, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if args.record_baseline:
        args.baseline.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(table(result))
    if args.verbose:
        print()
        for qid, r in result["queries"].items():
            if r["missed"] or r["false_hits"]:
                print(f"{qid} [{r['part']}] {r['q']}: missed {r['missed']} false {r['false_hits']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
