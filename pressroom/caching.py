"""HTTP caching that respects the clock: validators, conditional requests and honest lifetimes.

Every public read (site pages, feeds, sitemaps, API reads) goes through `public_cache`, which
sends an ETag and a Last-Modified, answers If-None-Match / If-Modified-Since with 304, and
gives a `Cache-Control: max-age` that never reaches past the next instant at which the page
could change on its own:

- the next issue instant of a release in a public state (a scheduled release appears at that
  second, with no worker and no purge: caches must come back by then), and
- the next midnight in Hong Kong ("today" and the calendar's current day move on).

The rule is global on purpose: any upcoming release caps every public response. Working out
which pages one release would touch (its day, its month, its department's feed, the API list
filtered by category...) is where stale pages come from; a short cap before a scheduled
release costs a few extra requests.

The ETag is a digest of the bytes sent, so it is exact. Last-Modified is the latest public
change the database records (an issue instant that has passed, a release saved, the start of
the Hong Kong day); clients that send both validators are judged by the ETag (RFC 9110 13.2.2).
"""

from __future__ import annotations

import datetime as dt
import functools
import math

from django.core.handlers.exception import response_for_exception
from django.db.models import Max, Min, Q
from django.http import Http404
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date

from pressroom.releases.models import HONG_KONG, PUBLIC_STATES, Release

# How long a cache may keep a public response when nothing is due sooner. Corrections and
# withdrawals happen at an unplanned moment, so this is also how stale they can be in a cache.
MAX_AGE_SECONDS = 60
_READ_METHODS = ("GET", "HEAD")


def next_issue_instant_after(now: dt.datetime) -> dt.datetime | None:
    """The next instant (strictly after `now`) at which a release in a public state appears."""
    return (
        Release.objects.filter(state__in=PUBLIC_STATES, issue_instant__gt=now)
        .order_by("issue_instant")
        .values_list("issue_instant", flat=True)
        .first()
    )


def next_hong_kong_midnight(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now, HONG_KONG)
    tomorrow = local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(tomorrow, dt.time.min, tzinfo=HONG_KONG)


def _start_of_hong_kong_day(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now, HONG_KONG)
    return dt.datetime.combine(local.date(), dt.time.min, tzinfo=HONG_KONG)


class PublicState:
    """What the clock and the database say about public content at one instant (one query)."""

    def __init__(self, now: dt.datetime):
        self.now = now
        timestamps = Release.objects.filter(state__in=PUBLIC_STATES).aggregate(
            next_issue=Min("issue_instant", filter=Q(issue_instant__gt=now)),
            last_issue=Max("issue_instant", filter=Q(issue_instant__lte=now)),
            last_saved=Max("updated_at", filter=Q(issue_instant__lte=now)),
        )
        self.next_issue: dt.datetime | None = timestamps["next_issue"]
        changes = [timestamps["last_issue"], timestamps["last_saved"], _start_of_hong_kong_day(now)]
        self.last_modified: dt.datetime = min(max(c for c in changes if c is not None), now)

    @property
    def next_change(self) -> dt.datetime:
        midnight = next_hong_kong_midnight(self.now)
        return min(self.next_issue, midnight) if self.next_issue else midnight

    @property
    def max_age(self) -> int:
        """Whole seconds a cache may keep a response: rounded down, so never past the change."""
        seconds_left = (self.next_change - self.now).total_seconds()
        return max(0, min(MAX_AGE_SECONDS, math.floor(seconds_left)))


def apply_public_caching(request, response, state: PublicState):
    """Cache-Control on every answer; validators and 304s on successful ones."""
    patch_cache_control(response, public=True, max_age=state.max_age)
    if response.status_code != 200 or response.streaming:
        return response
    if not getattr(response, "is_rendered", True):
        response.render()  # a TemplateResponse (the sitemap views): the ETag needs the bytes
    set_response_etag(response)
    # One Last-Modified for every public response (a feed's own newest entry date is replaced):
    # the value a client sends back in If-Modified-Since is then judged against the same clock.
    response.headers["Last-Modified"] = http_date(state.last_modified.timestamp())
    last_modified = math.floor(state.last_modified.timestamp())
    conditional = get_conditional_response(
        request, etag=response.headers["ETag"], last_modified=last_modified, response=response
    )
    if conditional is not response:
        # A 304 repeats the lifetime, so the cache refreshes its copy's max-age too.
        patch_cache_control(conditional, public=True, max_age=state.max_age)
    return conditional


def public_cache(view):
    """Decorate a public read view with clock-respecting caching (see the module docstring).

    The clock is read before the view runs: anything the view shows is then at least as new as
    that instant, so a lifetime computed from it can only be too short, never too long. A 404
    (e.g. a release not yet due) gets the same capped lifetime, so no cache keeps "not found"
    past the second it appears.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in _READ_METHODS:
            return view(request, *args, **kwargs)
        now = timezone.now()
        try:
            response = view(request, *args, **kwargs)
        except Http404 as error:
            response = response_for_exception(request, error)
        return apply_public_caching(request, response, PublicState(now))

    return wrapped
