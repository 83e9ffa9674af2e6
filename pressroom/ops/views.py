from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST

from pressroom.ops import metrics
from pressroom.ops.figures import DatabaseFigures
from pressroom.ops.health import run_checks


@never_cache
def healthz(request):
    report = run_checks()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


@never_cache
def metrics_page(request):
    return HttpResponse(metrics.exposition(DatabaseFigures()), content_type=CONTENT_TYPE_LATEST)
