"""The generation key: what names the current state of public content, and how long it holds.

Every public answer's lifetime ends at the next instant at which a page could change on its
own: the next issue instant of a release in a public state (a scheduled release appears at its
second, with no worker and no purge: caches must come back by then), and the next midnight in
Hong Kong ("today" and the calendar's current day move on). The rule is global on purpose: any
upcoming release caps every public answer. Working out which pages one release would touch
(its day, its month, its department's feed, the API list filtered by category...) is where
stale pages come from; a short cap before a scheduled release costs a few extra requests.

The *generation key* names what public content is: the newest save of any release, the next
issue instant and the Hong Kong date. The response cache files pages under it
(`pressroom.publiccache.responses`): a correction, a withdrawal or an instant changes the key,
so nothing is ever purged and no message crosses workers or machines.

Each web process keeps its latest `Generation` (one query of three index probes) while it holds:
until the next issue instant or midnight, which it knows in advance, only a save can change it.
It is read again every PRESSROOM_GENERATION_REREAD_MS (a save in another process shows within that
time), at once after a save in this process (`release_changed`, connected to the releases
app's signals in `apps.py`), and always at an instant or midnight.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date

from pressroom.releases import visibility
from pressroom.releases.models import HONG_KONG, Release

# How long a cache may keep a public answer when nothing is due sooner. Corrections and
# withdrawals happen at an unplanned moment, so this is also how stale they can be in a cache.
MAX_AGE_SECONDS = 60
# While the database does not answer, how often a web process tries it again for a generation.
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


def seconds_until(change: dt.datetime, now: dt.datetime) -> int:
    """Whole seconds from `now` to `change`, at most MAX_AGE_SECONDS, rounded down."""
    seconds_left = (change - now).total_seconds()
    return max(0, min(MAX_AGE_SECONDS, math.floor(seconds_left)))


def _generation_sql(at) -> tuple[str, list]:
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


class Generation:
    """What the database said about public content at one instant (`read_at`): the newest save
    of any release, the next issue instant after it and the last one up to it, and the
    generation `key` they make with the Hong Kong date.

    It holds, with nothing read again, until the next issue instant or Hong Kong midnight
    (`holds_at`): those are known in advance, so a generation never hides a scheduled release
    past its second. What it cannot know is a save made after it was read (a correction, a
    withdrawal, a new schedule): `current_freshness` reads a new one every
    PRESSROOM_GENERATION_REREAD_MS, and at once after a save in this process.
    """

    __slots__ = ("read_at", "newest_save", "next_issue", "last_issue", "valid_until", "key",
                 "day_start")  # fmt: skip

    def __init__(self, read_at, newest_save, next_issue, last_issue):
        self.read_at: dt.datetime = read_at
        self.newest_save: dt.datetime | None = newest_save
        self.next_issue: dt.datetime | None = next_issue
        self.last_issue: dt.datetime | None = last_issue
        midnight = next_hong_kong_midnight(read_at)
        self.valid_until: dt.datetime = min(next_issue, midnight) if next_issue else midnight
        self.day_start = _start_of_hong_kong_day(read_at)
        saved = newest_save.timestamp() if newest_save else 0
        due = next_issue.timestamp() if next_issue else 0
        self.key = f"{saved:.6f}-{due:.6f}-{timezone.localtime(read_at, HONG_KONG):%Y%m%d}"

    @classmethod
    def read(cls, now: dt.datetime) -> Generation:
        """One query of three index probes, as cheap at a million releases as at ten."""
        sql, params = _generation_sql(connection.ops.adapt_datetimefield_value(now))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            newest_save, next_issue, last_issue = map(_as_instant, cursor.fetchone())
        return cls(now, newest_save, next_issue, last_issue)

    def holds_at(self, now: dt.datetime) -> bool:
        """Whether nothing known in advance (an issue instant, midnight) has changed since."""
        return self.read_at <= now < self.valid_until


class Freshness:
    """A generation seen at one instant (`now`): the lifetime of an answer made now, its
    Last-Modified and the generation key.

    `newest_save` is the latest save of any release, public or not: every path that changes
    what a public page shows saves the release (the workflow actions, the write path), so it
    and `next_issue` together name the generation. `Freshness(now)` reads the database;
    `current_freshness(now)` uses this process's latest generation while it holds.
    """

    def __init__(self, now: dt.datetime, generation: Generation | None = None):
        generation = generation or Generation.read(now)
        self.now = now
        self.generation = generation
        self.newest_save: dt.datetime | None = generation.newest_save
        self.next_issue: dt.datetime | None = generation.next_issue
        # Any save counts as a change, even of a draft: a Last-Modified that is later than the
        # last public change only costs a client a full answer instead of a 304, never a stale
        # page, and it saves an index probe that degrades when many releases are in draft.
        changes = [generation.last_issue, generation.newest_save, generation.day_start]
        self.last_modified: dt.datetime = min(max(c for c in changes if c is not None), now)

    @property
    def key(self) -> str:
        """Changes whenever public content can: a release saved, an issue instant or Hong Kong
        midnight crossed. Equal keys mean the same public content."""
        return self.generation.key

    @property
    def next_change(self) -> dt.datetime:
        return self.generation.valid_until

    @property
    def max_age(self) -> int:
        """Whole seconds a cache may keep an answer: rounded down, so never past the change."""
        return seconds_until(self.next_change, self.now)

    @property
    def expires_at(self) -> float:
        """When the lifetime ends, as a Unix time: the next change itself (at most
        MAX_AGE_SECONDS away), not `max_age`'s whole seconds, so that nginx may keep a page
        through the last fraction of a second before an instant (X-Accel-Expires)."""
        return min(self.next_change.timestamp(), self.now.timestamp() + MAX_AGE_SECONDS)

    @property
    def last_modified_header(self) -> str:
        return http_date(self.last_modified.timestamp())


class _LatestGeneration:
    """This process's latest generation, shared by its threads (see `current_freshness`)."""

    def __init__(self):
        self.lock = threading.Lock()
        # (generation, time.perf_counter() after which it is read again); None: nothing read.
        self.latest: tuple[Generation, float] | None = None
        self.unreachable = False

    def usable(self, now: dt.datetime) -> Generation | None:
        latest = self.latest
        if latest is not None and latest[1] > time.perf_counter() and latest[0].holds_at(now):
            return latest[0]
        return None

    def refresh(self, now: dt.datetime) -> Generation:
        latest = self.latest
        holding = latest[0] if latest is not None and latest[0].holds_at(now) else None
        # A thread already reading: the others go on with the generation that still holds
        # (only one past an instant or midnight makes them wait).
        if not self.lock.acquire(blocking=holding is None):
            return holding
        try:
            fresh = self.usable(now)  # read by another thread while this one waited
            if fresh is not None:
                return fresh
            try:
                generation = Generation.read(now)
            except DatabaseError as error:
                if holding is None:
                    raise
                self._keep_through_outage(holding, error)
                return holding
            if self.unreachable:
                self.unreachable = False
                logger.warning("the database answers again: generations are read again")
            reread = time.perf_counter() + settings.PRESSROOM_GENERATION_REREAD_MS / 1000
            self.latest = (generation, reread)
            return generation
        finally:
            self.lock.release()

    def _keep_through_outage(self, holding: Generation, error: DatabaseError) -> None:
        """No new generation: the last one still holds for what is known in advance, and
        nobody can save a release meanwhile (saves go to the same database), so cached pages
        go on being answered; only an issue instant or midnight reached during the outage
        needs the database. The broken connection is closed, so the next try opens a new one."""
        if not self.unreachable:
            self.unreachable = True
            logger.warning("the database does not answer (%s): answering from the last "
                           "generation until it does", str(error).strip()[:200])  # fmt: skip
        connection.close()
        self.latest = (holding, time.perf_counter() + UNREACHABLE_RETRY_SECONDS)

    def forget(self) -> None:
        self.latest = None


_latest = _LatestGeneration()


def current_freshness(now: dt.datetime | None = None) -> Freshness:
    """The freshness of public content at `now`, from this process's latest generation while
    it holds.

    A generation is read again every PRESSROOM_GENERATION_REREAD_MS (so a correction, withdrawal or
    schedule saved by another process shows within that time), at once after a release is
    saved in this process (`forget_generation`), and always at an issue instant or midnight
    (so nothing scheduled is ever shown late by it, let alone early). Inside a transaction the
    request reads its own: it may see its own uncommitted saves, which must not name the
    generation that other threads file pages under.
    """
    now = now or timezone.now()
    if connection.in_atomic_block:
        return Freshness(now)
    generation = _latest.usable(now) or _latest.refresh(now)
    return Freshness(now, generation)


def forget_generation() -> None:
    """The next request in this process reads a new generation."""
    _latest.forget()


def release_changed(**_signal_arguments) -> None:
    """A release saved, deleted or its text written in this process (receiver of the releases
    app's signals, see `apps.py`): forgotten now and once more when the transaction commits,
    so no thread keeps a generation read in between."""
    _latest.forget()
    transaction.on_commit(_latest.forget)
