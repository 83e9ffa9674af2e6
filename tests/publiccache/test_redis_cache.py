"""The response cache on Django's own RedisCache, configured as settings.CACHES configures it,
against a real Redis (127.0.0.1:6379, a database and key prefix of its own), from several
threads at once: what a web worker's threads do to it under a crowd."""

from __future__ import annotations

import secrets
import threading

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory
from django.utils import timezone

from pressroom.publiccache import responses
from pressroom.publiccache.generation import Freshness, Generation
from tests.support.environment import IN_CI

REDIS_DB = 14  # not the bench's nor the stack tests' (9 to 12)


@pytest.fixture
def redis_cache(settings):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if IN_CI:
            pytest.fail("Redis is not running on 127.0.0.1:6379")
        pytest.skip("no Redis at 127.0.0.1:6379")
    prefix = f"test-{secrets.token_hex(6)}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:6379/{REDIS_DB}",
            "KEY_PREFIX": prefix,
        }
    }
    cache = caches["default"]
    yield cache
    client = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def test_a_page_goes_through_redis_and_back(redis_cache):
    now = timezone.now()
    freshness = Freshness(now, Generation(now, None, None, None))
    request = RequestFactory().get("/en/")
    page = responses.CachedPage(
        (("Content-Type", "text/html; charset=utf-8"), ("ETag", '"x"')), b"<html>", 0.0
    )
    response = page.response()
    response["Cache-Control"] = "public, s-maxage=60"
    stored = responses.store(request, response, freshness)
    assert type(redis_cache) is RedisCache  # Django's own, no subclass
    assert stored is not None
    found = responses.get(request, freshness)
    assert found == stored and found.body == b"<html>"
    assert redis_cache.add("counter", 1) and redis_cache.incr("counter") == 2
    assert redis_cache.get("missing", "default") == "default"


def test_one_cache_from_many_threads(redis_cache):
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
