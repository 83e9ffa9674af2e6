"""pressroom.pagecache.RedisCache: Django's RedisCache with one Redis client per pool, on a
real Redis (127.0.0.1:6379), from several threads at once."""

from __future__ import annotations

import secrets
import threading

import pytest

from pressroom.pagecache import RedisCache
from tests.conftest import IN_CI


@pytest.fixture
def redis_cache():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if IN_CI:
            pytest.fail("Redis is not running on 127.0.0.1:6379")
        pytest.skip("no Redis at 127.0.0.1:6379")
    cache = RedisCache("redis://127.0.0.1:6379/0", {"KEY_PREFIX": f"test-{secrets.token_hex(6)}"})
    yield cache
    cache.delete_many(["page", "counter", *[f"key-{n}" for n in range(40)]])


def test_one_client_per_pool_reused_for_every_call(redis_cache):
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client() is client
    assert redis_cache._cache.get_client(write=True) is client  # one server: one pool
    redis_cache.set("page", ([("ETag", '"x"')], b"<html>"), 30)
    assert redis_cache.get("page") == ([("ETag", '"x"')], b"<html>")
    assert redis_cache.get("missing", "default") == "default"
    assert redis_cache.add("counter", 1) and redis_cache.incr("counter") == 2
    assert redis_cache._cache.get_client() is client


def test_shared_client_from_many_threads(redis_cache):
    failures = []

    def work(number: int) -> None:
        try:
            for round_ in range(50):
                redis_cache.set(f"key-{number}", (number, round_), 30)
                assert redis_cache.get(f"key-{number}") == (number, round_)
        except Exception as error:  # reported below, with the thread's number
            failures.append((number, error))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
