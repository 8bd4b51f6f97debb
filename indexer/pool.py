"""A pool of pre-started, long-lived, resource-limited text extraction workers: the only way text is extracted.

Starting a new interpreter for every file would cost about 0.1 s of start-up and imports each time, and applying
its limits in ``preexec_fn`` is unsafe in a process that has threads (Python's documentation says so).
:class:`ExtractionPool` keeps ``size`` worker processes (:mod:`indexer._pool_worker`) alive and sends them one file
at a time, isolated so (the parent's side of a worker is :mod:`indexer.workers`, the sandbox's terms
:mod:`indexer.sandbox`):

* each worker applies its own limits at start-up, before it imports any parser: ``RLIMIT_AS`` = ``memory_mb``,
  ``RLIMIT_CORE`` = 0, ``RLIMIT_FSIZE`` = 0, a life-long CPU budget as the hard ``RLIMIT_CPU``, and before each
  job a soft ``RLIMIT_CPU`` of ``cpu_seconds`` more than it has used so far (SIGXCPU ends it). No
  ``preexec_fn``: ``subprocess.Popen`` only forks and execs;
* the parent kills a worker whose job runs longer than ``timeout`` seconds of wall-clock time;
* a minimal environment (:func:`indexer.sandbox.child_env`), stdin and stdout pipes for requests and answers and
  a stderr pipe that is drained and logged (at most ``MAX_STDERR_BYTES`` per job, the rest dropped), all other
  descriptors closed, its own session (a Ctrl-C meant for the web server does not reach it);
* answers are length-prefixed JSON frames read with ``selectors`` against the job's deadline and a byte cap
  (``MAX_TEXT_BYTES`` plus the ``post`` allowance), so a misbehaving worker can neither fill the parent's memory
  nor hang it; the request is written without blocking under the same deadline.

A worker that crashes, exits, is killed by a signal, times out, overflows the cap, breaks the protocol, ran out
of memory, whose resident memory after a job exceeds ``max_rss_mb`` (``VmRSS`` in ``/proc/PID/status``), whose CPU
budget cannot cover another job, or that has done ``max_jobs`` jobs is stopped; a new one is started lazily, by
the next job. Only the job that was running when a worker failed fails, with a short reason for users
(``"extraction took longer than 20 s"``, ``"extraction needed more than 768 MB of memory"``, ``"extraction used
more than 15 s of CPU time"``, ``"the extractor crashed (SIGSEGV)"``, the ``ExtractionError`` reason...; see
:mod:`indexer.sandbox`). A worker found
dead between jobs (killed from outside) is replaced before the job is sent, so the job does not fail.

Why the limits still hold with long-lived workers: a job cannot leave anything behind for the next file except
memory (checked after every job: RSS and MemoryError retire the worker) and CPU time (the soft limit is relative
to what was used; the hard budget bounds the worker's life). Jobs in one worker are strictly sequential (PDFium
is not thread-safe).

Threads and processes: :meth:`ExtractionPool.extract` is thread-safe and runs at most ``size`` jobs at once (one
per worker; other callers wait for a free worker). After ``os.fork()`` (gunicorn forks its workers after the app,
and so the pool, may have been created) the child forgets the parent's workers without touching them and starts
its own. Workers are stopped by :meth:`~ExtractionPool.close`, when the pool is garbage-collected, and at
interpreter exit; a worker whose parent dies sees its stdin close and exits.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
import weakref
from dataclasses import dataclass
from typing import Any

from indexer._pool_worker import MAX_REQUEST_BYTES
from indexer.extractors.base import MAX_TEXT_CHARS
from indexer.formats import OCR_TYPES
from indexer.sandbox import ExtractResult
from indexer.sandbox import memory_reason
from indexer.sandbox import signal_reason
from indexer.sandbox import timeout_reason
from indexer.workers import NO_SLOT
from indexer.workers import WorkerProcess
from indexer.workers import WorkerSet
from indexer.workers import encode_request
from indexer.workers import log_stderr
from indexer.workers import rss_mb

WORKER_MODULE = "indexer._pool_worker"
_INVALID = "the extractor returned an invalid answer"
_CLOSED = "the extraction pool is closed"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PoolResult(ExtractResult):
    """An :class:`~indexer.sandbox.ExtractResult` plus ``post``, the postprocess hook's dict (or None)."""

    post: dict | None = None


def _failed(reason: str) -> PoolResult:
    return PoolResult("", "unavailable", reason)


def _shutdown(state: WorkerSet) -> None:
    if state.pid == os.getpid():
        state.shutdown(wait=2.0)


@dataclass
class _Outcome:
    """One job's result and what becomes of its worker."""

    result: PoolResult
    retire: str | None = None  # why the worker must go, or None to keep it
    retry: bool = False  # the worker was dead before it got the request: safe to run the job on a new one


class ExtractionPool:
    """Extract text in ``size`` long-lived sandboxed worker processes; see the module docstring.

    ``timeout`` (wall-clock seconds per file), ``memory_mb`` (address space) and ``cpu_seconds`` (CPU time per
    file) are the limits of each file; files of a type that may need OCR (:data:`~indexer.formats.OCR_TYPES`) get
    ``ocr_timeout`` instead, when given (each OCR process has its own ``cpu_seconds`` and the same memory limit).
    A worker is replaced after ``max_jobs`` files or when its resident memory after a file exceeds ``max_rss_mb``.
    ``postprocess`` is an optional ``"package.module:function"`` importable from the project root, run in the worker
    on the text of each successful extraction as ``function(text, **post_args)``; its dict comes back as
    ``PoolResult.post``.
    """

    def __init__(
        self,
        *,
        size: int = 1,
        timeout: float = 20.0,
        memory_mb: int = 768,
        cpu_seconds: int = 15,
        max_jobs: int = 500,
        max_rss_mb: int = 400,
        postprocess: str | None = None,
        ocr_timeout: float | None = None,
    ) -> None:
        if size < 1 or timeout <= 0 or memory_mb < 1 or cpu_seconds < 1 or max_jobs < 1 or max_rss_mb < 1:
            raise ValueError("size, timeout, memory_mb, cpu_seconds, max_jobs and max_rss_mb must be positive")
        if postprocess is not None:
            module_name, _, function = postprocess.partition(":")
            if not module_name or not function.isidentifier() or any(c.isspace() for c in postprocess):
                raise ValueError(f"postprocess must be 'package.module:function', not {postprocess!r}")
        self.size = int(size)
        self.timeout = float(timeout)
        self.ocr_timeout = float(ocr_timeout) if ocr_timeout else None
        self.memory_mb = int(memory_mb)
        self.cpu_seconds = int(cpu_seconds)
        self.max_jobs = int(max_jobs)
        self.max_rss_mb = int(max_rss_mb)
        self.postprocess = postprocess
        self._state = WorkerSet()
        # Stops the workers when the pool is garbage-collected or at interpreter exit (atexit), and on close().
        self._finalizer = weakref.finalize(self, _shutdown, self._state)
        reference = weakref.ref(self)

        def after_fork_in_child() -> None:
            pool = reference()
            if pool is not None:
                pool._state.forget_parent()

        os.register_at_fork(after_in_child=after_fork_in_child)

    def __repr__(self) -> str:
        return f"<ExtractionPool size={self.size} alive={len(self._state.workers)} closed={self._state.closed}>"

    # -- public API ------------------------------------------------------------------------------------------

    def extract(
        self, path: str | os.PathLike[str], mime: str, *, post_args: dict | None = None, timeout: float | None = None
    ) -> PoolResult:
        """Extract the text of ``path`` (sniffed type ``mime``) in a worker; never raises for a bad file.
        ``timeout`` replaces the pool's wall-clock limit for this file (a scan read by OCR needs longer).

        Returns ``PoolResult(text, "ok", None, post)`` or ``PoolResult("", "unavailable", reason)`` with the
        reasons of the module docstring. Blocks while all ``size`` workers are busy.
        Raises ``TypeError``/``ValueError`` only for a caller's mistake (``post_args`` not JSON-serialisable or
        larger than 1 MiB).
        """
        body = self._request(path, mime, post_args)
        state = self._live_state()
        worker = state.acquire(self.size)
        if worker is NO_SLOT:
            return _failed(_CLOSED)
        outcome = None
        try:
            for _attempt in range(2):
                fresh = worker is None
                if worker is not None and not worker.idle_and_healthy():
                    state.stop(worker, "dead" if worker.proc.poll() is not None else "protocol")
                    worker = None
                    fresh = True
                if worker is None:
                    try:
                        worker = state.start(self._argv())
                    except (OSError, subprocess.SubprocessError) as exc:
                        return _failed(f"the extractor could not be started ({type(exc).__name__})")
                outcome = self._run(state, worker, body, timeout or self._timeout_for(mime))
                if outcome.retry and not fresh:
                    state.stop(worker, "dead")
                    worker = None
                    continue
                break
            with state.cond:
                state.jobs += 1
            if outcome.retire:
                state.stop(worker, outcome.retire)
                worker = None
            return outcome.result
        except BaseException:
            # A bug or KeyboardInterrupt mid-conversation: the worker may still answer this request later, so it
            # must never serve another one.
            if worker is not None:
                state.stop(worker, "error")
                worker = None
            raise
        finally:
            state.release(worker)

    def prestart(self) -> None:
        """Start the missing workers now and wait until each is ready (otherwise they start on first use)."""
        state = self._live_state()
        with state.cond:
            if state.closed:
                return
            missing = self.size - state.busy - len(state.idle)
            state.busy += missing
        started: list[WorkerProcess] = []
        try:
            for _ in range(missing):
                started.append(state.start(self._argv()))
            deadline = time.monotonic() + self.timeout
            for worker in started:
                exchange = worker.exchange(b"", deadline)
                log_stderr(worker.pid, exchange.stderr)
                if exchange.kind != "ready":
                    state.stop(worker, "start_failed")
        finally:
            closing: list[WorkerProcess] = []
            with state.cond:
                state.busy -= missing
                alive = [worker for worker in started if worker in state.workers]
                (closing if state.closed else state.idle).extend(alive)
                state.cond.notify_all()
            for worker in closing:  # close() was called meanwhile
                state.stop(worker, None)

    def close(self) -> None:
        """Stop every worker (idle ones cleanly, busy ones are killed and their job fails). Idempotent."""
        if self._state.pid != os.getpid():
            self._state.forget_parent()
        self._finalizer()
        self._state.closed = True

    def stats(self) -> dict:
        """Counters for tests and benchmarks: started, replaced (by cause), jobs, alive, busy, idle, pids."""
        state = self._live_state()
        with state.cond:
            return {
                "size": self.size,
                "started": state.started,
                "replaced": dict(state.replaced),
                "jobs": state.jobs,
                "alive": len(state.workers),
                "busy": state.busy,
                "idle": len(state.idle),
                "pids": sorted(worker.pid for worker in state.workers),
                "closed": state.closed,
            }

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- internals -------------------------------------------------------------------------------------------

    def _live_state(self) -> WorkerSet:
        """The state of this process (after a fork without ``os.fork`` hooks, forget the parent's workers)."""
        state = self._state
        if state.pid != os.getpid():
            state.forget_parent()
        return state

    def _request(self, path: str | os.PathLike[str], mime: str, post_args: dict | None) -> dict[str, Any]:
        """The request without its id; checked here so that a caller's mistake raises before any worker is used."""
        body: dict[str, Any] = {"id": 0, "path": os.path.abspath(os.fspath(path)), "mime": str(mime)}
        if self.postprocess and post_args:
            body["post_args"] = dict(post_args)
        size = len(encode_request(body))
        if size > MAX_REQUEST_BYTES - 24:  # room for any id
            raise ValueError(f"extraction request of {size} bytes (post_args too large)")
        return body

    def _argv(self) -> list[str]:
        argv = [sys.executable, "-m", WORKER_MODULE, str(self.memory_mb), str(self.cpu_seconds), str(self.max_jobs)]
        return argv + ([self.postprocess] if self.postprocess else [])


    def _timeout_for(self, mime: str) -> float:
        """The wall-clock limit of a file of type ``mime``."""
        if self.ocr_timeout and mime in OCR_TYPES:
            return max(self.timeout, self.ocr_timeout)
        return self.timeout

    def _run(self, state: WorkerSet, worker: WorkerProcess, body: dict[str, Any], timeout: float) -> _Outcome:
        """One job on ``worker``: its result and whether the worker must be retired."""
        deadline = time.monotonic() + timeout
        worker.sent += 1
        exchange = worker.exchange(encode_request({**body, "id": worker.sent}), deadline)
        log_stderr(worker.pid, exchange.stderr)
        if exchange.kind == "answer":
            worker.jobs += 1
            return self._interpret(worker, exchange.frame)
        if exchange.kind == "broken":
            return _Outcome(_failed(_INVALID), "dead", retry=True)
        if exchange.kind == "eof":
            code = worker.wait_exit(deadline)
            if state.closed:
                return _Outcome(_failed(_CLOSED), "closed")
            if code is None:
                return _Outcome(_failed(timeout_reason(timeout)), "timeout")
            if code < 0:
                return _Outcome(_failed(signal_reason(-code, self.memory_mb, self.cpu_seconds)), "crash")
            if code != 0:
                return _Outcome(_failed(f"the extractor failed (exit status {code})"), "exit")
            return _Outcome(_failed(_INVALID), "exit")
        if state.closed:
            return _Outcome(_failed(_CLOSED), "closed")
        if exchange.kind == "timeout":
            return _Outcome(_failed(timeout_reason(timeout)), "timeout")
        if exchange.kind == "overflow":
            return _Outcome(_failed("the extractor produced too much output"), "output")
        return _Outcome(_failed(_INVALID), "protocol")

    def _interpret(self, worker: WorkerProcess, answer: Any) -> _Outcome:
        """Map an answer frame to a result and a verdict (whether the worker must go)."""
        if not isinstance(answer, dict):
            return _Outcome(_failed(_INVALID), "protocol")
        if answer.get("id") != worker.sent and not (answer.get("kind") == "memory" and "id" not in answer):
            return _Outcome(_failed(_INVALID), "protocol")  # not the answer to this request
        if isinstance(answer.get("note"), str):
            log.info("extraction worker %s: %s", worker.pid, answer["note"][:300])
        if answer.get("ok") is True and isinstance(answer.get("text"), str):
            post = answer.get("post") if isinstance(answer.get("post"), dict) else None
            if isinstance(answer.get("post_error"), str):
                log.warning("extraction postprocess %s failed in the worker: %s", self.postprocess,
                            answer["post_error"][:300])
            status = "ocr" if answer.get("ocr") is True else "ok"
            result = PoolResult(answer["text"][:MAX_TEXT_CHARS], status, None, post)
        elif answer.get("kind") == "memory":
            return _Outcome(_failed(memory_reason(self.memory_mb)), "memory")
        elif isinstance(answer.get("reason"), str) and answer["reason"]:
            result = _failed(answer["reason"][:200])
        else:
            return _Outcome(_failed(_INVALID), "protocol")
        return _Outcome(result, self._verdict(worker, answer))

    def _verdict(self, worker: WorkerProcess, answer: dict) -> str | None:
        """Why a worker that answered properly must still go (None: keep it)."""
        if worker.buffer:
            return "protocol"  # it sent more than one answer
        if answer.get("retire") is True:
            return "memory"
        if worker.jobs >= self.max_jobs:
            return "max_jobs"
        rss = rss_mb(worker.pid)
        if rss is None and isinstance(answer.get("maxrss_kb"), int):
            rss = answer["maxrss_kb"] / 1024
        if rss is not None and rss > self.max_rss_mb:
            return "rss"
        cpu_left = answer.get("cpu_left")
        if isinstance(cpu_left, (int, float)) and cpu_left < self.cpu_seconds + 1:
            return "cpu_budget"
        return None


def extract_once(
    path: str | os.PathLike[str],
    mime: str,
    *,
    timeout: float = 20.0,
    memory_mb: int = 768,
    cpu_seconds: int = 15,
) -> PoolResult:
    """Extract one file in a worker started for it and stopped afterwards, with the pool's limits and reasons;
    never raises for a bad file. For scripts and tests: an application keeps an :class:`ExtractionPool`."""
    with ExtractionPool(size=1, timeout=timeout, memory_mb=memory_mb, cpu_seconds=cpu_seconds) as pool:
        return pool.extract(path, mime)
