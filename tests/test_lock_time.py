"""An upload holds the database's write lock only to record what was already worked out.

Extraction, language detection, the sensitivity scan and the coding suggestions run before the write transaction
starts, so the transaction's length does not follow the text's. The transactions are timed from the engine's own
``begin`` and ``commit`` events on this pass's database (SQLite's ``BEGIN IMMEDIATE`` takes the lock at the start).
The bound is relative, not a fixed number of milliseconds: the longest write transaction of a 300,000-character
upload must be a small part of what analysing that text costs in this same process, which it could not be if the
analysis ran inside it.
"""

from __future__ import annotations

import time

from conftest import upload
from sqlalchemy import event

from repository.knowledge.analysis import analyse

PARAGRAPH = (
    "Protection monitoring visit {i} in Sabha and Ubari: the team met Fatima Ahmed Ali at the community centre; "
    "call +218 91 234 5678 for referrals. Detention conditions in Tripoli remain of concern and GBV referrals "
    "increased among migrants and refugees. زيارة رصد الحماية في سبها وأوباري.\n"
)


def long_text(chars: int, salt: str) -> str:
    """A report of ``chars`` characters with names, telephone numbers and places for the scan and the coding."""
    parts, size, i = [salt + "\n"], 0, 0
    while size < chars:
        parts.append(PARAGRAPH.format(i=i))
        size += len(parts[-1])
        i += 1
    return "".join(parts)[:chars]


def write_transactions(app):
    """Start timing every write transaction of ``app``'s engine; returns the list the durations go to."""
    engine = app.extensions["db_engine"]
    durations: list[float] = []

    @event.listens_for(engine, "begin")
    def _begin(conn):
        if conn.get_execution_options().get("write"):
            conn.info["write_started"] = time.perf_counter()

    @event.listens_for(engine, "commit")
    def _commit(conn):
        started = conn.info.pop("write_started", None)
        if started is not None:
            durations.append(time.perf_counter() - started)

    return durations


def test_upload_write_transaction_does_not_grow_with_the_text(app, client, world):
    partner = world.account("p@ngo.example", "partner", "NGO")
    text = long_text(300_000, "long")
    started = time.perf_counter()
    analysis = analyse(text, "Monitoring", app.extensions["repo"].taxonomy)
    analysis_seconds = time.perf_counter() - started
    assert analysis["detected"], "the text must give the scan something to find"

    durations = write_transactions(app)
    r = upload(client, partner, data=text.encode(), filename="long-monitoring.txt")
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    # the uploader's answer still shows what the scan found and the minimum level it implies
    assert {f["kind"] for f in body["detected"]} >= {"person_name", "phone"}
    assert body["minimum_level"]
    assert durations, "the upload wrote nothing?"
    assert max(durations) < analysis_seconds / 4, (durations, analysis_seconds)

    short = upload(client, partner, data=long_text(2_000, "short").encode(), filename="short.txt")
    assert short.status_code == 201
