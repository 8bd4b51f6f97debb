"""Near-duplicates: each document's MinHash signature and LSH band keys are stored with its text (one row in
``similarity_signatures``, :data:`~repository.knowledge.similarity.BANDS` rows in ``similarity_bands``, whose
``bucket`` is indexed); the near-duplicates of a document are the documents sharing a band key with it, read by one
SQL query that joins the caller's :func:`~repository.protocol.visible_clause`, whose estimated similarity reaches
:data:`~repository.knowledge.similarity.THRESHOLD`.

Band keys in an indexed table rather than an in-memory LSH: every process (web workers, an import's threads, the
CLI) sees the same candidates the moment a transaction commits, nothing has to be rebuilt or invalidated, and the
look-up costs one index probe per band whatever the size of the archive (20,000 documents are 840,000 small rows;
bench/similarity_scale.py measures it).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy.orm import Session

from repository import protocol
from repository.data import db
from repository.data.models import Document
from repository.data.models import SimilarityBand
from repository.data.models import SimilaritySignature
from repository.knowledge import similarity as sim
from repository.knowledge.similarity import Signature
from repository.protocol import Actor
from repository.services.base import Part

#: At most this many near-duplicates are named (the most similar first).
MAX_SIMILAR = 20
#: A band key shared by more documents than this is template text (a cover page, a standard paragraph every
#: report of a partner carries), not a sign of a near-duplicate: it is not followed. A true near-duplicate shares
#: many bands (at similarity 0.5, five of the 42 on average), so it is still found through the others.
MAX_BUCKET = 100


def signature_of(text: str) -> Signature | None:
    """The signature of a document's text (computed before the write transaction: it costs a few milliseconds)."""
    return sim.signature(text)


def record(session: Session, document_id: int, signature: Signature | None) -> None:
    """Store (or replace) a document's signature and band keys, in the caller's write transaction; ``None`` (a text
    too short to compare) removes them."""
    session.execute(delete(SimilarityBand).where(SimilarityBand.document_id == document_id))
    session.execute(delete(SimilaritySignature).where(SimilaritySignature.document_id == document_id))
    if signature is None:
        return
    session.add(SimilaritySignature(document_id=document_id, signature=signature.to_hex(), shingles=signature.shingles))
    session.add_all(
        SimilarityBand(document_id=document_id, band=band, bucket=key)
        for band, key in enumerate(sim.band_keys(signature))
    )


class Similarity(Part):
    """The near-duplicates of a document among the documents the caller may see."""

    def similar(
        self, actor: Actor, doc: Document, limit: int = MAX_SIMILAR, *, titles: bool = False
    ) -> list[dict[str, Any]]:
        """``[{"id", "similarity"}]``, most similar first: the documents ``actor`` may see whose text is a
        near-duplicate of ``doc``'s (the caller must already be allowed to see ``doc``); with ``titles`` each item
        also has the document's ``title`` (for a page)."""
        own = self.session.get(SimilaritySignature, doc.id)
        if own is None:
            return []
        keys = self.session.scalars(select(SimilarityBand.bucket).where(SimilarityBand.document_id == doc.id)).all()
        members = self.session.execute(
            select(SimilarityBand.bucket, SimilarityBand.document_id).where(
                SimilarityBand.bucket.in_(keys), SimilarityBand.document_id != doc.id
            )
        ).all()
        size = Counter(bucket for bucket, _id in members)
        candidates = sorted({other for bucket, other in members if size[bucket] <= MAX_BUCKET})
        if not candidates:
            return []
        rows = self.session.execute(
            select(SimilaritySignature.document_id, SimilaritySignature.signature, Document.title)
            .join(Document, Document.id == SimilaritySignature.document_id)
            .where(SimilaritySignature.document_id.in_(candidates), protocol.visible_clause(actor, Document))
        ).all()
        scores = sim.similarities(Signature.from_hex(own.signature), [value for _id, value, _title in rows])
        found = []
        for (other_id, _value, title), score in zip(rows, scores, strict=True):
            if score >= sim.THRESHOLD:
                found.append({"id": other_id, "similarity": round(score, 2)} | ({"title": title} if titles else {}))
        found.sort(key=lambda item: (-item["similarity"], item["id"]))
        return found[:limit]

    def backfill(self, batch: int = 200) -> int:
        """Compute the signature of every document that has none (documents from before revision 0005, or whose
        text was too short); returns how many were added. Safe to interrupt and repeat."""
        added = 0
        last = 0
        while True:
            rows = self.session.execute(
                select(Document.id, Document.text)
                .where(Document.id > last, ~Document.id.in_(select(SimilaritySignature.document_id)))
                .order_by(Document.id)
                .limit(batch)
            ).all()
            if not rows:
                return added
            signatures = [(doc_id, signature_of(text or "")) for doc_id, text in rows]
            with db.write(self.session):
                for doc_id, sig in signatures:
                    if sig is not None:
                        record(self.session, doc_id, sig)
                        added += 1
            last = rows[-1][0]
