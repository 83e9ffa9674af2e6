"""The worker's clock: sleep until the next due delivery or a wake-up, then hand out due work.

    loop:
        heartbeat, take back abandoned claims, make sure the next digests are planned (1/s);
        delete old finished task rows (every 10 minutes)
        fan out new events (ahead of their instant) and due events (final recipient list)
        claim due deliveries in batches and enqueue a `deliver_batch` task for each
        sleep until min(next due delivery, next event to fan out, a wake-up signal)

It never sweeps on a fixed period: at an issue instant it wakes within a few milliseconds (see
bench/distribution/README.md). Any number of workers may run; claims keep them apart.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    close_old_connections,
    transaction,
)
from django.utils import timezone

from pressroom.distribution import claims, outbox
from pressroom.distribution.models import Channel, DistributionEvent, EventKind
from pressroom.distribution.outages import DatabaseOutage
from pressroom.distribution.wakeup import WakeSource
from pressroom.releases.models import HONG_KONG

logger = logging.getLogger("pressroom.distribution")
HOUSEKEEPING_SECONDS = 1.0
# Digests go out at 18:00 Hong Kong time: daily every day, weekly on Fridays.
DIGEST_HOUR = 18
WEEKLY_DIGEST_WEEKDAY = 4
# Newsrooms first at an instant: their batches are queued before the mails'.
CHANNEL_ORDER = (Channel.WEBHOOK, Channel.EMAIL)
# Finished task rows older than PRESSROOM_TASK_RESULTS_KEEP_DAYS go every PRUNE_SECONDS, in
# deletes of at most PRUNE_CHUNK rows.
PRUNE_SECONDS = 600.0
PRUNE_CHUNK = 2000


# Deliveries due this soon are claimed and queued now, and their sender waits for the instant
# before anything goes out (sending.send_claimed): claiming, queueing, taking the task and
# adopting the batch then happen before the instant instead of after it; otherwise that work
# made the first webhook after an instant late (bench/distribution).
ARM_AHEAD = dt.timedelta(milliseconds=250)
# Newsrooms only: mail armed too fired its batches at the instant beside the newsrooms' and
# took the first release's 1,000 webhooks from 1.75 s to 2.25 s (bench/distribution, full
# size); mail goes when due, behind them, as before.
ARMED_CHANNELS = frozenset({Channel.WEBHOOK})

# How long a queued batch may go unadopted before its task is looked at (a sender adopts its
# batch first thing, within milliseconds of taking it).
LOST_BATCH_SECONDS = 5.0


@dataclass(eq=False)
class QueuedBatch:
    """A claim this worker queued, with the queue's handle on its task (None when the enqueue
    function gives none: then it is never taken for lost).

    `in_queue`, where the queue can tell, says whether a task the queue still calls waiting
    (READY) is really in it. RQ's worker moves a job off its queue before it marks the job
    started; one killed in between leaves a job that says "queued" and that nobody will run
    (RQ's own maintenance fails it ten minutes on). Seen in bench/faults: a task worker killed
    at an issue instant took that instant's webhook with it."""

    claim: claims.Claim
    task: object
    queued_at: float
    in_queue: Callable[[object], bool] | None = None
    # When the task was first seen READY but no longer in its queue.
    left_queue_at: float | None = None

    def still_queued(self) -> bool:
        """Waiting in the queue, or taken by a sender only a moment ago."""
        from django_tasks.base import TaskResultStatus
        from django_tasks.exceptions import TaskResultDoesNotExist

        if self.task is None or not hasattr(self.task, "refresh"):
            return True
        try:
            self.task.refresh()
        except TaskResultDoesNotExist:
            return False
        except Exception as error:  # the queue itself out of reach (Redis restarting): ask later
            logger.debug(
                "could not look at queued task %s: %s", getattr(self.task, "id", "?"), error
            )
            return True
        if self.task.status == TaskResultStatus.READY:
            return self._waiting_or_just_taken()
        started = self.task.started_at
        return (
            self.task.status == TaskResultStatus.RUNNING
            and started is not None
            and (timezone.now() - started).total_seconds() < LOST_BATCH_SECONDS
        )

    def _waiting_or_just_taken(self) -> bool:
        if self.in_queue is None:
            return True
        try:
            if self.in_queue(self.task):
                return True
        except Exception as error:  # the queue out of reach: ask later
            logger.debug(
                "could not look for task %s in its queue: %s", getattr(self.task, "id", "?"), error
            )
            return True
        # Off the queue and not started: a sender starts what it takes at once.
        if self.left_queue_at is None:
            self.left_queue_at = time.monotonic()
        return time.monotonic() - self.left_queue_at < LOST_BATCH_SECONDS

    def describe(self) -> str:
        status = getattr(self.task, "status", "unknown")
        return f"task {getattr(self.task, 'id', '?')} {status}, {len(self.claim.ids)} deliveries"


def new_worker_id() -> str:
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{secrets.token_hex(3)}"


def next_digest_instants(now: dt.datetime) -> dict[str, dt.datetime]:
    local = timezone.localtime(now, HONG_KONG)
    daily = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if daily <= local:
        daily += dt.timedelta(days=1)
    weekly = daily + dt.timedelta(days=(WEEKLY_DIGEST_WEEKDAY - daily.weekday()) % 7)
    return {EventKind.DAILY_DIGEST: daily, EventKind.WEEKLY_DIGEST: weekly}


def prune_task_results(now: dt.datetime, chunk: int | None = None) -> int:
    """Delete finished django-tasks-db rows older than PRESSROOM_TASK_RESULTS_KEEP_DAYS, at
    most `chunk` (short statements: on SQLite the senders share the one writer); returns how
    many. Ready and running rows are never touched."""
    from django.conf import settings
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    cutoff = now - dt.timedelta(days=settings.PRESSROOM_TASK_RESULTS_KEEP_DAYS)
    old = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED], finished_at__lt=cutoff
    ).order_by()
    ids = list(old.values_list("pk", flat=True)[: chunk or PRUNE_CHUNK])
    if not ids:
        return 0
    deleted, _ = DBTaskResult.objects.filter(pk__in=ids).delete()
    return deleted


def plan_digests(now: dt.datetime) -> None:
    for kind, instant in next_digest_instants(now).items():
        if not DistributionEvent.objects.filter(
            kind=kind, due_at=instant, release__isnull=True
        ).exists():
            try:
                with transaction.atomic():
                    DistributionEvent.objects.create(kind=kind, due_at=instant)
            except IntegrityError:  # another worker planned it at the same moment
                pass


class Dispatcher:
    def __init__(
        self,
        worker_id: str,
        enqueue_batch: Callable[[list[int], str, dt.datetime | None], object],
        wake: WakeSource,
        *,
        batch_size: int | dict[str, int] = 100,
        max_outstanding: int | dict[str, int] = 800,
        on_wake: Callable[[], None] | None = None,
        in_queue: Callable[[object], bool] | None = None,
    ):
        self.worker_id = worker_id
        self.enqueue_batch = enqueue_batch
        # Whether a queued task is really still in its queue (QueuedBatch.in_queue), where the
        # task backend can tell.
        self.in_queue = in_queue
        self.wake = wake
        # Per channel: deliveries per task (`enqueue_batch(ids, channel, not_before)`, which
        # returns the queued task's result handle; not_before: the instant its sender waits
        # for, or None).
        if isinstance(batch_size, int):
            batch_size = {channel: batch_size for channel in CHANNEL_ORDER}
        self.batch_size = batch_size
        # Per channel: how many of its deliveries may be claimed and not yet recorded.
        if isinstance(max_outstanding, int):
            max_outstanding = {channel: max_outstanding for channel in CHANNEL_ORDER}
        self.max_outstanding = max_outstanding
        self.on_wake = on_wake or (lambda: None)
        self._last_housekeeping = 0.0
        self._next_prune = 0.0
        # Claimed, then not queued because the database failed in between: handed back first
        # thing once it answers again.
        self._not_queued: list[int] = []
        # Queued and not yet known to be adopted by a sender (see recover_lost_batches).
        self._queued: list[QueuedBatch] = []

    def run(self, stop: threading.Event) -> None:
        """Step and sleep until stopped, outliving a database that goes away for a while.

        A restarted database server (or a dropped connection) fails one round; the round is
        tried again after a short pause with a new connection, so the worker picks up where it
        was instead of living on with a dead dispatcher. Claims and the outbox make a repeated
        round harmless.
        """
        outage = DatabaseOutage(stop)
        signed_in = False
        while not stop.is_set():
            try:
                if not signed_in:
                    claims.heartbeat(self.worker_id, timezone.now())
                    signed_in = True
                busy = self.step()
                if not busy:
                    self.sleep()
                outage.over()
            except (DatabaseError, InterfaceError) as error:
                outage.wait(error)
        close_old_connections()

    def step(self) -> bool:
        """One round of work; True when there may be more to do at once."""
        now = timezone.now()
        if time.monotonic() - self._last_housekeeping >= HOUSEKEEPING_SECONDS:
            self.housekeeping(now)
        # What is due goes out first; fanning out (new events, or the final recipient list of
        # a due one) comes after, and the next round sends whatever it added.
        dispatched = self.dispatch_due(now)
        fanned_out = False
        # While sending, a few events per round: the final pass at an instant is costly for
        # each event at full size, and 20 of them between two claims left the senders without
        # batches.
        events = outbox.events_to_fan_out(now).values_list("pk", flat=True)[
            : 2 if dispatched else 20
        ]
        for event_id in list(events):
            created = outbox.fan_out(event_id, now)
            fanned_out = fanned_out or bool(created)
            if created:
                logger.info("event %s: %d deliveries written", event_id, created)
        return dispatched or fanned_out

    def housekeeping(self, now: dt.datetime) -> None:
        self._last_housekeeping = time.monotonic()
        claims.heartbeat(self.worker_id, now)
        taken_back = claims.take_back_abandoned(now)
        if taken_back:
            logger.warning("took back %d deliveries claimed by a silent worker", taken_back)
        self.recover_lost_batches()
        plan_digests(now)
        if time.monotonic() >= self._next_prune:
            pruned = prune_task_results(now)
            # More left (a backlog): the next chunk at the next housekeeping, else in 10 minutes.
            self._next_prune = time.monotonic() + (0 if pruned == PRUNE_CHUNK else PRUNE_SECONDS)
            if pruned:
                logger.info("deleted %d finished task rows", pruned)

    def recover_lost_batches(self) -> None:
        """Hand back the batches a sender took from the queue and lost before adopting them.

        A sender's first act is to adopt its batch (claims.adopt). One killed between taking
        the task and adopting it leaves claims that still name this worker, which is alive, so
        neither its silence nor anything else takes them back before their lease ends, ten
        minutes on (seen in bench/faults: a task worker killed at an issue instant). Each batch
        queued here is looked at once LOST_BATCH_SECONDS old: adopted (or taken back) ones are
        forgotten, ones still waiting in the queue are waited for, and the rest are handed
        back and claimed again. A slow sender that adopts after that finds nothing to adopt,
        so nothing is sent twice.
        """
        ripe = [
            batch
            for batch in self._queued
            if time.monotonic() - batch.queued_at >= LOST_BATCH_SECONDS
        ]
        if not ripe:
            return
        holding = claims.unadopted(self.worker_id, [batch.claim.lease for batch in ripe])
        waiting = []
        for batch in ripe:
            if batch.claim.lease not in holding:
                continue  # adopted by a sender (or taken back): its fate is no longer ours
            if batch.still_queued():
                waiting.append(batch)
                continue
            count = claims.hand_back(self.worker_id, batch.claim.ids, lease=batch.claim.lease)
            if count:
                logger.warning("handed back %d deliveries of a batch its sender lost (%s)",
                               count, batch.describe())  # fmt: skip
        self._queued = [batch for batch in self._queued if batch not in ripe] + waiting

    def dispatch_due(self, now: dt.datetime) -> bool:
        """Claim due deliveries (and those due within ARM_AHEAD, whose senders wait for their
        instant), each channel up to its `max_outstanding`, so webhooks and mails go out side
        by side."""
        if self._not_queued:
            claims.hand_back(self.worker_id, self._not_queued)
            self._not_queued = []
        in_flight = claims.outstanding(self.worker_id)
        dispatched = full = False
        for channel in CHANNEL_ORDER:
            batch_size = self.batch_size[channel]
            room = self.max_outstanding[channel] - in_flight.get(channel, 0)
            full = full or room < batch_size
            while room >= batch_size:
                due_by = now + ARM_AHEAD if channel in ARMED_CHANNELS else now
                claim = claims.claim_due(self.worker_id, due_by, batch_size, channel)
                if claim is None:
                    break
                not_before = claim.due_at if claim.due_at > now else None
                try:
                    queued = self.enqueue_batch(claim.ids, channel, not_before)
                except Exception:
                    self._not_queued.extend(claim.ids)
                    raise
                self._queued.append(QueuedBatch(claim, queued, time.monotonic(), self.in_queue))
                dispatched = True
                room -= len(claim.ids)
        if full and not dispatched:
            time.sleep(0.005)  # the senders are busy; let them catch up
            return True
        return dispatched

    def sleep(self) -> None:
        now = timezone.now()
        candidates = [claims.next_due(now), outbox.next_fan_out_due(now)]
        upcoming = [instant for instant in candidates if instant is not None]
        if upcoming:
            next_due, next_fan_out = candidates
            if next_due is not None and next_due - ARM_AHEAD > now:
                # Newsrooms' deliveries are claimed ARM_AHEAD of their instant; once that is
                # done (or there were none), the wait is for the instant itself.
                next_due -= ARM_AHEAD
            timeout = (min(at for at in (next_due, next_fan_out) if at) - now).total_seconds()
        else:
            timeout = self.wake.longest_wait
        housekeeping_in = HOUSEKEEPING_SECONDS - (time.monotonic() - self._last_housekeeping)
        timeout = min(timeout, max(housekeeping_in, 0.0))
        if timeout > 0:
            self.wake.wait(timeout)
            self.on_wake()
