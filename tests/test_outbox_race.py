"""Two appliers of the outbox at once (two web workers, or a web worker and `reindex`): a queued rebuild is done
once, every change is applied, and nothing is left queued."""

from __future__ import annotations

import threading

from conftest import svc
from conftest import text_report
from conftest import upload
from sqlalchemy import func
from sqlalchemy import select

from indexer.index import SearchIndex
from indexer.query import SearchRequest
from repository.data import db
from repository.data.models import IndexOutbox
from repository.services import indexing
from repository.services.indexing import IndexWorker


class CountingIndex(SearchIndex):
    """A real index that counts its full rebuilds (the only thing this test needs to observe)."""

    def __init__(self, root) -> None:
        super().__init__(root)
        self.rebuilds = 0

    def apply(self, upserts, deletes, *, clear=False, timeout=0.0):
        if clear:
            self.rebuilds += 1
        return super().apply(upserts, deletes, clear=clear, timeout=timeout)


def test_a_queued_rebuild_is_done_once_by_racing_appliers(app, client, world):
    partner = world.account("p@alpha.org", "partner", "ALPHA")
    for i in range(40):
        assert upload(client, partner, data=text_report(f"water point visit {i} " * 200), filename=f"r{i}.txt",
                      title=f"Visit {i}").status_code == 201  # fmt: skip
    repo = app.extensions["repo"]
    s = svc(app)
    with db.write(s.session):
        indexing.enqueue_rebuild(s.session)
    s.session.close()

    workers = [IndexWorker(repo.make_session, CountingIndex(repo.index.root), repo.taxonomy) for _ in range(3)]
    start = threading.Barrier(len(workers))

    def run(worker: IndexWorker) -> None:
        start.wait()
        worker.drain(timeout=30.0)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sum(w.index.rebuilds for w in workers) == 1
    with repo.make_session() as session:
        assert session.scalar(select(func.count(IndexOutbox.id))) == 0
    fresh = SearchIndex(repo.index.root)
    assert fresh.search(SearchRequest(text="water"), frozenset({f"org:{partner.org_id}"})).total == 40


def test_the_apply_right_is_held_by_one_at_a_time(tmp_path):
    first, second = SearchIndex(tmp_path), SearchIndex(tmp_path)
    with first.apply_turn(0.0) as held:
        assert held
        with second.apply_turn(0.1) as other:
            assert not other
    with second.apply_turn(0.0) as other:
        assert other
