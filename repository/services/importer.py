"""Bulk import of a folder (e.g. a Dropbox export) as submissions of one organisation.

Each file becomes a document in one write transaction that also records its ``source_path`` (``ORG:relative
path``), so an import killed at any point (even ``kill -9``) and run again imports every file exactly once: a file
whose transaction committed is skipped as already imported, one whose transaction had not committed is imported
now (its bytes may already be in the content-addressed store; they are simply stored again under the same name).
``--map`` codes are given at upload, in the same transaction. The per-file report (imported, skipped, refused,
each with why) is written as CSV while the import runs, one line per entry.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import multiprocessing
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import IO

import click
from sqlalchemy import select

from repository import protocol
from repository.data.models import Document
from repository.services.base import ServiceError
from repository.services.import_tree import CodeMap
from repository.services.import_tree import Entry
from repository.services.import_tree import load_map
from repository.services.import_tree import source_key
from repository.services.import_tree import walk
from repository.services.intake import extraction_pool
from repository.services.service import Service

IMPORTED = "imported"
SKIPPED = "skipped"
REFUSED = "refused"
#: The columns of the CSV report.
REPORT_COLUMNS = ("path", "outcome", "reason", "document_id", "sha256", "codes")


@dataclass
class ImportSummary:
    """What an import did: counts, the refusals, and one row per entry of the tree (see :data:`REPORT_COLUMNS`).

    ``skipped`` counts files already imported (by path or content); entries left out without being read (hidden
    and system files, symbolic links) are ``ignored``."""

    imported: int = 0
    skipped: int = 0
    ignored: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)
    report: Path | None = None

    def reasons(self, outcome: str) -> dict[str, int]:
        """How many entries had each reason for ``outcome`` (the reasons' first clause, without ids)."""
        out: dict[str, int] = {}
        for row in self.rows:
            if row["outcome"] == outcome and row["reason"]:
                reason = row["reason"].split(" (", 1)[0]
                out[reason] = out.get(reason, 0) + 1
        return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Report:
    """The CSV report, written (and flushed) one row at a time so an interrupted run leaves what it did."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.fh: IO[str] | None = None
        self.writer = None
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                self.fh = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed by close()
            except OSError as exc:
                message = f"--report {path}: cannot be written ({exc.strerror})."
                raise ServiceError(422, "invalid_value", message) from None
            self.writer = csv.writer(self.fh)
            self.writer.writerow(REPORT_COLUMNS)

    def add(self, row: dict[str, str]) -> None:
        if self.writer is not None and self.fh is not None:
            self.writer.writerow([_cell(row[c]) for c in REPORT_COLUMNS])
            self.fh.flush()

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()


def default_report(data_dir: str | Path) -> Path:
    """Where the CSV report goes when ``--report`` is not given: ``<data folder>/imports/import-<UTC time>.csv``."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return Path(data_dir) / "imports" / f"import-{stamp}.csv"


def _open_nofollow(path: str) -> IO[bytes]:
    """The file at ``path`` for reading, refusing a symbolic link put there since the folder was listed."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    return os.fdopen(os.open(path, flags), "rb")


def _sha256(fh: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: fh.read(1024 * 1024), b""):
        digest.update(chunk)
    fh.seek(0)
    return digest.hexdigest()


#: During an import the index is committed at most this often (larger commits cost far less per document; nobody
#: is waiting to find one particular file).
IMPORT_COALESCE_SECONDS = 5.0


def default_jobs() -> int:
    """Files imported at once by default: one per core."""
    return max(1, os.cpu_count() or 1)


def run_import(
    svc: Service,
    folder: Path,
    org_acronym: str,
    as_email: str,
    jobs: int | None = None,
    *,
    map_file: Path | None = None,
    report: Path | None = None,
) -> ImportSummary:
    """Import every file under ``folder``; files seen before (by path or content) are skipped.

    ``map_file`` (YAML, folder patterns to code ids) gives each file the codes of the patterns its path matches,
    as accepted codes; it is read and checked against the vocabulary before anything is imported. ``report`` is
    the CSV file of the per-file report (none when None).

    ``jobs`` files are handled at once (default: one per core), each by its own thread with its own database
    session and its own sandboxed extraction worker, so extraction and analysis use every core while the
    uploads' short write transactions follow one another. The index is fed through the outbox as usual: the
    background thread commits whatever has accumulated, in batches, and the command waits for it at the end.
    """
    user = svc.accounts.find_user(as_email)
    if user is None or not user.active:
        raise ServiceError(404, "not_found", f"No active account {as_email}.")
    org = svc.accounts.find_org(org_acronym)
    if org is None:
        raise ServiceError(404, "not_found", f"No organisation {org_acronym}.")
    if user.org_id != org.id:
        raise ServiceError(422, "invalid_value", f"{user.email} is not a member of {org.acronym}.")
    actor = protocol.actor_for(user)
    svc.require(actor, "upload")
    jobs = default_jobs() if jobs is None else jobs
    if not 1 <= jobs <= 64:
        raise ServiceError(422, "invalid_value", "--jobs must be a whole number from 1 to 64.")
    code_map = load_map(map_file, svc.repo.taxonomy.unknown) if map_file is not None else CodeMap()
    folder = folder.resolve()
    entries = list(walk(folder))
    done_paths = dict(
        svc.session.execute(
            select(Document.source_path, Document.id).where(
                Document.org_id == org.id, Document.source_path.is_not(None)
            )
        ).all()
    )
    hashes: dict[str, str] = {sha: f"as document {doc_id}" for sha, doc_id in svc.session.execute(
        select(Document.sha256, Document.id)
    ).all()}  # fmt: skip
    acronym = org.acronym  # read before the rollback below expires the object (threads must not load it)
    svc.session.rollback()  # end the read transaction: the threads write on their own sessions
    summary = ImportSummary(report=report)
    out = _Report(report)
    lock = threading.Lock()
    # The import's own view of the repository: its own extraction workers, and uploads that only queue their
    # index changes (a separate process applies them, see _index_follower).
    repo = dataclasses.replace(
        svc.repo,
        config={**svc.repo.config, "INDEX_MODE": "queued"},
        extractor=extraction_pool(svc.repo.config, jobs),
    )

    def note(entry: Entry, outcome: str, reason: str = "", doc_id: int | None = None, sha: str = "",
             codes: list[str] | None = None) -> None:  # fmt: skip
        row = {"path": entry.rel, "outcome": outcome, "reason": reason, "document_id": str(doc_id or ""),
               "sha256": sha, "codes": " ".join(codes or [])}  # fmt: skip
        with lock:
            summary.rows.append(row)
            out.add(row)
            if outcome == IMPORTED:
                summary.imported += 1
            elif outcome == REFUSED:
                summary.refused.append((entry.rel, reason))
            elif entry.skip:
                summary.ignored += 1
            else:
                summary.skipped += 1

    def one(entry: Entry) -> None:
        if entry.skip:
            note(entry, SKIPPED, entry.skip)
            return
        key = source_key(acronym, entry.key)
        if key in done_paths:
            note(entry, SKIPPED, f"already imported (document {done_paths[key]})", done_paths[key])
            return
        codes = code_map.codes_for(entry.rel)
        try:
            with _open_nofollow(entry.path) as fh:
                digest = _sha256(fh)
                with lock:
                    first = hashes.get(digest)
                    if first is None:
                        hashes[digest] = f"as {entry.rel}"  # a second copy here is skipped, not extracted twice
                if first is not None:
                    note(entry, SKIPPED, f"same content ({first})", sha=digest)
                    return
                with repo.make_session() as session:
                    doc = Service(repo, session, ip=svc.ip).intake.upload(
                        actor, fh, entry.name, source_path=key, codes=codes
                    )
                    doc_id, status, why = doc.id, doc.text_status, doc.text_reason
            reason = f"text unavailable ({why})" if status == "unavailable" else ""
            note(entry, IMPORTED, reason, doc_id, digest, codes)
        except ServiceError as exc:
            if exc.code == "duplicate":
                note(entry, SKIPPED, "same content (as a stored document)")
            else:
                note(entry, REFUSED, exc.message)
        except OSError as exc:
            note(entry, REFUSED, f"cannot read the file ({exc.strerror})")

    background = svc.repo.worker.running
    if background:
        svc.repo.worker.stop()  # the follower process is the import's one index writer
    follower = _start_index_follower(svc.repo.config)
    try:
        with (
            click.progressbar(length=len(entries), label="Importing", show_pos=True, file=sys.stderr) as bar,
            ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="import") as pool,
        ):
            for _ in pool.map(one, entries):
                bar.update(1)
    finally:
        out.close()
        repo.extractor.close()
        _stop_index_follower(follower)
        if background:
            svc.repo.worker.start()
    summary.refused.sort()
    svc.repo.worker.drain(timeout=60.0)  # whatever the follower left (it stops when told, or if it failed)
    return summary


def _index_follower(config: dict, stop, parent: int) -> None:
    """Body of the process that applies the index outbox while an import runs (then what is left), so that
    Whoosh's indexing has a core of its own instead of sharing the import's interpreter lock. It needs the
    database, the index and the vocabulary, not the web application."""
    from sqlalchemy.orm import sessionmaker

    from indexer.index import SearchIndex
    from repository.data import db
    from repository.knowledge.taxonomy import load_taxonomy
    from repository.services.indexing import IndexWorker

    engine = db.make_engine(config["DATABASE_URL"])
    index = SearchIndex(Path(config["DATA_DIR"]) / "index")
    index.open()
    worker = IndexWorker(
        sessionmaker(bind=engine, expire_on_commit=False),
        index,
        load_taxonomy(config["TAXONOMY_PATH"]),
        poll=0.2,
        coalesce=IMPORT_COALESCE_SECONDS,
    )
    stop = _UntilOrphaned(stop, parent)
    try:
        with index.bulk_writer() as marked:
            worker.bulk = marked
            worker.follow(stop)
            worker.drain(timeout=60.0)
    finally:
        engine.dispose()


class _UntilOrphaned:
    """The follower's stop signal, also set when the import that started it is gone (killed, even by ``kill -9``):
    an orphaned follower applies what is pending and ends instead of holding the index's bulk mark forever."""

    def __init__(self, stop, parent: int) -> None:
        self.stop = stop
        self.parent = parent

    def is_set(self) -> bool:
        """Whether the import said stop, or has ended."""
        return self.stop.is_set() or os.getppid() != self.parent

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds (in short steps, to notice the import's end); whether it is set."""
        deadline = time.monotonic() + timeout
        while not self.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.stop.wait(min(left, 0.5))
        return True


def _start_index_follower(config) -> tuple | None:
    keys = ("DATA_DIR", "DATABASE_URL", "TAXONOMY_PATH")
    try:
        context = multiprocessing.get_context("spawn")  # a fresh interpreter: never fork a threaded process
        stop = context.Event()
        process = context.Process(
            target=_index_follower,
            args=({k: config[k] for k in keys}, stop, os.getpid()),  # the follower ends when this process is gone
            name="index-follower",
            daemon=True,
        )
        process.start()
    except OSError:
        return None  # the import's final drain applies everything instead
    return process, stop


def _stop_index_follower(follower: tuple | None) -> None:
    if follower is None:
        return
    process, stop = follower
    stop.set()
    process.join(timeout=600)
    if process.is_alive():
        process.kill()
        process.join()
