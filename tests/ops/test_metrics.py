"""/metrics: Prometheus text with requests and latencies by route kind, summed over processes,
and figures read from the database (publications, the distribution outbox)."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys

import pytest
from django.apps import apps
from django.utils import timezone

from tests.support.factories import make_release

pytestmark = pytest.mark.django_db

# A line of the text format: name{labels} value
SAMPLE = re.compile(r"^(?P<name>[a-zA-Z_:][\w:]*)(?:\{(?P<labels>[^}]*)\})? (?P<value>\S+)$")


def samples(client) -> dict[tuple[str, frozenset], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    found = {}
    for line in response.content.decode().splitlines():
        match = SAMPLE.match(line)
        if match:
            labels = frozenset(re.findall(r'(\w+)="([^"]*)"', match["labels"] or ""))
            found[(match["name"], labels)] = float(match["value"])
    return found


def value(found, name, **labels) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


def test_requests_counted_by_route_kind_not_path(client):
    before = samples(client)
    make_release(timezone.now() - dt.timedelta(hours=1))
    assert client.get("/en/").status_code == 200
    assert client.get("/en/").status_code == 200
    assert client.get("/no/such/page/").status_code == 404
    after = samples(client)
    requests = "pressroom_http_requests_total"
    today = {"route": "site:today", "method": "GET", "status": "200"}
    assert value(after, requests, **today) - value(before, requests, **today) == 2
    missing = {"route": "unmatched", "method": "GET", "status": "404"}
    assert value(after, requests, **missing) - value(before, requests, **missing) == 1
    count = "pressroom_http_request_duration_seconds_count"
    assert value(after, count, route="site:today") - value(before, count, route="site:today") == 2
    # Every request is at most 10 s, so the 10 s bucket holds them all.
    bucket = "pressroom_http_request_duration_seconds_bucket"
    assert value(after, bucket, route="site:today", le="10.0") == value(
        after, count, route="site:today"
    )


def test_samples_of_other_worker_processes_are_summed(client):
    """What a second web worker records shows up on a scrape served by this one."""
    # A route of this test's own: the other test process of the run shares the metrics folder
    # and answers release pages meanwhile.
    route = f"test:other-worker-{os.getpid()}"
    before = samples(client)
    other_worker = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'pressroom.settings'; "
        "django.setup(); from pressroom.ops import metrics; "
        f"[metrics.record({route!r}, 'GET', 200, 0.003) for _ in range(5)]"
    )
    subprocess.run([sys.executable, "-c", other_worker], check=True, env=os.environ.copy())
    after = samples(client)
    labels = {"route": route, "method": "GET", "status": "200"}
    name = "pressroom_http_requests_total"
    assert value(after, name, **labels) - value(before, name, **labels) == 5


def test_publications_counted_public_and_upcoming(client):
    now = timezone.now()
    make_release(now - dt.timedelta(days=1))
    make_release(now - dt.timedelta(minutes=5))
    make_release(now + dt.timedelta(minutes=5), state="scheduled")
    make_release(now - dt.timedelta(minutes=5), state="draft")
    found = samples(client)
    assert value(found, "pressroom_releases", visibility="public") == 2
    assert value(found, "pressroom_releases", visibility="upcoming") == 1


def test_outbox_queue_depth_and_delivery_lag(client):
    if not apps.is_installed("pressroom.distribution"):
        pytest.skip("pending: the distribution app (the outbox) has not landed")
    from pressroom.distribution import models

    now = timezone.now()
    release = make_release(now - dt.timedelta(minutes=1))
    event = models.DistributionEvent.objects.create(
        kind=models.EventKind.ISSUED, release=release, due_at=now - dt.timedelta(seconds=30)
    )
    endpoint = models.WebhookEndpoint.objects.create(url="http://127.0.0.1:9/sample")
    models.Delivery.objects.create(
        event=event, channel="webhook", endpoint=endpoint, due_at=now - dt.timedelta(seconds=30)
    )
    later = models.DistributionEvent.objects.create(
        kind=models.EventKind.ISSUED, release=release, due_at=now + dt.timedelta(hours=1)
    )
    models.Delivery.objects.create(
        event=later, channel="webhook", endpoint=endpoint, due_at=now + dt.timedelta(hours=1)
    )
    found = samples(client)
    assert value(found, "pressroom_delivery_queue_depth", channel="webhook") == 1
    assert value(found, "pressroom_delivery_queue_depth", channel="email") == 0
    assert 29 <= value(found, "pressroom_delivery_lag_seconds") < 60


def test_static_files_are_their_own_route_kind(client):
    before = samples(client)
    client.get("/static/no-such-file.css")
    after = samples(client)
    name = "pressroom_http_request_duration_seconds_count"
    assert value(after, name, route="static") - value(before, name, route="static") == 1
