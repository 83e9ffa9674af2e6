"""The checks behind /healthz: can this instance answer requests correctly right now?

Each check returns (ok, detail). The database and the cache are always checked; the task
worker's heartbeat only when PRESSROOM_EXPECT_WORKER says a worker belongs to this deployment
(an embedded install without one is healthy). A failing check makes the answer 503, so a load
balancer takes the instance out of rotation.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.utils import timezone

# A worker beats every second; three missed five-second windows is down, not slow.
WORKER_SILENT_AFTER = dt.timedelta(seconds=15)


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        # The connection is broken: drop it so the next request reconnects.
        connection.close_if_unusable_or_obsolete()
        return False, f"{connection.vendor}: {str(error).strip() or type(error).__name__}"
    return True, connection.vendor


def check_cache() -> tuple[bool, str]:
    key = f"pressroom:healthz:{secrets.token_hex(4)}"
    cache = caches["default"]
    backend = type(cache).__name__
    try:
        cache.set(key, "ok", timeout=5)
        value = cache.get(key)
        cache.delete(key)
    except Exception as error:  # every cache backend has its own connection errors
        return False, f"{backend}: {str(error).strip() or type(error).__name__}"
    if value != "ok":
        return False, f"{backend}: a value written was not read back"
    return True, backend


def check_worker() -> tuple[bool, str]:
    if not apps.is_installed("pressroom.distribution"):
        return False, "the distribution app is not installed"
    from pressroom.distribution.models import WorkerHeartbeat

    try:
        latest = (
            WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
        )
    except DatabaseError as error:
        return False, f"cannot read heartbeats: {str(error).strip()}"
    if latest is None:
        return False, "no task worker has ever reported"
    silent = timezone.now() - latest
    if silent > WORKER_SILENT_AFTER:
        return False, f"no task worker heard from for {silent.total_seconds():.0f}s"
    return True, f"last heartbeat {silent.total_seconds():.1f}s ago"


def run_checks() -> dict:
    checks = {"database": check_database, "cache": check_cache}
    if settings.PRESSROOM_EXPECT_WORKER:
        checks["worker"] = check_worker
    results = {}
    for name, check in checks.items():
        started = time.perf_counter()
        ok, detail = check()
        results[name] = {
            "ok": ok, "detail": detail, "ms": round((time.perf_counter() - started) * 1000, 1),
        }  # fmt: skip
    healthy = all(result["ok"] for result in results.values())
    return {"status": "ok" if healthy else "failing", "checks": results}
