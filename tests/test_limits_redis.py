"""Throttling counters in Redis (``REPOSITORY_RATELIMIT_STORAGE_URL``), so that every worker shares them.

Needs the Redis server of the test machine on 127.0.0.1:6379 (as CI has); skipped with the reason otherwise.
"""

from __future__ import annotations

import uuid

import pytest
from account_utils import post_form
from conftest import World
from conftest import start_app
from conftest import stop_app

redis = pytest.importorskip("redis", reason="the redis extra is not installed")
URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_client():
    client = redis.Redis.from_url(URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"no Redis server at {URL}: {exc}")
    yield client
    client.close()


def test_failed_logins_are_counted_in_redis(tmp_path, redis_client):
    prefix = f"test-{uuid.uuid4().hex}"
    app = start_app(tmp_path / "data", RATELIMIT_STORAGE_URI=URL, RATELIMIT_KEY_PREFIX=prefix,
                    RATELIMIT_LOGIN_PER_ACCOUNT="3 per minute")
    try:
        account = World(app).account("partner@drc.example.org", "partner", "DRC")

        def attempt(password: str) -> int:
            return post_form(app.test_client(), "/login", {"email": account.email, "password": password}).status_code

        assert [attempt("wrong password number x") for _ in range(3)] == [401] * 3
        assert attempt("wrong password number x") == 429
        keys = list(redis_client.scan_iter(f"*{prefix}*"))
        assert keys, "the counters are not in Redis"
        # the state lives in Redis, not in this process: clearing it there lifts the throttle
        redis_client.delete(*keys)
        assert attempt("wrong password number x") == 401
    finally:
        for key in redis_client.scan_iter(f"*{prefix}*"):
            redis_client.delete(key)
        stop_app(app)
