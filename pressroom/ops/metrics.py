"""Request counters and latency histograms, shared by every web worker of one server.

prometheus_client's multiprocess mode keeps each process's samples in files under
PROMETHEUS_MULTIPROC_DIR (set in settings, under the data folder, before prometheus_client is
imported anywhere); `/metrics` sums the files, so a scrape that lands on any worker sees the
whole server. `pressroom serve` empties the folder when it starts: counters begin at zero with
each server, which Prometheus's rate() expects.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess

# Latencies from a page answered at the door (a tenth of a millisecond) to a slow export (seconds).
LATENCY_BUCKETS = (
    0.0001,
    0.00025,
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
)

REQUESTS = Counter(
    "pressroom_http_requests",
    "HTTP requests answered, by route kind, method and status code.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "pressroom_http_request_duration_seconds",
    "Time from the request reaching Django to the response leaving it, by route kind.",
    ["route"],
    buckets=LATENCY_BUCKETS,
)


def metrics_dir() -> Path:
    return Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])


def reset_for_new_server() -> None:
    """Forget the samples of earlier servers (called by `pressroom serve` before it forks)."""
    folder = metrics_dir()
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)


def record(route: str, method: str, status: int, seconds: float) -> None:
    REQUESTS.labels(route=route, method=method, status=str(status)).inc()
    LATENCY.labels(route=route).observe(seconds)


def exposition(*extra_collectors) -> bytes:
    """Every worker's request samples plus figures read now (publications, the outbox)."""
    metrics_dir().mkdir(parents=True, exist_ok=True)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    for collector in extra_collectors:
        registry.register(collector)
    return generate_latest(registry)
