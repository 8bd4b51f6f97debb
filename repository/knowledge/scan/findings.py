"""The scan's entry points: every hit of a text, hits grouped into findings, findings as JSON."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence

from repository.knowledge.scan.common import KINDS
from repository.knowledge.scan.common import MAX_WHERE
from repository.knowledge.scan.common import Finding
from repository.knowledge.scan.common import Hit
from repository.knowledge.scan.common import _Doc
from repository.knowledge.scan.common import prepare
from repository.knowledge.scan.contacts import _EMAIL
from repository.knowledge.scan.contacts import _find_emails
from repository.knowledge.scan.contacts import _find_phones
from repository.knowledge.scan.coordinates import _find_coordinates
from repository.knowledge.scan.counts import _find_small_counts
from repository.knowledge.scan.counts import _small_example
from repository.knowledge.scan.ids import _find_ids
from repository.knowledge.scan.ids import _id_key
from repository.knowledge.scan.names import _find_names
from repository.knowledge.scan.names import _names_and_columns
from repository.knowledge.scan.sites import _find_severe
from repository.knowledge.scan.sites import _find_sites
from repository.knowledge.scan.tables import _tables


def detect(text: str) -> list[Hit]:
    """Every detected value with its raw text. For measurement and tests only: never store or show the values."""
    doc = _Doc(text or "")
    tables = _tables(doc)
    name_hits, columns = _names_and_columns(doc, tables)
    phones = _find_phones(doc, columns.phones)
    emails = _find_emails(doc)
    coords = _find_coordinates(doc, columns.coords)
    # ids are not taken from inside phone numbers, coordinates or e-mail addresses
    taken = [h.span for h in (*phones, *coords) if h.span[0] >= 0]
    taken += [m.span() for m in _EMAIL.finditer(doc.text)]
    ids = _find_ids(doc, taken, columns.ids)
    names = _find_names(name_hits, doc.starts)
    detail_lines = {h.line for h in (*phones, *ids, *names)}
    sites = _find_sites(doc)
    severe = _find_severe(doc, detail_lines)
    small = _find_small_counts(doc, tables)
    return [*names, *phones, *emails, *ids, *coords, *sites, *severe, *small]


def _where(doc_labels: list[str], hits: Iterable[Hit]) -> tuple[str, ...]:
    out: list[str] = []
    for h in sorted(hits, key=lambda h: h.line):
        label = doc_labels[h.line]
        if label not in out:
            out.append(label)
        if len(out) >= MAX_WHERE:
            break
    return tuple(out)


def findings_from_hits(text: str, hits: Sequence[Hit]) -> list[Finding]:
    """Group hits into findings (one per kind, in :data:`KINDS` order)."""
    doc = _Doc(text or "")
    findings = []
    for kind in KINDS:
        kind_hits = [h for h in hits if h.kind == kind]
        if not kind_hits:
            continue
        if kind == "small_count":
            count = len(kind_hits)
            example = _small_example(kind_hits)
        elif kind in ("sensitive_site", "severe_topic"):
            count = len(kind_hits)
            example = kind_hits[0].example
        else:
            count = len({h.key for h in kind_hits})
            example = kind_hits[0].example
        findings.append(Finding(kind, count, _where(doc.labels, kind_hits), example))
    return findings


def scan_text(text: str) -> list[Finding]:
    """Scan extracted text; one :class:`Finding` per kind found (none for clean text)."""
    return findings_from_hits(text, detect(text))


def findings_json(findings: Iterable[Finding]) -> list[dict]:
    """The findings as JSON-ready dicts ``{"kind", "count", "where", "example"}`` (the ``detected`` field)."""
    return [{"kind": f.kind, "count": f.count, "where": list(f.where), "example": f.example} for f in findings]


def canonical_id(value: str) -> str:
    """Canonical form of an identity or case number (digits normalised, upper case, no spaces)."""
    return _id_key(prepare(value).strip())
