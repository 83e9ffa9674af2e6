"""/healthz: JSON, 200 when the database and cache answer, 503 naming what failed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.utils import timezone

from tests.support.environment import free_port

pytestmark = pytest.mark.django_db


def test_healthy_instance_answers_200_with_each_check(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    report = response.json()
    assert report["status"] == "ok"
    assert set(report["checks"]) == {"database", "cache"}
    assert all(check["ok"] for check in report["checks"].values())
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_unreachable_redis_cache_makes_it_503(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    report = response.json()
    assert report["status"] == "failing"
    assert report["checks"]["database"]["ok"] is True
    assert report["checks"]["cache"]["ok"] is False
    assert "RedisCache" in report["checks"]["cache"]["detail"]


def test_redis_cache_in_use_when_configured(client, settings):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["cache"]["detail"] == "RedisCache"


class TestWorkerHeartbeat:
    @pytest.fixture(autouse=True)
    def _expect_worker(self, settings):
        settings.PRESSROOM_EXPECT_WORKER = True

    @pytest.fixture
    def heartbeat(self):
        if not apps.is_installed("pressroom.distribution"):
            pytest.skip("pending: the distribution app (worker heartbeats) has not landed")
        from pressroom.distribution.models import WorkerHeartbeat

        return WorkerHeartbeat

    def test_no_worker_ever_seen_is_503(self, client, heartbeat):
        response = client.get("/healthz")
        assert response.status_code == 503
        assert "no task worker" in response.json()["checks"]["worker"]["detail"]

    def test_recent_heartbeat_is_healthy(self, client, heartbeat):
        heartbeat.objects.create(worker_id="sample-worker", seen_at=timezone.now())
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json()["checks"]["worker"]["ok"] is True

    def test_silent_worker_is_503(self, client, heartbeat, clock):
        heartbeat.objects.create(
            worker_id="sample-worker", seen_at=timezone.now() - dt.timedelta(minutes=2)
        )
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["checks"]["worker"]["detail"].endswith(" for 120s")

    def test_without_expecting_a_worker_its_absence_is_fine(self, client, settings, heartbeat):
        settings.PRESSROOM_EXPECT_WORKER = False
        assert client.get("/healthz").status_code == 200
