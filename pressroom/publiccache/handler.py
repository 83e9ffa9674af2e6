"""The local response cache: each web process answers cached public pages again before Django
builds a request, runs its middleware or resolves a URL.

A page from the response cache still costs a process about half a millisecond of Python on its
way through Django: ten middleware, the URL resolver, the request and response objects, the
signals. Under a crowd that is the whole cost of a page, so each process also keeps the
*finished* answer (status, every header, the bytes) of the cached pages it has answered, and
answers the same request again straight from the WSGI entry point (`PublicCacheHandler`). A hit
asks neither the database nor Redis: the generation key comes from the process's latest
generation (`generation.current_freshness`). docs/decisions/0008-one-public-cache.md has what
it buys.

What makes this safe is one invariant: the handler answers a request only with what Django
itself answered to a request for the same address (scheme, host, path and query, and the
headers Django reads them from) in the same generation, and only when the share policy lets
anyone have it (`policy`) and the request brings no validators (Django answers 304s). Every
rule of the stack (allowed hosts, redirects, security headers, visibility at the issue instant)
was applied to that answer by Django; an address Django refused or redirected is never kept.
Only views that put their pages in the response cache (`public_cache(cache_response=True)`)
are kept, under the response cache's own rule for how long (`responses.expires_at`). What the
clock changes is made again for each answer by the functions the way through Django uses
(`headers.clock_headers`): the lifetime, Last-Modified and X-Accel-Expires.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import DatabaseError
from django.utils import timezone

from pressroom.publiccache import headers, policy, responses
from pressroom.publiccache.generation import Freshness, current_freshness

# Where the handler leaves the address and the freshness read before Django, for `keep`
# (Django rewrites PATH_INFO in the environ).
_NOTED = "pressroom.publiccache.noted"
# Requests that bring validators or ask for a part are Django's to answer.
VALIDATOR_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH",
                     "HTTP_IF_UNMODIFIED_SINCE", "HTTP_IF_RANGE", "HTTP_RANGE")  # fmt: skip
# Pages kept here are those a crowd asks for (release pages, indexes: 5 to 100 KB). A sitemap
# section (10,000 URLs, over a megabyte) is asked for by a crawler now and then; kept, a
# walk of the archive's sitemaps filled each worker's budget (docs/performance.md).
LARGEST_KEPT_PAGE = 512 * 1024


@dataclass(frozen=True, slots=True)
class FinishedResponse:
    """A 200 as Django sent it, less the CLOCK_HEADERS, which are made again for each answer."""

    headers: tuple[tuple[str, str], ...]
    body: bytes
    route: str
    expires_at: float  # Unix time: never answered after

    @property
    def size(self) -> int:
        return len(self.body) + 64 * len(self.headers)


class LocalResponseCache:
    """The finished responses of one process, least recently answered dropped first past a
    budget in bytes (PRESSROOM_LOCAL_CACHE_MB). Keys are (address, generation key): a new
    generation simply stops finding the old ones, which age out."""

    def __init__(self, budget_bytes: int):
        self.budget = budget_bytes
        self.size = 0
        self._responses: OrderedDict[tuple[str, str], FinishedResponse] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> FinishedResponse | None:
        with self._lock:
            found = self._responses.get(key)
            if found is not None:
                self._responses.move_to_end(key)
            return found

    def put(self, key: tuple[str, str], finished: FinishedResponse) -> None:
        if finished.size > min(self.budget // 4, LARGEST_KEPT_PAGE):
            return  # one page must not push out every other, nor a crawler's the crowd's
        with self._lock:
            old = self._responses.pop(key, None)
            if old is not None:
                self.size -= old.size
            self._responses[key] = finished
            self.size += finished.size
            while self.size > self.budget:
                _, dropped = self._responses.popitem(last=False)
                self.size -= dropped.size

    def clear(self) -> None:
        with self._lock:
            self._responses.clear()
            self.size = 0

    def __len__(self) -> int:
        return len(self._responses)


class PublicCacheHandler(WSGIHandler):
    """Django's WSGI handler with the process's local response cache before it (pressroom.wsgi).

    `answered(route, seconds)`, when given, is told of each request answered here, which
    Django's middleware (the request metrics) never sees."""

    def __init__(self, *args, answered: Callable[[str, float], None] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cache = LocalResponseCache(settings.PRESSROOM_LOCAL_CACHE_MB * 1024 * 1024)
        self.answered = answered
        # Request headers Django reads to tell the scheme and host, which name the page.
        self.address_headers = tuple(
            header
            for header, used in (
                ((settings.SECURE_PROXY_SSL_HEADER or ("",))[0], settings.SECURE_PROXY_SSL_HEADER),
                ("HTTP_X_FORWARDED_HOST", settings.USE_X_FORWARDED_HOST),
                ("HTTP_X_FORWARDED_PORT", settings.USE_X_FORWARDED_PORT),
            )
            if used
        )

    def address(self, environ: dict) -> str | None:
        """The page a request asks for, as the raw request names it, or None when the request
        may not be answered from here (see the module docstring)."""
        if environ.get("REQUEST_METHOD") != "GET" or not policy.request_may_share(environ):
            return None
        if any(header in environ for header in VALIDATOR_HEADERS):
            return None
        host = environ.get("HTTP_HOST")
        if not host:
            return None
        parts = [environ.get("wsgi.url_scheme", ""), host, environ.get("SCRIPT_NAME", ""),
                 environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", "")]  # fmt: skip
        parts.extend(environ.get(header, "") for header in self.address_headers)
        return "\n".join(parts)

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        address = self.address(environ)
        if address is not None:
            now = timezone.now()
            try:
                freshness = current_freshness(now)
            except DatabaseError:
                freshness = None  # no generation: Django answers (and says the database is down)
            if freshness is not None:
                finished = self.cache.get((address, freshness.key))
                if finished is not None and now.timestamp() < finished.expires_at:
                    start_response("200 OK", [*finished.headers, *headers.clock_headers(freshness)])
                    if self.answered is not None:
                        self.answered(finished.route, time.perf_counter() - started)
                    return [finished.body]
                environ[_NOTED] = (address, freshness)
        return super().__call__(environ, start_response)

    def get_response(self, request):
        response = super().get_response(request)
        noted = request.META.get(_NOTED)
        if noted is not None:
            self.keep(*noted, request, response)
        return response

    def keep(self, address: str, before: Freshness, request, response) -> None:
        """Keep Django's finished answer of a page its view puts in the response cache, when
        the share policy lets anyone have it and its generation held all the while it was
        made (the same key before Django and after)."""
        match = request.resolver_match
        if match is None or not getattr(match.func, "cache_response", False):
            return
        if not responses.may_cache(request, response):
            return
        try:
            after = current_freshness()
        except DatabaseError:
            return
        until = responses.expires_at(after) if after.key == before.key else None
        if until is None:
            return
        kept = tuple((n, v) for n, v in response.items() if n not in headers.CLOCK_HEADERS)
        route = match.view_name or match.route or "unnamed"
        self.cache.put(
            (address, before.key), FinishedResponse(kept, response.content, route, until)
        )
