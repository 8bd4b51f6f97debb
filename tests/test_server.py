"""End-to-end tests against a real gunicorn with three worker processes, on an instance set up through the real
command line (``flask --app wsgi init``, ``org add``, ``user add``, ``token create``).

They check what the outbox design promises across processes: concurrent uploads all succeed and all become
searchable, with no lock error anywhere; a SIGKILL of the whole server loses nothing that was acknowledged; and
``reindex`` on a running, populated instance changes no search answer.
"""

from __future__ import annotations

import hashlib
import http.client
import random
import signal
import string
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from conftest import instance_database
from conftest import start_app
from conftest import stop_app
from server_utils import AccountSpec
from server_utils import Instance
from server_utils import Server
from server_utils import api_json
from server_utils import log_problems
from server_utils import make_instance
from server_utils import request
from server_utils import search
from server_utils import upload

pytestmark = pytest.mark.slow

SEARCH_DEADLINE = 30.0  # seconds within which an acknowledged upload must be searchable


def word(rng: random.Random, n: int = 10) -> str:
    """A made-up word (letters only) that no stemmer or stop list will touch, and no other test will use."""
    return "zq" + "".join(rng.choice(string.ascii_lowercase) for _ in range(n))


def report_bytes(common: str, unique: str, n: int = 1) -> bytes:
    """A small plain-text report: a shared word for the run, a word of its own."""
    return (
        f"Protection monitoring report {common}.\n"
        f"Observations of the week: {unique} was recorded at the community centre.\n"
        "Referrals were made to the relevant services.\n" * n
    ).encode()


def ids_for(base: str, token: str | None, q: str) -> tuple[int, set[int]]:
    """Every id a query returns for ``token`` (all pages), and the total it announces."""
    ids: set[int] = set()
    page = 1
    total = 0
    while True:
        status, body = search(base, token, {"q": q, "per_page": "100", "page": str(page), "sort": "date"})
        assert status == 200, body
        total = body["total"]
        ids.update(h["id"] for h in body["hits"])
        if page * 100 >= total:
            return total, ids
        page += 1


def wait_searchable(base: str, token: str, q: str, expected: set[int], deadline_s: float) -> float:
    """Poll until ``q`` returns every id of ``expected``; return the seconds it took (fail after the deadline)."""
    start = time.monotonic()
    found: set[int] = set()
    while True:
        _total, found = ids_for(base, token, q)
        if expected <= found:
            return time.monotonic() - start
        if time.monotonic() - start > deadline_s:
            missing = sorted(expected - found)
            raise AssertionError(
                f"{len(missing)} of {len(expected)} acknowledged documents not searchable after {deadline_s} s: "
                f"{missing[:20]}"
            )
        time.sleep(0.2)


def assert_clean_log(server: Server) -> None:
    problems = log_problems(server.log_text())
    assert not problems, "server log shows lock errors or tracebacks:\n" + "\n-----\n".join(problems[:5])


@pytest.fixture
def servers():
    """Servers started by a test; every one is killed (whole process group) at teardown."""
    started: list[Server] = []
    yield started
    for server in started:
        server.kill()


def start(servers: list[Server], inst: Instance, log_name: str) -> Server:
    server = Server(inst, inst.data_dir.parent / log_name, workers=3)
    servers.append(server)
    return server.start()


PARTNER = AccountSpec("partner@alpha.example", "ALPHA", "partner")


# ----------------------------------------------------------------------------------------------------------------
# 1. Concurrent uploads
# ----------------------------------------------------------------------------------------------------------------


def test_concurrent_uploads_all_succeed_and_become_searchable(tmp_path, servers, record_property):
    """48 uploads from 12 concurrent clients against gunicorn with 3 workers: all 201, all searchable within
    30 s, no lock error in any log."""
    rng = random.Random()
    inst = make_instance(tmp_path / "data", [PARTNER], **instance_database())
    server = start(servers, inst, "gunicorn-concurrent.log")
    token = inst.tokens[PARTNER.email]
    common = word(rng)
    files = [(f"report-{i:02d}.txt", word(rng), i) for i in range(48)]

    def one(item: tuple[str, str, int]) -> tuple[int, Any, str, float]:
        filename, unique, i = item
        data = report_bytes(common, unique, n=1 + i % 5)
        status, body = upload(
            server.base,
            token,
            data,
            filename,
            fields=[("title", f"Weekly report {i} {unique}"), ("published", "2025-03-01")],
            ctype="text/plain",
        )
        return status, body, unique, time.monotonic()

    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(one, files))
    upload_seconds = time.monotonic() - t0

    statuses = [r[0] for r in results]
    assert statuses == [201] * 48, [(s, b) for s, b, _, _ in results if s != 201][:5]
    by_word = {unique: body["id"] for _, body, unique, _ in results}
    assert len(set(by_word.values())) == 48

    to_searchable = wait_searchable(server.base, token, common, set(by_word.values()), SEARCH_DEADLINE)

    # each file is found by its own word, and only it
    def own(pair: tuple[str, int]) -> tuple[str, int, set[int]]:
        unique, doc_id = pair
        _total, found = ids_for(server.base, token, unique)
        return unique, doc_id, found

    with ThreadPoolExecutor(max_workers=6) as pool:
        for unique, doc_id, found in pool.map(own, by_word.items()):
            assert found == {doc_id}, (unique, doc_id, found)

    assert server.proc is not None and server.proc.poll() is None, "gunicorn died"
    assert_clean_log(server)

    throughput = 48 / upload_seconds
    record_property("uploads_per_second", round(throughput, 2))
    record_property("seconds_to_searchable_after_last_upload", round(to_searchable, 2))
    print(
        f"\n[concurrent] 48 uploads in {upload_seconds:.2f} s ({throughput:.1f}/s, 12 clients, 3 workers); "
        f"all searchable {to_searchable:.2f} s after the last 201"
    )


# ----------------------------------------------------------------------------------------------------------------
# 2. SIGKILL in the middle of a stream of uploads
# ----------------------------------------------------------------------------------------------------------------


def test_sigkill_loses_no_acknowledged_upload(tmp_path, servers, record_property):
    """SIGKILL of the server (master and workers) in the middle of a stream of uploads loses nothing acknowledged
    with 201: after a restart each of those documents downloads intact and becomes searchable without a manual
    reindex."""
    rng = random.Random()
    inst = make_instance(tmp_path / "data", [PARTNER], **instance_database())
    server = start(servers, inst, "gunicorn-before-kill.log")
    token = inst.tokens[PARTNER.email]
    common = word(rng)

    acked: dict[int, tuple[str, str]] = {}  # id -> (sha256 of the bytes sent, unique word)
    cut_off: list[str] = []  # requests that got no answer (the server was killed under them)
    refused: list[str] = []  # answers other than 201
    lock = threading.Lock()
    stop = threading.Event()

    def uploader(n: int) -> None:
        local = random.Random()
        i = 0
        while not stop.is_set():
            unique = word(local)
            data = report_bytes(common, unique, n=1 + i % 4)
            i += 1
            try:
                status, body = upload(
                    server.base, token, data, f"stream-{n}-{i}.txt", fields=[("title", f"Stream {n}.{i}")],
                    ctype="text/plain", timeout=30,
                )
            except (OSError, http.client.HTTPException) as exc:  # the server died under it: not acknowledged
                with lock:
                    cut_off.append(type(exc).__name__)
                time.sleep(0.05)
                continue
            with lock:
                if status == 201:
                    acked[body["id"]] = (hashlib.sha256(data).hexdigest(), unique)
                else:
                    refused.append(f"{status} {body}")

    threads = [threading.Thread(target=uploader, args=(n,), daemon=True) for n in range(6)]
    for t in threads:
        t.start()
    t0 = time.monotonic()
    time.sleep(2.0)
    while len(acked) < 5 and time.monotonic() - t0 < 10:  # make sure the stream is well under way
        time.sleep(0.1)
    server.send_signal(signal.SIGKILL)  # to the process group: master, workers, extraction children
    stop.set()
    kill_at = time.monotonic()
    server.kill()  # wait until every process of the group is gone
    kill_wait = time.monotonic() - kill_at
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    acknowledged = dict(acked)
    assert acknowledged, "no upload was acknowledged before the kill"
    assert not refused, f"uploads refused before the kill: {refused[:5]}"
    assert_clean_log(server)
    lock_files = sorted(str(p.relative_to(inst.data_dir)) for p in (inst.data_dir / "index").rglob("*LOCK*"))

    restarted = start(servers, inst, "gunicorn-after-kill.log")
    status, _, body = request("GET", f"{restarted.base}/healthz")
    assert status == 200, body

    def check(item: tuple[int, tuple[str, str]]) -> None:
        doc_id, (digest, _unique) = item
        status, headers, data = request(
            "GET", f"{restarted.base}/api/v1/documents/{doc_id}/file", headers={"Authorization": f"Bearer {token}"}
        )
        assert status == 200, (doc_id, status, data[:300])
        assert hashlib.sha256(data).hexdigest() == digest, f"document {doc_id} downloads different bytes"
        status, meta = api_json("GET", restarted.base, f"/api/v1/documents/{doc_id}", token)
        assert status == 200 and meta["sha256"] == digest, (doc_id, status, meta)

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(check, acknowledged.items()))

    to_searchable = wait_searchable(restarted.base, token, common, set(acknowledged), SEARCH_DEADLINE)
    # and each by its own word
    for doc_id, (_digest, unique) in list(acknowledged.items())[:20]:
        assert ids_for(restarted.base, token, unique)[1] == {doc_id}

    # the restarted server still takes uploads, and they become searchable too
    fresh = word(rng)
    status, body = upload(restarted.base, token, report_bytes(common, fresh), "after.txt", ctype="text/plain")
    assert status == 201, body
    wait_searchable(restarted.base, token, fresh, {body["id"]}, SEARCH_DEADLINE)
    assert_clean_log(restarted)
    in_repository, _ = ids_for(restarted.base, token, common)

    record_property("acknowledged_before_kill", len(acknowledged))
    record_property("survived", len(acknowledged))
    print(
        f"\n[sigkill] {len(acknowledged)} uploads acknowledged before SIGKILL, {len(cut_off)} cut off; "
        f"all {len(acknowledged)} intact after restart and searchable within {to_searchable:.2f} s; "
        f"{in_repository - 1 - len(acknowledged)} more committed without an answer; "
        f"lock files left in the index folder: {lock_files or 'none'}; group gone {kill_wait:.2f} s after SIGKILL"
    )


# ----------------------------------------------------------------------------------------------------------------
# 3. reindex on a populated, running instance
# ----------------------------------------------------------------------------------------------------------------

ALPHA = PARTNER
BETA = AccountSpec("partner@beta.example", "BETA", "partner")
STAFF = AccountSpec("staff@beta.example", "BETA", "staff")
COORD = AccountSpec("coordinator@alpha.example", "ALPHA", "coordinator")  # two organisations: a shorter setup
ROLES = {"anonymous": None, "staff": STAFF, "partner": ALPHA, "partner-beta": BETA, "coordinator": COORD}

CODES = [
    ["doc_type:assessment", "theme:gbv", "location:LY0101"],
    ["doc_type:meeting_minutes", "theme:child_protection", "location:LY0102"],
    ["doc_type:protection_monitoring_report", "sector:protection", "location:LY02"],
    ["doc_type:concept_note", "theme:gbv", "location:IQ"],
    ["doc_type:dataset", "population:idp"],  # every fifth document is released: coded as the release gate needs
]
# (review action, level, grant_orgs, grant_users); None: stays submitted
FATES: list[tuple[str, str | None, list[str], list[str]] | None] = [
    ("release", "public", [], []),
    ("release", "restricted", [], []),
    ("release", "confidential", [], []),
    ("release", "confidential", ["BETA"], []),
    ("release", "strictly_confidential", [], []),
    ("release", "strictly_confidential", [], [STAFF.email]),
    ("return", None, [], []),
    ("withhold", None, [], []),
    None,
    ("release", "public", [], []),
]


def populate(base: str, inst: Instance, tmp_path: Path, rng: random.Random) -> tuple[dict[str, str], list[int]]:
    """30 documents by two partner organisations, released at every level (some with grants), returned,
    withheld or left submitted. Returns the vocabulary used and the ids."""
    from filefactory import make_pdf

    vocab = {name: word(rng) for name in ("common", "red", "blue", "green", "phrase1", "phrase2", "nowhere")}
    colours = ["red", "blue", "green"]
    items = []
    for i in range(30):
        colour = vocab[colours[i % 3]]
        body = (
            f"Protection monitoring report {vocab['common']} number {i}. "
            + f"The {colour} team visited site {i}. " * (1 + i % 4)
            + (f"{vocab['phrase1']} {vocab['phrase2']} " if i % 5 == 0 else f"{vocab['phrase2']} {vocab['phrase1']} ")
            + "Referrals were made to health and legal services. " * (1 + i % 3)
        )
        uploader = BETA if i % 4 == 3 else ALPHA
        if i % 6 == 0:
            path = make_pdf(tmp_path / "pdf" / f"report-{i}.pdf", [body, f"Annex {i}"])
            data, filename, ctype = path.read_bytes(), path.name, "application/pdf"
        else:
            data, filename, ctype = body.encode(), f"report-{i}.txt", "text/plain"
        fields = [
            ("title", f"Report {i} {colour}" + (f" {vocab['common']}" if i % 7 == 0 else "")),
            ("summary", f"Summary of visit {i}." + (f" {colour} {colour}" if i % 2 else "")),
            ("published", f"2025-{1 + i % 12:02d}-{1 + i % 27:02d}"),
        ] + [("codes", c) for c in CODES[i % len(CODES)]]
        items.append((i, uploader, data, filename, ctype, fields))

    def up(item):
        i, uploader, data, filename, ctype, fields = item
        status, body = upload(base, inst.tokens[uploader.email], data, filename, fields=fields, ctype=ctype)
        assert status == 201, (i, status, body)
        return body["id"]

    with ThreadPoolExecutor(max_workers=6) as pool:
        ids = list(pool.map(up, items))

    def review(pair):
        i, doc_id = pair
        fate = FATES[i % len(FATES)]
        if fate is None:
            return
        action, level, grant_orgs, grant_users = fate
        payload: dict[str, Any] = {"action": action, "rationale": f"Reviewed in test, document {i}."}
        if action == "release":
            payload.update(level=level, grant_orgs=grant_orgs, grant_users=grant_users, override="test release")
            payload.update(risks=["re_identification"], benefits=["coordination"])
        status, body = api_json("POST", base, f"/api/v1/documents/{doc_id}/review", inst.tokens[COORD.email], payload)
        assert status == 200, (i, doc_id, status, body)
        assert body["state"] == {"release": "released", "return": "returned", "withhold": "withheld"}[action]

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(review, enumerate(ids)))
    return vocab, ids


def query_set(vocab: dict[str, str]) -> list[list[tuple[str, str]]]:
    c = vocab["common"]
    return [
        [],
        [("per_page", "100")],
        [("q", c), ("per_page", "100")],
        [("q", c), ("per_page", "100"), ("sort", "date")],
        [("q", c), ("per_page", "7"), ("page", "2"), ("sort", "date")],
        [("q", c), ("per_page", "10")],  # the first page by relevance: which documents make it
        [("q", vocab["red"]), ("per_page", "100")],
        [("q", f"{vocab['red']} OR {vocab['blue']}"), ("per_page", "100")],
        [("q", f"{c} NOT {vocab['green']}"), ("per_page", "100")],
        [("q", f"({vocab['red']} OR {vocab['green']}) AND {c}"), ("per_page", "100")],
        [("q", f'"{vocab["phrase1"]} {vocab["phrase2"]}"'), ("per_page", "100")],
        [("q", vocab["nowhere"])],
        [("code", "theme:gbv"), ("per_page", "100")],
        [("code", "location:LY01"), ("per_page", "100")],
        [("code", "location:LY"), ("code", "location:IQ"), ("per_page", "100")],
        [("level", "confidential"), ("per_page", "100")],
        [("level", "public"), ("level", "restricted"), ("per_page", "100")],
        [("org", "BETA"), ("per_page", "100")],
        [("q", c), ("from", "2025-03-01"), ("to", "2025-08-31"), ("per_page", "100"), ("sort", "date")],
        [("q", "referrals health"), ("code", "doc_type:assessment"), ("per_page", "100")],
    ]


def answers(base: str, inst: Instance, queries: list[list[tuple[str, str]]]) -> dict[tuple[str, int], Any]:
    """(role, query number) -> (status, total, ids in order, facets)."""
    out: dict[tuple[str, int], Any] = {}
    for role, account in ROLES.items():
        token = inst.tokens[account.email] if account else None
        for n, params in enumerate(queries):
            status, body = search(base, token, params)
            assert status == 200, (role, params, status, body)
            out[(role, n)] = (status, body["total"], [h["id"] for h in body["hits"]], body["facets"])
    return out


def content(answer: tuple) -> tuple:
    """An answer without the order of its hits: status, total, the set of ids, facets."""
    status, total, ids, facets = answer
    return status, total, sorted(ids), facets


def diff(before: dict, after: dict, queries: list, key=lambda a: a) -> list[str]:
    return [
        f"{role} {queries[n]}:\n  before {before[(role, n)]}\n  after  {after[(role, n)]}"
        for (role, n) in after
        if key(before[(role, n)]) != key(after[(role, n)])
    ]


def test_reindex_on_a_populated_instance_changes_no_search_answer(tmp_path, servers, record_property):
    """``reindex`` on a populated instance (while the server runs) changes no search answer, for any role."""
    rng = random.Random()
    t_setup = time.monotonic()
    inst = make_instance(tmp_path / "data", [ALPHA, BETA, STAFF, COORD], **instance_database())
    server = start(servers, inst, "gunicorn-reindex.log")
    t_populate = time.monotonic()
    vocab, ids = populate(server.base, inst, tmp_path, rng)
    t_populated = time.monotonic()
    print(f"\n[reindex] setup {t_populate - t_setup:.1f} s, populate {t_populated - t_populate:.1f} s")

    # everything applied to the index (documents with pending changes are left out of search)
    coord = inst.tokens[COORD.email]
    wait_searchable(server.base, coord, vocab["common"], set(ids), SEARCH_DEADLINE)

    queries = query_set(vocab)
    before = answers(server.base, inst, queries)
    again = answers(server.base, inst, queries)
    assert not diff(before, again, queries), "answers are not stable even without a reindex"
    # the population is what it should be: the roles see different things
    totals = {role: before[(role, 1)][1] for role in ROLES}
    assert totals["coordinator"] == 30
    assert totals["anonymous"] < totals["staff"] < totals["coordinator"]
    assert totals["partner"] != totals["partner-beta"]

    # searches keep answering, with the same answers, while the rebuild runs
    during: list[dict] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            for role, account in (("staff", STAFF), ("anonymous", None)):
                token = inst.tokens[account.email] if account else None
                for n in (0, 2, 12):  # everything, a word, a code
                    try:
                        status, body = search(server.base, token, queries[n])
                        hits = [h["id"] for h in body.get("hits", [])]
                        during.append({(role, n): (status, body.get("total"), hits, body.get("facets"))})
                    except Exception as exc:  # reported below, not lost in a thread
                        during.append({(role, n): (repr(exc), None, [], None)})

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    t0 = time.monotonic()
    try:
        out = inst.cli("reindex", timeout=120)
    finally:
        reindex_seconds = time.monotonic() - t0
        stop.set()
        watcher.join(timeout=60)
    record_property("reindex_seconds", round(reindex_seconds, 2))
    print(f"[reindex] reindex took {reindex_seconds:.2f} s; {len(during)} searches answered while it ran")
    assert out.strip().splitlines()[-1] == "Reindexed 30 documents.", out

    after = answers(server.base, inst, queries)
    assert_clean_log(server)
    # what each role finds (totals, documents, facet counts) must not change, during the rebuild or after it
    changed = diff(before, after, queries, key=content)
    assert not changed, f"{len(changed)} answers changed after reindex:\n" + "\n".join(changed[:8])
    changed_during = [d for answer in during for d in diff(before, answer, queries, key=content)]
    assert not changed_during, "answers differed while the rebuild ran:\n" + "\n".join(changed_during[:8])
    # nor the order of the hits (relevance ranking decides what lands on the first page)
    reordered = diff(before, after, queries)
    assert not reordered, (
        f"{len(reordered)} answers list the same documents in a different order after reindex (relevance "
        "scores count deleted versions of re-indexed documents until a merge, and equal scores fall back to "
        "the index's internal document order):\n" + "\n".join(reordered[:6])
    )
    print(f"[reindex] {len(queries)} queries x {len(ROLES)} roles: same answers after reindex")


# ----------------------------------------------------------------------------------------------------------------
# 4. The race the SIGKILL test exposed, made deterministic (in one process, two outbox workers)
# ----------------------------------------------------------------------------------------------------------------


def test_a_stale_outbox_read_never_deletes_a_newer_row(tmp_path):
    """Two workers read the same pending row; one applies it and deletes it; a new change is then queued; the
    other worker, applying its stale copy, must not delete the new change's row (outbox ids must never be
    reused), so the new document still reaches the index."""
    import io

    from sqlalchemy import delete
    from sqlalchemy import select

    from indexer.index import SearchIndex
    from indexer.query import SearchRequest
    from repository import protocol
    from repository.data import db
    from repository.data.models import IndexOutbox
    from repository.services import Service
    from repository.services.indexing import IndexWorker

    app = start_app(tmp_path / "data", INDEX_MODE="manual")
    repo = app.extensions["repo"]
    make_session = app.extensions["db_sessionmaker"]
    svc = Service(repo, make_session(), ip="test")
    svc.accounts.create_org(protocol.SYSTEM, "ALPHA", "Alpha")
    user = svc.accounts.create_user(
        protocol.SYSTEM, "p@alpha.example", "ALPHA", "partner", "correct horse battery staple"
    )
    actor = protocol.actor_for(user)
    rng = random.Random()
    first_word, second_word = word(rng), word(rng)
    first_id = svc.intake.upload(actor, io.BytesIO(report_bytes("x", first_word)), "first.txt").id

    class Observed(SearchIndex):
        """Says when the worker, having read the row and the document, starts waiting for the lock."""

        applying = threading.Event()

        def apply(self, *args, **kwargs):
            self.applying.set()
            return super().apply(*args, **kwargs)

    # another process's worker (its own index object, so its own lock file descriptor)
    other_index = Observed(repo.index.root)
    other = IndexWorker(make_session, other_index, repo.taxonomy)
    holder = repo.index.ix.writer()  # the index lock is taken: `other` reads the row, then waits for the lock
    waiting = threading.Thread(target=other.drain, kwargs={"timeout": 20})
    try:
        waiting.start()
        assert other_index.applying.wait(20), "the other worker never reached the index"
        with make_session() as s, db.write(s):  # meanwhile the lock holder applied that row and deleted it
            s.execute(delete(IndexOutbox).where(IndexOutbox.document_id == first_id))
        second_id = svc.intake.upload(actor, io.BytesIO(report_bytes("x", second_word)), "second.txt").id
    finally:
        holder.cancel()  # the lock is free: `other` applies its stale copy of the first row
        waiting.join(timeout=30)
    with make_session() as s:
        rows = list(s.scalars(select(IndexOutbox.document_id)))
    repo.worker.drain(timeout=10)
    found = [h["doc"].id for h in svc.listing.search(actor, SearchRequest(text=second_word))["hits"]]
    svc.session.close()
    stop_app(app)
    assert found == [second_id], (
        f"the row queued for document {second_id} was deleted by a worker that applied document {first_id} "
        f"(outbox rows after the stale apply: {rows})"
    )
