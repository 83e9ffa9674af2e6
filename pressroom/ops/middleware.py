"""Counts and times every request by route kind (first in MIDDLEWARE, so static files count).

A route kind is the URL pattern's name (`site:release`, `feeds:language`, `api-1.0.0:...`),
never the path: a million release addresses are one kind, so the number of series stays small.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.utils.cache import get_max_age

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

    The page's own max-age already ends at the next issue instant known when it was rendered.
    But a release scheduled (or corrected, or withdrawn) after that, for a moment before the
    copy's max-age runs out, would stay hidden behind it: the micro-cache bounds that window to
    a second or so while still absorbing a crowd. nginx reads X-Accel-Expires before
    Cache-Control and never passes it on, so browsers see only the app's own header.

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
        max_age = get_max_age(response)
        control = response.headers.get("Cache-Control", "")
        if max_age and "public" in control and "private" not in control:
            # public_cache says when the lifetime ends (its max-age counts from before the view ran).
            ends = getattr(response, "fresh_until", None) or time.time() + max_age
            response.headers["X-Accel-Expires"] = accel_expires(ends, self.seconds)
        return response


def accel_expires(fresh_until: float, microcache_seconds: int) -> str:
    """X-Accel-Expires for a page fresh until `fresh_until` (a Unix time): the last whole
    second nginx may keep it, within `microcache_seconds` from now (see MicroCacheMiddleware;
    pressroom.frontdoor sends the same for the pages it answers)."""
    return f"@{math.floor(min(fresh_until, time.time() + microcache_seconds)) - 1}"
