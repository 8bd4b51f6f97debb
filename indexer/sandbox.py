"""Run :func:`indexer.extract.extract_text` in a short-lived, resource-limited child process.

A hostile document can make a parser allocate gigabytes (a 5 MB PDF whose content stream inflates to 1 GiB
makes PDFium abort the process), spin for minutes (pdfminer.six on 200k ``Tj`` operators) or crash. The child
runs ``[sys.executable, "-m", "indexer._sandbox_child", PATH, MIME]`` (argument list, no shell) with:

* ``RLIMIT_AS`` = ``memory_mb`` MiB of address space (``MemoryError`` in Python, abort in PDFium);
* ``RLIMIT_CPU`` = ``cpu_seconds`` (SIGXCPU), hard limit two seconds later (SIGKILL);
* ``RLIMIT_CORE`` = 0 (no core dumps of confidential documents) and ``RLIMIT_FSIZE`` = 0 (it writes no files);
* a wall-clock ``timeout`` after which it is killed;
* a minimal environment (no secrets of the web process are inherited), stdin from ``/dev/null``, all other
  descriptors closed;
* stdout read up to ``4 * MAX_TEXT_CHARS + 64 KiB`` bytes and stderr up to 4 KiB; more is a failure.

Every failure becomes ``ExtractResult("", "unavailable", reason)`` with a short reason for users; this function
does not raise for a bad file. Limits are applied in ``preexec_fn``; Python documents ``preexec_fn`` as unsafe
when the parent has threads (a lock held by another thread at ``fork`` time), so keep the callable trivial (it
is: four ``setrlimit`` calls on a pre-imported module).

Cost: a child that extracts a small PDF takes about 0.1–0.2 s, mostly interpreter start-up and imports.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import selectors
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from indexer.extract import MAX_TEXT_CHARS

#: Directory that contains the ``indexer`` package (cwd and PYTHONPATH of the child).
PACKAGE_ROOT = Path(__file__).resolve().parent.parent
CHILD_MODULE = "indexer._sandbox_child"
MAX_STDOUT_BYTES = MAX_TEXT_CHARS * 4 + 64 * 1024
MAX_STDERR_BYTES = 4096
_READ_CHUNK = 1 << 16

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExtractResult:
    text: str
    status: str  # "ok", "ocr" (read, some of it from images by OCR) or "unavailable"
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("ok", "ocr")


def _unavailable(reason: str) -> ExtractResult:
    return ExtractResult("", "unavailable", reason)


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _limits(memory_mb: int, cpu_seconds: int):
    memory = int(memory_mb) * 1024 * 1024
    cpu = max(1, int(cpu_seconds))

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))

    return apply


def _child_env() -> dict[str, str]:
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


@dataclass
class _Outcome:
    returncode: int | None
    stdout: bytes
    stderr: bytes
    timed_out: bool
    overflow: bool


def _run_bounded(argv: list[str], *, timeout: float, preexec, cwd: Path, env: dict[str, str]) -> _Outcome:
    """Like ``subprocess.run(..., capture_output=True, timeout=...)``, but never buffers more than the caps.

    ``subprocess.run`` reads a child's whole output into memory; a child that misbehaves could fill the web
    worker's memory through the pipe, so the pipes are drained here with explicit limits.
    """
    deadline = time.monotonic() + timeout
    process = subprocess.Popen(  # noqa: S603 - fixed argv: this interpreter, our module, a path and a MIME type
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=str(cwd),
        env=env,
        preexec_fn=preexec,
        close_fds=True,
    )
    out, err = bytearray(), bytearray()
    timed_out = overflow = False
    selector = selectors.DefaultSelector()
    try:
        selector.register(process.stdout, selectors.EVENT_READ, (out, MAX_STDOUT_BYTES))
        selector.register(process.stderr, selectors.EVENT_READ, (err, MAX_STDERR_BYTES))
        while selector.get_map() and not (timed_out or overflow):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            for key, _events in selector.select(remaining):
                buffer, cap = key.data
                chunk = os.read(key.fd, _READ_CHUNK)
                if not chunk:
                    selector.unregister(key.fileobj)
                    continue
                room = cap - len(buffer)
                if buffer is out and len(chunk) > room:
                    overflow = True
                    break
                buffer += chunk[: max(room, 0)]  # extra stderr is read and dropped
        if not (timed_out or overflow):
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.001))
            except subprocess.TimeoutExpired:
                timed_out = True
    finally:
        selector.close()
        if process.poll() is None:
            process.kill()
        process.wait()
        process.stdout.close()
        process.stderr.close()
    return _Outcome(process.returncode, bytes(out), bytes(err), timed_out, overflow)


def _signal_reason(signum: int, memory_mb: int, cpu_seconds: int) -> str:
    if signum == signal.SIGXCPU:
        return f"extraction used more than {cpu_seconds} s of CPU time"
    if signum == signal.SIGKILL:
        return f"extraction was killed (more than {cpu_seconds} s of CPU time or out of memory)"
    if signum in (signal.SIGABRT, signal.SIGTRAP, signal.SIGILL):
        # PDFium (and other C++ code) aborts when an allocation fails under RLIMIT_AS.
        return f"extraction needed more than {memory_mb} MB of memory"
    if signum == signal.SIGXFSZ:
        return "the extractor tried to write a file"
    try:
        name = signal.Signals(signum).name
    except ValueError:
        name = f"signal {signum}"
    return f"the extractor crashed ({name})"


def extract_in_subprocess(
    path: str | os.PathLike[str],
    mime: str,
    *,
    timeout: float = 20.0,
    memory_mb: int = 768,
    cpu_seconds: int = 15,
) -> ExtractResult:
    """Extract the text of ``path`` (sniffed type ``mime``) in a limited child process; never raises for bad files.

    Returns ``ExtractResult(text, "ok", None)`` or ``ExtractResult("", "unavailable", reason)`` where reason is
    e.g. ``"extraction took longer than 20 s"``, ``"extraction needed more than 768 MB of memory"``,
    ``"the PDF is encrypted"`` or ``"no text layer (scanned PDF?)"``.
    """
    argv = [sys.executable, "-m", CHILD_MODULE, os.path.abspath(os.fspath(path)), str(mime)]
    try:
        outcome = _run_bounded(
            argv, timeout=timeout, preexec=_limits(memory_mb, cpu_seconds), cwd=PACKAGE_ROOT, env=_child_env()
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return _unavailable(f"the extractor could not be started ({type(exc).__name__})")

    if outcome.stderr.strip():
        first_line = outcome.stderr.strip().splitlines()[0][:200].decode("utf-8", "replace")
        log.info("extractor stderr (exit %s): %r", outcome.returncode, first_line)
    if outcome.timed_out:
        return _unavailable(f"extraction took longer than {_seconds(timeout)}")
    if outcome.overflow:
        return _unavailable("the extractor produced too much output")
    code = outcome.returncode
    if code is not None and code < 0:
        return _unavailable(_signal_reason(-code, memory_mb, cpu_seconds))
    if code != 0:
        return _unavailable(f"the extractor failed (exit status {code})")
    try:
        answer = json.loads(outcome.stdout.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _unavailable("the extractor returned an invalid answer")
    if not isinstance(answer, dict):
        return _unavailable("the extractor returned an invalid answer")
    if answer.get("ok") is True and isinstance(answer.get("text"), str):
        status = "ocr" if answer.get("ocr") is True else "ok"
        return ExtractResult(answer["text"][:MAX_TEXT_CHARS], status, None)
    if answer.get("kind") == "memory":
        return _unavailable(f"extraction needed more than {memory_mb} MB of memory")
    reason = answer.get("reason")
    if isinstance(reason, str) and reason:
        return _unavailable(reason[:200])
    return _unavailable("the extractor returned an invalid answer")
