"""WSGI entry point for granian, gunicorn or any WSGI server: Django behind the local response
cache (pressroom.publiccache.handler), which answers cached public pages before Django's
middleware runs; the request metrics count those answers too."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
django.setup(set_prefix=False)

from pressroom.ops import metrics  # noqa: E402 (needs the apps loaded)
from pressroom.publiccache.handler import PublicCacheHandler  # noqa: E402


def _answered(route: str, seconds: float) -> None:
    metrics.record(route, "GET", 200, seconds)


application = PublicCacheHandler(answered=_answered)
