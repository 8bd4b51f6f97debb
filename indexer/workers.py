"""The extraction workers of :class:`indexer.pool.ExtractionPool`, seen from the parent process.

:class:`WorkerProcess` is one worker (:mod:`indexer._pool_worker`): its pipes, the framed conversation of one
request (:meth:`WorkerProcess.exchange`, which never blocks past its deadline nor buffers more than one answer),
stopping and reaping it. :class:`WorkerSet` is the pool's shared state in one process: the workers it started,
the idle ones, the slots taken, the counters, and what happens to them after a fork.
"""

from __future__ import annotations

import json
import logging
import os
import selectors
import signal
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from indexer._pool_worker import HEADER
from indexer._pool_worker import MAX_POST_BYTES
from indexer.sandbox import MAX_STDERR_BYTES
from indexer.sandbox import MAX_TEXT_BYTES
from indexer.sandbox import PACKAGE_ROOT
from indexer.sandbox import child_env

#: Largest answer frame accepted from a worker: the text plus the ``post`` dict.
MAX_ANSWER_BYTES = MAX_TEXT_BYTES + MAX_POST_BYTES + 4096
#: How long a healthy worker gets to exit after its stdin is closed before it is killed.
STOP_GRACE_SECONDS = 1.0
#: Causes after which the worker is healthy and gets a moment to exit by itself (others are killed at once).
GRACEFUL = frozenset({None, "max_jobs", "rss", "cpu_budget", "memory"})
#: :meth:`WorkerSet.acquire`'s answer when the pool is closed.
NO_SLOT = object()
_READ_CHUNK = 1 << 16

log = logging.getLogger("indexer.pool")  # the pool's log: one logger to configure and to watch


def rss_mb(pid: int) -> float | None:
    """Resident memory of ``pid`` in MiB from ``/proc`` (None where there is no procfs)."""
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1]) / 1024  # kB
    except (OSError, ValueError, IndexError):
        return None
    return None


@dataclass
class Exchange:
    """What came back for one request: ``kind`` is answer, ready, timeout, overflow, invalid, eof or broken."""

    kind: str
    frame: Any = None
    stderr: bytearray = field(default_factory=bytearray)


class WorkerProcess:
    """A worker process and its pipes. Used by one thread at a time (the pool hands it out)."""

    def __init__(self, argv: list[str]) -> None:
        self.proc = subprocess.Popen(  # noqa: S603 - fixed argv: this interpreter, our module, numbers, a hook name
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=str(PACKAGE_ROOT),
            env=child_env(),
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

    def exchange(self, request: bytes, deadline: float) -> Exchange:
        """Send ``request`` (empty: only wait for the ready frame) and read the answer frame by ``deadline``.

        The ready frame of a new worker is consumed on the way. Bytes beyond the answer stay in ``buffer`` (the
        caller retires a worker that sends them). Never blocks past ``deadline``, never buffers more than one
        frame of ``MAX_ANSWER_BYTES`` plus one read, keeps at most ``MAX_STDERR_BYTES`` of stderr.
        """
        result = Exchange("timeout")
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
        log_stderr(self.pid, noise)
        return True

    # -- stopping --------------------------------------------------------------------------------------------

    def close_stdin(self) -> None:
        """Close the request pipe: a healthy worker then exits by itself."""
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


def encode_request(body: dict[str, Any]) -> bytes:
    """One JSON line, ASCII only (lone surrogates of undecodable file names survive as escapes)."""
    return json.dumps(body, ensure_ascii=True, allow_nan=False).encode("ascii") + b"\n"


def log_stderr(pid: int, stderr: bytes) -> None:
    """Log the first line of what a worker wrote on stderr (nothing when it wrote nothing)."""
    if stderr.strip():
        first_line = stderr.strip().splitlines()[0][:200].decode("utf-8", "replace")
        log.info("extraction worker %s stderr: %r", pid, first_line)


class WorkerSet:
    """The workers of one pool in one process and its slots, shared between threads (kept apart from the pool so
    that the pool's finalizer can hold it)."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self.cond = threading.Condition()
        self.pid = os.getpid()
        self.idle: list[WorkerProcess] = []
        self.workers: set[WorkerProcess] = set()  # alive (idle, busy or being stopped), all started by this process
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

    def acquire(self, size: int) -> Any:
        """Take one of ``size`` slots: an idle worker, None (start one in this slot), or :data:`NO_SLOT` (closed).

        Idle workers that died meanwhile (killed from outside) are dropped first, so they neither count as alive
        nor get a job; the most recently used live worker is handed out (its caches are warm).
        """
        dead: list[WorkerProcess] = []
        try:
            with self.cond:
                while True:
                    if self.closed:
                        return NO_SLOT
                    for worker in [worker for worker in self.idle if worker.proc.poll() is not None]:
                        self.idle.remove(worker)
                        self.workers.discard(worker)
                        self.replaced["dead"] += 1
                        dead.append(worker)
                    if self.idle:
                        self.busy += 1
                        return self.idle.pop()
                    if self.busy + len(self.idle) < size:
                        self.busy += 1
                        return None
                    self.cond.wait()
        finally:
            for worker in dead:
                worker.finish(0.0)  # already reaped by poll(): closes its pipes
                log.info("extraction worker %s replaced (dead, exit status %s) after %d jobs", worker.pid,
                         worker.proc.returncode, worker.jobs)

    def release(self, worker: WorkerProcess | None) -> None:
        """Give the slot back, with its worker (kept idle) or without (a new one starts on demand)."""
        stop = False
        with self.cond:
            self.busy -= 1
            if worker is not None:
                if self.closed:
                    stop = True
                else:
                    self.idle.append(worker)
            self.cond.notify_all()
        if stop:
            self.stop(worker, None)

    def start(self, argv: list[str]) -> WorkerProcess:
        """Start a worker process with ``argv`` and count it."""
        worker = WorkerProcess(argv)
        with self.cond:
            self.workers.add(worker)
            self.started += 1
        return worker

    def stop(self, worker: WorkerProcess, cause: str | None) -> None:
        """Stop a worker for ``cause`` (counted as a replacement) or at close (cause None); reap it."""
        worker.finish(STOP_GRACE_SECONDS if worker.proc.poll() is None and cause in GRACEFUL else 0.0)
        if cause == "closed":
            cause = None  # killed by close(): not a replacement
        with self.cond:
            self.workers.discard(worker)
            if cause is not None:
                self.replaced[cause] += 1
        if cause is not None:
            log.info("extraction worker %s replaced (%s) after %d jobs", worker.pid, cause, worker.jobs)
