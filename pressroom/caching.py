"""HTTP caching that respects the clock: validators, conditional requests and honest lifetimes.

Every public read (site pages, feeds, sitemaps, API reads) goes through `public_cache`, which
sends an ETag and a Last-Modified, answers If-None-Match / If-Modified-Since with 304, and
gives a lifetime (`Cache-Control: s-maxage` for shared caches; browsers revalidate, see
public_cache_directives) that never reaches past the next instant at which the page could
change on its own:

- the next issue instant of a release in a public state (a scheduled release appears at that
  second, with no worker and no purge: caches must come back by then), and
- the next midnight in Hong Kong ("today" and the calendar's current day move on).

The rule is global on purpose: any upcoming release caps every public response. Working out
which pages one release would touch (its day, its month, its department's feed, the API list
filtered by category...) is where stale pages come from; a short cap before a scheduled
release costs a few extra requests.

The ETag is a digest of the bytes sent, so it is exact. Last-Modified is the latest change the
database records (an issue instant that has passed, any release saved, the start of the Hong
Kong day); clients that send both validators are judged by the ETag (RFC 9110 13.2.2).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import math
import threading
import time

from django.conf import settings
from django.core.handlers.exception import response_for_exception
from django.db import DatabaseError, connection, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date

from pressroom.releases import visibility
from pressroom.releases.models import HONG_KONG, Release

# How long a cache may keep a public response when nothing is due sooner. Corrections and
# withdrawals happen at an unplanned moment, so this is also how stale they can be in a cache.
MAX_AGE_SECONDS = 60
_READ_METHODS = ("GET", "HEAD")
# While the database does not answer, how often a web process tries it again for a new reading.
UNREACHABLE_RETRY_SECONDS = 0.5

logger = logging.getLogger(__name__)


def next_issue_instant_after(now: dt.datetime) -> dt.datetime | None:
    """The next instant (strictly after `now`) at which a release in a public state appears."""
    return (
        Release.objects.filter(visibility.upcoming_at(now))
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


def _public_state_sql(at) -> tuple[str, list]:
    """Three index probes in one statement, written out: compiling the same query through the
    ORM on every request costs more than running it. Each is "first row in index order", never
    an aggregate over every row (Max with a filter scans the whole table on PostgreSQL)."""
    table = connection.ops.quote_name(Release._meta.db_table)
    upcoming, upcoming_params = visibility.upcoming_sql(at)
    public, public_params = visibility.public_sql(at)
    sql = (
        f"SELECT (SELECT updated_at FROM {table} ORDER BY updated_at DESC LIMIT 1), "
        f"(SELECT issue_instant FROM {table} WHERE {upcoming} "
        "ORDER BY issue_instant LIMIT 1), "
        f"(SELECT issue_instant FROM {table} WHERE {public} "
        "ORDER BY issue_instant DESC LIMIT 1)"
    )
    return sql, [*upcoming_params, *public_params]


def _as_instant(value) -> dt.datetime | None:
    """A database timestamp as an aware datetime (SQLite hands raw SQL results back as text)."""
    if value is None or isinstance(value, dt.datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=dt.UTC)
    parsed = parse_datetime(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


class PublicationReading:
    """What the database said about public content at one instant (`taken_at`): the newest
    save of any release, the next issue instant after it and the last one up to it.

    It stays true, with nothing read again, until the next issue instant or Hong Kong midnight
    (`holds_at`): those are known in advance, so a reading never hides a scheduled release past
    its second. What it cannot know is a save made after it was taken (a correction, a
    withdrawal, a new schedule): `current_state` takes a new one every
    PRESSROOM_EPOCH_REREAD_MS, and at once after a save in this process.
    """

    __slots__ = ("taken_at", "newest_save", "next_issue", "last_issue", "good_until", "epoch",
                 "day_start")  # fmt: skip

    def __init__(self, taken_at, newest_save, next_issue, last_issue):
        self.taken_at: dt.datetime = taken_at
        self.newest_save: dt.datetime | None = newest_save
        self.next_issue: dt.datetime | None = next_issue
        self.last_issue: dt.datetime | None = last_issue
        midnight = next_hong_kong_midnight(taken_at)
        self.good_until: dt.datetime = min(next_issue, midnight) if next_issue else midnight
        self.day_start = _start_of_hong_kong_day(taken_at)
        saved = newest_save.timestamp() if newest_save else 0
        due = next_issue.timestamp() if next_issue else 0
        self.epoch = f"{saved:.6f}-{due:.6f}-{timezone.localtime(taken_at, HONG_KONG):%Y%m%d}"

    @classmethod
    def take(cls, now: dt.datetime) -> PublicationReading:
        """One query of three index probes, as cheap at a million releases as at ten."""
        sql, params = _public_state_sql(connection.ops.adapt_datetimefield_value(now))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            newest_save, next_issue, last_issue = map(_as_instant, cursor.fetchone())
        return cls(now, newest_save, next_issue, last_issue)

    def holds_at(self, now: dt.datetime) -> bool:
        """Whether nothing known in advance (an issue instant, midnight) has changed since."""
        return self.taken_at <= now < self.good_until


class PublicState:
    """What the clock and the database say about public content at one instant.

    `newest_save` is the latest save of any release, public or not: every path that changes
    what a public page shows saves the release (the workflow actions, the importer), so it
    and `next_issue` together name the *publication epoch* that `pressroom.pagecache` keeps
    rendered pages under. `PublicState(now)` reads the database; `current_state(now)` uses
    this process's latest reading while it holds.
    """

    def __init__(self, now: dt.datetime, reading: PublicationReading | None = None):
        reading = reading or PublicationReading.take(now)
        self.now = now
        self.reading = reading
        self.newest_save: dt.datetime | None = reading.newest_save
        self.next_issue: dt.datetime | None = reading.next_issue
        # Any save counts as a change, even of a draft: a Last-Modified that is later than the
        # last public change only costs a client a full answer instead of a 304, never a stale
        # page, and it saves an index probe that degrades when many releases are in draft.
        changes = [reading.last_issue, reading.newest_save, reading.day_start]
        self.last_modified: dt.datetime = min(max(c for c in changes if c is not None), now)

    @property
    def max_age(self) -> int:
        """Whole seconds a cache may keep a response: rounded down, so never past the change."""
        return seconds_until(self.next_change, self.now)

    @property
    def next_change(self) -> dt.datetime:
        return self.reading.good_until

    @property
    def fresh_until(self) -> float:
        """When the lifetime ends, as a Unix time: the next change itself (at most
        MAX_AGE_SECONDS away), not `max_age`'s whole seconds, so that the micro-cache may keep
        a page through the last fraction of a second before an instant
        (pressroom.ops.middleware.MicroCacheMiddleware)."""
        return min(self.next_change.timestamp(), self.now.timestamp() + MAX_AGE_SECONDS)

    @property
    def last_modified_header(self) -> str:
        return http_date(self.last_modified.timestamp())

    @property
    def epoch(self) -> str:
        """Changes whenever public content can: a release saved, an issue instant or Hong Kong
        midnight crossed. Equal epochs mean the same public content (see pressroom.pagecache)."""
        return self.reading.epoch


class _LatestReading:
    """This process's latest reading, shared by its threads (see `current_state`)."""

    def __init__(self):
        self.lock = threading.Lock()
        # (reading, time.perf_counter() after which it is read again); None: nothing read yet.
        self.latest: tuple[PublicationReading, float] | None = None
        self.unreachable = False

    def usable(self, now: dt.datetime) -> PublicationReading | None:
        latest = self.latest
        if latest is not None and latest[1] > time.perf_counter() and latest[0].holds_at(now):
            return latest[0]
        return None

    def refresh(self, now: dt.datetime) -> PublicationReading:
        latest = self.latest
        holding = latest[0] if latest is not None and latest[0].holds_at(now) else None
        # A thread already reading: the others go on with the reading that still holds (only
        # one past an instant or midnight makes them wait).
        if not self.lock.acquire(blocking=holding is None):
            return holding
        try:
            fresh = self.usable(now)  # taken by another thread while this one waited
            if fresh is not None:
                return fresh
            try:
                reading = PublicationReading.take(now)
            except DatabaseError as error:
                if holding is None:
                    raise
                self._keep_through_outage(holding, error)
                return holding
            if self.unreachable:
                self.unreachable = False
                logger.warning("the database answers again: publication readings resumed")
            self.latest = (reading, time.perf_counter() + settings.PRESSROOM_EPOCH_REREAD_MS / 1000)
            return reading
        finally:
            self.lock.release()

    def _keep_through_outage(self, holding: PublicationReading, error: DatabaseError) -> None:
        """No new reading: the last one still holds for what is known in advance, and nobody
        can save a release meanwhile (saves go to the same database), so kept pages go on being
        answered; only an issue instant or midnight reached during the outage needs the
        database. The broken connection is closed, so the next try opens a new one."""
        if not self.unreachable:
            self.unreachable = True
            logger.warning("the database does not answer (%s): answering from the last "
                           "publication reading until it does", str(error).strip()[:200])  # fmt: skip
        connection.close()
        self.latest = (holding, time.perf_counter() + UNREACHABLE_RETRY_SECONDS)

    def forget(self) -> None:
        self.latest = None


_latest_reading = _LatestReading()


def current_state(now: dt.datetime | None = None) -> PublicState:
    """The public state at `now`, from this process's latest reading while it holds.

    A reading is taken again every PRESSROOM_EPOCH_REREAD_MS (so a correction, withdrawal or
    schedule saved by another process shows within that time), at once after a release is
    saved in this process (`forget_reading`), and always at an issue instant or midnight (so
    nothing scheduled is ever shown late by a reading, let alone early). Inside a transaction
    the request takes its own reading: it may see its own uncommitted saves, which must not
    name the epoch that other threads file pages under.
    """
    now = now or timezone.now()
    if connection.in_atomic_block:
        return PublicState(now)
    reading = _latest_reading.usable(now) or _latest_reading.refresh(now)
    return PublicState(now, reading)


def forget_reading() -> None:
    """Rows written in this process without Release.save() (the importer's bulk path): the
    next request takes a new reading."""
    _latest_reading.forget()


def release_changed(**_signal_arguments) -> None:
    """A release saved or deleted in this process (Release's post_save and post_delete, in
    `pressroom.releases.apps`): forgotten now and once more when the transaction commits, so
    no thread keeps a reading taken in between."""
    _latest_reading.forget()
    transaction.on_commit(_latest_reading.forget)


def seconds_until(change: dt.datetime, now: dt.datetime) -> int:
    """Whole seconds from `now` to `change`, at most MAX_AGE_SECONDS, rounded down."""
    seconds_left = (change - now).total_seconds()
    return max(0, min(MAX_AGE_SECONDS, math.floor(seconds_left)))


def apply_public_caching(request, response, state: PublicState):
    """Cache-Control on every answer; validators and 304s on successful ones."""
    response = finish_public_response(response, state)
    return conditional_answer(request, response, state)


def public_cache_directives(max_age: int) -> dict:
    """The Cache-Control of a public answer that may be kept `max_age` seconds, as keyword
    arguments for Django's patch_cache_control.

    The lifetime goes to shared caches (s-maxage: nginx's micro-cache, a CDN in front of it)
    and browsers are told to revalidate every time (max-age=0, must-revalidate). A browser
    keeps its copy from the moment it receives it, and a shared cache sends no Age header: a
    browser handed a copy that has already spent part of its lifetime in the cache would keep
    it past the instant it ends. Revalidating is cheap: the ETag makes it a 304 from the cache.
    Saying both in the app's own header, as HTTP means them, spares nginx from rewriting the
    header on every hit (and a directly-served app answers the same way).

    A kept page also allows stale-while-revalidate (PRESSROOM_STALE_WHILE_REVALIDATE_SECONDS):
    when nginx's copy runs out, the first reader's request fetches the new one and the readers
    who arrive meanwhile get the previous copy, instead of all of them going to the app at once
    (a crowd of thousands, every second, on a typhoon morning). nginx serves a stale copy only
    while that fetch is under way, and at most this many seconds past the copy's end. A stale
    copy can only be late, never early: it was made before the instant, so it holds nothing
    that was not public then. Browsers may not use it (must-revalidate).
    """
    if not max_age:
        return {"public": True, "max_age": 0}
    directives: dict = {"public": True, "max_age": 0, "must_revalidate": True, "s_maxage": max_age}
    stale = settings.PRESSROOM_STALE_WHILE_REVALIDATE_SECONDS
    if stale:
        directives["stale_while_revalidate"] = stale
    return directives


def public_cache_control(max_age: int) -> str:
    """public_cache_directives as the header patch_cache_control writes on a fresh response."""
    return ", ".join(
        name.replace("_", "-") if value is True else f"{name.replace('_', '-')}={value}"
        for name, value in public_cache_directives(max_age).items()
    )


def finish_public_response(response, state: PublicState):
    """The headers every public answer carries (the lifetime; validators on a 200)."""
    patch_cache_control(response, **public_cache_directives(state.max_age))
    # The same end as an absolute instant, for the front cache (pressroom.ops.middleware).
    response.fresh_until = state.fresh_until
    if response.status_code != 200 or response.streaming:
        return response
    if not getattr(response, "is_rendered", True):
        response.render()  # a TemplateResponse (the sitemap views): the ETag needs the bytes
    if not response.has_header("ETag"):  # a copy from the page cache keeps its digest
        set_response_etag(response)
    # One Last-Modified for every public response (a feed's own newest entry date is replaced):
    # the value a client sends back in If-Modified-Since is then judged against the same clock.
    response.headers["Last-Modified"] = state.last_modified_header
    return response


# The headers of a public page that the clock, not the page, decides.
CLOCK_HEADERS = ("Cache-Control", "Last-Modified", "X-Accel-Expires")


def clock_headers(state: PublicState) -> list[tuple[str, str]]:
    """CLOCK_HEADERS at `state.now` for a kept 200 page, in the order the way through Django
    sends them (finish_public_response, then MicroCacheMiddleware, which puts X-Accel-Expires
    before Cache-Control): pressroom.frontdoor sends these after the page's other headers as
    Django sent them. tests/frontdoor compares both ways."""
    from pressroom.ops.middleware import accel_expires

    headers = [("Last-Modified", state.last_modified_header)]
    expires = accel_expires(state.fresh_until, settings.PRESSROOM_MICROCACHE_SECONDS)
    if expires is not None:
        headers.append(("X-Accel-Expires", expires))
    headers.append(("Cache-Control", public_cache_control(state.max_age)))
    return headers


def conditional_answer(request, response, state: PublicState):
    """A 304 when the client's validators still match the 200 `response`, else `response`."""
    if response.status_code != 200 or response.streaming:
        return response
    last_modified = math.floor(state.last_modified.timestamp())
    conditional = get_conditional_response(
        request, etag=response.headers["ETag"], last_modified=last_modified, response=response
    )
    if conditional is not response:
        # A 304 repeats the lifetime, so the cache refreshes its copy's lifetime too.
        patch_cache_control(conditional, **public_cache_directives(state.max_age))
        conditional.fresh_until = response.fresh_until
    return conditional


def public_cache(view=None, *, keep_rendered: bool = False):
    """Decorate a public read view with clock-respecting caching (see the module docstring).

    The clock is read before the view runs: anything the view shows is then at least as new as
    that instant, so a lifetime computed from it can only be too short, never too long. A 404
    (e.g. a release not yet due) gets the same capped lifetime, so no cache keeps "not found"
    past the second it appears.

    `keep_rendered=True` also keeps the page's bytes in `pressroom.pagecache` for as long as
    the publication epoch lasts, so the next request for it is answered without rendering.
    Only for views whose bytes depend on the URL and the releases alone (not on the user, the
    session, a search index or a form token).
    """
    if view is None:
        return functools.partial(public_cache, keep_rendered=keep_rendered)

    from pressroom import pagecache

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in _READ_METHODS:
            return view(request, *args, **kwargs)
        state = current_state()
        if not keep_rendered:
            return conditional_answer(request, render(request, state, *args, **kwargs), state)
        copy = pagecache.lookup(request, state)
        if copy is None:
            copy = pagecache.render_once(
                request, state, lambda: render(request, state, *args, **kwargs)
            )
        return conditional_answer(request, finish_public_response(copy, state), state)

    def render(request, state, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404 as error:
            response = response_for_exception(request, error)
        response = finish_public_response(response, state)
        if keep_rendered:
            pagecache.store(request, response, state)
        return response

    return wrapped
