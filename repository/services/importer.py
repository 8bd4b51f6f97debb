"""Bulk import of a folder (e.g. a Dropbox export) as submissions of one organisation."""

from __future__ import annotations

import dataclasses
import hashlib
import multiprocessing
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import click

from repository import protocol
from repository.services.base import ServiceError
from repository.services.intake import extraction_pool
from repository.services.service import Service


@dataclass
class ImportSummary:
    """What an import did."""

    imported: int = 0
    skipped: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)


def _files(folder: Path) -> list[Path]:
    out = []
    for root, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(root) / name
            if name.startswith(".") or path.is_symlink() or not path.is_file():
                continue
            out.append(path)
    return out


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


#: During an import the index is committed at most this often (larger commits cost far less per document; nobody
#: is waiting to find one particular file).
IMPORT_COALESCE_SECONDS = 5.0


def default_jobs() -> int:
    """Files imported at once by default: one per core."""
    return max(1, os.cpu_count() or 1)


def run_import(svc: Service, folder: Path, org_acronym: str, as_email: str, jobs: int | None = None) -> ImportSummary:
    """Import every file under ``folder``; files seen before (by path or content) are skipped.

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
    folder = folder.resolve()
    files = _files(folder)
    done_paths = svc.maintenance.imported_paths(org.id)
    hashes = svc.maintenance.known_hashes()
    summary = ImportSummary()
    lock = threading.Lock()
    # The import's own view of the repository: its own extraction workers, and uploads that only queue their
    # index changes (a separate process applies them, see _index_follower).
    repo = dataclasses.replace(
        svc.repo,
        config={**svc.repo.config, "INDEX_MODE": "queued"},
        extractor=extraction_pool(svc.repo.config, jobs),
    )

    def one(path: Path) -> None:
        rel = str(path.relative_to(folder))
        key = f"{org.acronym}:{rel}"
        if key in done_paths:
            with lock:
                summary.skipped += 1
            return
        try:
            digest = _sha256(path)
            with lock:
                seen = digest in hashes
                hashes.add(digest)  # a second copy of the same bytes in this folder is skipped, not extracted twice
                if seen:
                    summary.skipped += 1
            if seen:
                return
            with repo.make_session() as session, open(path, "rb") as fh:
                Service(repo, session, ip=svc.ip).intake.upload(actor, fh, path.name, source_path=key)
            with lock:
                summary.imported += 1
        except ServiceError as exc:
            with lock:
                if exc.code == "duplicate":
                    summary.skipped += 1
                else:
                    summary.refused.append((rel, exc.message))
        except OSError as exc:
            with lock:
                summary.refused.append((rel, f"cannot read the file ({exc.strerror})"))

    background = svc.repo.worker.running
    if background:
        svc.repo.worker.stop()  # the follower process is the import's one index writer
    follower = _start_index_follower(svc.repo.config)
    try:
        with (
            click.progressbar(length=len(files), label="Importing", show_pos=True, file=sys.stderr) as bar,
            ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="import") as pool,
        ):
            for _ in pool.map(one, files):
                bar.update(1)
    finally:
        repo.extractor.close()
        _stop_index_follower(follower)
        if background:
            svc.repo.worker.start()
    summary.refused.sort()
    svc.repo.worker.drain(timeout=60.0)  # whatever the follower left (it stops when told, or if it failed)
    return summary


def _index_follower(config: dict, stop) -> None:
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
    try:
        with index.bulk_writer() as marked:
            worker.bulk = marked
            worker.follow(stop)
            worker.drain(timeout=60.0)
    finally:
        engine.dispose()


def _start_index_follower(config) -> tuple | None:
    keys = ("DATA_DIR", "DATABASE_URL", "TAXONOMY_PATH")
    try:
        context = multiprocessing.get_context("spawn")  # a fresh interpreter: never fork a threaded process
        stop = context.Event()
        process = context.Process(
            target=_index_follower, args=({k: config[k] for k in keys}, stop), name="index-follower", daemon=True
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
