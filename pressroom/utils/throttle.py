"""Counting requests per key in Django's cache (Redis in production, shared by every web
worker; locmem in the embedded default, per process).

A fixed window: each key counts the requests of the current window of `seconds`, and the
count starts again in the next. `cache.add` then `cache.incr` is atomic on Redis and within a
process on locmem, so concurrent requests never both see the last free place (the same
counter django-ratelimit keeps; these few lines are all Pressroom needs of that library).
"""

from __future__ import annotations

import time

from django.core.cache import cache


def over_limit(scope: str, key: str, limit: int, seconds: int) -> bool:
    """Count one request for `key` in `scope`; True when it is past `limit` in this window."""
    window = int(time.time() // seconds)
    cache_key = f"throttle:{scope}:{key}:{window}"
    cache.add(cache_key, 0, timeout=seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the window's entry expired between add and incr
        cache.add(cache_key, 1, timeout=seconds)
        count = 1
    return count > limit
