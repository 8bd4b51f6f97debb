"""Worker side of :mod:`indexer.pool`: ``python -m indexer._pool_worker MEMORY_MB CPU_SECONDS MAX_JOBS [HOOK]``.

A long-lived process that extracts one file at a time for the parent's :class:`~indexer.pool.ExtractionPool`.

Start-up, in this order, before any parser is imported (only ``json``, ``os``, ``resource``, ``signal``, ``struct``
and ``sys`` are loaded at that point, and no file has been opened):

1. resource limits, applied by the worker itself with ``resource.setrlimit`` (the parent uses no ``preexec_fn``,
   which Python documents as unsafe in a process with threads): ``RLIMIT_AS`` = ``MEMORY_MB`` MiB,
   ``RLIMIT_CORE`` = 0 (no core dump of a confidential document), ``RLIMIT_FSIZE`` = 0 (it writes no files) and a
   CPU budget for the worker's whole life, hard ``RLIMIT_CPU`` = ``(CPU_SECONDS + 1) * (MAX_JOBS + 2) + 2``.
   Limits are only ever lowered (an unprivileged user cannot raise a hard limit; root could, but need not), so a
   lower limit inherited from the parent wins. Before each job the *soft* CPU limit is set to the CPU time used
   so far (rounded up) plus ``CPU_SECONDS``: a job that spins gets SIGXCPU, whose default action ends the
   process, after ``CPU_SECONDS`` of its own CPU time. The parent also kills on its wall-clock time-out;
2. fd 1 is pointed at ``/dev/null`` (answers go to a private duplicate, see :func:`_quiet`) and so is fd 0
   (requests are read from a private duplicate), so a library that prints or reads stdin can neither corrupt the
   answers nor swallow the next request; Python warnings and logging are silenced;
3. a ready frame ``{"ready": true, "pid": PID}`` is sent.

Protocol. A request is one JSON line on stdin: ``{"id": N, "path": ..., "mime": ..., "post_args": {...}}``
(``post_args`` optional). Every answer is a frame: a 4-byte big-endian length, then that many bytes of UTF-8 JSON:

* ``{"ok": true, "id": ID, "text": "...", "ocr": BOOL, "post": {...} | null, "post_error": "...", "cpu_left": SECONDS,
  "maxrss_kb": N}``
* ``{"ok": false, "id": ID, "kind": "error", "reason": "...", "note": "...", ...}`` (an ``ExtractionError``, whose
  reason is sent as is, or a bug: ``"the file could not be read (TypeError)"``)
* ``{"ok": false, "id": ID, "kind": "memory"}`` (``MemoryError`` under ``RLIMIT_AS``; the worker then exits)

``ID`` is the request's ``id``, echoed so that an answer can never be taken for another request's.

The worker exits 0 when stdin closes. It never prints a traceback: a failure leaves at most one short line on
stderr (which the parent drains and logs).

``HOOK`` is an optional ``package.module:function``; after a successful extraction the worker calls
``function(text, **post_args)`` (imported once, at start-up) and sends back the JSON-serialisable dict it returns
as ``post``, so CPU-heavy analysis of the text runs here, in parallel and under the same limits. If the hook
cannot be imported, raises, or returns something unusable, ``post`` is ``null`` and ``post_error`` says why in one
line; the extraction result stands.
"""

from __future__ import annotations

import json
import math
import os
import resource
import signal
import struct
import sys

#: Frame header: the length of the JSON body that follows, big-endian.
HEADER = struct.Struct(">I")
#: Largest request line (path, MIME type and ``post_args``) the parent sends; a longer one is a protocol error.
MAX_REQUEST_BYTES = 1 << 20
#: Largest serialised ``post`` dict the worker sends back; a bigger one is dropped (``post`` becomes ``null``).
MAX_POST_BYTES = 1 << 20

_INVALID_REQUEST = "the extractor received an invalid request"
#: The answer after a MemoryError when not even the answer with its id can be built.
_MEMORY = b'{"ok": false, "kind": "memory"}'


def _quiet() -> int:
    """Redirect fd 1 to /dev/null and return a private fd for the answers."""
    answer_fd = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process

    import logging
    import warnings

    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    return answer_fd


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _note(message: str) -> None:
    """One short line on stderr (the parent drains and logs it); never raises."""
    try:
        sys.stderr.write(message.replace("\n", " ")[:300] + "\n")
        sys.stderr.flush()
    except Exception:  # noqa: S110 - nothing useful to do if stderr is gone
        pass


def cpu_budget(cpu_seconds: int, max_jobs: int) -> int:
    """Hard RLIMIT_CPU of a worker: enough for ``max_jobs`` jobs of ``cpu_seconds`` each (plus rounding)."""
    return (cpu_seconds + 1) * (max_jobs + 2) + 2


def _cpu_used() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _lower_limit(kind: int, soft: int, hard: int) -> int:
    """Set a limit to at most (soft, hard), never above an inherited hard limit; return the hard limit set."""
    _current_soft, current_hard = resource.getrlimit(kind)
    if current_hard != resource.RLIM_INFINITY:
        hard = min(hard, current_hard)
    resource.setrlimit(kind, (min(soft, hard), hard))
    return hard


def _apply_limits(memory_mb: int, cpu_seconds: int, max_jobs: int) -> int:
    """Apply the worker's life-long limits; return the hard CPU limit (the budget for all its jobs)."""
    memory = memory_mb * 1024 * 1024
    _lower_limit(resource.RLIMIT_AS, memory, memory)
    _lower_limit(resource.RLIMIT_CORE, 0, 0)
    _lower_limit(resource.RLIMIT_FSIZE, 0, 0)
    return _lower_limit(resource.RLIMIT_CPU, math.ceil(_cpu_used()) + cpu_seconds, cpu_budget(cpu_seconds, max_jobs))


def _limit_job_cpu(cpu_seconds: int, hard: int) -> None:
    """Give the next job ``cpu_seconds`` of CPU time from now (soft limit, rounded up to whole seconds).

    Raising a soft limit up to the hard one is allowed for every user, so this works unprivileged too. The
    parent retires a worker before its budget (the hard limit) runs short of one full job.
    """
    soft = min(math.ceil(_cpu_used()) + cpu_seconds, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _private_stdin() -> int:
    """Point fd 0 at /dev/null and return a private fd for the requests (no library can read them)."""
    request_fd = os.dup(0)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    sys.stdin = open(os.devnull)  # noqa: SIM115 - lives as long as the process
    return request_fd


def _maxrss_kb() -> int:
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss // 1024 if sys.platform == "darwin" else maxrss  # bytes on macOS, KiB on Linux


def _send(fd: int, payload: bytes) -> None:
    _write_all(fd, HEADER.pack(len(payload)) + payload)


class _Hook:
    """The optional post-processing function, imported once per worker."""

    def __init__(self, spec: str | None) -> None:
        self.spec = spec
        self.function = None
        self.load_error: str | None = None

    def _load(self):
        if self.function is None and self.load_error is None:
            import importlib

            module_name, _, attribute = (self.spec or "").partition(":")
            try:
                function = getattr(importlib.import_module(module_name), attribute)
                if not callable(function):
                    raise TypeError(f"{attribute} is not callable")
                self.function = function
            except Exception as exc:
                self.load_error = f"could not import {self.spec} ({type(exc).__name__}: {exc})"[:300]
        return self.function

    def run(self, text: str, post_args: dict) -> tuple[dict | None, str | None, bool]:
        """Return (post, error, retire); ``retire`` after a MemoryError (the heap is no longer trustworthy)."""
        function = self._load()
        if function is None:
            return None, self.load_error, False
        try:
            post = function(text, **post_args)
            if not isinstance(post, dict):
                return None, f"{self.spec} returned {type(post).__name__}, not dict", False
            size = len(json.dumps(post, ensure_ascii=False, allow_nan=False).encode("utf-8", "replace"))
            if size > MAX_POST_BYTES:
                return None, f"{self.spec} returned {size} bytes of JSON (limit {MAX_POST_BYTES})", False
            return post, None, False
        except MemoryError:
            return None, f"{self.spec} ran out of memory", True
        except RecursionError:
            return None, f"{self.spec} failed (RecursionError)", False
        except Exception as exc:
            return None, f"{self.spec} failed ({type(exc).__name__}: {exc})"[:300], False


def _parse_request(line: bytes) -> tuple[int, str, str, dict] | None:
    try:
        request = json.loads(line)
    except ValueError:
        return None
    if not isinstance(request, dict):
        return None
    job_id, path, mime = request.get("id"), request.get("path"), request.get("mime")
    post_args = request.get("post_args") or {}
    if not (type(job_id) is int and isinstance(path, str) and isinstance(mime, str) and isinstance(post_args, dict)):
        return None
    return job_id, path, mime, post_args


def _job(line: bytes, cpu_seconds: int, cpu_hard: int, hook: _Hook) -> tuple[bytes, bool]:
    """Run one request; return (answer payload, whether the worker must exit after sending it).

    Every answer echoes the request's ``id``, so the parent can never take an answer for another file's.
    """
    request = _parse_request(line)
    if request is None:
        return json.dumps({"ok": False, "kind": "error", "reason": _INVALID_REQUEST}).encode(), False
    job_id, path, mime, post_args = request
    _limit_job_cpu(cpu_seconds, cpu_hard)
    retire = False
    try:
        from indexer.extract import extract
        from indexer.extractors.base import ExtractionError

        try:
            found = extract(path, mime)
            text = found.text
            answer = {"ok": True, "text": text, "ocr": found.ocr}
        except ExtractionError as exc:
            answer = {"ok": False, "kind": "error", "reason": exc.reason}
        except RecursionError:
            answer = {"ok": False, "kind": "error", "reason": "the document is nested too deeply"}
        except MemoryError:
            raise
        except Exception as exc:
            answer = {
                "ok": False,
                "kind": "error",
                "reason": f"the file could not be read ({type(exc).__name__})",
                "note": f"extraction failed: {type(exc).__name__}: {exc}"[:300],
            }
        if answer["ok"] and hook.spec:
            answer["post"], post_error, retire = hook.run(text, post_args)
            if post_error:
                answer["post_error"] = post_error
        text = None
        answer["id"] = job_id
        answer["cpu_left"] = cpu_hard - _cpu_used()
        answer["maxrss_kb"] = _maxrss_kb()
        if retire:
            answer["retire"] = True
        payload = json.dumps(answer, ensure_ascii=False).encode("utf-8", "replace")
        answer = None
        return payload, retire
    except MemoryError:
        text = answer = None
        _note("extraction ran out of memory")
        try:
            return json.dumps({"ok": False, "kind": "memory", "id": job_id}).encode(), True
        except MemoryError:
            return _MEMORY, True  # without the id the parent rejects it: still a failure, and the worker goes


def main(argv: list[str]) -> int:
    """Run the worker (``argv`` as ``sys.argv``, see the module docstring); return the exit status."""
    try:
        memory_mb, cpu_seconds, max_jobs = (int(value) for value in argv[1:4])
        if len(argv) > 5 or min(memory_mb, cpu_seconds, max_jobs) < 1:
            raise ValueError
    except ValueError:
        _note("usage: python -m indexer._pool_worker MEMORY_MB CPU_SECONDS MAX_JOBS [module:function]")
        return 2
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent, which stops its workers
    cpu_hard = _apply_limits(memory_mb, cpu_seconds, max_jobs)
    answer_fd = _quiet()
    requests = os.fdopen(_private_stdin(), "rb")
    hook = _Hook(argv[4] if len(argv) == 5 else None)
    # Import the parsers and the hook now, not in the first job: their start-up (about a second for a hook that
    # loads a vocabulary) must not count against that file's CPU limit. A hook that fails to import is reported
    # with each job's answer, as before.
    import indexer.extract  # noqa: F401

    if hook.spec:
        hook._load()  # noqa: SLF001
    _send(answer_fd, json.dumps({"ready": True, "pid": os.getpid()}).encode())
    while True:
        line = requests.readline(MAX_REQUEST_BYTES + 1)
        if not line:
            return 0  # the parent closed our stdin: stop
        if not line.endswith(b"\n"):
            _note("request line too long or cut off")
            return 3
        payload, retire = _job(line, cpu_seconds, cpu_hard, hook)
        _send(answer_fd, payload)
        payload = None
        if retire:
            return 0


if __name__ == "__main__":
    try:
        code = main(sys.argv)
    except BaseException as exc:  # never a traceback on the parent's stderr (e.g. BrokenPipeError: parent gone)
        _note(f"pool worker failed: {type(exc).__name__}")
        code = 1
    os._exit(code)  # skip interpreter teardown (PDFium and friends have nothing to flush)
