"""Counts and times every request by route kind (first in MIDDLEWARE, so static files count).

A route kind is the URL pattern's name (`site:release`, `feeds:language`, `api-1.0.0:...`),
never the path: a million release addresses are one kind, so the number of series stays small.
"""

from __future__ import annotations

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
