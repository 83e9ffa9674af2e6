"""Workflow events in, outbox rows out: what to distribute, when, and to whom.

`record_event` runs inside the workflow move's transaction, so the outbox row commits with the
scheduling, publication, correction or withdrawal, or not at all. It writes one small
`DistributionEvent`; `fan_out` (run by the worker, in one transaction) turns it into one
`Delivery` per recipient. Imported archive releases never pass through the workflow, so they
are never distributed.

    scheduled / published  -> issued at the issue instant (to subscribers and endpoints); and,
                              when the duty editor allowed an embargo, an embargoed copy now
                              to the endpoints accredited for embargoes (who then get no
                              second copy at the instant)
    unscheduled / returned -> pending deliveries cancelled; endpoints that already hold an
                              embargoed copy get a recall
    corrected / withdrawn  -> to every endpoint, now (for releases that were distributed), and
                              a short notice to the subscribers who got the release by e-mail
                              (its own mail, not a digest; sent, or being sent, at fan-out)
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from pressroom.distribution import wakeup
from pressroom.distribution.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    DistributionEvent,
    Embargo,
    EventKind,
    Frequency,
    Subscription,
    WebhookEndpoint,
)
from pressroom.releases.models import Release
from pressroom.workflow import events

K = EventKind


def record_event(event: events.ReleaseEvent) -> None:
    """The IN_TRANSACTION_HANDLERS hook: write the outbox rows this workflow event calls for."""
    if isinstance(event, (events.ReleaseScheduled, events.ReleasePublished)):
        stop_pending(event.release_id, event.at)
        schedule_issue(event.release_id, event.issue_instant, event.at)
    elif isinstance(event, (events.ReleaseUnscheduled, events.ReleaseReturnedToDraft)):
        stop_pending(event.release_id, event.at)
    elif isinstance(event, events.ReleaseCorrected):
        _if_distributed(event.release_id, K.CORRECTED, event.at)
    elif isinstance(event, events.ReleaseWithdrawn):
        _if_distributed(event.release_id, K.WITHDRAWN, event.at)
    else:
        return
    wakeup.notify_worker()


def schedule_issue(release_id: int, issue_instant: dt.datetime, now: dt.datetime) -> None:
    DistributionEvent.objects.create(kind=K.ISSUED, release_id=release_id, due_at=issue_instant)
    if issue_instant > now and Embargo.objects.filter(release_id=release_id).exists():
        send_embargoed_copy(release_id, issue_instant, now)


def send_embargoed_copy(release_id: int, issue_instant: dt.datetime, now: dt.datetime) -> None:
    DistributionEvent.objects.create(
        kind=K.EMBARGOED, release_id=release_id, due_at=now, embargo_lifts_at=issue_instant
    )


def stop_pending(release_id: int, now: dt.datetime) -> None:
    """Cancel what has not gone out yet; recall embargoed copies that have."""
    upcoming = DistributionEvent.objects.filter(
        release_id=release_id, cancelled_at__isnull=True
    ).filter(Q(kind=K.ISSUED, due_at__gt=now) | Q(kind=K.EMBARGOED, embargo_lifts_at__gt=now))
    embargoed = list(upcoming.filter(kind=K.EMBARGOED).values_list("pk", flat=True))
    Delivery.objects.filter(event__in=upcoming, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.CANCELLED, last_error="cancelled: the release was pulled back"
    )
    upcoming.update(cancelled_at=now)
    # A delivery being sent right now may still arrive: recall it too.
    holders = sorted(
        set(
            Delivery.objects.filter(
                event_id__in=embargoed,
                status__in=[DeliveryStatus.SENT, DeliveryStatus.SENDING],
            ).values_list("endpoint_id", flat=True)
        )
    )
    if holders:
        DistributionEvent.objects.create(
            kind=K.RECALLED, release_id=release_id, due_at=now, endpoint_ids=holders
        )


def _if_distributed(release_id: int, kind: str, now: dt.datetime) -> None:
    was_issued = DistributionEvent.objects.filter(
        release_id=release_id, kind=K.ISSUED, cancelled_at__isnull=True, due_at__lte=now
    ).exists()
    if was_issued:
        DistributionEvent.objects.create(kind=kind, release_id=release_id, due_at=now)


# --- fan-out (the worker) -------------------------------------------------------------------


def events_to_fan_out(now: dt.datetime):
    """Events never fanned out, and due events whose recipient list is not yet final."""
    return DistributionEvent.objects.filter(
        Q(fanned_out_at__isnull=True) | Q(recipients_final=False, due_at__lte=now)
    ).order_by("due_at", "pk")


def fan_out(event_id: int, now: dt.datetime) -> int:
    """Write a delivery for every recipient of the event that has none yet; returns how many.

    One transaction: a crash leaves the event as it was, to be fanned out again. The unique
    constraints (event, subscriber) and (event, endpoint) make a second pass add only
    newcomers.

    The final pass at the instant usually finds nobody new: it looks first without a
    transaction (on SQLite a transaction holds the only writer's lock, which the senders need
    at that very moment) and then only marks the list final."""
    if _nobody_new(event_id, now):
        return 0
    with transaction.atomic():
        event = _locked(event_id)
        if event is None:
            return 0
        created = 0
        if event.cancelled_at is None:
            created = _add_deliveries(event)
        event.fanned_out_at = event.fanned_out_at or now
        event.recipients_final = event.cancelled_at is not None or event.due_at <= now
        event.save(update_fields=["fanned_out_at", "recipients_final"])
    return created


def _nobody_new(event_id: int, now: dt.datetime) -> bool:
    """True (and the event's recipient list marked final) when a due, already fanned-out event
    has no recipient without a delivery."""
    event = DistributionEvent.objects.select_related("release").filter(pk=event_id).first()
    if event is None or event.fanned_out_at is None or event.cancelled_at is not None:
        return False
    if event.due_at > now or _newcomers(event):
        return False
    DistributionEvent.objects.filter(pk=event_id).update(recipients_final=True)
    return True


def _locked(event_id: int) -> DistributionEvent | None:
    queryset = DistributionEvent.objects.select_related("release")
    if connection.vendor == "postgresql":
        queryset = queryset.select_for_update(of=("self",))
    return queryset.filter(pk=event_id).first()


def _newcomers(event: DistributionEvent) -> tuple[set[int], set[int]] | None:
    """Endpoints and subscriptions that should get the event and have no delivery of it yet;
    None when there are none."""
    endpoint_ids = set(_endpoints(event))
    subscription_ids = set(_subscribers(event))
    existing = Delivery.objects.filter(event=event)
    endpoint_ids -= set(
        existing.filter(endpoint__isnull=False).values_list("endpoint_id", flat=True)
    )
    subscription_ids -= set(
        existing.filter(subscription__isnull=False).values_list("subscription_id", flat=True)
    )
    return (endpoint_ids, subscription_ids) if endpoint_ids or subscription_ids else None


def _add_deliveries(event: DistributionEvent) -> int:
    newcomers = _newcomers(event)
    if newcomers is None:
        return 0
    endpoint_ids, subscription_ids = newcomers
    rows = [
        Delivery(event=event, channel=Channel.WEBHOOK, endpoint_id=pk, due_at=event.due_at)
        for pk in sorted(endpoint_ids)
    ] + [
        Delivery(event=event, channel=Channel.EMAIL, subscription_id=pk, due_at=event.due_at)
        for pk in sorted(subscription_ids)
    ]
    Delivery.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _endpoints(event: DistributionEvent) -> list[int]:
    active = WebhookEndpoint.objects.filter(active=True)
    if event.kind == K.EMBARGOED:
        return list(active.filter(accepts_embargo=True).values_list("pk", flat=True))
    if event.kind == K.RECALLED:
        return list(active.filter(pk__in=event.endpoint_ids).values_list("pk", flat=True))
    if event.kind == K.ISSUED:
        # Endpoints holding an embargoed copy that lifts at this very instant have the release.
        covered = Delivery.objects.filter(
            event__release_id=event.release_id,
            event__kind=K.EMBARGOED,
            event__cancelled_at__isnull=True,
            event__embargo_lifts_at=event.due_at,
        ).values("endpoint_id")
        return list(active.exclude(pk__in=covered).values_list("pk", flat=True))
    if event.kind in (K.CORRECTED, K.WITHDRAWN):
        return list(active.values_list("pk", flat=True))
    return []


def _subscribers(event: DistributionEvent) -> list[int]:
    if event.kind == K.ISSUED:
        return list(matching_subscriptions(event.release, Frequency.IMMEDIATE))
    if event.kind == K.DAILY_DIGEST:
        return list(
            Subscription.objects.filter(frequency=Frequency.DAILY).values_list("pk", flat=True)
        )
    if event.kind == K.WEEKLY_DIGEST:
        return list(
            Subscription.objects.filter(frequency=Frequency.WEEKLY).values_list("pk", flat=True)
        )
    if event.kind in (K.CORRECTED, K.WITHDRAWN):
        return sorted(_mailed(event.release_id))
    return []


def _mailed(release_id: int) -> set[int]:
    """Subscriptions that got the release by e-mail, as it was issued (not in a digest): sent,
    or being sent now. A mail still waiting will carry the corrected text, or be cancelled as
    the withdrawn release is no longer public, so it needs no notice."""
    return set(
        Delivery.objects.filter(
            event__release_id=release_id,
            event__kind=K.ISSUED,
            channel=Channel.EMAIL,
            subscription__isnull=False,
            status__in=[DeliveryStatus.SENT, DeliveryStatus.SENDING],
        )
        .order_by()
        .values_list("subscription_id", flat=True)
    )


def matching_subscriptions(release: Release, frequency: str):
    """Ids of subscriptions of `frequency` that want `release`: all releases, its department,
    or one of its categories."""
    wanted = Q(everything=True)
    if release.department_id:
        wanted |= Q(departments=release.department_id)
    category_ids = list(release.categories.values_list("pk", flat=True))
    if category_ids:
        wanted |= Q(categories__in=category_ids)
    return (
        Subscription.objects.filter(frequency=frequency)
        .filter(wanted)
        .values_list("pk", flat=True)
        .distinct()
    )


def subscription_wants(subscription: Subscription, release: Release) -> bool:
    return (
        matching_subscriptions(release, subscription.frequency).filter(pk=subscription.pk).exists()
    )


def next_fan_out_due(now: dt.datetime) -> dt.datetime | None:
    """When an event next needs fanning out (now for new ones), for the worker's sleep."""
    if DistributionEvent.objects.filter(fanned_out_at__isnull=True).exists():
        return now
    upcoming = (
        DistributionEvent.objects.filter(recipients_final=False)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    return upcoming


def hong_kong(instant: dt.datetime) -> str:
    return f"{timezone.localtime(instant):%Y-%m-%d %H:%M}"
