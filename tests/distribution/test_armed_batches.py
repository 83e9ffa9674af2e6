"""Newsrooms' batches claimed a moment ahead of their instant (Dispatcher.ARM_AHEAD): queued
and adopted before it, sent at it and never before, and not sent at all if the release is
pulled back in between. On the real clock: the sender really waits."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.utils import timezone

from pressroom.distribution import sending
from pressroom.distribution.channels import locmem
from pressroom.distribution.dispatcher import ARM_AHEAD, Dispatcher
from pressroom.distribution.endpoints import register
from pressroom.distribution.models import Delivery, DeliveryStatus
from pressroom.distribution.subscriptions import SubscriptionRequest, subscribe
from pressroom.distribution.tasks import batch_instant
from pressroom.distribution.wakeup import WakeSource
from pressroom.workflow.actions import UnscheduleRelease
from tests.support.distribution import schedule

pytestmark = pytest.mark.django_db

WORKER = "sample-worker"


def _sleep_until(instant: dt.datetime) -> None:
    time.sleep(max(0.0, (instant - timezone.now()).total_seconds()))


@pytest.fixture
def armed(editor, sample_department, in_memory_channels, monkeypatch):
    """A release due 1.5 s from now for a newsroom and a reader, and a dispatcher stepped once
    just inside ARM_AHEAD of it; returns (release, instant, the batches it queued)."""
    register("http://127.0.0.1:9/hook")
    subscribe(SubscriptionRequest(email="reader@example.test"))
    instant = (timezone.now() + dt.timedelta(seconds=1.5)).replace(microsecond=0) + dt.timedelta(
        seconds=1
    )
    release = schedule(editor, sample_department, instant)
    queued = []

    def enqueue(ids, channel, not_before):
        queued.append((ids, channel, not_before, timezone.now()))

    dispatcher = Dispatcher(WORKER, enqueue, WakeSource(), batch_size=50)
    while dispatcher.step():  # fanned out ahead, nothing claimed yet
        pass
    assert queued == []
    _sleep_until(instant - ARM_AHEAD + dt.timedelta(milliseconds=50))
    dispatcher.step()
    calls = []
    send = locmem.LocmemChannel.send

    def noting(self, deliveries, contents, **options):
        calls.append(timezone.now())
        return send(self, deliveries, contents, **options)

    monkeypatch.setattr(locmem.LocmemChannel, "send", noting)
    return release, instant, queued, calls


def test_a_newsrooms_batch_is_queued_ahead_and_sent_at_its_instant_never_before(
    armed, in_memory_channels
):
    release, instant, queued, calls = armed
    [(ids, channel, not_before, queued_at)] = queued  # the newsroom's; the reader's waits
    assert channel == "webhook" and not_before == instant and queued_at < instant

    sending.send_claimed(ids, WORKER, batch_instant(not_before))

    assert [sent.recipient for sent in in_memory_channels] == ["http://127.0.0.1:9/hook"]
    assert calls and min(calls) >= instant
    assert Delivery.objects.get(pk=ids[0]).status == DeliveryStatus.SENT


def test_a_release_pulled_back_after_its_batch_was_queued_is_not_sent(
    armed, editor, in_memory_channels
):
    release, instant, queued, calls = armed
    [(ids, channel, not_before, queued_at)] = queued
    UnscheduleRelease(release, editor).execute()

    sending.send_claimed(ids, WORKER, batch_instant(not_before))

    assert in_memory_channels == [] and calls == []
    assert Delivery.objects.get(pk=ids[0]).status == DeliveryStatus.CANCELLED
