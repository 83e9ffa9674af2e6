from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST

from pressroom.ops import metrics
from pressroom.ops.figures import DatabaseFigures
from pressroom.ops.health import run_checks
from pressroom.utils.client import is_local


@never_cache
def healthz(request):
    report = run_checks()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


def may_read_metrics(request) -> bool:
    """This machine (after the trusted-proxy rule), or a scraper with PRESSROOM_METRICS_TOKEN.

    nginx keeps its own allow/deny for /metrics; this holds when the application is reached
    directly, or through a proxy that forwards /metrics from anywhere."""
    if is_local(request):
        return True
    token = settings.PRESSROOM_METRICS_TOKEN
    scheme, _, offered = request.headers.get("Authorization", "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and constant_time_compare(offered, token)


@never_cache
def metrics_page(request):
    # Everyone else is told nothing is here, not that something is refused.
    if not may_read_metrics(request):
        raise Http404
    return HttpResponse(metrics.exposition(DatabaseFigures()), content_type=CONTENT_TYPE_LATEST)
