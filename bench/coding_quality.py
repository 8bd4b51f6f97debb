"""Precision and recall of the code suggestions (repository.knowledge.coding.suggest_codes) on the labelled corpus.

Usage (from the project root)::

    python bench/coding_quality.py [--corpus tests/coding_corpus] [--taxonomy taxonomy.yaml] [--details]

Prints a Markdown table: per facet, the suggestions made, true positives, false positives, false negatives,
precision, recall and F1 (micro-averaged over the documents), plus the top-1 accuracy of the document type.
``--details`` also lists every missed or wrong code per document.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.scores import Score  # noqa: E402
from repository.knowledge.coding import suggest_codes  # noqa: E402
from repository.knowledge.taxonomy import Taxonomy  # noqa: E402
from repository.knowledge.taxonomy import load_taxonomy  # noqa: E402

FACETS = ("doc_type", "sector", "theme", "population", "location")
DEFAULT_CORPUS = ROOT / "tests" / "coding_corpus"
DEFAULT_TAXONOMY = ROOT / "taxonomy.yaml"


@dataclass
class Evaluation:
    """The result of :func:`evaluate`."""

    documents: int = 0
    facets: dict[str, Score] = field(default_factory=lambda: {f: Score() for f in FACETS})
    doc_type_top1: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def overall(self) -> Score:
        total = Score()
        for s in self.facets.values():
            total.tp += s.tp
            total.fp += s.fp
            total.fn += s.fn
        return total


def load_manifest(corpus: Path) -> list[dict]:
    """The documents of the corpus manifest."""
    data = yaml.safe_load((corpus / "manifest.yaml").read_text(encoding="utf-8"))
    return list(data["documents"])


def evaluate(corpus: Path = DEFAULT_CORPUS, taxonomy: Taxonomy | None = None, split: str | None = None) -> Evaluation:
    """Run the suggester on the documents of ``corpus`` (those of one ``split``: ``dev`` or ``holdout``, or all
    when ``None``) and compare with the manifest."""
    taxonomy = taxonomy or load_taxonomy(DEFAULT_TAXONOMY)
    result = Evaluation()
    for doc in load_manifest(corpus):
        if split is not None and doc.get("split", "dev") != split:
            continue
        text = (corpus / doc["file"]).read_text(encoding="utf-8")
        suggested = suggest_codes(text, doc.get("title", ""), taxonomy)
        result.documents += 1
        expected_all = doc.get("codes") or {}
        for facet in FACETS:
            expected = {f"{facet}:{c}" for c in expected_all.get(facet) or ()}
            unknown = [c for c in expected if c not in taxonomy]
            if unknown:
                raise ValueError(f"{doc['file']}: unknown codes in the manifest: {unknown}")
            got = [s["code"] for s in suggested.get(facet, ())]
            score = result.facets[facet]
            score.tp += len(expected.intersection(got))
            score.fp += len(set(got) - expected)
            score.fn += len(expected - set(got))
            for code in sorted(set(got) - expected):
                result.errors.append(f"{doc['file']}: extra {code}")
            for code in sorted(expected - set(got)):
                result.errors.append(f"{doc['file']}: missed {code}")
            if facet == "doc_type" and got and got[0] in expected:
                result.doc_type_top1 += 1
    return result


def markdown(result: Evaluation, heading: str = "") -> str:
    """The Markdown table of an evaluation."""
    lines = [
        heading or f"Coding suggestions on {result.documents} labelled documents",
        "",
        "| facet | suggested | correct | wrong | missed | precision | recall | F1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    rows = [*result.facets.items(), ("all", result.overall)]
    for facet, s in rows:
        lines.append(
            f"| {facet} | {s.tp + s.fp} | {s.tp} | {s.fp} | {s.fn} | {s.precision:.2f} | {s.recall:.2f} | {s.f1:.2f} |"
        )
    if result.documents:
        lines.append("")
        lines.append(
            f"Document type, first suggestion correct: {result.doc_type_top1}/{result.documents} "
            f"({result.doc_type_top1 / result.documents:.0%})."
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--taxonomy", type=Path, default=DEFAULT_TAXONOMY)
    parser.add_argument("--details", action="store_true", help="list every missed or wrong code")
    args = parser.parse_args(argv)
    taxonomy = load_taxonomy(args.taxonomy)
    result = evaluate(args.corpus, taxonomy)
    print(markdown(result))
    for split, what in (("dev", "documents the rules were tuned on"), ("holdout", "held-out documents")):
        part = evaluate(args.corpus, taxonomy, split)
        if part.documents and part.documents < result.documents:
            print()
            print(markdown(part, f"Of which {part.documents} {what} (split `{split}`)"))
    if args.details:
        print()
        for line in result.errors:
            print(f"- {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
