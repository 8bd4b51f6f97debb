"""The operator's work (the system, from the CLI): rebuilding the search index, moving documents off retired taxonomy
codes, the lookups of a bulk import (what was imported already), and the schema revision readiness compares."""

from __future__ import annotations

import functools
import time
from typing import Any

from sqlalchemy import func
from sqlalchemy import select

from repository.data import db
from repository.data import migrate
from repository.data.models import Document
from repository.data.models import DocumentCode
from repository.data.models import IndexOutbox
from repository.data.models import utcnow
from repository.protocol import Actor
from repository.services import indexing
from repository.services.base import Part
from repository.services.base import ServiceError
from repository.services.records import set_minimum


@functools.cache
def schema_head() -> str:
    """The newest schema revision (the one this code needs), read once per process (new code: new processes)."""
    return migrate.head()


def schema_revisions(engine: Any) -> tuple[str | None, str]:
    """The revision the database's schema is at (None: not stamped) and the one this code needs, for readiness."""
    return migrate.current(engine), schema_head()


class Maintenance(Part):
    """Index rebuilds, taxonomy migration, the import's lookups."""

    def reindex(self, actor: Actor, wait: float = 60.0) -> int:
        """Rebuild the index from the database (system only); returns the number of documents indexed.

        Waits at most ``wait`` seconds for the rebuild to be done, here or by whichever process applies the
        outbox first (a server's background thread may take it up while this one waits for its turn)."""
        self.ctx.require(actor, "reindex")
        with db.write(self.session):
            indexing.enqueue_rebuild(self.session)
        with self.repo.make_session() as session:
            queued = session.scalar(select(func.max(IndexOutbox.id)).where(IndexOutbox.op == "rebuild"))
        deadline = time.monotonic() + wait
        while True:
            self.repo.worker.drain(timeout=max(0.0, min(60.0, deadline - time.monotonic())))
            with self.repo.make_session() as session:
                left = session.scalar(select(func.count(IndexOutbox.id)).where(IndexOutbox.id <= (queued or 0)))
            if not left:
                return self.repo.index.doc_count()
            if time.monotonic() >= deadline:
                raise ServiceError(503, "index_busy", "The index is busy; the rebuild is queued and will run shortly.")
            time.sleep(0.5)

    def migrate_retired_codes(self, actor: Actor, *, dry_run: bool = False) -> dict[str, int]:
        """Move documents from retired taxonomy codes to their replacements (``taxonomy migrate``; system only).

        Returns ``{retired code: number of documents that carry it}``. Unless ``dry_run``, each document is
        changed in the database (its minimum level recomputed), audited as ``update`` and re-indexed through the
        outbox, in batches.
        """
        self.ctx.require(actor, "migrate_codes")
        taxonomy = self.repo.taxonomy
        moves = {c.id: taxonomy.current(c.id) for c in taxonomy.codes.values() if c.retired}
        counts: dict[str, int] = {}
        if not moves:
            return counts
        doc_ids = sorted(
            set(self.session.scalars(select(DocumentCode.document_id).where(DocumentCode.code_id.in_(moves))))
        )
        batch = 200
        for start in range(0, len(doc_ids), batch):
            chunk = doc_ids[start : start + batch]
            docs = list(self.session.scalars(select(Document).where(Document.id.in_(chunk))))
            for doc in docs:
                for old in doc.codes:
                    if old in moves:
                        counts[old] = counts.get(old, 0) + 1
            if dry_run:
                continue
            with db.write(self.session):
                for doc in docs:
                    moved = {old: moves[old] for old in doc.codes if old in moves}
                    new_codes = list(dict.fromkeys(moves.get(c, c) for c in doc.codes))
                    kept = [row for row in doc.code_rows if row.code_id in new_codes]
                    have = {row.code_id for row in kept}
                    doc.code_rows = kept + [DocumentCode(code_id=c) for c in new_codes if c not in have]
                    set_minimum(doc)
                    doc.updated_at = utcnow()
                    self.ctx.audit(
                        actor, "update", doc.id, fields=["codes"], migrated_codes=moved, by="taxonomy migrate"
                    )
                indexing.enqueue(self.session, [d.id for d in docs])
        if not dry_run and doc_ids:
            self.repo.after_index_change(wait=True)
        return dict(sorted(counts.items()))

    def imported_paths(self, org_id: int) -> set[str]:
        """Source paths already imported for an organisation (so a re-run skips them)."""
        return set(
            self.session.scalars(
                select(Document.source_path).where(Document.org_id == org_id, Document.source_path.is_not(None))
            )
        )

    def known_hashes(self) -> set[str]:
        """Digests of every stored document (for import's skip-if-already-imported)."""
        return set(self.session.scalars(select(Document.sha256)))
