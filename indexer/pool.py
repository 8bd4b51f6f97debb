"""A pool of pre-started, long-lived, resource-limited text extraction workers.

:func:`indexer.sandbox.extract_in_subprocess` starts a new interpreter for every file (about 0.1 s of start-up and
imports each time) and applies its limits in ``preexec_fn``, which Python documents as unsafe in a process that
has threads. :class:`ExtractionPool` keeps ``size`` worker processes (:mod:`indexer._pool_worker`) alive and sends
them one file at a time, with the same isolation:

* each worker applies its own limits at start-up, before it imports any parser: ``RLIMIT_AS`` = ``memory_mb``,
  ``RLIMIT_CORE`` = 0, ``RLIMIT_FSIZE`` = 0, a life-long CPU budget as the hard ``RLIMIT_CPU``, and before each
  job a soft ``RLIMIT_CPU`` of ``cpu_seconds`` more than it has used so far (SIGXCPU ends it). No
  ``preexec_fn``: ``subprocess.Popen`` only forks and execs;
* the parent kills a worker whose job runs longer than ``timeout`` seconds of wall-clock time;
* a minimal environment (:func:`indexer.sandbox._child_env`), stdin and stdout pipes for requests and answers and
  a stderr pipe that is drained and logged (at most ``MAX_STDERR_BYTES`` per job, the rest dropped), all other
  descriptors closed, its own session (a Ctrl-C meant for the web server does not reach it);
* answers are length-prefixed JSON frames read with ``selectors`` against the job's deadline and a byte cap
  (``MAX_STDOUT_BYTES`` plus the ``post`` allowance), as in :func:`indexer.sandbox._run_bounded`, so a
  misbehaving worker can neither fill the parent's memory nor hang it; the request is written without blocking
  under the same deadline.

A worker that crashes, exits, is killed by a signal, times out, overflows the cap, breaks the protocol, ran out
of memory, whose resident memory after a job exceeds ``max_rss_mb`` (``VmRSS`` in ``/proc/PID/status``), whose CPU
budget cannot cover another job, or that has done ``max_jobs`` jobs is stopped; a new one is started lazily, by
the next job. Only the job that was running when a worker failed fails, with exactly the reasons of
:func:`~indexer.sandbox.extract_in_subprocess` (``"extraction took longer than 20 s"``, ``"extraction needed more
than 768 MB of memory"``, ``"the extractor crashed (SIGSEGV)"``, the ``ExtractionError`` reason...). A worker found
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

import json
import logging
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
import weakref
from collections import Counter
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from indexer._pool_worker import HEADER
from indexer._pool_worker import MAX_POST_BYTES
from indexer._pool_worker import MAX_REQUEST_BYTES
from indexer.extract import MAX_TEXT_CHARS
from indexer.extract import OCR_TYPES
from indexer.sandbox import MAX_STDERR_BYTES
from indexer.sandbox import MAX_STDOUT_BYTES
from indexer.sandbox import PACKAGE_ROOT
from indexer.sandbox import ExtractResult
from indexer.sandbox import _child_env
from indexer.sandbox import _seconds
from indexer.sandbox import _signal_reason
from indexer.sandbox import _unavailable

WORKER_MODULE = "indexer._pool_worker"
#: Largest answer frame accepted from a worker: the text (as for the one-shot sandbox) plus the ``post`` dict.
MAX_ANSWER_BYTES = MAX_STDOUT_BYTES + MAX_POST_BYTES + 4096
#: How long a healthy worker gets to exit after its stdin is closed before it is killed.
STOP_GRACE_SECONDS = 1.0
_READ_CHUNK = 1 << 16
_INVALID = "the extractor returned an invalid answer"
_CLOSED = "the extraction pool is closed"
_NO_SLOT = object()  # _acquire's answer when the pool is closed

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PoolResult(ExtractResult):
    """An :class:`~indexer.sandbox.ExtractResult` plus ``post``, the postprocess hook's dict (or None)."""

    post: dict | None = None


def _failed(reason: str) -> PoolResult:
    base = _unavailable(reason)
    return PoolResult(base.text, base.status, base.reason)


def _rss_mb(pid: int) -> float | None:
    """Resident memory of ``pid`` in MiB from ``/proc`` (None where there is no procfs)."""
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1]) / 1024  # kB
    except (OSError, ValueError, IndexError):
        return None
    return None


# --------------------------------------------------------------------------------------------------------------
# One worker process, seen from the parent
# --------------------------------------------------------------------------------------------------------------


@dataclass
class _Exchange:
    """What came back for one request: ``kind`` is answer, ready, timeout, overflow, invalid, eof or broken."""

    kind: str
    frame: Any = None
    stderr: bytearray = field(default_factory=bytearray)


class _Worker:
    """A worker process and its pipes. Used by one thread at a time (the pool hands it out)."""

    def __init__(self, argv: list[str]) -> None:
        self.proc = subprocess.Popen(  # noqa: S603 - fixed argv: this interpreter, our module, numbers, a hook name
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=str(PACKAGE_ROOT),
            env=_child_env(),
            close_fds=True,
            start_new_session=True,
            bufsize=0,
        )
        self.pid = self.proc.pid
        self.jobs = 0  # answered
        self.sent = 0  # requests sent (the id of the last one)
        self.ready = False
        self.buffer = bytearray()  # answer bytes read but not yet consumed (at most one frame plus one chunk)
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            os.set_blocking(pipe.fileno(), False)

    # -- the conversation ------------------------------------------------------------------------------------

    def _take_frame(self) -> tuple[str, Any] | None:
        """A complete frame from the buffer as ("frame", decoded JSON), ("overflow"|"invalid", None), or None."""
        if len(self.buffer) < HEADER.size:
            return None
        (length,) = HEADER.unpack_from(self.buffer)
        if length > MAX_ANSWER_BYTES:
            return "overflow", None
        if len(self.buffer) < HEADER.size + length:
            return None
        body = bytes(self.buffer[HEADER.size : HEADER.size + length])
        del self.buffer[: HEADER.size + length]
        try:
            return "frame", json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return "invalid", None

    def exchange(self, request: bytes, deadline: float) -> _Exchange:
        """Send ``request`` (empty: only wait for the ready frame) and read the answer frame by ``deadline``.

        The ready frame of a new worker is consumed on the way. Bytes beyond the answer stay in ``buffer`` (the
        caller retires a worker that sends them). Never blocks past ``deadline``, never buffers more than one
        frame of ``MAX_ANSWER_BYTES`` plus one read, keeps at most ``MAX_STDERR_BYTES`` of stderr.
        """
        result = _Exchange("timeout")
        pending = memoryview(request)
        sent_any = False
        selector = selectors.DefaultSelector()
        try:
            if pending:
                selector.register(self.proc.stdin, selectors.EVENT_WRITE, "in")
            selector.register(self.proc.stdout, selectors.EVENT_READ, "out")
            selector.register(self.proc.stderr, selectors.EVENT_READ, "err")
            while True:
                taken = self._take_frame()
                if taken is not None:
                    kind, frame = taken
                    if kind != "frame":
                        result.kind = kind
                        return result
                    if not self.ready:
                        expected = {"ready": True, "pid": self.pid}
                        if not (isinstance(frame, dict) and frame == expected):
                            result.kind = "invalid"
                            return result
                        self.ready = True
                        if not request:
                            result.kind = "ready"
                            return result
                        continue
                    # An answer before the whole request was written, or an unasked-for frame, is a protocol error.
                    result.kind, result.frame = ("answer", frame) if request and not pending else ("invalid", None)
                    return result
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    result.kind = "timeout"
                    return result
                for key, _events in selector.select(remaining):
                    if key.data == "in":
                        try:
                            written = os.write(key.fd, pending[:_READ_CHUNK])
                        except BlockingIOError:
                            continue
                        except OSError:  # BrokenPipeError: the worker is gone
                            result.kind = "eof" if sent_any or not self.ready else "broken"
                            return result
                        sent_any = True
                        pending = pending[written:]
                        if not pending:
                            selector.unregister(key.fileobj)
                        continue
                    try:
                        chunk = os.read(key.fd, _READ_CHUNK)
                    except BlockingIOError:
                        continue
                    if key.data == "err":
                        if not chunk:
                            selector.unregister(key.fileobj)
                        room = MAX_STDERR_BYTES - len(result.stderr)
                        result.stderr += chunk[: max(room, 0)]  # extra stderr is read and dropped
                    elif not chunk:
                        result.kind = "eof"
                        return result
                    else:
                        self.buffer += chunk
        finally:
            selector.close()
            self.drain_stderr(result.stderr)

    def drain_stderr(self, into: bytearray) -> None:
        """Read what is waiting on stderr without blocking (kept up to the cap, the rest dropped)."""
        for _ in range(64):  # at most a few pipe buffers' worth per call
            try:
                chunk = os.read(self.proc.stderr.fileno(), _READ_CHUNK)
            except (BlockingIOError, OSError, ValueError):
                return
            if not chunk:
                return
            into += chunk[: max(MAX_STDERR_BYTES - len(into), 0)]

    def idle_and_healthy(self) -> bool:
        """Alive, and nothing unexpected on stdout (an idle worker says nothing; EOF means it died)."""
        if self.proc.poll() is not None:
            return False
        with selectors.DefaultSelector() as selector:
            selector.register(self.proc.stdout, selectors.EVENT_READ)
            if selector.select(0):
                return False
        noise = bytearray()
        self.drain_stderr(noise)
        _log_stderr(self.pid, noise)
        return True

    # -- stopping --------------------------------------------------------------------------------------------

    def close_stdin(self) -> None:
        try:
            self.proc.stdin.close()
        except OSError:
            pass

    def kill(self) -> None:
        """Kill the worker and what it started (an OCR process): it leads its own process group."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except OSError:  # already reaped or gone
            try:
                self.proc.kill()
            except OSError:
                pass

    def finish(self, grace: float) -> None:
        """Wait up to ``grace`` seconds for the process to end, then kill it; reap it and close every pipe."""
        self.close_stdin()
        try:
            self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.kill()
            self.proc.wait()
        for pipe in (self.proc.stdout, self.proc.stderr):
            pipe.close()

    def wait_exit(self, deadline: float) -> int | None:
        """After EOF on stdout: the exit status, or None if the process is still running at ``deadline``."""
        try:
            return self.proc.wait(timeout=max(deadline - time.monotonic(), 0.001))
        except subprocess.TimeoutExpired:
            return None

    def disown(self) -> None:
        """In a forked child: close our copies of the pipes; the process belongs to the parent, never wait for it.

        Setting ``returncode`` tells ``Popen`` there is nothing to reap (no ``ResourceWarning``, no ``waitpid`` on a
        process that is not our child).
        """
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                pipe.close()
            except OSError:
                pass
        if self.proc.returncode is None:
            self.proc.returncode = 0


def _encode_request(body: dict[str, Any]) -> bytes:
    """One JSON line, ASCII only (lone surrogates of undecodable file names survive as escapes)."""
    return json.dumps(body, ensure_ascii=True, allow_nan=False).encode("ascii") + b"\n"


def _log_stderr(pid: int, stderr: bytes) -> None:
    if stderr.strip():
        first_line = stderr.strip().splitlines()[0][:200].decode("utf-8", "replace")
        log.info("extraction worker %s stderr: %r", pid, first_line)


# --------------------------------------------------------------------------------------------------------------
# The pool
# --------------------------------------------------------------------------------------------------------------


class _State:
    """Everything the pool shares between threads; kept apart from the pool so its finalizer can hold it."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self.cond = threading.Condition()
        self.pid = os.getpid()
        self.idle: list[_Worker] = []
        self.workers: set[_Worker] = set()  # alive (idle, busy or being stopped), all started by this process
        self.busy = 0  # slots taken: busy workers, workers being started, retired workers not yet reaped
        self.closed = False
        self.started = 0
        self.jobs = 0
        self.replaced: Counter[str] = Counter()

    def forget_parent(self) -> None:
        """Called in a forked child: drop the parent's workers (without stopping them) and any lock state."""
        for worker in list(self.workers):
            worker.disown()
        closed = self.closed
        self._reset()  # a lock held by another thread at fork time would stay held forever in the child
        self.closed = closed

    def shutdown(self, wait: float) -> None:
        """Stop every worker: idle ones get EOF on stdin, busy ones are killed (their job fails)."""
        with self.cond:
            self.closed = True
            idle, self.idle = self.idle, []
            busy = [worker for worker in self.workers if worker not in idle]
            self.cond.notify_all()
        for worker in idle:
            worker.close_stdin()
        for worker in busy:
            worker.kill()
        for worker in idle:
            worker.finish(STOP_GRACE_SECONDS)
        with self.cond:
            self.workers.difference_update(idle)
            # Let the threads whose workers were killed reap them (they hold the slots until they have).
            self.cond.wait_for(lambda: self.busy == 0, timeout=wait)


def _shutdown(state: _State) -> None:
    if state.pid == os.getpid():
        state.shutdown(wait=2.0)


@dataclass
class _Outcome:
    result: PoolResult
    retire: str | None = None  # why the worker must go, or None to keep it
    retry: bool = False  # the worker was dead before it got the request: safe to run the job on a new one


class ExtractionPool:
    """Extract text in ``size`` long-lived sandboxed worker processes; see the module docstring.

    ``timeout`` (wall-clock seconds per file), ``memory_mb`` (address space) and ``cpu_seconds`` (CPU time per
    file) mean what they mean for :func:`~indexer.sandbox.extract_in_subprocess`; files of a type that may need
    OCR (:data:`~indexer.extract.OCR_TYPES`) get ``ocr_timeout`` instead, when given (each OCR process has its
    own ``cpu_seconds`` and the same memory limit). A worker is replaced after
    ``max_jobs`` files or when its resident memory after a file exceeds ``max_rss_mb``. ``postprocess`` is an
    optional ``"package.module:function"`` importable from the project root, run in the worker on the text of
    each successful extraction as ``function(text, **post_args)``; its dict comes back as ``PoolResult.post``.
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
        self._state = _State()
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
        reasons of :func:`~indexer.sandbox.extract_in_subprocess`. Blocks while all ``size`` workers are busy.
        Raises ``TypeError``/``ValueError`` only for a caller's mistake (``post_args`` not JSON-serialisable or
        larger than 1 MiB).
        """
        body = self._request(path, mime, post_args)
        state = self._live_state()
        worker = self._acquire(state)
        if worker is _NO_SLOT:
            return _failed(_CLOSED)
        outcome = None
        try:
            for _attempt in range(2):
                fresh = worker is None
                if worker is not None and not worker.idle_and_healthy():
                    self._stop(state, worker, "dead" if worker.proc.poll() is not None else "protocol")
                    worker = None
                    fresh = True
                if worker is None:
                    try:
                        worker = self._start(state)
                    except (OSError, subprocess.SubprocessError) as exc:
                        return _failed(f"the extractor could not be started ({type(exc).__name__})")
                outcome = self._run(state, worker, body, timeout or self._timeout_for(mime))
                if outcome.retry and not fresh:
                    self._stop(state, worker, "dead")
                    worker = None
                    continue
                break
            with state.cond:
                state.jobs += 1
            if outcome.retire:
                self._stop(state, worker, outcome.retire)
                worker = None
            return outcome.result
        except BaseException:
            # A bug or KeyboardInterrupt mid-conversation: the worker may still answer this request later, so it
            # must never serve another one.
            if worker is not None:
                self._stop(state, worker, "error")
                worker = None
            raise
        finally:
            self._release(state, worker)

    def prestart(self) -> None:
        """Start the missing workers now and wait until each is ready (otherwise they start on first use)."""
        state = self._live_state()
        with state.cond:
            if state.closed:
                return
            missing = self.size - state.busy - len(state.idle)
            state.busy += missing
        started: list[_Worker] = []
        try:
            for _ in range(missing):
                started.append(self._start(state))
            deadline = time.monotonic() + self.timeout
            for worker in started:
                exchange = worker.exchange(b"", deadline)
                _log_stderr(worker.pid, exchange.stderr)
                if exchange.kind != "ready":
                    self._stop(state, worker, "start_failed")
        finally:
            closing: list[_Worker] = []
            with state.cond:
                state.busy -= missing
                alive = [worker for worker in started if worker in state.workers]
                (closing if state.closed else state.idle).extend(alive)
                state.cond.notify_all()
            for worker in closing:  # close() was called meanwhile
                self._stop(state, worker, None)

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

    def _live_state(self) -> _State:
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
        size = len(_encode_request(body))
        if size > MAX_REQUEST_BYTES - 24:  # room for any id
            raise ValueError(f"extraction request of {size} bytes (post_args too large)")
        return body

    def _argv(self) -> list[str]:
        argv = [sys.executable, "-m", WORKER_MODULE, str(self.memory_mb), str(self.cpu_seconds), str(self.max_jobs)]
        return argv + ([self.postprocess] if self.postprocess else [])

    def _acquire(self, state: _State) -> Any:
        """Take a slot: an idle worker, None (start one in this slot), or ``_NO_SLOT`` (closed).

        Idle workers that died meanwhile (killed from outside) are dropped first, so they neither count as alive
        nor get a job; the most recently used live worker is handed out (its caches are warm).
        """
        dead: list[_Worker] = []
        try:
            with state.cond:
                while True:
                    if state.closed:
                        return _NO_SLOT
                    for worker in [worker for worker in state.idle if worker.proc.poll() is not None]:
                        state.idle.remove(worker)
                        state.workers.discard(worker)
                        state.replaced["dead"] += 1
                        dead.append(worker)
                    if state.idle:
                        state.busy += 1
                        return state.idle.pop()
                    if state.busy + len(state.idle) < self.size:
                        state.busy += 1
                        return None
                    state.cond.wait()
        finally:
            for worker in dead:
                worker.finish(0.0)  # already reaped by poll(): closes its pipes
                log.info("extraction worker %s replaced (dead, exit status %s) after %d jobs", worker.pid,
                         worker.proc.returncode, worker.jobs)

    def _release(self, state: _State, worker: _Worker | None) -> None:
        """Give the slot back, with its worker (kept idle) or without (a new one starts on demand)."""
        stop = False
        with state.cond:
            state.busy -= 1
            if worker is not None:
                if state.closed:
                    stop = True
                else:
                    state.idle.append(worker)
            state.cond.notify_all()
        if stop:
            self._stop(state, worker, None)

    def _start(self, state: _State) -> _Worker:
        worker = _Worker(self._argv())
        with state.cond:
            state.workers.add(worker)
            state.started += 1
        return worker

    def _stop(self, state: _State, worker: _Worker, cause: str | None) -> None:
        """Stop a worker for ``cause`` (counted as a replacement) or at close (cause None); reap it."""
        worker.finish(STOP_GRACE_SECONDS if worker.proc.poll() is None and cause in _GRACEFUL else 0.0)
        if cause == "closed":
            cause = None  # killed by close(): not a replacement
        with state.cond:
            state.workers.discard(worker)
            if cause is not None:
                state.replaced[cause] += 1
        if cause is not None:
            log.info("extraction worker %s replaced (%s) after %d jobs", worker.pid, cause, worker.jobs)

    def _timeout_for(self, mime: str) -> float:
        if self.ocr_timeout and mime in OCR_TYPES:
            return max(self.timeout, self.ocr_timeout)
        return self.timeout

    def _run(self, state: _State, worker: _Worker, body: dict[str, Any], timeout: float) -> _Outcome:
        """One job on ``worker``: its result and whether the worker must be retired."""
        deadline = time.monotonic() + timeout
        worker.sent += 1
        exchange = worker.exchange(_encode_request({**body, "id": worker.sent}), deadline)
        _log_stderr(worker.pid, exchange.stderr)
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
                return _Outcome(_failed(f"extraction took longer than {_seconds(timeout)}"), "timeout")
            if code < 0:
                return _Outcome(_failed(_signal_reason(-code, self.memory_mb, self.cpu_seconds)), "crash")
            if code != 0:
                return _Outcome(_failed(f"the extractor failed (exit status {code})"), "exit")
            return _Outcome(_failed(_INVALID), "exit")
        if state.closed:
            return _Outcome(_failed(_CLOSED), "closed")
        if exchange.kind == "timeout":
            return _Outcome(_failed(f"extraction took longer than {_seconds(timeout)}"), "timeout")
        if exchange.kind == "overflow":
            return _Outcome(_failed("the extractor produced too much output"), "output")
        return _Outcome(_failed(_INVALID), "protocol")

    def _interpret(self, worker: _Worker, answer: Any) -> _Outcome:
        """Map an answer frame to a result (as ``extract_in_subprocess`` maps its child's JSON) and a verdict."""
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
            return _Outcome(_failed(f"extraction needed more than {self.memory_mb} MB of memory"), "memory")
        elif isinstance(answer.get("reason"), str) and answer["reason"]:
            result = _failed(answer["reason"][:200])
        else:
            return _Outcome(_failed(_INVALID), "protocol")
        return _Outcome(result, self._verdict(worker, answer))

    def _verdict(self, worker: _Worker, answer: dict) -> str | None:
        """Why a worker that answered properly must still go (None: keep it)."""
        if worker.buffer:
            return "protocol"  # it sent more than one answer
        if answer.get("retire") is True:
            return "memory"
        if worker.jobs >= self.max_jobs:
            return "max_jobs"
        rss = _rss_mb(worker.pid)
        if rss is None and isinstance(answer.get("maxrss_kb"), int):
            rss = answer["maxrss_kb"] / 1024
        if rss is not None and rss > self.max_rss_mb:
            return "rss"
        cpu_left = answer.get("cpu_left")
        if isinstance(cpu_left, (int, float)) and cpu_left < self.cpu_seconds + 1:
            return "cpu_budget"
        return None


#: Causes after which the worker is healthy and gets a moment to exit by itself (others are killed at once).
_GRACEFUL = frozenset({None, "max_jobs", "rss", "cpu_budget", "memory"})
