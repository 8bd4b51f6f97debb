"""What the repository reads off a new text before it is recorded: language, sensitivity findings, suggested codes.

A pure function of the text, the title and the vocabulary, so it can run where the text is extracted: in the
extraction workers (:mod:`indexer.pool`, as their post-processing hook), in parallel with other uploads and
outside the database's write lock; the upload then only records the answer. When a worker cannot give it
(an older worker, a failed hook) the service computes the same thing itself, still before the write lock.
"""

from __future__ import annotations

import threading
from typing import Any

from indexer.analysis import detect_language
from repository.knowledge import scan
from repository.knowledge.coding import suggest_codes
from repository.knowledge.taxonomy import Taxonomy
from repository.knowledge.taxonomy import load_taxonomy

#: The hook's dotted name, as :class:`indexer.pool.ExtractionPool` takes it.
HOOK = "repository.knowledge.analysis:analyse_in_worker"

_TAXONOMIES: dict[str, Taxonomy] = {}
_LOCK = threading.Lock()


def analyse(text: str, title: str, taxonomy: Taxonomy) -> dict[str, Any]:
    """``{"language", "detected", "suggested_codes"}`` of a text (JSON-ready, as the document stores them)."""
    if not text:
        return {"language": None, "detected": [], "suggested_codes": {}}
    return {
        "language": detect_language(text),
        "detected": scan.findings_json(scan.scan_text(text)),
        "suggested_codes": suggest_codes(text, title, taxonomy),
    }


def analyse_in_worker(text: str, *, title: str, taxonomy_path: str) -> dict[str, Any]:
    """The extraction workers' hook: :func:`analyse` with the vocabulary read once per worker from its file."""
    with _LOCK:
        taxonomy = _TAXONOMIES.get(taxonomy_path)
        if taxonomy is None:
            taxonomy = _TAXONOMIES[taxonomy_path] = load_taxonomy(taxonomy_path)
    return analyse(text, title, taxonomy)
