"""The response cache: rendered public pages in Django's cache, one rendering at a time.

A page is filed under its address and the generation key (`generation.Freshness.key`): the
newest save of any release, the next issue instant and the Hong Kong date, as the web
process's latest generation says. So:

- a correction, withdrawal, new schedule or import saves a release, which changes the key: the
  next request after the next reading misses and renders the new page (nothing to purge, no
  message to send across workers or machines);
- at an issue instant the "next issue instant" moves on, which changes the key: a release due
  at 16:00:00 is on every cached page from 16:00:00, and no page made before it is served
  after it; at Hong Kong midnight the date changes ("today" moves on);
- a page is never newer than its key: one rendered on or after the next change (the view reads
  its own clock a moment after the generation was read) is not cached.

Two limits, both on purpose:

- A page is cached only once the newest save is SETTLE_SECONDS old (a commit-lag guard). The
  key compares save times, and a transaction commits a moment after its save time: if another
  release were saved and committed in that moment, a page rendered in between would be filed
  under a key that the slower transaction's commit no longer changes. Any save committed
  within SETTLE_SECONDS of being made (every workflow action, every import batch) is safe.
- A page lives at most KEEP_SECONDS (and never past the next change): the bound for edits that
  do not save a release (renaming a department, deleting a release in the admin).

Where: Django's default cache: each web worker's memory, or Redis shared by every worker when
PRESSROOM_CACHE_URL (or REDIS_URL) is set.

Single-flight (`single_flight`): when a generation begins (every issue instant) every page is
new, and a crowd asks for the same few pages at once (nginx lets one request per page through
when its copy runs out). The first request of a process renders and the others in that process
wait for it and answer with the same bytes, which is safe for the same reason a cached page
is: they asked in the same generation. docs/performance.md has what it bought.

Only what the share policy allows (`policy`) is cached or shared, and of that only 200 pages
of GET requests.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone

from pressroom.publiccache import policy

KEY_PREFIX = "page:v3:"
SETTLE_SECONDS = 2.0
KEEP_SECONDS = 60
# Headers the view set that belong to the page (the middleware adds the rest on every answer).
CACHED_HEADERS = ("Content-Type", "Content-Language", "ETag", "Link", "X-Robots-Tag")
# How long a request waits for another thread's rendering of the same page before rendering it
# itself (a rendering that slow has a problem of its own; waiting longer would add to it).
FLIGHT_WAIT_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class CachedPage:
    """A page as the response cache holds it: the view's own headers and the bytes."""

    headers: tuple[tuple[str, str], ...]
    body: bytes
    expires_at: float  # Unix time: never answered after

    def response(self) -> HttpResponse:
        response = HttpResponse(self.body)
        for name, value in self.headers:
            response.headers[name] = value
        return response

    @classmethod
    def of(cls, response, expires_at: float) -> CachedPage:
        headers = tuple(
            (name, response.headers[name]) for name in CACHED_HEADERS if name in response.headers
        )
        return cls(headers, response.content, expires_at)


def cache_key(request, generation_key: str) -> str:
    """The address as the client asked for it (scheme, host, path and query) and the key."""
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.blake2b(address.encode("utf-8", "surrogateescape"), digest_size=16)
    return f"{KEY_PREFIX}{digest.hexdigest()}:{generation_key}"


def _may_ask(request) -> bool:
    return request.method == "GET" and policy.request_may_share(request.META)


def may_cache(request, response) -> bool:
    """A 200 page of a GET that the share policy lets anyone have."""
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and policy.may_share(request, response)
    )


def get(request, freshness) -> CachedPage | None:
    """The cached page for this request in this generation, or None."""
    if not _may_ask(request):
        return None
    held = cache.get(cache_key(request, freshness.key))
    if held is None:
        return None
    page = CachedPage(*held)
    return page if page.expires_at > timezone.now().timestamp() else None


def expires_at(freshness) -> float | None:
    """Until when (a Unix time) a page rendered in `freshness`'s generation, finished now, may
    be cached: to the next change, at most KEEP_SECONDS; None when it may not be cached at all
    (a save younger than SETTLE_SECONDS, or under a whole second left)."""
    now = timezone.now()  # after rendering: the view's own clock read came before this one
    newest_save = freshness.newest_save
    if newest_save is not None and (now - newest_save).total_seconds() < SETTLE_SECONDS:
        return None
    seconds = math.floor(min((freshness.next_change - now).total_seconds(), KEEP_SECONDS))
    if seconds < 1:
        return None  # the page may already show what comes at the next change
    return now.timestamp() + seconds


def store(request, response, freshness) -> CachedPage | None:
    """Cache a finished 200 page for the rest of its generation; the page cached, or None."""
    if not may_cache(request, response):
        return None
    until = expires_at(freshness)
    if until is None:
        return None
    page = CachedPage.of(response, until)
    seconds = math.ceil(until - timezone.now().timestamp())
    cache.set(cache_key(request, freshness.key), (page.headers, page.body, until), seconds)
    return page


class _Flight:
    """One rendering under way: the page, once rendered, for the requests that waited for it."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.page: CachedPage | None = None


_flights: dict[str, _Flight] = {}
_flights_lock = threading.Lock()


def single_flight(request, freshness, render: Callable[[], HttpResponse]) -> HttpResponse:
    """`render()` for the first request of this page in this generation in this process;
    requests for it that arrive meanwhile wait and get the same bytes (when the page may be
    shared: see `may_cache`), else render their own once it is done."""
    if not _may_ask(request):
        return render()
    key = cache_key(request, freshness.key)
    with _flights_lock:
        flight = _flights.get(key)
        leading = flight is None
        if leading:
            flight = _flights[key] = _Flight()
    if not leading:
        flight.done.wait(FLIGHT_WAIT_SECONDS)
        return render() if flight.page is None else flight.page.response()
    try:
        response = render()
        if may_cache(request, response):
            flight.page = CachedPage.of(response, 0.0)
        return response
    finally:
        with _flights_lock:
            _flights.pop(key, None)
        flight.done.set()
