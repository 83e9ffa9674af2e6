"""Counts and times every request by route kind (first in MIDDLEWARE, so static files count).

A route kind is the URL pattern's name (`site:release`, `feeds:language`, `api-1.0.0:...`),
never the path: a million release addresses are one kind, so the number of series stays small.
"""

from __future__ import annotations

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
    away. So a GET or HEAD answered "come back shortly" (a 503 with Retry-After, which
    `pressroom.site.views.server_error` answers when the database did not) is asked again every
    RETRY_SECONDS, each time on a new connection, for up to PRESSROOM_DATABASE_WAIT_MS; the 503 goes out only when
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
        while _come_back_shortly(response) and time.monotonic() < deadline:
            _close_connections()
            time.sleep(self.RETRY_SECONDS)
            response = self.get_response(request)
        return response


def _come_back_shortly(response) -> bool:
    return response.status_code == 503 and "Retry-After" in response.headers


def _close_connections() -> None:
    """This thread's database connections, closed: the next query opens a new one (an old one
    may belong to a server that has since restarted)."""
    for wrapper in connections.all(initialized_only=True):
        try:
            wrapper.close()
        except DatabaseError:
            pass
