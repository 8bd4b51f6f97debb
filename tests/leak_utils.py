"""The set-up the leak tests share: an app of their own (rate limits out of the way), canary words, documents
planted through the API and taken through review steps, and the (who, channel) clients. What each test plants and
who may see it stays written out by hand in the test."""

from __future__ import annotations

import gc
import random
import string
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from audience_cast import make_accounts
from conftest import NONE_IDENTIFIED
from conftest import World
from conftest import database_url
from conftest import login
from conftest import upload

from repository import create_app
from repository.data import db


@contextmanager
def leak_app(tmp_path_factory, name: str, roles: dict[str, tuple[str, str, str]]) -> Iterator[tuple[Any, dict]]:
    """An initialised app on a data folder of its own (and this pass's database), index updated in the request,
    rate limits raised out of the way (they are tested in test_limits.py), and the accounts of ``roles`` (an
    audience_cast table) made in it: (app, accounts by name); the app is stopped afterwards."""
    with database_url() as url:
        app = create_app({
            "DATA_DIR": str(tmp_path_factory.mktemp(name) / "data"),
            "INDEX_MODE": "sync",
            "TESTING": True,
            "RATE_LIMITS": False,  # search, upload, download
            "RATELIMIT_LOGIN_PER_ADDRESS": "100000 per minute",
            "RATELIMIT_LOGIN_PER_ACCOUNT": "100000 per minute",
            **({"DATABASE_URL": url} if url else {}),
        })
        assert app.test_cli_runner().invoke(args=["init"]).exit_code == 0
        try:
            yield app, make_accounts(World(app), roles)
        finally:
            app.extensions["repo"].worker.stop()
            app.extensions["repo"].extractor.close()
            gc.collect()  # unread streamed answers give their connections back before the engine closes them
            db.engine_of(app).dispose()


def canary_word(rng: random.Random) -> str:
    """A random word found nowhere else."""
    return "zq" + "".join(rng.choice(string.ascii_lowercase) for _ in range(10))


def review_steps(client, coordinator_headers: dict, doc_id: int, steps, key: str | None = None) -> None:
    """Each review step in turn (``{"action": ..., "level": ...}``), by the coordinator, with a rationale and no
    risk or benefit identified; each must succeed."""
    for step in steps:
        r = client.post(f"/api/v1/documents/{doc_id}/review", headers=coordinator_headers,
                        json={"rationale": "Reviewed against the ISP.", **NONE_IDENTIFIED, **step})
        assert r.status_code == 200, (key, r.get_json())


def plant_document(client, uploader, coordinator_headers: dict, steps, key: str | None = None, **fields) -> int:
    """Upload a document as ``uploader`` (``fields`` as for conftest.upload), then take it through ``steps``
    (:func:`review_steps`): its id."""
    r = upload(client, uploader, **fields)
    assert r.status_code == 201, (key, r.get_json())
    doc_id = r.get_json()["id"]
    review_steps(client, coordinator_headers, doc_id, steps, key)
    return doc_id


def channels(roles) -> list[tuple[str, str]]:
    """(who, channel) for an anonymous visitor and every role of ``roles``, by HTML session and by API token."""
    return [("anonymous", "html"), ("anonymous", "api")] + [
        (who, ch) for who in sorted(roles) for ch in ("html", "api")
    ]


def channel_client(app, accounts, roles, who: str, channel: str):
    """A client and the headers of ``who`` on ``channel``: logged in for ``html``, a token for ``api``, neither
    for an anonymous visitor."""
    client = app.test_client()
    headers = {}
    if who != "anonymous" and channel == "html":
        assert login(client, roles[who][0]).status_code == 302
    if who != "anonymous" and channel == "api":
        headers = accounts[who].headers
    return client, headers
