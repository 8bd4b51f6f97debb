"""A small run of the archive benchmark (``bench/search.py --smoke``): every phase works end to end and reports
sane figures. The real figures come from full runs (see the README), never from timed assertions here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_benchmark_runs_end_to_end(tmp_path):
    out = tmp_path / "smoke.json"
    proc = subprocess.run(  # noqa: S603 - this interpreter, the project's script
        [sys.executable, str(ROOT / "bench" / "search.py"), "--smoke", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    report = json.loads(out.read_text())
    assert report["machine"]["cpus"] >= 1
    (size, result), = report["sizes"].items()
    docs = int(size)
    ingest = result["ingest"]
    assert ingest["text"]["documents"] == docs and ingest["text"]["docs_per_s"] > 0
    assert ingest["pdf"]["documents"] == result["pdf_files"] and ingest["pdf"]["pages_per_s"] > 0
    assert ingest["docx"]["documents"] == result["docx_files"]
    assert ingest["searches_during_import"]["errors"] == 0
    released = sum(n for level, n in result["review"]["levels"].items() if level != "left in review")
    assert 0 < released <= docs + result["pdf_files"] + result["docx_files"]
    assert 0 < result["upload_to_searchable_s"]["p95"] < 30
    for role in ("anonymous", "partner", "staff", "coordinator"):
        for kind in ("term", "phrase", "boolean", "filtered", "faceted"):
            api, raw = result["api_ms"][role][kind], result["raw_ms"][role][kind]
            assert api["n"] == raw["n"] > 0 and api["p95"] > 0 and raw["p95"] > 0
            assert result["ratio_p95"][role][kind] > 0
            assert result["answers"][role][kind]["errors"] == 0
    # the corpus is searchable: most term queries of the coordinator find something
    assert result["answers"]["coordinator"]["term"]["empty"] < result["api_ms"]["coordinator"]["term"]["n"]
    assert result["memory_mb"]["gunicorn worker"]["rss_mb"] > 0 and result["index_mb"] > 0
    assert "p95 ratio" in proc.stdout
