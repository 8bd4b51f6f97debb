"""Child side of :mod:`indexer.sandbox`: ``python -m indexer._sandbox_child PATH MIME``.

Writes exactly one JSON object to the stdout it was started with and exits 0:

* ``{"ok": true, "text": "...", "ocr": false}`` (``ocr``: some of the text was recognised from images)
* ``{"ok": false, "kind": "error", "reason": "..."}`` (an :class:`~indexer.extract.ExtractionError` or a bug)
* ``{"ok": false, "kind": "memory"}`` (``MemoryError`` under the parent's ``RLIMIT_AS``)

Before any parser runs, file descriptor 1 is pointed at ``/dev/null`` (the JSON goes to a private duplicate),
so a library that prints cannot corrupt or inflate the answer; Python warnings and logging are silenced; a
failure leaves at most one short line on stderr, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys

_MEMORY = b'{"ok": false, "kind": "memory"}'


def _quiet() -> int:
    """Redirect fd 1 to /dev/null and return a private fd for the answer."""
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
    try:
        sys.stderr.write(message.replace("\n", " ")[:300] + "\n")
        sys.stderr.flush()
    except Exception:  # noqa: S110 - nothing useful to do if stderr is gone
        pass


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        _note("usage: python -m indexer._sandbox_child PATH MIME")
        return 2
    answer_fd = _quiet()
    path, mime = argv[1], argv[2]
    try:
        from indexer.extract import ExtractionError
        from indexer.extract import extract

        try:
            found = extract(path, mime)
            answer = {"ok": True, "text": found.text, "ocr": found.ocr}
        except ExtractionError as exc:
            answer = {"ok": False, "kind": "error", "reason": exc.reason}
        except RecursionError:
            answer = {"ok": False, "kind": "error", "reason": "the document is nested too deeply"}
        except MemoryError:
            raise
        except Exception as exc:
            _note(f"extraction failed: {type(exc).__name__}: {exc}")
            answer = {"ok": False, "kind": "error", "reason": f"the file could not be read ({type(exc).__name__})"}
        found = None
        payload = json.dumps(answer, ensure_ascii=False).encode("utf-8", "replace")
        answer = None
    except MemoryError:
        found = answer = None
        payload = _MEMORY
        _note("extraction ran out of memory")
    _write_all(answer_fd, payload)
    os.close(answer_fd)
    return 0


if __name__ == "__main__":
    try:
        code = main(sys.argv)
    except BaseException as exc:  # never a traceback on the parent's stderr
        _note(f"sandbox child failed: {type(exc).__name__}")
        code = 1
    sys.stdout.flush()
    os._exit(code)  # skip interpreter teardown (PDFium and friends have nothing to flush)
