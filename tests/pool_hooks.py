"""Test-only code that runs inside :mod:`indexer.pool` workers (imported there as ``tests.pool_hooks``).

The worker's ``PYTHONPATH`` is the project root and ``tests`` has no ``__init__.py``, so this is found as a module
of the namespace package ``tests``. Keep it free of test-suite imports (no pytest, no filefactory): it is loaded
in a sandboxed worker under a small memory limit.

* hooks for ``ExtractionPool(postprocess="tests.pool_hooks:NAME")``;
* ``python -m tests.pool_hooks MEMORY_MB CPU_SECONDS MAX_JOBS liar:MODE``: a fake worker that breaks the
  protocol in the way MODE says, to show the parent survives it (tests point ``indexer.pool.WORKER_MODULE`` here).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time

from indexer._pool_worker import HEADER

_kept: list[bytes] = []


def identify(text: str, **kwargs) -> dict:
    """Who ran me, on what: the worker's pid, the text's length and the keyword arguments."""
    return {"pid": os.getpid(), "length": len(text), "kwargs": kwargs}


def slow_identify(text: str, delay: float = 0.0, **kwargs) -> dict:
    time.sleep(delay)
    return {"pid": os.getpid(), "length": len(text), "start": kwargs.get("tag")}


def explode(text: str, **kwargs) -> dict:
    raise RuntimeError("the hook broke on purpose")


def not_a_dict(text: str, **kwargs) -> list:
    return [len(text)]


def huge(text: str, **kwargs) -> dict:
    return {"blob": "x" * (2 << 20)}


def hog_memory(text: str, **kwargs) -> dict:
    """Allocate far beyond the worker's RLIMIT_AS: MemoryError inside the hook."""
    return {"blob": len(bytearray(1 << 34))}


def segfault(text: str, **kwargs) -> dict:
    os.kill(os.getpid(), signal.SIGSEGV)
    time.sleep(5)
    return {}


# --------------------------------------------------------------------------------------------------------------
# A lying worker
# --------------------------------------------------------------------------------------------------------------


def _send(fd: int, payload: bytes) -> None:
    os.write(fd, HEADER.pack(len(payload)) + payload)


def _liar(mode: str) -> None:
    def answer() -> bytes:
        return json.dumps({"ok": True, "id": request["id"], "text": "fine", "cpu_left": 1000}).encode()

    if mode == "noready":
        request = json.loads(sys.stdin.buffer.readline())
        _send(1, answer())
        return
    _send(1, json.dumps({"ready": True, "pid": os.getpid()}).encode())
    while line := sys.stdin.buffer.readline():
        request = json.loads(line)
        if mode == "overflow":  # announce 4 GiB, then stream until killed
            os.write(1, HEADER.pack(0xFFFFFFFF))
            while True:
                os.write(1, b"x" * 65536)
        elif mode == "garbage":
            _send(1, b"\xff not json")
        elif mode == "silent":
            time.sleep(60)
        elif mode == "stderr":  # 8 MiB on stderr (the parent keeps 4 KiB), then a proper answer
            for _ in range(128):
                os.write(2, b"e" * 65536)
            _send(1, answer())
        elif mode == "extra":  # one answer too many, in one write so that the parent reads both at once
            frame = HEADER.pack(len(answer())) + answer()
            os.write(1, frame * 2)
        elif mode == "stale":  # the answer to another request
            request["id"] += 1
            _send(1, answer())
        elif mode == "exit":
            sys.exit(7)


if __name__ == "__main__":
    _liar(sys.argv[4].partition(":")[2])
