"""The sandbox every extraction worker runs in, and how its failures read.

A hostile document can make a parser allocate gigabytes (a 5 MB PDF whose content stream inflates to 1 GiB
makes PDFium abort the process), spin for minutes (pdfminer.six on 200k ``Tj`` operators) or crash, so text is
only ever extracted in a worker process of :class:`indexer.pool.ExtractionPool` (:mod:`indexer._pool_worker`,
which applies its own resource limits at start-up). This module holds what the pool gives such a process and
what it expects back:

* the process's working folder (:data:`PACKAGE_ROOT`) and a minimal environment (:func:`child_env`: no secrets
  of the web process are inherited);
* the caps on what is read from it: :data:`MAX_TEXT_BYTES` of text in an answer, :data:`MAX_STDERR_BYTES` of
  stderr per job (more is read and dropped);
* the result of one file (:class:`ExtractResult`) and the reasons users see when it fails (:func:`timeout_reason`,
  :func:`memory_reason`, :func:`signal_reason`).
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass
from pathlib import Path

from indexer.extractors.base import MAX_TEXT_CHARS

#: Directory that contains the ``indexer`` package (cwd and PYTHONPATH of the worker).
PACKAGE_ROOT = Path(__file__).resolve().parent.parent
#: Most bytes of text one answer may carry (UTF-8 of ``MAX_TEXT_CHARS`` characters, plus room for the JSON).
MAX_TEXT_BYTES = MAX_TEXT_CHARS * 4 + 64 * 1024
#: Most bytes of a worker's stderr kept per job.
MAX_STDERR_BYTES = 4096


@dataclass(frozen=True)
class ExtractResult:
    """The text of one file, or why there is none. ``status`` is ``"ok"``, ``"ocr"`` (read, some of it from
    images by OCR) or ``"unavailable"`` (``text`` is empty and ``reason`` is a short reason fit for users)."""

    text: str
    status: str
    reason: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the text was read."""
        return self.status in ("ok", "ocr")


def child_env() -> dict[str, str]:
    """The whole environment of a worker process: its import path, UTF-8, and nothing of the parent's."""
    python_path = [str(PACKAGE_ROOT)]
    if os.environ.get("PYTHONPATH"):
        python_path.append(os.environ["PYTHONPATH"])
    return {
        "PATH": os.defpath,
        "PYTHONPATH": os.pathsep.join(python_path),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONHASHSEED": "0",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "OPENPYXL_DEFUSEDXML": "True",
        "OMP_THREAD_LIMIT": "1",  # Tesseract (OCR) on one core per file: files run in parallel instead
    }


def timeout_reason(seconds: float) -> str:
    """The reason of a file whose extraction ran past its wall-clock limit."""
    return f"extraction took longer than {seconds:g} s"


def memory_reason(memory_mb: int) -> str:
    """The reason of a file whose extraction ran out of its address space."""
    return f"extraction needed more than {memory_mb} MB of memory"


def signal_reason(signum: int, memory_mb: int, cpu_seconds: int) -> str:
    """The reason of a file whose worker was ended by signal ``signum``."""
    if signum == signal.SIGXCPU:
        return f"extraction used more than {cpu_seconds} s of CPU time"
    if signum == signal.SIGKILL:
        return f"extraction was killed (more than {cpu_seconds} s of CPU time or out of memory)"
    if signum in (signal.SIGABRT, signal.SIGTRAP, signal.SIGILL):
        # PDFium (and other C++ code) aborts when an allocation fails under RLIMIT_AS.
        return memory_reason(memory_mb)
    if signum == signal.SIGXFSZ:
        return "the extractor tried to write a file"
    try:
        name = signal.Signals(signum).name
    except ValueError:
        name = f"signal {signum}"
    return f"the extractor crashed ({name})"
