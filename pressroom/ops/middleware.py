"""Counts and times every request by route kind (first in MIDDLEWARE, so static files count).

A route kind is the URL pattern's name (`site:release`, `feeds:language`, `api-1.0.0:...`),
never the path: a million release addresses are one kind, so the number of series stays small.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.db import DatabaseError, connections

from pressroom.ops import metrics

KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def route_kind(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or match.route or "unnamed"
    path = request.path_info
    if path.startswith(settings.STATIC_URL):
        return "static"
    if path.startswith(settings.MEDIA_URL):
        return "media"
    return "unmatched"


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        metrics.record(
            route_kind(request),
            request.method if request.method in KNOWN_METHODS else "other",
            response.status_code,
            time.perf_counter() - started,
        )  # fmt: skip
        return response


class WaitForDatabaseMiddleware:
    """A read that finds the database unavailable waits for it briefly and is answered again,
    instead of a 503.

    A PostgreSQL restart or a fail-over takes the database away for a fraction of a second to
    a few seconds. A reader who asks in that moment for a page no cache holds (a release that
    has just become due, say) would get "briefly unavailable" although the answer is a moment
    away. So a GET or HEAD answered with the database-unavailable 503
    (`pressroom.site.views.server_error` marks it) is asked again every RETRY_SECONDS, each
    time on a new connection, for up to PRESSROOM_DATABASE_WAIT_MS; the 503 goes out only when
    the database is still away after that. Only reads: a read asked twice changes nothing,
    and a write must not be repeated behind its sender's back.
    """

    RETRY_SECONDS = 0.1

    def __init__(self, get_response):
        self.get_response = get_response
        self.wait_seconds = settings.PRESSROOM_DATABASE_WAIT_MS / 1000

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or not self.wait_seconds:
            return response
        deadline = time.monotonic() + self.wait_seconds
        while getattr(response, "database_unavailable", False) and time.monotonic() < deadline:
            _close_connections()
            time.sleep(self.RETRY_SECONDS)
            response = self.get_response(request)
        return response


def _close_connections() -> None:
    """This thread's database connections, closed: the next query opens a new one (an old one
    may belong to a server that has since restarted)."""
    for wrapper in connections.all(initialized_only=True):
        try:
            wrapper.close()
        except DatabaseError:
            pass


class MicroCacheMiddleware:
    """Tell the front cache (nginx) to keep a public page at most PRESSROOM_MICROCACHE_SECONDS.

    The page's own lifetime already ends at the next issue instant known when it was rendered.
    But a release scheduled (or corrected, or withdrawn) after that, for a moment before the
    copy's lifetime runs out, would stay hidden behind it: the micro-cache bounds that window to
    a second or so while still absorbing a crowd. nginx never passes X-Accel-Expires on, so
    browsers and caches beyond nginx see only the app's own Cache-Control.

    The header names an absolute second ("@S"), not a count: nginx counts relative seconds
    from its own whole-second clock when it reads the response, which can carry a copy up to
    a second past the instant the app meant. With "@S" nginx keeps the copy while its clock
    reads S or less, i.e. until S + 1, so S + 1 is never past the end of the page's lifetime.

    It also covers the last second before an instant, which Cache-Control cannot: a lifetime
    under a second is s-maxage 0 there (whole seconds, rounded down), yet a page rendered at
    15:59:59.3 may be kept until 16:00:00 exactly. Without it, every reader in the second
    before each release went to the app (on a night with a release a second, every reader).
    The header goes before Cache-Control (`put_before_cache_control`): nginx 1.22 (Debian 12)
    reads upstream headers in order, and a max-age=0 read first makes the answer uncacheable
    whatever X-Accel-Expires says after it; read first, X-Accel-Expires decides alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.seconds = settings.PRESSROOM_MICROCACHE_SECONDS

    def __call__(self, request):
        response = self.get_response(request)
        if "X-Accel-Expires" in response.headers:
            return response
        control = response.headers.get("Cache-Control", "")
        if not may_be_shared(control):
            return response
        # public_cache says when the page's lifetime ends (to the microsecond: the instant
        # itself); any other public answer is fresh for its whole seconds from now.
        ends = getattr(response, "fresh_until", None)
        if ends is None:
            lifetime = shared_max_age(control)
            ends = time.time() + lifetime if lifetime else None
        expires = accel_expires(ends, self.seconds) if ends is not None else None
        if expires is not None:
            put_before_cache_control(response, "X-Accel-Expires", expires)
        return response


def cache_directives(cache_control: str) -> dict[str, str]:
    """A Cache-Control header's directives, by lower-case name ("" for one without a value)."""
    return dict(
        part.strip().lower().partition("=")[::2]
        for part in cache_control.split(",")
        if part.strip()
    )


def may_be_shared(cache_control: str) -> bool:
    """Whether a shared cache may keep an answer with this Cache-Control at all."""
    directives = cache_directives(cache_control)
    return "public" in directives and not directives.keys() & {"private", "no-store", "no-cache"}


def put_before_cache_control(response, name: str, value: str) -> None:
    """Set a header so that it comes before Cache-Control (which moves to the end)."""
    control = response.headers.get("Cache-Control")
    if control is not None:
        del response.headers["Cache-Control"]
    response.headers[name] = value
    if control is not None:
        response.headers["Cache-Control"] = control


def shared_max_age(cache_control: str) -> int:
    """How long a shared cache may keep an answer with this Cache-Control: its s-maxage, else
    its max-age (RFC 9111 5.2.2.10), else 0."""
    directives = cache_directives(cache_control)
    for name in ("s-maxage", "max-age"):
        if directives.get(name, "").isdigit():
            return int(directives[name])
    return 0


def accel_expires(fresh_until: float, microcache_seconds: int) -> str | None:
    """X-Accel-Expires for a page fresh until `fresh_until` (a Unix time): the last whole
    second nginx may keep it, within `microcache_seconds` from now (see MicroCacheMiddleware;
    pressroom.frontdoor sends the same for the pages it answers). None when that second has
    passed already: the page may not be kept even to the end of the current second."""
    now = time.time()
    last_second = math.floor(min(fresh_until, now + microcache_seconds)) - 1
    return f"@{last_second}" if last_second >= math.floor(now) else None
