"""Precision and recall of the sensitivity scan on the labelled sets in ``tests/scan_corpus`` and ``..._unseen``.

Run ``python bench/scan_quality.py`` (``-v`` lists every miss and false alarm by document; ``--set dev`` or
``--set unseen`` measures one set, both by default). Per set it prints a Markdown table per kind, the mean absolute
error of the name count, the highest minimum level (``protocol.minimum_level``) of a clean report and the number of
clean reports above ``restricted``.

* ``dev``: ``tests/scan_corpus``, 40 documents written by hand together with the scanner (development figures).
* ``unseen``: ``tests/scan_corpus_unseen``, generated from templates by ``bench/scan_unseen_generator.py``, written
  and frozen before the scanner was tuned on it (issue 14).

* ``phone``, ``email``, ``id_number``, ``coordinates``: instance level. Expected values come from
  ``manifest.yaml``; a detected value matches when its canonical form is equal (phones: ``+`` country code and
  digits; e-mail: lower case; ids: upper case without spaces; coordinates: within 0.0006 degrees).
* ``person_name`` (name *lists*), ``sensitive_site``, ``severe_topic``, ``small_count``: document level. A
  document has a name list when it holds five or more distinct names (:data:`NAME_LIST_MIN`).

The measuring code is importable (``tests/test_scan.py`` asserts the targets with it): :func:`evaluate` takes an
optional ``texts`` mapping (file name -> text) to measure text extracted from rendered PDF/DOCX files instead of
the ``.txt`` originals.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.scores import Score  # noqa: E402
from repository import protocol  # noqa: E402
from repository.knowledge import scan  # noqa: E402

CORPUS = ROOT / "tests" / "scan_corpus"
UNSEEN = ROOT / "tests" / "scan_corpus_unseen"
SETS = {"dev": CORPUS, "unseen": UNSEEN}
NAME_LIST_MIN = 5
COORD_TOLERANCE = 0.0006
INSTANCE_KINDS = ("phone", "email", "id_number", "coordinates")
DOCUMENT_KINDS = ("person_name", "sensitive_site", "severe_topic", "small_count")
#: The acceptance targets of the issue (recall per kind).
RECALL_TARGETS = {"phone": 0.95, "email": 0.95, "id_number": 0.95, "coordinates": 0.95, "person_name": 0.85}


@dataclass
class Report:
    """The outcome of one evaluation run."""

    scores: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in (*INSTANCE_KINDS, *DOCUMENT_KINDS)})
    errors: list[str] = field(default_factory=list)
    clean_above_restricted: list[str] = field(default_factory=list)
    clean_total: int = 0
    clean_max_level: str | None = None
    documents: int = 0
    name_count_errors: list[int] = field(default_factory=list)
    seconds: float = 0.0


def load_manifest(corpus: Path = CORPUS) -> list[dict]:
    """The documents of ``manifest.yaml``, each a dict with at least ``file``."""
    data = yaml.safe_load((corpus / "manifest.yaml").read_text(encoding="utf-8"))
    return list(data["documents"])


def _canonical(kind: str, value: object) -> str:
    if kind == "phone":
        return scan.canonical_phone(str(value))
    if kind == "email":
        return str(value).strip().lower()
    if kind == "id_number":
        return scan.canonical_id(str(value))
    raise ValueError(kind)


def _match_coordinates(expected: list[tuple[float, float]], found: list[tuple[float, float]]) -> tuple[int, int, int]:
    remaining = list(found)
    tp = 0
    for lat, lon in expected:
        for i, (flat, flon) in enumerate(remaining):
            if abs(lat - flat) <= COORD_TOLERANCE and abs(lon - flon) <= COORD_TOLERANCE:
                tp += 1
                del remaining[i]
                break
    return tp, len(remaining), len(expected) - tp


def evaluate(corpus: Path = CORPUS, texts: Mapping[str, str] | None = None, only: set[str] | None = None) -> Report:
    """Scan every document of the corpus (or ``texts`` for the files it names) and score the results."""
    report = Report()
    for entry in load_manifest(corpus):
        name = entry["file"]
        if only is not None and name not in only:
            continue
        text = texts[name] if texts is not None and name in texts else (corpus / name).read_text(encoding="utf-8")
        started = time.perf_counter()
        hits = scan.detect(text)
        findings = scan.findings_from_hits(text, hits)
        report.seconds += time.perf_counter() - started
        report.documents += 1

        for kind in ("phone", "email", "id_number"):
            expected = {_canonical(kind, v) for v in entry.get(kind) or ()}
            found = {h.key for h in hits if h.kind == kind}
            score = report.scores[kind]
            score.tp += len(expected & found)
            score.fp += len(found - expected)
            score.fn += len(expected - found)
            for value in sorted(expected - found):
                report.errors.append(f"{name}: missed {kind} {value}")
            for value in sorted(found - expected):
                report.errors.append(f"{name}: false {kind} {value}")

        expected_coords = [(float(a), float(b)) for a, b in entry.get("coordinates") or ()]
        found_coords = sorted({tuple(float(x) for x in h.key.split(",")) for h in hits if h.kind == "coordinates"})
        tp, fp, fn = _match_coordinates(expected_coords, found_coords)
        report.scores["coordinates"].tp += tp
        report.scores["coordinates"].fp += fp
        report.scores["coordinates"].fn += fn
        if fp or fn:
            report.errors.append(f"{name}: coordinates expected {expected_coords}, found {found_coords}")

        counts = {f.kind: f.count for f in findings}
        expected_names = int(entry.get("person_name") or 0)
        report.name_count_errors.append(abs(counts.get("person_name", 0) - expected_names))
        document_truth = {
            "person_name": (expected_names >= NAME_LIST_MIN, counts.get("person_name", 0) >= NAME_LIST_MIN),
            "sensitive_site": (bool(entry.get("sensitive_site")), "sensitive_site" in counts),
            "severe_topic": (bool(entry.get("severe_topic")), "severe_topic" in counts),
            "small_count": (bool(entry.get("small_count")), "small_count" in counts),
        }
        for kind, (truth, predicted) in document_truth.items():
            score = report.scores[kind]
            if truth and predicted:
                score.tp += 1
            elif predicted:
                score.fp += 1
                report.errors.append(f"{name}: false {kind} (count {counts.get(kind)})")
            elif truth:
                score.fn += 1
                report.errors.append(f"{name}: missed {kind} (count {counts.get(kind, 0)}, expected {expected_names})")
        if expected_names != counts.get("person_name", 0):
            report.errors.append(f"{name}: {counts.get('person_name', 0)} names found, {expected_names} expected")

        if entry.get("clean"):
            report.clean_total += 1
            level, reasons = protocol.minimum_level(scan.findings_json(findings))
            if level is not None and (
                report.clean_max_level is None
                or protocol.level_rank(level) > protocol.level_rank(report.clean_max_level)
            ):
                report.clean_max_level = level
            if protocol.level_rank(level) > protocol.level_rank(protocol.RESTRICTED) and level is not None:
                report.clean_above_restricted.append(f"{name}: {level} ({'; '.join(reasons)})")
    return report


def markdown(report: Report) -> str:
    """The report as a Markdown table and two summary lines."""
    lines = [
        "| kind | level | precision | recall | TP | FP | FN |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, score in report.scores.items():
        label = "person_name (lists)" if kind == "person_name" else kind
        level = "instance" if kind in INSTANCE_KINDS else "document"
        lines.append(
            f"| {label} | {level} | {score.precision:.2f} | {score.recall:.2f} | {score.tp} | {score.fp} | {score.fn} |"
        )
    mean_error = sum(report.name_count_errors) / len(report.name_count_errors) if report.name_count_errors else 0.0
    lines.append("")
    lines.append(f"documents: {report.documents}; mean absolute error of the name count: {mean_error:.2f}")
    lines.append(
        f"clean reports: {report.clean_total}; highest minimum level of a clean report: "
        f"{report.clean_max_level or 'none'}; above restricted: {len(report.clean_above_restricted)}"
    )
    return "\n".join(lines)


def missed_targets(report: Report) -> list[str]:
    """The acceptance targets that this report misses (empty list: all met)."""
    out = [
        f"{kind} recall {report.scores[kind].recall:.2f} < {target}"
        for kind, target in RECALL_TARGETS.items()
        if report.scores[kind].recall < target
    ]
    out += [f"clean report above restricted: {item}" for item in report.clean_above_restricted]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss and false alarm")
    parser.add_argument("--set", choices=("both", *SETS), default="both", help="which labelled set (default both)")
    parser.add_argument("--corpus", type=Path, help="another folder with manifest.yaml and the texts")
    args = parser.parse_args(argv)
    if args.corpus:
        corpora = {str(args.corpus): args.corpus}
    else:
        corpora = SETS if args.set == "both" else {args.set: SETS[args.set]}
    missed_any = False
    for label, corpus in corpora.items():
        report = evaluate(corpus)
        print(f"## {label} ({corpus.relative_to(ROOT) if corpus.is_relative_to(ROOT) else corpus})")
        print()
        print(markdown(report))
        print(f"scan time: {report.seconds * 1000:.0f} ms for {report.documents} documents")
        if args.verbose:
            for error in report.errors:
                print("-", error)
            for item in report.clean_above_restricted:
                print("- clean above restricted:", item)
        for item in missed_targets(report):
            missed_any = True
            print("target missed:", item)
        print()
    return 1 if missed_any else 0


if __name__ == "__main__":
    raise SystemExit(main())
