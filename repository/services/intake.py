"""The extraction workers an app (or an import) uses: sandboxed processes that also analyse each text.

The analysis itself is pure and lives in :mod:`repository.knowledge.analysis`; this module only starts the pool
with the configured limits and that analysis as the workers' post-processing hook.
"""

from __future__ import annotations

from typing import Any

from indexer.pool import ExtractionPool
from repository.knowledge.analysis import HOOK


def extraction_pool(config: Any, size: int) -> ExtractionPool:
    """A pool of ``size`` sandboxed extraction workers with the configured limits, which also run
    :func:`~repository.knowledge.analysis.analyse` on each text (the ``HOOK``) before the upload records it."""
    return ExtractionPool(
        size=max(1, size),
        timeout=float(config["EXTRACT_TIMEOUT"]),
        memory_mb=int(config["EXTRACT_MEMORY_MB"]),
        cpu_seconds=int(config["EXTRACT_CPU_SECONDS"]),
        max_rss_mb=int(config["EXTRACT_WORKER_MAX_RSS_MB"]),
        postprocess=HOOK,
        ocr_timeout=float(config["EXTRACT_OCR_TIMEOUT"]),
    )
