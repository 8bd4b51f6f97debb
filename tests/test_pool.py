"""The pool of long-lived extraction workers (indexer.pool): real worker processes, real files."""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
import time
from pathlib import Path

import filefactory as ff
import pytest

from indexer import pool as pool_module
from indexer._pool_worker import cpu_budget
from indexer.extract import extract_text
from indexer.pool import ExtractionPool
from indexer.pool import PoolResult
from indexer.pool import extract_once
from indexer.sandbox import PACKAGE_ROOT
from indexer.sandbox import ExtractResult
from indexer.sandbox import child_env
from repository.knowledge.sniff import DOCX
from repository.knowledge.sniff import PDF
from repository.knowledge.sniff import TXT

HOOKS = "tests.pool_hooks"


@pytest.fixture
def files(tmp_path):
    return {
        "txt": (ff.make_txt(tmp_path / "a.txt", "Field notes from Gharyan\r\nchild protection\n"), TXT),
        "pdf": (ff.make_pdf(tmp_path / "a.pdf", ["Protection cluster minutes from Sabha.", "Referral pathways."]), PDF),
        "docx": (ff.make_docx(tmp_path / "a.docx", ["Monitoring report for Ubari"], [["Murzuq", "17"]]), DOCX),
    }


@pytest.fixture
def make_pool():
    """Pools closed at the end of the test, whatever happened."""
    made: list[ExtractionPool] = []

    def make(**kwargs) -> ExtractionPool:
        made.append(ExtractionPool(**kwargs))
        return made[-1]

    yield make
    for pool in made:
        pool.close()


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _wait_until_dead(pid: int) -> None:
    """Until ``pid`` has died (a zombie waiting for its parent's waitpid, or gone)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return
        if state in ("Z", "X"):
            return
        time.sleep(0.005)
    raise AssertionError(f"process {pid} did not die")


# --------------------------------------------------------------------------------------------------------------
# Same answers as a worker started for one file, from one long-lived worker
# --------------------------------------------------------------------------------------------------------------


def test_text_of_each_format_from_one_worker(make_pool, files, tmp_path):
    pool = make_pool()
    for path, mime in files.values():
        result = pool.extract(path, mime)
        assert result == PoolResult(extract_text(path, mime), "ok", None, None)
        assert isinstance(result, ExtractResult) and result.ok
    assert "Gharyan\nchild protection" in pool.extract(*files["txt"]).text
    assert "Murzuq\t17" in pool.extract(*files["docx"]).text
    # Failures carry the reasons of a worker started for the file alone, word for word.
    for path, mime in [(tmp_path / "missing.pdf", PDF), (files["txt"][0], "text/html"),
                       (ff.make_encrypted_pdf(tmp_path / "enc.pdf"), PDF),
                       (ff.make_truncated_pdf(tmp_path / "cut.pdf"), PDF)]:
        result = pool.extract(path, mime)
        expected = extract_once(path, mime)
        assert (result.text, result.status, result.reason, result.post) == (*_fields(expected), None)
        assert not result.ok
    stats = pool.stats()
    assert stats["started"] == 1 and stats["alive"] == 1 and stats["replaced"] == {} and stats["jobs"] == 9


def _fields(result: ExtractResult) -> tuple:
    return result.text, result.status, result.reason


def test_one_worker_process_serves_many_jobs_and_runs_the_hook(make_pool, files):
    pool = make_pool(postprocess=f"{HOOKS}:identify")
    posts = [pool.extract(path, mime, post_args={"lang": "en", "n": i}) for i, (path, mime) in
             enumerate(list(files.values()) * 2)]
    pids = {post.post["pid"] for post in posts}
    assert len(pids) == 1 and os.getpid() not in pids, "the hook runs in the one worker, not here"
    assert pids == set(pool.stats()["pids"])
    (pid,) = pids
    for i, result in enumerate(posts):
        assert result.ok and result.post == {"pid": pid, "length": len(result.text), "kwargs": {"lang": "en", "n": i}}
    assert pool.stats()["started"] == 1


def test_worker_runs_sandboxed(make_pool, files):
    """Limits applied by the worker itself, the minimal environment, and no descriptor but /dev/null and pipes."""
    pool = make_pool(memory_mb=512, cpu_seconds=3, max_jobs=10)
    pool.prestart()
    assert pool.extract(*files["pdf"]).ok
    (pid,) = pool.stats()["pids"]
    limits = {line[:26].strip(): line[26:].split()[:2] for line in
              Path(f"/proc/{pid}/limits").read_text().splitlines()[1:]}
    assert limits["Max address space"] == [str(512 << 20)] * 2
    assert limits["Max core file size"] == ["0", "0"]
    assert limits["Max file size"] == ["0", "0"]
    soft, hard = (int(v) for v in limits["Max cpu time"])
    assert hard == cpu_budget(3, 10)
    assert 3 <= soft <= 3 + 2  # CPU used so far (rounded up) + 3 s for the next job
    environ = dict(item.split("=", 1) for item in Path(f"/proc/{pid}/environ").read_text().split("\0") if item)
    assert environ == child_env()
    assert Path(f"/proc/{pid}/cwd").resolve() == PACKAGE_ROOT
    targets = [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
    assert targets and all(t == "/dev/null" or t.startswith("pipe:") for t in targets), targets
    assert os.readlink(f"/proc/{pid}/fd/0") == os.readlink(f"/proc/{pid}/fd/1") == "/dev/null"


# --------------------------------------------------------------------------------------------------------------
# A bad file costs one job and one worker, never the next file
# --------------------------------------------------------------------------------------------------------------


@pytest.mark.slow  # building the 1 GiB bomb takes a few seconds
def test_memory_bomb_fails_alone_and_the_next_file_gets_a_new_worker(make_pool, files, tmp_path):
    pool = make_pool(memory_mb=256)
    assert pool.extract(*files["pdf"]).ok
    (first,) = pool.stats()["pids"]
    bomb = pool.extract(ff.make_pdf_stream_bomb(tmp_path / "bomb.pdf"), PDF)
    assert bomb == PoolResult("", "unavailable", "extraction needed more than 256 MB of memory")
    after = pool.extract(*files["pdf"])
    assert after == PoolResult(extract_text(*files["pdf"]), "ok")
    stats = pool.stats()
    assert stats["started"] == 2 and sum(stats["replaced"].values()) == 1 and stats["pids"] != [first]
    assert _gone(first)


def test_memory_error_in_the_worker_retires_it(make_pool, files):
    pool = make_pool(memory_mb=256, postprocess=f"{HOOKS}:hog_memory")
    result = pool.extract(*files["txt"])
    assert result == PoolResult(extract_text(*files["txt"]), "ok", None, None)  # the text stands, post is lost
    assert pool.stats()["replaced"] == {"memory": 1} and pool.stats()["alive"] == 0
    assert pool.extract(*files["pdf"]).ok
    assert pool.stats()["started"] == 2


def test_a_crashing_worker_fails_its_job_only(make_pool, files):
    pool = make_pool(postprocess=f"{HOOKS}:segfault")
    assert pool.extract(*files["txt"]) == PoolResult("", "unavailable", "the extractor crashed (SIGSEGV)")
    assert pool.stats()["replaced"] == {"crash": 1}
    missing = pool.extract("/nonexistent/x.pdf", PDF)  # the hook only runs after a successful extraction
    assert missing.reason == extract_once("/nonexistent/x.pdf", PDF).reason
    assert pool.stats()["started"] == 2


def test_wall_clock_timeout_and_recovery(make_pool, files, tmp_path):
    pool = make_pool(timeout=0.3)
    pool.prestart()
    started = time.monotonic()
    slow = pool.extract(ff.make_many_tj_pdf(tmp_path / "tj.pdf", 1_600_000), PDF)
    assert slow == PoolResult("", "unavailable", "extraction took longer than 0.3 s")
    assert time.monotonic() - started < 1.5
    assert pool.stats()["replaced"] == {"timeout": 1}
    assert pool.extract(*files["txt"]) == PoolResult(extract_text(*files["txt"]), "ok")


@pytest.mark.slow  # a job gets at least a full CPU second, up to two
def test_cpu_limit_per_job_and_recovery(make_pool, files, tmp_path):
    pool = make_pool(cpu_seconds=1, memory_mb=3072)
    assert pool.extract(*files["pdf"]).ok  # a warm worker: the CPU limit is relative to what it used so far
    started = time.monotonic()
    hog = pool.extract(ff.make_many_tj_pdf(tmp_path / "tj.pdf", 5_000_000), PDF)
    assert hog == PoolResult("", "unavailable", "extraction used more than 1 s of CPU time")
    assert time.monotonic() - started < 10
    assert pool.stats()["replaced"] == {"crash": 1}
    assert pool.extract(*files["pdf"]).ok


def test_worker_over_max_rss_is_replaced(make_pool, files):
    pool = make_pool(max_rss_mb=1, postprocess=f"{HOOKS}:identify")
    first = pool.extract(*files["txt"])
    second = pool.extract(*files["txt"])
    assert first.ok and second.ok and first.text == second.text
    assert first.post["pid"] != second.post["pid"]
    stats = pool.stats()
    assert stats["replaced"] == {"rss": 2} and stats["alive"] == 0
    assert _gone(first.post["pid"]) and _gone(second.post["pid"])


def test_worker_retires_after_max_jobs(make_pool, files):
    pool = make_pool(max_jobs=2, postprocess=f"{HOOKS}:identify")
    pids = [pool.extract(*files["txt"]).post["pid"] for _ in range(5)]
    assert pids[0] == pids[1] != pids[2] == pids[3] != pids[4]
    stats = pool.stats()
    assert stats["replaced"] == {"max_jobs": 2} and stats["started"] == 3 and stats["pids"] == [pids[4]]


def test_worker_killed_between_jobs_is_replaced_transparently(make_pool, files):
    pool = make_pool(size=2, postprocess=f"{HOOKS}:identify")
    pool.prestart()
    victims = pool.stats()["pids"]
    for pid in victims:
        os.kill(pid, signal.SIGKILL)
        _wait_until_dead(pid)
    result = pool.extract(*files["pdf"])
    assert result.ok and result.post["pid"] not in victims
    assert pool.stats()["replaced"] == {"dead": 2} and pool.stats()["alive"] == 1


# --------------------------------------------------------------------------------------------------------------
# Threads, hooks, closing, forking
# --------------------------------------------------------------------------------------------------------------


def test_threads_share_two_workers_without_cross_talk(make_pool, tmp_path):
    pool = make_pool(size=2, postprocess=f"{HOOKS}:slow_identify")
    paths = {i: ff.make_txt(tmp_path / f"{i}.txt", f"document number {i} " + "word " * i) for i in range(12)}
    results: dict[int, PoolResult] = {}
    peak = 0
    running = True

    def watch() -> None:
        nonlocal peak
        while running:
            peak = max(peak, pool.stats()["alive"])
            time.sleep(0.002)

    def work(i: int) -> None:
        results[i] = pool.extract(paths[i], TXT, post_args={"delay": 0.02, "tag": i})

    watcher = threading.Thread(target=watch)
    watcher.start()
    threads = [threading.Thread(target=work, args=(i,)) for i in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    running = False
    watcher.join()

    for i, path in paths.items():
        assert results[i].text == extract_text(path, TXT)
        assert results[i].post["start"] == i and results[i].post["length"] == len(results[i].text)
    pids = {result.post["pid"] for result in results.values()}
    assert len(pids) == 2 and peak <= 2
    assert pool.stats()["started"] == 2 and pool.stats()["jobs"] == 12


@pytest.mark.parametrize("hook", ["explode", "not_a_dict", "huge", "no_such_function"])
def test_a_failing_hook_gives_ok_without_post(make_pool, files, caplog, hook):
    pool = make_pool(postprocess=f"{HOOKS}:{hook}")
    with caplog.at_level(logging.WARNING, logger="indexer.pool"):
        for _ in range(2):
            assert pool.extract(*files["txt"], post_args={"a": 1}) == PoolResult(extract_text(*files["txt"]), "ok")
    assert pool.stats()["started"] == 1 and pool.stats()["replaced"] == {}
    warnings = [r.getMessage() for r in caplog.records if r.name == "indexer.pool"]
    assert len(warnings) == 2 and all(hook in w for w in warnings)
    assert all("\n" not in w for w in warnings)


def test_close_stops_every_worker(make_pool, files):
    pool = make_pool(size=3)
    pool.prestart()
    pids = pool.stats()["pids"]
    assert len(pids) == 3
    assert pool.extract(*files["txt"]).ok
    pool.close()
    assert all(_gone(pid) for pid in pids)
    assert pool.stats()["alive"] == 0
    pool.close()  # idempotent
    assert pool.extract(*files["txt"]) == PoolResult("", "unavailable", "the extraction pool is closed")


def test_garbage_collected_pool_stops_its_workers(files):
    pool = ExtractionPool()
    assert pool.extract(*files["txt"]).ok
    (pid,) = pool.stats()["pids"]
    del pool
    import gc

    gc.collect()
    assert _gone(pid)


def test_forked_child_starts_its_own_workers(make_pool, files):
    pool = make_pool(postprocess=f"{HOOKS}:identify")
    parent_worker = pool.extract(*files["txt"]).post["pid"]
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child, which must never return into pytest
        code = 1
        try:
            os.close(read_end)
            result = pool.extract(*files["txt"])
            worker = result.post["pid"]
            parent_of_worker = int(Path(f"/proc/{worker}/stat").read_text().rsplit(")", 1)[1].split()[1])
            report = {"ok": result.ok, "worker": worker, "its_parent": parent_of_worker, "me": os.getpid(),
                      "stats": pool.stats()}
            pool.close()
            report["worker_gone"] = _gone(worker)
            os.write(write_end, json.dumps(report).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as answer:
        report = json.loads(answer.read() or b"{}")
    _pid, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0, report
    assert report["ok"] and report["worker"] != parent_worker
    assert report["its_parent"] == report["me"], "the child's worker is the child's own process"
    assert report["stats"]["started"] == 1 and report["stats"]["pids"] == [report["worker"]]
    assert report["worker_gone"]
    # The parent's pool and worker are untouched.
    again = pool.extract(*files["txt"])
    assert again.ok and again.post["pid"] == parent_worker and not _gone(parent_worker)


# --------------------------------------------------------------------------------------------------------------
# A worker that breaks the protocol cannot fill the parent's memory or hang it
# --------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "reason", "cause"),
    [
        ("overflow", "the extractor produced too much output", "output"),
        ("garbage", "the extractor returned an invalid answer", "protocol"),
        ("noready", "the extractor returned an invalid answer", "protocol"),
        ("stale", "the extractor returned an invalid answer", "protocol"),
        ("silent", "extraction took longer than 0.5 s", "timeout"),
        ("exit", "the extractor failed (exit status 7)", "exit"),
    ],
)
def test_lying_worker(make_pool, files, monkeypatch, mode, reason, cause):
    monkeypatch.setattr(pool_module, "WORKER_MODULE", HOOKS)
    pool = make_pool(timeout=0.5, postprocess=f"liar:{mode}")
    started = time.monotonic()
    assert pool.extract(*files["txt"]) == PoolResult("", "unavailable", reason)
    assert time.monotonic() - started < 2
    assert pool.stats()["replaced"] == {cause: 1} and pool.stats()["alive"] == 0


@pytest.mark.parametrize(("mode", "cause"), [("stderr", None), ("extra", "protocol")])
def test_noisy_worker_still_answers(make_pool, files, monkeypatch, caplog, mode, cause):
    monkeypatch.setattr(pool_module, "WORKER_MODULE", HOOKS)
    pool = make_pool(timeout=5, postprocess=f"liar:{mode}")
    with caplog.at_level(logging.INFO, logger="indexer.pool"):
        assert pool.extract(*files["txt"]) == PoolResult("fine", "ok")
    assert pool.stats()["replaced"] == ({cause: 1} if cause else {})
    if mode == "stderr":
        lines = [r.getMessage() for r in caplog.records if "stderr" in r.getMessage()]
        assert lines and all(len(line) < 400 for line in lines)
