"""Counts and times every request by route kind (first in MIDDLEWARE, so static files count).

A route kind is the URL pattern's name (`site:release`, `feeds:language`, `api-1.0.0:...`),
never the path: a million release addresses are one kind, so the number of series stays small.
"""

from __future__ import annotations

import math
import time

from django.conf import settings

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


class MicroCacheMiddleware:
    """Tell the front cache (nginx) to keep a public page at most PRESSROOM_MICROCACHE_SECONDS.

    The page's own lifetime (its s-maxage) already ends at the next issue instant known when
    it was rendered. But a release scheduled (or corrected, or withdrawn) after that, for a
    moment before the copy's lifetime runs out, would stay hidden behind it: the micro-cache
    bounds that window to a second or so while still absorbing a crowd. nginx reads
    X-Accel-Expires before Cache-Control and never passes it on, so browsers and caches
    beyond nginx see only the app's own Cache-Control.

    The header names an absolute second ("@S"), not a count: nginx counts relative seconds
    from its own whole-second clock when it reads the response, which can carry a copy up to
    a second past the instant the app meant. With "@S" nginx keeps the copy while its clock
    reads S or less, i.e. until S + 1, so S + 1 is never past the end of the page's lifetime.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.seconds = settings.PRESSROOM_MICROCACHE_SECONDS

    def __call__(self, request):
        response = self.get_response(request)
        if "X-Accel-Expires" in response.headers:
            return response
        control = response.headers.get("Cache-Control", "")
        lifetime = shared_max_age(control)
        if lifetime and "public" in control and "private" not in control:
            # public_cache says when the lifetime ends (its s-maxage counts from before the view ran).
            ends = getattr(response, "fresh_until", None) or time.time() + lifetime
            response.headers["X-Accel-Expires"] = accel_expires(ends, self.seconds)
        return response


def shared_max_age(cache_control: str) -> int:
    """How long a shared cache may keep an answer with this Cache-Control: its s-maxage, else
    its max-age (RFC 9111 5.2.2.10), else 0."""
    directives = dict(
        part.strip().lower().partition("=")[::2] for part in cache_control.split(",") if part.strip()
    )
    for name in ("s-maxage", "max-age"):
        if directives.get(name, "").isdigit():
            return int(directives[name])
    return 0


def accel_expires(fresh_until: float, microcache_seconds: int) -> str:
    """X-Accel-Expires for a page fresh until `fresh_until` (a Unix time): the last whole
    second nginx may keep it, within `microcache_seconds` from now (see MicroCacheMiddleware;
    pressroom.frontdoor sends the same for the pages it answers)."""
    return f"@{math.floor(min(fresh_until, time.time() + microcache_seconds)) - 1}"
