"""Keeping the search index in step with the database, through a durable outbox.

Every change that affects the index writes an :class:`~repository.data.models.IndexOutbox` row in the same database
transaction as the change. Whichever process holds the Whoosh writer lock applies pending rows in batches, reading
each document's *current* state from the database (so applying a row twice, or out of order, is harmless), and
deletes the rows only after the index commit. Nothing is lost if a process dies: rows stay until applied, and every
process applies what is pending when it starts. No request ever waits on, or sees, a lock error: a process that
finds the lock taken simply leaves the rows to the holder or to its next round.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from indexer.index import IndexBusy
from indexer.index import SearchIndex
from indexer.schema import IndexDoc
from repository import protocol
from repository.data import db
from repository.data.models import Document
from repository.data.models import IndexOutbox
from repository.knowledge.taxonomy import Taxonomy

log = logging.getLogger(__name__)

BATCH = 200
#: How long the background thread leaves the index alone after finding its lock taken by another process.
BUSY_BACKOFF_SECONDS = 2.0


def enqueue(session: Session, document_ids: Iterable[int]) -> None:
    """Record, in the caller's transaction, that these documents must be (re)indexed."""
    for doc_id in dict.fromkeys(document_ids):
        session.add(IndexOutbox(document_id=doc_id, op="upsert"))


def enqueue_rebuild(session: Session) -> None:
    """Record, in the caller's transaction, that the whole index must be rebuilt from the database."""
    session.add(IndexOutbox(document_id=None, op="rebuild"))


def pending_document_ids(session: Session) -> set[int]:
    """Documents whose index entry may be stale; search leaves them out until they are applied."""
    return {i for i in session.scalars(select(IndexOutbox.document_id).where(IndexOutbox.document_id.is_not(None)))}


def to_index_doc(doc: Document, taxonomy: Taxonomy) -> IndexDoc:
    """What the index keeps of a document: text fields, codes (with their ancestors) and access labels."""
    codes = tuple(c for c in doc.codes if taxonomy.get(c) is not None)
    return IndexDoc(
        id=doc.id,
        title=doc.title,
        summary=doc.summary or "",
        body=doc.text or "",
        labels=protocol.index_labels(protocol.facts_of(doc)),  # its audience's and, if discoverable, metadata's
        codes=codes,
        code_tree=tuple(sorted(taxonomy.with_ancestors(codes))),
        org=doc.org.acronym,
        level=doc.level or "",
        state=doc.state,
        language=doc.language or "",
        published=doc.published,
        uploaded_at=doc.uploaded_at,
    )


class IndexWorker:
    """Applies the outbox to the index: on demand (:meth:`drain`) and from a background thread."""

    def __init__(
        self,
        make_session: sessionmaker,
        index: SearchIndex,
        taxonomy: Taxonomy,
        poll: float = 1.0,
        coalesce: float = 0.5,
    ):
        self.make_session = make_session
        self.index = index
        self.taxonomy = taxonomy
        self.poll = poll
        self.coalesce = coalesce
        self.busy = False  # the last drain found the index lock held by another process
        self.bulk = False  # this worker applies a bulk load's changes (see SearchIndex.bulk_writer)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # -- applying -------------------------------------------------------------------------------------------

    def drain(self, timeout: float = 0.0, *, batches: int | None = None) -> int:
        """Apply pending outbox rows (every one, or at most ``batches`` commits of :data:`BATCH`); return how many
        were applied.

        Waits at most ``timeout`` seconds for the index lock; when another process holds it, returns early
        (that process, or the next round, applies the rows).
        """
        # One drain at a time in this process; a request never waits long behind the background thread.
        if not self._lock.acquire(timeout=max(timeout, 0.01)):
            return 0
        try:
            return self._drain_locked(timeout, batches)
        finally:
            self._lock.release()

    def _drain_locked(self, timeout: float, batches: int | None) -> int:
        self.busy = False
        applied = 0
        commits = 0
        while batches is None or commits < batches:
            commits += 1
            # rows are read, applied and deleted under one lock shared by every process: none reads rows that
            # another has applied but not yet deleted
            with self.index.apply_turn(timeout) as held, self.make_session() as session:
                if not held:
                    self.busy = True
                    return applied
                rows = session.scalars(select(IndexOutbox).order_by(IndexOutbox.id).limit(BATCH)).all()
                if not rows:
                    return applied
                # a queued rebuild covers every change before it: do it now rather than those changes one by one
                rebuild_queued = any(r.op == "rebuild" for r in rows) or session.scalar(
                    select(IndexOutbox.id).where(IndexOutbox.op == "rebuild").limit(1)
                )
                try:
                    if rebuild_queued:
                        done_ids = self._rebuild(session, timeout)
                    else:
                        done_ids = self._apply_rows(session, rows, timeout)
                except IndexBusy:
                    self.busy = True
                    return applied
                with db.write(session):
                    session.execute(delete(IndexOutbox).where(IndexOutbox.id.in_(done_ids)))
                applied += len(done_ids)
        return applied

    def _apply_rows(self, session: Session, rows: list[IndexOutbox], timeout: float) -> list[int]:
        doc_ids = sorted({r.document_id for r in rows if r.document_id is not None})
        row_ids = [r.id for r in rows]
        session.rollback()  # read the documents as they are now, after the rows were read
        docs = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(doc_ids)))}
        upserts = [to_index_doc(docs[i], self.taxonomy) for i in doc_ids if i in docs]
        deletes = [i for i in doc_ids if i not in docs]
        self.index.apply(upserts, deletes, timeout=timeout)
        return row_ids

    def _rebuild(self, session: Session, timeout: float) -> list[int]:
        """Rebuild the index from every document; covers every outbox row that existed before it started."""
        max_id = session.scalar(select(func.max(IndexOutbox.id))) or 0
        session.rollback()
        ids = list(session.scalars(select(Document.id).order_by(Document.id)))

        def docs():
            for start in range(0, len(ids), BATCH):
                chunk = ids[start : start + BATCH]
                for doc in session.scalars(select(Document).where(Document.id.in_(chunk))):
                    yield to_index_doc(doc, self.taxonomy)
                session.expunge_all()

        self.index.apply(docs(), [], clear=True, timeout=timeout)
        return list(session.scalars(select(IndexOutbox.id).where(IndexOutbox.id <= max_id)))

    # -- background thread ----------------------------------------------------------------------------------

    def wake(self) -> None:
        """Ask the background thread to apply pending rows now."""
        self._wake.set()

    def start(self) -> None:
        """Start the background thread (once per process). It applies what is pending at once, then whenever
        woken, and every ``poll`` seconds in case another process left rows behind."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="index-outbox", daemon=True)
        self._thread.start()

    @property
    def running(self) -> bool:
        """Whether the background thread runs."""
        return self._thread is not None and self._thread.is_alive()

    def stop(self) -> None:
        """Stop the background thread (used by tests)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        self.follow(self._stop)

    def follow(self, stop: threading.Event) -> None:
        """Apply one commit's worth of rows per round until ``stop`` is set.

        A lone change is applied at once (an upload on a quiet server is searchable within a fraction of a
        second); while changes keep coming (a bulk import), it waits ``coalesce`` seconds between commits so
        that they gather into larger ones: a Whoosh commit costs a few tenths of a second whatever its size, so
        batching is what lets the index keep up."""
        while not stop.is_set():
            applied = 0
            if not self.bulk and self.index.bulk_running():
                # an import's own index process applies every change meanwhile (web uploads included)
                if stop.wait(BUSY_BACKOFF_SECONDS):
                    return
                continue
            try:
                applied = self.drain(timeout=0.5, batches=1)
            except Exception:  # keep the thread alive; rows stay pending and are retried
                log.exception("applying the index outbox failed; will retry")
            if self.busy and stop.wait(BUSY_BACKOFF_SECONDS):
                return  # another process is applying the outbox (an import, a rebuild): leave it the lock
            if applied >= BATCH:
                continue  # a backlog: keep going
            if applied > 1 and stop.wait(self.coalesce):
                return
            if applied:
                continue  # look again at once: if only one change came meanwhile, it is applied without delay
            self._wake.wait(self.poll)
            self._wake.clear()
