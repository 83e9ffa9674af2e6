"""Figures read from the database at scrape time: publications and the distribution outbox.

They are gauges of the present state, so they are computed per scrape (a few indexed queries)
instead of being counted in each worker. The outbox belongs to the distribution app: it is
imported lazily, and when it is missing (not installed, not migrated) its figures are simply
absent, never an error on the metrics page.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.db import DatabaseError
from django.db.models import Count
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from pressroom.releases import visibility
from pressroom.releases.models import Release

log = logging.getLogger("pressroom.ops")


def _publication_metrics(now):
    public = Release.objects.public(now).count()
    upcoming = Release.objects.filter(visibility.upcoming_at(now)).count()
    family = GaugeMetricFamily(
        "pressroom_releases", "Releases by visibility: public now, or due at a later instant.",
        labels=["visibility"],
    )  # fmt: skip
    family.add_metric(["public"], public)
    family.add_metric(["upcoming"], upcoming)
    yield family


def _outbox_metrics(now):
    if not apps.is_installed("pressroom.distribution"):
        return
    from pressroom.distribution.models import Delivery, DeliveryStatus

    waiting = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)
    due = Delivery.objects.filter(status__in=waiting, due_at__lte=now)
    depth = GaugeMetricFamily(
        "pressroom_delivery_queue_depth",
        "Deliveries due and not yet sent (waiting or being sent), by channel.",
        labels=["channel"],
    )
    counts = {channel: 0 for channel in ("email", "webhook")}
    for row in due.values("channel").order_by().annotate(count=Count("pk")):
        counts[row["channel"]] = row["count"]
    for channel, count in sorted(counts.items()):
        depth.add_metric([channel], count)
    yield depth
    oldest = due.order_by("due_at").values_list("due_at", flat=True).first()
    lag = GaugeMetricFamily(
        "pressroom_delivery_lag_seconds",
        "How long the oldest due, unsent delivery has waited (0 when none is waiting).",
    )
    lag.add_metric([], max(0.0, (now - oldest).total_seconds()) if oldest else 0.0)
    yield lag
    dead = GaugeMetricFamily(
        "pressroom_deliveries_dead", "Deliveries that failed every attempt (dead letters)."
    )
    dead.add_metric([], Delivery.objects.filter(status=DeliveryStatus.DEAD).count())
    yield dead


class DatabaseFigures:
    """A prometheus_client collector: `collect()` runs the queries at scrape time."""

    def collect(self):
        now = timezone.now()
        for source in (_publication_metrics, _outbox_metrics):
            try:
                yield from source(now)
            except DatabaseError as error:
                # The database is down or the table is missing: /healthz says so; the request
                # figures on this page stay useful.
                log.warning("metrics: %s skipped: %s", source.__name__, error)
