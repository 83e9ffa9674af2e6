"""Choosing the search backend the Django way: `PRESSROOM_SEARCH = {"BACKEND": "dotted.path"}`.

Without a BACKEND the database decides: FTS5 on SQLite, tsvector on PostgreSQL. The index lives
in the same database as the releases, so it is written in the same transaction as they are.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.utils.module_loading import import_string

from pressroom.search.backends.base import BaseSearchBackend

BY_VENDOR = {
    "sqlite": "pressroom.search.backends.sqlite_fts5.SqliteFts5Backend",
    "postgresql": "pressroom.search.backends.postgres.PostgresBackend",
}


def backend_path(alias: str = "default") -> str:
    configured = getattr(settings, "PRESSROOM_SEARCH", {}).get("BACKEND")
    if configured:
        return configured
    vendor = connections[alias].vendor
    if vendor not in BY_VENDOR:
        raise ImproperlyConfigured(f"no search backend for the {vendor} database")
    return BY_VENDOR[vendor]


def get_backend(alias: str = "default") -> BaseSearchBackend:
    options = dict(getattr(settings, "PRESSROOM_SEARCH", {}).get("OPTIONS", {}))
    backend_class = import_string(backend_path(alias))
    backend = backend_class(alias, **options)
    if backend.vendor and backend.vendor != connections[alias].vendor:
        raise ImproperlyConfigured(
            f"PRESSROOM_SEARCH_BACKEND {backend_path(alias)} needs a {backend.vendor} database, "
            f"not {connections[alias].vendor}"
        )
    return backend
