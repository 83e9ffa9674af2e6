"""Claiming due deliveries so that each is sent by one worker, and taking back abandoned claims.

PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED, then UPDATE, in one transaction: workers never
wait on each other's rows. SQLite: one UPDATE ... WHERE id IN (SELECT ... LIMIT n) AND
status='pending' statement; SQLite runs one writer at a time, so the statement is atomic, and
the claim is found again by (worker, lease instant).

A claim carries a lease and the worker's id. A worker writes a heartbeat every second; the
deliveries of a worker silent for PRESUMED_DEAD go back to pending (what a SIGKILLed worker
had not recorded sent goes out again, with the same idempotency keys: see channels.base), as
do claims whose lease ran out. A batch that
another process took from the queue and lost before adopting it (killed in between) still names
the living worker that claimed it: that worker hands it back (Dispatcher.recover_lost_batches;
on RQ, a job moved off its queue but never started counts as taken, see QueuedBatch.in_queue).
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from pressroom.distribution.models import Delivery, DeliveryStatus, WorkerHeartbeat

LEASE = dt.timedelta(minutes=10)
# The id of the worker this process runs (set by `pressroom worker`), so a sending thread can
# adopt a batch it picked up: see adopt().
this_worker: str | None = None
PRESUMED_DEAD = dt.timedelta(seconds=5)
FORGET_WORKERS_AFTER = dt.timedelta(days=1)
# Oldest first, in the order rows were written (release by release, at one instant). Served by
# the index (status, channel, due_at, id), never a sort.
CLAIM_ORDER = ("due_at", "pk")


def _due(now: dt.datetime, channel: str):
    """A channel's due rows in claim order, from the index (status, channel, due_at, id).

    Claims are per channel so that both channels send at once, each at its own pace: one
    queue in issue order left the mails of the 100th release waiting behind 99,000 webhooks."""
    return Delivery.objects.filter(
        status=DeliveryStatus.PENDING, channel=channel, due_at__lte=now
    ).order_by(*CLAIM_ORDER)


_last_stamp = dt.datetime.min.replace(tzinfo=dt.UTC)
_stamp_lock = threading.Lock()


def _unique_lease_end() -> dt.datetime:
    """The lease's end, distinct for every claim this process makes (it names the claim)."""
    global _last_stamp
    with _stamp_lock:
        stamp = max(timezone.now() + LEASE, _last_stamp + dt.timedelta(microseconds=1))
        _last_stamp = stamp
    return stamp


@dataclass(frozen=True)
class Claim:
    """Deliveries claimed together. Their lease end is distinct for every claim, so it names
    the claim until a sender adopts the batch (which gives it a lease of its own). `due_at` is
    the latest of their due instants: a batch claimed a moment ahead waits for it."""

    ids: list[int]
    lease: dt.datetime
    due_at: dt.datetime | None = None


def claim_due(worker_id: str, due_by: dt.datetime, limit: int, channel: str) -> Claim | None:
    """Claim up to `limit` deliveries of `channel` due by `due_by` for `worker_id` (None: none
    due). `due_by` may be a moment ahead (Dispatcher.ARM_AHEAD): claiming is not sending."""
    lease = _unique_lease_end()
    if connection.vendor == "postgresql":
        with transaction.atomic():
            rows = list(
                _due(due_by, channel)
                .select_for_update(skip_locked=True)
                .values_list("pk", "due_at")[:limit]
            )
            if rows:
                Delivery.objects.filter(pk__in=[pk for pk, _ in rows]).update(
                    status=DeliveryStatus.SENDING, claimed_by=worker_id, claimed_until=lease
                )
    else:
        candidates = _due(due_by, channel).values("pk")[:limit]
        claimed = Delivery.objects.filter(pk__in=candidates, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.SENDING, claimed_by=worker_id, claimed_until=lease
        )
        rows = list(
            Delivery.objects.filter(
                status=DeliveryStatus.SENDING, claimed_by=worker_id, claimed_until=lease
            ).values_list("pk", "due_at")
        ) if claimed else []  # fmt: skip
    if not rows:
        return None
    return Claim([pk for pk, _ in rows], lease, max(due_at for _, due_at in rows))


def unadopted(worker_id: str, leases: list[dt.datetime]) -> set[dt.datetime]:
    """Which of these claims of `worker_id` still hold rows no sender has adopted."""
    return set(
        Delivery.objects.filter(
            status=DeliveryStatus.SENDING, claimed_by=worker_id, claimed_until__in=leases
        )
        .order_by()
        .values_list("claimed_until", flat=True)
        .distinct()
    )


def outstanding(worker_id: str) -> dict[str, int]:
    """Deliveries this worker has claimed and not yet recorded, by channel."""
    rows = (
        Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_by=worker_id)
        .values_list("channel")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return dict(rows)


def heartbeat(worker_id: str, now: dt.datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"seen_at": now})


def sign_off(worker_id: str) -> None:
    """A worker stopping cleanly hands its unsent claims back at once."""
    Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_by=worker_id).update(
        status=DeliveryStatus.PENDING, claimed_by="", claimed_until=None
    )
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def hand_back(worker_id: str, delivery_ids: list[int], lease: dt.datetime | None = None) -> int:
    """Claims this worker made but could not queue (the database failed in between), or that a
    sender took and lost (see Dispatcher.recover_lost_batches), go back to pending at once,
    rather than waiting out their lease. With `lease`, only the rows no sender has adopted."""
    rows = Delivery.objects.filter(
        pk__in=delivery_ids, status=DeliveryStatus.SENDING, claimed_by=worker_id
    )
    if lease is not None:
        rows = rows.filter(claimed_until=lease)
    return rows.update(status=DeliveryStatus.PENDING, claimed_by="", claimed_until=None)


def take_back_abandoned(now: dt.datetime) -> int:
    """Claims of silent workers and expired leases go back to pending; returns how many."""
    alive = WorkerHeartbeat.objects.filter(seen_at__gte=now - PRESUMED_DEAD).values("worker_id")
    count = (
        Delivery.objects.filter(status=DeliveryStatus.SENDING)
        .filter(Q(claimed_until__lt=now) | ~Q(claimed_by__in=alive))
        .update(status=DeliveryStatus.PENDING, claimed_by="", claimed_until=None)
    )
    WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_WORKERS_AFTER).delete()
    return count


def next_due(now: dt.datetime) -> dt.datetime | None:
    """The earliest pending delivery's instant: the one indexed query the idle worker polls."""
    return (
        Delivery.objects.filter(status=DeliveryStatus.PENDING)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )


def adopt(delivery_ids: list[int], claimed_by: str, now: dt.datetime) -> list[int]:
    """Make the batch this process's own before sending it, in one UPDATE.

    A queued batch may outlive the worker that claimed it (killed, then restarted): the new
    worker's sending thread picks up the old task. Adopting moves the claim to the living
    worker, so the dead one's claims cannot be taken back (and sent twice) mid-batch; rows
    already taken back are not adopted and are left to whoever claimed them since. Rows this
    worker already adopted are adopted again (a batch tried once more after a database outage)."""
    owner = this_worker or claimed_by
    stamp = _unique_lease_end()
    Delivery.objects.filter(
        pk__in=delivery_ids, status=DeliveryStatus.SENDING, claimed_by__in={claimed_by, owner}
    ).update(claimed_by=owner, claimed_until=stamp)
    return list(
        Delivery.objects.filter(
            status=DeliveryStatus.SENDING, claimed_by=owner, claimed_until=stamp
        ).values_list("pk", flat=True)
    )
