"""Settings every test runs under. The shared fixtures are in tests/support/fixtures.py, the
shared helpers in tests/support/."""

from __future__ import annotations

import pytest

# Re-exported for tests/ops/test_redis_cache.py until the public-cache tests import it from
# tests.support.environment (it moves with them).

pytest_plugins = ["tests.support.fixtures"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded photos of a test go to its own folder, never the developer's data folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_page_cache(settings):
    """Each test starts with an empty response cache: it files pages under save times,
    and frozen clocks give different tests the same ones."""
    from django.core.cache import cache

    from pressroom.publiccache.generation import forget_generation

    if "LocMemCache" in settings.CACHES["default"]["BACKEND"]:
        cache.clear()
    forget_generation()  # read from another test's database, at another test's clock


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
