"""What the near-duplicate look-up costs at 20,000 documents: a SQLite data folder filled with that many documents
(texts of 150-300 words from one vocabulary, with a shared template paragraph, and one near-duplicate per 50),
their signatures and band keys; then ``svc.similarity.similar`` for 200 documents as a coordinator (sees all) and
as a partner (its own organisation's), and the signature of one text. Prints milliseconds (median, p95, max).

    .venv/bin/python bench/similarity_scale.py [--documents 20000]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

WORDS = [f"w{i}" for i in range(5000)]
TEMPLATE = "protection sector working group report prepared by the monitoring team and shared with partners " * 2


def _text(rng: random.Random) -> str:
    return TEMPLATE + " ".join(rng.choice(WORDS) for _ in range(rng.randint(150, 300)))


def main() -> None:
    """Fill, then time the look-ups."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=20000)
    opts = parser.parse_args()
    from sqlalchemy import insert
    from sqlalchemy import select

    from repository import create_app
    from repository import protocol
    from repository.data import db
    from repository.data.models import Document
    from repository.data.models import SimilarityBand
    from repository.data.models import SimilaritySignature
    from repository.data.models import StoredFile
    from repository.knowledge import similarity as sim
    from repository.services import Service

    base = Path(tempfile.mkdtemp(prefix="similarity-scale-"))
    try:
        app = create_app({"DATA_DIR": str(base / "data"), "TESTING": True})
        assert app.test_cli_runner().invoke(args=["init"]).exit_code == 0
        repo = app.extensions["repo"]
        with app.app_context():
            svc = Service(repo, db.new_session(app))
            orgs = [svc.accounts.create_org(protocol.SYSTEM, f"ORG{i}", f"Org {i}") for i in range(10)]
            users = [svc.accounts.create_user(protocol.SYSTEM, f"p{i}@x.org", o.acronym, "partner", "Pw-" + "x" * 20)
                     for i, o in enumerate(orgs)]  # fmt: skip
            coord = svc.accounts.create_user(protocol.SYSTEM, "c@x.org", "ORG0", "coordinator", "Pw-" + "x" * 20)
            rng = random.Random(5)
            t0 = time.monotonic()
            texts: list[str] = []
            with db.write(svc.session):
                for n in range(opts.documents):
                    text = _text(rng) if n % 50 or not texts else texts[-1] + " one more sentence at the end"
                    texts.append(text)
                    sha = f"{n:064x}"
                    svc.session.execute(insert(StoredFile).values(sha256=sha, size=1, mime="text/plain"))
                    k = n % 10
                    state = protocol.RELEASED if n % 3 else protocol.SUBMITTED
                    level = rng.choice(protocol.LEVELS) if state == protocol.RELEASED else None
                    svc.session.execute(insert(Document).values(
                        id=n + 1, title=f"Doc {n}", filename="d.txt", sha256=sha, org_id=orgs[k].id,
                        uploaded_by_id=users[k].id, state=state, level=level, text=text,
                    ))  # fmt: skip
                    sig = sim.signature(text)
                    svc.session.execute(insert(SimilaritySignature).values(
                        document_id=n + 1, signature=sig.to_hex(), shingles=sig.shingles))  # fmt: skip
                    svc.session.execute(insert(SimilarityBand), [
                        {"document_id": n + 1, "band": b, "bucket": key} for b, key in enumerate(sim.band_keys(sig))
                    ])  # fmt: skip
            filled = time.monotonic() - t0
            ids = rng.sample(range(1, opts.documents + 1), 200)
            for who, user in (("coordinator", coord), ("partner", users[3])):
                actor = protocol.actor_for(user)
                times, found = [], 0
                for doc_id in ids:
                    doc = svc.session.get(Document, doc_id)
                    t = time.perf_counter()
                    found += len(svc.similarity.similar(actor, doc))
                    times.append((time.perf_counter() - t) * 1000)
                times.sort()
                p95 = times[int(len(times) * 0.95)]
                print(f"similar() as {who}: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
                      f"max {times[-1]:.1f} ms, {found} named in all")  # fmt: skip
            t = time.perf_counter()
            for text in texts[:200]:
                sim.signature(text)
            print(f"signature of one text: {(time.perf_counter() - t) * 1000 / 200:.1f} ms; "
                  f"{svc.session.scalar(select(SimilarityBand.bucket).limit(1)) and opts.documents * sim.BANDS} "
                  f"band rows; filled {opts.documents} documents in {filled:.0f} s")  # fmt: skip
            svc.session.close()
        db.engine_of(app).dispose()
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
