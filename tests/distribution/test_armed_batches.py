"""Newsrooms' batches claimed a moment ahead of their instant (Dispatcher.ARM_AHEAD): queued
and adopted before it, sent at it and never before, and not sent at all if the release is
pulled back in between. On a stopped clock that only the sender's wait moves on: it wakes at
the instant, whatever the machine's load."""

from __future__ import annotations

import datetime as dt

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
from tests.support.clock import NOW, ManualClock
from tests.support.distribution import schedule

pytestmark = pytest.mark.django_db

WORKER = "sample-worker"


@pytest.fixture
def armed(clock, editor, sample_department, in_memory_channels, monkeypatch):
    """A release due two seconds after NOW for a newsroom and a reader, and a dispatcher
    stepped once just inside ARM_AHEAD of it, where the clock stays until the sender sleeps;
    returns (release, instant, the batches it queued, when the channel sent, the sender's
    clock)."""
    register("http://127.0.0.1:9/hook")
    subscribe(SubscriptionRequest(email="reader@example.test"))
    instant = NOW + dt.timedelta(seconds=2)
    release = schedule(editor, sample_department, instant)
    queued = []

    def enqueue(ids, channel, not_before):
        queued.append((ids, channel, not_before, timezone.now()))

    dispatcher = Dispatcher(WORKER, enqueue, WakeSource(), batch_size=50)
    while dispatcher.step():  # fanned out ahead, nothing claimed yet
        pass
    assert queued == []
    clock.move_to(instant - ARM_AHEAD + dt.timedelta(milliseconds=50), tick=False)
    dispatcher.step()
    calls = []
    send = locmem.LocmemChannel.send

    def noting(self, deliveries, contents, **options):
        calls.append(timezone.now())
        return send(self, deliveries, contents, **options)

    monkeypatch.setattr(locmem.LocmemChannel, "send", noting)
    sender_clock = ManualClock(wall=clock).install(monkeypatch, sending)
    return release, instant, queued, calls, sender_clock


def test_a_newsrooms_batch_is_queued_ahead_and_sent_at_its_instant_never_before(
    armed, in_memory_channels
):
    release, instant, queued, calls, sender_clock = armed
    [(ids, channel, not_before, queued_at)] = queued  # the newsroom's; the reader's waits
    assert channel == "webhook" and not_before == instant and queued_at < instant

    sending.send_claimed(ids, WORKER, batch_instant(not_before))

    assert [sent.recipient for sent in in_memory_channels] == ["http://127.0.0.1:9/hook"]
    assert sender_clock.slept, "the sender did not wait for the instant"
    assert calls and min(calls) >= instant
    assert Delivery.objects.get(pk=ids[0]).status == DeliveryStatus.SENT


def test_a_release_pulled_back_after_its_batch_was_queued_is_not_sent(
    armed, editor, in_memory_channels
):
    release, instant, queued, calls, sender_clock = armed
    [(ids, channel, not_before, queued_at)] = queued
    UnscheduleRelease(release, editor).execute()

    sending.send_claimed(ids, WORKER, batch_instant(not_before))

    assert in_memory_channels == [] and calls == []
    assert Delivery.objects.get(pk=ids[0]).status == DeliveryStatus.CANCELLED
