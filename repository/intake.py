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
from indexer.pool import ExtractionPool

from . import scan
from .coding import suggest_codes
from .taxonomy import Taxonomy
from .taxonomy import load_taxonomy

#: The hook's dotted name, as :class:`indexer.pool.ExtractionPool` takes it.
HOOK = "repository.intake:analyse_in_worker"

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


def extraction_pool(config: Any, size: int) -> ExtractionPool:
    """A pool of ``size`` sandboxed extraction workers with the configured limits, which also run :func:`analyse`
    on each text (the :data:`HOOK`) before the upload records it."""
    return ExtractionPool(
        size=max(1, size),
        timeout=float(config["EXTRACT_TIMEOUT"]),
        memory_mb=int(config["EXTRACT_MEMORY_MB"]),
        cpu_seconds=int(config["EXTRACT_CPU_SECONDS"]),
        max_rss_mb=int(config["EXTRACT_WORKER_MAX_RSS_MB"]),
        postprocess=HOOK,
        ocr_timeout=float(config["EXTRACT_OCR_TIMEOUT"]),
    )
