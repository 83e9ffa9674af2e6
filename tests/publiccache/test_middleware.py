"""X-Accel-Expires (pressroom.publiccache.middleware and headers): nginx keeps a public page at most PRESSROOM_MICROCACHE_SECONDS,
and never longer than the page's own lifetime (its s-maxage, which ends at the next issue instant)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pressroom.publiccache.headers import shared_max_age
from tests.support.cache_headers import lifetime
from tests.support.factories import make_release

pytestmark = pytest.mark.django_db


def test_public_page_gets_the_micro_cache_bound(client, settings, time_machine):
    settings.PRESSROOM_MICROCACHE_SECONDS = 3
    now = timezone.now().replace(microsecond=400_000)
    time_machine.move_to(now, tick=False)
    make_release(now - dt.timedelta(hours=1))
    response = client.get("/en/")
    assert lifetime(response) > 3
    # nginx keeps it while its whole-second clock reads that second or less: until now + 2.6 s.
    assert response["X-Accel-Expires"] == f"@{int(now.timestamp()) + 2}"


def test_never_longer_than_the_pages_own_max_age(client, settings, time_machine):
    settings.PRESSROOM_MICROCACHE_SECONDS = 30
    now = timezone.now().replace(microsecond=0)
    time_machine.move_to(now, tick=False)
    make_release(now - dt.timedelta(hours=1))
    make_release(now + dt.timedelta(seconds=7), state="scheduled")
    response = client.get("/en/")
    assert lifetime(response) == 7
    # Kept while nginx's clock reads now + 6 or less: gone at the instant, never after it.
    assert response["X-Accel-Expires"] == f"@{int(now.timestamp()) + 6}"


def test_a_page_is_kept_to_an_instant_less_than_a_second_away(client, time_machine):
    now = timezone.now().replace(microsecond=400_000)
    time_machine.move_to(now, tick=False)
    instant = now.replace(microsecond=0) + dt.timedelta(seconds=1)
    make_release(now - dt.timedelta(hours=1))
    make_release(instant, state="scheduled")
    response = client.get("/en/")
    assert lifetime(response) == 0
    # Kept while nginx's clock reads the current second: until the instant, not past it.
    assert response["X-Accel-Expires"] == f"@{int(now.timestamp())}"
    names = [name.lower() for name, _ in response.items()]
    assert names.index("x-accel-expires") < names.index("cache-control")


def test_nothing_for_pages_no_cache_may_keep(client, settings, time_machine):
    now = timezone.now().replace(microsecond=0)
    time_machine.move_to(now, tick=False)
    make_release(now + dt.timedelta(milliseconds=500), state="scheduled")
    response = client.get("/en/")
    assert lifetime(response) == 0
    assert "X-Accel-Expires" not in response
    assert "X-Accel-Expires" not in client.get("/healthz")


@pytest.mark.parametrize(
    ("cache_control", "seconds"),
    [
        ("public, max-age=0, must-revalidate, s-maxage=12, stale-while-revalidate=1", 12),
        ("public, max-age=7", 7),
        ("PUBLIC, S-MAXAGE=5", 5),
        ("public, max-age=0", 0),
        ("no-store", 0),
        ("", 0),
        ("public, s-maxage=soon, max-age=-3", 0),
        (",,, max-age", 0),
    ],
)
def test_the_shared_lifetime_is_read_from_s_maxage_then_max_age(cache_control, seconds):
    """A header this code does not understand gives no lifetime: nginx is then told nothing."""
    assert shared_max_age(cache_control) == seconds
