"""Search and ingest at archive scale, against the raw engine, in one run.

Usage::

    .venv/bin/python bench/search.py --docs 2000,20000      # one fresh instance per size (tens of minutes)
    .venv/bin/python bench/search.py --smoke                # seconds: what `make test` runs

Options: ``--docs N[,N...]`` corpus sizes (text reports of about 1,000 words); ``--pdf N`` / ``--docx N`` PDF and
DOCX reports per size (default: min(docs/10, 200)); ``--queries N`` queries per kind (default 40); ``--uploads N``
upload-to-searchable probes (default 20); ``--jobs N`` passed to ``import`` (default: its own, the number of
cores); ``--workers N`` gunicorn workers (default 2, as ``make run``); ``--seed``; ``--keep DIR`` keeps the
instances there; ``--out FILE`` (default ``bench/results/search-latest.json``).

For each size, on a fresh data folder (SQLite, local files, Whoosh: the embedded default):

1. **Corpus** (``bench/corpus.py``): reports with a long-tail vocabulary, place names of ``taxonomy.yaml`` in
   English and Arabic, phrases; about 15 % in Arabic; plus PDF (several pages each) and DOCX reports.
2. **Instance** through the real command line (``init``, ``org add``, ``user add``, ``token create``) and
   **gunicorn** started as ``make run`` starts it, with request rate limits off (as the README says for benchmarks).
3. **Ingest through the real** ``import`` **while the server runs and answers searches** (a client searches
   twice a second meanwhile): text reports of two organisations, then the PDFs, then the DOCX files; wall-clock
   documents/s and pages/s, with everything searchable when ``import`` returns (it waits for the index).
4. **Review**: every document gets codes (a document type and a theme, as the release gate needs) and a decision
   with a benefit/risk record and its scan findings considered, through the service layer (``Service.update`` and
   ``Service.review``, as the API's routes call them): 40 % public, 25 % restricted, 20 % confidential (half of
   them granted to a second organisation), 10 % strictly confidential (some granted to the staff account), 5 %
   left in review; then one ``reindex``.
5. **Upload-to-searchable** over HTTP on the idle server: a partner uploads a report with a unique word and
   searches for it every 20 ms until it is found.
6. **API search** over HTTP (one keep-alive client), ``per_page=20``, per query kind (``term``, ``phrase``,
   ``boolean``, ``filtered`` by code, organisation, level and dates, ``faceted``) and role (``anonymous``,
   ``partner``, ``staff``, ``coordinator``); each role has its own queries, drawn like the others, so that a timed
   query is new to the engine (frequent words recur, as in life); a warm-up on another set first; p50/p95/p99.
7. **The raw engine** on the same texts (read back from the database) and the same queries (parsed and
   alias-expanded exactly as the app does): a plain Whoosh index with the same analysis, the body stored with
   character positions; ``searcher.search(q, filter=F, limit=20, terms=True)`` where ``F`` is a Whoosh query for
   what the role may see (its access labels) and the request's filters, and the 20 hits highlighted from the
   stored positions (Whoosh's non-re-tokenising ``PinpointFragmenter``), plus Whoosh's own facet counting
   (``groupedby``) for the ``faceted`` kind. Same p50 / p95 / p99, and the ratio API / raw for each cell.
8. **Memory and size**: resident and private memory of every gunicorn worker, of the import process and its
   children, sampled every 0.2 s, peaks reported; index and database size.

The JSON holds every figure and the machine; the table on stdout has ingest, upload-to-searchable, p95 of the API
and of the raw engine per kind and role with their ratio, worker memory and index size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

import corpus as corpus_mod  # noqa: E402
from server_utils import AccountSpec  # noqa: E402
from server_utils import Server  # noqa: E402
from server_utils import command  # noqa: E402
from server_utils import make_instance  # noqa: E402
from server_utils import multipart  # noqa: E402

COORD = AccountSpec("coordinator@pswg.example", "PSWG", "coordinator")
ALPHA = AccountSpec("partner@alpha.example", "ALPHA", "partner")
BETA = AccountSpec("partner@beta.example", "BETA", "partner")
STAFF = AccountSpec("staff@beta.example", "BETA", "staff")
ROLES = {"anonymous": None, "partner": ALPHA, "staff": STAFF, "coordinator": COORD}
KINDS = ("term", "phrase", "boolean", "filtered", "faceted")
CODES = [
    "doc_type:assessment", "doc_type:meeting_minutes", "doc_type:protection_monitoring_report",
    "doc_type:concept_note", "doc_type:situation_report",
]  # fmt: skip
THEMES = ["theme:gbv", "theme:child_protection", "theme:durable_solutions", "theme:detention", "sector:protection"]


# ------------------------------------------------------------------------------------------------------------
# Measuring
# ------------------------------------------------------------------------------------------------------------


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0}
    ordered = sorted(values)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]

    return {"n": len(values), "p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99), "max": ordered[-1]}


def _kb(path: Path, keys: tuple[str, ...]) -> int | None:
    try:
        text = path.read_text()
    except OSError:
        return None
    total = 0
    for line in text.splitlines():
        name, _, rest = line.partition(":")
        if name in keys:
            total += int(rest.split()[0])
    return total


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class MemorySampler:
    """Peak RSS and private memory (MB) per labelled process, sampled every ``interval`` seconds."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.targets: dict[str, callable] = {}
        self.peaks: dict[str, dict[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def watch(self, label: str, pids) -> None:
        self.targets[label] = pids

    def unwatch(self, label: str) -> None:
        self.targets.pop(label, None)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            for label, pids in list(self.targets.items()):
                for pid in pids():
                    rss = _kb(Path(f"/proc/{pid}/status"), ("VmRSS",))
                    private = _kb(Path(f"/proc/{pid}/smaps_rollup"), ("Private_Clean", "Private_Dirty"))
                    anon = _kb(Path(f"/proc/{pid}/smaps_rollup"), ("Anonymous",))
                    if rss is None:
                        continue
                    peak = self.peaks.setdefault(label, {"rss_mb": 0.0, "private_mb": 0.0, "anonymous_mb": 0.0})
                    peak["rss_mb"] = max(peak["rss_mb"], rss / 1024)
                    peak["private_mb"] = max(peak["private_mb"], (private or 0) / 1024)
                    peak["anonymous_mb"] = max(peak["anonymous_mb"], (anon or 0) / 1024)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


# ------------------------------------------------------------------------------------------------------------
# HTTP
# ------------------------------------------------------------------------------------------------------------


class Client:
    """One keep-alive HTTP connection."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, token: str | None, body: bytes | None = None, ctype: str = ""):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if ctype:
            headers["Content-Type"] = ctype
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                return response.status, json.loads(data) if data else None
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def search(self, token: str | None, params: list[tuple[str, str]]):
        return self.request("GET", "/api/v1/search?" + urllib.parse.urlencode(params), token)


# ------------------------------------------------------------------------------------------------------------
# Queries
# ------------------------------------------------------------------------------------------------------------


def query_sets(corpus: corpus_mod.Corpus, n: int, rng: random.Random) -> dict[str, list[list[tuple[str, str]]]]:
    frequent = corpus.frequent_words(60)
    mid = corpus.mid_words(200)
    places = rng.sample(corpus.english_places, min(20, len(corpus.english_places)))
    arabic = [w for w in corpus_mod.ARABIC if len(w) > 3]

    def word() -> str:
        r = rng.random()
        if r < 0.35:
            return rng.choice(frequent)
        if r < 0.75:
            return rng.choice(mid)
        if r < 0.9:
            return rng.choice(places)
        return rng.choice(arabic)

    phrases = corpus_mod.PHRASES + corpus_mod.ARABIC_PHRASES
    sets: dict[str, list[list[tuple[str, str]]]] = {k: [] for k in KINDS}
    for i in range(n):
        sets["term"].append([("q", word())])
        sets["phrase"].append([("q", f'"{rng.choice(phrases)}"')])
        a, b, c = word(), word(), word()
        shape = i % 4
        text = [f"{a} AND {b}", f"{a} OR {b}", f"{a} NOT {b}", f"({a} OR {b}) AND {c}"][shape]
        sets["boolean"].append([("q", text)])
        flt = i % 4
        extra = [
            [("code", rng.choice(CODES))],
            [("org", rng.choice(["ALPHA", "BETA"]))],
            [("level", rng.choice(["public", "restricted", "confidential"]))],
            [("from", f"{rng.randint(2015, 2020)}-01-01"), ("to", f"{rng.randint(2021, 2025)}-12-31")],
        ][flt]
        sets["filtered"].append([("q", word()), *extra])
        if i % 3 == 2:
            sets["faceted"].append([("code", rng.choice(THEMES + ["location:LY", "location:IQ"]))])
        else:
            sets["faceted"].append([("q", word()), ("code", rng.choice(["location:LY", "location:IQ"] + THEMES))])
    for kind in sets:
        for params in sets[kind]:
            params.append(("per_page", "20"))
    return sets


# ------------------------------------------------------------------------------------------------------------
# The phases of one size
# ------------------------------------------------------------------------------------------------------------


def run_import(inst, folder: Path, account: AccountSpec, jobs: int | None, sampler: MemorySampler, label: str):
    args = [command("flask"), "--app", "wsgi", "import", str(folder), "--org", account.org, "--as", account.email]
    if jobs:
        args += ["--jobs", str(jobs)]
    t0 = time.monotonic()
    proc = subprocess.Popen(args, cwd=ROOT, env=inst.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603

    def tree() -> list[int]:
        out, todo = [], [proc.pid]
        while todo:
            pid = todo.pop()
            out.append(pid)
            todo.extend(_children(pid))
        return out

    sampler.watch(label, tree)
    stdout, stderr = proc.communicate()
    seconds = time.monotonic() - t0
    sampler.unwatch(label)
    if proc.returncode != 0:
        raise SystemExit(f"import failed ({proc.returncode}):\n{stdout}\n{stderr[-3000:]}")
    match = re.search(r"Imported (\d+), skipped (\d+) already imported, refused (\d+)\.", stdout)
    if not match or match.group(3) != "0":
        raise SystemExit(f"import refused files:\n{stdout}\n{stderr[-3000:]}")
    return int(match.group(1)), seconds


REVIEW_SCRIPT = r"""
import json, random, sys
from repository import create_app
from repository import protocol
from repository.services import Service
from repository.data import db
app = create_app({"INDEX_MODE": "queued"})
repo = app.extensions["repo"]
args = json.loads(sys.argv[1])
rng = random.Random(args["seed"])
with app.app_context():
    session = db.new_session(app)
    svc = Service(repo, session, ip="bench")
    coordinator = protocol.actor_for(svc.accounts.find_user(args["coordinator"]))
    from sqlalchemy import select
    from repository.data.models import Document
    ids = list(session.scalars(select(Document.id).order_by(Document.id)))
    counts = {}
    for doc_id in ids:
        doc = svc.documents.get(coordinator, doc_id, audit=False)
        codes = [rng.choice(args["doc_types"]), rng.choice(args["themes"])]
        codes += [c for items in (doc.suggested_codes or {}).values() for c in [i["code"] for i in items][:1]]
        svc.documents.update(coordinator, doc_id, {"codes": sorted(set(codes))})
        r = rng.random()
        body = {"action": "release", "rationale": "Benchmark review.", "risks": ["re_identification"],
                "benefits": ["coordination"], "override": "benchmark corpus",
                "considered": protocol.found_kinds(doc.detected or [])}
        if r < 0.40:
            body["level"] = "public"
        elif r < 0.65:
            body["level"] = "restricted"
        elif r < 0.85:
            body["level"] = "confidential"
            if r < 0.75:
                body["grant_orgs"] = [args["grant_org"]]
        elif r < 0.95:
            body["level"] = "strictly_confidential"
            if r < 0.90:
                body["grant_users"] = [args["staff"]]
        else:
            counts["left in review"] = counts.get("left in review", 0) + 1
            continue
        svc.reviews.review(coordinator, doc_id, body)
        counts[body["level"]] = counts.get(body["level"], 0) + 1
    session.close()
print(json.dumps(counts))
"""


def review_all(inst, seed: int) -> tuple[dict, float, float]:
    t0 = time.monotonic()
    arguments = json.dumps(
        {"seed": seed, "coordinator": COORD.email, "grant_org": "BETA", "staff": STAFF.email,
         "doc_types": CODES, "themes": THEMES}
    )  # fmt: skip
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-c", REVIEW_SCRIPT, arguments], cwd=ROOT, env=inst.env, capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise SystemExit(f"review failed:\n{proc.stdout}\n{proc.stderr[-3000:]}")
    review_seconds = time.monotonic() - t0
    t1 = time.monotonic()
    inst.cli("reindex", timeout=7200)
    return json.loads(proc.stdout.strip().splitlines()[-1]), review_seconds, time.monotonic() - t1


def wait_total(client: Client, token: str, total: int, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, body = client.search(token, [("per_page", "1")])
        if status == 200 and body["total"] >= total:
            return
        time.sleep(0.5)
    raise SystemExit(f"the index did not catch up with {total} documents")


def upload_to_searchable(client: Client, token: str, count: int, rng: random.Random) -> list[float]:
    latencies = []
    for i in range(count):
        word = "zq" + "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(10))
        text = f"Follow-up visit {i} about {word}.\n" + " ".join(rng.choice(corpus_mod.ENGLISH) for _ in range(900))
        ctype, body = multipart(
            [("title", f"Follow-up {word}")], [("file", f"follow-up-{word}.txt", text.encode(), "text/plain")]
        )
        t0 = time.monotonic()
        status, answer = client.request("POST", "/api/v1/documents", token, body, ctype)
        if status != 201:
            raise SystemExit(f"upload failed: {status} {answer}")
        while True:
            status, found = client.search(token, [("q", word)])
            if status == 200 and found["total"] == 1:
                break
            if time.monotonic() - t0 > 30:
                raise SystemExit("an upload did not become searchable within 30 s")
            time.sleep(0.02)
        latencies.append(time.monotonic() - t0)
        time.sleep(0.3)  # an idle server between probes
    return latencies


def api_latencies(client: Client, inst, sets, warmup) -> tuple[dict, dict]:
    out: dict[str, dict[str, Any]] = {}
    answers: dict[str, dict[str, Any]] = {}
    for role, account in ROLES.items():
        token = inst.tokens[account.email] if account else None
        for kind in KINDS:
            for params in warmup[kind]:  # warm-up with other queries: the timed ones are new to the server
                client.search(token, params)
            times, totals, errors = [], [], 0
            for params in sets[role][kind]:
                t0 = time.perf_counter()
                status, body = client.search(token, params)
                times.append((time.perf_counter() - t0) * 1000)
                if status != 200:
                    errors += 1
                else:
                    totals.append(body["total"])
            out.setdefault(role, {})[kind] = percentiles(times)
            answers.setdefault(role, {})[kind] = {
                "errors": errors,
                "empty": sum(1 for t in totals if t == 0),
                "median_total": statistics.median(totals) if totals else 0,
            }
    return out, answers


# ------------------------------------------------------------------------------------------------------------
# The raw engine
# ------------------------------------------------------------------------------------------------------------


def raw_engine(inst, sets, warmup, tmp: Path) -> tuple[dict, float]:
    from whoosh import highlight
    from whoosh import index as whoosh_index
    from whoosh import query as Q  # noqa: N812
    from whoosh import sorting
    from whoosh.fields import ID
    from whoosh.fields import KEYWORD
    from whoosh.fields import NUMERIC
    from whoosh.fields import TEXT
    from whoosh.fields import Schema

    from indexer.analysis import text_analyzer
    from indexer.expand import expand_text_query
    from repository import protocol
    from repository.knowledge.coding import alias_lookup
    from repository.knowledge.taxonomy import load_taxonomy

    taxonomy = load_taxonomy(ROOT / "taxonomy.yaml")
    lookup = alias_lookup(taxonomy)
    analyzer = text_analyzer()
    schema = Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, field_boost=3.0),
        summary=TEXT(analyzer=analyzer, field_boost=1.5),
        body=TEXT(analyzer=analyzer, stored=True, chars=True),
        labels=KEYWORD(lowercase=False, scorable=False),
        code_tree=KEYWORD(commas=True, lowercase=False, scorable=False),
        org=ID(),
        level=ID(),
        day=NUMERIC(int, bits=32),
    )
    folder = tmp / "raw-index"
    folder.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(folder), schema)
    db = sqlite3.connect(inst.data_dir / "repository.sqlite3")
    orgs = dict(db.execute("SELECT id, acronym FROM organisations"))
    grants_org: dict[int, set[int]] = {}
    for doc_id, org_id in db.execute("SELECT document_id, org_id FROM org_grants"):
        grants_org.setdefault(doc_id, set()).add(org_id)
    grants_user: dict[int, set[int]] = {}
    for doc_id, user_id in db.execute("SELECT document_id, user_id FROM user_grants"):
        grants_user.setdefault(doc_id, set()).add(user_id)
    codes: dict[int, list[str]] = {}
    for doc_id, code in db.execute("SELECT document_id, code_id FROM document_codes"):
        codes.setdefault(doc_id, []).append(code)
    rows = db.execute(
        "SELECT id, title, summary, text, state, level, org_id, uploaded_by_id, published, uploaded_at FROM documents"
    ).fetchall()
    t0 = time.monotonic()
    writer = ix.writer(limitmb=256)
    for doc_id, title, summary, text, state, level, org_id, uploader, published, uploaded in rows:
        facts = protocol.DocFacts(
            state=state, level=level, org_id=org_id, uploader_id=uploader,
            grant_org_ids=frozenset(grants_org.get(doc_id, ())), grant_user_ids=frozenset(grants_user.get(doc_id, ())),
        )  # fmt: skip
        day = dt.date.fromisoformat(published or uploaded[:10]).toordinal()
        writer.add_document(
            id=str(doc_id),
            title=title or "",
            summary=summary or "",
            body=text or "",
            labels=" ".join(sorted(protocol.labels(facts))),
            code_tree=",".join(sorted(taxonomy.with_ancestors(c for c in codes.get(doc_id, []) if c in taxonomy))),
            org=orgs[org_id],
            level=level or "none",
            day=day,
        )
    writer.commit()
    index_seconds = time.monotonic() - t0

    users = dict(db.execute("SELECT email, id FROM users"))
    org_of = dict(db.execute("SELECT email, org_id FROM users"))
    role_of = dict(db.execute("SELECT email, role FROM users"))
    fragmenter = highlight.PinpointFragmenter(maxchars=300, surround=60, autotrim=True, charlimit=None)
    out: dict[str, dict[str, Any]] = {}
    with ix.searcher() as searcher:
        for role, account in ROLES.items():
            if account is None:
                actor = protocol.ANONYMOUS
            else:
                actor = protocol.Actor(user_id=users[account.email], org_id=org_of[account.email],
                                       role=role_of[account.email])  # fmt: skip
            principals = protocol.principals(actor)
            access = Q.Or([Q.Term("labels", p) for p in sorted(principals)])
            for kind in KINDS:
                times = []
                for timed in (False, True):
                    for params in sets[role][kind] if timed else warmup[kind]:
                        t = time.perf_counter()
                        values: dict[str, list[str]] = {}
                        for key, value in params:
                            values.setdefault(key, []).append(value)
                        q, _also = expand_text_query(values.get("q", [""])[0], schema, lookup)
                        filters = [access]
                        by_facet: dict[str, list[str]] = {}
                        for code in values.get("code", []):
                            by_facet.setdefault(code.partition(":")[0], []).append(code)
                        filters += [Q.Or([Q.Term("code_tree", c) for c in cs]) for cs in by_facet.values()]
                        if "org" in values:
                            filters.append(Q.Or([Q.Term("org", o) for o in values["org"]]))
                        if "level" in values and account is not None:
                            filters.append(Q.Or([Q.Term("level", v) for v in values["level"]]))
                        if "from" in values:
                            first = dt.date.fromisoformat(values["from"][0]).toordinal()
                            last = dt.date.fromisoformat(values["to"][0]).toordinal()
                            filters.append(Q.NumericRange("day", first, last))
                        kwargs: dict[str, Any] = {"filter": Q.And(filters), "limit": 20, "terms": True}
                        if kind == "faceted":
                            kwargs["groupedby"] = {
                                "code_tree": sorting.FieldFacet("code_tree", allow_overlap=True),
                                "org": sorting.FieldFacet("org"),
                                "level": sorting.FieldFacet("level"),
                            }
                        results = searcher.search(q if q is not None else Q.Every(), **kwargs)
                        results.fragmenter = fragmenter
                        for hit in results:
                            hit.highlights("body", top=2)
                        if kind == "faceted":
                            for name in ("code_tree", "org", "level"):
                                results.groups(name)
                        if timed:
                            times.append((time.perf_counter() - t) * 1000)
                out.setdefault(role, {})[kind] = percentiles(times)
    db.close()
    return out, len(rows) / index_seconds if index_seconds else 0.0


# ------------------------------------------------------------------------------------------------------------
# One size
# ------------------------------------------------------------------------------------------------------------


def measure(size: int, opts, base: Path) -> dict[str, Any]:
    rng = random.Random(opts.seed + size)
    corpus = corpus_mod.Corpus(opts.seed)
    work = base / f"size-{size}"
    files = work / "files"
    timings: dict[str, float] = {}
    t = time.monotonic()
    half = size // 2
    corpus_mod.write_text_corpus(corpus, files / "alpha", half)
    corpus_mod.write_text_corpus(corpus, files / "beta", size - half, start=half)
    n_pdf = opts.pdf if opts.pdf is not None else min(max(size // 10, 3), 200)
    n_docx = opts.docx if opts.docx is not None else min(max(size // 10, 3), 200)
    pages = corpus_mod.write_pdf_corpus(corpus, files / "pdf", n_pdf, start=size)
    corpus_mod.write_docx_corpus(corpus, files / "docx", n_docx, start=size + n_pdf)
    timings["corpus_seconds"] = time.monotonic() - t
    print(f"[{size}] corpus written in {timings['corpus_seconds']:.0f} s ({n_pdf} PDFs, {pages} pages)", flush=True)

    inst = make_instance(work / "data", [COORD, ALPHA, BETA, STAFF])
    server = Server(inst, work / "gunicorn.log", workers=opts.workers).start()
    result: dict[str, Any] = {"documents": size, "pdf_files": n_pdf, "pdf_pages": pages, "docx_files": n_docx}
    try:
        with MemorySampler() as sampler:
            sampler.watch("gunicorn worker", lambda: _children(server.proc.pid))
            # searches while the import runs (a person using the server meanwhile)
            stop = threading.Event()
            searched = {"n": 0, "errors": 0}

            def background_searches() -> None:
                client = Client(server.port)
                words = corpus.frequent_words(30)
                while not stop.wait(0.5):
                    status, _ = client.search(inst.tokens[COORD.email], [("q", rng.choice(words))])
                    searched["n"] += 1
                    searched["errors"] += status != 200

            searcher = threading.Thread(target=background_searches, daemon=True)
            searcher.start()
            ingest = {}
            imported_text = 0
            seconds_text = 0.0
            for folder, account in ((files / "alpha", ALPHA), (files / "beta", BETA)):
                n, seconds = run_import(inst, folder, account, opts.jobs, sampler, "import")
                imported_text += n
                seconds_text += seconds
            ingest["text"] = {
                "documents": imported_text,
                "seconds": seconds_text,
                "docs_per_s": imported_text / seconds_text,
            }
            n, seconds = run_import(inst, files / "pdf", ALPHA, opts.jobs, sampler, "import")
            ingest["pdf"] = {"documents": n, "pages": pages, "seconds": seconds, "docs_per_s": n / seconds,
                             "pages_per_s": pages / seconds}  # fmt: skip
            n, seconds = run_import(inst, files / "docx", BETA, opts.jobs, sampler, "import")
            ingest["docx"] = {"documents": n, "seconds": seconds, "docs_per_s": n / seconds}
            stop.set()
            searcher.join(timeout=10)
            ingest["searches_during_import"] = dict(searched)
            result["ingest"] = ingest
            print(f"[{size}] ingest: {ingest['text']['docs_per_s']:.1f} text docs/s, "
                  f"{ingest['pdf']['pages_per_s']:.1f} PDF pages/s", flush=True)  # fmt: skip

            counts, review_seconds, reindex_seconds = review_all(inst, opts.seed)
            result["review"] = {"levels": counts, "review_seconds": review_seconds, "reindex_seconds": reindex_seconds}
            print(f"[{size}] review {review_seconds:.0f} s, reindex {reindex_seconds:.0f} s: {counts}", flush=True)
            client = Client(server.port)
            total = size + n_pdf + n_docx
            wait_total(client, inst.tokens[COORD.email], total)

            latencies = upload_to_searchable(client, inst.tokens[ALPHA.email], opts.uploads, rng)
            result["upload_to_searchable_s"] = percentiles(latencies)
            print(f"[{size}] upload-to-searchable p95 {result['upload_to_searchable_s']['p95']:.2f} s", flush=True)

            # each role gets its own queries (one user's query is new to the engine even if another asked it),
            # and both engines warm up on a separate set
            sets = {role: query_sets(corpus, opts.queries, random.Random(opts.seed * 31 + n)) for n, role in
                    enumerate(ROLES)}  # fmt: skip
            warmup = query_sets(corpus, max(3, opts.queries // 4), random.Random(opts.seed * 31 + 99))
            api, answers = api_latencies(client, inst, sets, warmup)
            result["api_ms"] = api
            result["answers"] = answers
        result["memory_mb"] = sampler.peaks
        result["index_mb"] = folder_mb(inst.data_dir / "index")
        result["database_mb"] = (inst.data_dir / "repository.sqlite3").stat().st_size / 1e6
    finally:
        server.stop()
    raw, raw_docs_per_s = raw_engine(inst, sets, warmup, work)
    result["raw_ms"] = raw
    result["raw_index_docs_per_s"] = raw_docs_per_s
    result["ratio_p95"] = {
        role: {kind: api[role][kind]["p95"] / raw[role][kind]["p95"] for kind in KINDS} for role in ROLES
    }
    result["ratio_p50"] = {
        role: {kind: api[role][kind]["p50"] / raw[role][kind]["p50"] for kind in KINDS} for role in ROLES
    }
    return result


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = _kb(Path("/proc/meminfo"), ("MemTotal",)) or 0
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()  # noqa: S603, S607
    except OSError:
        commit = ""
    return {
        "cpus": os.cpu_count(), "cpu": cpu, "memory_gb": round(mem / 1024 / 1024, 1),
        "python": platform.python_version(), "system": platform.platform(), "date": dt.date.today().isoformat(),
        "commit": commit,
    }  # fmt: skip


def table(report: dict[str, Any]) -> str:
    lines = [
        f"machine: {report['machine']['cpus']} cores, {report['machine']['cpu']}, {report['machine']['memory_gb']} GB"
    ]
    for size, r in report["sizes"].items():
        ing = r["ingest"]
        up = r["upload_to_searchable_s"]
        workers = r["memory_mb"].get("gunicorn worker", {})
        lines.append(
            f"\n{size} documents: ingest {ing['text']['docs_per_s']:.1f} text docs/s, {ing['pdf']['pages_per_s']:.1f} "
            f"PDF pages/s, {ing['docx']['docs_per_s']:.1f} DOCX docs/s; upload-to-searchable p95 {up['p95']:.2f} s; "
            f"worker peak RSS {workers.get('rss_mb', 0):.0f} MB (private {workers.get('private_mb', 0):.0f} MB); "
            f"index {r['index_mb']:.0f} MB"
        )
        lines.append(
            f"{'role':<12} {'kind':<9} {'API p50':>8} {'API p95':>8} {'raw p50':>8} {'raw p95':>8} {'p95 ratio':>9}"
        )
        for role in ROLES:
            for kind in KINDS:
                a, w = r["api_ms"][role][kind], r["raw_ms"][role][kind]
                lines.append(
                    f"{role:<12} {kind:<9} {a['p50']:8.1f} {a['p95']:8.1f} {w['p50']:8.1f} {w['p95']:8.1f} "
                    f"{r['ratio_p95'][role][kind]:9.2f}"
                )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", default="2000")
    parser.add_argument("--pdf", type=int, default=None)
    parser.add_argument("--docx", type=int, default=None)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "search-latest.json")
    parser.add_argument("--smoke", action="store_true", help="a few seconds: 30 reports, 3 PDFs, 3 DOCX, 3 queries")
    opts = parser.parse_args(argv)
    if opts.smoke:
        opts.docs, opts.queries, opts.uploads, opts.workers = "30", 3, 3, 1
        opts.pdf = 3 if opts.pdf is None else opts.pdf
        opts.docx = 3 if opts.docx is None else opts.docx
    sizes = [int(s) for s in opts.docs.split(",") if s.strip()]
    report: dict[str, Any] = {"machine": machine(), "options": {k: str(v) for k, v in vars(opts).items()}, "sizes": {}}
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        base = opts.keep or Path(tmp)
        for size in sizes:
            report["sizes"][str(size)] = measure(size, opts, base)
            # written after each size: a later size that fails leaves the earlier ones' figures
            opts.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
            print(table({**report, "sizes": {str(size): report["sizes"][str(size)]}}), flush=True)
    print(f"\nwritten to {opts.out}")
    print(f"\nwritten to {opts.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
