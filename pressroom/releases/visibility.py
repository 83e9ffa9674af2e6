"""Whether a release is public at an instant: the one rule every door asks.

A release is public at `now` when it is in a public state (scheduled or later: nothing waits
for a worker to mark it published) and its issue instant is not after `now`. The rule is
written once, here, in the three forms its callers need:

- `public_at(now)`, a Q expression for the ORM (`Release.objects.public(now)`, and any query
  that reaches releases through a relation: `public_at(now, "release__")`);
- `public_sql(now)`, the same condition as SQL over any table that carries `state` and
  `issue_instant` columns (the search documents copy both, so a search never joins the
  archive; the generation of pressroom.publiccache reads the release table directly);
- `is_public(state, issue_instant, now)`, for a release already in memory.

`upcoming_at` and `upcoming_sql` are its other side: releases in a public state whose instant
is still to come, the ones that will appear on their own (caches end their lifetimes there).
tests/releases/test_visibility.py checks that every caller asks this module and that a release
scheduled at t is nowhere at t - 1 s and everywhere at t.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from pressroom.releases.states import PUBLIC_STATES

_STATE_VALUES = [str(state) for state in PUBLIC_STATES]
_STATES_SQL = ", ".join(["%s"] * len(PUBLIC_STATES))


def public_at(now: dt.datetime, prefix: str = "") -> Q:
    """Releases public at `now` (`prefix` reaches them through a relation, e.g. "release__")."""
    return Q(**{f"{prefix}state__in": PUBLIC_STATES, f"{prefix}issue_instant__lte": now})


def upcoming_at(now: dt.datetime, prefix: str = "") -> Q:
    """Releases that will appear on their own after `now` (public state, instant to come)."""
    return Q(**{f"{prefix}state__in": PUBLIC_STATES, f"{prefix}issue_instant__gt": now})


def public_sql(now_value, column_prefix: str = "") -> tuple[str, list]:
    """`public_at` as SQL and its parameters; `now_value` as the database takes it
    (connection.ops.adapt_datetimefield_value), `column_prefix` e.g. "d." for a table alias."""
    return (
        f"{column_prefix}state IN ({_STATES_SQL}) AND {column_prefix}issue_instant <= %s",
        [*_STATE_VALUES, now_value],
    )


def upcoming_sql(now_value, column_prefix: str = "") -> tuple[str, list]:
    """`upcoming_at` as SQL and its parameters (see public_sql)."""
    return (
        f"{column_prefix}state IN ({_STATES_SQL}) AND {column_prefix}issue_instant > %s",
        [*_STATE_VALUES, now_value],
    )


def is_public(state: str, issue_instant: dt.datetime | None, now: dt.datetime) -> bool:
    """`public_at` for one release in memory."""
    return state in PUBLIC_STATES and issue_instant is not None and issue_instant <= now
