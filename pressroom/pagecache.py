"""Rendered public pages kept in Django's cache, so a crowd is answered without rendering.

A copy is filed under the page's address and the *publication epoch* (`PublicState.epoch`):
the newest save of any release, the next issue instant and the Hong Kong date, as the web
process's latest publication reading says (`pressroom.caching.current_state`: read again every
PRESSROOM_EPOCH_REREAD_MS, at once after a save in the process, always at an issue instant or
midnight). So:

- a correction, withdrawal, new schedule or import saves a release, which changes the epoch:
  the next request after the next reading misses and renders the new page (nothing to purge,
  no signal to send across workers or machines);
- at an issue instant the "next issue instant" moves on, which changes the epoch: a release
  due at 16:00:00 is on every kept page from 16:00:00, and no copy made before it is served
  after it; at Hong Kong midnight the date changes ("today" moves on);
- a copy is never newer than its epoch: one rendered on or after the next change (the view
  reads its own clock a moment after the epoch was taken) is not kept.

Each process also keeps the finished answers of the pages kept here and answers them before
Django runs at all (`pressroom.frontdoor`); `response.kept` tells it a page was kept.

Two limits, both on purpose:

- A copy is kept only once the newest save is SETTLE_SECONDS old. The epoch compares save
  times, and a transaction commits a moment after its save time: if another release were
  saved and committed in that moment, a page rendered in between would be filed under an
  epoch that the slower transaction's commit no longer changes. Any save that is committed
  within SETTLE_SECONDS of being made (every workflow action, every import batch) is safe.
- A copy lives at most KEEP_SECONDS (and never past the next change): the bound for edits that
  do not save a release (renaming a department, deleting a release in the admin).

Where: Django's default cache, i.e. each web worker's memory, or Redis shared by every worker
when PRESSROOM_CACHE_URL (or REDIS_URL) is set, through `RedisCache` below.

One rendering per page at a time (`render_once`): when an epoch begins (every issue instant)
every copy is new, and a crowd asks for the same few pages at once (nginx's micro-cache lets
each open connection through when its copy ends). Without it each of those requests rendered
the page: measured under wrk through nginx with a release every second, the app's queue stayed
about 1.5 s deep and releases appeared 1.2-2.3 s after their instant. Now the first request of
a process renders and the others in that process wait for it and answer with the same bytes,
which is safe for the same reason a kept copy is: they asked in the same epoch.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections.abc import Callable

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.http import HttpResponse
from django.utils import timezone

KEY_PREFIX = "page:v2:"
SETTLE_SECONDS = 2.0
KEEP_SECONDS = 60
# Headers the view set that belong to the page (the middleware adds the rest on every answer).
KEPT_HEADERS = ("Content-Type", "Content-Language", "ETag", "Link", "X-Robots-Tag")


def page_key(request, state) -> str:
    """The address as the client asked for it (host, path and query) and the epoch."""
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.blake2b(address.encode("utf-8", "surrogateescape"), digest_size=16)
    return f"{KEY_PREFIX}{digest.hexdigest()}:{state.epoch}"


def lookup(request, state) -> HttpResponse | None:
    """The kept copy of this page in this epoch, as a fresh response, or None."""
    if not _may_share(request):
        return None
    kept = cache.get(page_key(request, state))
    if kept is None:
        return None
    response = _response(kept)
    response.kept = (state.epoch, kept[2])
    return response


def store(request, response, state) -> bool:
    """Keep a finished 200 page for the rest of its epoch; says whether it was kept. A kept
    response says so in `response.kept`: (epoch, until), until as a Unix time, which is what
    pressroom.frontdoor keeps its own copy of the finished answer under."""
    if request.method != "GET" or not _may_share(request) or not is_shareable(request, response):
        return False
    now = timezone.now()  # after rendering: the view's own clock read came before this one
    if state.newest_save is not None and (now - state.newest_save).total_seconds() < SETTLE_SECONDS:
        return False
    seconds = math.floor(min((state.next_change - now).total_seconds(), KEEP_SECONDS))
    if seconds < 1:
        return False  # the page may already show what comes at the next change
    until = now.timestamp() + seconds
    cache.set(page_key(request, state), (_kept_headers(response), response.content, until), seconds)
    response.kept = (state.epoch, until)
    return True


# How long a request waits for another thread's rendering of the same page before rendering it
# itself (a rendering that slow has a problem of its own; waiting longer would add to it).
FLIGHT_WAIT_SECONDS = 5.0


class _Flight:
    """One rendering under way: the page, once rendered, for the requests that waited for it."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.kept: tuple[list, bytes, float] | None = None


_flights: dict[str, _Flight] = {}
_flights_lock = threading.Lock()


def render_once(request, state, render: Callable[[], HttpResponse]) -> HttpResponse:
    """`render()` for the first request of this page in this epoch in this process; requests
    for it that arrive meanwhile wait and get the same bytes (when the page may be shared: a
    plain 200 for anyone, see `store`), else render their own once it is done."""
    if request.method != "GET" or not _may_share(request):
        return render()
    key = page_key(request, state)
    with _flights_lock:
        flight = _flights.get(key)
        leading = flight is None
        if leading:
            flight = _flights[key] = _Flight()
    if not leading:
        flight.done.wait(FLIGHT_WAIT_SECONDS)
        if flight.kept is None:
            return render()
        response = _response(flight.kept)
        if flight.kept[2]:
            response.kept = (state.epoch, flight.kept[2])
        return response
    try:
        response = render()
        if is_shareable(request, response):
            # Unix time: how long the waiters' answers may be kept (none if the page was not).
            until = response.kept[1] if hasattr(response, "kept") else 0.0
            flight.kept = (_kept_headers(response), response.content, until)
        return response
    finally:
        with _flights_lock:
            _flights.pop(key, None)
        flight.done.set()


def _kept_headers(response) -> list[tuple[str, str]]:
    return [(name, response.headers[name]) for name in KEPT_HEADERS if response.has_header(name)]


def _response(kept: tuple[list, bytes, float]) -> HttpResponse:
    headers, body, _until = kept
    response = HttpResponse(body)
    for name, value in headers:
        response.headers[name] = value
    return response


def _may_share(request) -> bool:
    """Logged-in people and API clients with credentials get their own rendering."""
    from django.conf import settings

    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def is_shareable(request, response) -> bool:
    """A plain 200 that used no cookie, session or form token while rendering."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if "Vary" in response.headers or "Set-Cookie" in response.headers:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # the page holds a form token for this client
    session = getattr(request, "session", None)
    return not (session is not None and session.accessed)


class _ClientPerPool(RedisCacheClient):
    """Django's client builds a new redis.Redis for every call, and each one copies the
    response callbacks of every Redis command: about 100-200 us, more than the GET it makes
    (a kept page is one GET). A redis.Redis is safe to share between threads (each command
    takes a connection from the pool), so one per pool is kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class RedisCache(DjangoRedisCache):
    """Django's RedisCache with one Redis client per connection pool (settings.CACHES)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ClientPerPool
